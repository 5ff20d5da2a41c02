//! Codes scanned during a receiving that matched no expected item: discrepancies, each code once.

use super::StoreError;
use rusqlite::{params, Connection};

/// Records `code`; returns whether it was new to the session.
pub fn record_unexpected(conn: &Connection, receiving_id: &str, code: &str, at: &str) -> Result<bool, StoreError> {
    let inserted = conn
        .prepare_cached(
            "INSERT INTO receiving_unexpected (receiving_id, code, scanned_at) VALUES (?1, ?2, ?3)
             ON CONFLICT DO NOTHING",
        )?
        .execute(params![receiving_id, code, at])?;
    Ok(inserted > 0)
}

/// The session's unexpected codes in scan order.
pub fn list_unexpected(conn: &Connection, receiving_id: &str) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT code FROM receiving_unexpected WHERE receiving_id = ?1 ORDER BY scanned_at, rowid")?;
    let rows = stmt.query_map([receiving_id], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
