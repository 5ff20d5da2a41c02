//! What the staff tests share: managers with PINs pulled into a demo kiosk (so login is required),
//! their PIN hashes made with cheap argon2 parameters (the kiosk checks with the hash's own), and
//! the steps that put a manager on duty.

use crate::support::counter::{open, seeded, Clock};
use argon2::password_hash::{PasswordHasher, SaltString};
use pvz_domain::EmployeeId;
use pvz_kiosk_core::{CounterView, Kiosk};
use pvz_protocol::{Change, EmployeeRole, EmployeeWire, PullPage};

pub const ANNA: &str = "emp-anna";
pub const ANNA_NAME: &str = "Анна Управляющая";
pub const ANNA_PIN: &str = "4821";
pub const BORIS: &str = "emp-boris";
pub const BORIS_NAME: &str = "Борис Сменщик";
pub const BORIS_PIN: &str = "7305";

/// An argon2id PHC string of `pin`, with parameters small enough for debug-build tests.
pub fn pin_hash(pin: &str) -> String {
    let params = argon2::Params::new(64, 1, 1, None).expect("argon2 params");
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let salt = SaltString::encode_b64(b"pvz-test-salt-16").expect("salt");
    argon.hash_password(pin.as_bytes(), &salt).expect("hash").to_string()
}

fn manager(id: &str, name: &str, pin: Option<&str>, retired: bool) -> Change {
    Change::UpsertEmployee(EmployeeWire {
        employee_id: EmployeeId::parse(id).expect("employee id"),
        name: name.into(),
        role: EmployeeRole::Manager,
        retired,
        pin_hash: pin.map(pin_hash),
        badge_serial: 0,
    })
}

/// The network set up staff: two managers with PINs arrive with the pull feed.
pub fn add_managers(kiosk: &Kiosk) {
    let page = PullPage {
        cursor: "staff-1".into(),
        has_more: false,
        reset: false,
        remaining: 0,
        max_wait_seconds: 0,
        changes: vec![
            manager(ANNA, ANNA_NAME, Some(ANNA_PIN), false),
            manager(BORIS, BORIS_NAME, Some(BORIS_PIN), false),
        ],
    };
    kiosk.apply_pull(&page).expect("the managers arrive with the pull feed");
}

/// Retires (or brings back) a manager through the feed.
pub fn set_retired(kiosk: &Kiosk, id: &str, name: &str, pin: &str, retired: bool) {
    let page = PullPage {
        cursor: "staff-2".into(),
        has_more: false,
        reset: false,
        remaining: 0,
        max_wait_seconds: 0,
        changes: vec![manager(id, name, Some(pin), retired)],
    };
    kiosk.apply_pull(&page).expect("the change arrives with the pull feed");
}

/// A demo kiosk whose network set up staff: login is required.
pub fn staffed(dir: &tempfile::TempDir) -> (Kiosk, Clock) {
    let (kiosk, clock) = seeded(dir);
    add_managers(&kiosk);
    (kiosk, clock)
}

/// The same store opened again, as after a restart of the app (the clock starts at the test's start).
pub fn reopen(dir: &tempfile::TempDir) -> (Kiosk, Clock) {
    open(&dir.path().join("kiosk.sqlite3"))
}

/// Anna logs in and opens a shift.
pub fn on_duty(kiosk: &Kiosk) -> CounterView {
    kiosk.log_in(ANNA, ANNA_PIN).expect("Anna logs in");
    kiosk.open_shift().expect("Anna opens a shift")
}
