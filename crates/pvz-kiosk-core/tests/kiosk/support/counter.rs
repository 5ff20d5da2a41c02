//! What the returns flow tests share: a kiosk on a temp SQLite file, seeded from the demo (its key
//! signs the codes), with the point's couriers and drivers pulled (each with badge no. 1 current),
//! a clock the test can move, and claim return codes and badges signed with the pinned key or another.

use chrono::{DateTime, TimeZone, Utc};
use pvz_domain::{ClaimId, ClaimState, Compensation, CompensationKind, EmployeeId, ItemId, Kopecks, OrderId};
use pvz_kiosk_core::{ErrorKind, Kiosk, KioskError};
use pvz_protocol::{
    demo, BadgeClaims, Change, ClaimReturnClaims, ClaimStatus, EmployeeRole, EmployeeWire, OpBody, PullPage,
};
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

pub const COURIER: &str = "emp-courier-1";
pub const COURIER_NAME: &str = "Пётр Курьеров";
pub const OTHER_COURIER: &str = "emp-courier-2";
pub const RETIRED_COURIER: &str = "emp-courier-9";
pub const DRIVER: &str = "emp-driver-1";
pub const DRIVER_NAME: &str = "Олег Водитель";
pub const OTHER_DRIVER: &str = "emp-driver-2";
pub const OTHER_DRIVER_NAME: &str = "Ирина Водитель";
pub const MANAGER: &str = "emp-manager-1";
/// The claim's item: a jacket bought at another point, its barcode on the code.
pub const JACKET_BARCODE: &str = "4607000000014";
pub const JACKET_PRICE: Kopecks = Kopecks(459_000);

/// 2026-11-26 10:00 UTC, movable.
pub struct Clock(Arc<AtomicI64>);

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.0.load(Ordering::SeqCst), 0).expect("valid time")
    }

    pub fn advance_days(&self, days: i64) {
        self.advance_seconds(days * 86_400);
    }

    pub fn advance_seconds(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }
}

pub fn open(path: &Path) -> (Kiosk, Clock) {
    let start = Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0).single().expect("valid time").timestamp();
    let seconds = Arc::new(AtomicI64::new(start));
    let shared = seconds.clone();
    let kiosk = Kiosk::open(path)
        .expect("store opens")
        .with_clock(Box::new(move || DateTime::from_timestamp(shared.load(Ordering::SeqCst), 0).expect("valid")));
    (kiosk, Clock(seconds))
}

/// An employee as the feed sends them, `badge_serial` the number of their current badge.
pub fn employee_with_badge(id: &str, name: &str, role: EmployeeRole, retired: bool, badge_serial: u32) -> Change {
    Change::UpsertEmployee(EmployeeWire {
        employee_id: EmployeeId::parse(id).expect("employee id"),
        name: name.into(),
        role,
        retired,
        pin_hash: None,
        badge_serial,
    })
}

fn employee(id: &str, name: &str, role: EmployeeRole, retired: bool) -> Change {
    employee_with_badge(id, name, role, retired, 1)
}

/// A demo kiosk whose pull also brought the point's staff.
pub fn seeded(dir: &tempfile::TempDir) -> (Kiosk, Clock) {
    let (kiosk, clock) = open(&dir.path().join("kiosk.sqlite3"));
    let (seed, _) = demo::seed();
    assert!(kiosk.import_seed(&seed).expect("seed imports"), "a fresh store takes the seed");
    let staff = PullPage {
        cursor: "demo-2".into(),
        has_more: false,
        reset: false,
        remaining: 0,
        max_wait_seconds: 0,
        changes: vec![
            employee(COURIER, COURIER_NAME, EmployeeRole::Courier, false),
            employee(OTHER_COURIER, "Анна Курьерова", EmployeeRole::Courier, false),
            employee(RETIRED_COURIER, "Уволенный Курьер", EmployeeRole::Courier, true),
            employee(DRIVER, DRIVER_NAME, EmployeeRole::Driver, false),
            employee(OTHER_DRIVER, OTHER_DRIVER_NAME, EmployeeRole::Driver, false),
            employee(MANAGER, "Мария Менеджер", EmployeeRole::Manager, false),
        ],
    };
    kiosk.apply_pull(&staff).expect("the staff arrive with the pull feed");
    (kiosk, clock)
}

/// Badge no. 1 of `employee`, the current one in [`seeded`], signed with the key the kiosk pinned.
pub fn badge(employee: &str) -> String {
    badge_no(employee, 1)
}

/// Badge no. `serial` of `employee`, signed with the key the kiosk pinned.
pub fn badge_no(employee: &str, serial: u32) -> String {
    BadgeClaims { employee_id: EmployeeId::parse(employee).expect("employee id"), serial }.sign(&demo::signing_key())
}

pub fn claims(claim: &str, compensation: CompensationKind, expires_at: DateTime<Utc>) -> ClaimReturnClaims {
    ClaimReturnClaims {
        claim_id: ClaimId::parse(claim).expect("claim id"),
        order_id: OrderId::parse("ord-elsewhere-1").expect("order id"),
        item_id: ItemId::parse("itm-elsewhere-1").expect("item id"),
        item_name: None,
        barcode: Some(JACKET_BARCODE.into()),
        compensation,
        amount: if compensation == CompensationKind::Refund { JACKET_PRICE } else { Kopecks::ZERO },
        expires_at: expires_at.timestamp(),
        code_issue: 1,
    }
}

/// A refund claim's code, valid for 14 days from `clock`, signed with the key the kiosk pinned.
pub fn refund_code(claim: &str, clock: &Clock) -> String {
    claims(claim, CompensationKind::Refund, clock.now() + chrono::Duration::days(14)).sign(&demo::signing_key())
}

/// A claim return code as the server issued it before compact codes (`PVZC1.`, JSON naming the
/// item), signed with the demo key the kiosk pinned: claim `cl-earlier` for the jacket of
/// [`claims`], a refund valid until 2100.
pub const EARLIER_CLAIM_CODE: &str = "PVZC1.eyJjbCI6ImNsLWVhcmxpZXIiLCJvIjoib3JkLWVsc2V3aGVyZS0xIiwiaSI6Iml0bS1lbHNld2hlcmUtMSIsIm4iOiLQmtGD0YDRgtC60LAg0LfQuNC80L3Rj9GPIiwiYiI6IjQ2MDcwMDAwMDAwMTQiLCJrIjoicmVmdW5kIiwiYSI6NDU5MDAwLCJlIjo0MTAyNDQ0ODAwLCJnIjoxfQ.Zp9q-8-94y_Bcc_fxToQH0Uuog-hGu_kOWUk01Z4EjIY9HRUbgFJrcNPs1xTGdcWuNLDESA24ZrNPS1SIXm6Dg";

/// Badge no. 1 of [`COURIER`] as printed before compact codes (`PVZE2.`), signed with the demo key.
pub const EARLIER_COURIER_BADGE: &str = "PVZE2.eyJlIjoiZW1wLWNvdXJpZXItMSIsIm4iOjF9.tLR1QYInRgKWvWKq7urHTqAQ2bcDc4FAPaLS_nI9K41-Uj38rAxzeYtR08hjNlPfmZPNmxNJ3cfwxvPTNztHAg";

/// A compact signed code with the first character after its prefix changed: its claims (the first
/// id) no longer what the signature covers, as a forged or damaged code would carry.
pub fn tampered(code: &str) -> String {
    const ALPHABET: &[u8] = pvz_domain::scan::COMPACT_CODE_ALPHABET;
    let mut bytes = code.as_bytes().to_vec();
    let at = code.find('.').expect("a prefix ending in '.'") + 1;
    let index = ALPHABET.iter().position(|&c| c == bytes[at]).expect("a character of the compact alphabet");
    bytes[at] = ALPHABET[(index + 1) % ALPHABET.len()];
    String::from_utf8(bytes).expect("ASCII")
}

/// A code whose signature is not over its claims: a genuine code with its claim id changed.
pub fn forged_code(claim: &str, clock: &Clock) -> String {
    tampered(&refund_code(claim, clock))
}

/// The server's answer about a claim, in `state`.
pub fn status(claim: &str, state: ClaimState, reason: Option<&str>) -> ClaimStatus {
    ClaimStatus {
        claim_id: ClaimId::parse(claim).expect("claim id"),
        order_id: OrderId::parse("ord-elsewhere-1").expect("order id"),
        item_id: ItemId::parse("itm-elsewhere-1").expect("item id"),
        item_name: "Куртка зимняя".into(),
        state,
        compensation: Some(Compensation::Refund { amount: JACKET_PRICE }),
        reason: reason.map(str::to_owned),
        description: "шов разошёлся".into(),
        return_code: None,
        part_order_id: None,
        fulfilled_at: None,
        decision: match state {
            ClaimState::Open => pvz_domain::ClaimDecision::UnderReview,
            ClaimState::Rejected => pvz_domain::ClaimDecision::Rejected,
            ClaimState::Revoked => pvz_domain::ClaimDecision::Revoked,
            ClaimState::Approved | ClaimState::Fulfilled => pvz_domain::ClaimDecision::Approved,
        },
        item_fate: pvz_domain::ItemFate::ToPickupPoint,
        route: Some(pvz_domain::ReturnRoute::PickupPoint),
        decided_by: pvz_domain::Decider::Seller,
        paid_at: None,
        opened_at: None,
        return_deadline: None,
        seller_address: None,
        rejection_template: None,
        code_issue: 1,
        actions: Vec::new(),
    }
}

pub fn ops(kiosk: &Kiosk) -> Vec<OpBody> {
    kiosk.outbox().expect("outbox").into_iter().map(|e| e.body).collect()
}

/// Asserts `result` failed with `kind`, and returns the error.
pub fn refused<T: std::fmt::Debug>(result: Result<T, KioskError>, kind: ErrorKind, what: &str) -> KioskError {
    match result {
        Err(e) => {
            assert_eq!(e.kind(), kind, "{what}: refused for the wrong reason: {e}");
            assert!(!e.to_view().message.is_empty(), "{what}: the refusal says why");
            e
        }
        Ok(v) => panic!("{what}: must be refused with {kind:?}, got {v:?}"),
    }
}

/// The smallest PNG header: enough for the evidence store to take it as a photo.
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
