//! Employees of the point as the server sent them (a cache table, rebuilt on a sync reset): a badge
//! scanned at the counter is looked up here (the number of the holder's current badge with it), so
//! couriers and drivers are named and checked even offline, and a manager's PIN hash is kept so a
//! login is checked offline.

use super::StoreError;
use pvz_domain::EmployeeId;
use pvz_protocol::{EmployeeRole, EmployeeWire};
use rusqlite::{params, Connection, OptionalExtension};

pub fn get_employee(conn: &Connection, employee_id: &EmployeeId) -> Result<Option<EmployeeWire>, StoreError> {
    let row = conn
        .prepare_cached("SELECT name, role, retired, pin_hash, badge_serial FROM employees WHERE employee_id = ?1")?
        .query_row([employee_id.as_str()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    row.map(|(name, role, retired, pin_hash, badge_serial)| {
        let role = EmployeeRole::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("employee role {role:?}")))?;
        Ok(EmployeeWire { employee_id: employee_id.clone(), name, role, retired, pin_hash, badge_serial })
    })
    .transpose()
}

pub fn upsert_employee(conn: &Connection, employee: &EmployeeWire) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO employees (employee_id, name, role, retired, pin_hash, badge_serial)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (employee_id) DO UPDATE SET name = excluded.name, role = excluded.role,
             retired = excluded.retired, pin_hash = excluded.pin_hash, badge_serial = excluded.badge_serial",
    )?
    .execute(params![
        employee.employee_id.as_str(),
        employee.name,
        employee.role.as_str(),
        employee.retired,
        employee.pin_hash,
        employee.badge_serial
    ])?;
    Ok(())
}

/// The managers who can log in here: active, with a PIN hash; by name.
pub fn list_login_managers(conn: &Connection) -> Result<Vec<(EmployeeId, String)>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT employee_id, name FROM employees
         WHERE role = 'manager' AND retired = 0 AND pin_hash IS NOT NULL ORDER BY name, employee_id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    rows.map(|row| {
        let (id, name) = row?;
        Ok((EmployeeId::parse(&id).map_err(|e| StoreError::Corrupt(e.to_string()))?, name))
    })
    .collect()
}

/// An employee's name, if the cache knows them (acts and the audit trail name operators by it).
pub fn get_employee_name(conn: &Connection, employee_id: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT name FROM employees WHERE employee_id = ?1")?
        .query_row([employee_id], |r| r.get(0))
        .optional()?)
}

/// A pull reset or a new enrollment rebuilds the list from the feed.
pub fn delete_all_employees(conn: &Connection) -> Result<(), StoreError> {
    conn.execute("DELETE FROM employees", [])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_cached_before_signed_badges_have_no_badge_until_the_feed_sends_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("kiosk.sqlite3");
        {
            let mut conn = Connection::open(&path).expect("open");
            super::super::migrations().to_version(&mut conn, 11).expect("the schema before badge numbers");
            conn.execute_batch(
                "INSERT INTO employees (employee_id, name, role, retired) VALUES ('courier-ivan', 'Иван', 'courier', 0);
                 INSERT INTO enrollment (singleton, pickup_point_id, pickup_point_name, device_id, server_public_key,
                     pull_cursor) VALUES (1, 'pp-1', 'ПВЗ', 'dev-1', 'key', 'v42');",
            )
            .expect("a courier cached by the release before, whose pull got past his badge's number");
        }
        let store = super::super::Store::open(&path).expect("opening upgrades to the latest schema");
        let cursor: Option<String> = store
            .with_conn(|c| Ok::<_, StoreError>(c.query_row("SELECT pull_cursor FROM enrollment", [], |r| r.get(0))?))
            .expect("read the cursor");
        assert_eq!(
            cursor, None,
            "the next pull starts from scratch, so the feed sends the badge numbers the old release dropped"
        );
        let ivan = EmployeeId::parse("courier-ivan").expect("id");
        let cached = store.with_conn(|c| get_employee(c, &ivan)).expect("read").expect("the courier is still cached");
        assert_eq!(
            cached.badge_serial, 0,
            "no badge number yet: no badge of theirs is accepted until the feed sends one"
        );
        let renewed = EmployeeWire { badge_serial: 3, ..cached };
        store.with_conn(|c| upsert_employee(c, &renewed)).expect("the feed sends the courier again");
        let cached = store.with_conn(|c| get_employee(c, &ivan)).expect("read").expect("cached");
        assert_eq!(cached.badge_serial, 3, "the number the feed sent is kept");
    }
}
