//! What a diagnostics zip reads from the store besides the flows' own views: SQLite's verdict on
//! the file, the schema's version, and the values a zip must never carry (so they can be struck
//! from whatever text goes into it).

use super::StoreError;
use rusqlite::Connection;

/// `PRAGMA integrity_check`: one line `ok` for a sound file, else one line per problem found.
pub fn integrity_check(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let lines = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<Result<_, _>>()?;
    Ok(lines)
}

/// How many migrations the store has had (rusqlite_migration keeps it in `user_version`).
pub fn get_schema_version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// The SQLite library the store runs on.
pub fn sqlite_version() -> &'static str {
    rusqlite::version()
}

/// Every secret the store holds: the device credential and a pending enrollment's secret and code,
/// the managers' PIN hashes, and the claim return codes of claims being returned.
pub fn list_secrets(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT device_credential FROM sync_settings
         UNION ALL SELECT pending_secret FROM sync_settings
         UNION ALL SELECT pending_code FROM sync_settings
         UNION ALL SELECT pin_hash FROM employees
         UNION ALL SELECT return_code FROM claim_returns",
    )?;
    let secrets = stmt.query_map([], |r| r.get::<_, Option<String>>(0))?.collect::<Result<Vec<_>, _>>()?;
    Ok(secrets.into_iter().flatten().filter(|s| !s.is_empty()).collect())
}
