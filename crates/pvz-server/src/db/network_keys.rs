//! `network_keys`: the network's signing keys by generation (see migration 0007). Inserts never
//! overwrite (`ON CONFLICT DO NOTHING`) and activation is a guarded update, so servers starting or
//! rotating at once agree on one key per generation.

use crate::db::sql::{params, Connection, OptionalExtension};
use crate::error::Result;
use pvz_protocol::ServerKeyWire;

#[derive(Debug, Clone)]
pub struct NetworkKeyRow {
    pub generation: i64,
    /// The private key, base64url.
    pub secret: String,
    pub public_key: String,
    pub endorsement: Option<String>,
    pub activated: bool,
}

const KEY_COLUMNS: &str = "generation, secret, public_key, endorsement, activated_at IS NOT NULL";

fn key_row(r: &crate::db::sql::Row<'_>) -> crate::db::sql::SqlResult<NetworkKeyRow> {
    Ok(NetworkKeyRow {
        generation: r.get(0)?,
        secret: r.get(1)?,
        public_key: r.get(2)?,
        endorsement: r.get(3)?,
        activated: r.get(4)?,
    })
}

/// A new key for `generation` unless that generation exists; `activated_at` set makes it active at
/// once (the first key). Returns whether this call inserted it.
pub fn insert_key(conn: &Connection, key: &NetworkKeyRow, now: &str) -> Result<bool> {
    let inserted = conn.execute(
        "INSERT INTO network_keys (generation, secret, public_key, endorsement, created_at, activated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (generation) DO NOTHING",
        params![key.generation, key.secret, key.public_key, key.endorsement, now, key.activated.then_some(now)],
    )?;
    Ok(inserted == 1)
}

/// The key that signs: the newest activated generation.
pub fn get_active_key(conn: &Connection) -> Result<Option<NetworkKeyRow>> {
    let row = conn
        .prepare_cached(&format!(
            "SELECT {KEY_COLUMNS} FROM network_keys WHERE activated_at IS NOT NULL ORDER BY generation DESC LIMIT 1"
        ))?
        .query_row([], key_row)
        .optional()?;
    Ok(row)
}

/// The next key, created by a rotation and not activated yet.
pub fn get_next_key(conn: &Connection) -> Result<Option<NetworkKeyRow>> {
    let row = conn
        .prepare_cached(&format!(
            "SELECT {KEY_COLUMNS} FROM network_keys WHERE activated_at IS NULL ORDER BY generation LIMIT 1"
        ))?
        .query_row([], key_row)
        .optional()?;
    Ok(row)
}

/// Activates `generation` if it is not yet; returns whether this call did.
pub fn activate_key(conn: &Connection, generation: i64, now: &str) -> Result<bool> {
    let changed = conn.execute(
        "UPDATE network_keys SET activated_at = ?2 WHERE generation = ?1 AND activated_at IS NULL",
        params![generation, now],
    )?;
    Ok(changed == 1)
}

/// Every key's public half with its endorsement, oldest first (what the feed sends kiosks).
pub fn list_public_keys(conn: &Connection) -> Result<Vec<ServerKeyWire>> {
    let mut stmt = conn.prepare_cached("SELECT public_key, endorsement FROM network_keys ORDER BY generation")?;
    let keys = stmt
        .query_map([], |r| Ok(ServerKeyWire { public_key: r.get(0)?, endorsement: r.get(1)? }))?
        .collect::<crate::db::sql::SqlResult<Vec<_>>>()?;
    Ok(keys)
}
