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

/// An enrollment asked for whose answer has not been stored yet (see migration 0016).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingEnrollment {
    pub server_url: String,
    pub code: String,
    /// The device secret the kiosk made; the server has only its sha256.
    pub secret: String,
    pub since: String,
}

pub fn get_pending_enrollment(conn: &Connection) -> Result<Option<PendingEnrollment>, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT pending_server_url, pending_code, pending_secret, pending_since FROM sync_settings
             WHERE singleton = 1",
        )?
        .query_row([], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
    Ok(match row {
        (Some(server_url), Some(code), Some(secret), Some(since)) => {
            Some(PendingEnrollment { server_url, code, secret, since })
        }
        _ => None,
    })
}

pub fn set_pending_enrollment(conn: &Connection, pending: &PendingEnrollment) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE sync_settings SET pending_server_url = ?1, pending_code = ?2, pending_secret = ?3, pending_since = ?4
         WHERE singleton = 1",
        params![pending.server_url, pending.code, pending.secret, pending.since],
    )?;
    Ok(())
}

pub fn clear_pending_enrollment(conn: &Connection) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE sync_settings SET pending_server_url = NULL, pending_code = NULL, pending_secret = NULL,
             pending_since = NULL
         WHERE singleton = 1",
        [],
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
