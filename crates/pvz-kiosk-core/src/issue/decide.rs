//! Deciding the items of the open order: hand over, refuse with a reason (its fee fixed now), leave
//! out an item recorded missing at receiving, attach a defect photo, or take a decision back. Each
//! decision is one transaction with its op.

use super::fees::refusal_fee;
use super::{ensure_issuable, transition_error};
use crate::error::{KioskError, Result};
use crate::evidence;
use crate::issue::order::{load_order_by_id, LoadedOrder};
use crate::kiosk::{parse_item_id, parse_order_id, timestamp};
use crate::store::photos::{self, PhotoRow};
use crate::store::{decisions, outbox, scanned_marks, Db};
use crate::view::CounterView;
use crate::Kiosk;
use pvz_domain::{FeeDecision, ItemId, OrderId, Refusal, RefusalError, RefusalReason};
use pvz_protocol::{ItemDecision, OpBody};
use uuid::Uuid;

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
}

/// Records one item decision and its op (the caller's transaction holds both). A hand-over carries
/// the marking code scanned off the item, if one was.
pub(super) fn record_decision(
    conn: &Db<'_>,
    order_id: &OrderId,
    item_id: ItemId,
    decision: ItemDecision,
    fee: Option<FeeDecision>,
    at: &str,
) -> Result<()> {
    decisions::set_decision(conn, order_id, &item_id, &decision, fee, at)?;
    let mark = match decision {
        ItemDecision::HandOver => scanned_marks::get_scanned_mark(conn, &item_id)?,
        ItemDecision::Refuse { .. } | ItemDecision::NotArrived => None,
    };
    outbox::append_op(conn, &OpBody::ItemDecided { order_id: order_id.clone(), item_id, decision, mark }, at)?;
    Ok(())
}

fn editable_order(conn: &Db<'_>, order_id: &OrderId) -> Result<LoadedOrder> {
    let loaded = load_order_by_id(conn, order_id)?.ok_or(KioskError::OrderNotFound)?;
    ensure_issuable(&loaded.order, loaded.status)?;
    loaded.status.ensure_editable().map_err(|e| transition_error(e, loaded.issued_at.clone()))?;
    Ok(loaded)
}
