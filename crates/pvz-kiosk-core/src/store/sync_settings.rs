//! The single-row sync settings: the server this kiosk is enrolled with, its device credential and
//! how the last sync pass went.

use super::StoreError;
use rusqlite::{params, Connection};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncSettingsRow {
    pub server_url: Option<String>,
    pub device_credential: Option<String>,
    pub last_sync_at: Option<String>,
    pub last_error: Option<String>,
}

pub fn get_sync_settings(conn: &Connection) -> Result<SyncSettingsRow, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT server_url, device_credential, last_sync_at, last_error FROM sync_settings WHERE singleton = 1",
        )?
        .query_row([], |r| {
            Ok(SyncSettingsRow {
                server_url: r.get(0)?,
                device_credential: r.get(1)?,
                last_sync_at: r.get(2)?,
                last_error: r.get(3)?,
            })
        })?)
}

/// Stores the server and credential of a new enrollment; the previous pass's outcome no longer applies.
pub fn set_server(conn: &Connection, server_url: &str, device_credential: &str) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE sync_settings SET server_url = ?1, device_credential = ?2, last_sync_at = NULL, last_error = NULL
         WHERE singleton = 1",
        params![server_url, device_credential],
    )?;
    Ok(())
}

/// Which enrollment the cache and the pull cursor belong to: moved by every enrollment.
pub fn get_enrollment_generation(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached("SELECT enrollment_generation FROM sync_settings WHERE singleton = 1")?
        .query_row([], |r| r.get(0))?)
}

/// A new enrollment: pages fetched before it are stale from now on.
pub fn bump_enrollment_generation(conn: &Connection) -> Result<(), StoreError> {
    conn.execute("UPDATE sync_settings SET enrollment_generation = enrollment_generation + 1 WHERE singleton = 1", [])?;
    Ok(())
}

pub fn set_sync_succeeded(conn: &Connection, at: &str) -> Result<(), StoreError> {
    conn.execute("UPDATE sync_settings SET last_sync_at = ?1, last_error = NULL WHERE singleton = 1", [at])?;
    Ok(())
}

pub fn set_sync_failed(conn: &Connection, error: &str) -> Result<(), StoreError> {
    conn.execute("UPDATE sync_settings SET last_error = ?1 WHERE singleton = 1", [error])?;
    Ok(())
}
