//! Staff badges at the counter on a real SQLite file: only a badge signed with the pinned key and
//! naming the holder's current badge number is accepted. A forged badge and an old unsigned one are
//! refused; a badge replaced by a newer one (how a lost badge is revoked) is refused as soon as the
//! feed brings the new number, offline from then on; the current badge starts a courier's hand-back
//! and hands the boxes to a driver.

use crate::support::counter::*;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use pvz_domain::{EmployeeId, Kopecks, RefusalReason};
use pvz_kiosk_core::{BadgeRefusal, ErrorKind, ItemDecision, Kiosk, ScanNotice};
use pvz_protocol::{demo, BadgeClaims, EmployeeRole, OpBody, PullPage};

/// The feed bringing a new badge number for one employee, as after `pvz-server badge <id>`.
fn new_badge_in_feed(kiosk: &Kiosk, id: &str, name: &str, role: EmployeeRole, serial: u32) {
    let page = PullPage {
        cursor: format!("badge-{id}-{serial}"),
        has_more: false,
        reset: false,
        remaining: 0,
        max_wait_seconds: 0,
        changes: vec![employee_with_badge(id, name, role, false, serial)],
    };
    kiosk.apply_pull(&page).expect("the feed brings the new badge number");
}

fn outbox_len(kiosk: &Kiosk) -> usize {
    ops(kiosk).len()
}

#[test]
fn a_forged_or_unsigned_badge_is_refused_and_starts_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = seeded(&dir);
    let before = outbox_len(&kiosk);

    // Another server's key: a badge printed anywhere but this network.
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let other_key = pvz_server::admin::Admin::open(elsewhere.path()).expect("another network").signing_key().clone();
    let courier = EmployeeId::parse(COURIER).expect("id");
    let printed_elsewhere = BadgeClaims { employee_id: courier, serial: 1 }.sign(&other_key);
    refused(
        kiosk.scan(&printed_elsewhere),
        ErrorKind::BadSignature,
        "a badge signed by a key other than the network's",
    );

    refused(
        kiosk.scan(&tampered(&badge(COURIER))),
        ErrorKind::BadSignature,
        "another employee's id under a genuine badge's signature",
    );
    // The same with a badge printed before compact codes: the driver's claims, the courier's signature.
    let drivers = BadgeClaims { employee_id: EmployeeId::parse(DRIVER).expect("id"), serial: 1 };
    let drivers_json = serde_json::to_vec(&drivers).expect("JSON");
    let (_, signature) = EARLIER_COURIER_BADGE.rsplit_once('.').expect("claims.signature");
    refused(
        kiosk.scan(&format!("PVZE2.{}.{signature}", URL_SAFE_NO_PAD.encode(drivers_json))),
        ErrorKind::BadSignature,
        "another employee's id under a genuine earlier badge's signature",
    );

    let old = refused(kiosk.scan(&format!("PVZE1:{COURIER}")), ErrorKind::UnknownBadge, "an old unsigned badge");
    let view = old.to_view();
    assert!(
        view.message.contains(&format!("pvz-server badge {COURIER}")) && view.message.contains("new badge"),
        "the refusal tells the manager to have a new badge printed, and how: {}",
        view.message
    );
    assert_eq!(
        view.detail.as_deref(),
        Some(BadgeRefusal::Unsigned.as_str()),
        "the detail names the reason, for the banner to say it in Russian: {view:?}"
    );

    let counter = kiosk.view().expect("view");
    assert!(counter.screen.hand_back().is_none(), "no refused badge started a hand-back");
    assert_eq!(outbox_len(&kiosk), before, "no refused badge wrote anything");
}

#[test]
fn a_replaced_badge_is_refused_once_the_feed_brings_the_new_number_and_the_new_one_starts_the_hand_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = seeded(&dir);
    let started = kiosk.scan(&badge_no(COURIER, 1)).expect("badge no. 1 is the courier's current badge");
    assert_eq!(started.notice, Some(ScanNotice::HandBackStarted), "the current badge starts a hand-back");
    kiosk.cancel_hand_back().expect("the hand-back is cancelled");
    let printed = kiosk.scan(EARLIER_COURIER_BADGE).expect("the same badge printed before compact codes works");
    assert_eq!(printed.notice, Some(ScanNotice::HandBackStarted), "the earlier print starts a hand-back too");
    kiosk.cancel_hand_back().expect("the hand-back is cancelled");

    // The courier lost badge no. 1; the network issued no. 2, which this counter has not pulled yet.
    let ahead = refused(kiosk.scan(&badge_no(COURIER, 2)), ErrorKind::UnknownBadge, "a badge newer than the feed's");
    assert!(ahead.to_string().contains("sync"), "the refusal says to let the counter sync first: {ahead}");
    assert_eq!(
        ahead.to_view().detail.as_deref(),
        Some(BadgeRefusal::NewerThanKnown.as_str()),
        "the banner can say to sync first"
    );

    new_badge_in_feed(&kiosk, COURIER, COURIER_NAME, EmployeeRole::Courier, 2);
    let lost = refused(kiosk.scan(&badge_no(COURIER, 1)), ErrorKind::UnknownBadge, "the lost badge, revoked");
    refused(kiosk.scan(EARLIER_COURIER_BADGE), ErrorKind::UnknownBadge, "its earlier print, revoked with it");
    assert!(lost.to_string().contains("replaced"), "the refusal says the badge was replaced by a newer one: {lost}");
    assert_eq!(
        lost.to_view().detail.as_deref(),
        Some(BadgeRefusal::Replaced.as_str()),
        "the banner can say the badge was replaced"
    );
    assert!(kiosk.view().expect("view").screen.hand_back().is_none(), "the revoked badge started no hand-back");

    let started = kiosk.scan(&badge_no(COURIER, 2)).expect("the new badge works, offline too: the staff are cached");
    assert_eq!(started.notice, Some(ScanNotice::HandBackStarted), "the new badge starts the hand-back");
    let hand_back = kiosk.view().expect("view").screen.hand_back().cloned().expect("the hand-back is on the counter");
    assert_eq!(hand_back.courier_name, COURIER_NAME, "naming the badge's holder");
    let jeans = match kiosk.scan("WB-SKU-100001").expect("an item is scanned").notice {
        Some(ScanNotice::HandBackItemScanned { return_id }) => return_id,
        other => panic!("an item scanned during the hand-back must go into it, got {other:?}"),
    };
    kiosk.set_hand_back_reason(&jeans, RefusalReason::Defect, Some("порвана штанина")).expect("reason");
    kiosk.complete_hand_back("Мария Менеджер").expect("the hand-back completes");
    match ops(&kiosk).last() {
        Some(OpBody::CourierHandBackCompleted { courier_id, .. }) => {
            assert_eq!(courier_id.as_str(), COURIER, "the op names the new badge's holder")
        }
        other => panic!("the last op must be the hand-back, got {other:?}"),
    }
}

#[test]
fn only_the_drivers_current_badge_takes_the_boxes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = seeded(&dir);
    let card = kiosk.scan("482137").expect("order opens").view.screen.order().cloned().expect("card");
    let defect = ItemDecision::Refuse { reason: RefusalReason::Defect, description: Some("пятно".into()) };
    kiosk.decide_item(&card.order_id, &card.items[0].item_id, defect).expect("dress refused");
    kiosk.decide_item(&card.order_id, &card.items[1].item_id, ItemDecision::HandOver).expect("shoes handed over");
    kiosk.confirm_issue(&card.order_id, Kopecks(599_000), true).expect("issue completes");
    kiosk.create_box().expect("a box is opened");
    kiosk.scan("4601234567893").expect("the refused dress goes into the box");
    kiosk.close_box().expect("the box closes");

    new_badge_in_feed(&kiosk, DRIVER, DRIVER_NAME, EmployeeRole::Driver, 2);
    refused(kiosk.scan(&badge_no(DRIVER, 1)), ErrorKind::UnknownBadge, "the driver's replaced badge");
    refused(
        kiosk.hand_over_boxes(DRIVER),
        ErrorKind::DriverNotIdentified,
        "a revoked badge identifies nobody: the boxes stay at the point",
    );

    let identified = kiosk.scan(&badge_no(DRIVER, 2)).expect("the driver's current badge at the desk");
    assert_eq!(
        identified.notice,
        Some(ScanNotice::DriverIdentified { driver_id: DRIVER.into(), driver_name: DRIVER_NAME.into() }),
        "the current badge names the driver at the desk"
    );
    // Badge no. 2 is lost right after the scan: the network issues no. 3 and the counter pulls it.
    new_badge_in_feed(&kiosk, DRIVER, DRIVER_NAME, EmployeeRole::Driver, 3);
    let replaced = refused(
        kiosk.hand_over_boxes(DRIVER),
        ErrorKind::UnknownBadge,
        "the badge that identified the driver was revoked before the handover",
    );
    assert_eq!(
        replaced.to_view().detail.as_deref(),
        Some(BadgeRefusal::Replaced.as_str()),
        "the banner says the badge was replaced"
    );
    kiosk.scan(&badge_no(DRIVER, 3)).expect("the driver shows the newest badge");
    let act = kiosk
        .hand_over_boxes(DRIVER)
        .expect("the boxes go to the driver")
        .screen
        .handover_act()
        .cloned()
        .expect("the act");
    assert_eq!((act.driver_name.as_str(), act.boxes.len()), (DRIVER_NAME, 1), "the act names the badge's driver");
    match ops(&kiosk).last() {
        Some(OpBody::BoxesHandedOver { driver_id, .. }) => {
            assert_eq!(driver_id.as_str(), DRIVER, "the custody log will name the driver whose badge was scanned")
        }
        other => panic!("the last op must be the handover, got {other:?}"),
    }
}

#[test]
fn a_demo_kiosk_without_staff_refuses_every_badge_and_keeps_working() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = open(&dir.path().join("kiosk.sqlite3"));
    let (seed, _) = demo::seed();
    assert!(kiosk.import_seed(&seed).expect("seed imports"), "a fresh store takes the file demo seed");

    refused(kiosk.scan(&badge("courier-ivan")), ErrorKind::UnknownBadge, "a signed badge: the seed has no staff");
    refused(kiosk.scan("PVZE1:courier-ivan"), ErrorKind::UnknownBadge, "an old unsigned badge");
    let card = kiosk.scan("482137").expect("the counter works on after the refusals").view.screen.order().cloned();
    assert!(card.is_some(), "the demo order opens as before");
}
