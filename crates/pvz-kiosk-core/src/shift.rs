//! Смена: one open shift per device, opened and closed by a manager on duty (ops ShiftOpened and
//! ShiftClosed, the report in the latter). The report is the domain's fold over the counter events
//! this device recorded during the shift, read back from its outbox ops: the open shift's running
//! report is rebuilt on each read, and the closed shift's is fixed when it closes.

use crate::counter::{require_enrollment, timestamp};
use crate::error::{KioskError, Result};
use crate::staff::{require_on_duty, staff_view};
use crate::staff_view::ShiftReportView;
use crate::store::op_records::{self, OpRecord};
use crate::store::shifts::{self, ClosedRow, ShiftRow};
use crate::store::{outbox, return_items, settings};
use crate::view::CounterView;
use crate::Kiosk;
use pvz_domain::{shift_report, CompensationKind, Kopecks, RefusedItem, ReturnBoxId, ShiftEvent, ShiftReport};
use pvz_protocol::OpBody;
use rusqlite::Connection;
use uuid::Uuid;

/// The shift report's events of one op (none for ops that only prepare work, such as a decision).
fn shift_events(conn: &Connection, body: &OpBody) -> Result<Vec<ShiftEvent>> {
    Ok(match body {
        OpBody::IssueCompleted { handed_over, refused, collected, refunded, .. } => vec![ShiftEvent::OrderIssued {
            items_handed_over: u32::try_from(handed_over.len()).unwrap_or(u32::MAX),
            refused: refused.iter().map(|r| RefusedItem { reason: r.reason, fee: r.fee }).collect(),
            money_taken: *collected,
            refunded: *refunded,
        }],
        OpBody::ClaimReturnAccepted { compensation, amount, .. } => vec![ShiftEvent::ClaimReturnAccepted {
            refund: if *compensation == CompensationKind::Refund { *amount } else { Kopecks::ZERO },
        }],
        OpBody::CourierHandBackCompleted { items, .. } => {
            vec![ShiftEvent::CourierHandBack { items: items.iter().map(|i| i.reason).collect() }]
        }
        OpBody::BoxesHandedOver { box_ids, .. } => box_ids
            .iter()
            .map(|box_id| box_items(conn, box_id).map(|items| ShiftEvent::BoxHandedOver { items }))
            .collect::<Result<_>>()?,
        OpBody::ShelfExpired { items } => {
            vec![ShiftEvent::UnredeemedToReturns { items: u32::try_from(items.len()).unwrap_or(u32::MAX) }]
        }
        _ => Vec::new(),
    })
}

fn box_items(conn: &Connection, box_id: &ReturnBoxId) -> Result<u32> {
    Ok(u32::try_from(return_items::list_box_items(conn, box_id)?.len()).unwrap_or(u32::MAX))
}

/// The report over the ops with `from <= seq <= to`.
fn report_of_ops(conn: &Connection, from: i64, to: i64) -> Result<ShiftReport> {
    let records: Vec<OpRecord> = op_records::list_op_records(conn, from, to)?;
    let mut events = Vec::new();
    for record in &records {
        events.extend(shift_events(conn, &record.body)?);
    }
    Ok(shift_report(&events))
}

/// One open shift per device: opening needs none open, closing needs one. (Who may do either is the
/// staff guard's answer, checked first.)
fn check_transition(open: Option<&ShiftRow>, opening: bool) -> Result<()> {
    match (open, opening) {
        (None, true) | (Some(_), false) => Ok(()),
        (Some(open), true) => Err(KioskError::ShiftAlreadyOpen { opened_at: open.opened_at.clone() }),
        (None, false) => Err(KioskError::ShiftNotOpen),
    }
}

impl Kiosk {
    /// Opens a shift on this device (a manager on duty where login is required).
    pub fn open_shift(&self) -> Result<CounterView> {
        let now = self.now();
        self.store.with_tx(|tx| {
            require_enrollment(tx)?;
            let operator = require_on_duty(tx, now, false)?;
            let open = shifts::get_open_shift(tx)?;
            check_transition(open.as_ref(), true)?;
            let shift_id = Uuid::now_v7().to_string();
            let at = timestamp(now);
            let op = outbox::append_op(tx, &OpBody::ShiftOpened { shift_id: shift_id.clone() }, &at)?;
            shifts::dismiss_shift_reports(tx)?;
            let row = ShiftRow {
                shift_id,
                opened_by: operator.map(|o| o.to_string()),
                opened_at: at,
                opened_seq: op.seq,
                closed: None,
            };
            Ok::<_, KioskError>(shifts::insert_shift(tx, &row)?)
        })?;
        self.view()
    }

    /// Closes this device's shift with its report (shown on the counter until dismissed). Any manager
    /// on duty may close it, not only the one who opened it.
    pub fn close_shift(&self) -> Result<CounterView> {
        let now = self.now();
        self.store.with_tx(|tx| {
            let operator = require_on_duty(tx, now, false)?;
            let open = shifts::get_open_shift(tx)?;
            check_transition(open.as_ref(), false)?;
            let open = open.ok_or(KioskError::ShiftNotOpen)?;
            let report = report_of_ops(tx, open.opened_seq, op_records::last_seq(tx)?)?;
            let at = timestamp(now);
            let body = OpBody::ShiftClosed { shift_id: open.shift_id.clone(), report: report.clone() };
            let op = outbox::append_op(tx, &body, &at)?;
            let closed =
                ClosedRow { closed_by: operator.map(|o| o.to_string()), closed_at: at, closed_seq: op.seq, report };
            Ok::<_, KioskError>(shifts::close_shift(tx, &open.shift_id, &closed)?)
        })?;
        self.view()
    }

    /// Takes the closed shift's report off the counter.
    pub fn dismiss_shift_report(&self) -> Result<CounterView> {
        self.store.with_tx(|tx| Ok::<_, KioskError>(shifts::dismiss_shift_reports(tx)?))?;
        self.view()
    }

    /// A shift's report: the running one of the open shift, or the one fixed at closing.
    pub fn shift_report(&self, shift_id: &str) -> Result<ShiftReportView> {
        self.store.with_conn(|c| {
            let row = shifts::get_shift(c, shift_id)?
                .ok_or_else(|| KioskError::DocumentNotFound(format!("no shift {shift_id}")))?;
            shift_report_view(c, row)
        })
    }
}

pub(crate) fn shift_report_view(conn: &Connection, row: ShiftRow) -> Result<ShiftReportView> {
    let enrollment = settings::get_enrollment(conn)?;
    let report = match &row.closed {
        Some(closed) => closed.report.clone(),
        None => report_of_ops(conn, row.opened_seq, op_records::last_seq(conn)?)?,
    };
    let opened_by = row.opened_by.as_deref().map(|id| staff_view(conn, id)).transpose()?;
    let closed_by =
        row.closed.as_ref().and_then(|c| c.closed_by.as_deref()).map(|id| staff_view(conn, id)).transpose()?;
    Ok(ShiftReportView {
        shift_id: row.shift_id,
        pickup_point: enrollment.as_ref().map(|e| e.pickup_point_name.clone()).unwrap_or_default(),
        device_id: enrollment.as_ref().map(|e| e.device_id.to_string()).unwrap_or_default(),
        opened_at: row.opened_at,
        opened_by,
        closed_at: row.closed.as_ref().map(|c| c.closed_at.clone()),
        closed_by,
        report,
    })
}

/// The counter's shift report: the open shift's running one, else the last closed one not dismissed.
pub(crate) fn counter_shift_report(conn: &Connection) -> Result<Option<ShiftReportView>> {
    let row = match shifts::get_open_shift(conn)? {
        Some(open) => Some(open),
        None => shifts::get_undismissed_closed_shift(conn)?,
    };
    row.map(|r| shift_report_view(conn, r)).transpose()
}
