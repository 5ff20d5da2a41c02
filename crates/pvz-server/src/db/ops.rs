//! `ops`: every op a device pushed, keyed (device, seq) with a unique op id, the operator the kiosk
//! named, and the outcome it got. A retried seq is answered from here, never applied again; the
//! audit ([`list_ops`]) reads who did what, where and when.

use crate::db::sql::{params, Connection, OptionalExtension};
use crate::error::{Result, ServerError};
use pvz_domain::{DeviceId, PickupPointId};
use pvz_protocol::sync::{PushOp, StoredOutcome};

/// The op id and outcome stored for a device's seq.
pub fn get_stored_op(conn: &Connection, device: &DeviceId, seq: i64) -> Result<Option<(String, StoredOutcome)>> {
    let row = conn
        .prepare_cached("SELECT op_id, status, reject_code, reject_message FROM ops WHERE device_id = ?1 AND seq = ?2")?
        .query_row(params![device.as_str(), seq], |r| {
            Ok((r.get::<String>(0)?, r.get::<String>(1)?, r.get::<Option<String>>(2)?, r.get::<Option<String>>(3)?))
        })
        .optional()?;
    let Some((op_id, status, code, message)) = row else { return Ok(None) };
    let outcome = match status.as_str() {
        "applied" => StoredOutcome::Applied,
        "rejected" => StoredOutcome::Rejected { code: code.unwrap_or_default(), message: message.unwrap_or_default() },
        other => return Err(ServerError::Internal(format!("stored op status {other:?}"))),
    };
    Ok(Some((op_id, outcome)))
}

/// Where an op id was stored before, if anywhere: (device, seq).
pub fn find_op_id(conn: &Connection, op_id: &str) -> Result<Option<(String, i64)>> {
    let row = conn
        .prepare_cached("SELECT device_id, seq FROM ops WHERE op_id = ?1")?
        .query_row([op_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row)
}

pub fn insert_op(
    conn: &Connection,
    device: &DeviceId,
    point: &PickupPointId,
    op: &PushOp,
    outcome: &StoredOutcome,
    received_at: &str,
) -> Result<()> {
    let (status, code, message) = match outcome {
        StoredOutcome::Applied => ("applied", None, None),
        StoredOutcome::Rejected { code, message } => ("rejected", Some(code.as_str()), Some(message.as_str())),
    };
    conn.prepare_cached(
        "INSERT INTO ops (device_id, seq, op_id, pickup_point_id, kind, body, created_at, received_at,
                          status, reject_code, reject_message, operator_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        device.as_str(),
        op.seq,
        op.op_id.to_string(),
        point.as_str(),
        op.body.kind(),
        serde_json::to_string(&op.body)?,
        op.created_at,
        received_at,
        status,
        code,
        message,
        op.operator.as_ref().map(|o| o.as_str()),
    ])?;
    Ok(())
}

/// Stores the rejection of an op that did not parse (protocol 4: `invalid_input`): its seq and id, so
/// a retry is answered from here, and nothing of its body (kind `invalid`, body `{}`, the time it
/// arrived as its time, no operator).
pub fn insert_unread_op(
    conn: &Connection,
    device: &DeviceId,
    point: &PickupPointId,
    (seq, op_id): (i64, uuid::Uuid),
    outcome: &StoredOutcome,
    received_at: &str,
) -> Result<()> {
    let StoredOutcome::Rejected { code, message } = outcome else {
        return Err(ServerError::Internal("an op that did not parse can only be stored as rejected".into()));
    };
    conn.prepare_cached(
        "INSERT INTO ops (device_id, seq, op_id, pickup_point_id, kind, body, created_at, received_at,
                          status, reject_code, reject_message, operator_id)
         VALUES (?1, ?2, ?3, ?4, 'invalid', '{}', ?5, ?5, 'rejected', ?6, ?7, NULL)",
    )?
    .execute(params![device.as_str(), seq, op_id.to_string(), point.as_str(), received_at, code, message])?;
    Ok(())
}

/// One stored op as the audit lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpRow {
    pub device_id: String,
    pub seq: i64,
    pub op_id: String,
    pub kind: String,
    /// The manager logged in at the kiosk, as the op named them.
    pub operator: Option<String>,
    /// The counter's clock.
    pub created_at: String,
    pub received_at: String,
    pub status: String,
    pub reject_code: Option<String>,
    pub reject_message: Option<String>,
}

/// The point's ops, the latest received first, at most `limit`.
pub fn list_ops(conn: &Connection, point: &PickupPointId, limit: u32) -> Result<Vec<OpRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT device_id, seq, op_id, kind, operator_id, created_at, received_at, status, reject_code, reject_message
         FROM ops WHERE pickup_point_id = ?1 ORDER BY received_at DESC, device_id, seq DESC LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![point.as_str(), i64::from(limit)], |r| {
            Ok(OpRow {
                device_id: r.get(0)?,
                seq: r.get(1)?,
                op_id: r.get(2)?,
                kind: r.get(3)?,
                operator: r.get(4)?,
                created_at: r.get(5)?,
                received_at: r.get(6)?,
                status: r.get(7)?,
                reject_code: r.get(8)?,
                reject_message: r.get(9)?,
            })
        })?
        .collect::<crate::db::sql::SqlResult<Vec<_>>>()?;
    Ok(rows)
}

/// Counts of a device's stored ops: (applied, rejected).
pub fn count_ops(conn: &Connection, device: &DeviceId) -> Result<(u64, u64)> {
    let (applied, rejected): (i64, i64) = conn.query_row(
        "SELECT COALESCE(SUM(CASE WHEN status = 'applied' THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN status = 'rejected' THEN 1 ELSE 0 END), 0)
         FROM ops WHERE device_id = ?1",
        [device.as_str()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((applied.max(0) as u64, rejected.max(0) as u64))
}

/// A stored op's body with where and when (the counter's clock) it was done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpBodyRow {
    pub pickup_point_id: String,
    pub created_at: String,
    /// The `OpBody` as JSON.
    pub body: String,
}

/// The point's applied receiving and issue ops whose body names `item` (a JSON string equal to the
/// id), oldest first by the counter's clock. The body match is textual, so the caller reads each
/// body and keeps what really concerns the item.
pub fn list_item_counter_ops(conn: &Connection, point: &PickupPointId, item: &str) -> Result<Vec<OpBodyRow>> {
    let escaped: String = item
        .chars()
        .flat_map(|c| match c {
            '\\' | '%' | '_' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    let needle = format!("%\"{escaped}\"%");
    let rows = conn
        .prepare_cached(
            "SELECT pickup_point_id, created_at, body FROM ops
             WHERE pickup_point_id = ?1 AND status = 'applied'
               AND kind IN ('shipment_received', 'issue_completed') AND body LIKE ?2 ESCAPE '\\'
             ORDER BY created_at, device_id, seq",
        )?
        .query_map(params![point.as_str(), needle], |r| {
            Ok(OpBodyRow { pickup_point_id: r.get(0)?, created_at: r.get(1)?, body: r.get(2)? })
        })?
        .collect::<crate::db::sql::SqlResult<Vec<_>>>()?;
    Ok(rows)
}

/// An applied op by its id.
pub fn get_applied_op(conn: &Connection, op_id: &str) -> Result<Option<OpBodyRow>> {
    let row = conn
        .prepare_cached("SELECT pickup_point_id, created_at, body FROM ops WHERE op_id = ?1 AND status = 'applied'")?
        .query_row([op_id], |r| Ok(OpBodyRow { pickup_point_id: r.get(0)?, created_at: r.get(1)?, body: r.get(2)? }))
        .optional()?;
    Ok(row)
}

/// An op the server rejected, as the attention list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedOpRow {
    pub op_id: String,
    pub kind: String,
    pub device_id: String,
    pub pickup_point_id: String,
    pub seq: i64,
    pub reject_code: Option<String>,
    pub reject_message: Option<String>,
    pub received_at: String,
}

/// Rejected ops across points, the latest received first, at most `limit`.
pub fn list_rejected_ops(conn: &Connection, limit: u32) -> Result<Vec<RejectedOpRow>> {
    let rows = conn
        .prepare_cached(
            "SELECT op_id, kind, device_id, pickup_point_id, seq, reject_code, reject_message, received_at
             FROM ops WHERE status = 'rejected' ORDER BY received_at DESC, device_id, seq DESC LIMIT ?1",
        )?
        .query_map([i64::from(limit)], |r| {
            Ok(RejectedOpRow {
                op_id: r.get(0)?,
                kind: r.get(1)?,
                device_id: r.get(2)?,
                pickup_point_id: r.get(3)?,
                seq: r.get(4)?,
                reject_code: r.get(5)?,
                reject_message: r.get(6)?,
                received_at: r.get(7)?,
            })
        })?
        .collect::<crate::db::sql::SqlResult<Vec<_>>>()?;
    Ok(rows)
}
