//! Return-logistics fee policy of a pickup point: which refusals cost the buyer a fee, and how much.
//!
//! A refusal the seller caused (defect, wrong item, incomplete) is always free: neither the goods
//! nor the return shipping are charged. Other refusals carry the policy's fee for the item's
//! category, or its default; zero is allowed.

use crate::money::Kopecks;
use crate::refusal::RefusalReason;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FeePolicy {
    /// Fee for a buyer-side refusal in a category that has no entry of its own.
    pub default_fee: Kopecks,
    /// Fee per item category (e.g. "clothes", "electronics").
    pub per_category: BTreeMap<String, Kopecks>,
}

/// Why a refusal costs what it costs; shown to the manager before confirming.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FeeRule {
    /// Брак — возврат бесплатно.
    DefectFree,
    /// Wrong item or incomplete: the seller's fault, free.
    SellerFaultFree,
    /// Buyer-side refusal: the policy charges a return-logistics fee.
    PolicyFee,
    /// Buyer-side refusal, but the policy charges nothing for this category.
    NoFeeInPolicy,
}

impl FeeRule {
    pub const ALL: [FeeRule; 4] =
        [FeeRule::DefectFree, FeeRule::SellerFaultFree, FeeRule::PolicyFee, FeeRule::NoFeeInPolicy];

    pub fn as_str(self) -> &'static str {
        match self {
            FeeRule::DefectFree => "defect_free",
            FeeRule::SellerFaultFree => "seller_fault_free",
            FeeRule::PolicyFee => "policy_fee",
            FeeRule::NoFeeInPolicy => "no_fee_in_policy",
        }
    }

    pub fn parse(raw: &str) -> Option<FeeRule> {
        FeeRule::ALL.into_iter().find(|r| r.as_str() == raw)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeeDecision {
    pub fee: Kopecks,
    pub rule: FeeRule,
}

impl FeePolicy {
    pub fn fee_for(&self, category: &str, reason: RefusalReason) -> FeeDecision {
        if reason == RefusalReason::Defect {
            return FeeDecision { fee: Kopecks::ZERO, rule: FeeRule::DefectFree };
        }
        if reason.is_seller_fault() {
            return FeeDecision { fee: Kopecks::ZERO, rule: FeeRule::SellerFaultFree };
        }
        let fee = self.per_category.get(category).copied().unwrap_or(self.default_fee);
        if fee.0 > 0 {
            FeeDecision { fee, rule: FeeRule::PolicyFee }
        } else {
            FeeDecision { fee: Kopecks::ZERO, rule: FeeRule::NoFeeInPolicy }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> FeePolicy {
        FeePolicy {
            default_fee: Kopecks(10_000),
            per_category: BTreeMap::from([
                ("clothes".to_owned(), Kopecks(14_900)),
                ("books".to_owned(), Kopecks::ZERO),
            ]),
        }
    }

    #[test]
    fn defect_is_free_even_where_the_category_has_a_fee() {
        let d = policy().fee_for("clothes", RefusalReason::Defect);
        assert_eq!(d, FeeDecision { fee: Kopecks::ZERO, rule: FeeRule::DefectFree }, "a defect never costs the buyer");
    }

    #[test]
    fn seller_faults_are_free() {
        for reason in [RefusalReason::WrongItem, RefusalReason::Incomplete] {
            assert_eq!(policy().fee_for("clothes", reason).rule, FeeRule::SellerFaultFree, "{reason:?} is free");
        }
    }

    #[test]
    fn buyer_side_refusals_pay_the_category_fee_or_the_default() {
        assert_eq!(policy().fee_for("clothes", RefusalReason::DidNotFit).fee, Kopecks(14_900), "category fee applies");
        assert_eq!(policy().fee_for("shoes", RefusalReason::ChangedMind).fee, Kopecks(10_000), "default fee applies");
        assert_eq!(
            policy().fee_for("books", RefusalReason::ChangedMind),
            FeeDecision { fee: Kopecks::ZERO, rule: FeeRule::NoFeeInPolicy },
            "a zero category fee is allowed and says so"
        );
    }
}
