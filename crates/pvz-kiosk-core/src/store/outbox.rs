//! The outbox: every counter action as an op with a UUIDv7 id and a gap-free per-device `seq`,
//! written in the same transaction as its local effect. Rows are never deleted: a sync result only
//! moves an op between `pending`, `applied` and `rejected` (with the server's reason).

use super::StoreError;
use pvz_protocol::OpBody;
use rusqlite::{params, Connection};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry {
    pub seq: i64,
    pub op_id: Uuid,
    pub body: OpBody,
}

/// Appends an op. Must run inside the write transaction of its effect: `seq` is the next after the
/// highest ever written, and rows are never deleted, so the sequence has no gaps.
pub fn append_op(conn: &Connection, body: &OpBody, at: &str) -> Result<OutboxEntry, StoreError> {
    let op_id = Uuid::now_v7();
    let payload = serde_json::to_string(body).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let seq: i64 = conn.prepare_cached("SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox")?.query_row([], |r| r.get(0))?;
    conn.prepare_cached("INSERT INTO outbox (seq, op_id, kind, payload, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![seq, op_id.to_string(), body.kind(), payload, at])?;
    Ok(OutboxEntry { seq, op_id, body: body.clone() })
}

pub fn count_pending(conn: &Connection) -> Result<u32, StoreError> {
    Ok(conn.prepare_cached("SELECT count(*) FROM outbox WHERE state = 'pending'")?.query_row([], |r| r.get(0))?)
}

pub fn list_ops(conn: &Connection) -> Result<Vec<OutboxEntry>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT seq, op_id, payload FROM outbox ORDER BY seq")?;
    let rows = stmt.query_map([], entry_columns)?;
    let entries = collect_entries(rows)?;
    Ok(entries)
}

/// An op waiting to be pushed, with the time the counter did it.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingOp {
    pub entry: OutboxEntry,
    pub created_at: String,
}

/// The oldest `limit` pending ops, in `seq` order: the next push batch.
pub fn list_pending_ops(conn: &Connection, limit: usize) -> Result<Vec<PendingOp>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, op_id, payload, created_at FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit as i64], |r| Ok((entry_columns(r)?, r.get::<_, String>(3)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (raw, created_at) = row?;
        out.push(PendingOp { entry: parse_entry(raw)?, created_at });
    }
    Ok(out)
}

pub fn mark_op_applied(conn: &Connection, seq: i64, at: &str) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE outbox SET state = 'applied', reject_code = NULL, reject_message = NULL, synced_at = ?2
         WHERE seq = ?1",
    )?
    .execute(params![seq, at])?;
    Ok(())
}

pub fn mark_op_rejected(conn: &Connection, seq: i64, code: &str, message: &str, at: &str) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE outbox SET state = 'rejected', reject_code = ?2, reject_message = ?3, synced_at = ?4 WHERE seq = ?1",
    )?
    .execute(params![seq, code, message, at])?;
    Ok(())
}

/// Puts every op from `seq` on back to pending: the server has lost them (its data was restored) and
/// they must be sent again. The server's per-seq and per-op-id keys keep the resend from doubling.
pub fn reset_ops_to_pending_from(conn: &Connection, seq: i64) -> Result<usize, StoreError> {
    Ok(conn
        .prepare_cached(
            "UPDATE outbox SET state = 'pending', reject_code = NULL, reject_message = NULL, synced_at = NULL
             WHERE seq >= ?1 AND state <> 'pending'",
        )?
        .execute([seq])?)
}

/// An op the server refused for good: the manager's "needs attention" list.
#[derive(Debug, Clone, PartialEq)]
pub struct RejectedOp {
    pub entry: OutboxEntry,
    pub code: String,
    pub message: String,
    pub created_at: String,
    pub synced_at: Option<String>,
}

/// Rejected ops, newest first.
pub fn list_rejected_ops(conn: &Connection) -> Result<Vec<RejectedOp>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, op_id, payload, COALESCE(reject_code, ''), COALESCE(reject_message, ''), created_at, synced_at
         FROM outbox WHERE state = 'rejected' ORDER BY seq DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((entry_columns(r)?, r.get::<_, String>(3)?, r.get::<_, String>(4)?, r.get::<_, String>(5)?, r.get(6)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (raw, code, message, created_at, synced_at) = row?;
        out.push(RejectedOp { entry: parse_entry(raw)?, code, message, created_at, synced_at });
    }
    Ok(out)
}

type RawEntry = (i64, String, String);

fn entry_columns(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawEntry> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
}

fn parse_entry((seq, op_id, payload): RawEntry) -> Result<OutboxEntry, StoreError> {
    Ok(OutboxEntry {
        seq,
        op_id: Uuid::parse_str(&op_id).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        body: serde_json::from_str(&payload).map_err(|e| StoreError::Corrupt(e.to_string()))?,
    })
}

fn collect_entries(rows: impl Iterator<Item = rusqlite::Result<RawEntry>>) -> Result<Vec<OutboxEntry>, StoreError> {
    rows.map(|row| parse_entry(row?)).collect()
}
