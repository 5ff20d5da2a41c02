//! Смена: one open shift per device, opened and closed by a manager on duty (ops ShiftOpened and
//! ShiftClosed, the report in the latter). The report is the domain's fold over the counter events
//! this device recorded during the shift, read back from its outbox ops: the open shift's running
//! report is rebuilt on each read, and the closed shift's is fixed when it closes. An op the server
//! rejected did not happen in the ledger, so its money is left out (its counts stay: the items did
//! leave or reach the counter); the view says how many of the shift's ops are still pending or
//! were rejected, since the figures may change until the server has answered them all.

use crate::error::{KioskError, Result};
use crate::kiosk::{require_enrollment, timestamp};
use crate::staff::{require_on_duty, staff_view};
use crate::store::op_records::{self, OpRecord};
use crate::store::shifts::{self, ClosedRow, ShiftRow};
use crate::store::Db;
use crate::store::{outbox, return_items, settings};
use crate::view::staff::ShiftReportView;
use crate::view::CounterView;
use crate::Kiosk;
use pvz_domain::{shift_report, CompensationKind, Kopecks, RefusedItem, ReturnBoxId, ShiftEvent, ShiftReport};
use pvz_protocol::OpBody;
use uuid::Uuid;

/// The shift report's events of one op (none for ops that only prepare work, such as a decision).
fn shift_events(conn: &Db<'_>, body: &OpBody) -> Result<Vec<ShiftEvent>> {
    Ok(match body {
        OpBody::IssueCompleted { handed_over, refused, collected, refunded, not_arrived, .. } => {
            vec![ShiftEvent::OrderIssued {
                items_handed_over: u32::try_from(handed_over.len()).unwrap_or(u32::MAX),
                items_not_arrived: u32::try_from(not_arrived.len()).unwrap_or(u32::MAX),
                refused: refused.iter().map(|r| RefusedItem { reason: r.reason, fee: r.fee }).collect(),
                money_taken: *collected,
                refunded: *refunded,
            }]
        }
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

fn box_items(conn: &Db<'_>, box_id: &ReturnBoxId) -> Result<u32> {
    Ok(u32::try_from(return_items::list_box_items(conn, box_id)?.len()).unwrap_or(u32::MAX))
}

/// An event of an op the server rejected: the same counts, no money (taken, refunded, fees, refunds).
fn without_money(event: ShiftEvent) -> ShiftEvent {
    match event {
        ShiftEvent::OrderIssued { items_handed_over, refused, items_not_arrived, .. } => ShiftEvent::OrderIssued {
            items_handed_over,
            items_not_arrived,
            refused: refused.into_iter().map(|r| RefusedItem { fee: Kopecks::ZERO, ..r }).collect(),
            money_taken: Kopecks::ZERO,
            refunded: Kopecks::ZERO,
        },
        ShiftEvent::ClaimReturnAccepted { .. } => ShiftEvent::ClaimReturnAccepted { refund: Kopecks::ZERO },
        other => other,
    }
}

/// The report over the ops with `from <= seq <= to`, the money of rejected ones left out.
fn report_of_ops(conn: &Db<'_>, from: i64, to: i64) -> Result<ShiftReport> {
    let records: Vec<OpRecord> = op_records::list_op_records(conn, from, to)?;
    let mut events = Vec::new();
    for record in &records {
        let op_events = shift_events(conn, &record.body)?;
        if record.state == "rejected" {
            events.extend(op_events.into_iter().map(without_money));
        } else {
            events.extend(op_events);
        }
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

pub(crate) fn shift_report_view(conn: &Db<'_>, row: ShiftRow) -> Result<ShiftReportView> {
    let enrollment = settings::get_enrollment(conn)?;
    let (report, last_counter_op) = match &row.closed {
        Some(closed) => (closed.report.clone(), closed.closed_seq - 1),
        None => {
            let last = op_records::last_seq(conn)?;
            (report_of_ops(conn, row.opened_seq, last)?, last)
        }
    };
    // The shift's own ShiftOpened and ShiftClosed change no figure: only the ops between count.
    let unsettled = op_records::count_unsettled(conn, row.opened_seq + 1, last_counter_op)?;
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
        ops_pending: unsettled.pending,
        ops_rejected: unsettled.rejected,
    })
}

/// The counter's shift report: the open shift's running one, else the last closed one not dismissed.
pub(crate) fn counter_shift_report(conn: &Db<'_>) -> Result<Option<ShiftReportView>> {
    let row = match shifts::get_open_shift(conn)? {
        Some(open) => Some(open),
        None => shifts::get_undismissed_closed_shift(conn)?,
    };
    row.map(|r| shift_report_view(conn, r)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pvz_domain::{ClaimId, ItemId, OrderId, RefusalReason, ReturnId};
    use pvz_protocol::RefusedItem as RefusedWire;

    fn id<T>(raw: &str, parse: fn(&str) -> std::result::Result<T, pvz_domain::ids::IdError>) -> T {
        parse(raw).expect("test id")
    }

    fn issue(order: &str, collected: i64, refunded: i64, fee: i64) -> OpBody {
        OpBody::IssueCompleted {
            order_id: id(order, OrderId::parse),
            handed_over: vec![id(&format!("itm-{order}-1"), ItemId::parse)],
            refused: vec![RefusedWire {
                item_id: id(&format!("itm-{order}-2"), ItemId::parse),
                reason: RefusalReason::DidNotFit,
                description: None,
                fee: Kopecks(fee),
            }],
            collected: Kopecks(collected),
            refunded: Kopecks(refunded),
            payment_taken: collected > 0,
            not_arrived: Vec::new(),
        }
    }

    fn claim_refund(amount: i64) -> OpBody {
        OpBody::ClaimReturnAccepted {
            claim_id: id("cl-1", ClaimId::parse),
            order_id: id("ord-elsewhere", OrderId::parse),
            item_id: id("itm-elsewhere", ItemId::parse),
            return_id: id("ret-1", ReturnId::parse),
            compensation: CompensationKind::Refund,
            amount: Kopecks(amount),
            condition: "шов".into(),
            photos: Vec::new(),
            code_issue: 1,
            return_code: None,
        }
    }

    #[test]
    fn ops_the_server_rejected_leave_the_money_figures_and_the_view_counts_pending_and_rejected() {
        let dir = tempfile::tempdir().expect("temp dir");
        let kiosk = Kiosk::open(&dir.path().join("kiosk.sqlite3")).expect("kiosk");
        assert!(kiosk.import_seed(&pvz_protocol::demo::seed().0).expect("seed"), "a demo kiosk");
        let shift_id = kiosk.open_shift().expect("shift").session.shift.expect("open").shift_id;
        kiosk
            .store
            .with_tx::<_, KioskError>(|tx| {
                let at = "2026-11-26T10:00:00.000Z";
                let paid = outbox::append_op(tx, &issue("ord-a", 613_900, 0, 14_900), at)?;
                let prepaid = outbox::append_op(tx, &issue("ord-b", 0, 349_000, 0), at)?;
                let claim = outbox::append_op(tx, &claim_refund(459_000), at)?;
                outbox::append_op(tx, &issue("ord-c", 100_000, 0, 0), at)?;
                outbox::mark_op_rejected(tx, paid.seq, "order_closed", "issued elsewhere", at)?;
                outbox::mark_op_applied(tx, prepaid.seq, at)?;
                Ok(outbox::mark_op_rejected(tx, claim.seq, "claim_revoked", "revoked", at)?)
            })
            .expect("the shift's ops, two rejected, one still pending");
        let view = kiosk.shift_report(&shift_id).expect("the running report");
        let r = &view.report;
        assert_eq!(r.money_taken, Kopecks(100_000), "only the pending issue's money counts: {r:?}");
        assert_eq!(r.fees, Kopecks::ZERO, "the rejected issue's fee is left out");
        assert_eq!(r.refunds, Kopecks(349_000), "the applied refund stays");
        assert_eq!(r.claim_refunds, Kopecks::ZERO, "the rejected claim's refund is left out");
        assert_eq!(
            (r.orders_issued, r.items_refused, r.claim_returns),
            (3, 3, 1),
            "the counts stay: the counter did the work"
        );
        assert_eq!((view.ops_pending, view.ops_rejected), (1, 2), "the view says the figures may still change");

        let closed = kiosk.close_shift().expect("closed").shift_report.expect("the closed report");
        assert_eq!(closed.report, view.report, "the report fixed at closing leaves the rejected money out too");
        assert_eq!(
            (closed.ops_pending, closed.ops_rejected),
            (1, 2),
            "the shift's own opening and closing ops are not counted"
        );
    }
}
