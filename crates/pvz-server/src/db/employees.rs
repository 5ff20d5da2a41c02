//! `employees`: the people who work a pickup point's counter, with an argon2 hash of their PIN.

use crate::error::Result;
use pvz_domain::PickupPointId;
use rusqlite::{params, Connection, OptionalExtension};

/// An employee to add; `pin_hash` is already an argon2 PHC string.
#[derive(Debug, Clone)]
pub struct NewEmployee<'a> {
    pub id: &'a str,
    pub pickup_point_id: &'a PickupPointId,
    pub name: &'a str,
    pub role: &'a str,
    pub pin_hash: &'a str,
}

pub fn insert_employee(conn: &Connection, employee: &NewEmployee<'_>, now: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO employees (id, pickup_point_id, name, role, pin_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![employee.id, employee.pickup_point_id.as_str(), employee.name, employee.role, employee.pin_hash, now],
    )?;
    Ok(())
}

/// The stored PIN hash of an employee; `None` when there is no such employee.
pub fn get_pin_hash(conn: &Connection, employee_id: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT pin_hash FROM employees WHERE id = ?1", [employee_id], |r| r.get(0)).optional()?)
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
        let id = admin.add_employee("pp-a", "Анна", Role::Manager, "1234").expect("employee");
        assert!(admin.verify_employee_pin(&id, "1234").expect("check"), "the right PIN matches");
        assert!(!admin.verify_employee_pin(&id, "4321").expect("check"), "another PIN does not");
        assert!(admin.verify_employee_pin("nobody", "1234").is_err(), "an unknown employee is an error, not a match");
    }
}
