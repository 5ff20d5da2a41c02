//! `server_keys`: the network keys trusted besides the pinned one, each with the pinned key it was
//! verified from (see `codes::trust_server_keys`).

use super::StoreError;
use rusqlite::{params, Connection};

/// Trusts `keys`, checked from `anchor`; keys trusted from another anchor are dropped.
pub fn replace_trusted_keys(conn: &Connection, anchor: &str, keys: &[String]) -> Result<(), StoreError> {
    conn.execute("DELETE FROM server_keys WHERE anchor <> ?1", [anchor])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO server_keys (public_key, anchor) VALUES (?1, ?2)
         ON CONFLICT (public_key) DO UPDATE SET anchor = excluded.anchor",
    )?;
    for key in keys {
        insert.execute(params![key, anchor])?;
    }
    Ok(())
}

/// The keys trusted from `anchor`, the pinned key.
pub fn list_trusted_keys(conn: &Connection, anchor: &str) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT public_key FROM server_keys WHERE anchor = ?1 ORDER BY public_key")?;
    let keys = stmt.query_map([anchor], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(keys)
}
