//! Closing the counter in kiosk mode: the PIN of a manager who can log in here, checked and counted
//! exactly as a login, so the close dialog is no way round the lockout; a kiosk with nobody to log
//! in may close.

use crate::support::counter::*;
use crate::support::staff::*;
use pvz_kiosk_core::ErrorKind;

#[test]
fn closing_needs_a_managers_pin_and_wrong_pins_count_towards_the_login_lockout() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = staffed(&dir);
    refused(kiosk.authorize_close(None, None), ErrorKind::LoginRequired, "a close without a PIN");
    refused(kiosk.authorize_close(Some(COURIER), Some("1234")), ErrorKind::NotAManager, "a courier's close");
    let wrong = refused(kiosk.authorize_close(Some(ANNA), Some("0000")), ErrorKind::WrongPin, "a wrong PIN");
    assert_eq!(wrong.detail().as_deref(), Some("4"), "the wrong PIN at closing counts: 4 tries left");
    let wrong = refused(kiosk.log_in(ANNA, "0000"), ErrorKind::WrongPin, "then a wrong PIN at login");
    assert_eq!(wrong.detail().as_deref(), Some("3"), "login and closing share one count of tries");
    kiosk.authorize_close(Some(ANNA), Some(ANNA_PIN)).expect("Anna's PIN allows closing");
    let view = kiosk.view().expect("view");
    assert!(view.session.logged_in.is_none(), "allowing a close logs nobody in");
}

#[test]
fn a_kiosk_where_nobody_can_log_in_closes_without_a_pin() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = seeded(&dir);
    kiosk.authorize_close(None, None).expect("no manager with a PIN here: nothing to ask for");
}
