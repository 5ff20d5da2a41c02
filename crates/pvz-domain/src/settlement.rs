//! Расчёт at the counter: what the buyer pays now and what goes back to them, from item decisions.
//!
//! Pay-at-counter items that are handed over are paid now; refused items cost nothing except a
//! policy fee for buyer-side refusals; refused prepaid items are refunded (by the server). An item
//! that never reached the point (recorded missing at receiving) is not paid for, and refunded when
//! prepaid, with no fee: the buyer did nothing but come for it.

use crate::money::Kopecks;
use crate::order::ItemState;
use crate::policy::{FeeDecision, FeePolicy};

/// One item as the settlement sees it.
#[derive(Debug, Clone)]
pub struct ItemLine<'a> {
    pub price: Kopecks,
    pub prepaid: bool,
    pub category: &'a str,
    pub state: &'a ItemState,
    /// The fee fixed when the refusal was recorded; the policy decides only when there is none.
    pub fixed_fee: Option<FeeDecision>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Settlement {
    /// Price of handed-over pay-at-counter items.
    pub goods_to_collect: Kopecks,
    /// Return-logistics fees of buyer-side refusals.
    pub fees: Kopecks,
    /// goods_to_collect + fees: the amount the manager takes.
    pub to_collect: Kopecks,
    /// Price of refused and not-arrived prepaid items, paid back to the buyer.
    pub to_refund: Kopecks,
    /// Items with no decision yet.
    pub undecided: usize,
    /// Fee decision per item, `None` unless the item is refused.
    pub fee_decisions: Vec<Option<FeeDecision>>,
}

pub fn settle(items: &[ItemLine<'_>], policy: &FeePolicy) -> Settlement {
    let mut s = Settlement::default();
    for item in items {
        let fee = match item.state {
            ItemState::Awaiting => {
                s.undecided += 1;
                None
            }
            ItemState::HandedOver => {
                if !item.prepaid {
                    s.goods_to_collect = s.goods_to_collect + item.price;
                }
                None
            }
            ItemState::Refused(refusal) => {
                if item.prepaid {
                    s.to_refund = s.to_refund + item.price;
                }
                let decision = item.fixed_fee.unwrap_or_else(|| policy.fee_for(item.category, refusal.reason()));
                s.fees = s.fees + decision.fee;
                Some(decision)
            }
            ItemState::NotArrived => {
                if item.prepaid {
                    s.to_refund = s.to_refund + item.price;
                }
                None
            }
        };
        s.fee_decisions.push(fee);
    }
    s.to_collect = s.goods_to_collect + s.fees;
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::FeeRule;
    use crate::refusal::{Refusal, RefusalReason};
    use std::collections::BTreeMap;

    fn policy() -> FeePolicy {
        FeePolicy { default_fee: Kopecks(9_900), per_category: BTreeMap::new() }
    }

    fn refused(reason: RefusalReason) -> ItemState {
        let description = (reason == RefusalReason::Defect).then_some("дыра на рукаве");
        ItemState::Refused(Refusal::new(reason, description).expect("valid refusal"))
    }

    #[test]
    fn a_defect_refusal_costs_nothing_and_the_rest_is_paid() {
        let defect = refused(RefusalReason::Defect);
        let items = [
            ItemLine {
                price: Kopecks(150_000),
                prepaid: false,
                category: "clothes",
                state: &ItemState::HandedOver,
                fixed_fee: None,
            },
            ItemLine { price: Kopecks(250_000), prepaid: false, category: "clothes", state: &defect, fixed_fee: None },
        ];
        let s = settle(&items, &policy());
        assert_eq!(s.to_collect, Kopecks(150_000), "only the handed-over item is paid; the defect costs nothing");
        assert_eq!(s.fees, Kopecks::ZERO, "no return shipping for a defect");
        assert_eq!(s.fee_decisions[1].map(|d| d.rule), Some(FeeRule::DefectFree), "the defect line says it is free");
    }

    #[test]
    fn a_buyer_side_refusal_adds_the_fee_and_refunds_prepaid_goods() {
        let changed = refused(RefusalReason::ChangedMind);
        let items = [
            ItemLine { price: Kopecks(100_000), prepaid: true, category: "shoes", state: &changed, fixed_fee: None },
            ItemLine {
                price: Kopecks(50_000),
                prepaid: true,
                category: "shoes",
                state: &ItemState::HandedOver,
                fixed_fee: None,
            },
        ];
        let s = settle(&items, &policy());
        assert_eq!(s.to_collect, Kopecks(9_900), "a prepaid order costs only the fee");
        assert_eq!(s.to_refund, Kopecks(100_000), "the refused prepaid item is refunded");
    }

    #[test]
    fn a_fee_fixed_at_refusal_wins_over_a_later_policy() {
        let changed = refused(RefusalReason::DidNotFit);
        let fixed = FeeDecision { fee: Kopecks(5_000), rule: FeeRule::PolicyFee };
        let items = [ItemLine {
            price: Kopecks(70_000),
            prepaid: false,
            category: "shoes",
            state: &changed,
            fixed_fee: Some(fixed),
        }];
        let s = settle(&items, &policy());
        assert_eq!(s.fees, Kopecks(5_000), "the fee recorded with the refusal is kept, not the policy's 99 ₽");
        assert_eq!(s.to_collect, Kopecks(5_000), "a pay-at-counter refusal costs only its fee");
    }

    #[test]
    fn undecided_items_are_counted() {
        let items = [ItemLine {
            price: Kopecks(1),
            prepaid: false,
            category: "x",
            state: &ItemState::Awaiting,
            fixed_fee: None,
        }];
        assert_eq!(settle(&items, &policy()).undecided, 1, "an awaiting item is undecided");
    }

    #[test]
    fn an_item_that_never_arrived_is_not_paid_for_and_refunded_when_prepaid() {
        let line = |price: i64, prepaid: bool, state| ItemLine {
            price: Kopecks(price),
            prepaid,
            category: "x",
            state,
            fixed_fee: None,
        };
        let items = [
            line(30_000, false, &ItemState::HandedOver),
            line(45_000, false, &ItemState::NotArrived),
            line(20_000, true, &ItemState::NotArrived),
        ];
        let s = settle(&items, &policy());
        assert_eq!(s.to_collect, Kopecks(30_000), "only the handed-over item is paid at the counter, no fee");
        assert_eq!(s.fees, Kopecks::ZERO, "nothing is charged for an item that never came");
        assert_eq!(s.to_refund, Kopecks(20_000), "the prepaid item that never came is paid back");
        assert_eq!(s.undecided, 0, "an item not arrived is decided");
        assert_eq!(s.fee_decisions, vec![None, None, None], "no line carries a fee");
    }
}
