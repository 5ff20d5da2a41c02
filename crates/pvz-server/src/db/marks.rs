//! `server_marks`: named flags a database carries for the server that next starts on it (see
//! `migrations/20261217_0008_server_marks.sql`).

use crate::db::sql::{params, Connection};
use crate::error::Result;

/// Sets the mark; setting a mark already set keeps its first time.
pub fn set_mark(conn: &Connection, name: &str, now: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO server_marks (name, set_at) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING",
        params![name, now],
    )?;
    Ok(())
}

/// Clears the mark and says whether it was set. One statement, so of two servers taking the same
/// mark at once exactly one gets `true` (PostgreSQL: the second waits for the first's row lock and
/// then deletes nothing).
pub fn take_mark(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn.execute("DELETE FROM server_marks WHERE name = ?1", [name])? > 0)
}
