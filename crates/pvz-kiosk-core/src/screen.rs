//! The whole counter view, read in one go: the foreground each flow renders (order card, receipt,
//! claim return, hand-back, returns desk, shelves) and what stays around it (session, shift report,
//! recent issues, the kiosk's status). Sits on top: it reads every flow, and no flow reads it.

use crate::error::Result;
use crate::issue::order::{load_order_by_id, receipt_view, recent_issues};
use crate::returns::boxes::{handover_act_view, returns_view};
use crate::returns::claim_return::{claim_return_view, return_label_view};
use crate::returns::hand_back_view::{hand_back_act_view, hand_back_view};
use crate::store::{outbox, settings, Db};
use crate::view::{CounterView, KioskStatus};
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
    let active = match &state.active_order {
        Some(id) => load_order_by_id(conn, id)?.map(|o| o.to_view()),
        None => None,
    };
    let receipt = match &state.receipt_order {
        Some(id) => receipt_view(conn, id)?,
        None => None,
    };
    let shelf = crate::shelves::shelf_views(conn, now)?;
    Ok(CounterView {
        status: KioskStatus {
            enrolled: enrollment.is_some(),
            pickup_point: enrollment.as_ref().map(|e| e.pickup_point_name.clone()).unwrap_or_default(),
            device_id: enrollment.as_ref().map(|e| e.device_id.to_string()).unwrap_or_default(),
            ops_waiting: outbox::count_pending(conn)?,
        },
        active,
        receipt,
        recent: recent_issues(conn, RECENT_LIMIT)?,
        claim_return: match &state.claim {
            Some(id) => claim_return_view(conn, id, now)?,
            None => None,
        },
        return_label: match &state.return_label {
            Some(id) => return_label_view(conn, id)?,
            None => None,
        },
        hand_back: match &state.hand_back {
            Some(id) => hand_back_view(conn, id)?,
            None => None,
        },
        hand_back_act: match &state.hand_back_act {
            Some(id) => hand_back_act_view(conn, id)?,
            None => None,
        },
        returns: if state.returns_open { Some(returns_view(conn, &state)?) } else { None },
        handover_act: match &state.handover_act {
            Some(id) => handover_act_view(conn, id)?,
            None => None,
        },
        receiving: shelf.receiving,
        found_item: shelf.found_item,
        expiry: shelf.expiry,
        overdue_items: shelf.overdue_items,
        session: crate::staff::session_view(conn, now)?,
        shift_report: crate::staff::counter_shift_report(conn)?,
    })
}
