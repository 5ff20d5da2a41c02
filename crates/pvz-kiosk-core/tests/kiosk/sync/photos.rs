//! Counter photos reaching the real central server: a defect refusal's photo is uploaded after its
//! op syncs and the item's seller reads it back; a connection cut mid-upload resumes from the
//! server's offset, sending only the rest; a photo the server has is never sent again; a photo too
//! large or no image is refused when taken, and one a proxy refuses (413) is marked failed and shown;
//! nothing waiting is lost over a restart; a rejected op's photo is uploaded too; and a confirmed
//! photo's file is pruned after the retention period and read back from the server.

use crate::support::network::*;
use crate::support::relay::Relay;
use chrono::{DateTime, Utc};
use pvz_domain::{ClaimState, Kopecks, RefusalReason};
use pvz_kiosk_core::sync::{self, ClientConfig, EngineConfig, SyncEngine};
use pvz_kiosk_core::{ErrorKind, ItemDecision, Kiosk};
use pvz_protocol::evidence::UPLOAD_PART_BYTES;
use pvz_protocol::SellerDecision;
use pvz_server::credentials::PartyKind;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A PNG's signature, then `size - 8` bytes drawn from `seed`: what kiosk and server check of a photo.
fn png(size: usize, seed: u8) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend((0..size - 8).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)));
    bytes
}

fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Opens order `n`, refuses its item as defective with `photo`, and completes the issue.
fn refuse_with_photo(kiosk: &Kiosk, n: u32, photo: &[u8]) {
    let card =
        kiosk.scan(&format!("{}", 700_000 + n)).expect("the order opens").view.screen.order().cloned().expect("a card");
    let item = card.items[0].item_id.clone();
    let refuse =
        ItemDecision::Refuse { reason: RefusalReason::Defect, description: Some("шов разошёлся".into()) };
    kiosk.decide_item(&card.order_id, &item, refuse).expect("refused as defective");
    kiosk.attach_defect_photo(&card.order_id, &item, photo).expect("the photo is taken");
    kiosk.confirm_issue(&card.order_id, Kopecks(0), false).expect("nothing to collect: the issue completes");
}

/// `GET /v1/evidence/{sha256}` under `credential`: the status and the bytes.
async fn read_back(net: &Network, credential: &str, sha256: &str) -> (u16, Vec<u8>) {
    let answer = reqwest::Client::new()
        .get(format!("{}/v1/evidence/{sha256}", net.url()))
        .bearer_auth(credential)
        .send()
        .await
        .expect("the server answers");
    let status = answer.status().as_u16();
    (status, answer.bytes().await.expect("the body").to_vec())
}

#[tokio::test]
async fn a_defect_refusals_photo_is_uploaded_after_sync_and_its_seller_reads_it() {
    let net = Network::start().await;
    // Order 2 is another seller's, who must not see order 1's photo.
    let mut other_sellers = order(2, 90_000);
    other_sellers.items[0].seller_id = "seller-2".into();
    net.admin().add_orders(POINT, &[order(1, 150_000), other_sellers]).expect("orders added");
    let kiosk = net.enrolled_kiosk().await;
    sync::sync_until_idle(&kiosk, &fast()).await.expect("pull the orders");
    let photo = png(300_000, 1);
    refuse_with_photo(&kiosk, 1, &photo);
    assert_eq!(kiosk.sync_status().expect("status").photos_waiting, 1, "the photo waits with its op");

    let report = sync::sync_until_idle(&kiosk, &fast()).await.expect("the pass pushes and uploads");
    assert_eq!((report.photos_uploaded, report.photos_failed), (1, 0), "the photo is uploaded: {report:?}");
    assert_eq!(report.photo_bytes_sent, photo.len() as u64, "every byte sent once, in parts: {report:?}");
    let status = kiosk.sync_status().expect("status");
    assert_eq!((status.photos_waiting, status.photos_failed), (0, 0), "nothing waits: {status:?}");
    let devices = net.admin().devices(Some(POINT)).expect("the fleet");
    assert_eq!(
        devices.iter().map(|d| d.last_sync.ops_waiting).collect::<Vec<_>>(),
        [Some(0)],
        "the kiosk reports its outbox on every sync call (x-pvz-outbox-waiting): empty after the pass"
    );

    let seller = net.admin().issue_seller_credential("seller-1").expect("the item's seller");
    let (code, bytes) = read_back(&net, &seller, &sha(&photo)).await;
    assert_eq!(code, 200, "the item's seller may read the counter's photo");
    assert_eq!(bytes, photo, "the server answers the photo's bytes, byte for byte");
    let other = net.admin().issue_seller_credential("seller-2").expect("another seller");
    assert_eq!(read_back(&net, &other, &sha(&photo)).await.0, 404, "another seller may not");
}

#[tokio::test]
async fn a_connection_cut_mid_upload_resumes_from_the_servers_offset_and_sends_only_the_rest() {
    let net = Network::start().await;
    net.admin().add_order(POINT, &order(1, 150_000)).expect("order added");
    let relay = Relay::start(net.addr()).await;
    let kiosk = net.kiosk();
    net.enroll_via(&kiosk, POINT, &relay.url()).await;
    sync::sync_until_idle(&kiosk, &fast()).await.expect("pull the order");
    let photo = png(1_000_000, 2);
    refuse_with_photo(&kiosk, 1, &photo);

    // Push and pull take a few kilobytes; the cut falls inside the third part.
    relay.cut_after(2 * UPLOAD_PART_BYTES + 80_000);
    let cut = sync::sync_until_idle(&kiosk, &fast()).await.expect_err("the connection is cut mid-upload");
    assert_eq!(cut.kind(), ErrorKind::ServerUnreachable, "a cut connection is the network gone: {cut}");
    assert_eq!(relay.cuts(), 1, "the relay cut once");
    let status = kiosk.sync_status().expect("status");
    assert_eq!((status.ops_waiting, status.photos_waiting), (0, 1), "the ops went, the photo waits: {status:?}");

    let before = relay.sent();
    let resumed = sync::sync_until_idle(&kiosk, &fast()).await.expect("the next pass finishes the upload");
    let sent = relay.sent() - before;
    let rest = photo.len() as u64 - 2 * UPLOAD_PART_BYTES;
    assert_eq!(resumed.photos_uploaded, 1, "the photo is stored: {resumed:?}");
    assert_eq!(resumed.photo_bytes_sent, rest, "only the bytes after the server's two whole parts are sent");
    assert!(
        sent >= rest && sent < rest + 16 * 1024,
        "the kiosk sent {sent} bytes in all: the rest ({rest}) and requests' headers, not the whole photo"
    );
    let operator = net.admin().issue_party_credential(PartyKind::Operator, "olga").expect("operator");
    assert_eq!(read_back(&net, &operator, &sha(&photo)).await.1, photo, "the joined parts are the photo");
}

#[tokio::test]
async fn a_photo_the_server_has_is_never_sent_again() {
    let net = Network::start().await;
    net.admin().add_orders(POINT, &[order(1, 150_000), order(2, 90_000)]).expect("orders added");
    let relay = Relay::start(net.addr()).await;
    let kiosk = net.kiosk();
    net.enroll_via(&kiosk, POINT, &relay.url()).await;
    sync::sync_until_idle(&kiosk, &fast()).await.expect("pull the orders");
    let photo = png(100_000, 3);
    refuse_with_photo(&kiosk, 1, &photo);
    let first = sync::sync_until_idle(&kiosk, &fast()).await.expect("uploaded");
    assert_eq!(first.photo_bytes_sent, photo.len() as u64, "sent once: {first:?}");

    let before = relay.sent();
    let again = sync::sync_until_idle(&kiosk, &fast()).await.expect("an idle pass");
    assert_eq!((again.photos_uploaded, again.photo_bytes_sent), (0, 0), "nothing sent again: {again:?}");
    assert!(relay.sent() - before < 4096, "an idle pass sends no photo bytes: {} bytes", relay.sent() - before);

    // The same bytes attached to another refusal are one photo, which the server has.
    refuse_with_photo(&kiosk, 2, &photo);
    let second = sync::sync_until_idle(&kiosk, &fast()).await.expect("the second refusal syncs");
    assert_eq!((second.applied > 0, second.photo_bytes_sent), (true, 0), "the photo is not sent twice: {second:?}");
    assert_eq!(kiosk.sync_status().expect("status").photos_waiting, 0, "and nothing waits");
}

#[tokio::test]
async fn the_engine_goes_on_at_once_while_photos_are_left_over_a_passs_budget() {
    let net = Network::start().await;
    net.admin().add_order(POINT, &order(1, 150_000)).expect("order added");
    let kiosk = Arc::new(net.enrolled_kiosk().await);
    sync::sync_until_idle(&kiosk, &fast()).await.expect("pull the order");
    refuse_with_photo(&kiosk, 1, &png(700_000, 9));
    // 100 KB a pass: seven passes for the photo; with a poll a minute long, only passes that
    // follow each other at once finish it within the wait below.
    let client = ClientConfig { upload_bytes_per_pass: 100_000, ..fast() };
    let config = EngineConfig { client, poll_interval: Duration::from_secs(60), ..short_engine() };
    let handle = SyncEngine::spawn(kiosk.clone(), config, Box::new(|_| {}));
    let done = wait_for(&handle, "every photo is uploaded", |s| s.photos_waiting == 0 && s.ops_waiting == 0).await;
    assert!(done.last_error.is_none(), "no pass failed on the way: {done:?}");
    handle.stop();
}

#[tokio::test]
async fn an_oversized_or_non_image_photo_is_refused_when_taken() {
    let net = Network::start().await;
    net.admin().add_order(POINT, &order(1, 150_000)).expect("order added");
    let kiosk = net.enrolled_kiosk().await;
    sync::sync_until_idle(&kiosk, &fast()).await.expect("pull the order");
    let card = kiosk.scan("700001").expect("opens").view.screen.order().cloned().expect("a card");
    let item = card.items[0].item_id.clone();
    let refuse = ItemDecision::Refuse { reason: RefusalReason::Defect, description: Some("пятно".into()) };
    kiosk.decide_item(&card.order_id, &item, refuse).expect("refused");

    let huge = kiosk.attach_defect_photo(&card.order_id, &item, &png(20 * 1024 * 1024, 4)).expect_err("20 MB");
    assert_eq!(huge.kind(), ErrorKind::InvalidInput, "too large is bad input: {huge}");
    assert!(huge.to_string().contains("10 MiB"), "the manager is told the limit: {huge}");
    let pdf = kiosk.attach_defect_photo(&card.order_id, &item, b"%PDF-1.7\n...").expect_err("a PDF");
    assert!(pdf.to_string().contains("not a JPEG, PNG or WebP"), "the manager is told what a photo is: {pdf}");
    assert_eq!(kiosk.sync_status().expect("status").photos_waiting, 0, "nothing refused waits for upload");
}

#[tokio::test]
async fn a_photo_refused_for_good_is_marked_failed_shown_and_not_retried() {
    let net = Network::start().await;
    net.admin().add_order(POINT, &order(1, 150_000)).expect("order added");
    let relay = Relay::start(net.addr()).await;
    let kiosk = net.kiosk();
    net.enroll_via(&kiosk, POINT, &relay.url()).await;
    sync::sync_until_idle(&kiosk, &fast()).await.expect("pull the order");
    refuse_with_photo(&kiosk, 1, &png(50_000, 5));
    relay.refuse_photo_uploads();

    let report = sync::sync_until_idle(&kiosk, &fast()).await.expect("a refused photo does not fail the pass");
    assert_eq!((report.photos_failed, report.photos_uploaded), (1, 0), "the photo is marked failed: {report:?}");
    assert_eq!(relay.refused(), 1, "the proxy refused one part");
    let status = kiosk.sync_status().expect("status");
    assert_eq!((status.photos_waiting, status.photos_failed), (0, 1), "shown as failed, not waiting: {status:?}");
    assert!(
        status.photo_failure.as_deref().is_some_and(|why| why.contains("413")),
        "the reason is shown: {:?}",
        status.photo_failure
    );
    assert!(status.last_error.is_none(), "the sync itself is fine: {status:?}");
    sync::sync_until_idle(&kiosk, &fast()).await.expect("another pass");
    assert_eq!(relay.refused(), 1, "a photo refused for good is not sent again");
}

#[tokio::test]
async fn photos_waiting_survive_a_restart_and_are_uploaded_after_it() {
    let net = Network::start().await;
    net.admin().add_order(POINT, &order(1, 150_000)).expect("order added");
    let photo = png(70_000, 6);
    {
        let kiosk = net.enrolled_kiosk().await;
        sync::sync_until_idle(&kiosk, &fast()).await.expect("pull the order");
        refuse_with_photo(&kiosk, 1, &photo);
    }
    let kiosk = net.kiosk();
    assert_eq!(
        kiosk.sync_status().expect("status").photos_waiting,
        1,
        "the reopened store still has the photo waiting"
    );
    let report = sync::sync_until_idle(&kiosk, &fast()).await.expect("synced after the restart");
    assert_eq!(report.photos_uploaded, 1, "the photo is uploaded after the restart: {report:?}");
    let operator = net.admin().issue_party_credential(PartyKind::Operator, "olga").expect("operator");
    assert_eq!(read_back(&net, &operator, &sha(&photo)).await.1, photo, "the server holds it");
}

#[tokio::test]
async fn the_photo_of_a_rejected_claim_return_is_uploaded_too() {
    let mut net = Network::start().await;
    net.admin().add_order(POINT, &order(1, 150_000)).expect("order added");
    let kiosk = net.enrolled_kiosk().await;
    sync::sync_until_idle(&kiosk, &fast()).await.expect("pull the order");
    issue(&kiosk, 1, 150_000);
    sync::sync_until_idle(&kiosk, &fast()).await.expect("the issue reaches the server");
    let admin = net.admin();
    let claim = admin.open_claim("ord-sync-1", "itm-sync-1-1", "шов разошёлся").expect("open");
    let id = claim.claim_id.to_string();
    let refund = admin.full_refund(&id).expect("the item's price");
    let code = admin
        .decide_claim(&id, &SellerDecision::Approve { compensation: refund })
        .expect("approved")
        .return_code
        .expect("a return code");
    let addr = net.stop_server().await;
    kiosk.scan(&code).expect("the claim opens");
    kiosk.check_claim_item().expect("checked by eye");
    kiosk.set_claim_condition("шов разошёлся, следов носки нет").expect("condition noted");
    let photo = png(40_000, 7);
    kiosk.attach_claim_photo(&photo).expect("the condition photographed");
    kiosk.accept_claim_return().expect("accepted offline");
    net.restart_server(addr).await;
    net.admin().revoke_claim(&id, "покупатель отозвал претензию").expect("revoked meanwhile");

    let report = sync::sync_until_idle(&kiosk, &fast()).await.expect("the pass");
    assert_eq!(report.rejected, 1, "the claim return is rejected: {report:?}");
    assert_eq!(report.photos_uploaded, 1, "its photo is evidence all the same: {report:?}");
    assert_eq!(net.admin().claim_status(&id).expect("status").state, ClaimState::Revoked, "still revoked");
    let operator = net.admin().issue_party_credential(PartyKind::Operator, "olga").expect("operator");
    assert_eq!(read_back(&net, &operator, &sha(&photo)).await.1, photo, "the network sees the photo");
}

#[tokio::test]
async fn a_confirmed_photos_file_is_pruned_after_the_retention_period_and_read_back_from_the_server() {
    let net = Network::start().await;
    net.admin().add_order(POINT, &order(1, 150_000)).expect("order added");
    let seconds = Arc::new(AtomicI64::new(Utc::now().timestamp()));
    let clock = seconds.clone();
    let kiosk = net
        .kiosk()
        .with_clock(Box::new(move || DateTime::from_timestamp(clock.load(Ordering::SeqCst), 0).expect("a valid time")));
    net.enroll_at(&kiosk, POINT).await;
    let config = ClientConfig { photo_retention: Duration::from_secs(30 * 86_400), ..fast() };
    sync::sync_until_idle(&kiosk, &config).await.expect("pull the order");
    let photo = png(120_000, 8);
    refuse_with_photo(&kiosk, 1, &photo);
    let file = net.kiosk_path().parent().expect("the kiosk's dir").join("evidence").join(sha(&photo));

    let uploaded = sync::sync_until_idle(&kiosk, &config).await.expect("uploaded");
    assert_eq!((uploaded.photos_uploaded, uploaded.photos_pruned), (1, 0), "uploaded, kept: {uploaded:?}");
    seconds.fetch_add(29 * 86_400, Ordering::SeqCst);
    let within = sync::sync_until_idle(&kiosk, &config).await.expect("a pass within the period");
    assert_eq!(within.photos_pruned, 0, "kept within the period: {within:?}");
    assert!(file.exists(), "the file is still here after 29 days");
    seconds.fetch_add(2 * 86_400, Ordering::SeqCst);
    let after = sync::sync_until_idle(&kiosk, &config).await.expect("a pass after the period");
    assert_eq!(after.photos_pruned, 1, "pruned after the period: {after:?}");
    assert!(!file.exists(), "the file is deleted after 31 days: {}", file.display());

    let item = "itm-sync-1-1";
    let bundle = kiosk.export_evidence_bundle(item, None).await.expect("the bundle reads the photo from the server");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&bundle).expect("the zip")).expect("a zip");
    let mut photos = Vec::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).expect("entry");
        if file.name().is_ok_and(|name| name.starts_with("photos/")) {
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).expect("read");
            photos.push(bytes);
        }
    }
    assert_eq!(photos, [photo], "the bundle holds the server's copy of the pruned photo, byte for byte");
}
