//! Отправка возвратов through the kiosk core on a real SQLite file: items refused at the counter
//! wait among the returns, are packed into a box by barcode or return label, the box closes with
//! its label, and a driver identified by badge takes the closed boxes with an act. A restart comes
//! back to every screen.

use crate::support::counter::*;
use pvz_domain::{Kopecks, RefusalReason};
use pvz_kiosk_core::{DocumentRef, ErrorKind, ItemDecision, Kiosk, ScanNotice};
use pvz_protocol::{demo, Change, OpBody, PullPage, ReturnSource};

/// The dress of demo order 482137.
const DRESS: &str = "4601234567893";

/// Issues demo order 482137 with the dress refused as defective and the shoes handed over.
fn refuse_the_dress(kiosk: &Kiosk) {
    let card = kiosk.scan("482137").expect("order opens").view.screen.order().cloned().expect("card");
    let defect = ItemDecision::Refuse { reason: RefusalReason::Defect, description: Some("пятно".into()) };
    kiosk.decide_item(&card.order_id, &card.items[0].item_id, defect).expect("dress refused");
    kiosk.decide_item(&card.order_id, &card.items[1].item_id, ItemDecision::HandOver).expect("shoes handed over");
    kiosk.confirm_issue(&card.order_id, Kopecks(599_000), true).expect("issue completes");
}

fn accept_a_claim(kiosk: &Kiosk, clock: &Clock) -> String {
    kiosk.scan(&refund_code("cl-box", clock)).expect("claim opens");
    kiosk.scan(JACKET_BARCODE).expect("checked");
    kiosk.set_claim_condition("шов").expect("noted");
    kiosk.accept_claim_return().expect("accepted").screen.return_label().cloned().expect("label").return_id
}

#[test]
fn returns_are_boxed_by_code_and_label_and_the_closed_boxes_go_to_the_driver_with_an_act() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, clock) = seeded(&dir);
    refuse_the_dress(&kiosk);
    let jacket = accept_a_claim(&kiosk, &clock);

    let desk = kiosk.open_returns().expect("returns desk").screen.returns_desk().cloned().expect("desk shown");
    let dress =
        desk.waiting.iter().find(|u| u.source == ReturnSource::CounterRefusal).expect("the refused dress waits");
    assert_eq!(dress.reason, Some(RefusalReason::Defect), "with the reason it was refused for");
    assert_eq!(dress.code.as_deref(), Some(DRESS), "and its barcode");
    assert_eq!(desk.waiting.len(), 2, "the dress and the claim's jacket wait; the shoes left with the buyer");

    refused(kiosk.scan(DRESS), ErrorKind::NoOpenBox, "an item scanned before a box is open");
    refused(kiosk.close_box(), ErrorKind::NoOpenBox, "closing with no box open");
    kiosk.create_box().expect("a box is opened");
    refused(kiosk.create_box(), ErrorKind::BoxAlreadyOpen, "a second box while one is open");
    refused(kiosk.close_box(), ErrorKind::EmptyBox, "closing an empty box");

    let added = kiosk.scan(DRESS).expect("the dress goes into the box by barcode");
    assert!(matches!(added.notice, Some(ScanNotice::BoxItemAdded { .. })), "the notice says it was added");
    refused(kiosk.scan(DRESS), ErrorKind::NotAmongWaitingReturns, "the same dress again: none left waiting");
    refused(kiosk.scan("4607654321008"), ErrorKind::NotAmongWaitingReturns, "the shoes were handed over");
    kiosk.scan(&format!("PVZR1:{jacket}")).expect("the jacket goes in by its return label");
    refused(kiosk.scan(&format!("PVZR1:{jacket}")), ErrorKind::NotAmongWaitingReturns, "a label already packed");
    let desk = kiosk.remove_from_box(&jacket).expect("taken out again").screen.returns_desk().cloned().expect("desk");
    assert_eq!(desk.open_box.as_ref().map(|b| b.items.len()), Some(1), "only the dress is in the box");
    assert_eq!(desk.waiting.len(), 1, "the jacket waits again");
    refused(kiosk.remove_from_box(&jacket), ErrorKind::InvalidInput, "removing what is not in the box");

    let before = ops(&kiosk).len();
    let desk = kiosk.close_box().expect("the box closes").screen.returns_desk().cloned().expect("desk");
    assert!(desk.open_box.is_none(), "no box is open after closing");
    let closed = desk.closed_boxes.first().expect("the closed box waits for a driver");
    assert_eq!(closed.label_qr_text, Some(format!("PVZB1:{}:1", closed.box_id)), "the label encodes the box and count");
    assert!(closed.label_qr_data_uri.is_some(), "with its QR image");
    match ops(&kiosk).last() {
        Some(OpBody::ReturnBoxClosed { box_id, items }) => {
            assert_eq!(box_id.as_str(), closed.box_id, "the op names the box");
            assert_eq!(items.len(), 1, "with exactly the unit packed");
            assert_eq!(items[0].source, ReturnSource::CounterRefusal, "and where it came from");
            assert_eq!(items[0].item_id.as_ref().map(|i| i.as_str()), Some("itm-1001-1"), "the refused item");
        }
        other => panic!("the last op must close the box, got {other:?}"),
    }

    let identified = kiosk.scan(&badge(DRIVER)).expect("the driver's badge at the desk");
    assert_eq!(
        identified.notice,
        Some(ScanNotice::DriverIdentified { driver_id: DRIVER.into(), driver_name: DRIVER_NAME.into() }),
        "the desk names the driver"
    );
    assert_eq!(
        identified.view.screen.returns_desk().and_then(|r| r.driver.as_ref()).map(|d| d.name.as_str()),
        Some(DRIVER_NAME),
        "shown"
    );
    refused(kiosk.hand_over_boxes(COURIER), ErrorKind::DriverNotIdentified, "boxes handed to a courier");
    let done = kiosk.hand_over_boxes(DRIVER).expect("the boxes go to the driver");
    let act = done.screen.handover_act().expect("the handover act is shown");
    assert_eq!((act.driver_name.as_str(), act.boxes.len(), act.items), (DRIVER_NAME, 1, 1), "one box, one item");
    assert_eq!(ops(&kiosk).len(), before + 2, "closing and handing over wrote one op each");
    match ops(&kiosk).last() {
        Some(OpBody::BoxesHandedOver { driver_id, box_ids, handover_id }) => {
            assert_eq!(driver_id.as_str(), DRIVER, "the op names the driver");
            assert_eq!(box_ids.iter().map(|b| b.as_str()).collect::<Vec<_>>(), vec![closed.box_id.as_str()], "the box");
            assert_eq!(handover_id, &act.handover_id, "the act is the op's");
        }
        other => panic!("the last op must be the handover, got {other:?}"),
    }
    refused(kiosk.hand_over_boxes(DRIVER), ErrorKind::DriverNotIdentified, "handing over again: the driver left");
    let desk = kiosk.dismiss_handover_act().expect("dismissed");
    assert!(desk.screen.handover_act().is_none(), "the act leaves the screen");
    // The act stood in front of the desk until now.
    assert!(desk.screen.returns_desk().expect("desk").closed_boxes.is_empty(), "no closed box waits any more");
}

#[test]
fn boxes_go_only_to_the_driver_whose_badge_was_scanned_at_the_desk() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = seeded(&dir);
    refuse_the_dress(&kiosk);
    kiosk.create_box().expect("a box is opened");
    kiosk.scan(DRESS).expect("the dress goes into the box");
    kiosk.close_box().expect("the box closes");
    let handed_over = |kiosk: &Kiosk| ops(kiosk).iter().filter(|o| matches!(o, OpBody::BoxesHandedOver { .. })).count();

    refused(kiosk.hand_over_boxes(DRIVER), ErrorKind::DriverNotIdentified, "no driver's badge was scanned yet");
    kiosk.scan(&badge(OTHER_DRIVER)).expect("another driver's badge at the desk");
    refused(
        kiosk.hand_over_boxes(DRIVER),
        ErrorKind::DriverNotIdentified,
        "a working driver of the point, but not the one whose badge was scanned",
    );
    kiosk.close_returns().expect("the desk is left");
    kiosk.open_returns().expect("and opened again");
    refused(kiosk.hand_over_boxes(OTHER_DRIVER), ErrorKind::DriverNotIdentified, "leaving the desk forgets the driver");
    assert_eq!(handed_over(&kiosk), 0, "no box went to anyone whose badge was not scanned");

    kiosk.scan(&badge(OTHER_DRIVER)).expect("the driver's badge again");
    let act = kiosk
        .hand_over_boxes(OTHER_DRIVER)
        .expect("the identified driver takes the box")
        .screen
        .handover_act()
        .cloned();
    assert_eq!(act.map(|a| a.driver_name), Some(OTHER_DRIVER_NAME.to_owned()), "the act names the badge's driver");
    assert_eq!(handed_over(&kiosk), 1, "one handover op");
}

/// Demo order 482137 again, its dress without a barcode (as the server's demo items come).
fn forget_the_dress_barcode(kiosk: &Kiosk) {
    let (seed, _) = demo::seed();
    let mut order = seed
        .pull
        .changes
        .into_iter()
        .find_map(|c| match c {
            Change::UpsertOrder(o) if o.order_id.as_str() == "ord-1001" => Some(o),
            _ => None,
        })
        .expect("demo order 482137");
    order.items[0].barcode = None;
    let page = PullPage {
        cursor: "no-barcode".into(),
        has_more: false,
        reset: false,
        remaining: 0,
        max_wait_seconds: 0,
        changes: vec![Change::UpsertOrder(order)],
    };
    kiosk.apply_pull(&page).expect("the order comes again without the dress's barcode");
}

#[test]
fn a_unit_with_nothing_to_scan_goes_into_the_box_by_its_button_and_its_label_prints() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = seeded(&dir);
    forget_the_dress_barcode(&kiosk);
    refuse_the_dress(&kiosk);
    let desk = kiosk.open_returns().expect("returns desk").screen.returns_desk().cloned().expect("desk shown");
    let dress = desk.waiting.first().expect("the refused dress waits").clone();
    assert_eq!((dress.source, dress.code.as_deref()), (ReturnSource::CounterRefusal, None), "with no code to scan");
    let label = kiosk.document(&DocumentRef::ReturnLabel { return_id: dress.return_id.clone() }).expect("its label");
    assert_eq!(
        label.qr.map(|q| q.payload),
        Some(format!("PVZR1:{}", dress.return_id)),
        "its return label can be printed at the desk, before it is packed"
    );

    refused(kiosk.add_to_box(&dress.return_id), ErrorKind::NoOpenBox, "packing before a box is open");
    kiosk.create_box().expect("a box is opened");
    refused(kiosk.scan(DRESS), ErrorKind::NotAmongWaitingReturns, "the barcode it no longer carries finds nothing");
    refused(kiosk.add_to_box("ret-nobody"), ErrorKind::NotAmongWaitingReturns, "a unit never received here");
    refused(kiosk.add_to_box("not an id"), ErrorKind::InvalidInput, "a malformed id");
    let desk = kiosk
        .add_to_box(&dress.return_id)
        .expect("the dress goes in by its button")
        .screen
        .returns_desk()
        .cloned()
        .expect("desk");
    let packed: Vec<_> = desk.open_box.iter().flat_map(|b| &b.items).map(|u| u.return_id.as_str()).collect();
    assert_eq!(packed, vec![dress.return_id.as_str()], "the dress is in the open box");
    assert!(desk.waiting.is_empty(), "and no longer waits");
    refused(kiosk.add_to_box(&dress.return_id), ErrorKind::NotAmongWaitingReturns, "packing it twice");

    kiosk.close_box().expect("the box closes");
    match ops(&kiosk).last() {
        Some(OpBody::ReturnBoxClosed { items, .. }) => {
            assert_eq!(items.len(), 1, "the box holds one unit");
            assert_eq!(items[0].return_id.as_str(), dress.return_id, "the dress packed by its button");
        }
        other => panic!("the last op must close the box, got {other:?}"),
    }
}

#[test]
fn a_restart_comes_back_to_every_screen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("kiosk.sqlite3");
    let (kiosk, clock) = seeded(&dir);
    kiosk.scan(&refund_code("cl-restart", &clock)).expect("claim opens");
    kiosk.scan(JACKET_BARCODE).expect("checked");
    kiosk.set_claim_condition("как новая").expect("noted");
    drop(kiosk);
    let (kiosk, _clock) = open(&path);
    let claim = kiosk.view().expect("view").screen.claim_return().cloned().expect("the claim is still on the counter");
    assert!(claim.item_checked && claim.condition == "как новая", "with its check and note: {claim:?}");
    let label =
        kiosk.accept_claim_return().expect("accepted after the restart").screen.return_label().cloned().expect("label");
    drop(kiosk);

    let (kiosk, _clock) = open(&path);
    assert_eq!(
        kiosk.view().expect("view").screen.return_label().map(|l| &l.return_id),
        Some(&label.return_id),
        "label stays"
    );
    kiosk.scan(&badge(COURIER)).expect("hand-back starts");
    let item = match kiosk.scan("WB-SKU-555555").expect("scanned").notice {
        Some(ScanNotice::HandBackItemScanned { return_id }) => return_id,
        other => panic!("a scan during a hand-back goes into it, got {other:?}"),
    };
    drop(kiosk);

    let (kiosk, _clock) = open(&path);
    let hand_back = kiosk.view().expect("view").screen.hand_back().cloned().expect("the hand-back is still open");
    assert_eq!(hand_back.courier_name, COURIER_NAME, "with its courier");
    assert_eq!(hand_back.lines.len(), 1, "and its scan");
    kiosk.set_hand_back_reason(&item, RefusalReason::ChangedMind, None).expect("reason");
    kiosk.complete_hand_back("Мария").expect("completed");
    drop(kiosk);

    let (kiosk, _clock) = open(&path);
    assert!(kiosk.view().expect("view").screen.hand_back_act().is_some(), "the act stays on screen");
    kiosk.create_box().expect("a box opens the desk");
    kiosk.scan(&format!("PVZR1:{}", label.return_id)).expect("the jacket packed");
    drop(kiosk);

    let (kiosk, _clock) = open(&path);
    let desk = kiosk.view().expect("view").screen.returns_desk().cloned().expect("the returns desk is still open");
    assert_eq!(desk.open_box.map(|b| b.items.len()), Some(1), "with its open box and what is in it");
    assert_eq!(desk.waiting.len(), 1, "and the courier's item waiting");
    kiosk.close_returns().expect("desk closed");
    assert!(kiosk.view().expect("view").screen.returns_desk().is_none(), "the desk leaves the screen");
    kiosk.open_returns().expect("reopened");
    let desk = kiosk.view().expect("view").screen.returns_desk().cloned().expect("desk");
    assert!(desk.open_box.is_some(), "an open box stays open while the desk is closed");
}
