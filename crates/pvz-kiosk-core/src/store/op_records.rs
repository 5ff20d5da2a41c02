//! The outbox read as the counter's record of what happened (shift reports, the audit trail): each op
//! with its time, operator and sync state. Read-only; the outbox module owns writing it.

use super::StoreError;
use pvz_protocol::OpBody;
use rusqlite::{params, Connection, Row};

#[derive(Debug, Clone, PartialEq)]
pub struct OpRecord {
    pub seq: i64,
    pub op_id: String,
    pub kind: String,
    pub body: OpBody,
    /// The op's JSON as stored, for readers that stay generic over op bodies.
    pub payload: serde_json::Value,
    pub created_at: String,
    pub operator: Option<String>,
    /// `pending`, `applied` or `rejected`.
    pub state: String,
}

const COLUMNS: &str = "seq, op_id, kind, payload, created_at, operator, state";

/// seq, op_id, kind, payload, created_at, operator, state.
type RawRecord = (i64, String, String, String, String, Option<String>, String);

fn record(r: &Row<'_>) -> rusqlite::Result<RawRecord> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
}

fn parse((seq, op_id, kind, payload, created_at, operator, state): RawRecord) -> Result<OpRecord, StoreError> {
    let corrupt = |e: serde_json::Error| StoreError::Corrupt(format!("op {seq}: {e}"));
    Ok(OpRecord {
        body: serde_json::from_str(&payload).map_err(corrupt)?,
        payload: serde_json::from_str(&payload).map_err(corrupt)?,
        seq,
        op_id,
        kind,
        created_at,
        operator,
        state,
    })
}

/// The ops with `from <= seq <= to`, in `seq` order.
pub fn list_op_records(conn: &Connection, from: i64, to: i64) -> Result<Vec<OpRecord>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM outbox WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![from, to], record)?;
    rows.map(|row| parse(row?)).collect()
}

/// The ops whose JSON contains any of `needles` as text (a cheap pre-filter: the caller checks
/// which really name what it looks for), in `seq` order.
pub fn list_ops_mentioning(conn: &Connection, needles: &[String]) -> Result<Vec<OpRecord>, StoreError> {
    let needles = serde_json::to_string(needles).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let sql = format!(
        "SELECT {COLUMNS} FROM outbox
         WHERE EXISTS (SELECT 1 FROM json_each(?1) AS n WHERE instr(outbox.payload, n.value) > 0)
         ORDER BY seq"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([needles], record)?;
    rows.map(|row| parse(row?)).collect()
}

/// How many ops of a range the server has not answered yet, and how many it rejected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unsettled {
    pub pending: u32,
    pub rejected: u32,
}

/// Counts the ops with `from <= seq <= to` still pending or rejected.
pub fn count_unsettled(conn: &Connection, from: i64, to: i64) -> Result<Unsettled, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT COALESCE(SUM(state = 'pending'), 0), COALESCE(SUM(state = 'rejected'), 0)
             FROM outbox WHERE seq BETWEEN ?1 AND ?2",
        )?
        .query_row(params![from, to], |r| Ok(Unsettled { pending: r.get(0)?, rejected: r.get(1)? }))?)
}

/// The highest `seq` written so far (0 for an empty outbox).
pub fn last_seq(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM outbox")?.query_row([], |r| r.get(0))?)
}
