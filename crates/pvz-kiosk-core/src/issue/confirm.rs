//! Confirming the issue: every item decided, the amount the manager saw still due, the payment taken;
//! one `IssueCompleted` op with the money, a returned unit for each refused item, and the receipt on
//! screen until it is dismissed.

use super::{ensure_issuable, transition_error};
use crate::error::{KioskError, Result};
use crate::issue::order::load_order_by_id;
use crate::kiosk::{new_return_id, parse_item_id, parse_order_id, timestamp};
use crate::store::{issues, outbox, return_items, settings, IssueRow};
use crate::view::CounterView;
use crate::Kiosk;
use pvz_domain::Kopecks;
use pvz_protocol::{ItemDecision, OpBody, RefusedItem};

impl Kiosk {
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

    pub fn dismiss_receipt(&self) -> Result<CounterView> {
        self.update_counter_state(|s| s.receipt_order = None)
    }
}
