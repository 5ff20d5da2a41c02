//! The whole counter view, read in one go: the foreground each flow renders (order card, receipt,
//! claim return, hand-back, returns desk, shelves) and what stays around it (session, shift report,
//! recent issues, the kiosk's status). Sits on top: it reads every flow, and no flow reads it.

use crate::error::Result;
use crate::issue::order::{load_order_by_id, receipt_view, recent_issues};
use crate::returns::boxes::{handover_act_view, returns_view};
use crate::returns::claim_return::{claim_return_view, return_label_view};
use crate::returns::hand_back_view::{hand_back_act_view, hand_back_view};
use crate::shelves::ShelfFront;
use crate::store::{outbox, settings, CounterState, Db};
use crate::view::{CounterView, KioskStatus, Screen};
use crate::Kiosk;
use chrono::{DateTime, Utc};

/// How many completed issues the home screen lists.
const RECENT_LIMIT: usize = 20;

impl Kiosk {
    pub fn view(&self) -> Result<CounterView> {
        let now = self.now();
        self.store.with_conn(|db| build_view(db, now))
    }
}

/// Everything the counter window shows, read in one go; `now` decides whether a claim on the counter
/// has expired.
fn build_view(conn: &Db<'_>, now: DateTime<Utc>) -> Result<CounterView> {
    let enrollment = settings::get_enrollment(conn)?;
    let state = settings::get_counter_state(conn)?;
    let shelf = crate::shelves::shelf_views(conn, now)?;
    Ok(CounterView {
        status: KioskStatus {
            enrolled: enrollment.is_some(),
            pickup_point: enrollment.as_ref().map(|e| e.pickup_point_name.clone()).unwrap_or_default(),
            device_id: enrollment.as_ref().map(|e| e.device_id.to_string()).unwrap_or_default(),
            ops_waiting: outbox::count_pending(conn)?,
        },
        screen: foreground(conn, &state, now, shelf.front)?,
        recent: recent_issues(conn, RECENT_LIMIT)?,
        receiving: shelf.receiving,
        overdue_items: shelf.overdue_items,
        session: crate::staff::session_view(conn, now)?,
        shift_report: crate::staff::counter_shift_report(conn)?,
    })
}

/// The screen in front: the first open piece of work in this order, and only its view is built. A
/// piece of work whose record is gone (its view comes back `None`) gives way to the next.
fn foreground(conn: &Db<'_>, state: &CounterState, now: DateTime<Utc>, shelf: ShelfFront) -> Result<Screen> {
    if let Some(order) = open(&state.active_order, |id| load_order_by_id(conn, id))? {
        return Ok(Screen::Order(order.to_view()));
    }
    if let Some(receipt) = open(&state.receipt_order, |id| receipt_view(conn, id))? {
        return Ok(Screen::Receipt(receipt));
    }
    if let Some(claim) = open(&state.claim, |id| claim_return_view(conn, id, now))? {
        return Ok(Screen::ClaimReturn(claim));
    }
    if let Some(label) = open(&state.return_label, |id| return_label_view(conn, id))? {
        return Ok(Screen::ReturnLabel(label));
    }
    if let Some(hand_back) = open(&state.hand_back, |id| hand_back_view(conn, id))? {
        return Ok(Screen::HandBack(hand_back));
    }
    if let Some(act) = open(&state.hand_back_act, |id| hand_back_act_view(conn, id))? {
        return Ok(Screen::HandBackAct(act));
    }
    if let Some(act) = open(&state.handover_act, |id| handover_act_view(conn, id))? {
        return Ok(Screen::HandoverAct(act));
    }
    if state.returns_open {
        return Ok(Screen::ReturnsDesk(returns_view(conn, state)?));
    }
    Ok(shelf.into_screen(conn)?.unwrap_or(Screen::Home))
}

/// The view of the work `id` points at, when the counter state points at any.
fn open<I, V>(id: &Option<I>, view: impl FnOnce(&I) -> Result<Option<V>>) -> Result<Option<V>> {
    id.as_ref().map_or(Ok(None), view)
}
