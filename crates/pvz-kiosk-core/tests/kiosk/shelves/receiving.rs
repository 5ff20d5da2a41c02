//! Приёмка through the kiosk core on a real SQLite file: a shipment's code opens receiving, each
//! item gets a proposed cell (one order's items together) confirmed by a cell label, unexpected and
//! damaged items are recorded, and closing writes one op and puts the items in their cells. Only
//! one session is open at a time, and a restart comes back to it.

use crate::support::shelf::*;
use pvz_kiosk_core::{ErrorKind, FoundItemStatus, ReceivingItemState, ScanNotice};
use pvz_protocol::{Change, OpBody};

fn proposed(notice: Option<ScanNotice>) -> (String, String) {
    match notice {
        Some(ScanNotice::ReceivingItemMatched { item_id, proposed_cell }) => (item_id, proposed_cell),
        other => panic!("an expected item must get a proposed cell, got {other:?}"),
    }
}

fn placed(notice: Option<ScanNotice>) -> (String, String) {
    match notice {
        Some(ScanNotice::ItemPlaced { item_id, cell }) => (item_id, cell),
        other => panic!("a cell label must place the item, got {other:?}"),
    }
}

#[test]
fn a_shipment_is_received_with_one_item_missing_in_one_op_and_the_cells_show_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = shelf_kiosk(&dir);
    let ops_before = ops(&kiosk).len();

    let opened = kiosk.scan(SHIPMENT_CODE).expect("the shipment's code opens receiving");
    assert_eq!(opened.notice, Some(ScanNotice::ShipmentOpened { shipment_id: SHIPMENT.into() }), "the notice names it");
    let session = opened.view.receiving.expect("the session is on the counter");
    assert_eq!(session.counts.expected, 5, "five items are expected");
    assert!(session.items.iter().all(|i| i.state == ReceivingItemState::Waiting), "none scanned yet");

    let first = proposed(kiosk.scan(ANNA_1).expect("Анна's dress matches").notice);
    assert_eq!(first, ("itm-r-1-1".into(), "A-01".into()), "a new buyer gets the emptiest cell, lowest label first");
    assert_eq!(placed(kiosk.scan(&cell_label("A-01")).expect("placed").notice).1, "A-01", "confirmed by the label");
    let second = kiosk.scan(ANNA_2).expect("Анна's scarf matches");
    let pending = second.view.receiving.and_then(|r| r.pending).expect("the proposal awaits its cell");
    assert_eq!(pending.proposed_cell, "A-01", "her second item joins the first");
    assert!(pending.with_buyers_items, "and the view says why");
    kiosk.scan(&cell_label("A-01")).expect("the scarf goes in beside the dress");

    let boris = proposed(kiosk.scan(BORIS).expect("Борис's jacket matches").notice);
    assert_eq!(boris.1, "A-02", "A-01 is full: the emptiest other cell");
    let chosen = placed(kiosk.scan(&cell_label("A-04")).expect("another cell with room is fine").notice);
    assert_eq!(chosen.1, "A-04", "the cell scanned is where it went");

    let first_time = kiosk.scan(STRANGER).expect("an unexpected code is recorded, not refused");
    assert_eq!(
        first_time.notice,
        Some(ScanNotice::UnexpectedRecorded { code: STRANGER.into(), new: true }),
        "the notice says it is a discrepancy"
    );
    let again = kiosk.scan(STRANGER).expect("the same code again");
    assert_eq!(again.notice, Some(ScanNotice::UnexpectedRecorded { code: STRANGER.into(), new: false }), "once");

    kiosk.mark_damaged("itm-r-4-1", "  разбита  ").expect("the vase arrived broken");
    let view = kiosk.attach_damage_photo("itm-r-4-1", PNG).expect("with a photo");
    let session = view.receiving.expect("still receiving");
    let vase = session.items.iter().find(|i| i.item_id == "itm-r-4-1").expect("the vase is listed");
    assert_eq!(
        vase.state,
        ReceivingItemState::Damaged { description: "разбита".into(), photos: 1 },
        "damaged, described and photographed, not placed"
    );
    let jacket = session.items.iter().find(|i| i.item_id == "itm-r-2-1").expect("the jacket is listed");
    assert_eq!(
        jacket.state,
        ReceivingItemState::Placed { cell: "A-04".into(), proposed_cell: "A-02".into() },
        "the cell scanned and the one proposed are both kept"
    );
    assert_eq!(
        (session.counts.placed, session.counts.damaged, session.counts.waiting, session.counts.unexpected),
        (3, 1, 1, 1),
        "counts: three placed, one damaged, Вера's boots still waiting, one unexpected code"
    );
    assert_eq!(ops(&kiosk).len(), ops_before, "nothing is sent while receiving");

    let closed = kiosk.close_receiving().expect("receiving closes");
    assert!(closed.receiving.is_none(), "the session leaves the counter");
    let all = ops(&kiosk);
    assert_eq!(all.len(), ops_before + 1, "the whole session is one op");
    match all.last() {
        Some(OpBody::ShipmentReceived { shipment_id, placed, missing, unexpected, damaged }) => {
            assert_eq!(shipment_id, SHIPMENT, "the op names the shipment");
            let cells: Vec<(&str, &str)> = placed.iter().map(|p| (p.item_id.as_str(), p.cell.as_str())).collect();
            assert_eq!(
                cells,
                [("itm-r-1-1", "A-01"), ("itm-r-1-2", "A-01"), ("itm-r-2-1", "A-04")],
                "placed items with the cells as scanned"
            );
            assert_eq!(missing.iter().map(|i| i.as_str()).collect::<Vec<_>>(), ["itm-r-3-1"], "Вера's boots missing");
            assert_eq!(unexpected, &[STRANGER.to_owned()], "the stranger's code once");
            assert_eq!(damaged.len(), 1, "one damaged item");
            assert_eq!(damaged[0].item_id.as_str(), "itm-r-4-1", "the vase");
            assert_eq!(damaged[0].description, "разбита", "with its description");
            assert_eq!(damaged[0].photos.len(), 1, "and its photo");
        }
        other => panic!("the last op must be the receiving, got {other:?}"),
    }

    let card = kiosk.scan("555001").expect("Анна's order opens").view.screen.order().cloned().expect("card");
    let cells: Vec<&str> = card.items.iter().map(|i| i.cell.as_str()).collect();
    assert_eq!(cells, ["A-01", "A-01"], "the order card shows the new cell before any sync");
    kiosk.set_aside().expect("card set aside");
    let counts: Vec<(String, u32)> =
        kiosk.list_cells().expect("cells").into_iter().map(|c| (c.label, c.items)).collect();
    assert_eq!(
        counts,
        [("A-01".into(), 2), ("A-02".into(), 0), ("A-03".into(), 1), ("A-04".into(), 1), ("B-01".into(), 0)],
        "the cells hold what was placed (and Дина's bag, already in A-03)"
    );
    let boots =
        kiosk.find_item(VERA).expect("the missing boots are found").screen.found_item().cloned().expect("shown");
    assert_eq!(boots.status, FoundItemStatus::Expected { shipment_id: None }, "not at the point: missing");
    let vase = kiosk.find_item(GLEB).expect("the vase is found").screen.found_item().cloned().expect("shown");
    assert_eq!(vase.status, FoundItemStatus::Damaged { description: "разбита".into() }, "recorded damaged");
    assert_eq!(vase.cell, None, "in no cell");
}

#[test]
fn only_one_receiving_is_open_and_a_restart_resumes_it_with_its_proposal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("kiosk.sqlite3");
    {
        let (kiosk, _clock) = shelf_kiosk(&dir);
        kiosk.scan(SHIPMENT_CODE).expect("receiving opens");
        let (_, cell) = proposed(kiosk.scan(ANNA_1).expect("matched").notice);
        assert_eq!(cell, "A-01", "proposed");
        let err = refused(kiosk.scan(OTHER_SHIPMENT_CODE), ErrorKind::ReceivingInProgress, "a second shipment");
        assert_eq!(err.detail().as_deref(), Some(SHIPMENT_CODE), "the refusal names the open shipment");
    }
    let (kiosk, _clock) = open(&path);
    let session = kiosk.view().expect("view").receiving.expect("the session survived the restart");
    let pending = session.pending.expect("so did its proposal");
    assert_eq!((pending.item_id.as_str(), pending.proposed_cell.as_str()), ("itm-r-1-1", "A-01"), "unchanged");
    let again = proposed(kiosk.scan(ANNA_1).expect("the same item again").notice);
    assert_eq!(again.1, "A-01", "the proposal is stable");
    kiosk.scan(&cell_label("A-01")).expect("placed");
    let err = refused(kiosk.cancel_receiving(), ErrorKind::ReceivingHasPlacements, "cancelling after a placement");
    assert_eq!(err.detail().as_deref(), Some("1"), "it says how many are placed");
    kiosk.close_receiving().expect("closed instead");
    refused(kiosk.scan(SHIPMENT_CODE), ErrorKind::ShipmentAlreadyReceived, "the same shipment again");

    let ops_before = ops(&kiosk).len();
    kiosk.scan(OTHER_SHIPMENT_CODE).expect("the other shipment opens now");
    kiosk.scan(STRANGER).expect("an unexpected code");
    let view = kiosk.cancel_receiving().expect("nothing placed: it may be cancelled");
    assert!(view.receiving.is_none(), "the session is gone");
    assert_eq!(ops(&kiosk).len(), ops_before, "and it left no op");
    kiosk.scan(OTHER_SHIPMENT_CODE).expect("a cancelled shipment can be received afresh");
}

#[test]
fn an_order_is_issued_in_the_middle_of_receiving_and_receiving_resumes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = shelf_kiosk(&dir);
    kiosk.scan(SHIPMENT_CODE).expect("receiving opens");
    let card = kiosk.scan("482137").expect("a buyer comes: the order opens").view;
    assert!(card.receiving.is_some(), "receiving stays open behind the order card");
    let matched = kiosk.scan("4601234567893").expect("the dress goes to the order card");
    assert!(matches!(matched.notice, Some(ScanNotice::ItemMatched { .. })), "not to receiving");
    kiosk.set_aside().expect("the card is set aside");
    proposed(kiosk.scan(ANNA_1).expect("item scans go to receiving again").notice);
    kiosk.scan("482137").expect("the order again");
    let resumed = kiosk.scan(SHIPMENT_CODE).expect("the shipment's code brings receiving back");
    assert!(resumed.view.screen.order().is_none(), "the order card leaves the counter");
    assert!(resumed.view.receiving.and_then(|r| r.pending).is_some(), "the proposal is still waiting");
}

#[test]
fn scans_out_of_turn_are_refused_with_what_is_expected() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = shelf_kiosk(&dir);
    refused(kiosk.scan(&cell_label("A-01")), ErrorKind::ItemExpected, "a cell label with nothing to place");
    refused(kiosk.mark_damaged("itm-r-4-1", "разбита"), ErrorKind::NoReceivingSession, "damage with no session");
    refused(kiosk.close_receiving(), ErrorKind::NoReceivingSession, "closing with no session");
    refused(kiosk.cancel_receiving(), ErrorKind::NoReceivingSession, "cancelling with no session");

    kiosk.scan(SHIPMENT_CODE).expect("receiving opens");
    refused(kiosk.scan(&cell_label("A-01")), ErrorKind::ItemExpected, "a cell label before any item");
    refused(kiosk.mark_damaged("itm-1001-1", "пятно"), ErrorKind::NotInShipment, "an item of no shipment");
    refused(kiosk.mark_damaged("itm-r-4-1", "  "), ErrorKind::InvalidInput, "damage without a description");
    refused(kiosk.attach_damage_photo("itm-r-4-1", PNG), ErrorKind::InvalidInput, "a photo before the damage");
    proposed(kiosk.scan(ANNA_1).expect("matched").notice);
    let err = refused(kiosk.scan(BORIS), ErrorKind::CellExpected, "another item while a cell is awaited");
    assert_eq!(err.detail().as_deref(), Some("A-01"), "the refusal names the proposed cell");
    refused(kiosk.close_receiving(), ErrorKind::CellExpected, "closing while a cell is awaited");
    refused(kiosk.scan(&cell_label("B-01")), ErrorKind::CellFull, "a cell out of use (capacity 0)");
    refused(kiosk.scan(&cell_label("C-09")), ErrorKind::UnknownCell, "a cell the point does not have");
    let typed = placed(kiosk.scan("A-02").expect("a cell address typed instead of scanned").notice);
    assert_eq!(typed.1, "A-02", "is taken as the cell");
    let err = refused(kiosk.scan(ANNA_1), ErrorKind::AlreadyPlaced, "the same dress again");
    assert_eq!(err.detail().as_deref(), Some("A-02"), "the refusal says where it is");
    proposed(kiosk.scan(BORIS).expect("the jacket").notice);
    kiosk.mark_damaged("itm-r-2-1", "порван рукав").expect("the item waiting for a cell is damaged after all");
    let session = kiosk.view().expect("view").receiving.expect("receiving");
    assert!(session.pending.is_none(), "nothing waits for a cell any more");
    refused(kiosk.scan(&cell_label("A-03")), ErrorKind::ItemExpected, "so a cell label has nothing to place");
}

#[test]
fn a_proposed_cell_that_filled_up_meanwhile_is_refused_and_proposed_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = shelf_kiosk(&dir);
    kiosk.scan(SHIPMENT_CODE).expect("receiving opens");
    proposed(kiosk.scan(ANNA_1).expect("the dress").notice);
    kiosk.scan(&cell_label("A-01")).expect("the dress in A-01");
    let (_, cell) = proposed(kiosk.scan(ANNA_2).expect("the scarf").notice);
    assert_eq!(cell, "A-01", "the scarf is proposed beside the dress");

    // Meanwhile Дина's bag is moved into A-01 (two places): the proposal no longer fits.
    kiosk.move_item("itm-r-5-1", "A-01").expect("the bag moves into A-01");
    let err = refused(kiosk.scan(&cell_label("A-01")), ErrorKind::CellFull, "the proposed cell is full now");
    assert_eq!(err.detail().as_deref(), Some("A-01"), "the refusal names the full cell");
    let pending = kiosk.view().expect("view").receiving.and_then(|r| r.pending).expect("still waiting for a cell");
    assert_eq!(pending.proposed_cell, "A-02", "a cell with room is proposed instead");
    assert!(!pending.with_buyers_items, "no cell of Анна's has room");
    let counts: Vec<(String, u32)> =
        kiosk.list_cells().expect("cells").into_iter().map(|c| (c.label, c.items)).collect();
    assert_eq!(counts[0], ("A-01".to_owned(), 2), "A-01 holds no more than its two");

    // The point drops A-02 from its cells: the new proposal is refused as unknown and replaced.
    let fewer: Vec<_> = cells().into_iter().filter(|c| c.label != "A-02").collect();
    kiosk.apply_pull(&page("shelf-2", false, vec![Change::SetCells { cells: fewer }])).expect("the feed");
    refused(kiosk.scan(&cell_label("A-02")), ErrorKind::UnknownCell, "the proposed cell is gone");
    let pending = kiosk.view().expect("view").receiving.and_then(|r| r.pending).expect("still waiting for a cell");
    assert_eq!(pending.proposed_cell, "A-03", "the emptiest cell left (the bag moved out of it) is proposed");
    assert_eq!(placed(kiosk.scan(&cell_label("A-03")).expect("placed").notice).1, "A-03", "the scarf goes there");
}

#[test]
fn a_marking_code_finds_the_expected_item_known_by_its_ean13() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = shelf_kiosk(&dir);
    let coat = order(7, "Жанна К.", None, &[("itm-r-7-1", "Пальто", "4601234567893")]);
    let changes = vec![
        Change::UpsertOrder(coat.clone()),
        Change::UpsertShipment(shipment("SHP-M-001", "SHP-M-001-CODE", &[coat])),
    ];
    kiosk.apply_pull(&page("marks-1", false, changes)).expect("the coat's shipment arrives with the feed");
    kiosk.scan("SHP-M-001-CODE").expect("the shipment's code opens receiving");

    let mark = "010460123456789321COAT000000001\u{e8}93Ab+/";
    let (item, _) = proposed(kiosk.scan(mark).expect("the coat's marking code matches").notice);
    assert_eq!(item, "itm-r-7-1", "the mark's GTIN-14 is the coat's EAN-13 with a leading zero");
}
