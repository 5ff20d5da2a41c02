//! Приём отказов от курьера through the kiosk core on a real SQLite file: the courier's badge starts
//! a hand-back, scans are matched to the manifest (or recorded ad hoc offline), each item's reason
//! fixes its fee (a defect is free, a buyer-side reason costs the policy fee), and completing writes
//! one op with the missing and extra items, a returned unit per item and the act.

use crate::support::counter::*;
use pvz_domain::{EmployeeId, FeeRule, ItemId, Kopecks, OrderId, RefusalReason};
use pvz_kiosk_core::{DocumentRef, ErrorKind, ScanNotice};
use pvz_protocol::{CourierManifest, EmployeeRole, EmployeeWire, ManifestLine, OpBody, ReturnSource};

const JEANS: &str = "WB-SKU-100001";
const MUG: &str = "WB-SKU-100002";
const STRANGER: &str = "WB-SKU-999999";
/// The demo policy's fee for clothes.
const CLOTHES_FEE: Kopecks = Kopecks(14_900);

fn line(n: u32, name: &str, barcode: &str, category: &str) -> ManifestLine {
    ManifestLine {
        item_id: ItemId::parse(&format!("itm-c-{n}")).expect("item id"),
        order_id: OrderId::parse(&format!("ord-c-{n}")).expect("order id"),
        name: name.into(),
        variant: "—".into(),
        barcode: Some(barcode.into()),
        mark: None,
        category: category.into(),
        price: Kopecks(300_000),
        prepaid: false,
    }
}

fn manifest() -> CourierManifest {
    CourierManifest {
        courier: EmployeeWire {
            employee_id: EmployeeId::parse(COURIER).expect("id"),
            name: COURIER_NAME.into(),
            role: EmployeeRole::Courier,
            retired: false,
            pin_hash: None,
            badge_serial: 1,
        },
        lines: vec![line(1, "Джинсы", JEANS, "clothes"), line(2, "Кружка", MUG, "home")],
    }
}

fn scanned_return_id(kiosk: &pvz_kiosk_core::Kiosk, code: &str) -> String {
    match kiosk.scan(code).expect("the item is scanned into the hand-back").notice {
        Some(ScanNotice::HandBackItemScanned { return_id }) => return_id,
        other => panic!("scanning {code} during a hand-back must say it was scanned, got {other:?}"),
    }
}

#[test]
fn a_hand_back_against_the_manifest_shows_the_missing_and_the_extra_and_fixes_each_fee() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = seeded(&dir);
    let started = kiosk.scan(&badge(COURIER)).expect("the courier's badge starts a hand-back");
    assert_eq!(started.notice, Some(ScanNotice::HandBackStarted), "the notice says a hand-back started");
    let view = kiosk.apply_courier_manifest(&manifest()).expect("the manifest is loaded");
    let hand_back = view.screen.hand_back().expect("the hand-back is shown");
    assert!(hand_back.manifest_loaded, "the manifest came from the server");
    assert_eq!((hand_back.lines.len(), hand_back.missing, hand_back.extra), (2, 2, 0), "two lines, none brought yet");

    let jeans = scanned_return_id(&kiosk, JEANS);
    let extra = scanned_return_id(&kiosk, STRANGER);
    let hand_back = kiosk.view().expect("view").screen.hand_back().cloned().expect("hand-back");
    assert_eq!((hand_back.missing, hand_back.extra), (1, 1), "the mug is missing, one item is not on the manifest");
    assert_eq!(hand_back.lines[0].scanned.as_ref().map(|s| s.return_id.clone()), Some(jeans.clone()), "jeans matched");
    assert_eq!(hand_back.lines[2].item_id, None, "the extra comes after the manifest lines, with no item");

    let before = ops(&kiosk).len();
    refused(kiosk.complete_hand_back("Мария Менеджер"), ErrorKind::ReasonsMissing, "completing before the reasons");
    refused(
        kiosk.set_hand_back_reason(&extra, RefusalReason::Defect, None),
        ErrorKind::DefectNeedsDescription,
        "a defect without a description",
    );
    kiosk.set_hand_back_reason(&jeans, RefusalReason::DidNotFit, None).expect("buyer-side reason");
    let view = kiosk.set_hand_back_reason(&extra, RefusalReason::Defect, Some("разбит экран")).expect("defect");
    let lines = view.screen.hand_back().cloned().expect("hand-back").lines;
    let jeans_scan = lines[0].scanned.clone().expect("jeans scanned");
    assert_eq!((jeans_scan.fee, jeans_scan.fee_rule), (CLOTHES_FEE, Some(FeeRule::PolicyFee)), "policy fee");
    let extra_scan = lines[2].scanned.clone().expect("extra scanned");
    assert_eq!((extra_scan.fee, extra_scan.fee_rule), (Kopecks::ZERO, Some(FeeRule::DefectFree)), "a defect is free");
    refused(kiosk.complete_hand_back("  "), ErrorKind::InvalidInput, "completing without who accepted");
    assert_eq!(ops(&kiosk).len(), before, "nothing was written before the hand-back completed");

    let done = kiosk.complete_hand_back("Мария Менеджер").expect("the hand-back completes");
    assert!(done.screen.hand_back().is_none(), "the hand-back leaves the counter");
    let act = done.screen.hand_back_act().expect("the act is shown");
    assert_eq!((act.courier_name.as_str(), act.accepted_by.as_str()), (COURIER_NAME, "Мария Менеджер"), "both parties");
    assert_eq!(act.missing, vec!["Кружка".to_owned()], "the act lists the missing mug");
    assert_eq!((act.accepted.len(), act.extra, act.fees), (2, 1, CLOTHES_FEE), "two accepted, one extra, one fee");

    let all = ops(&kiosk);
    assert_eq!(all.len(), before + 1, "completing wrote exactly one op");
    match all.last() {
        Some(OpBody::CourierHandBackCompleted { courier_id, accepted_by, items, missing, .. }) => {
            assert_eq!(courier_id.as_str(), COURIER, "the op names the courier");
            assert_eq!(accepted_by, "Мария Менеджер", "and who accepted");
            assert_eq!(missing.iter().map(|i| i.as_str()).collect::<Vec<_>>(), vec!["itm-c-2"], "the mug is missing");
            assert_eq!(items.len(), 2, "two items handed back");
            assert_eq!(items[0].item_id.as_ref().map(|i| i.as_str()), Some("itm-c-1"), "the jeans matched their line");
            assert_eq!((items[0].reason, items[0].fee), (RefusalReason::DidNotFit, CLOTHES_FEE), "with the fee fixed");
            assert_eq!(items[1].item_id, None, "the extra matched nothing");
            assert_eq!((items[1].code.as_str(), items[1].fee), (STRANGER, Kopecks::ZERO), "free, with its code");
        }
        other => panic!("the last op must be the hand-back, got {other:?}"),
    }
    let waiting = kiosk.open_returns().expect("desk").screen.returns_desk().cloned().expect("desk shown").waiting;
    let from_courier: Vec<_> = waiting.iter().filter(|u| u.source == ReturnSource::Courier).collect();
    assert_eq!(from_courier.len(), 2, "each handed-back item waits to be boxed: {waiting:?}");
    assert!(from_courier.iter().any(|u| u.return_id == jeans), "under the id scanned");
    let view = kiosk.dismiss_hand_back_act().expect("act dismissed");
    assert!(view.screen.hand_back_act().is_none(), "the act leaves the screen");
}

#[tokio::test]
async fn offline_the_hand_back_is_ad_hoc_and_a_late_manifest_still_matches_the_scans() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = seeded(&dir);
    kiosk.scan(&badge(COURIER)).expect("hand-back starts");
    let view = kiosk.load_courier_manifest().await.expect("without a server the counter goes on");
    let hand_back = view.screen.hand_back().expect("hand-back shown");
    assert!(!hand_back.manifest_loaded, "no manifest: the hand-back is recorded ad hoc");
    let mug = scanned_return_id(&kiosk, MUG);
    let hand_back = kiosk.view().expect("view").screen.hand_back().cloned().expect("hand-back");
    assert_eq!((hand_back.lines.len(), hand_back.extra, hand_back.missing), (1, 1, 0), "an ad hoc item is an extra");

    let view = kiosk.apply_courier_manifest(&manifest()).expect("the manifest arrives late");
    let hand_back = view.screen.hand_back().expect("hand-back");
    assert_eq!((hand_back.extra, hand_back.missing), (0, 1), "the mug now matches its line; the jeans are missing");
    kiosk.remove_hand_back_item(&mug).expect("scanned by mistake");
    let hand_back = kiosk.view().expect("view").screen.hand_back().cloned().expect("hand-back");
    assert_eq!(hand_back.missing, 2, "removed: both lines missing again");
    refused(kiosk.complete_hand_back("Мария"), ErrorKind::HandBackEmpty, "completing with nothing scanned");

    let offline = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = seeded(&offline);
    kiosk.scan(&badge(COURIER)).expect("hand-back starts");
    let item = scanned_return_id(&kiosk, JEANS);
    let mug = scanned_return_id(&kiosk, MUG);
    kiosk.set_hand_back_reason(&item, RefusalReason::WrongItem, None).expect("seller's fault");
    let view = kiosk.set_hand_back_reason(&mug, RefusalReason::ChangedMind, None).expect("buyer-side reason");
    let by_server: Vec<_> = view
        .screen
        .hand_back()
        .cloned()
        .expect("hand-back")
        .lines
        .iter()
        .filter_map(|l| l.scanned.as_ref())
        .map(|s| s.fee_set_by_server)
        .collect();
    assert_eq!(by_server, vec![false, true], "without the manifest only the server knows the mug's category fee");
    let act = kiosk
        .complete_hand_back("Мария")
        .expect("an ad hoc hand-back completes")
        .screen
        .hand_back_act()
        .cloned()
        .expect("act");
    assert_eq!(act.fees, Kopecks::ZERO, "the counter's guess for the mug is not totalled: the server charges its own");
    match ops(&kiosk).last() {
        Some(OpBody::CourierHandBackCompleted { items, missing, .. }) => {
            assert!(missing.is_empty(), "without a manifest nothing is missing");
            assert_eq!((items.len(), items[0].item_id.as_ref()), (2, None), "the server matches the items by code");
            assert_eq!(items[0].fee, Kopecks::ZERO, "a wrong item is the seller's fault: free");
        }
        other => panic!("the last op must be the hand-back, got {other:?}"),
    }
}

#[test]
fn the_act_totals_the_fees_of_manifest_lines_and_leaves_the_others_to_the_server() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = seeded(&dir);
    kiosk.scan(&badge(COURIER)).expect("hand-back starts");
    kiosk.apply_courier_manifest(&manifest()).expect("the manifest is loaded");
    let jeans = scanned_return_id(&kiosk, JEANS);
    let extra = scanned_return_id(&kiosk, STRANGER);
    let mug = scanned_return_id(&kiosk, MUG);
    kiosk.set_hand_back_reason(&jeans, RefusalReason::DidNotFit, None).expect("buyer-side reason");
    kiosk.set_hand_back_reason(&extra, RefusalReason::ChangedMind, None).expect("buyer-side reason for the extra");
    let view = kiosk.set_hand_back_reason(&mug, RefusalReason::Defect, Some("скол")).expect("defect");
    let lines = view.screen.hand_back().cloned().expect("hand-back").lines;
    let by_server = |n: usize| lines[n].scanned.as_ref().map(|s| s.fee_set_by_server);
    assert_eq!(by_server(0), Some(false), "the jeans' line names the category: the counter's fee is the ledger's");
    assert_eq!(by_server(1), Some(false), "a defect is free whoever counts");
    assert_eq!(by_server(2), Some(true), "the extra's fee is the server's to set (it charges none for an extra)");

    let act =
        kiosk.complete_hand_back("Мария Менеджер").expect("completed").screen.hand_back_act().cloned().expect("act");
    assert_eq!(act.fees, CLOTHES_FEE, "the act totals only the jeans' fee: the extra costs the buyer nothing");
    let extra_line = act.accepted.iter().find(|l| l.item_id.is_none()).expect("the extra is on the act");
    assert!(extra_line.scanned.as_ref().is_some_and(|s| s.fee_set_by_server), "marked as set by the server");
    let paper = kiosk.document(&DocumentRef::HandBackAct { hand_back_id: act.hand_back_id }).expect("the act prints");
    let rows = paper.table.expect("the act's table").rows;
    assert_eq!(rows[2].last().map(String::as_str), Some("устанавливает сервер"), "the printed fee says who sets it");
    assert_eq!(rows[0].last().map(String::as_str), Some(CLOTHES_FEE.to_string().as_str()), "the jeans' fee printed");
    assert!(paper.notes.iter().any(|n| n.contains("устанавливает сервер")), "a note explains: {:?}", paper.notes);
}

/// The demo policy's fee for a category it does not name: what an item scanned before its manifest costs.
const DEFAULT_FEE: Kopecks = Kopecks(9_900);

#[test]
fn a_manifest_arriving_after_the_reason_refixes_the_fee_from_the_lines_category() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = seeded(&dir);
    kiosk.scan(&badge(COURIER)).expect("hand-back starts");
    let jeans = scanned_return_id(&kiosk, JEANS);
    let mug = scanned_return_id(&kiosk, MUG);
    let view = kiosk.set_hand_back_reason(&jeans, RefusalReason::DidNotFit, None).expect("buyer-side reason");
    kiosk.set_hand_back_reason(&mug, RefusalReason::Defect, Some("скол")).expect("defect");
    let before = view.screen.hand_back().expect("hand-back").lines[0].scanned.clone().expect("jeans scanned");
    assert_eq!(before.fee, DEFAULT_FEE, "before the manifest the jeans' category is unknown: the default fee");

    let view = kiosk.apply_courier_manifest(&manifest()).expect("the manifest arrives after the reasons");
    let lines = view.screen.hand_back().cloned().expect("hand-back").lines;
    let jeans_scan = lines[0].scanned.clone().expect("the jeans match their line");
    assert_eq!(
        (jeans_scan.fee, jeans_scan.fee_rule),
        (CLOTHES_FEE, Some(FeeRule::PolicyFee)),
        "matched to a clothes line, the jeans cost the clothes fee, not the default"
    );
    let mug_scan = lines[1].scanned.clone().expect("the mug matches its line");
    assert_eq!(
        (mug_scan.fee, mug_scan.reason, mug_scan.description.as_deref()),
        (Kopecks::ZERO, Some(RefusalReason::Defect), Some("скол")),
        "a defect stays free and keeps its reason and description"
    );

    kiosk.complete_hand_back("Мария Менеджер").expect("the hand-back completes");
    match ops(&kiosk).last() {
        Some(OpBody::CourierHandBackCompleted { items, missing, .. }) => {
            assert!(missing.is_empty(), "both lines were brought");
            assert_eq!(items[0].item_id.as_ref().map(|i| i.as_str()), Some("itm-c-1"), "the op names the jeans' line");
            assert_eq!(items[0].fee, CLOTHES_FEE, "with the fee the server expects for the line's category");
        }
        other => panic!("the last op must be the hand-back, got {other:?}"),
    }
}

#[test]
fn badges_are_checked_and_a_hand_back_holds_the_counter_until_done() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = seeded(&dir);
    refused(kiosk.scan(&badge("emp-nobody")), ErrorKind::UnknownBadge, "a badge the point does not know");
    refused(kiosk.scan(&badge(RETIRED_COURIER)), ErrorKind::RetiredBadge, "a retired courier's badge");
    refused(kiosk.scan(&badge(MANAGER)), ErrorKind::WrongRole, "a manager's badge");
    refused(kiosk.scan(&badge(DRIVER)), ErrorKind::NoBoxesToHandOver, "a driver with no closed box to take");

    kiosk.scan(&badge(COURIER)).expect("hand-back starts");
    let again = kiosk.scan(&badge(COURIER)).expect("the same courier's badge resumes it");
    assert_eq!(again.notice, Some(ScanNotice::HandBackStarted), "resumed, not doubled");
    refused(kiosk.scan(&badge(OTHER_COURIER)), ErrorKind::HandBackInProgress, "another courier meanwhile");
    refused(kiosk.scan("482137"), ErrorKind::HandBackInProgress, "a buyer code meanwhile");
    refused(kiosk.open_returns(), ErrorKind::HandBackInProgress, "the returns desk meanwhile");
    refused(
        kiosk.set_hand_back_reason("nope", RefusalReason::Defect, Some("x")),
        ErrorKind::InvalidInput,
        "a foreign id",
    );

    let view = kiosk.cancel_hand_back().expect("cancelled");
    assert!(view.screen.hand_back().is_none(), "the cancelled hand-back leaves the counter");
    kiosk.scan("482137").expect("the counter is free again");
    refused(kiosk.complete_hand_back("Мария"), ErrorKind::NoActiveHandBack, "completing with no hand-back");
    assert_eq!(
        ops(&kiosk).iter().filter(|o| matches!(o, OpBody::CourierHandBackCompleted { .. })).count(),
        0,
        "a cancelled hand-back wrote no op"
    );

    let reset = pvz_protocol::PullPage {
        cursor: "r-1".into(),
        has_more: false,
        reset: true,
        remaining: 0,
        changes: vec![],
        max_wait_seconds: 0,
    };
    kiosk.apply_pull(&reset).expect("the server rebuilt its feed");
    kiosk.set_aside().expect("order card closed");
    refused(
        kiosk.scan(&badge(COURIER)),
        ErrorKind::UnknownBadge,
        "a reset drops the cached staff until they are sent again",
    );
}
