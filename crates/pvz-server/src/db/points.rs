//! `pickup_points`: name, fee policy, storage policy (срок хранения) with the point's UTC offset, and
//! the feed's epoch and version counter; and `fee_policy_history`, every fee policy a point has had
//! (append-only), which refusal fees are checked against.
//!
//! Every transaction that changes what a point's kiosks pull bumps `version` with
//! `UPDATE ... RETURNING` while holding the row lock, and stamps the changed rows with the result. Two
//! writers to one point therefore get versions in commit order, so a pull never skips a change.

use crate::db::feed::Cursor;
use crate::db::sql::{params, Connection, OptionalExtension};
use crate::error::{Result, ServerError};
use pvz_domain::{FeePolicy, PickupPointId, StoragePolicy, UtcOffset};

#[derive(Debug, Clone)]
pub struct PointRow {
    pub id: PickupPointId,
    pub name: String,
    pub epoch: i64,
    pub version: i64,
    pub policy_version: i64,
    /// When the storage policy last changed; 0: never set.
    pub storage_version: i64,
    /// When the cells last changed; 0: never set.
    pub cells_version: i64,
    /// When the network's keys last changed (a rotation); 0: never.
    pub keys_version: i64,
}

const POINT_COLUMNS: &str = "id, name, epoch, version, policy_version, storage_version, cells_version, keys_version";

fn point_row(r: &crate::db::sql::Row<'_>) -> crate::db::sql::SqlResult<PointRow> {
    let id: String = r.get(0)?;
    Ok(PointRow {
        id: PickupPointId::parse(&id).map_err(|_| crate::db::sql::SqlError::bad_column(0, "pickup point id".into()))?,
        name: r.get(1)?,
        epoch: r.get(2)?,
        version: r.get(3)?,
        policy_version: r.get(4)?,
        storage_version: r.get(5)?,
        cells_version: r.get(6)?,
        keys_version: r.get(7)?,
    })
}

pub fn insert_point(conn: &Connection, id: &PickupPointId, name: &str, policy: &FeePolicy, now: &str) -> Result<()> {
    let text = serde_json::to_string(policy)?;
    conn.execute(
        "INSERT INTO pickup_points (id, name, epoch, version, fee_policy, policy_version, created_at)
         VALUES (?1, ?2, 1, 1, ?3, 1, ?4)",
        params![id.as_str(), name, text, now],
    )?;
    insert_policy_history(conn, id, 1, &text, now)
}

fn insert_policy_history(conn: &Connection, id: &PickupPointId, version: i64, policy: &str, now: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO fee_policy_history (pickup_point_id, policy_version, fee_policy, created_at)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![id.as_str(), version, policy, now])?;
    Ok(())
}

/// Every fee policy the point has had, the current one first, then older ones newest first.
pub fn list_fee_policies(conn: &Connection, id: &PickupPointId) -> Result<Vec<FeePolicy>> {
    let mut stmt = conn.prepare_cached(
        "SELECT fee_policy FROM fee_policy_history WHERE pickup_point_id = ?1 ORDER BY policy_version DESC",
    )?;
    let texts =
        stmt.query_map([id.as_str()], |r| r.get::<String>(0))?.collect::<crate::db::sql::SqlResult<Vec<_>>>()?;
    texts.iter().map(|t| Ok(serde_json::from_str(t)?)).collect()
}

pub fn get_point(conn: &Connection, id: &PickupPointId) -> Result<Option<PointRow>> {
    let row = conn
        .prepare_cached(&format!("SELECT {POINT_COLUMNS} FROM pickup_points WHERE id = ?1"))?
        .query_row([id.as_str()], point_row)
        .optional()?;
    Ok(row)
}

pub fn require_point(conn: &Connection, id: &PickupPointId) -> Result<PointRow> {
    get_point(conn, id)?.ok_or_else(|| ServerError::NotFound(format!("pickup point {id} does not exist")))
}

pub fn list_points(conn: &Connection) -> Result<Vec<PointRow>> {
    let mut stmt = conn.prepare(&format!("SELECT {POINT_COLUMNS} FROM pickup_points ORDER BY id"))?;
    let rows = stmt.query_map([], point_row)?.collect::<crate::db::sql::SqlResult<Vec<_>>>()?;
    Ok(rows)
}

pub fn get_fee_policy(conn: &Connection, id: &PickupPointId) -> Result<FeePolicy> {
    let text: String = conn
        .prepare_cached("SELECT fee_policy FROM pickup_points WHERE id = ?1")?
        .query_row([id.as_str()], |r| r.get(0))?;
    Ok(serde_json::from_str(&text)?)
}

/// The point's feed head (`epoch`, `version`): one indexed read, which a held pull repeats to see a
/// change committed by another process. `None`: no such point.
pub fn get_feed_head(conn: &Connection, id: &PickupPointId) -> Result<Option<Cursor>> {
    let head = conn
        .prepare_cached("SELECT epoch, version FROM pickup_points WHERE id = ?1")?
        .query_row([id.as_str()], |r| Ok(Cursor { epoch: r.get(0)?, version: r.get(1)? }))
        .optional()?;
    Ok(head)
}

/// Reserves `count` new feed versions for the point and returns the first; the caller stamps its
/// changed rows with `first..first + count`.
pub fn bump_version(conn: &Connection, id: &PickupPointId, count: i64) -> Result<i64> {
    let last: i64 = conn
        .prepare_cached("UPDATE pickup_points SET version = version + ?2 WHERE id = ?1 RETURNING version")?
        .query_row(params![id.as_str(), count], |r| r.get(0))?;
    Ok(last - count + 1)
}

/// Stamps a change of the network's keys on every point's feed at a fresh version, so all kiosks
/// pull it. One statement: each row's new version is its own, taken under its row lock.
pub fn bump_keys_versions(conn: &Connection) -> Result<()> {
    conn.execute("UPDATE pickup_points SET keys_version = version + 1, version = version + 1", [])?;
    Ok(())
}

/// Replaces the point's policy and appends it to the history; `now` stamps the history entry.
pub fn set_fee_policy(conn: &Connection, id: &PickupPointId, policy: &FeePolicy, now: &str) -> Result<()> {
    let version = bump_version(conn, id, 1)?;
    let text = serde_json::to_string(policy)?;
    conn.execute(
        "UPDATE pickup_points SET fee_policy = ?2, policy_version = ?3 WHERE id = ?1",
        params![id.as_str(), text, version],
    )?;
    insert_policy_history(conn, id, version, &text, now)
}

/// The point's storage policy and UTC offset; `None` until one is set.
pub fn get_storage_policy(conn: &Connection, id: &PickupPointId) -> Result<Option<(StoragePolicy, UtcOffset)>> {
    let row: Option<(Option<String>, Option<i64>)> = conn
        .prepare_cached("SELECT storage_policy, utc_offset_seconds FROM pickup_points WHERE id = ?1")?
        .query_row([id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((Some(text), Some(offset))) = row else { return Ok(None) };
    let offset = i32::try_from(offset)
        .ok()
        .and_then(|s| UtcOffset::from_seconds(s).ok())
        .ok_or_else(|| ServerError::Internal(format!("stored UTC offset {offset} of {id} is invalid")))?;
    Ok(Some((serde_json::from_str(&text)?, offset)))
}

/// Replaces the point's storage policy and offset at a fresh feed version.
pub fn set_storage_policy(
    conn: &Connection,
    id: &PickupPointId,
    policy: &StoragePolicy,
    offset: UtcOffset,
) -> Result<()> {
    let version = bump_version(conn, id, 1)?;
    conn.execute(
        "UPDATE pickup_points SET storage_policy = ?2, utc_offset_seconds = ?3, storage_version = ?4 WHERE id = ?1",
        params![id.as_str(), serde_json::to_string(policy)?, i64::from(offset.seconds()), version],
    )?;
    Ok(())
}

/// Starts a new feed epoch at every point (after a restore); returns how many points there are.
pub fn bump_every_epoch(conn: &Connection) -> Result<usize> {
    Ok(conn.execute("UPDATE pickup_points SET epoch = epoch + 1", [])?)
}

/// Starts a new feed epoch: every kiosk's next pull answers `reset` and replays from the start.
pub fn bump_epoch(conn: &Connection, id: &PickupPointId) -> Result<i64> {
    let epoch: i64 = conn
        .query_row("UPDATE pickup_points SET epoch = epoch + 1 WHERE id = ?1 RETURNING epoch", [id.as_str()], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or_else(|| ServerError::NotFound(format!("pickup point {id} does not exist")))?;
    Ok(epoch)
}
