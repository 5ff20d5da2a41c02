//! `pvz-server order-arrived` on the real binary: an order whose only item was recorded missing at
//! receiving cannot be issued and no second receiving can bring it; once its goods turn up, the
//! command marks it arrived, the point's kiosks pull the arrival time with the order, and the
//! server applies an issue of it; with `--cell` its items are in that cell of the point. An unknown
//! order, a time that is not RFC 3339, an order already arrived or gone, or a cell the point lacks
//! change nothing.

use crate::common::*;
use pvz_domain::Kopecks;
use pvz_protocol::OpBody;
use pvz_server::rules::Posting;

#[tokio::test]
async fn an_order_recorded_missing_is_issued_once_the_command_marks_it_arrived() {
    let t = start().await;
    let orders = [expected_order("in1", "111111", 1), expected_order("in2", "222222", 1)];
    t.admin.add_shipment(POINT, Some("shp-1"), "SHP1", None, &orders).expect("shipment added");
    let kiosk = t.enroll(POINT).await;

    // The receiving closed before the parcels were scanned: each order's only item is recorded missing.
    let received = OpBody::ShipmentReceived {
        shipment_id: "shp-1".into(),
        placed: vec![],
        missing: vec![item_id("in1-1"), item_id("in2-1")],
        unexpected: vec![],
        damaged: vec![],
    };
    let early = [op(1, received), op(2, completed("in1", &["in1-1"], vec![], 100_000, 0))];
    let reply = t.push(&kiosk, &early).await;
    assert_eq!(outcome(&reply, 0), "applied", "the receiving applies: {}", reply.body);
    assert_eq!(reject_code(&reply, 1), "order_not_arrived", "nothing of in1 arrived: {}", reply.body);
    let again = t.push(&kiosk, &[op(3, early[0].body.clone())]).await;
    assert_ne!(outcome(&again, 0), "applied", "a second receiving of the shipment is not accepted: {}", again.body);
    let page = t.pull(&kiosk, &[]).await;
    let order = pulled_order(&page, "in1").expect("the feed carries in1");
    assert!(order["arrived_at"].is_null(), "in1 has not arrived: {order}");
    let cursor = page.body["cursor"].as_str().expect("a cursor").to_owned();

    for (args, what) in [
        (vec!["order-arrived", "no-such-order"], "an unknown order"),
        (vec!["order-arrived", "in1", "--at", "вчера"], "a time that is not RFC 3339"),
    ] {
        let refused = pvz_server(t.dir.path(), &args);
        assert!(!refused.ok, "{what} is refused: {}", refused.stdout);
        assert!(!refused.stderr.is_empty(), "{what} is refused with a reason on stderr");
    }
    let unchanged = t.pull(&kiosk, &[("cursor", &cursor)]).await;
    assert!(pulled_order(&unchanged, "in1").is_none(), "a refused command sends nothing: {}", unchanged.body);

    let at = "2026-12-02T09:30:00.000Z";
    let run = pvz_server(t.dir.path(), &["order-arrived", "in1", "--at", at]);
    assert!(run.ok, "order-arrived succeeds: {}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 1, "one line of confirmation: {}", run.stdout);
    assert!(run.stdout.contains("in1") && run.stdout.contains(at), "it names the order and time: {}", run.stdout);

    let later = t.pull(&kiosk, &[("cursor", &cursor)]).await;
    let order = pulled_order(&later, "in1").expect("the kiosks pull in1 again after the command");
    assert_eq!(order["arrived_at"], at, "with its arrival time: {order}");
    let twice = pvz_server(t.dir.path(), &["order-arrived", "in1"]);
    assert!(!twice.ok, "an order that arrived already is refused: its storage period must not move");
    assert!(twice.stderr.contains("arrived already"), "and says why: {}", twice.stderr);

    let issue = op(4, completed("in1", &["in1-1"], vec![], 100_000, 0));
    let reply = t.push(&kiosk, std::slice::from_ref(&issue)).await;
    assert_eq!(outcome(&reply, 0), "applied", "arrived now: the issue applies: {}", reply.body);
    let gone = pvz_server(t.dir.path(), &["order-arrived", "in1"]);
    assert!(!gone.ok && gone.stderr.contains("no longer waiting"), "an issued order is refused: {}", gone.stderr);
    let sale = t.admin.ledger_for_op(&issue.op_id.to_string()).expect("postings");
    assert!(
        sale.contains(&Posting { account: "seller:s-1".into(), amount: Kopecks(100_000) }),
        "the sale is posted: {sale:?}"
    );

    // The goods were put in a cell: the counter's card is to say which one.
    let cells = pvz_server::admin::parse_cells(&["A-01..A-03:6".to_owned()]).expect("cells");
    t.admin.set_cells(POINT, &cells).expect("the point's cells");
    let nowhere = pvz_server(t.dir.path(), &["order-arrived", "in2", "--cell", "B-09"]);
    assert!(!nowhere.ok && nowhere.stderr.contains("no cell B-09"), "a cell the point lacks: {}", nowhere.stderr);
    let before = chrono::Utc::now() - chrono::Duration::seconds(1);
    let now = pvz_server(t.dir.path(), &["order-arrived", "in2", "--cell", "a-2"]);
    assert!(now.ok, "order-arrived without --at succeeds: {}", now.stderr);
    let cursor = later.body["cursor"].as_str().expect("a cursor").to_owned();
    let page = t.pull(&kiosk, &[("cursor", &cursor)]).await;
    let order = pulled_order(&page, "in2").expect("the kiosks pull in2 after the command");
    let arrived = order["arrived_at"].as_str().expect("in2 has an arrival time");
    let arrived = chrono::DateTime::parse_from_rfc3339(arrived).expect("an RFC 3339 time");
    assert!(arrived >= before, "without --at the arrival is now: {arrived} (run after {before})");
    assert_eq!(order["items"][0]["cell"], "A-02", "its item is in the cell given, canonical: {order}");
}
