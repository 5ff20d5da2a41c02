//! Staff badges at the counter (бейдж курьера или водителя). A badge is a code signed by the network
//! (`PVZE2.`, see [`pvz_protocol::BadgeClaims`]), checked offline with the server key pinned at
//! enrollment, then against the staff the feed cached: the holder works with this point, has not
//! retired, and this is their current badge, the number the feed last sent. The server issues a new
//! badge to revoke a lost one, so the old badge stops working here as soon as a pull brings the new
//! number. The role a screen needs is checked by whoever acts on the badge (a courier's starts a
//! hand-back, a driver's takes the boxes). The old unsigned badge (`PVZE1:<id>`) proves nothing: it
//! is refused with what to do instead.

use crate::codes::verify_signed;
use crate::error::{BadgeRefusal, KioskError, Result};
use crate::store::employees;
use crate::store::Db;
use pvz_domain::EmployeeId;
use pvz_protocol::{BadgeClaims, EmployeeWire, Enrollment};
use std::cmp::Ordering;

/// The employee a scanned badge names, if it is their current badge and they work with this point.
pub(crate) fn badge_holder(conn: &Db<'_>, enrollment: &Enrollment, token: &str) -> Result<EmployeeWire> {
    let claims = verify_signed(conn, enrollment, "staff badge", |key| BadgeClaims::verify(token, key))?;
    let employee = working_employee(conn, &claims.employee_id)?;
    let (id, current) = (&employee.employee_id, employee.badge_serial);
    let (refusal, why) = match claims.serial.cmp(&current) {
        Ordering::Equal if current > 0 => return Ok(employee),
        // Only a badge the feed has not told this counter of yet: one issued since the last sync.
        Ordering::Greater => (
            BadgeRefusal::NewerThanKnown,
            format!(
                "badge no. {} of {id} is newer than this counter knows (no. {current}): let it sync, then scan again",
                claims.serial
            ),
        ),
        // The server numbers badges from 1: a badge no. 0 was never issued.
        Ordering::Equal => (BadgeRefusal::NeverIssued, format!("no badge was issued to {id}")),
        Ordering::Less => (
            BadgeRefusal::Replaced,
            format!(
                "badge no. {} of {id} was replaced by badge no. {current} (as a lost badge is); only the newest is valid",
                claims.serial
            ),
        ),
    };
    Err(KioskError::UnknownBadge { refusal, why })
}

/// An employee the feed cached who still works with the network: whoever a badge scanned earlier
/// named (the driver identified at the desk) is checked again when they act.
pub(crate) fn working_employee(conn: &Db<'_>, employee_id: &EmployeeId) -> Result<EmployeeWire> {
    let employee = employees::get_employee(conn, employee_id)?.ok_or_else(|| KioskError::UnknownBadge {
        refusal: BadgeRefusal::NotStaff,
        why: "nobody with this badge works with this pickup point".into(),
    })?;
    if employee.retired {
        return Err(KioskError::RetiredBadge);
    }
    Ok(employee)
}

/// The refusal of an old unsigned badge: anyone could print one in anyone's name.
pub(crate) fn unsigned_badge(employee_id: &EmployeeId) -> KioskError {
    KioskError::UnknownBadge {
        refusal: BadgeRefusal::Unsigned,
        why: format!(
            "an old unsigned badge (PVZE1:{employee_id}) is no longer accepted: ask the network to print \
             a new badge (pvz-server badge {employee_id})"
        ),
    }
}
