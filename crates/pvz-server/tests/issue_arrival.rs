//! An order is issued only once its goods are at the point: an `IssueCompleted` for an order still
//! expected in a shipment is rejected `order_not_arrived` and posts no sale (cash the counter says it
//! took is held at the point, as for any rejected issue); pushed after the shipment's receiving in
//! the same batch, as an offline kiosk sends them, it applies. An order whose every item was
//! missing at receiving has not arrived either.

mod common;

use common::*;
use pvz_domain::Kopecks;
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
