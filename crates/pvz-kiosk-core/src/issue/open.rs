//! Opening an order at the counter: the buyer's signed pickup QR or short code opens its card (the
//! order must be this point's, arrived, not cancelled or unredeemed); an item code scanned then is
//! matched to an item of the open card; setting the card aside keeps its decisions.

use super::{ensure_issuable, transition_error};
use crate::codes::{item_lookup_key, verify_signed};
use crate::error::{KioskError, Result};
use crate::issue::order::{effective_status, load_order_by_id};
use crate::kiosk::timestamp;
use crate::store::{decisions, orders, outbox, settings, CounterState, Db, OrderRow};
use crate::view::{CounterView, ScanNotice};
use crate::Kiosk;
use chrono::{DateTime, Utc};
use pvz_domain::{OrderId, OrderStatus, Scan};
use pvz_protocol::{Enrollment, OpBody, PickupClaims};

impl Kiosk {
    /// Closes the order card without issuing; its decisions stay for when it is scanned again.
    pub fn set_aside(&self) -> Result<CounterView> {
        self.update_counter_state(|s| s.active_order = None)
    }
}

/// A buyer's pickup QR opens its order, once its signature, expiry and pickup point are checked.
pub(crate) fn open_order_by_token(
    conn: &Db<'_>,
    enrollment: &Enrollment,
    token: &str,
    now: DateTime<Utc>,
) -> Result<ScanNotice> {
    let claims =
        verify_signed(conn, enrollment, "pickup code", |key| PickupClaims::verify(token, key, now.timestamp()))?;
    if claims.pickup_point_id != enrollment.pickup_point_id {
        return Err(KioskError::ForeignCode);
    }
    let order = orders::get_order(conn, &claims.order_id)?.ok_or(KioskError::OrderNotFound)?;
    open_order(conn, enrollment, order, now)
}

pub(crate) fn open_order(
    conn: &Db<'_>,
    enrollment: &Enrollment,
    order: OrderRow,
    now: DateTime<Utc>,
) -> Result<ScanNotice> {
    if order.pickup_point_id != enrollment.pickup_point_id.as_str() {
        return Err(KioskError::ForeignCode);
    }
    let (status, issued_at) = effective_status(conn, &order)?;
    ensure_issuable(&order, status)?;
    status.open().map_err(|e| transition_error(e, issued_at))?;
    if status == OrderStatus::Ready {
        let at = timestamp(now);
        decisions::mark_opened(conn, &order.order_id, &at)?;
        outbox::append_op(conn, &OpBody::IssueOpened { order_id: order.order_id.clone() }, &at)?;
    }
    settings::set_counter_state(conn, &CounterState { active_order: Some(order.order_id), ..CounterState::default() })?;
    Ok(ScanNotice::OrderOpened)
}

pub(crate) fn match_item(conn: &Db<'_>, active: &OrderId, scan: &Scan) -> Result<ScanNotice> {
    let (code, is_mark) = item_lookup_key(scan).ok_or(KioskError::ItemNotInOrder)?;
    let found = orders::find_items_in_order(conn, active, &code, is_mark)?;
    let loaded = load_order_by_id(conn, active)?.ok_or(KioskError::NoActiveOrder)?;
    // The card of a cancelled order stays until set aside; its items are not to be handed over.
    ensure_issuable(&loaded.order, loaded.status)?;
    // Prefer an item still waiting for a decision when the order holds several of the same product.
    let mut candidates: Vec<_> = loaded.items.iter().filter(|i| found.contains(&i.item_id)).collect();
    candidates.sort_by_key(|i| i.decision.is_some());
    let item = candidates.first().ok_or(KioskError::ItemNotInOrder)?;
    Ok(ScanNotice::ItemMatched { item_id: item.item_id.clone() })
}
