//! Opening an order at the counter: the buyer's signed pickup QR or short code opens its card (the
//! order must be this point's, arrived, not cancelled or unredeemed); an item code scanned then is
//! matched to an item of the open card; setting the card aside keeps its decisions.

use super::decide::record_decision;
use super::{ensure_issuable, transition_error};
use crate::codes::{item_lookup_key, verify_signed};
use crate::error::{KioskError, Result};
use crate::issue::order::{effective_status, load_order_by_id};
use crate::kiosk::parse_item_id;
use crate::kiosk::timestamp;
use crate::store::{decisions, orders, outbox, scanned_marks, settings, CounterState, Db, OrderRow};
use crate::view::{CounterView, ScanNotice};
use crate::Kiosk;
use chrono::{DateTime, Utc};
use pvz_domain::{OrderId, OrderStatus, Scan};
use pvz_protocol::{Enrollment, ItemDecision, OpBody, PickupClaims};

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

/// An item code scanned with the order open: the item of the card it names, by barcode or by the
/// GTIN of a Честный ЗНАК mark. A mark is also checked against the one the order expects of the
/// item, when it names one: the same product with another serial is another unit (a possible swap)
/// and is refused. A mark that matches is kept for the op that hands the item over; if the item was
/// handed over already, that decision is recorded again with the mark.
pub(crate) fn match_item(conn: &Db<'_>, active: &OrderId, scan: &Scan, now: DateTime<Utc>) -> Result<ScanNotice> {
    let code = item_lookup_key(scan).ok_or(KioskError::ItemNotInOrder)?;
    let found = orders::find_items_in_order(conn, active, code.lookup())?;
    let loaded = load_order_by_id(conn, active)?.ok_or(KioskError::NoActiveOrder)?;
    // The card of a cancelled order stays until set aside; its items are not to be handed over.
    ensure_issuable(&loaded.order, loaded.status)?;
    let expected_mark = |item_id: &str| found.iter().find(|f| f.item_id == item_id).map(|f| f.mark.as_deref());
    // The very unit the order expects first, then units it expects no mark of; a marked unit with
    // another serial is never a candidate.
    let fit = |item_id: &str| match (expected_mark(item_id), code.exact_mark()) {
        (None, _) => None,
        (Some(Some(expected)), Some(scanned)) if expected == scanned => Some(0),
        (Some(Some(_)), Some(_)) => None,
        (Some(_), _) => Some(1),
    };
    // Then prefer an item still waiting for a decision when the order holds several of the product.
    let mut candidates: Vec<_> =
        loaded.items.iter().filter_map(|i| fit(&i.item_id).map(|rank| (rank, i.decision.is_some(), i))).collect();
    candidates.sort_by_key(|(rank, decided, _)| (*rank, *decided));
    let Some((_, _, item)) = candidates.first() else {
        return Err(if found.is_empty() { KioskError::ItemNotInOrder } else { KioskError::OtherUnitOfItem });
    };
    if let Some(mark) = scan.mark() {
        let at = timestamp(now);
        scanned_marks::set_scanned_mark(conn, active, &item.item_id, &mark, &at)?;
        if item.decision == Some(ItemDecision::HandOver) && loaded.status.ensure_editable().is_ok() {
            record_decision(conn, active, parse_item_id(&item.item_id)?, ItemDecision::HandOver, None, &at)?;
        }
    }
    Ok(ScanNotice::ItemMatched { item_id: item.item_id.clone() })
}
