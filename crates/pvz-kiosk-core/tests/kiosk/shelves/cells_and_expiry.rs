//! Cells and storage expiry through the kiosk core on a real SQLite file: an item is found by any
//! code and moved under the cell rules (one op per move), the morning list turns at the point's
//! midnight, expired items' orders go to returns whole as unredeemed and are no longer issued, and a
//! reset drops the cached cells, shipments and storage policy.

use crate::support::shelf::*;
use chrono::{TimeZone, Utc};
use pvz_domain::{Kopecks, RefusalReason};
use pvz_kiosk_core::{ErrorKind, FoundItemStatus, ItemDecision, Kiosk, ScanNotice};
use pvz_protocol::{Change, OpBody, ReturnSource};

/// Receives the first shipment: Анна's two items into A-01, Борис's jacket into A-02; Вера's boots
/// and Глеб's vase never arrive.
fn receive(kiosk: &Kiosk) {
    kiosk.scan(SHIPMENT_CODE).expect("receiving opens");
    for code in [ANNA_1, ANNA_2, BORIS] {
        let proposal = kiosk.scan(code).expect("matched").view.receiving.and_then(|r| r.pending).expect("proposal");
        kiosk.scan(&cell_label(&proposal.proposed_cell)).expect("placed where proposed");
    }
    kiosk.close_receiving().expect("receiving closes");
}

#[test]
fn an_item_found_by_its_code_moves_under_the_cell_rules_with_one_op_per_move() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = shelf_kiosk(&dir);
    receive(&kiosk);

    let found = kiosk.find_item(ANNA_1).expect("found by barcode").screen.found_item().cloned().expect("shown");
    assert_eq!(found.item_id.as_deref(), Some("itm-r-1-1"), "the dress");
    assert_eq!((found.cell.as_deref(), &found.status), (Some("A-01"), &FoundItemStatus::OnShelf), "in A-01");
    assert_eq!((found.short_code.as_deref(), found.buyer.as_deref()), (Some("555001"), Some("Анна К.")), "whose it is");
    assert_eq!(found.arrived_at.as_deref(), Some("2026-11-26T10:00:00.000Z"), "arrived when it was received here");

    refused(kiosk.scan(&cell_label("A-01")), ErrorKind::SameCell, "moving into the cell it is in");
    let ops_before = ops(&kiosk).len();
    let moved = kiosk.scan(&cell_label("A-04")).expect("a cell label moves the found item");
    assert_eq!(
        moved.notice,
        Some(ScanNotice::ItemMoved { item_id: "itm-r-1-1".into(), from: "A-01".into(), to: "A-04".into() }),
        "the notice says from where to where"
    );
    assert_eq!(
        moved.view.screen.found_item().and_then(|f| f.cell.as_deref()),
        Some("A-04"),
        "the item shows its new cell"
    );
    let all = ops(&kiosk);
    assert_eq!(all.len(), ops_before + 1, "one op per move");
    match all.last() {
        Some(OpBody::ItemMoved { order_id, item_id, from, to }) => assert_eq!(
            (order_id.as_str(), item_id.as_str(), from.as_str(), to.as_str()),
            ("ord-r-1", "itm-r-1-1", "A-01", "A-04"),
            "the op names the item and both cells"
        ),
        other => panic!("the last op must be the move, got {other:?}"),
    }
    let card = kiosk.scan("555001").expect("Анна's order opens").view.screen.order().cloned().expect("card");
    assert_eq!(card.items.iter().map(|i| i.cell.as_str()).collect::<Vec<_>>(), ["A-04", "A-01"], "the card agrees");
    kiosk.set_aside().expect("card set aside");

    let err = refused(kiosk.move_item("itm-r-1-2", "PVZL1:A-04"), ErrorKind::CellFull, "A-04 holds one item");
    assert_eq!(err.detail().as_deref(), Some("A-04"), "the refusal names the full cell");
    refused(kiosk.move_item("itm-r-1-2", "C-09"), ErrorKind::UnknownCell, "a cell the point does not have");
    refused(kiosk.move_item("itm-r-1-2", "полка"), ErrorKind::InvalidInput, "not a cell address");
    refused(kiosk.move_item("itm-r-3-1", "A-03"), ErrorKind::NotOnShelf, "Вера's boots never arrived");
    let view = kiosk.move_item("itm-r-1-2", "a-3").expect("moved by a call, the address in any case");
    assert_eq!(view.screen.found_item().and_then(|f| f.cell.as_deref()), Some("A-03"), "the moved item is shown");
    let moves = ops(&kiosk).iter().filter(|op| matches!(op, OpBody::ItemMoved { .. })).count();
    assert_eq!(moves, 2, "two moves, two ops: the refusals wrote nothing");
}

#[test]
fn any_code_finds_an_item_and_says_where_it_is() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = shelf_kiosk(&dir);
    let card = kiosk.scan("482137").expect("order opens").view.screen.order().cloned().expect("card");
    let defect = ItemDecision::Refuse { reason: RefusalReason::Defect, description: Some("пятно".into()) };
    kiosk.decide_item(&card.order_id, &card.items[0].item_id, defect).expect("the dress is refused");
    kiosk.decide_item(&card.order_id, &card.items[1].item_id, ItemDecision::HandOver).expect("shoes handed over");
    kiosk.confirm_issue(&card.order_id, Kopecks(599_000), true).expect("issue completes");
    let desk = kiosk.open_returns().expect("returns desk").screen.returns_desk().cloned().expect("desk");
    let dress = desk.waiting.first().expect("the dress waits among the returns").return_id.clone();
    kiosk.close_returns().expect("desk closed");

    let by_label =
        kiosk.find_item(&format!("PVZR1:{dress}")).expect("found by return label").screen.found_item().cloned();
    let by_label = by_label.expect("shown");
    assert_eq!(by_label.item_id.as_deref(), Some("itm-1001-1"), "the dress");
    assert_eq!(
        by_label.status,
        FoundItemStatus::InReturns { return_id: dress.clone(), source: ReturnSource::CounterRefusal, box_id: None },
        "waiting among the returns, refused at the counter"
    );
    assert_eq!(by_label.cell, None, "in no cell");
    let shoes =
        kiosk.find_item("4607654321008").expect("found by barcode").screen.found_item().cloned().expect("shown");
    assert!(matches!(shoes.status, FoundItemStatus::Issued { issued_at: Some(_) }), "handed over: {shoes:?}");
    refused(kiosk.move_item("itm-1001-2", "A-01"), ErrorKind::NotOnShelf, "an issued item does not move");

    let by_id = kiosk.find_item("itm-r-6-1").expect("found by item id").screen.found_item().cloned().expect("shown");
    assert_eq!(
        by_id.status,
        FoundItemStatus::Expected { shipment_id: Some("SHP-T-002".into()) },
        "on its way in a shipment"
    );
    let book =
        kiosk.find_item("9785170000005").expect("a demo order's book").screen.found_item().cloned().expect("shown");
    assert_eq!((book.cell.as_deref(), &book.status), (Some("C-01"), &FoundItemStatus::OnShelf), "in its cell");
    refused(kiosk.find_item("NOPE-0000"), ErrorKind::ItemNotFound, "a code nothing carries");
    refused(kiosk.find_item("482137"), ErrorKind::UnknownCode, "a buyer's short code is not an item code");

    let next = kiosk.scan(DINA).expect("an item code while an item is shown finds that one");
    assert_eq!(next.notice, Some(ScanNotice::ItemFound { item_id: Some("itm-r-5-1".into()) }), "Дина's bag");
    let view = kiosk.dismiss_found_item().expect("dismissed");
    assert!(view.screen.found_item().is_none(), "nothing shown");
    refused(kiosk.scan(DINA), ErrorKind::NoActiveOrder, "an item code with nothing on the counter");
    refused(kiosk.scan(&cell_label("A-01")), ErrorKind::ItemExpected, "a cell label with nothing to move");
}

#[test]
fn the_morning_list_turns_at_local_midnight_and_expired_items_go_to_returns_unredeemed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, clock) = shelf_kiosk(&dir);
    receive(&kiosk); // 2026-11-26 13:00 Moscow: kept until 2026-12-03 23:59:59 Moscow.
    let listed = |kiosk: &Kiosk| -> Vec<(String, u32)> {
        kiosk.expiry_list().expect("list").items.into_iter().map(|i| (i.item_id, i.days_over)).collect()
    };
    assert_eq!(listed(&kiosk), [("itm-r-5-1".to_owned(), 3)], "only Дина's bag, past since 2026-11-24 Moscow");
    refused(kiosk.move_expired_to_returns(&["itm-r-1-1".into()]), ErrorKind::NotExpired, "a fresh item");
    refused(kiosk.move_expired_to_returns(&[]), ErrorKind::InvalidInput, "nothing chosen");

    clock.set(Utc.with_ymd_and_hms(2026, 12, 3, 20, 59, 59).single().expect("time"));
    assert_eq!(listed(&kiosk).len(), 1, "one second before Moscow midnight nothing new is past");
    clock.set(Utc.with_ymd_and_hms(2026, 12, 3, 21, 0, 0).single().expect("time"));
    let view = kiosk.open_expiry().expect("the list opens");
    assert_eq!(view.overdue_items, 4, "the morning reminder counts every item past its period");
    let list = view.screen.expiry().expect("shown while open");
    assert!(list.policy_loaded, "the policy is known");
    let rows: Vec<(&str, u32)> = list.items.iter().map(|i| (i.item_id.as_str(), i.days_over)).collect();
    assert_eq!(
        rows,
        [("itm-r-5-1", 11), ("itm-r-1-1", 1), ("itm-r-1-2", 1), ("itm-r-2-1", 1)],
        "at Moscow midnight the received items join, longest expired first"
    );
    assert_eq!(list.items[1].expires_at, "2026-12-03T21:00:00.000Z", "past from local midnight");
    assert_eq!(list.items[1].cell, "A-01", "with the cell to take it from");

    let jacket = kiosk.scan("555002").expect("Борис comes just in time").view.screen.order().cloned().expect("card");
    kiosk.hand_over_rest(&jacket.order_id).expect("handed over");
    kiosk.confirm_issue(&jacket.order_id, Kopecks(0), false).expect("prepaid: issued");
    kiosk.scan("555001").expect("Анна's card is open when the list is confirmed");
    let ops_before = ops(&kiosk).len();
    let view = kiosk
        .move_expired_to_returns(&["itm-r-5-1".into(), "itm-r-1-1".into(), "itm-r-5-1".into()])
        .expect("the chosen items go to returns");
    assert!(view.screen.order().is_none(), "Анна's order leaves the counter");
    assert_eq!(view.overdue_items, 0, "nothing left past its period: the jacket was issued");
    let all = ops(&kiosk);
    assert_eq!(all.len(), ops_before + 1, "one op for the whole confirmation");
    let Some(OpBody::ShelfExpired { items }) = all.last() else { panic!("the last op must be the expiry") };
    let moved: Vec<&str> = items.iter().map(|i| i.item_id.as_str()).collect();
    assert_eq!(moved, ["itm-r-1-1", "itm-r-1-2", "itm-r-5-1"], "whole orders, each item once: Анна's scarf too");

    let desk = kiosk.open_returns().expect("returns desk").screen.returns_desk().cloned().expect("desk");
    let unredeemed: Vec<&str> =
        desk.waiting.iter().filter(|u| u.source == ReturnSource::Unredeemed).map(|u| u.return_id.as_str()).collect();
    assert_eq!(unredeemed.len(), 3, "all three wait among the returns as unredeemed");
    assert!(items.iter().all(|i| unredeemed.contains(&i.return_id.as_str())), "under the return ids the op carries");
    kiosk.create_box().expect("a box");
    let boxed = kiosk.scan(DINA).expect("the bag goes into a box by its barcode");
    assert!(matches!(boxed.notice, Some(ScanNotice::BoxItemAdded { .. })), "boxed like any return");
    kiosk.close_returns().expect("desk closed");

    refused(kiosk.scan(DINA_SHORT), ErrorKind::OrderUnredeemed, "Дина's order is not issued any more");
    refused(kiosk.scan("555001"), ErrorKind::OrderUnredeemed, "nor Анна's");
    refused(kiosk.move_expired_to_returns(&["itm-r-5-1".into()]), ErrorKind::NotOnShelf, "already in returns");
    refused(kiosk.move_expired_to_returns(&["itm-r-2-1".into()]), ErrorKind::NotOnShelf, "issued");
    let view = kiosk.close_expiry().expect("closed");
    assert!(view.screen.expiry().is_none(), "the list is closed");
}

#[test]
fn a_reset_drops_the_cached_cells_shipments_and_storage_policy_and_keeps_the_kiosks_records() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = shelf_kiosk(&dir);
    receive(&kiosk);
    let ops_before = ops(&kiosk).len();
    kiosk.apply_pull(&page("epoch-2", true, Vec::new())).expect("a reset page");
    assert!(kiosk.list_cells().expect("cells").is_empty(), "no cells until the feed sends them again");
    let list = kiosk.expiry_list().expect("list");
    assert!(!list.policy_loaded && list.items.is_empty(), "no storage policy, nothing counted past it");
    refused(kiosk.move_expired_to_returns(&["itm-r-5-1".into()]), ErrorKind::StoragePolicyMissing, "no policy");
    refused(kiosk.scan(OTHER_SHIPMENT_CODE), ErrorKind::NoActiveOrder, "a shipment code the kiosk no longer knows");
    assert_eq!(ops(&kiosk).len(), ops_before, "the outbox is untouched");

    kiosk.apply_pull(&shelf_page()).expect("the feed sends everything again");
    assert_eq!(kiosk.list_cells().expect("cells").len(), 5, "the cells are back");
    refused(kiosk.scan(SHIPMENT_CODE), ErrorKind::ShipmentAlreadyReceived, "received here, whatever the feed says");
    let card = kiosk.scan("555001").expect("Анна's order").view.screen.order().cloned().expect("card");
    assert_eq!(card.items[0].cell, "A-01", "the kiosk's placement holds until the server has answered it");
}

#[test]
fn an_item_missing_at_receiving_and_found_later_is_on_the_shelf_once_the_feed_places_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, clock) = shelf_kiosk(&dir);
    receive(&kiosk); // Вера's boots are recorded missing.
    let boots = kiosk.find_item(VERA).expect("found").screen.found_item().cloned().expect("shown");
    assert_eq!(boots.status, FoundItemStatus::Expected { shipment_id: None }, "missing: not at the point yet");

    // The boots turn up and are placed (at the server): the feed brings the order arrived, with a cell.
    let mut found = shipment_orders().swap_remove(2);
    assert_eq!(found.items[0].item_id.as_str(), "itm-r-3-1", "Вера's order");
    found.arrived_at = Some("2026-11-26T12:00:00Z".into());
    found.items[0].cell = "A-03".into();
    kiosk.apply_pull(&page("shelf-2", false, vec![Change::UpsertOrder(found)])).expect("the feed");
    let boots = kiosk.find_item(VERA).expect("found").screen.found_item().cloned().expect("shown");
    assert_eq!(
        (boots.cell.as_deref(), &boots.status),
        (Some("A-03"), &FoundItemStatus::OnShelf),
        "the server's arrival and cell put the boots on the shelf"
    );
    let moved = kiosk.move_item("itm-r-3-1", "A-02").expect("an item on the shelf moves");
    assert_eq!(moved.screen.found_item().and_then(|f| f.cell.as_deref()), Some("A-02"), "into A-02");

    clock.set(Utc.with_ymd_and_hms(2026, 12, 3, 21, 0, 0).single().expect("time"));
    let listed: Vec<String> = kiosk.expiry_list().expect("list").items.into_iter().map(|i| i.item_id).collect();
    assert!(listed.contains(&"itm-r-3-1".to_owned()), "the boots expire like any item on the shelf: {listed:?}");
    kiosk.move_expired_to_returns(&["itm-r-3-1".into()]).expect("and go to returns");
}

#[test]
fn expiry_makes_returned_units_only_of_the_items_that_are_on_the_shelf() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, clock) = shelf_kiosk(&dir);
    // Анна's dress is received; her scarf (same order) is missing.
    kiosk.scan(SHIPMENT_CODE).expect("receiving opens");
    let proposal = kiosk.scan(ANNA_1).expect("matched").view.receiving.and_then(|r| r.pending).expect("proposal");
    kiosk.scan(&cell_label(&proposal.proposed_cell)).expect("placed");
    kiosk.close_receiving().expect("closed with the scarf missing");

    clock.set(Utc.with_ymd_and_hms(2026, 12, 3, 21, 0, 0).single().expect("time"));
    kiosk.move_expired_to_returns(&["itm-r-1-1".into()]).expect("Анна's order goes to returns");
    let Some(OpBody::ShelfExpired { items }) = ops(&kiosk).last().cloned() else {
        panic!("the last op must be the expiry")
    };
    let listed: Vec<&str> = items.iter().map(|i| i.item_id.as_str()).collect();
    assert_eq!(listed, ["itm-r-1-1"], "only the dress, which is on the shelf; the missing scarf is not listed");
    let desk = kiosk.open_returns().expect("returns desk").screen.returns_desk().cloned().expect("desk");
    let units = desk.waiting.iter().filter(|u| u.source == ReturnSource::Unredeemed).count();
    assert_eq!(units, 1, "one returned unit: the scarf never arrived, so there is nothing to box");
    kiosk.close_returns().expect("the desk closes: a found item shows in front of nothing else");
    let scarf = kiosk.find_item(ANNA_2).expect("found").screen.found_item().cloned().expect("shown");
    assert!(!matches!(scarf.status, FoundItemStatus::InReturns { .. }), "the scarf is not in returns: {scarf:?}");
}

/// Issue 13, finding 4: one expiry over hundreds of items was one op, which a server answers 413
/// forever; the kiosk writes it in ops of whole orders and a bounded size instead.
#[test]
fn a_large_expiry_is_written_as_bounded_ops_of_whole_orders() {
    use pvz_domain::{ItemId, OrderId, ShortCode};
    const MAX_ITEMS_PER_OP: usize = 200;
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = shelf_kiosk(&dir);
    let many: Vec<Change> = (0..250)
        .map(|n| {
            let mut order = dina_order();
            order.order_id = OrderId::parse(&format!("ord-x-{n}")).expect("order id");
            order.short_code = ShortCode::parse(&format!("7{n:05}")).expect("short code");
            order.items[0].item_id = ItemId::parse(&format!("itm-x-{n}")).expect("item id");
            order.items[0].barcode = Some(format!("X{n:05}"));
            Change::UpsertOrder(order)
        })
        .collect();
    kiosk.apply_pull(&page("shelf-2", false, many)).expect("250 more orders long past their period arrive");
    let chosen: Vec<String> = kiosk.expiry_list().expect("list").items.into_iter().map(|i| i.item_id).collect();
    assert_eq!(chosen.len(), 251, "Дина's bag and the 250 new items are past their period");
    let before = ops(&kiosk).len();
    kiosk.move_expired_to_returns(&chosen).expect("all of them go to returns");
    let written: Vec<Vec<(String, String)>> = ops(&kiosk)[before..]
        .iter()
        .map(|op| match op {
            OpBody::ShelfExpired { items } => {
                items.iter().map(|i| (i.order_id.to_string(), i.item_id.to_string())).collect()
            }
            other => panic!("only expiry ops are written, got {other:?}"),
        })
        .collect();
    assert!(written.len() >= 2, "251 items are more than one op may carry: {} op(s)", written.len());
    for items in &written {
        assert!(items.len() <= MAX_ITEMS_PER_OP, "no expiry op carries more than {MAX_ITEMS_PER_OP} items");
    }
    let mut all: Vec<&String> = written.iter().flatten().map(|(_, item)| item).collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 251, "every chosen item is in exactly one op");
}
