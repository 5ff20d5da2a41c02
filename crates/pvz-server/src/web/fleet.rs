//! The operator's network-wide views: the attention list (ops the server rejected, across points)
//! and the fleet (each device's last recorded sync, outbox and clock).

use crate::db::devices::{list_devices, DeviceSummary};
use crate::db::ops::{list_rejected_ops, RejectedOpRow};
use crate::db::sql::Connection;
use crate::error::Result;
use pvz_protocol::web::{FleetDevice, RejectedOp};

/// The attention list holds this many ops unless the caller asks for fewer ...
pub const DEFAULT_ATTENTION_LIMIT: u32 = 200;
/// ... and never more than this many.
pub const MAX_ATTENTION_LIMIT: u32 = 1000;

/// Rejected ops across points, newest first, at most `limit` (within [`MAX_ATTENTION_LIMIT`]).
pub fn attention(conn: &Connection, limit: u32) -> Result<Vec<RejectedOp>> {
    let limit = limit.clamp(1, MAX_ATTENTION_LIMIT);
    Ok(list_rejected_ops(conn, limit)?.into_iter().map(rejected_op).collect())
}

fn rejected_op(row: RejectedOpRow) -> RejectedOp {
    RejectedOp {
        op_id: row.op_id,
        op_type: row.kind,
        device_id: row.device_id,
        pickup_point_id: row.pickup_point_id,
        seq: row.seq,
        reason: row.reject_code.unwrap_or_default(),
        message: row.reject_message.unwrap_or_default(),
        received_at: row.received_at,
    }
}

/// Every device, by point then name.
pub fn fleet(conn: &Connection) -> Result<Vec<FleetDevice>> {
    Ok(list_devices(conn, None)?.into_iter().map(fleet_device).collect())
}

fn fleet_device(d: DeviceSummary) -> FleetDevice {
    FleetDevice {
        last_sync_at: d.last_sync.at.map(super::rfc3339),
        ops_waiting: d.last_sync.ops_waiting,
        app_version: d.last_sync.app_version,
        protocol: d.last_sync.protocol,
        // Stored as the push measures it (server minus device); the view says the device's drift.
        clock_offset_seconds: d.clock_offset_seconds.map(i64::saturating_neg),
        revoked: d.revoked_at.is_some(),
        device_id: d.device_id,
        pickup_point_id: d.pickup_point_id,
        name: d.name,
        ops_received: d.ops_received,
    }
}
