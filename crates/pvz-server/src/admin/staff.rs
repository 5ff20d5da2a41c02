//! Admin side of staff: adding and retiring employees, setting their PINs (argon2 hashes; PINs
//! are short, so a slow hash matters here, unlike for device secrets) and issuing their badges.
//!
//! Badges: a badge is signed by the server's key (`PVZE3.`, earlier `PVZE2.`, see [`BadgeClaims`]) and names the
//! employee and the badge's number. Issuing one counts the employee's badges up, and the feed tells
//! the point's kiosks the new number, after which they refuse every older badge: a lost badge is
//! revoked by issuing a new one. An employee has no badge until one is issued.
//!
//! PIN rules: a manager logs in at the counter by PIN, and their hash reaches the point's kiosks for
//! an offline login, so a manager's new PIN must pass `Pin::parse_new` (4–8 digits, not trivial such
//! as 0000 or 1234). Couriers and drivers identify by badge and open nothing with a PIN, which never
//! leaves the server: theirs is only checked for its format (`Pin::parse_entry`).

use super::{parse_id, Admin, Role};
use crate::db::employees::{self, NewEmployee};
use crate::db::{self, points};
use crate::error::{Result, ServerError};
use pvz_domain::{EmployeeId, PickupPointId, Pin};
use pvz_protocol::BadgeClaims;

/// A badge just issued: its number among the employee's badges, and the code its QR carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedBadge {
    pub serial: u32,
    pub code: String,
}

/// The PIN as the role's rule allows it.
fn check_pin(role: Role, raw: &str) -> Result<Pin> {
    let parsed = match role {
        Role::Manager => Pin::parse_new(raw),
        Role::Courier | Role::Driver => Pin::parse_entry(raw),
    };
    parsed.map_err(|e| ServerError::BadRequest(format!("{e} (a {} PIN)", role.as_str())))
}

fn hash_pin(pin: &Pin) -> Result<String> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let salt = SaltString::encode_b64(&crate::keys::random_bytes::<16>()?)
        .map_err(|e| ServerError::Internal(format!("salt: {e}")))?;
    Ok(argon2::Argon2::default()
        .hash_password(pin.expose().as_bytes(), &salt)
        .map_err(|e| ServerError::Internal(format!("argon2: {e}")))?
        .to_string())
}

impl Admin {
    /// Adds an employee with a PIN (see the module doc for the rules). Returns the employee id, a
    /// fresh one.
    pub fn add_employee(&self, point: &str, name: &str, role: Role, pin: &str) -> Result<String> {
        self.add_employee_as(&uuid::Uuid::now_v7().to_string(), point, name, role, pin)
    }

    /// [`Admin::add_employee`] under a chosen id (named by their badges, see [`Admin::issue_badge`]).
    pub fn add_employee_as(&self, id: &str, point: &str, name: &str, role: Role, pin: &str) -> Result<String> {
        let id = parse_id(EmployeeId::parse, id)?;
        if name.trim().is_empty() {
            return Err(ServerError::BadRequest("an employee needs a name".into()));
        }
        let point = parse_id(PickupPointId::parse, point)?;
        points::require_point(&self.conn, &point)?;
        let hash = hash_pin(&check_pin(role, pin)?)?;
        let employee =
            NewEmployee { id: id.as_str(), pickup_point_id: &point, name: name.trim(), role, pin_hash: &hash };
        let tx = self.conn.transaction()?;
        employees::insert_employee(&tx, &employee, &db::now_text())?;
        tx.commit()?;
        Ok(id.to_string())
    }

    /// Sets a new PIN for an employee (same rules as adding one); a manager's new hash reaches the
    /// point's kiosks on their next pull, and the old PIN stops working there.
    pub fn set_employee_pin(&self, id: &str, pin: &str) -> Result<()> {
        let id = parse_id(EmployeeId::parse, id)?;
        // IMMEDIATE, like a push: two issues at once (or a push in between) wait their turn instead
        // of a deferred read failing to upgrade with "database is locked".
        let tx = self.conn.transaction()?;
        let employee = employees::get_employee(&tx, &id)?
            .ok_or_else(|| ServerError::NotFound(format!("employee {id} does not exist")))?;
        if employee.wire.retired {
            return Err(ServerError::BadRequest(format!("employee {id} has retired; a retired employee gets no PIN")));
        }
        let hash = hash_pin(&check_pin(employee.wire.role, pin)?)?;
        employees::set_pin_hash(&tx, &id, &hash)?;
        Ok(tx.commit()?)
    }

    /// Retires an employee: the point's kiosks learn it on their next pull and refuse the badge.
    pub fn retire_employee(&self, id: &str) -> Result<()> {
        let id = parse_id(EmployeeId::parse, id)?;
        let tx = self.conn.transaction()?;
        if !employees::retire_employee(&tx, &id, &db::now_text())? {
            return Err(ServerError::NotFound(format!("employee {id} does not exist")));
        }
        Ok(tx.commit()?)
    }

    /// Issues the employee a new badge (see the module doc): the next number, signed. The point's
    /// kiosks accept it, and refuse the older ones, after their next pull. A retired employee gets
    /// no badge.
    pub fn issue_badge(&self, id: &str) -> Result<IssuedBadge> {
        let id = parse_id(EmployeeId::parse, id)?;
        // IMMEDIATE, like a push: two issues at once (or a push in between) wait their turn instead
        // of a deferred read failing to upgrade with "database is locked".
        let tx = self.conn.transaction()?;
        let employee = employees::get_employee(&tx, &id)?
            .ok_or_else(|| ServerError::NotFound(format!("employee {id} does not exist")))?;
        if employee.wire.retired {
            return Err(ServerError::BadRequest(format!(
                "employee {id} has retired; a retired employee gets no badge"
            )));
        }
        let serial = employees::bump_badge_serial(&tx, &id)?
            .ok_or_else(|| ServerError::NotFound(format!("employee {id} does not exist")))?;
        tx.commit()?;
        Ok(IssuedBadge { serial, code: BadgeClaims { employee_id: id, serial }.sign(self.signing_key()) })
    }

    /// The employee's current badge again, to print once more (nothing is revoked); `None` when no
    /// badge was issued yet. The same code every time: ed25519 signatures are deterministic.
    pub fn current_badge(&self, id: &str) -> Result<Option<IssuedBadge>> {
        let id = parse_id(EmployeeId::parse, id)?;
        let employee = employees::get_employee(&self.conn, &id)?
            .ok_or_else(|| ServerError::NotFound(format!("employee {id} does not exist")))?;
        let serial = employee.wire.badge_serial;
        Ok((serial > 0)
            .then(|| IssuedBadge { serial, code: BadgeClaims { employee_id: id, serial }.sign(self.signing_key()) }))
    }

    /// Checks an employee's PIN against its stored hash.
    pub fn verify_employee_pin(&self, employee_id: &str, pin: &str) -> Result<bool> {
        use argon2::password_hash::{PasswordHash, PasswordVerifier};
        let stored = employees::get_pin_hash(&self.conn, employee_id)?
            .ok_or_else(|| ServerError::NotFound(format!("employee {employee_id} does not exist")))?;
        let parsed = PasswordHash::new(&stored).map_err(|e| ServerError::Internal(format!("stored PIN hash: {e}")))?;
        Ok(argon2::Argon2::default().verify_password(pin.as_bytes(), &parsed).is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pvz_domain::FeePolicy;

    #[test]
    fn a_managers_pin_must_not_be_trivial_and_a_badge_holders_only_well_formed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let admin = Admin::open(dir.path()).expect("admin");
        admin.add_pickup_point("pp-a", "A", &FeePolicy::default()).expect("point");
        for trivial in ["1234", "0000", "9876"] {
            let err = admin.add_employee("pp-a", "Анна", Role::Manager, trivial).expect_err("a trivial manager PIN");
            assert!(
                matches!(&err, ServerError::BadRequest(m) if m.contains("too easy")),
                "{trivial} is refused for a manager, saying why: {err:?}"
            );
        }
        for malformed in ["123", "123456789", "12a4", ""] {
            let err = admin.add_employee("pp-a", "Анна", Role::Manager, malformed).expect_err("a malformed PIN");
            assert!(matches!(err, ServerError::BadRequest(_)), "{malformed:?} is refused: {err:?}");
            let err = admin.add_employee("pp-a", "Иван", Role::Courier, malformed).expect_err("a malformed PIN");
            assert!(matches!(err, ServerError::BadRequest(_)), "{malformed:?} is refused for a courier too: {err:?}");
        }
        admin.add_employee_as("courier-1", "pp-a", "Иван", Role::Courier, "1111").expect("a badge holder's PIN");
        let anna = admin.add_employee("pp-a", "Анна", Role::Manager, "4826").expect("a good manager PIN");
        assert!(admin.verify_employee_pin(&anna, "4826").expect("check"), "the PIN is stored as its hash");

        let err = admin.set_employee_pin(&anna, "1111").expect_err("a trivial new PIN");
        assert!(matches!(err, ServerError::BadRequest(_)), "set-pin follows the same rule: {err:?}");
        admin.set_employee_pin(&anna, "5917").expect("a new PIN");
        assert!(admin.verify_employee_pin(&anna, "5917").expect("check"), "the new PIN works");
        assert!(!admin.verify_employee_pin(&anna, "4826").expect("check"), "the old one no longer does");
        let err = admin.set_employee_pin("nobody", "5917").expect_err("an unknown employee");
        assert!(matches!(err, ServerError::NotFound(_)), "an unknown employee is not found: {err:?}");
    }
}
