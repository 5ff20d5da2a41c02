//! Applying a pushed batch: ops in seq order, each applied at most once, its result stored with it.
//! Each op family's module reads what it needs through `db`, has `rules` judge it, and writes the
//! effect to every table it touches; so this sits above both (and above `claims`, whose lifecycle a
//! claim return continues).
//!
//! Transactions: the whole batch is one write transaction (IMMEDIATE on SQLite). Inside it each op writes its effect,
//! its stored result, the device's last seq and its ledger transaction together, so no op is ever
//! half-applied. Any error (busy, disk, a seq conflict) rolls the whole batch back and the answer is
//! an error with no results: the kiosk retries, and ops that did commit earlier come back as
//! duplicates. One transaction per batch means one fsync per batch with `synchronous=FULL`; that is
//! what makes full durability affordable (a per-op commit with FULL costs one fsync per op).
//!
//! Serialization: two pushes of one device must not both read the same `last_seq` and both apply
//! the next op. The batch's first statement is therefore [`devices::lock_last_seq`], an
//! `UPDATE devices ... RETURNING last_seq` of the device row: SQLite (one writer, and an IMMEDIATE
//! transaction) runs the batches one after the other anyway; PostgreSQL, under its default READ
//! COMMITTED, would let a plain `SELECT last_seq` followed by a later `UPDATE` interleave, but the
//! first-statement `UPDATE` takes the row lock before the read, so a second push of the same device
//! waits until the first commits and then reads its `last_seq` (and sees its ops as duplicates).
//! A PostgreSQL backend must keep that order (or use `SELECT ... FOR UPDATE`, which SQLite lacks).
//!
//! Guards: that lock serializes one device's pushes, not two devices of one point. Each op's rules
//! read the state they judge, and every write that moves a state names that state in its `WHERE`
//! (an order still ready, a line still open, a box not handed over), so it lands only if the state
//! still holds. When another instance committed a move in between (PostgreSQL's READ COMMITTED lets
//! a statement see it), the guarded write changes no row and answers [`ServerError::Conflict`]; the
//! op's writes so far are rolled back to a savepoint taken before it, and the op is judged once
//! more on the state as it is now. The rules then give it the rejection they give any op that
//! comes too late (an order already issued, a shipment already received), with that rejection's own
//! effects (cash held for reconciliation), and nothing of the first attempt (a sale, a refund) is
//! posted. Correctness never rests on SQLite's single writer, where a guard never fires.

mod boxes;
mod claim_return;
mod evidence;
mod hand_back;
mod issue;
mod receiving;
mod shelf;
mod shifts;

use crate::db::custody::OpRef;
use crate::db::sql::Connection;
use crate::db::{devices, ledger, ops, orders};
use crate::error::{Result, ServerError};
use crate::rules::{self, Rejection};
use pvz_domain::{DeviceId, Kopecks, OrderId, PickupPointId};
use pvz_protocol::sync::{reject, OpOutcome, OpResult, PushOp, PushResponse, ReadOp, SeqGap, StoredOutcome};
use pvz_protocol::OpBody;
use std::collections::BTreeSet;
use uuid::Uuid;

/// Who pushes: the authenticated device and its pickup point, with the kiosk's clock when it sent
/// the push (RFC 3339, if it said) and the server's when the push arrived (unix seconds, read before
/// it waited for the database, so the wait does not count as the kiosk's clock being behind).
#[derive(Debug, Clone)]
pub struct Pusher {
    pub device_id: DeviceId,
    pub pickup_point_id: PickupPointId,
    pub kiosk_now: Option<String>,
    pub arrived_unix: i64,
}

/// A kiosk clock within this many seconds of the server's counts as right: the push's time on the
/// wire is part of any measured difference.
pub const CLOCK_TOLERANCE_SECONDS: i64 = 120;

/// What a batch came to: the answer for the kiosk, and for the server's metrics the money its newly
/// handled ops posted to the ledger.
#[derive(Debug, Clone)]
pub struct Pushed {
    pub response: PushResponse,
    /// Sum of the positive ledger entries the batch's new ops posted (duplicates post nothing).
    pub posted: Kopecks,
}

/// Applies a batch of ops as read by `pvz_protocol::sync::EnvelopeOp::read`: one that did not parse
/// is stored as its `invalid_input` rejection alone (nothing of its body is kept), one naming another
/// point's order as its `other_point` rejection; either way the device's seq moves past it and the
/// ops after it are applied.
pub fn push_batch(conn: &Connection, who: &Pusher, ops: &[ReadOp], received_at: &str) -> Result<Pushed> {
    let tx = conn.transaction()?;
    // First: lock the device row and read its seq (see the module doc).
    let mut last_seq = devices::lock_last_seq(&tx, &who.device_id)?;
    record_clock(&tx, who, received_at)?;
    let mut results = Vec::with_capacity(ops.len());
    let mut gap = None;
    let mut posted = Kopecks::ZERO;
    for read in ops {
        let (seq, op_id) = (read.seq, read.op_id);
        if seq <= last_seq {
            results.push(OpResult { seq, op_id, outcome: duplicate(&tx, who, seq, op_id)? });
            continue;
        }
        if seq > last_seq + 1 {
            gap = Some(SeqGap { expected_seq: last_seq + 1, got_seq: seq });
            break;
        }
        if let Some((device, held_seq)) = ops::find_op_id(&tx, &op_id.to_string())? {
            // Another device's id is that device's business: say only whose it was.
            let whose = if device == who.device_id.as_str() {
                format!("as seq {held_seq} of this device")
            } else {
                "by another device".to_owned()
            };
            tracing::warn!(%op_id, holder = %device, holder_seq = held_seq, "op id reused");
            return Err(ServerError::SeqConflict(format!(
                "op {op_id} was already pushed {whose}; seq {seq} cannot reuse it: this kiosk's store was replaced or cloned"
            )));
        }
        let outcome = match &read.op {
            Err(why) => {
                tracing::info!(seq, %op_id, %why, "op does not parse; rejected as invalid input");
                let outcome = StoredOutcome::Rejected { code: reject::INVALID_INPUT.to_owned(), message: why.clone() };
                ops::insert_unread_op(&tx, &who.device_id, &who.pickup_point_id, (seq, op_id), &outcome, received_at)?;
                outcome
            }
            Ok(op) => {
                let judged = match other_point(&tx, who, op)? {
                    Some(rejection) => Err(rejection),
                    None => apply_guarded(&tx, who, op)?,
                };
                let outcome = match judged {
                    Ok(()) => StoredOutcome::Applied,
                    Err(Rejection { code, message }) => StoredOutcome::Rejected { code: code.to_owned(), message },
                };
                ops::insert_op(&tx, &who.device_id, &who.pickup_point_id, op, &outcome, received_at)?;
                evidence::link_photos(&tx, who, op)?;
                posted = posted + ledger::get_op_turnover(&tx, &op_id.to_string())?;
                outcome
            }
        };
        devices::set_last_seq(&tx, &who.device_id, seq)?;
        last_seq = seq;
        results.push(OpResult { seq, op_id, outcome: outcome.into() });
    }
    tx.commit()?;
    Ok(Pushed { response: PushResponse { results, gap, last_seq }, posted })
}

/// Keeps the device's clock offset (server time minus kiosk time) when the push says the kiosk's
/// time, so time-bound ops of this and later pushes are judged by the server's clock; an unreadable
/// time is ignored (the last offset stands), and a difference within [`CLOCK_TOLERANCE_SECONDS`]
/// counts as none.
fn record_clock(conn: &Connection, who: &Pusher, received_at: &str) -> Result<()> {
    let Some(kiosk) = who.kiosk_now.as_deref().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()) else {
        return Ok(());
    };
    let offset = who.arrived_unix.saturating_sub(kiosk.timestamp());
    let offset = if offset.abs() <= CLOCK_TOLERANCE_SECONDS { 0 } else { offset };
    devices::set_clock_offset(conn, &who.device_id, offset, received_at)
}

/// The op's time in unix seconds by the server's clock: the kiosk's time corrected by the device's
/// last known offset (none known: taken as is). `None`: the op's time is unreadable.
fn op_server_time(conn: &Connection, who: &Pusher, op: &PushOp) -> Result<Option<i64>> {
    let Ok(at) = chrono::DateTime::parse_from_rfc3339(&op.created_at) else { return Ok(None) };
    let offset = devices::get_clock_offset(conn, &who.device_id)?.unwrap_or(0);
    Ok(Some(at.timestamp().saturating_add(offset)))
}

/// An op naming another point's order is refused for itself alone (protocol 4), before anything of
/// it is applied: the order it acts on, and every order a shelf expiry moves to returns.
fn other_point(conn: &Connection, who: &Pusher, op: &PushOp) -> Result<Option<Rejection>> {
    let expired: Vec<&OrderId> = match &op.body {
        OpBody::ShelfExpired { items } => items.iter().map(|i| &i.order_id).collect(),
        _ => Vec::new(),
    };
    let named: BTreeSet<&OrderId> = op.body.point_order().into_iter().chain(expired).collect();
    for order in named {
        if let Some(point) = orders::order_point(conn, order)? {
            if point != who.pickup_point_id.as_str() {
                let message = format!("order {order} belongs to another pickup point; this op was not applied");
                return Ok(Some(Rejection::new(reject::OTHER_POINT, message)));
            }
        }
    }
    Ok(None)
}

fn duplicate(conn: &Connection, who: &Pusher, seq: i64, op_id: Uuid) -> Result<OpOutcome> {
    match ops::get_stored_op(conn, &who.device_id, seq)? {
        Some((stored, original)) if stored == op_id.to_string() => Ok(OpOutcome::Duplicate { original }),
        Some((stored, _)) => Err(ServerError::SeqConflict(format!(
            "seq {seq} was already used by op {stored}, not {op_id}: this kiosk's store was replaced or cloned"
        ))),
        None => Err(ServerError::Internal(format!("device {} has no stored op for seq {seq}", who.device_id))),
    }
}

/// [`apply`] inside a savepoint; a guarded write that found its state moved undoes the op's writes
/// and judges it once more (see the module doc). Should the state move again under the second
/// judgment, the batch rolls back as busy and the kiosk retries it.
fn apply_guarded(conn: &Connection, who: &Pusher, op: &PushOp) -> Result<Result<(), Rejection>> {
    conn.prepare_cached("SAVEPOINT push_op")?.execute([])?;
    let outcome = match apply(conn, who, op) {
        Err(ServerError::Conflict(why)) => {
            tracing::info!(op_id = %op.op_id, %why, "a guarded write found its state moved; judging the op again");
            conn.prepare_cached("ROLLBACK TO SAVEPOINT push_op")?.execute([])?;
            apply(conn, who, op).map_err(|e| match e {
                ServerError::Conflict(why) => {
                    tracing::warn!(op_id = %op.op_id, %why, "state moved twice under one op; push rolled back");
                    ServerError::Unavailable
                }
                other => other,
            })
        }
        other => other,
    }?;
    conn.prepare_cached("RELEASE SAVEPOINT push_op")?.execute([])?;
    Ok(outcome)
}

/// The op's effect, by its own module's rules. `Ok(Err(_))` is a permanent rejection (stored with
/// the op; what it wrote stays: the cash a rejected issue took, the custody of a returned unit that is
/// physically at the point); `Err(_)` a server error that rolls the batch back.
fn apply(conn: &Connection, who: &Pusher, op: &PushOp) -> Result<Result<(), Rejection>> {
    match &op.body {
        OpBody::IssueOpened { .. }
        | OpBody::ItemDecided { .. }
        | OpBody::ItemDecisionCleared { .. }
        | OpBody::DefectPhotoAttached { .. }
        | OpBody::IssueCompleted { .. } => issue::apply(conn, who, op),
        OpBody::ClaimReturnAccepted {
            claim_id,
            order_id,
            item_id,
            return_id,
            compensation,
            amount,
            code_issue,
            return_code,
            ..
        } => {
            let accepted = claim_return::Accepted {
                claim_id,
                order_id,
                item_id,
                return_id,
                compensation: *compensation,
                amount: *amount,
                code_issue: *code_issue,
                taken_at: op_server_time(conn, who, op)?,
                return_code: return_code.as_deref(),
            };
            claim_return::apply(conn, who, op, &accepted)
        }
        OpBody::CourierHandBackCompleted { hand_back_id, courier_id, accepted_by, items, .. } => {
            let hand_back = hand_back::HandBack { hand_back_id, courier_id, accepted_by, items };
            hand_back::apply(conn, who, op, &hand_back)
        }
        OpBody::ReturnBoxClosed { box_id, items } => boxes::apply_closed(conn, who, op, box_id, items),
        OpBody::BoxesHandedOver { handover_id, driver_id, box_ids } => {
            boxes::apply_handed_over(conn, who, op, handover_id, driver_id, box_ids)
        }
        OpBody::ShipmentReceived { shipment_id, placed, missing, unexpected, damaged } => {
            let receiving = receiving::Receiving { shipment_id, placed, missing, unexpected, damaged };
            receiving::apply(conn, who, op, &receiving)
        }
        OpBody::ItemMoved { order_id, item_id, from, to } => {
            shelf::apply_moved(conn, who, &shelf::Move { order_id, item_id, from, to })
        }
        OpBody::ShelfExpired { items } => shelf::apply_expired(conn, who, op, items),
        OpBody::ShiftOpened { shift_id } => shifts::apply_opened(conn, who, op, shift_id),
        OpBody::ShiftClosed { shift_id, report } => shifts::apply_closed(conn, who, op, shift_id, report),
    }
}

/// The op's time as stored for what it records (an arrival, a shift): RFC 3339 UTC with
/// milliseconds. A kiosk always sends RFC 3339; should it not, the server's clock stands in rather
/// than losing what the counter did.
fn op_time(op: &PushOp) -> String {
    chrono::DateTime::parse_from_rfc3339(&op.created_at)
        .map(|t| t.with_timezone(&chrono::Utc).to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_else(|_| crate::db::now_text())
}

/// Posts an op's ledger transaction, if it moves money.
fn post(conn: &Connection, who: &Pusher, op: &PushOp, kind: &str, postings: &[rules::Posting]) -> Result<()> {
    if postings.is_empty() {
        return Ok(());
    }
    let now = crate::db::now_text();
    ledger::post_transaction(conn, &op.op_id.to_string(), kind, &who.pickup_point_id, postings, &now)
}

/// Where an op's effects are logged: its id and kind, at the time the counter did it.
fn op_ref<'a>(op: &'a PushOp, op_id: &'a str) -> OpRef<'a> {
    OpRef { op_id, kind: op.body.kind(), at: &op.created_at }
}
