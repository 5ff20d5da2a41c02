//! Выдача: a buyer's code opens the order card, each item is handed over or refused (the refusal fee
//! fixed from the policy in force), and the issue is confirmed with the money taken. Each step is one
//! SQLite transaction that writes its local effect and its outbox op together; bad input changes
//! nothing and says why.

pub(crate) mod order;

use crate::codes::{item_lookup_key, pinned_key, token_error};
use crate::error::{KioskError, NotArrived, Result};
use crate::evidence;
use crate::issue::order::{effective_status, load_order_by_id};
use crate::kiosk::{new_return_id, parse_item_id, parse_order_id, timestamp};
use crate::store::orders::Arrival;
use crate::store::photos::{self, PhotoRow};
use crate::store::Db;
use crate::store::{decisions, issues, orders, outbox, return_items, settings, CounterState, IssueRow, OrderRow};
use crate::view::{CounterView, ScanNotice};
use crate::Kiosk;
use chrono::{DateTime, Utc};
use pvz_domain::{
    classify, FeeDecision, FeePolicy, ItemId, Kopecks, OrderId, OrderStatus, Refusal, RefusalError, RefusalReason,
    Scan, TransitionError,
};
use pvz_protocol::{Enrollment, ItemDecision, OpBody, PickupClaims, RefusedItem};
use uuid::Uuid;

fn transition_error(e: TransitionError, issued_at: Option<String>) -> KioskError {
    match e {
        TransitionError::AlreadyIssued => KioskError::AlreadyIssued { issued_at: issued_at.unwrap_or_default() },
        TransitionError::NotInProgress => KioskError::NoActiveOrder,
        TransitionError::Undecided(n) => KioskError::UndecidedItems(n),
    }
}

/// The counter may not act on an order the network cancelled, nor on one whose items went to
/// returns as not collected in time, nor on one whose goods have not arrived at the point yet (still
/// expected in a shipment: receive it first). An order already issued (here or elsewhere) is left
/// to the transition rules: "already issued" is the truer answer for it, and an issue that crossed
/// the cancellation is settled by the server's rejection, not here.
fn ensure_issuable(order: &OrderRow, status: OrderStatus) -> Result<()> {
    if status == OrderStatus::Issued {
        return Ok(());
    }
    // The server cancels an unredeemed order too; the counter says why.
    if order.unredeemed {
        return Err(KioskError::OrderUnredeemed);
    }
    if order.cancelled {
        return Err(KioskError::OrderCancelled);
    }
    // Refused at the scan, before a card opens: the buyer hears at once that the order is not
    // here yet, and no decision or payment is recorded for goods nobody can hand over.
    match order.arrival {
        Arrival::Arrived => Ok(()),
        Arrival::Expected => Err(KioskError::OrderNotArrived(NotArrived::Expected)),
        Arrival::RecordedMissing => Err(KioskError::OrderNotArrived(NotArrived::RecordedMissing)),
    }
}

impl Kiosk {
    /// Records the manager's decision on one item of the open order.
    pub fn decide_item(&self, order_id: &str, item_id: &str, decision: ItemDecision) -> Result<CounterView> {
        let order_id = parse_order_id(order_id)?;
        let item_id = parse_item_id(item_id)?;
        let decision = match decision {
            ItemDecision::HandOver => ItemDecision::HandOver,
            ItemDecision::NotArrived => ItemDecision::NotArrived,
            ItemDecision::Refuse { reason, description } => {
                let refusal = Refusal::new(reason, description.as_deref()).map_err(|e| match e {
                    RefusalError::DefectNeedsDescription => KioskError::DefectNeedsDescription,
                    other => KioskError::InvalidInput(other.to_string()),
                })?;
                ItemDecision::Refuse { reason, description: refusal.description().map(str::to_owned) }
            }
        };
        let at = timestamp(self.now());
        self.counter_tx(|tx| {
            let loaded = editable_order(tx, &order_id)?;
            let current = loaded.item(&item_id)?;
            if current.decision.as_ref() == Some(&decision) {
                return Ok(());
            }
            // Only the receiving's word makes an item absent; one on the shelf is handed or refused.
            if decision == ItemDecision::NotArrived && !current.missing_at_receiving {
                return Err(KioskError::InvalidInput(
                    "only an item recorded missing at receiving can be left out as not arrived".into(),
                ));
            }
            // A refusal's fee is fixed now, from the policy in force when the buyer was told.
            let fee = match &decision {
                ItemDecision::HandOver | ItemDecision::NotArrived => None,
                ItemDecision::Refuse { reason, .. } => Some(refusal_fee(tx, &current.category, *reason)?),
            };
            record_decision(tx, &order_id, item_id, decision, fee, &at)
        })?;
        self.view()
    }

    /// Hands over every item that has no decision yet, in one transaction (F2 at the counter). An
    /// item recorded missing at receiving is not on the shelf to hand over: it is left out as not
    /// arrived (the card says so; a manager who finds it after all hands it over instead).
    pub fn hand_over_rest(&self, order_id: &str) -> Result<CounterView> {
        let order_id = parse_order_id(order_id)?;
        let at = timestamp(self.now());
        self.counter_tx(|tx| {
            let loaded = editable_order(tx, &order_id)?;
            for item in loaded.items.iter().filter(|i| i.decision.is_none()) {
                let decision =
                    if item.missing_at_receiving { ItemDecision::NotArrived } else { ItemDecision::HandOver };
                record_decision(tx, &order_id, parse_item_id(&item.item_id)?, decision, None, &at)?;
            }
            Ok(())
        })?;
        self.view()
    }

    /// Attaches a photo to an item refused as defective (фото брака). The photo is kept beside the
    /// store and its record and op are written in one transaction.
    pub fn attach_defect_photo(&self, order_id: &str, item_id: &str, bytes: &[u8]) -> Result<CounterView> {
        let order_id = parse_order_id(order_id)?;
        let item_id = parse_item_id(item_id)?;
        let at = timestamp(self.now());
        self.counter_tx(|tx| {
            let loaded = editable_order(tx, &order_id)?;
            if !matches!(
                loaded.item(&item_id)?.decision,
                Some(ItemDecision::Refuse { reason: RefusalReason::Defect, .. })
            ) {
                return Err(KioskError::InvalidInput("photos are attached to an item refused as a defect".into()));
            }
            let stored = evidence::store_photo(self.evidence_dir(), bytes)?;
            let photo = PhotoRow {
                photo_id: Uuid::now_v7().to_string(),
                order_id: order_id.to_string(),
                item_id: item_id.to_string(),
                sha256: stored.sha256,
                media_type: stored.media_type,
                size_bytes: bytes.len() as u64,
                taken_at: at.clone(),
            };
            photos::insert_photo(tx, &photo)?;
            let body = OpBody::DefectPhotoAttached {
                order_id: order_id.clone(),
                item_id,
                photo_id: photo.photo_id,
                sha256: photo.sha256,
                media_type: photo.media_type.to_owned(),
                size_bytes: photo.size_bytes,
            };
            outbox::append_op(tx, &body, &at)?;
            Ok(())
        })?;
        self.view()
    }

    /// Takes a decision back while the order is still open.
    pub fn clear_decision(&self, order_id: &str, item_id: &str) -> Result<CounterView> {
        let order_id = parse_order_id(order_id)?;
        let item_id = parse_item_id(item_id)?;
        let at = timestamp(self.now());
        self.counter_tx(|tx| {
            editable_order(tx, &order_id)?.item(&item_id)?;
            if decisions::clear_decision(tx, &item_id)? {
                outbox::append_op(tx, &OpBody::ItemDecisionCleared { order_id: order_id.clone(), item_id }, &at)?;
            }
            Ok(())
        })?;
        self.view()
    }

    /// Completes the выдача: every item decided, payment confirmed when there is anything to take,
    /// and the amount the manager saw (`shown_to_collect`) still the amount due.
    pub fn confirm_issue(&self, order_id: &str, shown_to_collect: Kopecks, payment_taken: bool) -> Result<CounterView> {
        let order_id = parse_order_id(order_id)?;
        let at = timestamp(self.now());
        self.counter_tx(|tx| {
            let loaded = load_order_by_id(tx, &order_id)?.ok_or(KioskError::OrderNotFound)?;
            ensure_issuable(&loaded.order, loaded.status)?;
            loaded.status.complete(&loaded.states).map_err(|e| transition_error(e, loaded.issued_at.clone()))?;
            let s = &loaded.settlement;
            if s.to_collect != shown_to_collect {
                return Err(KioskError::AmountChanged { shown: shown_to_collect, due: s.to_collect });
            }
            if !s.to_collect.is_zero() && !payment_taken {
                return Err(KioskError::PaymentNotConfirmed);
            }
            let mut handed_over = Vec::new();
            let mut refused = Vec::new();
            let mut not_arrived = Vec::new();
            for item in &loaded.items {
                let item_id = parse_item_id(&item.item_id)?;
                match &item.decision {
                    Some(ItemDecision::HandOver) => handed_over.push(item_id),
                    // Nothing stays at the point: no returned unit.
                    Some(ItemDecision::NotArrived) => not_arrived.push(item_id),
                    // The refused item stays at the point as a returned unit, to be boxed for the seller.
                    Some(ItemDecision::Refuse { reason, description }) => refused.push(RefusedItem {
                        item_id,
                        reason: *reason,
                        description: description.clone(),
                        fee: item.fee.unwrap_or_default(),
                    }),
                    None => return Err(KioskError::UndecidedItems(1)),
                }
            }
            let body = OpBody::IssueCompleted {
                order_id: order_id.clone(),
                handed_over,
                refused,
                collected: s.to_collect,
                refunded: s.to_refund,
                payment_taken,
                not_arrived,
            };
            let op = outbox::append_op(tx, &body, &at)?;
            if let OpBody::IssueCompleted { refused, .. } = &body {
                for item in refused {
                    return_items::insert_counter_refusal(tx, &new_return_id(), &item.item_id, item.reason, &at)?;
                }
            }
            issues::insert_issue(
                tx,
                &IssueRow {
                    order_id: order_id.to_string(),
                    op_id: op.op_id.to_string(),
                    issued_at: at.clone(),
                    collected: s.to_collect,
                    refunded: s.to_refund,
                },
            )?;
            settings::change_counter_state(tx, |s| {
                s.active_order = None;
                s.receipt_order = Some(order_id.clone());
            })?;
            Ok(())
        })?;
        self.view()
    }

    /// Closes the order card without issuing; its decisions stay for when it is scanned again.
    pub fn set_aside(&self) -> Result<CounterView> {
        self.update_counter_state(|s| s.active_order = None)
    }

    pub fn dismiss_receipt(&self) -> Result<CounterView> {
        self.update_counter_state(|s| s.receipt_order = None)
    }

    /// Classifies a scanned item code and finds the items carrying it (any order).
    pub fn find_items_by_code(&self, input: &str) -> Result<Vec<crate::store::ItemRef>> {
        let Some((code, is_mark)) = item_lookup_key(&classify(input)) else { return Ok(Vec::new()) };
        self.store.with_conn(|c| Ok(orders::find_items_by_code(c, &code, is_mark)?))
    }

    /// The outbox in `seq` order (what a sync push will send).
    pub fn outbox(&self) -> Result<Vec<crate::store::OutboxEntry>> {
        self.store.with_conn(|c| Ok(outbox::list_ops(c)?))
    }
}

/// A buyer's pickup QR opens its order, once its signature, expiry and pickup point are checked.
pub(crate) fn open_order_by_token(
    conn: &Db<'_>,
    enrollment: &Enrollment,
    token: &str,
    now: DateTime<Utc>,
) -> Result<ScanNotice> {
    let claims = PickupClaims::verify(token, &pinned_key(enrollment)?, now.timestamp())
        .map_err(|e| token_error(e, "pickup code"))?;
    if claims.pickup_point_id != enrollment.pickup_point_id {
        return Err(KioskError::ForeignCode);
    }
    let order = orders::get_order(conn, &claims.order_id)?.ok_or(KioskError::OrderNotFound)?;
    open_order(conn, enrollment, order, now)
}

/// The return-logistics fee of a refusal, at the counter or in a courier's hand-back, fixed from the
/// policy in force now. A seller-fault refusal (a defect first of all) is free under any policy; a
/// buyer-side one waits for the policy rather than fixing a fee of 0 the server would reject after
/// the goods left.
pub(crate) fn refusal_fee(conn: &Db<'_>, category: &str, reason: RefusalReason) -> Result<FeeDecision> {
    match settings::get_fee_policy(conn)? {
        Some(policy) => Ok(policy.fee_for(category, reason)),
        None if reason.is_seller_fault() => Ok(FeePolicy::default().fee_for(category, reason)),
        None => Err(KioskError::FeePolicyMissing),
    }
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

/// Records one item decision and its op (the caller's transaction holds both).
fn record_decision(
    conn: &Db<'_>,
    order_id: &OrderId,
    item_id: ItemId,
    decision: ItemDecision,
    fee: Option<FeeDecision>,
    at: &str,
) -> Result<()> {
    decisions::set_decision(conn, order_id, &item_id, &decision, fee, at)?;
    outbox::append_op(conn, &OpBody::ItemDecided { order_id: order_id.clone(), item_id, decision }, at)?;
    Ok(())
}

fn editable_order(conn: &Db<'_>, order_id: &OrderId) -> Result<crate::issue::order::LoadedOrder> {
    let loaded = load_order_by_id(conn, order_id)?.ok_or(KioskError::OrderNotFound)?;
    ensure_issuable(&loaded.order, loaded.status)?;
    loaded.status.ensure_editable().map_err(|e| transition_error(e, loaded.issued_at.clone()))?;
    Ok(loaded)
}
