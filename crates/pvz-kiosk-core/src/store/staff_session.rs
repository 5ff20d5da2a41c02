//! The counter's login state on this device: whether staff login is switched on, wrong-PIN records
//! per employee (they survive restarts and pull resets, so a lockout cannot be cleared by restarting
//! the app) and the one session row of the manager working the counter. The rules (lockout lengths,
//! idle lock) are the domain's.

use super::StoreError;
use pvz_domain::{EmployeeId, PinAttempts, UnixSeconds};
use rusqlite::{params, Connection, OptionalExtension};

/// Whether staff login is switched on here: once a manager who can log in was cached, for good (a
/// pull reset or the point's managers all retired must not switch it off).
pub fn is_login_enabled(conn: &Connection) -> Result<bool, StoreError> {
    Ok(conn.prepare_cached("SELECT enabled FROM staff_login WHERE singleton = 1")?.query_row([], |r| r.get(0))?)
}

pub fn enable_login(conn: &Connection) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE staff_login SET enabled = 1 WHERE singleton = 1")?.execute([])?;
    Ok(())
}

pub fn get_pin_attempts(conn: &Connection, employee_id: &EmployeeId) -> Result<PinAttempts, StoreError> {
    let row = conn
        .prepare_cached("SELECT wrong_in_a_row, lockouts, locked_until FROM pin_attempts WHERE employee_id = ?1")?
        .query_row([employee_id.as_str()], |r| {
            Ok(PinAttempts {
                wrong_in_a_row: r.get(0)?,
                lockouts: r.get(1)?,
                locked_until: r.get::<_, Option<i64>>(2)?.map(UnixSeconds),
            })
        })
        .optional()?;
    Ok(row.unwrap_or_default())
}

/// Keeps the record; a clean record deletes the row.
pub fn set_pin_attempts(conn: &Connection, employee_id: &EmployeeId, attempts: &PinAttempts) -> Result<(), StoreError> {
    if *attempts == PinAttempts::default() {
        conn.prepare_cached("DELETE FROM pin_attempts WHERE employee_id = ?1")?.execute([employee_id.as_str()])?;
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO pin_attempts (employee_id, wrong_in_a_row, lockouts, locked_until) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (employee_id) DO UPDATE SET wrong_in_a_row = excluded.wrong_in_a_row,
             lockouts = excluded.lockouts, locked_until = excluded.locked_until",
    )?
    .execute(params![
        employee_id.as_str(),
        attempts.wrong_in_a_row,
        attempts.lockouts,
        attempts.locked_until.map(|u| u.0)
    ])?;
    Ok(())
}

/// The logged-in manager and their last activity, if anyone logged in (and did not log out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub manager_id: EmployeeId,
    pub logged_in_at: String,
    pub last_activity: UnixSeconds,
}

pub fn get_session(conn: &Connection) -> Result<Option<SessionRow>, StoreError> {
    let row = conn
        .prepare_cached("SELECT manager_id, logged_in_at, last_activity FROM staff_session WHERE id = 1")?
        .query_row([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))
        .optional()?;
    row.map(|(id, logged_in_at, last)| {
        Ok(SessionRow {
            manager_id: EmployeeId::parse(&id).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            logged_in_at,
            last_activity: UnixSeconds(last),
        })
    })
    .transpose()
}

/// A login replaces whoever was logged in or locked before.
pub fn start_session(conn: &Connection, row: &SessionRow) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO staff_session (id, manager_id, logged_in_at, last_activity) VALUES (1, ?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET manager_id = excluded.manager_id, logged_in_at = excluded.logged_in_at,
             last_activity = excluded.last_activity",
    )?
    .execute(params![row.manager_id.as_str(), row.logged_in_at, row.last_activity.0])?;
    Ok(())
}

/// Counter activity at `now`, for a session the domain found active at `now` (so never earlier than
/// its last activity: a clock set back locks the counter instead, see `pvz_domain::Session`).
pub fn touch_session(conn: &Connection, now: UnixSeconds) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE staff_session SET last_activity = ?1 WHERE id = 1")?.execute([now.0])?;
    Ok(())
}

pub fn end_session(conn: &Connection) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM staff_session")?.execute([])?;
    Ok(())
}
