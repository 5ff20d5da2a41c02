//! An order is issued only once its goods are at the point: an `IssueCompleted` for an order still
//! expected in a shipment is rejected `order_not_arrived` and posts no sale (cash the counter says it
//! took is held at the point, as for any rejected issue); pushed after the shipment's receiving in
//! the same batch, as an offline kiosk sends them, it applies. An order whose every item was
//! missing at receiving has not arrived either.

use crate::common::*;
use pvz_domain::Kopecks;
use pvz_protocol::OpBody;
use pvz_server::rules::Posting;

/// Shipment `shp-1` (code SHP1) at POINT with `in1` (2 items, 1 000 ₽ each, paid at the counter)
/// and `in2` (1 item, prepaid).
fn add_shipment(t: &TestServer) {
    let mut prepaid = expected_order("in2", "222222", 1);
    prepaid.items[0].prepaid = true;
    let orders = [expected_order("in1", "111111", 2), prepaid];
    t.admin.add_shipment(POINT, Some("shp-1"), "SHP1", None, &orders).expect("shipment added");
}

fn is_sale(p: &Posting) -> bool {
    p.account.starts_with("buyer:") || p.account.starts_with("seller:") || p.account == "network:fees"
}

#[tokio::test]
async fn an_issue_of_an_order_not_arrived_is_rejected_without_a_sale_and_applies_after_receiving() {
    let t = start().await;
    add_shipment(&t);
    let kiosk = t.enroll(POINT).await;

    let early = [
        op(1, completed("in1", &["in1-1", "in1-2"], vec![], 200_000, 0)),
        op(2, completed("in2", &["in2-1"], vec![], 0, 0)),
    ];
    let reply = t.push(&kiosk, &early).await;
    assert_eq!(reply.status, 200, "the push succeeds: {}", reply.body);
    for (i, order) in ["in1", "in2"].iter().enumerate() {
        assert_eq!(reject_code(&reply, i), "order_not_arrived", "{order} is still expected: {}", reply.body);
        let message = reply.body["results"][i]["outcome"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(order), "the rejection names {order}: {message}");
    }
    let held = t.admin.ledger_for_op(&early[0].op_id.to_string()).expect("postings");
    assert!(!held.iter().any(is_sale), "no sale is posted for goods not at the point: {held:?}");
    assert_eq!(
        held,
        [
            Posting { account: "point_cash:pp-a".into(), amount: Kopecks(200_000) },
            Posting { account: "network:unreconciled".into(), amount: Kopecks(-200_000) },
        ],
        "the cash the counter says it took is only held at the point, awaiting reconciliation"
    );
    let nothing = t.admin.ledger_for_op(&early[1].op_id.to_string()).expect("postings");
    assert!(nothing.is_empty(), "a prepaid issue with nothing taken posts nothing at all: {nothing:?}");
    let item = t.admin.item("in1-1").expect("read").expect("the item exists");
    assert_eq!(item.order_state, pvz_server::db::orders::OrderState::Ready, "the order still waits to be issued");

    // An offline kiosk's outbox: the receiving (in1 placed, in2's item missing), then the issues.
    let received = pvz_protocol::OpBody::ShipmentReceived {
        shipment_id: "shp-1".into(),
        placed: vec![placed("in1", "in1-1", "A-01"), placed("in1", "in1-2", "A-01")],
        missing: vec![item_id("in2-1")],
        unexpected: vec![],
        damaged: vec![],
    };
    let later = [
        op(3, received),
        op(4, completed("in1", &["in1-1", "in1-2"], vec![], 200_000, 0)),
        op(5, completed("in2", &["in2-1"], vec![], 0, 0)),
    ];
    let reply = t.push(&kiosk, &later).await;
    assert_eq!(outcome(&reply, 0), "applied", "the receiving applies: {}", reply.body);
    assert_eq!(outcome(&reply, 1), "applied", "in1 arrived with it, ahead of its issue: {}", reply.body);
    assert_eq!(reject_code(&reply, 2), "order_not_arrived", "in2's only item was missing: {}", reply.body);
    let sale = t.admin.ledger_for_op(&later[1].op_id.to_string()).expect("postings");
    assert!(
        sale.contains(&Posting { account: "seller:s-1".into(), amount: Kopecks(200_000) }),
        "the arrived order's sale is posted: {sale:?}"
    );
    let report = t.admin.ledger_check().expect("ledger check");
    assert!(report.is_ok(), "the ledger balances: {report:?}");
    t.server.shutdown().await;
}

/// `completed` with some items left out as not arrived.
fn completed_without(order: &str, handed: &[&str], not_arrived: &[&str], collected: i64, refunded: i64) -> OpBody {
    let mut body = completed(order, handed, vec![], collected, refunded);
    if let OpBody::IssueCompleted { not_arrived: left_out, .. } = &mut body {
        *left_out = not_arrived.iter().map(|i| item_id(i)).collect();
    }
    body
}

#[tokio::test]
async fn an_item_missing_at_receiving_is_left_out_of_its_issue_unpaid_and_cannot_be_claimed_unless_found() {
    let t = start().await;
    add_shipment(&t);
    let kiosk = t.enroll(POINT).await;
    let received = OpBody::ShipmentReceived {
        shipment_id: "shp-1".into(),
        placed: vec![placed("in1", "in1-1", "A-01"), placed("in2", "in2-1", "A-02")],
        missing: vec![item_id("in1-2")],
        unexpected: vec![],
        damaged: vec![],
    };
    let ops = [
        op(1, received),
        // in2's item was placed: the counter cannot say it never came and refund it.
        op(2, completed_without("in2", &[], &["in2-1"], 0, 100_000)),
        op(3, completed_without("in1", &["in1-1"], &["in1-2"], 100_000, 0)),
    ];
    let reply = t.push(&kiosk, &ops).await;
    assert_eq!(outcome(&reply, 0), "applied", "the receiving applies: {}", reply.body);
    assert_eq!(reject_code(&reply, 1), "item_not_missing", "a placed item is at the point: {}", reply.body);
    let nothing = t.admin.ledger_for_op(&ops[1].op_id.to_string()).expect("postings");
    assert!(nothing.is_empty(), "no refund is paid for goods on the shelf: {nothing:?}");
    assert_eq!(outcome(&reply, 2), "applied", "in1 is issued without its missing item: {}", reply.body);
    let sale = t.admin.ledger_for_op(&ops[2].op_id.to_string()).expect("postings");
    assert_eq!(
        sale,
        [
            Posting { account: "buyer:buyer-in1".into(), amount: Kopecks(-100_000) },
            Posting { account: "seller:s-1".into(), amount: Kopecks(100_000) },
        ],
        "only the item handed over is paid for, and no fee is charged for the one that never came"
    );
    let err = t.admin.open_claim("in1", "in1-2", "не привезли").expect_err("nothing was handed over to claim");
    assert!(err.to_string().contains("never reached the point"), "the refusal says why: {err}");
    t.admin.open_claim("in1", "in1-1", "молния сломалась").expect("the item handed over can be claimed");

    // An order with every item missing, found later and marked arrived by the network: its item is
    // at the point now, so the counter cannot leave it out and refund it.
    t.admin.add_shipment(POINT, Some("shp-2"), "SHP2", None, &[expected_order("in3", "333333", 1)]).expect("shipment");
    let lost = OpBody::ShipmentReceived {
        shipment_id: "shp-2".into(),
        placed: vec![],
        missing: vec![item_id("in3-1")],
        unexpected: vec![],
        damaged: vec![],
    };
    let reply = t.push(&kiosk, &[op(4, lost)]).await;
    assert_eq!(outcome(&reply, 0), "applied", "the second receiving applies: {}", reply.body);
    t.admin.mark_found_order_arrived("in3", "2026-12-02T09:00:00.000Z", Some("A-01")).expect("found");
    let left_out = [op(5, completed_without("in3", &[], &["in3-1"], 0, 0))];
    let reply = t.push(&kiosk, &left_out).await;
    assert_eq!(reject_code(&reply, 0), "item_not_missing", "a found order's item is at the point: {}", reply.body);
    let report = t.admin.ledger_check().expect("ledger check");
    assert!(report.is_ok(), "the ledger balances: {report:?}");
    t.server.shutdown().await;
}
