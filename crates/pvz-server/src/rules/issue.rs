//! `IssueCompleted` on the server: the order's goods at the point, every item decided once, refusal
//! fees per the point's policies, the collected and refunded sums checked against the server's
//! prices, and the postings.

use super::facts::{OrderFacts, OrderState};
use super::{
    amount_in_range, buyer_account, check_refusal_fee, overflow, seller_account, transfer, Posting, Rejection,
    MAX_AMOUNT, NETWORK_FEES,
};
use pvz_domain::{settle, FeeDecision, FeePolicy, FeeRule, ItemId, ItemLine, ItemState, Kopecks, Refusal};
use pvz_protocol::sync::reject;
use pvz_protocol::RefusedItem;
use std::collections::{BTreeMap, BTreeSet};

/// The op's figures of an `IssueCompleted`.
#[derive(Debug, Clone)]
pub struct IssueClaim<'a> {
    pub handed_over: &'a [ItemId],
    pub refused: &'a [RefusedItem],
    /// Items the counter says are not at the point: each must be one receiving recorded missing.
    pub not_arrived: &'a [ItemId],
    pub collected: Kopecks,
    pub refunded: Kopecks,
    pub payment_taken: bool,
}

/// Checks a completed issue against the order and returns its ledger postings (empty when no money
/// moves). Goods paid at the counter: buyer -X, seller +X; refusal fee: buyer -F, network +F; refund
/// of a prepaid refused item: seller -R, buyer +R. An item not arrived (recorded missing at
/// receiving, still not at the point when the buyer came) is neither paid nor charged a fee; when
/// prepaid it is refunded like a refusal: seller -R, buyer +R.
///
/// `recorded_missing` are the order's items that a receiving recorded missing: only those may be
/// said not to have arrived, so a counter cannot refund goods that were on its shelf. One of them
/// may still be handed over: it turned up after the receiving, and the buyer took it.
///
/// `arrived_at` is when the order arrived at the point (`orders.arrived_at`). An order that has
/// not (expected in a shipment not received yet, or every item of it missing at receiving) is not
/// issued: nothing was there to hand over. Every other way an order comes to the point stamps it:
/// orders added straight to the shelf (the admin, the demo, a claim's replacement or missing part)
/// arrive when created, and the upgrade to receiving stamped the orders already waiting. A kiosk
/// that received the shipment offline pushes its `ShipmentReceived` ahead of the issue (one
/// device's ops apply in `seq` order), so the arrival is here first.
///
/// `policies` are the point's fee policies, the current one first, then earlier ones: a buyer-side
/// refusal's fee must be the item category's fee in one of them. The kiosk fixes the fee when the
/// refusal is recorded (maybe offline, before a policy change reached it), so an earlier policy's
/// fee is honest; a fee no policy of the point ever had is not.
pub fn check_issue_completed(
    order: &OrderFacts,
    arrived_at: Option<&str>,
    recorded_missing: &BTreeSet<&str>,
    policies: &[FeePolicy],
    claim: &IssueClaim<'_>,
) -> Result<Vec<Posting>, Rejection> {
    match order.state {
        OrderState::Ready => {}
        OrderState::Issued => return Err(Rejection::new(reject::ORDER_CLOSED, "the order was already issued")),
        OrderState::Cancelled => return Err(Rejection::new(reject::ORDER_CLOSED, "the order was cancelled")),
    }
    if arrived_at.is_none() {
        return Err(Rejection::new(
            reject::ORDER_NOT_ARRIVED,
            format!("order {} has not arrived at the point: receive its shipment before issuing it", order.id),
        ));
    }
    let known: BTreeSet<&str> = order.items.iter().map(|i| i.id.as_str()).collect();
    let mut seen = BTreeSet::new();
    let named =
        claim.handed_over.iter().chain(claim.refused.iter().map(|r| &r.item_id)).chain(claim.not_arrived.iter());
    for item in named {
        if !known.contains(item.as_str()) {
            return Err(Rejection::new(reject::ITEM_NOT_IN_ORDER, format!("item {item} is not in order {}", order.id)));
        }
        if !seen.insert(item.as_str()) {
            return Err(Rejection::new(
                reject::INVALID_OP,
                format!("item {item} has two decisions (handed over, refused or not arrived), or is listed twice"),
            ));
        }
    }
    if seen.len() != known.len() {
        let missing: Vec<&str> = known.difference(&seen).copied().collect();
        return Err(Rejection::new(reject::INVALID_OP, format!("items without a decision: {}", missing.join(", "))));
    }
    if let Some(item) = claim.not_arrived.iter().find(|i| !recorded_missing.contains(i.as_str())) {
        return Err(Rejection::new(
            reject::ITEM_NOT_MISSING,
            format!("item {item} was not recorded missing at receiving: it is at the point, hand it over or refuse it"),
        ));
    }

    for (what, amount) in [("collected", claim.collected), ("refunded", claim.refunded)] {
        if !amount_in_range(amount) {
            return Err(Rejection::new(
                reject::INVALID_OP,
                format!("{what} {amount} is outside 0..{MAX_AMOUNT}, the range the server accepts"),
            ));
        }
    }
    if let Some(item) = order.items.iter().find(|i| !amount_in_range(i.price)) {
        return Err(Rejection::new(
            reject::INVALID_OP,
            format!("item {} has a price of {}, above what the server accepts", item.id, item.price),
        ));
    }
    let refusals: BTreeMap<&str, &RefusedItem> = claim.refused.iter().map(|r| (r.item_id.as_str(), r)).collect();
    let not_arrived: BTreeSet<&str> = claim.not_arrived.iter().map(ItemId::as_str).collect();
    let mut states = Vec::with_capacity(order.items.len());
    for item in &order.items {
        let state = match refusals.get(item.id.as_str()) {
            None if not_arrived.contains(item.id.as_str()) => ItemState::NotArrived,
            None => ItemState::HandedOver,
            Some(r) => {
                check_refusal_fee(&item.id, &item.category, r.reason, r.fee, policies)?;
                let refusal = Refusal::new(r.reason, r.description.as_deref())
                    .map_err(|e| Rejection::new(reject::INVALID_OP, format!("item {}: {e}", item.id)))?;
                ItemState::Refused(refusal)
            }
        };
        states.push(state);
    }
    let lines: Vec<ItemLine<'_>> = order
        .items
        .iter()
        .zip(&states)
        .map(|(item, state)| ItemLine {
            price: item.price,
            prepaid: item.prepaid,
            category: &item.category,
            state,
            // The kiosk fixed each refusal's fee when it was recorded; each fee was checked above
            // against the point's policies (today's may have changed since).
            fixed_fee: refusals.get(item.id.as_str()).map(|r| FeeDecision { fee: r.fee, rule: FeeRule::PolicyFee }),
        })
        .collect();
    // Postings first: they sum with checked arithmetic, so a total `settle` would saturate is refused
    // here as an invalid op rather than compared.
    let postings = postings(order, &refusals, &not_arrived)?;
    let due = settle(&lines, &FeePolicy::default());
    if due.to_collect != claim.collected || due.to_refund != claim.refunded {
        return Err(Rejection::new(
            reject::AMOUNT_MISMATCH,
            format!(
                "the op says collected {} and refunded {}, the server's prices give collected {} and refunded {}",
                claim.collected, claim.refunded, due.to_collect, due.to_refund
            ),
        ));
    }
    if due.to_collect.0 > 0 && !claim.payment_taken {
        return Err(Rejection::new(reject::INVALID_OP, format!("{} is due but payment was not taken", due.to_collect)));
    }
    Ok(postings)
}

fn postings(
    order: &OrderFacts,
    refusals: &BTreeMap<&str, &RefusedItem>,
    not_arrived: &BTreeSet<&str>,
) -> Result<Vec<Posting>, Rejection> {
    let add = |sum: &mut i64, amount: Kopecks| -> Result<(), Rejection> {
        *sum = sum.checked_add(amount.0).ok_or_else(overflow)?;
        Ok(())
    };
    let buyer = buyer_account(&order.buyer_id);
    let mut goods_by_seller: BTreeMap<&str, i64> = BTreeMap::new();
    let mut refunds_by_seller: BTreeMap<&str, i64> = BTreeMap::new();
    let (mut fees, mut to_collect, mut to_refund) = (0i64, 0i64, 0i64);
    for item in &order.items {
        match refusals.get(item.id.as_str()) {
            // Never at the point: refunded when prepaid, not charged otherwise.
            None if not_arrived.contains(item.id.as_str()) && item.prepaid => {
                add(refunds_by_seller.entry(&item.seller_id).or_default(), item.price)?;
                add(&mut to_refund, item.price)?;
            }
            None if not_arrived.contains(item.id.as_str()) => {}
            None if !item.prepaid => {
                add(goods_by_seller.entry(&item.seller_id).or_default(), item.price)?;
                add(&mut to_collect, item.price)?;
            }
            None => {}
            Some(r) => {
                add(&mut fees, r.fee)?;
                add(&mut to_collect, r.fee)?;
                if item.prepaid {
                    add(refunds_by_seller.entry(&item.seller_id).or_default(), item.price)?;
                    add(&mut to_refund, item.price)?;
                }
            }
        }
    }
    // Every sum is non-negative, so negating it cannot overflow; checked all the same.
    let mut out = Vec::new();
    let mut pair = |from: String, to: String, amount: i64| -> Result<(), Rejection> {
        out.extend(transfer(from, to, Kopecks(amount))?);
        Ok(())
    };
    for (seller, amount) in goods_by_seller {
        pair(buyer.clone(), seller_account(seller), amount)?;
    }
    pair(buyer.clone(), NETWORK_FEES.to_owned(), fees)?;
    for (seller, amount) in refunds_by_seller {
        pair(seller_account(seller), buyer.clone(), amount)?;
    }
    Ok(out)
}

#[cfg(test)]
#[path = "issue_tests.rs"]
mod tests;
