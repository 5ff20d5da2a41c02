//! Counter photos reaching the server: linked to the ops that name them (applied or rejected, once
//! per op), uploaded part by part and resumed from the offset the server holds (on another
//! instance too), idempotent, bounded in size and type, checked against their hash, and read back
//! only by the point's devices, the item's seller and operators (404 to anyone else), and listed
//! on the claim of their item.

use crate::common::*;
use pvz_protocol::evidence::{content_range, EvidencePhoto, EvidenceUpload, EvidenceUploadState, UPLOAD_PART_BYTES};
use pvz_protocol::sync::PROTOCOL_HEADER;
use pvz_protocol::OpBody;
use pvz_server::credentials::PartyKind;

/// A PNG's signature, then `size - 8` bytes drawn from `seed`: what the server checks of a photo.
fn png(size: usize, seed: u8) -> Vec<u8> {
    let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    bytes.extend((0..size - 8).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)));
    bytes
}

fn sha(bytes: &[u8]) -> String {
    pvz_server::db::sha256_hex(bytes)
}

/// A defect photo of `item` in `order`, as the counter names it.
fn defect_photo(order: &str, item: &str, bytes: &[u8]) -> OpBody {
    OpBody::DefectPhotoAttached {
        order_id: order_id(order),
        item_id: item_id(item),
        photo_id: format!("photo-{}", &sha(bytes)[..12]),
        sha256: sha(bytes),
        media_type: "image/png".into(),
        size_bytes: bytes.len() as u64,
    }
}

async fn status(t: &TestServer, kiosk: &Kiosk, sha256: &str) -> Reply {
    t.get(&format!("/v1/evidence/{sha256}/upload"), Some(&kiosk.credential)).await
}

/// `PUT` of `part` as the bytes from `first` of a photo of `total` bytes (`None`: no Content-Range).
async fn put(
    t: &TestServer,
    credential: &str,
    sha256: &str,
    part: &[u8],
    range: Option<(u64, u64)>,
    content_type: &str,
) -> Reply {
    let mut req = t
        .client
        .put(t.url(&format!("/v1/evidence/{sha256}")))
        .header(PROTOCOL_HEADER, pvz_protocol::sync::PROTOCOL_VERSION.to_string())
        .header("content-type", content_type)
        .bearer_auth(credential)
        .body(part.to_vec());
    if let Some((first, total)) = range {
        req = req.header("content-range", content_range(first, part.len() as u64, total));
    }
    reply(req.send().await.expect("upload sent")).await
}

/// Sends `bytes` from `from` in parts of the kiosk's size; the last reply, and the bytes sent.
async fn upload_from(t: &TestServer, kiosk: &Kiosk, bytes: &[u8], from: usize) -> (Reply, usize) {
    let (total, mut sent, mut first) = (bytes.len() as u64, 0, from);
    loop {
        let last = (first + UPLOAD_PART_BYTES as usize).min(bytes.len());
        let r =
            put(t, &kiosk.credential, &sha(bytes), &bytes[first..last], Some((first as u64, total)), "image/png").await;
        sent += last - first;
        if last == bytes.len() || r.status != 202 {
            return (r, sent);
        }
        let held: EvidenceUpload = serde_json::from_value(r.body).expect("an EvidenceUpload");
        assert_eq!(held.received, last as u64, "a partial answer says the bytes held so far");
        first = last;
    }
}

fn upload_of(reply: &Reply) -> EvidenceUpload {
    serde_json::from_value(reply.body.clone()).unwrap_or_else(|e| panic!("an EvidenceUpload ({e}): {}", reply.body))
}

/// The bytes and type of `GET /v1/evidence/{sha256}` as `credential` reads them.
async fn read(t: &TestServer, credential: &str, sha256: &str) -> (u16, Option<String>, Vec<u8>) {
    let response =
        t.client.get(t.url(&format!("/v1/evidence/{sha256}"))).bearer_auth(credential).send().await.expect("read sent");
    let status = response.status().as_u16();
    let kind = response.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_owned);
    (status, kind, response.bytes().await.expect("body").to_vec())
}

/// A server with order `o1` at POINT (`o1-1` of seller s-1, `o1-2` of s-2) and a kiosk of POINT
/// that pushed a defect photo of `o1-1`.
async fn photographed(bytes: &[u8]) -> (TestServer, Kiosk) {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", false);
    let kiosk = t.enroll(POINT).await;
    let r = t.push(&kiosk, &[op(1, opened("o1")), op(2, defect_photo("o1", "o1-1", bytes))]).await;
    assert_eq!((r.status, outcome(&r, 1)), (200, "applied".to_owned()), "the photo's op is applied: {}", r.body);
    (t, kiosk)
}

fn count(t: &TestServer, sql: &str, sha256: &str) -> i64 {
    connect(t.dir.path()).query_row(sql, [sha256], |r| r.get(0)).expect("count")
}

#[tokio::test]
async fn a_defect_photo_named_by_a_pushed_op_uploads_in_parts_and_reads_back() {
    let bytes = png(600_000, 1);
    let t = start().await;
    add_order(&t.admin, POINT, "o1", false);
    let kiosk = t.enroll(POINT).await;
    let ops = [op(1, opened("o1")), op(2, defect_photo("o1", "o1-1", &bytes))];
    t.push(&kiosk, &ops).await;
    let again = t.push(&kiosk, &ops).await;
    assert_eq!(outcome(&again, 1), "duplicate", "the retried push is answered from the stored op: {}", again.body);
    let refs = count(&t, "SELECT COUNT(*) FROM evidence_refs WHERE sha256 = ?1", &sha(&bytes));
    assert_eq!(refs, 1, "the op's photo is linked once, however often the push is retried");

    let before = upload_of(&status(&t, &kiosk, &sha(&bytes)).await);
    assert_eq!((before.state, before.received), (EvidenceUploadState::Missing, 0), "nothing held before the upload");
    let (last, sent) = upload_from(&t, &kiosk, &bytes, 0).await;
    assert_eq!(last.status, 201, "the last part completes the photo: {}", last.body);
    assert_eq!(sent, bytes.len(), "every byte sent once");
    let stored = upload_of(&status(&t, &kiosk, &sha(&bytes)).await);
    assert_eq!((stored.state, stored.received), (EvidenceUploadState::Stored, 600_000), "stored whole");

    let (code, kind, back) = read(&t, &kiosk.credential, &sha(&bytes)).await;
    assert_eq!((code, kind.as_deref()), (200, Some("image/png")), "the point's device reads it with its type");
    assert!(back == bytes, "the bytes read back are the bytes uploaded");
    let staged = t.dir.path().join("blobs").join("staging").join(sha(&bytes));
    assert!(!staged.exists() || std::fs::read_dir(&staged).expect("dir").next().is_none(), "no part is left staged");
}

#[tokio::test]
async fn a_cut_upload_resumes_on_another_instance_from_the_offset_the_server_holds() {
    let bytes = png(700_000, 2);
    let (t, kiosk) = photographed(&bytes).await;
    let part = UPLOAD_PART_BYTES as usize;
    let r = put(&t, &kiosk.credential, &sha(&bytes), &bytes[..part], Some((0, 700_000)), "image/png").await;
    assert_eq!(r.status, 202, "the first part is held: {}", r.body);
    // The connection was cut after the second part reached the server but before its answer.
    let r = put(&t, &kiosk.credential, &sha(&bytes), &bytes[part..2 * part], Some((part as u64, 700_000)), "image/png")
        .await;
    assert_eq!(r.status, 202, "the second part is held: {}", r.body);
    let resent =
        put(&t, &kiosk.credential, &sha(&bytes), &bytes[part..2 * part], Some((part as u64, 700_000)), "image/png")
            .await;
    assert_api_error(&resent, 409, "upload_offset_mismatch", "a part the server holds already");

    // The kiosk comes back through another instance sharing the database and the blob store.
    let other = pvz_server::spawn(config(t.dir.path())).await.expect("a second instance starts");
    let second = TestServer { server: other, admin: admin(t.dir.path()), client: reqwest::Client::new(), dir: t.dir };
    let held = upload_of(&status(&second, &kiosk, &sha(&bytes)).await);
    assert_eq!(
        (held.state, held.received),
        (EvidenceUploadState::Partial, 2 * part as u64),
        "the status says the bytes of the parts that arrived"
    );
    let (last, sent) = upload_from(&second, &kiosk, &bytes, held.received as usize).await;
    assert_eq!(last.status, 201, "the rest completes the photo: {}", last.body);
    assert_eq!(sent, 700_000 - 2 * part, "only the bytes the server did not hold are sent again");
    let (code, _, back) = read(&second, &kiosk.credential, &sha(&bytes)).await;
    assert!(code == 200 && back == bytes, "the joined parts are the photo: {code}");
}

#[tokio::test]
async fn a_photo_stored_already_is_a_no_op_and_a_whole_upload_needs_no_range() {
    let bytes = png(50_000, 3);
    let (t, kiosk) = photographed(&bytes).await;
    let first = put(&t, &kiosk.credential, &sha(&bytes), &bytes, None, "image/png").await;
    assert_eq!(first.status, 201, "the whole photo at once is stored: {}", first.body);
    let stored_at = |t: &TestServer| -> String {
        connect(t.dir.path())
            .query_row("SELECT stored_at FROM evidence WHERE sha256 = ?1", [sha(&bytes)], |r| r.get(0))
            .expect("the evidence row")
    };
    let at = stored_at(&t);
    let blob = t.dir.path().join("blobs").join(&sha(&bytes)[..2]).join(sha(&bytes));
    let modified = std::fs::metadata(&blob).expect("the blob file").modified().expect("mtime");

    let again = put(&t, &kiosk.credential, &sha(&bytes), b"anything at all", None, "image/png").await;
    assert_eq!(again.status, 200, "a stored photo again is answered 200: {}", again.body);
    let answer = upload_of(&again);
    assert_eq!((answer.state, answer.received), (EvidenceUploadState::Stored, 50_000), "stored, whole size");
    assert_eq!(stored_at(&t), at, "the evidence row is not rewritten");
    let still = std::fs::metadata(&blob).expect("the blob file").modified().expect("mtime");
    assert_eq!(still, modified, "the blob is not rewritten");
}

#[tokio::test]
async fn oversized_non_image_and_mismatched_uploads_are_refused() {
    let bytes = png(300_000, 4);
    let (t, kiosk) = photographed(&bytes).await;
    let s = sha(&bytes);
    let huge = 20 * 1024 * 1024;
    let r = put(&t, &kiosk.credential, &s, &bytes[..1000], Some((0, huge)), "image/png").await;
    assert_api_error(&r, 413, "payload_too_large", "a 20 MB photo");
    let whole = vec![0x89; huge as usize];
    let r = put(&t, &kiosk.credential, &s, &whole, None, "image/png").await;
    assert_api_error(&r, 413, "payload_too_large", "20 MB sent whole");
    let big_part = png(1024 * 1024 + 1, 4);
    let r = put(&t, &kiosk.credential, &s, &big_part, Some((0, 3 * 1024 * 1024)), "image/png").await;
    assert_api_error(&r, 413, "payload_too_large", "a part over 1 MiB");

    let pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\n".to_vec();
    let r = put(&t, &kiosk.credential, &s, &pdf, None, "application/pdf").await;
    assert_api_error(&r, 400, "bad_request", "a PDF");
    assert!(r.body["message"].as_str().unwrap_or("").contains("image/jpeg"), "the message says what a photo is");
    let r = put(&t, &kiosk.credential, &s, &pdf, Some((0, 300_000)), "image/png").await;
    assert_api_error(&r, 400, "bad_request", "PDF bytes declared as a PNG");
    let held = upload_of(&status(&t, &kiosk, &s).await);
    assert_eq!(held.state, EvidenceUploadState::Missing, "nothing of a refused first part is held");

    // Every part arrives, but the bytes are not the photo the op named.
    let mut wrong = bytes.clone();
    wrong[299_999] ^= 0xFF;
    let r = put(&t, &kiosk.credential, &s, &wrong[..200_000], Some((0, 300_000)), "image/png").await;
    assert_eq!(r.status, 202, "the first part is held: {}", r.body);
    let r = put(&t, &kiosk.credential, &s, &wrong[200_000..], Some((200_000, 300_000)), "image/png").await;
    assert_api_error(&r, 422, "evidence_hash_mismatch", "bytes that do not hash to the sha256");
    let held = upload_of(&status(&t, &kiosk, &s).await);
    assert_eq!((held.state, held.received), (EvidenceUploadState::Missing, 0), "the parts are dropped");
    let staged = t.dir.path().join("blobs").join("staging").join(&s);
    assert!(!staged.exists() || std::fs::read_dir(&staged).expect("dir").next().is_none(), "no part is left staged");
    let (last, _) = upload_from(&t, &kiosk, &bytes, 0).await;
    assert_eq!(last.status, 201, "the right bytes start again and are stored: {}", last.body);
}

#[tokio::test]
async fn a_photo_no_op_of_the_point_names_is_unknown() {
    let bytes = png(10_000, 5);
    let (t, kiosk) = photographed(&bytes).await;
    let stranger = png(10_000, 6);
    let r = status(&t, &kiosk, &sha(&stranger)).await;
    assert_api_error(&r, 404, "evidence_unknown", "the status of a hash no op names");
    let r = put(&t, &kiosk.credential, &sha(&stranger), &stranger, None, "image/png").await;
    assert_api_error(&r, 404, "evidence_unknown", "an upload of a hash no op names");
    let other = t.enroll(OTHER_POINT).await;
    let r = status(&t, &other, &sha(&bytes)).await;
    assert_api_error(&r, 404, "evidence_unknown", "another point's device asking about this point's photo");
    let r = put(&t, &other.credential, &sha(&bytes), &bytes, None, "image/png").await;
    assert_api_error(&r, 404, "evidence_unknown", "another point's device uploading this point's photo");
    let r = put(&t, &kiosk.credential, "not-a-hash", &bytes, None, "image/png").await;
    assert_api_error(&r, 404, "evidence_unknown", "a path that is no sha256");
}

#[tokio::test]
async fn the_photos_of_a_rejected_op_are_accepted_too() {
    let bytes = png(20_000, 7);
    let t = start().await;
    let kiosk = t.enroll(POINT).await;
    let r = t.push(&kiosk, &[op(1, defect_photo("nowhere", "nowhere-1", &bytes))]).await;
    assert_eq!(outcome(&r, 0), "rejected", "a photo of an order the server does not have is rejected: {}", r.body);
    let r = put(&t, &kiosk.credential, &sha(&bytes), &bytes, None, "image/png").await;
    assert_eq!(r.status, 201, "the rejected op's photo is stored all the same: {}", r.body);
    let operator = t.admin.issue_party_credential(PartyKind::Operator, "olga").expect("operator");
    let (code, _, back) = read(&t, &operator, &sha(&bytes)).await;
    assert!(code == 200 && back == bytes, "the operator reads it: {code}");
}

#[tokio::test]
async fn only_the_point_the_items_seller_and_operators_see_a_photo() {
    let bytes = png(30_000, 8);
    let (t, kiosk) = photographed(&bytes).await;
    let s = sha(&bytes);
    let (code, _, _) = read(&t, &kiosk.credential, &s).await;
    assert_eq!(code, 404, "a photo not uploaded yet is not found, even by its point");
    assert_eq!(put(&t, &kiosk.credential, &s, &bytes, None, "image/png").await.status, 201, "uploaded");

    t.admin.mark_order_issued("o1").expect("issued");
    let claim = t.admin.open_claim("o1", "o1-1", "шов разошёлся").expect("claim").claim_id.to_string();
    let seller = t.admin.issue_seller_credential("s-1").expect("the item's seller");
    let other_seller = t.admin.issue_seller_credential("s-2").expect("another seller");
    let front = t.admin.issue_party_credential(PartyKind::BuyerFront, "front").expect("buyer front");
    let operator = t.admin.issue_party_credential(PartyKind::Operator, "olga").expect("operator");
    let other_device = t.enroll(OTHER_POINT).await;
    for (who, credential, expected) in [
        ("the point's device", &kiosk.credential, 200),
        ("the item's seller", &seller, 200),
        ("an operator", &operator, 200),
        ("another seller", &other_seller, 404),
        ("another point's device", &other_device.credential, 404),
        ("the buyer front", &front, 404),
    ] {
        let (code, _, back) = read(&t, credential, &s).await;
        assert_eq!(code, expected, "{who} reading the photo");
        if code == 200 {
            assert!(back == bytes, "{who} reads the bytes uploaded");
        }
    }

    let path = format!("/v1/claims/{claim}/evidence");
    for (who, credential) in [("the claim's seller", &seller), ("an operator", &operator)] {
        let r = t.get(&path, Some(credential)).await;
        assert_eq!(r.status, 200, "{who} lists the claim's photos: {}", r.body);
        let photos: Vec<EvidencePhoto> = serde_json::from_value(r.body).expect("photos");
        assert_eq!(photos.len(), 1, "{who}: the counter's photo of the claim's item");
        assert_eq!(
            (photos[0].sha256.as_str(), photos[0].item_id.as_str(), photos[0].uploaded, photos[0].size_bytes),
            (s.as_str(), "o1-1", true, 30_000),
            "{who}: the photo, its item, uploaded, its size"
        );
        assert_eq!(photos[0].kind, pvz_protocol::evidence::EvidenceKind::DefectRefusal, "{who}: why it was taken");
    }
    for (who, credential) in [("another seller", &other_seller), ("the buyer front", &front)] {
        let r = t.get(&path, Some(credential)).await;
        assert_eq!(r.status, 404, "{who} is told the claim does not exist: {}", r.body);
    }
}

#[tokio::test]
async fn the_demo_claim_with_photos_opens_for_its_seller_with_the_counters_and_the_buyers_photos() {
    let dir = tempfile::tempdir().expect("temp data dir");
    let demo = admin(dir.path()).seed_demo().expect("the demo seeds");
    let claim = demo.claims.iter().find(|c| c.claim_id == "clm-demo-photos").expect("the claim with photos");
    assert_eq!(
        (claim.decided_by.as_str(), claim.decision.as_str()),
        ("seller", "under_review"),
        "it waits for its seller's decision"
    );
    let server = pvz_server::spawn(config(dir.path())).await.expect("server");
    let t = TestServer { server, admin: admin(dir.path()), client: reqwest::Client::new(), dir };
    let seller = t.admin.issue_seller_credential("seller-modnitsa").expect("the jeans' seller");
    let r = t.get("/v1/claims/clm-demo-photos/evidence", Some(&seller)).await;
    assert_eq!(r.status, 200, "the seller lists the claim's counter photos: {}", r.body);
    let photos: Vec<EvidencePhoto> = serde_json::from_value(r.body).expect("photos");
    assert_eq!(photos.len(), 1, "the counter's photo of the jeans");
    assert!(photos[0].uploaded, "already on the server");
    let (code, kind, bytes) = read(&t, &seller, &photos[0].sha256).await;
    assert_eq!((code, kind.as_deref()), (200, Some("image/png")), "the seller opens it");
    assert_eq!(sha(&bytes), photos[0].sha256, "the bytes are the photo");
    let thread = t.get("/v1/claims/clm-demo-photos/messages", Some(&seller)).await;
    let attached: usize = thread.body["messages"]
        .as_array()
        .map_or(0, |m| m.iter().map(|m| m["attachments"].as_array().map_or(0, Vec::len)).sum());
    assert_eq!(attached, 2, "the buyer's two photos are in the conversation: {}", thread.body);
    let case = t.get("/v1/claims/clm-demo-photos/case", Some(&seller)).await;
    let kinds: Vec<&str> =
        case.body["counter_events"].as_array().into_iter().flatten().filter_map(|e| e["kind"].as_str()).collect();
    assert_eq!(kinds, ["issued"], "the claim page says when the jeans were issued: {}", case.body);
}

#[tokio::test]
async fn retention_keeps_a_photos_bytes_that_an_unsent_attachment_shares() {
    let bytes = png(15_000, 9);
    let (t, kiosk) = photographed(&bytes).await;
    assert_eq!(put(&t, &kiosk.credential, &sha(&bytes), &bytes, None, "image/png").await.status, 201, "uploaded");
    // The buyer front uploads the same bytes and never sends them: an attachment retention purges.
    let front = t.admin.issue_party_credential(PartyKind::BuyerFront, "front").expect("buyer front");
    let req = t.client.post(t.url("/v1/attachments")).header("content-type", "image/png").bearer_auth(&front);
    let r = reply(req.body(bytes.clone()).send().await.expect("sent")).await;
    assert_eq!(r.status, 201, "the same bytes as an attachment: {}", r.body);
    t.admin.purge_personal_data(0).expect("purge everything purgeable");
    let operator = t.admin.issue_party_credential(PartyKind::Operator, "olga").expect("operator");
    let (code, _, back) = read(&t, &operator, &sha(&bytes)).await;
    assert!(code == 200 && back == bytes, "the photo's bytes survive the purge: {code}");
}
