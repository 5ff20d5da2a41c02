//! The outbox: every counter action as an op with a UUIDv7 id and a gap-free per-device `seq`,
//! written in the same transaction as its local effect.

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
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, op_id, payload) = row?;
        out.push(OutboxEntry {
            seq,
            op_id: Uuid::parse_str(&op_id).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            body: serde_json::from_str(&payload).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        });
    }
    Ok(out)
}
