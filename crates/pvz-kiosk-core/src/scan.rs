//! Every scan routed from one place: what a scan does depends on what is on the counter. Signed
//! codes and badges start work: a buyer code opens the order, a claim return code the claim, a
//! courier's badge a hand-back, a driver's badge the handover of closed boxes (badges checked by
//! `staff::badge`), a shipment's code (Code 128 text equal to an expected shipment's) its receiving. Item codes go to the work on the
//! counter: the hand-back, the open box at the returns desk, the claim's item check, the order card,
//! the open receiving, or the item `find_item` shows, in that order. A cell label goes to the
//! receiving's proposal, else moves the found item.
//!
//! The counter holds one piece of work at a time. A hand-back holds scans not recorded anywhere else
//! yet, so nothing else starts until it is completed or cancelled; an order card, a claim draft and
//! the returns desk keep their data and only leave the screen.

use crate::audit::scan_log::log_done_scan;
use crate::desk::ensure_no_hand_back;
use crate::error::{KioskError, Result};
use crate::issue::{match_item, open_order, open_order_by_token};
use crate::kiosk::require_enrollment;
use crate::returns::{boxes, claim_return, hand_back};
use crate::staff::badge::{badge_holder, unsigned_badge};
use crate::store::Db;
use crate::store::{orders, settings, CounterState};
use crate::view::{ScanNotice, ScanOutcome};
use crate::Kiosk;
use chrono::{DateTime, Utc};
use pvz_domain::{classify, Scan};
use pvz_protocol::{EmployeeRole, Enrollment};

impl Kiosk {
    /// Handles anything scanned or typed (see the module doc for what goes where). A scan is counter
    /// work (the staff guard applies) and goes into the scan log, refused or not.
    pub fn scan(&self, input: &str) -> Result<ScanOutcome> {
        let now = self.now();
        let notice = self.counter_tx(|tx| {
            let notice = route(tx, input, now)?;
            log_done_scan(tx, input, now, &notice);
            Ok(notice)
        });
        self.repropose_after_cell_refusal(&notice);
        let notice = notice.map_err(|refusal| self.log_refused_scan(input, now, refusal))?;
        Ok(ScanOutcome { view: self.view()?, notice: Some(notice) })
    }
}

/// What a scan does, by what it is and what is on the counter (the module doc).
fn route(tx: &Db<'_>, input: &str, now: DateTime<Utc>) -> Result<ScanNotice> {
    let enrollment = require_enrollment(tx)?;
    let state = settings::get_counter_state(tx)?;
    match classify(input) {
        Scan::PickupToken { token } => {
            ensure_no_hand_back(&state)?;
            open_order_by_token(tx, &enrollment, &token, now)
        }
        Scan::ShortCode { code } => {
            ensure_no_hand_back(&state)?;
            let order = orders::find_order_by_short_code(tx, code.as_str())?.ok_or(KioskError::OrderNotFound)?;
            open_order(tx, &enrollment, order, now)
        }
        Scan::ClaimToken { token } => {
            ensure_no_hand_back(&state)?;
            claim_return::open_claim(tx, &enrollment, &token, now)
        }
        Scan::StaffBadge { token } => staff_badge(tx, &enrollment, &state, &token, now),
        Scan::UnsignedStaffBadge { employee_id } => Err(unsigned_badge(&employee_id)),
        Scan::ReturnLabel { return_id } => {
            ensure_no_hand_back(&state)?;
            if !state.returns_open {
                return Err(KioskError::NoOpenBox);
            }
            boxes::add_label_to_box(tx, &return_id, now)
        }
        Scan::CellLabel { label } => crate::shelves::scan_cell_label(tx, &label, now),
        Scan::BoxLabel { .. } => Err(KioskError::UnknownCode {
            why: "a box label is read by logistics; boxes are handed over with the driver's badge".into(),
        }),
        scan @ (Scan::Ean13 { .. } | Scan::Gs1 { .. } | Scan::Code128 { .. }) => {
            if let Some(shipment) = crate::shelves::shipment_of_scan(tx, &scan)? {
                crate::shelves::open_shipment(tx, &state, shipment, now)
            } else if let Some(hand_back_id) = &state.hand_back {
                hand_back::scan_item(tx, hand_back_id, &scan, now)
            } else if state.returns_open {
                boxes::scan_into_box(tx, &scan, now)
            } else if let Some(claim_id) = &state.claim {
                claim_return::check_item(tx, claim_id, &scan)
            } else if let Some(active) = &state.active_order {
                match_item(tx, active, &scan, now)
            } else {
                crate::shelves::scan_on_shelves(tx, &scan, now)
            }
        }
        Scan::Unknown { why, .. } => Err(KioskError::UnknownCode { why }),
    }
}

/// A courier's badge starts (or resumes) a hand-back; a driver's badge names who takes the boxes.
fn staff_badge(
    conn: &Db<'_>,
    enrollment: &Enrollment,
    state: &CounterState,
    token: &str,
    now: DateTime<Utc>,
) -> Result<ScanNotice> {
    let employee = badge_holder(conn, enrollment, token)?;
    match employee.role {
        EmployeeRole::Courier => hand_back::start(conn, state, &employee, now),
        EmployeeRole::Driver => {
            ensure_no_hand_back(state)?;
            boxes::identify_driver(conn, state, &employee)
        }
        EmployeeRole::Manager => Err(KioskError::WrongRole { expected: "courier or driver".into() }),
    }
}
