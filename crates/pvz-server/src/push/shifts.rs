//! `ShiftOpened` and `ShiftClosed` (смена): the shift is stored as its ops tell it: the device, the
//! operators who opened and closed it, the counter's times, and the report it was closed with. A shift
//! id is used once; a close must name a shift opened on this device and not closed yet. The operator
//! is recorded, never checked: the counter's login rules decided who could do it.

use super::{op_time, Pusher};
use crate::db::shifts::{self, ShiftOp};
use crate::db::sql::Connection;
use crate::error::Result;
use crate::rules::Rejection;
use pvz_domain::ShiftReport;
use pvz_protocol::sync::{reject, PushOp};

fn rejected(code: &'static str, message: String) -> Result<Result<(), Rejection>> {
    Ok(Err(Rejection::new(code, message)))
}

pub(super) fn apply_opened(
    conn: &Connection,
    who: &Pusher,
    op: &PushOp,
    shift_id: &str,
) -> Result<Result<(), Rejection>> {
    if shift_id.trim().is_empty() {
        return rejected(reject::INVALID_OP, "a shift needs an id".to_owned());
    }
    if let Some(earlier) = shifts::get_shift(conn, shift_id)? {
        return rejected(
            reject::INVALID_OP,
            format!("shift {shift_id} was opened before ({}); each shift needs its own id", earlier.opened_at),
        );
    }
    let (op_id, at) = (op.op_id.to_string(), op_time(op));
    let opened = ShiftOp { op_id: &op_id, operator: op.operator.as_ref().map(|o| o.as_str()), at: &at };
    shifts::insert_shift(conn, shift_id, &who.pickup_point_id, &who.device_id, opened)?;
    Ok(Ok(()))
}

pub(super) fn apply_closed(
    conn: &Connection,
    who: &Pusher,
    op: &PushOp,
    shift_id: &str,
    report: &ShiftReport,
) -> Result<Result<(), Rejection>> {
    let shift = shifts::get_shift(conn, shift_id)?;
    let Some(shift) = shift.filter(|s| s.device_id == who.device_id.as_str()) else {
        return rejected(reject::UNKNOWN_SHIFT, format!("shift {shift_id:?} was not opened on this device"));
    };
    if let (Some(at), Some(op_id)) = (&shift.closed_at, &shift.closed_op_id) {
        return rejected(
            reject::SHIFT_ALREADY_CLOSED,
            format!("shift {shift_id} was closed already ({at}, op {op_id}); a shift is closed once"),
        );
    }
    let (op_id, at) = (op.op_id.to_string(), op_time(op));
    let closed = ShiftOp { op_id: &op_id, operator: op.operator.as_ref().map(|o| o.as_str()), at: &at };
    if !shifts::close_shift(conn, shift_id, closed, report)? {
        return rejected(reject::SHIFT_ALREADY_CLOSED, format!("shift {shift_id} was closed already"));
    }
    Ok(Ok(()))
}
