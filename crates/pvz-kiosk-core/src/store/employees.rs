//! Employees of the point as the server sent them (a cache table, rebuilt on a sync reset): a badge
//! scanned at the counter is looked up here, so couriers and drivers are named even offline, and a
//! manager's PIN hash is kept so a login is checked offline.

use super::StoreError;
use pvz_domain::EmployeeId;
use pvz_protocol::{EmployeeRole, EmployeeWire};
use rusqlite::{params, Connection, OptionalExtension};

pub fn get_employee(conn: &Connection, employee_id: &EmployeeId) -> Result<Option<EmployeeWire>, StoreError> {
    let row = conn
        .prepare_cached("SELECT name, role, retired, pin_hash FROM employees WHERE employee_id = ?1")?
        .query_row([employee_id.as_str()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    row.map(|(name, role, retired, pin_hash)| {
        let role = EmployeeRole::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("employee role {role:?}")))?;
        Ok(EmployeeWire { employee_id: employee_id.clone(), name, role, retired, pin_hash })
    })
    .transpose()
}

pub fn upsert_employee(conn: &Connection, employee: &EmployeeWire) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO employees (employee_id, name, role, retired, pin_hash) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (employee_id) DO UPDATE SET name = excluded.name, role = excluded.role,
             retired = excluded.retired, pin_hash = excluded.pin_hash",
    )?
    .execute(params![
        employee.employee_id.as_str(),
        employee.name,
        employee.role.as_str(),
        employee.retired,
        employee.pin_hash
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
