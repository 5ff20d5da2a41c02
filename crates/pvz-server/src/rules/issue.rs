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
mod tests {
    use super::*;
    use crate::rules::facts::ItemFacts;
    use pvz_domain::{OrderId, RefusalReason};

    /// The test order is on the shelf (arrived) unless a test says otherwise.
    const ARRIVED: Option<&str> = Some("2026-12-01T10:00:00.000Z");
    /// No item of the test order was recorded missing unless a test says otherwise.
    const NONE_MISSING: BTreeSet<&str> = BTreeSet::new();

    /// The point's policies, current first: clothes 149 ₽ (was 99 ₽), anything else 199 ₽.
    fn policies() -> Vec<FeePolicy> {
        let policy = |clothes: i64| FeePolicy {
            default_fee: Kopecks(19_900),
            per_category: BTreeMap::from([("clothes".to_owned(), Kopecks(clothes))]),
        };
        vec![policy(14_900), policy(9_900)]
    }

    fn order(prepaid: bool) -> OrderFacts {
        let item = |id: &str, seller: &str, price: i64, category: &str| ItemFacts {
            id: id.into(),
            seller_id: seller.into(),
            price: Kopecks(price),
            prepaid,
            category: category.into(),
        };
        OrderFacts {
            id: OrderId::parse("ord-1").expect("id"),
            pickup_point_id: "pp-1".into(),
            buyer_id: "b-1".into(),
            state: OrderState::Ready,
            items: vec![item("i-1", "s-1", 100_000, "clothes"), item("i-2", "s-2", 50_000, "shoes")],
        }
    }

    fn id(raw: &str) -> ItemId {
        ItemId::parse(raw).expect("id")
    }

    fn refused(item: &str, reason: RefusalReason, fee: i64) -> RefusedItem {
        let description = (reason == RefusalReason::Defect).then(|| "дырка".to_owned());
        RefusedItem { item_id: id(item), reason, description, fee: Kopecks(fee) }
    }

    #[test]
    fn a_fee_refusal_posts_goods_to_the_seller_and_the_fee_to_the_network() {
        let refused = [refused("i-2", RefusalReason::DidNotFit, 19_900)];
        let handed = [id("i-1")];
        let claim = IssueClaim {
            handed_over: &handed,
            refused: &refused,
            not_arrived: &[],
            collected: Kopecks(119_900),
            refunded: Kopecks::ZERO,
            payment_taken: true,
        };
        let postings = check_issue_completed(&order(false), ARRIVED, &NONE_MISSING, &policies(), &claim)
            .expect("the figures match");
        let total: i64 = postings.iter().map(|p| p.amount.0).sum();
        assert_eq!(total, 0, "postings must balance");
        assert!(postings.contains(&Posting { account: "seller:s-1".into(), amount: Kopecks(100_000) }), "seller paid");
        assert!(
            postings.contains(&Posting { account: NETWORK_FEES.into(), amount: Kopecks(19_900) }),
            "fee to network"
        );
    }

    #[test]
    fn a_charged_defect_or_wrong_sum_is_rejected() {
        let handed = [id("i-1")];
        let charged = [refused("i-2", RefusalReason::Defect, 100)];
        let claim = IssueClaim {
            handed_over: &handed,
            refused: &charged,
            not_arrived: &[],
            collected: Kopecks(100_100),
            refunded: Kopecks::ZERO,
            payment_taken: true,
        };
        let err = check_issue_completed(&order(false), ARRIVED, &NONE_MISSING, &policies(), &claim)
            .expect_err("a defect is free");
        assert_eq!(err.code, reject::INVALID_OP, "charging a defect is an invalid op");
        let free = [refused("i-2", RefusalReason::Defect, 0)];
        let claim = IssueClaim { refused: &free, collected: Kopecks(1), ..claim };
        let err =
            check_issue_completed(&order(false), ARRIVED, &NONE_MISSING, &policies(), &claim).expect_err("wrong total");
        assert_eq!(err.code, reject::AMOUNT_MISMATCH, "a wrong total is an amount mismatch");
        assert!(err.message.contains("1\u{a0}000,00"), "the message gives the server's figure: {}", err.message);
    }

    #[test]
    fn a_prepaid_refusal_refunds_from_the_seller() {
        let handed = [id("i-1")];
        let refused = [refused("i-2", RefusalReason::Defect, 0)];
        let claim = IssueClaim {
            handed_over: &handed,
            refused: &refused,
            not_arrived: &[],
            collected: Kopecks::ZERO,
            refunded: Kopecks(50_000),
            payment_taken: false,
        };
        let postings = check_issue_completed(&order(true), ARRIVED, &NONE_MISSING, &policies(), &claim)
            .expect("the figures match");
        assert_eq!(
            postings,
            vec![
                Posting { account: "seller:s-2".into(), amount: Kopecks(-50_000) },
                Posting { account: "buyer:b-1".into(), amount: Kopecks(50_000) },
            ],
            "only the refund moves money on a prepaid order"
        );
    }

    #[test]
    fn every_item_needs_exactly_one_decision() {
        let handed = [id("i-1")];
        let claim = IssueClaim {
            handed_over: &handed,
            refused: &[],
            not_arrived: &[],
            collected: Kopecks(100_000),
            refunded: Kopecks::ZERO,
            payment_taken: true,
        };
        assert_eq!(
            check_issue_completed(&order(false), ARRIVED, &NONE_MISSING, &policies(), &claim).map_err(|e| e.code),
            Err(reject::INVALID_OP),
            "a missing item is invalid"
        );
        let both = [id("i-1"), id("i-2"), id("i-2")];
        let claim = IssueClaim { handed_over: &both, ..claim };
        assert_eq!(
            check_issue_completed(&order(false), ARRIVED, &NONE_MISSING, &policies(), &claim).map_err(|e| e.code),
            Err(reject::INVALID_OP),
            "a twice-listed item is invalid"
        );
    }

    #[test]
    fn an_order_that_has_not_arrived_is_not_issued_and_a_closed_one_still_says_closed() {
        let handed = [id("i-1"), id("i-2")];
        let claim = IssueClaim {
            handed_over: &handed,
            refused: &[],
            not_arrived: &[],
            collected: Kopecks(150_000),
            refunded: Kopecks::ZERO,
            payment_taken: true,
        };
        let err = check_issue_completed(&order(false), None, &NONE_MISSING, &policies(), &claim)
            .expect_err("nothing to hand over");
        assert_eq!(err.code, reject::ORDER_NOT_ARRIVED, "an order not arrived is refused as such: {}", err.message);
        assert!(err.message.contains("ord-1"), "the message names the order: {}", err.message);
        let issued = OrderFacts { state: OrderState::Issued, ..order(false) };
        let err = check_issue_completed(&issued, None, &NONE_MISSING, &policies(), &claim).expect_err("issued already");
        assert_eq!(err.code, reject::ORDER_CLOSED, "an issued order says closed first, arrived or not");
        assert!(
            check_issue_completed(&order(false), ARRIVED, &NONE_MISSING, &policies(), &claim).is_ok(),
            "arrived: it is issued"
        );
    }

    #[test]
    fn a_buyer_side_fee_must_be_the_categorys_fee_in_the_current_or_an_earlier_policy() {
        let handed = [id("i-2")];
        let claim_with = |fee: i64| {
            let refused = [refused("i-1", RefusalReason::DidNotFit, fee)];
            let claim = IssueClaim {
                handed_over: &handed,
                refused: &refused,
                not_arrived: &[],
                collected: Kopecks(50_000 + fee),
                refunded: Kopecks::ZERO,
                payment_taken: true,
            };
            check_issue_completed(&order(false), ARRIVED, &NONE_MISSING, &policies(), &claim)
        };
        assert!(claim_with(14_900).is_ok(), "the current policy's clothes fee is accepted");
        assert!(claim_with(9_900).is_ok(), "an earlier policy's clothes fee is accepted");
        let err = claim_with(19_900).expect_err("the default fee is not the clothes fee in any policy");
        assert_eq!(err.code, reject::AMOUNT_MISMATCH, "a fee no policy charged is an amount mismatch");
        let err = claim_with(0).expect_err("a buyer-side refusal of clothes is not free under any policy");
        assert!(
            err.message.contains("i-1") && err.message.contains("0,00") && err.message.contains("149,00"),
            "the message names the item, the fee sent and the policy's fee: {}",
            err.message
        );
    }

    #[test]
    fn amounts_that_would_overflow_or_exceed_the_cap_are_rejected_not_a_panic() {
        let mut huge = order(false);
        for item in &mut huge.items {
            item.seller_id = "s-1".into();
            item.price = Kopecks(i64::MAX / 2 + 1);
        }
        let handed = [id("i-1"), id("i-2")];
        let claim = IssueClaim {
            handed_over: &handed,
            refused: &[],
            not_arrived: &[],
            collected: Kopecks(i64::MAX),
            refunded: Kopecks::ZERO,
            payment_taken: true,
        };
        let err = check_issue_completed(&huge, ARRIVED, &NONE_MISSING, &policies(), &claim)
            .expect_err("prices that overflow are refused");
        assert_eq!(err.code, reject::INVALID_OP, "an overflowing sum is an invalid op: {}", err.message);

        let refused = [refused("i-2", RefusalReason::DidNotFit, 1_000_000_000_001)];
        let handed = [id("i-1")];
        let mut policy = policies()[0].clone();
        policy.default_fee = Kopecks(1_000_000_000_001);
        let claim =
            IssueClaim { handed_over: &handed, refused: &refused, collected: Kopecks(1_000_100_000_001), ..claim };
        let err = check_issue_completed(&order(false), ARRIVED, &NONE_MISSING, &[policy], &claim)
            .expect_err("a fee over the cap is refused");
        assert_eq!(err.code, reject::INVALID_OP, "an amount over the cap is an invalid op: {}", err.message);
    }

    /// The dress (i-1, 1 000 ₽ at the counter) handed over and paid, the shoes left out.
    fn dress_handed_shoes_not_arrived<'a>(handed: &'a [ItemId], gone: &'a [ItemId]) -> IssueClaim<'a> {
        IssueClaim {
            handed_over: handed,
            refused: &[],
            not_arrived: gone,
            collected: Kopecks(100_000),
            refunded: Kopecks::ZERO,
            payment_taken: true,
        }
    }

    #[test]
    fn an_item_recorded_missing_may_be_left_out_unpaid_and_is_refunded_when_prepaid() {
        let missing = BTreeSet::from(["i-2"]);
        let (handed, gone) = ([id("i-1")], [id("i-2")]);
        let claim = dress_handed_shoes_not_arrived(&handed, &gone);
        let postings =
            check_issue_completed(&order(false), ARRIVED, &missing, &policies(), &claim).expect("the figures match");
        assert_eq!(
            postings,
            vec![
                Posting { account: "buyer:b-1".into(), amount: Kopecks(-100_000) },
                Posting { account: "seller:s-1".into(), amount: Kopecks(100_000) },
            ],
            "only the item handed over is paid for; the one not arrived moves no money and no fee"
        );
        let prepaid = IssueClaim { collected: Kopecks::ZERO, refunded: Kopecks(50_000), payment_taken: false, ..claim };
        let postings =
            check_issue_completed(&order(true), ARRIVED, &missing, &policies(), &prepaid).expect("the figures match");
        assert_eq!(
            postings,
            vec![
                Posting { account: "seller:s-2".into(), amount: Kopecks(-50_000) },
                Posting { account: "buyer:b-1".into(), amount: Kopecks(50_000) },
            ],
            "a prepaid item that never came is paid back by its seller"
        );
        let unrefunded = IssueClaim { refunded: Kopecks::ZERO, ..prepaid };
        let err = check_issue_completed(&order(true), ARRIVED, &missing, &policies(), &unrefunded)
            .expect_err("the refund is owed");
        assert_eq!(err.code, reject::AMOUNT_MISMATCH, "a kiosk that kept the refund is told the figure");
    }

    #[test]
    fn an_item_on_the_shelf_cannot_be_said_not_to_have_arrived() {
        let (handed, gone) = ([id("i-1")], [id("i-2")]);
        let claim = dress_handed_shoes_not_arrived(&handed, &gone);
        let err = check_issue_completed(&order(false), ARRIVED, &NONE_MISSING, &policies(), &claim)
            .expect_err("nothing was recorded missing");
        assert_eq!(
            err.code,
            reject::ITEM_NOT_MISSING,
            "only a receiving's missing item may be left out: {}",
            err.message
        );
        assert!(err.message.contains("i-2"), "the message names the item: {}", err.message);
        let twice = [id("i-1")];
        let claim = IssueClaim { not_arrived: &twice, ..claim };
        let err = check_issue_completed(&order(false), ARRIVED, &BTreeSet::from(["i-1"]), &policies(), &claim)
            .expect_err("one item, two decisions");
        assert_eq!(err.code, reject::INVALID_OP, "handed over and not arrived at once is invalid: {}", err.message);
    }
}
