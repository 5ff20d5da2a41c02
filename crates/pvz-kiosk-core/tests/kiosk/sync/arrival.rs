//! The counter and the real server agree on when an order may be issued: an order expected in a
//! shipment is refused at the counter; received and issued at the counter before any sync (as
//! offline), its two ops reach the server receiving first, so the issue applies and posts its money.
//! An order whose only item was recorded missing at receiving is refused as such until the network
//! marks it arrived; after a sync it is issued and the server applies the issue. A missing part a
//! seller sends after a claim comes in a shipment of its own, and is issued once that is received.

use crate::support::network::*;
use pvz_domain::{ClaimState, Compensation, Kopecks};
use pvz_kiosk_core::sync;
use pvz_kiosk_core::{ErrorKind, FoundItemStatus};
use pvz_protocol::SellerDecision;
use pvz_server::admin::parse_cells;
use pvz_server::db::orders::OrderState;
use pvz_server::rules::Posting;

#[tokio::test]
async fn an_order_received_and_issued_before_a_sync_is_applied_after_its_receiving() {
    let net = Network::start().await;
    let admin = net.admin();
    admin.set_cells(POINT, &parse_cells(&["A-01..A-02:4".into()]).expect("cells")).expect("cells set");
    // Order 700001 (one dress, 1 500 ₽ paid at the counter) comes in shipment SHPARR.
    let mut expected = order(1, 150_000);
    expected.items[0].barcode = Some("ARR-0001".into());
    admin.add_shipment(POINT, Some("shp-arr"), "SHPARR", None, &[expected]).expect("shipment announced");
    let kiosk = net.enrolled_kiosk().await;
    let first = sync::sync_until_idle(&kiosk, &fast()).await.expect("the first pull");
    assert_eq!(first.rejected, 0, "nothing rejected on the first pull: {first:?}");

    match kiosk.scan("700001") {
        Err(e) => assert_eq!(e.kind(), ErrorKind::OrderNotArrived, "refused as not arrived: {e}"),
        Ok(v) => panic!("an order expected in a shipment must not open, got {v:?}"),
    }

    // No sync from here until both ops are in the outbox, as at a counter offline.
    kiosk.scan("SHPARR").expect("receiving opens");
    let proposal = kiosk.scan("ARR-0001").expect("the dress matches").view.receiving.and_then(|r| r.pending);
    let cell = proposal.expect("a cell is proposed").proposed_cell;
    kiosk.scan(&format!("PVZL1:{cell}")).expect("placed");
    kiosk.close_receiving().expect("receiving closes");
    let op_id = issue(&kiosk, 1, 150_000);

    let report = sync::sync_until_idle(&kiosk, &fast()).await.expect("the sync after the counter's work");
    assert_eq!(report.rejected, 0, "the server rejects neither op: {:?}", kiosk.sync_status());
    let written = kiosk.outbox().expect("outbox").len();
    assert_eq!(report.applied, written, "every op applies, the receiving and the issue among them: {report:?}");
    let row = net.admin().item("itm-sync-1-1").expect("read").expect("the server knows the item");
    assert_eq!(row.order_state, OrderState::Issued, "the server issued the order");
    let postings = net.admin().ledger_for_op(&op_id).expect("postings");
    assert!(
        postings.contains(&Posting { account: "seller:seller-1".into(), amount: Kopecks(150_000) }),
        "the dress is paid to its seller: {postings:?}"
    );
}

#[tokio::test]
async fn an_order_recorded_missing_is_issued_after_the_network_marks_it_arrived() {
    let net = Network::start().await;
    let admin = net.admin();
    admin.set_cells(POINT, &parse_cells(&["A-01..A-02:4".into()]).expect("cells")).expect("cells set");
    // Order 700002 (one dress, 1 200 ₽ paid at the counter) comes in shipment SHPMIS.
    admin.add_shipment(POINT, Some("shp-mis"), "SHPMIS", None, &[order(2, 120_000)]).expect("shipment announced");
    let kiosk = net.enrolled_kiosk().await;
    sync::sync_until_idle(&kiosk, &fast()).await.expect("the first pull");

    // Receiving closes before the dress is scanned: it is recorded missing.
    kiosk.scan("SHPMIS").expect("receiving opens");
    kiosk.close_receiving().expect("receiving closes with the dress missing");
    let report = sync::sync_until_idle(&kiosk, &fast()).await.expect("the receiving reaches the server");
    assert_eq!(report.rejected, 0, "the receiving applies: {:?}", kiosk.sync_status());
    match kiosk.scan("700002") {
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::OrderNotArrived, "refused as not arrived: {e}");
            assert_eq!(e.detail().as_deref(), Some("recorded_missing"), "the refusal says it was recorded missing");
        }
        Ok(v) => panic!("an order whose only item was missing must not open, got {v:?}"),
    }

    // The dress turns up; the network marks the order arrived (`pvz-server order-arrived`).
    admin.set_order_arrived("ord-sync-2", "2026-12-02T09:30:00.000Z").expect("marked arrived");
    sync::sync_until_idle(&kiosk, &fast()).await.expect("the pull brings the arrival");
    let op_id = issue(&kiosk, 2, 120_000);
    let report = sync::sync_until_idle(&kiosk, &fast()).await.expect("the issue reaches the server");
    assert_eq!(report.rejected, 0, "the server rejects nothing: {:?}", kiosk.sync_status());
    let row = admin.item("itm-sync-2-1").expect("read").expect("the server knows the item");
    assert_eq!(row.order_state, OrderState::Issued, "the server issued the order");
    let postings = admin.ledger_for_op(&op_id).expect("postings");
    assert!(
        postings.contains(&Posting { account: "seller:seller-1".into(), amount: Kopecks(120_000) }),
        "the dress is paid to its seller: {postings:?}"
    );
}

#[tokio::test]
async fn a_missing_part_comes_in_its_own_shipment_and_is_issued_once_received() {
    let net = Network::start().await;
    let admin = net.admin();
    admin.set_cells(POINT, &parse_cells(&["A-01..A-02:4".into()]).expect("cells")).expect("cells set");
    admin.add_order(POINT, &order(3, 150_000)).expect("order added");
    let kiosk = net.enrolled_kiosk().await;
    sync::sync_until_idle(&kiosk, &fast()).await.expect("the first pull");
    issue(&kiosk, 3, 150_000);
    sync::sync_until_idle(&kiosk, &fast()).await.expect("the issue reaches the server");

    // The buyer found a button missing; the seller sends the part to the same point.
    let claim = admin.open_claim("ord-sync-3", "itm-sync-3-1", "нет пуговицы").expect("open").claim_id.to_string();
    let part = Compensation::MissingPart { part: "Пуговица 25 мм".into() };
    let decided = admin.decide_claim(&claim, &SellerDecision::Approve { compensation: part }).expect("approved");
    let part_order = decided.part_order_id.expect("the part is delivered as an order").to_string();
    let shipments = admin.shipments(POINT).expect("the point's shipments");
    let shipment = shipments
        .iter()
        .find(|s| s.items.iter().any(|i| i.order_id.as_str() == part_order))
        .unwrap_or_else(|| panic!("the part comes in a shipment of its own: {shipments:?}"));
    let part_item = shipment.items[0].item_id.to_string();
    let label = format!("{}-1", shipment.code);
    sync::sync_until_idle(&kiosk, &fast()).await.expect("the pull brings the part order and its shipment");

    kiosk
        .dismiss_receipt()
        .expect("the last issue's receipt is set aside: a found item shows in front of nothing else");
    let found =
        kiosk.find_item(&part_item).expect("the part is looked up").screen.found_item().cloned().expect("found");
    assert!(
        matches!(&found.status, FoundItemStatus::Expected { shipment_id: Some(s) } if *s == shipment.id),
        "the part is on its way in its shipment, not on the shelf: {:?}",
        found.status
    );
    let short = found.short_code.expect("the part order's short code");
    kiosk.dismiss_found_item().expect("back to the counter");
    match kiosk.scan(&short) {
        Err(e) => assert_eq!(e.kind(), ErrorKind::OrderNotArrived, "the part cannot be issued before it comes: {e}"),
        Ok(v) => panic!("a part still on its way must not open, got {v:?}"),
    }

    kiosk.scan(&shipment.code).expect("the part's shipment is received by its label code");
    // The part has no product barcode: its label carries the shipment's code and its number.
    let proposal = kiosk.scan(&label).expect("the part's label matches").view.receiving.and_then(|r| r.pending);
    let cell = proposal.expect("a cell is proposed").proposed_cell;
    kiosk.scan(&format!("PVZL1:{cell}")).expect("placed");
    kiosk.close_receiving().expect("receiving closes");
    let card =
        kiosk.scan(&short).expect("received: the part order opens").view.screen.order().cloned().expect("its card");
    kiosk.hand_over_rest(&card.order_id).expect("the part handed over");
    kiosk.confirm_issue(&card.order_id, Kopecks(0), false).expect("prepaid: nothing to take");
    let report = sync::sync_until_idle(&kiosk, &fast()).await.expect("the receiving and the issue reach the server");
    assert_eq!(report.rejected, 0, "the server rejects nothing: {:?}", kiosk.sync_status());
    let status = admin.claim_status(&claim).expect("the claim");
    assert_eq!(status.state, ClaimState::Fulfilled, "handing the part over fulfils the claim");
}
