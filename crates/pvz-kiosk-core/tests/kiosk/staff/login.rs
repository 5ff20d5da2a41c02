//! PIN login at the counter on temp SQLite files: login is required only once the network set up
//! managers with PINs, and stays required through a reset or with every manager retired; wrong PINs
//! lock a manager out (and a restart keeps the lock); ten idle minutes, or a clock set back, lock the
//! counter; every counter write needs a manager on duty and an open shift, while the view always works.

use crate::support::counter::*;
use crate::support::staff::*;
use pvz_domain::Kopecks;
use pvz_kiosk_core::{ErrorKind, SessionLock};
use pvz_protocol::{demo, PullPage};

#[test]
fn without_managers_with_a_pin_the_counter_works_as_before() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = seeded(&dir);
    let view = kiosk.view().expect("view");
    assert!(!view.session.login_required, "a manager without a PIN does not make login required");
    assert!(view.session.managers.is_empty(), "nobody to pick on a PIN screen");
    let card = kiosk.scan("905311").err();
    assert_eq!(card.map(|e| e.kind()), Some(ErrorKind::AlreadyIssued), "scans work without login");
    let card = kiosk.scan("730518").expect("the order opens without login").view.screen.order().cloned().expect("card");
    kiosk.hand_over_rest(&card.order_id).expect("handed over");
    kiosk.confirm_issue(&card.order_id, Kopecks(69_000), true).expect("issued without a shift");
    let history = kiosk.item_history("itm-1003-1").expect("history");
    assert!(
        history.events.iter().all(|e| e.operator.is_none()),
        "ops record no operator where login is not required: {:?}",
        history.events
    );
}

#[test]
fn counter_writes_need_a_manager_on_duty_and_an_open_shift_but_the_view_always_works() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = staffed(&dir);
    let view = kiosk.view().expect("the view works before login");
    assert!(view.session.login_required, "managers with PINs make login required");
    let names: Vec<&str> = view.session.managers.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, [ANNA_NAME, BORIS_NAME], "the PIN screen lists the managers by name");
    refused(kiosk.scan("730518"), ErrorKind::LoginRequired, "a scan before login");
    refused(kiosk.create_box(), ErrorKind::LoginRequired, "a box before login");
    refused(kiosk.open_shift(), ErrorKind::LoginRequired, "a shift before login");

    let view = kiosk.log_in(ANNA, ANNA_PIN).expect("Anna logs in");
    assert_eq!(view.session.logged_in.map(|s| s.name), Some(ANNA_NAME.to_owned()), "Anna is on duty");
    refused(kiosk.scan("730518"), ErrorKind::ShiftNotOpen, "a scan before the shift opens");
    let view = kiosk.open_shift().expect("the shift opens");
    let shift = view.session.shift.expect("the open shift is shown");
    assert_eq!(shift.opened_by.map(|s| s.name), Some(ANNA_NAME.to_owned()), "Anna opened it");
    refused(kiosk.open_shift(), ErrorKind::ShiftAlreadyOpen, "a second shift on this device");
    let card = kiosk.scan("730518").expect("now the order opens").view.screen.order().cloned().expect("card");
    kiosk.hand_over_rest(&card.order_id).expect("handed over");

    kiosk.log_out().expect("Anna logs out");
    refused(kiosk.confirm_issue(&card.order_id, Kopecks(69_000), true), ErrorKind::LoginRequired, "after log out");
    let view = kiosk.view().expect("the view works after log out");
    assert!(view.screen.order().is_some() && view.session.logged_in.is_none(), "the card stays, nobody is on duty");
    assert!(view.session.shift.is_some(), "the shift stays open for the next manager");
    kiosk.log_in(BORIS, BORIS_PIN).expect("Boris logs in");
    kiosk.confirm_issue(&card.order_id, Kopecks(69_000), true).expect("Boris completes the issue");
    let history = kiosk.item_history("9785170000005").expect("the book's history");
    let operators: Vec<Option<String>> = history.events.iter().map(|e| e.operator.clone().map(|o| o.name)).collect();
    assert_eq!(
        operators,
        [Some(ANNA_NAME.to_owned()), Some(ANNA_NAME.to_owned()), Some(BORIS_NAME.to_owned())],
        "opened and decided by Anna, issued by Boris"
    );
}

#[test]
fn only_an_active_manager_with_a_pin_logs_in() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = staffed(&dir);
    refused(kiosk.log_in(COURIER, "1234"), ErrorKind::NotAManager, "a courier");
    refused(kiosk.log_in("emp-nobody", "1234"), ErrorKind::NotAManager, "an unknown id");
    refused(kiosk.log_in(MANAGER, "1234"), ErrorKind::PinNotSet, "a manager without a PIN");
    refused(kiosk.log_in(ANNA, "12a4"), ErrorKind::InvalidInput, "a malformed PIN");
    let wrong = refused(kiosk.log_in(ANNA, "0000"), ErrorKind::WrongPin, "a wrong PIN");
    assert_eq!(wrong.detail().as_deref(), Some("4"), "the malformed one did not count: 4 tries left");
    kiosk.log_in(ANNA, ANNA_PIN).expect("Anna logs in");
    set_retired(&kiosk, ANNA, ANNA_NAME, ANNA_PIN, true);
    let view = kiosk.view().expect("view");
    assert!(view.session.logged_in.is_none(), "a manager retired meanwhile is no longer on duty");
    refused(kiosk.log_in(ANNA, ANNA_PIN), ErrorKind::NotAManager, "a retired manager");
}

#[test]
fn five_wrong_pins_lock_a_manager_out_and_a_restart_keeps_the_lock() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = staffed(&dir);
    for tries_left in (1..=4).rev() {
        let e = refused(kiosk.log_in(ANNA, "1111"), ErrorKind::WrongPin, "a wrong PIN");
        assert_eq!(e.detail(), Some(tries_left.to_string()), "the detail says how many tries are left");
    }
    let locked = refused(kiosk.log_in(ANNA, "1111"), ErrorKind::PinLocked, "the fifth wrong PIN");
    assert_eq!(locked.detail().as_deref(), Some("2026-11-26T10:05:00.000Z"), "locked for five minutes");
    refused(kiosk.log_in(ANNA, ANNA_PIN), ErrorKind::PinLocked, "even the right PIN during the lockout");
    kiosk.log_in(BORIS, BORIS_PIN).expect("the lockout is Anna's only");
    let shown = kiosk.view().expect("view").session.managers;
    assert_eq!(shown[0].locked_until.as_deref(), Some("2026-11-26T10:05:00.000Z"), "the PIN screen shows it");
    drop(kiosk);

    let (kiosk, restarted) = reopen(&dir);
    refused(kiosk.log_in(ANNA, ANNA_PIN), ErrorKind::PinLocked, "a restart keeps the lockout");
    restarted.advance_seconds(5 * 60);
    let view = kiosk.log_in(ANNA, ANNA_PIN).expect("after the lockout the right PIN logs in");
    assert_eq!(view.session.logged_in.map(|s| s.employee_id), Some(ANNA.to_owned()), "Anna is on duty");
    assert!(view.session.managers.iter().all(|m| m.locked_until.is_none()), "no lockout is shown any more");
    let e = refused(kiosk.log_in(ANNA, "1111"), ErrorKind::WrongPin, "a wrong PIN after a correct one");
    assert_eq!(e.detail().as_deref(), Some("4"), "the count started over");
}

#[test]
fn ten_idle_minutes_lock_the_counter_until_a_pin_is_entered() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, clock) = staffed(&dir);
    on_duty(&kiosk);
    clock.advance_seconds(9 * 60 + 59);
    let view = kiosk.scan("730518").expect("9:59 idle: still on duty").view;
    assert_eq!(view.session.idle_lock_at.as_deref(), Some("2026-11-26T10:19:59.000Z"), "the scan kept it alive");
    clock.advance_seconds(5 * 60);
    kiosk.keep_alive().expect("a key press keeps the session alive too");
    clock.advance_seconds(10 * 60);
    refused(kiosk.scan("4600000000008"), ErrorKind::IdleLocked, "ten idle minutes lock the counter");
    let view = kiosk.view().expect("the view works while locked");
    assert!(view.session.logged_in.is_none(), "nobody is on duty while locked");
    match view.session.lock {
        Some(SessionLock::Idle { manager }) => assert_eq!(manager.name, ANNA_NAME, "locked on Anna"),
        other => panic!("the counter must show the idle lock, got {other:?}"),
    }
    assert!(kiosk.keep_alive().expect("session").lock.is_some(), "a key press does not unlock it");
    kiosk.log_in(BORIS, BORIS_PIN).expect("another manager takes over");
    assert!(kiosk.scan("730518").is_ok(), "the counter works again, the shift still open");
}

#[test]
fn a_clock_set_back_locks_the_counter_rather_than_keeping_it_unlocked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, clock) = staffed(&dir);
    on_duty(&kiosk);
    clock.advance_seconds(5 * 60);
    kiosk.scan("730518").expect("on duty: the scan is activity at 10:05");
    clock.advance_seconds(-3600);
    refused(kiosk.scan("4600000000008"), ErrorKind::IdleLocked, "a clock set back an hour locks the counter");
    let view = kiosk.view().expect("the view works while locked");
    assert!(view.session.logged_in.is_none(), "nobody is on duty on a clock set back");
    assert!(matches!(view.session.lock, Some(SessionLock::Idle { .. })), "the idle lock shows: {:?}", view.session);
    assert!(kiosk.keep_alive().expect("session").lock.is_some(), "a key press on the clock set back does not unlock");
    kiosk.log_in(ANNA, ANNA_PIN).expect("a PIN unlocks it");
    assert!(kiosk.scan("730518").is_ok(), "the counter works again, the activity counted from the clock as it is now");
    clock.advance_seconds(10 * 60);
    refused(kiosk.scan("730518"), ErrorKind::IdleLocked, "and ten idle minutes lock it again on the clock as set");
}

#[test]
fn a_reset_page_without_employees_keeps_login_required_and_the_manager_on_duty_once_managers_are_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = staffed(&dir);
    on_duty(&kiosk);
    // A reset is pulled page by page, each its own transaction: the first has no employees yet.
    let reset = PullPage {
        cursor: "epoch-2".into(),
        has_more: true,
        reset: true,
        remaining: 10,
        changes: Vec::new(),
        max_wait_seconds: 0,
    };
    kiosk.apply_pull(&reset).expect("the reset's first page");
    refused(kiosk.scan("730518"), ErrorKind::LoginRequired, "a scan while no manager is cached");
    let session = kiosk.view().expect("the view works mid-reset").session;
    assert!(session.login_required, "login stays required while the employee cache is rebuilt");
    assert!(session.waiting_for_sync, "the PIN screen says to wait for sync: {session:?}");
    assert!(session.managers.is_empty() && session.logged_in.is_none(), "nobody to pick, nobody on duty");

    add_managers(&kiosk);
    let session = kiosk.view().expect("view").session;
    assert_eq!(
        session.logged_in.map(|s| s.name),
        Some(ANNA_NAME.to_owned()),
        "Anna is still on duty once the managers' page arrives"
    );
    assert!(!session.waiting_for_sync, "managers are cached again");
    let (seed, _) = demo::seed();
    kiosk.apply_pull(&PullPage { reset: false, ..seed.pull }).expect("the orders' page");
    let card = kiosk
        .scan("730518")
        .expect("Anna goes on without logging in again")
        .view
        .screen
        .order()
        .cloned()
        .expect("card");
    assert_eq!(card.short_code, "730518", "the order opens");
}

#[test]
fn retiring_the_points_only_managers_leaves_login_required() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = staffed(&dir);
    on_duty(&kiosk);
    set_retired(&kiosk, ANNA, ANNA_NAME, ANNA_PIN, true);
    set_retired(&kiosk, BORIS, BORIS_NAME, BORIS_PIN, true);
    refused(kiosk.scan("730518"), ErrorKind::LoginRequired, "no manager can log in: the counter refuses writes");
    let session = kiosk.view().expect("view").session;
    assert!(session.login_required && session.waiting_for_sync, "login stays required, wait for sync: {session:?}");
    drop(kiosk);
    let (kiosk, _clock) = reopen(&dir);
    refused(kiosk.scan("730518"), ErrorKind::LoginRequired, "a restart does not switch login off either");
}

#[test]
fn marking_a_rejection_resolved_is_counter_work_behind_the_login() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, clock) = staffed(&dir);
    refused(kiosk.acknowledge_attention(1), ErrorKind::LoginRequired, "resolving a rejection logged out");
    on_duty(&kiosk);
    clock.advance_seconds(10 * 60);
    refused(kiosk.acknowledge_attention(1), ErrorKind::IdleLocked, "resolving a rejection while locked");
}
