//! The point's storage period (срок хранения) and the UTC offset its days are counted in, as the
//! server sent them (a cache row, cleared on a sync reset).

use super::StoreError;
use pvz_domain::{StoragePolicy, UtcOffset};
use rusqlite::{params, Connection, OptionalExtension};

pub fn set_storage_policy(conn: &Connection, policy: &StoragePolicy, offset: UtcOffset) -> Result<(), StoreError> {
    let json = serde_json::to_string(policy).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    conn.prepare_cached(
        "INSERT INTO storage_policy (singleton, policy, utc_offset_seconds) VALUES (1, ?1, ?2)
         ON CONFLICT (singleton) DO UPDATE SET policy = excluded.policy,
             utc_offset_seconds = excluded.utc_offset_seconds",
    )?
    .execute(params![json, offset.seconds()])?;
    Ok(())
}

/// `None` until the feed sent a policy.
pub fn get_storage_policy(conn: &Connection) -> Result<Option<(StoragePolicy, UtcOffset)>, StoreError> {
    let row = conn
        .prepare_cached("SELECT policy, utc_offset_seconds FROM storage_policy")?
        .query_row([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i32>(1)?)))
        .optional()?;
    row.map(|(json, offset)| {
        let policy = serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(format!("storage policy: {e}")))?;
        let offset = UtcOffset::from_seconds(offset).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok((policy, offset))
    })
    .transpose()
}

pub fn clear_storage_policy(conn: &Connection) -> Result<(), StoreError> {
    conn.execute("DELETE FROM storage_policy", [])?;
    Ok(())
}
