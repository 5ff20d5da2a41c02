//! Receiving (приёмка): an expected shipment reaches its point's kiosks with its orders (not arrived,
//! in no cell); receiving it places items into cells (canonical labels) and stamps their orders'
//! arrival, both back in the feed, records missing, unexpected and damaged items as discrepancies
//! with the op id, and marks the shipment received. It is received once, only at its point, and only
//! with its own items. A damaged item is at the point too: its order arrives, and can leave the shelf.

use crate::common::*;
use pvz_domain::{ItemId, OrderId};
use pvz_protocol::{DamagedItem, OpBody, PhotoRef, PlacedItem};
use serde_json::Value;

/// Shipment `shp-1` (code SHP1) at POINT with `in1` (2 items) and `in2` (1 item).
fn add_shipment(t: &TestServer) {
    let orders = [expected_order("in1", "111111", 2), expected_order("in2", "222222", 1)];
    let added = t.admin.add_shipment(POINT, Some("shp-1"), "SHP1", None, &orders).expect("shipment");
    assert_eq!(added.shipment_id, "shp-1", "the chosen id is kept");
}

fn received(shipment: &str, placed: Vec<PlacedItem>, missing: &[&str], unexpected: &[&str]) -> OpBody {
    OpBody::ShipmentReceived {
        shipment_id: shipment.into(),
        placed,
        missing: missing.iter().map(|i| item_id(i)).collect(),
        unexpected: unexpected.iter().map(|c| (*c).to_owned()).collect(),
        damaged: vec![],
    }
}

fn change<'a>(page: &'a Reply, kind: &str, key: &str, id: &str) -> Option<&'a Value> {
    page.body["changes"].as_array()?.iter().find(|c| c["type"] == kind && c[key] == id)
}

fn cells(order: &Value) -> Vec<String> {
    order["items"]
        .as_array()
        .map(|i| i.iter().map(|i| i["cell"].as_str().unwrap_or("?").to_owned()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_shipment_reaches_the_feed_before_its_orders() {
    let t = start().await;
    add_shipment(&t);
    let kiosk = t.enroll(POINT).await;
    // The point's fee policy is the feed's first row; the next one is the shipment's.
    let first = t.pull(&kiosk, &[("limit", "2")]).await;
    let kinds: Vec<&str> = first.body["changes"]
        .as_array()
        .map(|c| c.iter().map(|c| c["type"].as_str().unwrap_or("")).filter(|k| !k.starts_with("set_")).collect())
        .unwrap_or_default();
    assert_eq!(
        kinds,
        ["upsert_shipment"],
        "a pull that stops after one row has the shipment, not one of its orders: a kiosk knowing the \
         order but not its shipment would take it for one that is already on the shelf"
    );
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_shipment_received_with_one_item_missing_records_it_and_the_placed_cells_reach_the_feed() {
    let t = start().await;
    add_shipment(&t);
    let kiosk = t.enroll(POINT).await;
    let first = t.pull(&kiosk, &[]).await;
    let shipment = change(&first, "upsert_shipment", "shipment_id", "shp-1").expect("the shipment is in the feed");
    assert_eq!(shipment["code"], "SHP1", "with the code on its label");
    assert_eq!(shipment["received"], false, "expected, not received");
    assert_eq!(shipment["items"].as_array().map(Vec::len), Some(3), "listing all three items: {shipment}");
    let in1 = change(&first, "upsert_order", "order_id", "in1").expect("its orders are in the feed");
    assert!(in1.get("arrived_at").is_none(), "an expected order has not arrived: {in1}");
    assert_eq!(cells(in1), ["", ""], "and its items are in no cell yet");

    let cursor = first.body["cursor"].as_str().unwrap_or("").to_owned();
    let op = pvz_protocol::sync::PushOp {
        created_at: "2026-12-01T13:00:00+03:00".into(),
        operator: Some(pvz_domain::EmployeeId::parse("mgr-anna").expect("id")),
        ..op(
            1,
            received(
                "shp-1",
                vec![placed("in1", "in1-1", "a-1"), placed("in1", "in1-2", "A-01")],
                &["in2-1"],
                &["4600000000008"],
            ),
        )
    };
    let reply = t.push(&kiosk, std::slice::from_ref(&op)).await;
    assert_eq!(outcome(&reply, 0), "applied", "the receiving applies: {}", reply.body);

    let later = t.pull(&kiosk, &[("cursor", &cursor)]).await;
    let in1 = change(&later, "upsert_order", "order_id", "in1").expect("the placed order comes again");
    assert_eq!(cells(in1), ["A-01", "A-01"], "with its items' cells in canonical form");
    assert_eq!(in1["arrived_at"], "2026-12-01T10:00:00.000Z", "arrived at the op's time, as RFC 3339 UTC");
    assert!(change(&later, "upsert_order", "order_id", "in2").is_none(), "the missing item's order did not arrive");
    let shipment = change(&later, "upsert_shipment", "shipment_id", "shp-1").expect("the shipment comes again");
    assert_eq!(shipment["received"], true, "marked received for every kiosk of the point");
    let missing: Vec<(&str, bool)> = shipment["items"]
        .as_array()
        .map(|items| items.iter().map(|i| (i["item_id"].as_str().unwrap_or(""), i["missing"] == true)).collect())
        .unwrap_or_default();
    assert_eq!(
        missing,
        [("in1-1", false), ("in1-2", false), ("in2-1", true)],
        "every counter learns which item was recorded missing: {shipment}"
    );

    let found = t.admin.shipment_discrepancies("shp-1").expect("discrepancies");
    let kinds: Vec<(&str, Option<&str>, Option<&str>)> =
        found.iter().map(|d| (d.kind.as_str(), d.item_id.as_deref(), d.code.as_deref())).collect();
    assert_eq!(
        kinds,
        [("missing", Some("in2-1"), None), ("unexpected", None, Some("4600000000008"))],
        "the missing item and the unexpected code are recorded"
    );
    assert!(found.iter().all(|d| d.op_id == op.op_id.to_string()), "each with the receiving op's id");
    let stored = t.admin.shipment("shp-1").expect("shipment").expect("exists");
    assert_eq!(stored.received_by.as_deref(), Some("mgr-anna"), "the operator who received it is kept");
    let outcomes: Vec<(String, Option<String>)> =
        stored.items.iter().map(|i| (i.outcome.clone().unwrap_or_default(), i.cell.clone())).collect();
    assert_eq!(
        outcomes,
        [("placed".into(), Some("A-01".into())), ("placed".into(), Some("A-01".into())), ("missing".into(), None)],
        "each expected item says what became of it"
    );
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_shipment_is_received_once_only_at_its_point_and_only_with_its_items() {
    let t = start().await;
    add_shipment(&t);
    for (id, code, orders, why) in [
        ("shp-2", "SHP1", vec![expected_order("in3", "333333", 1)], "a code the point already expects"),
        ("shp-1", "SHP2", vec![expected_order("in3", "333333", 1)], "an id used before"),
        ("shp-2", "SHP2", vec![expected_order("in1", "333333", 1)], "an order that exists"),
        ("shp-2", "SHP2", vec![expected_order("in3", "111111", 1)], "a short code a waiting order holds"),
        ("shp-2", "SHP2", vec![], "no orders"),
    ] {
        let err = t.admin.add_shipment(POINT, Some(id), code, None, &orders).expect_err(why);
        assert!(matches!(err, pvz_server::ServerError::BadRequest(_)), "{why} is refused: {err:?}");
    }
    let kiosk = t.enroll(POINT).await;
    let elsewhere = t.enroll(OTHER_POINT).await;
    let all = || vec![placed("in1", "in1-1", "A-01"), placed("in1", "in1-2", "A-01"), placed("in2", "in2-1", "A-02")];

    let other = t.push(&elsewhere, &[op(1, received("shp-1", all(), &[], &[]))]).await;
    assert_eq!(reject_code(&other, 0), "unknown_shipment", "another point's shipment: {}", other.body);
    let refused = [
        (received("shp-9", all(), &[], &[]), "unknown_shipment", "an unknown shipment"),
        (received("shp-1", vec![placed("in1", "o-x", "A-01")], &[], &[]), "item_not_in_shipment", "a stranger item"),
        (received("shp-1", vec![placed("in2", "in1-1", "A-01")], &[], &[]), "item_not_in_shipment", "the wrong order"),
        (received("shp-1", vec![placed("in1", "in1-1", "A-01")], &["in1-1"], &[]), "invalid_op", "an item twice"),
        (received("shp-1", vec![placed("in1", "in1-1", "полка")], &[], &[]), "invalid_op", "a cell that is no label"),
    ];
    let ops: Vec<_> = refused.iter().enumerate().map(|(i, (body, _, _))| op(i as i64 + 1, body.clone())).collect();
    let reply = t.push(&kiosk, &ops).await;
    for (i, (_, code, what)) in refused.iter().enumerate() {
        assert_eq!(reject_code(&reply, i), *code, "{what} is refused: {}", reply.body);
    }
    let untouched = t.admin.shipment("shp-1").expect("shipment").expect("exists");
    assert!(untouched.received_op_id.is_none(), "a refused receiving receives nothing");
    assert_eq!(t.admin.item("in1-1").expect("item").map(|i| i.item.cell), Some(String::new()), "nor places anything");

    let damaged = OpBody::ShipmentReceived {
        shipment_id: "shp-1".into(),
        placed: vec![placed("in1", "in1-1", "A-01"), placed("in1", "in1-2", "A-01")],
        missing: vec![],
        unexpected: vec![],
        damaged: vec![DamagedItem {
            order_id: OrderId::parse("in2").expect("id"),
            item_id: ItemId::parse("in2-1").expect("id"),
            description: "коробка смята".into(),
            photos: vec![PhotoRef {
                photo_id: "ph-1".into(),
                sha256: "ab".repeat(32),
                media_type: "image/jpeg".into(),
                size_bytes: 1,
            }],
        }],
    };
    let first = t.push(&kiosk, &[op(6, damaged)]).await;
    assert_eq!(outcome(&first, 0), "applied", "the receiving applies: {}", first.body);
    let twice = t.push(&kiosk, &[op(7, received("shp-1", all(), &[], &[]))]).await;
    assert_eq!(reject_code(&twice, 0), "shipment_already_received", "a second receiving: {}", twice.body);
    let noted = t.admin.shipment_discrepancies("shp-1").expect("discrepancies");
    assert_eq!(noted.len(), 1, "one discrepancy: {noted:?}");
    assert_eq!(
        (noted[0].kind.as_str(), noted[0].description.as_deref()),
        ("damaged", Some("коробка смята")),
        "the damaged item is recorded with what the manager saw"
    );
    assert!(noted[0].photos.as_deref().is_some_and(|p| p.contains("ph-1")), "and its photos: {:?}", noted[0].photos);
    t.server.shutdown().await;
}

#[tokio::test]
async fn an_order_whose_items_all_arrived_damaged_arrives_and_can_leave_the_shelf() {
    let t = start().await;
    add_shipment(&t);
    let kiosk = t.enroll(POINT).await;
    let cursor = t.pull(&kiosk, &[]).await.body["cursor"].as_str().unwrap_or("").to_owned();
    let receiving = OpBody::ShipmentReceived {
        shipment_id: "shp-1".into(),
        placed: vec![placed("in1", "in1-1", "A-01")],
        missing: vec![item_id("in1-2")],
        unexpected: vec![],
        damaged: vec![damaged("in2", "in2-1", "коробка смята, товар мокрый")],
    };
    let reply = t.push(&kiosk, &[op(1, receiving)]).await;
    assert_eq!(outcome(&reply, 0), "applied", "the receiving applies: {}", reply.body);

    let later = t.pull(&kiosk, &[("cursor", &cursor)]).await;
    let in2 = change(&later, "upsert_order", "order_id", "in2").expect("the damaged item's order comes again");
    assert_eq!(in2["arrived_at"], "2026-12-01T10:00:00.000Z", "arrived at the op's time: its goods are at the point");
    assert_eq!(cells(in2), [""], "its damaged item is in no cell");
    let in1 = change(&later, "upsert_order", "order_id", "in1").expect("the placed order comes again");
    assert_eq!(in1["arrived_at"], "2026-12-01T10:00:00.000Z", "an order with a placed item arrives as before");
    let stored = t.admin.shipment("shp-1").expect("shipment").expect("exists");
    let outcomes: Vec<Option<&str>> = stored.items.iter().map(|i| i.outcome.as_deref()).collect();
    assert_eq!(outcomes, [Some("placed"), Some("missing"), Some("damaged")], "each item's outcome is kept");

    let unit = pvz_domain::ReturnId::parse("unr-damaged").expect("id");
    let expired = OpBody::ShelfExpired {
        items: vec![pvz_protocol::ExpiredItem {
            order_id: order_id("in2"),
            item_id: item_id("in2-1"),
            return_id: unit,
        }],
    };
    let gone = t.push(&kiosk, &[op(2, expired)]).await;
    assert_eq!(outcome(&gone, 0), "applied", "the order leaves the shelf with its damaged item: {}", gone.body);
    let custody = t.admin.custody("unr-damaged").expect("custody");
    assert_eq!(
        custody.first().map(|c| (c.unit.source.as_str(), c.unit.item_id.as_deref())),
        Some(("unredeemed", Some("in2-1"))),
        "the damaged item is a returned unit at the point, ready to box"
    );
    t.server.shutdown().await;
}
