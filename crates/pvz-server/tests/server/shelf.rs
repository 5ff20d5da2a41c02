//! The shelves: a point's storage policy and cells reach its kiosks before any order on a fresh pull
//! and again on a reset; an item moves between cells only from where it is; and items past their
//! storage period leave the shelf with their whole order, which is cancelled for every kiosk of the
//! point, each item a returned unit held at the point, with no money moved. What leaves is what is at
//! the point: every item on the shelf, never one recorded missing at receiving.

use crate::common::*;
use pvz_domain::{ReturnId, StorageDays, StoragePolicy, UtcOffset};
use pvz_protocol::{ExpiredItem, OpBody, ReturnSource};
use pvz_server::admin::parse_cells;
use pvz_server::db::custody::Holder;
use std::collections::BTreeMap;

fn kinds(page: &Reply) -> Vec<String> {
    page.body["changes"]
        .as_array()
        .map(|c| c.iter().map(|c| c["type"].as_str().unwrap_or("").to_owned()).collect())
        .unwrap_or_default()
}

fn cells(specs: &[&str]) -> Vec<pvz_domain::Cell> {
    parse_cells(&specs.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()).expect("cells")
}

#[tokio::test]
async fn storage_policy_and_cells_reach_the_feed_before_orders_and_again_on_a_reset() {
    let t = start().await;
    for i in 0..3 {
        add_order(&t.admin, POINT, &format!("o{i}"), false);
    }
    let food = BTreeMap::from([("food".to_owned(), StorageDays::new(3).expect("days"))]);
    let policy = StoragePolicy { default_days: StorageDays::WEEK, per_category: food };
    t.admin.set_storage_policy(POINT, &policy, Some(UtcOffset::from_hours(5).expect("offset"))).expect("policy");
    t.admin.set_cells(POINT, &cells(&["a-1..A-03:6", "B-01:0"])).expect("cells");
    let kiosk = t.enroll(POINT).await;

    // The first row of the feed is the fee policy the point was created with: skipped, sent up front.
    let first = t.pull(&kiosk, &[("limit", "2")]).await;
    assert_eq!(
        kinds(&first),
        ["set_fee_policy", "set_storage_policy", "set_cells", "upsert_order"],
        "a pull from scratch opens with the policies and cells, set after the orders, then a page of orders"
    );
    let changes = &first.body["changes"];
    assert_eq!(changes[1]["policy"]["default_days"], 7, "the storage period: {}", changes[1]);
    assert_eq!(changes[1]["policy"]["per_category"]["food"], 3, "with the category's own");
    assert_eq!(changes[1]["utc_offset_seconds"], 5 * 3600, "and the point's offset");
    let labels: Vec<(&str, u64)> = changes[2]["cells"]
        .as_array()
        .map(|c| c.iter().map(|c| (c["label"].as_str().unwrap_or(""), c["capacity"].as_u64().unwrap_or(99))).collect())
        .unwrap_or_default();
    assert_eq!(labels, [("A-01", 6), ("A-02", 6), ("A-03", 6), ("B-01", 0)], "canonical labels with capacities");

    let mut cursor = first.body["cursor"].as_str().unwrap_or("").to_owned();
    let mut rest = Vec::new();
    loop {
        let page = t.pull(&kiosk, &[("limit", "2"), ("cursor", &cursor)]).await;
        rest.extend(kinds(&page));
        cursor = page.body["cursor"].as_str().unwrap_or("").to_owned();
        if page.body["has_more"] != true {
            break;
        }
    }
    assert_eq!(rest.iter().filter(|k| *k == "upsert_order").count(), 2, "the other orders follow: {rest:?}");
    t.admin.set_cells(POINT, &cells(&["A-01..A-04:6"])).expect("new cells");
    let changed = t.pull(&kiosk, &[("cursor", &cursor)]).await;
    assert_eq!(kinds(&changed), ["set_cells"], "a change of cells is one change after the cursor");
    assert_eq!(changed.body["changes"][0]["cells"].as_array().map(Vec::len), Some(4), "the whole new list");

    t.admin.reset_feed(POINT).expect("reset");
    let cursor = changed.body["cursor"].as_str().unwrap_or("").to_owned();
    let replay = t.pull(&kiosk, &[("cursor", &cursor), ("limit", "1")]).await;
    assert_eq!(replay.body["reset"], true, "a reset: {}", replay.body);
    assert_eq!(kinds(&replay)[..3], ["set_fee_policy", "set_storage_policy", "set_cells"], "replays them first");
    let fresh_other = t.enroll(OTHER_POINT).await;
    let other = t.pull(&fresh_other, &[]).await;
    assert_eq!(kinds(&other), ["set_fee_policy"], "a point without a storage policy or cells sends neither");
    t.server.shutdown().await;
}

fn moved(order: &str, item: &str, from: &str, to: &str) -> OpBody {
    OpBody::ItemMoved { order_id: order_id(order), item_id: item_id(item), from: from.into(), to: to.into() }
}

#[tokio::test]
async fn an_item_moves_only_from_the_cell_it_is_in() {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", false);
    add_order(&t.admin, POINT, "o2", false);
    t.admin.mark_order_issued("o2").expect("issued");
    let kiosk = t.enroll(POINT).await;
    let cursor = t.pull(&kiosk, &[]).await.body["cursor"].as_str().unwrap_or("").to_owned();
    // The helper's orders sit in "A-1", an old spelling of A-01.
    let ops = [
        op(1, moved("o1", "o1-1", "A-01", "a-7")),
        op(2, moved("o1", "o1-1", "A-01", "A-08")),
        op(3, moved("o1", "o1-2", "A-01", "A-1")),
        op(4, moved("o1", "o1-2", "A-01", "полка 3")),
        op(5, moved("o2", "o2-1", "A-01", "A-02")),
        op(6, moved("o1", "o2-1", "A-01", "A-02")),
    ];
    let reply = t.push(&kiosk, &ops).await;
    let got: Vec<(String, String)> = (0..6).map(|i| (outcome(&reply, i), reject_code(&reply, i))).collect();
    let want = [
        ("applied", "none"),
        ("rejected", "item_not_in_cell"),
        ("rejected", "invalid_op"),
        ("rejected", "invalid_op"),
        ("rejected", "order_closed"),
        ("rejected", "item_not_in_order"),
    ];
    assert_eq!(
        got,
        want.map(|(o, c)| (o.to_owned(), c.to_owned())),
        "a move from its cell applies; from where it no longer is, to the same cell, to no label, of an issued \
         order or of another order's item does not: {}",
        reply.body
    );
    assert!(
        reply.body["results"][1]["outcome"]["message"].as_str().is_some_and(|m| m.contains("A-07")),
        "says where it is"
    );
    let later = t.pull(&kiosk, &[("cursor", &cursor)]).await;
    let o1 = pulled_order(&later, "o1").expect("the moved item's order comes again");
    assert_eq!((o1["items"][0]["cell"].clone(), o1["items"][1]["cell"].clone()), ("A-07".into(), "A-1".into()), "{o1}");
    t.server.shutdown().await;
}

fn expired(order: &str, item: &str, unit: &str) -> ExpiredItem {
    ExpiredItem { order_id: order_id(order), item_id: item_id(item), return_id: ReturnId::parse(unit).expect("id") }
}

#[tokio::test]
async fn shelf_expiry_cancels_the_whole_order_for_every_kiosk_and_holds_its_units_at_the_point() {
    let t = start().await;
    for id in ["o1", "o2", "o3"] {
        add_order(&t.admin, POINT, id, true);
    }
    add_order(&t.admin, OTHER_POINT, "far", false);
    t.admin.mark_order_issued("o3").expect("issued");
    let (counter, other_counter) = (t.enroll(POINT).await, t.enroll(POINT).await);
    let cursor = t.pull(&other_counter, &[]).await.body["cursor"].as_str().unwrap_or("").to_owned();

    let whole = OpBody::ShelfExpired { items: vec![expired("o1", "o1-1", "unr-1"), expired("o1", "o1-2", "unr-2")] };
    let refused = [
        (OpBody::ShelfExpired { items: vec![expired("o2", "o2-1", "unr-3")] }, "invalid_op", "half an order"),
        (
            OpBody::ShelfExpired { items: vec![expired("o3", "o3-1", "u4"), expired("o3", "o3-2", "u5")] },
            "order_closed",
            "an issued order",
        ),
        (OpBody::ShelfExpired { items: vec![] }, "invalid_op", "nothing"),
    ];
    let mut ops = vec![op(1, whole.clone())];
    ops.extend(refused.iter().enumerate().map(|(i, (body, _, _))| op(i as i64 + 2, body.clone())));
    ops.push(op(
        5,
        OpBody::ShelfExpired { items: vec![expired("o1", "o1-1", "unr-8"), expired("o1", "o1-2", "unr-9")] },
    ));
    let reply = t.push(&counter, &ops).await;
    assert_eq!(outcome(&reply, 0), "applied", "the whole order leaves the shelf: {}", reply.body);
    for (i, (_, code, what)) in refused.iter().enumerate() {
        assert_eq!(reject_code(&reply, i + 1), *code, "{what} is refused: {}", reply.body);
    }
    assert_eq!(reject_code(&reply, 4), "order_closed", "an order that left the shelf leaves it once: {}", reply.body);

    let later = t.pull(&other_counter, &[("cursor", &cursor)]).await;
    assert_eq!(
        later.body["changes"],
        serde_json::json!([{"type": "cancel_order", "order_id": "o1"}]),
        "the other counter learns the order is gone, and nothing else"
    );
    let unit = t.admin.custody("unr-1").expect("custody").remove(0);
    assert_eq!(
        (unit.unit.source.as_str(), unit.unit.holder.clone(), unit.unit.item_id.as_deref()),
        ("unredeemed", Holder::Point, Some("o1-1")),
        "the item is a returned unit held at the point"
    );
    assert_eq!(unit.log[0].op_kind, "shelf_expired", "logged with the op that moved it");
    assert_eq!(unit.log[0].op_id, ops[0].op_id.to_string(), "by its id");
    assert!(t.admin.custody("unr-3").expect("custody").is_empty(), "a refused expiry records no unit");
    assert!(
        t.admin.ledger_for_op(&ops[0].op_id.to_string()).expect("ledger").is_empty(),
        "no money moves (prepaid too)"
    );

    let boxed = t
        .push(&counter, &[op(6, box_closed("box-u", vec![boxed("unr-1", Some("o1-1"), ReturnSource::Unredeemed)]))])
        .await;
    assert_eq!(outcome(&boxed, 0), "applied", "the unit goes into a return box: {}", boxed.body);
    let far = OpBody::ShelfExpired { items: vec![expired("far", "far-1", "u6"), expired("far", "far-2", "u7")] };
    let forbidden = t.push(&counter, &[op(7, far)]).await;
    assert_eq!(forbidden.status, 200, "another point's order refuses the op, not the push: {}", forbidden.body);
    assert_eq!(reject_code(&forbidden, 0), "other_point", "an expiry naming another point's order: {}", forbidden.body);
    t.server.shutdown().await;
}

#[tokio::test]
async fn shelf_expiry_takes_the_items_that_arrived_not_those_recorded_missing_at_receiving() {
    let t = start().await;
    let orders =
        [expected_order("p1", "111111", 2), expected_order("p2", "222222", 2), expected_order("p3", "333333", 2)];
    t.admin.add_shipment(POINT, Some("shp-1"), "SHP1", None, &orders).expect("shipment");
    let kiosk = t.enroll(POINT).await;
    let receiving = OpBody::ShipmentReceived {
        shipment_id: "shp-1".into(),
        placed: vec![
            placed("p1", "p1-1", "A-01"),
            placed("p2", "p2-1", "A-02"),
            placed("p2", "p2-2", "A-02"),
            placed("p3", "p3-1", "A-03"),
        ],
        missing: vec![item_id("p1-2")],
        unexpected: vec![],
        damaged: vec![damaged("p3", "p3-2", "коробка смята")],
    };
    let received = t.push(&kiosk, &[op(1, receiving)]).await;
    assert_eq!(outcome(&received, 0), "applied", "the shipment is received: {}", received.body);

    let expire = |items: Vec<ExpiredItem>| OpBody::ShelfExpired { items };
    let ops = [
        op(2, expire(vec![expired("p2", "p2-1", "unr-1")])),
        op(3, expire(vec![expired("p1", "p1-1", "unr-2"), expired("p1", "p1-2", "unr-3")])),
        op(4, expire(vec![expired("p1", "p1-1", "unr-4")])),
        op(5, expire(vec![expired("p3", "p3-1", "unr-5"), expired("p3", "p3-2", "unr-6")])),
    ];
    let reply = t.push(&kiosk, &ops).await;
    let message = |i: usize| reply.body["results"][i]["outcome"]["message"].as_str().unwrap_or("").to_owned();
    assert_eq!(reject_code(&reply, 0), "invalid_op", "leaving out a placed item is refused: {}", reply.body);
    assert!(message(0).contains("p2-2"), "naming the placed item left out: {}", message(0));
    assert_eq!(reject_code(&reply, 1), "invalid_op", "an item recorded missing is not at the point: {}", reply.body);
    assert!(message(1).contains("p1-2") && message(1).contains("missing"), "saying so: {}", message(1));
    assert_eq!(
        outcome(&reply, 2),
        "applied",
        "the order's items that arrived are the whole order on the shelf: {}",
        reply.body
    );
    assert_eq!(
        outcome(&reply, 3),
        "applied",
        "an item that arrived damaged is at the point and may go with its order: {}",
        reply.body
    );

    let units: Vec<(&str, Option<String>)> = ["unr-1", "unr-2", "unr-3", "unr-4", "unr-5", "unr-6"]
        .into_iter()
        .map(|u| (u, t.admin.custody(u).expect("custody").first().and_then(|c| c.unit.item_id.clone())))
        .collect();
    let some = |i: &str| Some(i.to_owned());
    assert_eq!(
        units,
        [
            ("unr-1", None),
            ("unr-2", None),
            ("unr-3", None),
            ("unr-4", some("p1-1")),
            ("unr-5", some("p3-1")),
            ("unr-6", some("p3-2"))
        ],
        "a unit for each item that left, none for the missing item or a refused op"
    );
    let state = |o: &str| t.admin.item(&format!("{o}-1")).expect("item").map(|i| i.order_state.as_str());
    assert_eq!(
        [state("p1"), state("p2"), state("p3")],
        [Some("cancelled"), Some("ready"), Some("cancelled")],
        "the orders that left are cancelled as unredeemed; the refused one still waits"
    );
    t.server.shutdown().await;
}
