//! The outbox: every counter action as an op with a UUIDv7 id and a gap-free per-device `seq`,
//! written in the same transaction as its local effect. Rows are never deleted: a sync result only
//! moves an op between `pending`, `applied` and `rejected` (with the server's reason), and the
//! manager may acknowledge a rejection ("Разобрано") to take it off the attention list.

use super::StoreError;
use pvz_protocol::OpBody;
use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry {
    pub seq: i64,
    pub op_id: Uuid,
    pub body: OpBody,
}

/// Appends an op, if it is within its bounds (`pvz_protocol::bounds`). Must run inside the write transaction of its effect: `seq` is the next after the
/// highest ever written, and rows are never deleted, so the sequence has no gaps. The op's operator
/// is the manager of the session row, which the counter's staff guard checked in this same
/// transaction (none where login is not required).
pub fn append_op(conn: &Connection, body: &OpBody, at: &str) -> Result<OutboxEntry, StoreError> {
    // Bounded by construction: an op the server would refuse for its size is never queued.
    body.check_bounds()?;
    let op_id = Uuid::now_v7();
    let payload = serde_json::to_string(body).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let seq: i64 = conn.prepare_cached("SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox")?.query_row([], |r| r.get(0))?;
    conn.prepare_cached(
        "INSERT INTO outbox (seq, op_id, kind, payload, created_at, operator)
         VALUES (?1, ?2, ?3, ?4, ?5, (SELECT manager_id FROM staff_session WHERE id = 1))",
    )?
    .execute(params![seq, op_id.to_string(), body.kind(), payload, at])?;
    // The op's photos wait for upload from the moment the op is queued: a restart loses none.
    super::photo_uploads::add_photos_of_op(conn, seq, body)?;
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

/// An op waiting to be pushed, with the time the counter did it and who did it.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingOp {
    pub entry: OutboxEntry,
    pub created_at: String,
    pub operator: Option<String>,
}

/// The oldest `limit` pending ops, in `seq` order: the next push batch.
pub fn list_pending_ops(conn: &Connection, limit: usize) -> Result<Vec<PendingOp>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, op_id, payload, created_at, operator FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit as i64], |r| Ok((entry_columns(r)?, r.get::<_, String>(3)?, r.get(4)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (raw, created_at, operator) = row?;
        out.push(PendingOp { entry: parse_entry(raw)?, created_at, operator });
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
/// An acknowledgement goes too: if the op is rejected again, the manager sees the new verdict.
pub fn reset_ops_to_pending_from(conn: &Connection, seq: i64) -> Result<usize, StoreError> {
    Ok(conn
        .prepare_cached(
            "UPDATE outbox SET state = 'pending', reject_code = NULL, reject_message = NULL, synced_at = NULL,
                 acknowledged_at = NULL, acknowledged_by = NULL
             WHERE seq >= ?1 AND state <> 'pending'",
        )?
        .execute([seq])?)
}

/// An op the server refused for good that the manager has not marked resolved: one line of the
/// "needs attention" list. Read from its columns; the payload is not parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedOp {
    pub seq: i64,
    pub op_id: String,
    pub kind: String,
    /// The short code of the order the op is about, while that order is in the cache.
    pub order_short_code: Option<String>,
    /// The item a claim return op took back (its order may be another point's).
    pub claim_item_name: Option<String>,
    pub code: String,
    pub message: String,
    pub created_at: String,
    /// When the rejection arrived.
    pub synced_at: Option<String>,
}

/// The "needs attention" list: the newest unacknowledged rejections and how many there are in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attention {
    pub newest: Vec<RejectedOp>,
    pub total: u32,
}

/// The newest `limit` (at least 1) rejected ops not yet acknowledged, newest first, with their total
/// count and each order's short code: one statement, however long the list.
pub fn list_attention(conn: &Connection, limit: usize) -> Result<Attention, StoreError> {
    // The count rides on every row; with no row there is nothing to count, as `limit` is at least 1.
    let mut stmt = conn.prepare_cached(
        "SELECT o.seq, o.op_id, o.kind, ord.short_code, COALESCE(o.reject_code, ''),
                COALESCE(o.reject_message, ''), o.created_at, o.synced_at,
                (SELECT count(*) FROM outbox WHERE state = 'rejected' AND acknowledged_at IS NULL),
                cr.item_name
         FROM (SELECT seq, op_id, kind, payload, reject_code, reject_message, created_at, synced_at
               FROM outbox WHERE state = 'rejected' AND acknowledged_at IS NULL
               ORDER BY seq DESC LIMIT ?1) AS o
         LEFT JOIN orders AS ord ON ord.order_id = json_extract(o.payload, '$.order_id')
         LEFT JOIN claim_returns AS cr ON cr.op_id = o.op_id
         ORDER BY o.seq DESC",
    )?;
    let mut total = 0;
    let rows = stmt.query_map([limit.max(1) as i64], |r| {
        total = r.get(8)?;
        Ok(RejectedOp {
            seq: r.get(0)?,
            op_id: r.get(1)?,
            kind: r.get(2)?,
            order_short_code: r.get(3)?,
            claim_item_name: r.get(9)?,
            code: r.get(4)?,
            message: r.get(5)?,
            created_at: r.get(6)?,
            synced_at: r.get(7)?,
        })
    })?;
    let newest = rows.collect::<Result<Vec<_>, _>>()?;
    Ok(Attention { newest, total })
}

/// What acknowledging an op did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acknowledgement {
    /// The op is a rejection and is now (or was already) acknowledged.
    Recorded,
    /// The op is pending or applied: there is nothing to acknowledge.
    NotRejected,
    NoSuchOp,
}

/// "Разобрано" on a rejected op, by the manager of the session row, which the counter's staff guard
/// checked in this same transaction (like an op's operator). Acknowledging again keeps the first time
/// and manager.
pub fn acknowledge_rejected_op(conn: &Connection, seq: i64, at: &str) -> Result<Acknowledgement, StoreError> {
    let state: Option<String> =
        conn.prepare_cached("SELECT state FROM outbox WHERE seq = ?1")?.query_row([seq], |r| r.get(0)).optional()?;
    match state.as_deref() {
        None => Ok(Acknowledgement::NoSuchOp),
        Some("rejected") => {
            conn.prepare_cached(
                "UPDATE outbox SET acknowledged_at = COALESCE(acknowledged_at, ?2),
                     acknowledged_by = CASE WHEN acknowledged_at IS NULL
                         THEN (SELECT manager_id FROM staff_session WHERE id = 1) ELSE acknowledged_by END
                 WHERE seq = ?1",
            )?
            .execute(params![seq, at])?;
            Ok(Acknowledgement::Recorded)
        }
        Some(_) => Ok(Acknowledgement::NotRejected),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ErrorKind, KioskError};
    use pvz_domain::{ItemId, OrderId, RefusalReason};
    use pvz_protocol::ItemDecision;

    #[test]
    fn an_op_past_its_bounds_is_refused_with_the_bound_and_nothing_is_queued() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = super::super::Store::open(&dir.path().join("kiosk.sqlite3")).expect("store");
        let refusal = |description: String| OpBody::ItemDecided {
            order_id: OrderId::parse("o1").expect("id"),
            item_id: ItemId::parse("o1-1").expect("id"),
            decision: ItemDecision::Refuse { reason: RefusalReason::Defect, description: Some(description) },
            mark: None,
        };
        let refused = store
            .with_tx::<_, KioskError>(|tx| Ok(append_op(tx, &refusal("ш".repeat(2001)), "2026-12-01T10:00:00.000Z")?))
            .expect_err("a 2001-character description is one too many");
        let view = refused.to_view();
        assert_eq!(view.kind, ErrorKind::TextTooLong, "the manager is told the text is too long: {refused}");
        assert_eq!(view.detail.as_deref(), Some("2000"), "and how long it may be");
        assert!(!refused.is_transient(), "it is not retried: shortening the text is the way on");
        let pending = store.with_conn(|c| Ok::<_, KioskError>(count_pending(c)?)).expect("count");
        assert_eq!(pending, 0, "nothing was queued");
        store
            .with_tx::<_, KioskError>(|tx| Ok(append_op(tx, &refusal("ш".repeat(2000)), "2026-12-01T10:00:00.000Z")?))
            .expect("2000 characters are queued");
    }
}
