//! `employees`: the people who work with a pickup point (counter managers, couriers, logistics
//! drivers), with an argon2 hash of their PIN. Adding or retiring one, or setting a PIN, stamps it
//! with a fresh feed version of its point, so the point's kiosks pull it. A manager's PIN hash goes
//! with it (the counter checks a PIN login offline); a courier's or driver's never leaves the server:
//! they identify by badge and open nothing with a PIN. The number of an employee's current badge
//! goes with it too: a kiosk accepts that badge alone, so issuing a new one revokes the older ones.

use crate::db::points;
use crate::db::sql::{params, Connection, OptionalExtension};
use crate::error::{Result, ServerError};
use pvz_domain::{EmployeeId, PickupPointId};
use pvz_protocol::{EmployeeRole, EmployeeWire};

/// An employee to add; `pin_hash` is already an argon2 PHC string.
#[derive(Debug, Clone)]
pub struct NewEmployee<'a> {
    pub id: &'a str,
    pub pickup_point_id: &'a PickupPointId,
    pub name: &'a str,
    pub role: EmployeeRole,
    pub pin_hash: &'a str,
}

/// An employee as the rules need it: who, where, and whether they still work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployeeRow {
    pub wire: EmployeeWire,
    pub pickup_point_id: String,
}

impl EmployeeRow {
    /// Works at `point` in `role` and has not retired.
    pub fn is_active(&self, point: &PickupPointId, role: EmployeeRole) -> bool {
        self.pickup_point_id == point.as_str() && self.wire.role == role && !self.wire.retired
    }
}

/// Inserts the employee at a fresh feed version of their point.
pub fn insert_employee(conn: &Connection, employee: &NewEmployee<'_>, now: &str) -> Result<()> {
    let version = points::bump_version(conn, employee.pickup_point_id, 1)?;
    conn.execute(
        "INSERT INTO employees (id, pickup_point_id, name, role, pin_hash, created_at, version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            employee.id,
            employee.pickup_point_id.as_str(),
            employee.name,
            employee.role.as_str(),
            employee.pin_hash,
            now,
            version
        ],
    )?;
    Ok(())
}

/// Marks the employee retired (their badge is refused from then on) at a fresh feed version.
/// Returns false when there is no such employee; retiring twice changes nothing.
pub fn retire_employee(conn: &Connection, id: &EmployeeId, now: &str) -> Result<bool> {
    match get_employee(conn, id)? {
        None => Ok(false),
        Some(row) if row.wire.retired => Ok(true),
        // Retired by someone else since the read: already as asked, and the first time stays.
        Some(row) => update_in_feed(conn, &row, "retired_at", now).map(|_| true),
    }
}

/// Counts the employee's badges up by one at a fresh feed version of their point, so the point's
/// kiosks accept the new badge and refuse the older ones after their next pull. Returns the new
/// badge's number, `None` when there is no such employee.
pub fn bump_badge_serial(conn: &Connection, id: &EmployeeId) -> Result<Option<u32>> {
    let Some(row) = get_employee(conn, id)? else { return Ok(None) };
    let serial = row
        .wire
        .badge_serial
        .checked_add(1)
        .ok_or_else(|| ServerError::BadRequest(format!("employee {id} has had too many badges")))?;
    let point = PickupPointId::parse(&row.pickup_point_id).map_err(|e| ServerError::Internal(e.to_string()))?;
    let version = points::bump_version(conn, &point, 1)?;
    // Guarded by the serial and the working state read above: two issues at once must not both hand
    // out the same number, nor one reach an employee retired meanwhile.
    let changed = conn.execute(
        "UPDATE employees SET badge_serial = ?2, version = ?3 WHERE id = ?1 AND badge_serial = ?4 AND retired_at IS NULL",
        params![id.as_str(), serial, version, row.wire.badge_serial],
    )?;
    if changed != 1 {
        return Err(ServerError::Conflict(format!(
            "employee {id} got another badge or retired meanwhile; no badge was issued"
        )));
    }
    Ok(Some(serial))
}

/// Replaces the employee's PIN hash at a fresh feed version of their point (a manager's new hash
/// reaches the point's kiosks). Returns false when there is no such employee.
pub fn set_pin_hash(conn: &Connection, id: &EmployeeId, pin_hash: &str) -> Result<bool> {
    match get_employee(conn, id)? {
        None => Ok(false),
        Some(row) => match update_in_feed(conn, &row, "pin_hash", pin_hash)? {
            0 => Err(ServerError::Conflict(format!("employee {id} retired meanwhile; a retired employee gets no PIN"))),
            _ => Ok(true),
        },
    }
}

/// Sets one column of a working employee and stamps the row with a fresh feed version of their
/// point. Returns the rows changed: 0 when the employee retired since `row` was read.
fn update_in_feed(conn: &Connection, row: &EmployeeRow, column: &'static str, value: &str) -> Result<usize> {
    let point = PickupPointId::parse(&row.pickup_point_id).map_err(|e| ServerError::Internal(e.to_string()))?;
    let version = points::bump_version(conn, &point, 1)?;
    Ok(conn.execute(
        &format!("UPDATE employees SET {column} = ?2, version = ?3 WHERE id = ?1 AND retired_at IS NULL"),
        params![row.wire.employee_id.as_str(), value, version],
    )?)
}

/// The stored PIN hash of an employee; `None` when there is no such employee.
pub fn get_pin_hash(conn: &Connection, employee_id: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT pin_hash FROM employees WHERE id = ?1", [employee_id], |r| r.get(0)).optional()?)
}

const COLUMNS: &str = "id, name, role, retired_at, pickup_point_id, pin_hash, badge_serial";

fn employee_row(r: &crate::db::sql::Row<'_>) -> crate::db::sql::SqlResult<EmployeeRow> {
    let bad = |i: usize, what: &str| crate::db::sql::SqlError::bad_column(i, what.to_owned());
    let id: String = r.get(0)?;
    let role: String = r.get(2)?;
    let role = EmployeeRole::parse(&role).ok_or_else(|| bad(2, "employee role"))?;
    let retired = r.get::<Option<String>>(3)?.is_some();
    Ok(EmployeeRow {
        wire: EmployeeWire {
            employee_id: EmployeeId::parse(&id).map_err(|_| bad(0, "employee id"))?,
            name: r.get(1)?,
            role,
            retired,
            // Only a working manager logs in by PIN; nobody else's hash leaves the server.
            pin_hash: match role {
                EmployeeRole::Manager if !retired => Some(r.get(5)?),
                EmployeeRole::Manager | EmployeeRole::Courier | EmployeeRole::Driver => None,
            },
            badge_serial: r.get(6)?,
        },
        pickup_point_id: r.get(4)?,
    })
}

pub fn get_employee(conn: &Connection, id: &EmployeeId) -> Result<Option<EmployeeRow>> {
    let row = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM employees WHERE id = ?1"))?
        .query_row([id.as_str()], employee_row)
        .optional()?;
    Ok(row)
}

/// The employee as the feed sends it, by the id stored in a feed row.
pub fn get_employee_wire(conn: &Connection, id: &str) -> Result<Option<EmployeeWire>> {
    let row = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM employees WHERE id = ?1"))?
        .query_row([id], employee_row)
        .optional()?;
    Ok(row.map(|r| r.wire))
}

#[cfg(test)]
mod tests {
    use crate::admin::{Admin, Role};
    use pvz_domain::FeePolicy;

    #[test]
    fn an_employee_is_stored_with_a_pin_hash_that_checks_only_their_pin() {
        let dir = tempfile::tempdir().expect("temp dir");
        let admin = Admin::open(dir.path()).expect("admin");
        admin.add_pickup_point("pp-a", "A", &FeePolicy::default()).expect("point");
        let id = admin.add_employee("pp-a", "Анна", Role::Manager, "4826").expect("employee");
        assert!(admin.verify_employee_pin(&id, "4826").expect("check"), "the right PIN matches");
        assert!(!admin.verify_employee_pin(&id, "6284").expect("check"), "another PIN does not");
        assert!(admin.verify_employee_pin("nobody", "4826").is_err(), "an unknown employee is an error, not a match");
    }

    #[test]
    fn employees_from_before_signed_badges_have_none_until_one_is_issued() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(crate::db::DB_FILE);
        {
            let mut conn = crate::db::open(&path).expect("open");
            crate::db::released_migrations(5)
                .to_latest(conn.as_sqlite_mut().expect("a SQLite connection"))
                .expect("the release before signed badges");
            conn.execute_batch(
                "INSERT INTO pickup_points (id, name, epoch, version, fee_policy, policy_version, created_at)
                     VALUES ('pp-old', 'Old', 1, 1, '{\"default_fee\":0,\"per_category\":{}}', 1, 'then');
                 INSERT INTO employees (id, pickup_point_id, name, role, pin_hash, created_at, version)
                     VALUES ('cour-1', 'pp-old', 'Курьер', 'courier', 'hash', 'then', 1);",
            )
            .expect("a courier of the release before");
        }
        let conn = crate::db::open_and_migrate(&path).expect("migration 0006 applies on top");
        let id = pvz_domain::EmployeeId::parse("cour-1").expect("id");
        let row = super::get_employee(&conn, &id).expect("read").expect("the courier is kept");
        assert_eq!(row.wire.badge_serial, 0, "no badge yet: their old unsigned badge proves nothing");
        assert_eq!(super::bump_badge_serial(&conn, &id).expect("issue"), Some(1), "their first badge is no. 1");
    }
}
