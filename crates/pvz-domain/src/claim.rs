//! Претензии: a buyer's claim about a defect found after payment. The seller approves it with a
//! compensation (refund, replacement or a missing part) or rejects it; an approved refund or
//! replacement is fulfilled when a pickup point accepts the item back. States move only along the
//! transitions below; anything else is a typed error.

use crate::money::Kopecks;
use crate::timestamp::{UnixSeconds, UtcOffset};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the seller agreed to give the buyer.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Compensation {
    /// Money back from the seller's balance: the item's full price or a part of it.
    Refund { amount: Kopecks },
    /// The same item again, as a new order to the buyer's pickup point.
    Replacement,
    /// Only a missing part is delivered (e.g. a torn-off button); the item stays with the buyer.
    MissingPart { part: String },
}

/// The compensation's kind without its details: what a claim return code names.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CompensationKind {
    Refund,
    Replacement,
    MissingPart,
}

impl Compensation {
    pub fn kind(&self) -> CompensationKind {
        match self {
            Compensation::Refund { .. } => CompensationKind::Refund,
            Compensation::Replacement => CompensationKind::Replacement,
            Compensation::MissingPart { .. } => CompensationKind::MissingPart,
        }
    }

    /// The money the buyer gets back (zero unless a refund).
    pub fn refund_amount(&self) -> Kopecks {
        match self {
            Compensation::Refund { amount } => *amount,
            Compensation::Replacement | Compensation::MissingPart { .. } => Kopecks(0),
        }
    }
}

impl CompensationKind {
    /// A refund or a replacement needs the item back at a pickup point; a missing part does not.
    pub fn needs_item_back(self) -> bool {
        matches!(self, CompensationKind::Refund | CompensationKind::Replacement)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CompensationKind::Refund => "refund",
            CompensationKind::Replacement => "replacement",
            CompensationKind::MissingPart => "missing_part",
        }
    }

    pub fn parse(raw: &str) -> Option<CompensationKind> {
        [CompensationKind::Refund, CompensationKind::Replacement, CompensationKind::MissingPart]
            .into_iter()
            .find(|k| k.as_str() == raw)
    }
}

/// Where a claim is. `Open` waits for the seller; `Approved` waits for the item (or, for a missing
/// part, for nothing: the part travels as its own order); `Rejected`, `Revoked` and `Fulfilled` are final.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClaimState {
    Open,
    Approved,
    Rejected,
    Revoked,
    Fulfilled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ClaimTransitionError {
    #[error("the claim was already decided ({0:?})")]
    AlreadyDecided(ClaimState),
    #[error("the claim is not approved ({0:?})")]
    NotApproved(ClaimState),
    #[error("the claim is closed ({0:?})")]
    Closed(ClaimState),
}

impl ClaimState {
    /// The seller's decision: only an open claim can be decided, and only once.
    pub fn decide(self, approve: bool) -> Result<ClaimState, ClaimTransitionError> {
        match self {
            ClaimState::Open if approve => Ok(ClaimState::Approved),
            ClaimState::Open => Ok(ClaimState::Rejected),
            other => Err(ClaimTransitionError::AlreadyDecided(other)),
        }
    }

    /// Withdrawn by the buyer or the network before the item came back.
    pub fn revoke(self) -> Result<ClaimState, ClaimTransitionError> {
        match self {
            ClaimState::Open | ClaimState::Approved => Ok(ClaimState::Revoked),
            other => Err(ClaimTransitionError::Closed(other)),
        }
    }

    /// A pickup point accepted the item back for an approved claim.
    pub fn fulfil(self) -> Result<ClaimState, ClaimTransitionError> {
        match self {
            ClaimState::Approved => Ok(ClaimState::Fulfilled),
            other => Err(ClaimTransitionError::NotApproved(other)),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ClaimState::Open => "open",
            ClaimState::Approved => "approved",
            ClaimState::Rejected => "rejected",
            ClaimState::Revoked => "revoked",
            ClaimState::Fulfilled => "fulfilled",
        }
    }

    pub fn parse(raw: &str) -> Option<ClaimState> {
        [ClaimState::Open, ClaimState::Approved, ClaimState::Rejected, ClaimState::Revoked, ClaimState::Fulfilled]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }
}

/// Who decides a claim. A claim opened within [`MARKETPLACE_RETURN_DAYS`] local days of payment is a
/// marketplace return, decided by the network operator; after that the seller decides it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Decider {
    Operator,
    #[default]
    Seller,
}

/// Days after payment during which a claim is a marketplace return (the operator decides it).
pub const MARKETPLACE_RETURN_DAYS: i64 = 14;

impl Decider {
    /// Who decides a claim opened at `opened` about an item paid at `paid`. Days are the point's
    /// local calendar days, counted as the storage period counts them: the day of payment is day 0,
    /// and a claim on day 14 (at 23:59 local time) is still the operator's; from day 15 the seller's.
    pub fn for_claim(paid: UnixSeconds, opened: UnixSeconds, offset: UtcOffset) -> Decider {
        if opened.local_day(offset) - paid.local_day(offset) <= MARKETPLACE_RETURN_DAYS {
            Decider::Operator
        } else {
            Decider::Seller
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Decider::Operator => "operator",
            Decider::Seller => "seller",
        }
    }

    pub fn parse(raw: &str) -> Option<Decider> {
        [Decider::Operator, Decider::Seller].into_iter().find(|d| d.as_str() == raw)
    }
}

/// Where the item of an approved claim goes.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReturnRoute {
    /// The buyer brings it to any pickup point with the claim return code.
    PickupPoint,
    /// The buyer sends or brings it to the seller directly; a pickup point must not accept it.
    Seller,
    /// The item stays with the buyer (a refund without return, or a missing part).
    NoReturn,
}

impl ReturnRoute {
    pub fn as_str(self) -> &'static str {
        match self {
            ReturnRoute::PickupPoint => "pickup_point",
            ReturnRoute::Seller => "seller",
            ReturnRoute::NoReturn => "no_return",
        }
    }

    pub fn parse(raw: &str) -> Option<ReturnRoute> {
        [ReturnRoute::PickupPoint, ReturnRoute::Seller, ReturnRoute::NoReturn].into_iter().find(|r| r.as_str() == raw)
    }
}

/// The decision field of a claim, as the buyer, the seller and the counter see it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClaimDecision {
    #[default]
    UnderReview,
    Approved,
    Rejected,
    /// The buyer disputes a rejection; the operator decides.
    Disputed,
    /// Withdrawn by the network.
    Revoked,
}

impl ClaimDecision {
    const ALL: [ClaimDecision; 5] = [
        ClaimDecision::UnderReview,
        ClaimDecision::Approved,
        ClaimDecision::Rejected,
        ClaimDecision::Disputed,
        ClaimDecision::Revoked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClaimDecision::UnderReview => "under_review",
            ClaimDecision::Approved => "approved",
            ClaimDecision::Rejected => "rejected",
            ClaimDecision::Disputed => "disputed",
            ClaimDecision::Revoked => "revoked",
        }
    }

    pub fn parse(raw: &str) -> Option<ClaimDecision> {
        Self::ALL.into_iter().find(|d| d.as_str() == raw)
    }
}

/// The item fate field: where the claimed item is, or is to go.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ItemFate {
    /// With the buyer: under review, rejected, or approved without return.
    #[default]
    WithBuyer,
    /// Approved; the buyer is to bring it to a pickup point.
    ToPickupPoint,
    /// Approved; the buyer is to send it to the seller.
    ToSeller,
    /// A pickup point took it back.
    AtPickupPoint,
    /// The seller has it (confirmed receipt, or refused it on receipt).
    AtSeller,
}

impl ItemFate {
    const ALL: [ItemFate; 5] =
        [ItemFate::WithBuyer, ItemFate::ToPickupPoint, ItemFate::ToSeller, ItemFate::AtPickupPoint, ItemFate::AtSeller];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemFate::WithBuyer => "with_buyer",
            ItemFate::ToPickupPoint => "to_pickup_point",
            ItemFate::ToSeller => "to_seller",
            ItemFate::AtPickupPoint => "at_pickup_point",
            ItemFate::AtSeller => "at_seller",
        }
    }

    pub fn parse(raw: &str) -> Option<ItemFate> {
        Self::ALL.into_iter().find(|f| f.as_str() == raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timestamp::SECONDS_PER_DAY;

    const ALL: [ClaimState; 5] =
        [ClaimState::Open, ClaimState::Approved, ClaimState::Rejected, ClaimState::Revoked, ClaimState::Fulfilled];

    #[test]
    fn only_an_open_claim_is_decided_and_only_once() {
        assert_eq!(ClaimState::Open.decide(true), Ok(ClaimState::Approved), "approval");
        assert_eq!(ClaimState::Open.decide(false), Ok(ClaimState::Rejected), "rejection");
        for state in ALL.into_iter().filter(|s| *s != ClaimState::Open) {
            assert_eq!(
                state.decide(true),
                Err(ClaimTransitionError::AlreadyDecided(state)),
                "a {state:?} claim cannot be decided again"
            );
        }
    }

    #[test]
    fn only_an_approved_claim_is_fulfilled_and_a_closed_one_is_not_revoked() {
        for state in ALL {
            let fulfilled = state.fulfil();
            assert_eq!(fulfilled.is_ok(), state == ClaimState::Approved, "fulfil from {state:?}: {fulfilled:?}");
            let revoked = state.revoke();
            let revocable = matches!(state, ClaimState::Open | ClaimState::Approved);
            assert_eq!(revoked.is_ok(), revocable, "revoke from {state:?}: {revoked:?}");
        }
    }

    #[test]
    fn the_operator_decides_through_local_day_14_after_payment_and_the_seller_from_day_15() {
        let moscow = UtcOffset::MOSCOW;
        // Paid at 23:30 Moscow time on a local day: 30 minutes before that day ends.
        let day = 20_000;
        let paid = UnixSeconds::start_of_local_day(day + 1, moscow).plus_seconds(-30 * 60);
        let at =
            |local_day: i64, seconds: i64| UnixSeconds::start_of_local_day(local_day, moscow).plus_seconds(seconds);
        assert_eq!(Decider::for_claim(paid, at(day + 13, 12 * 3600), moscow), Decider::Operator, "day 13: operator");
        assert_eq!(
            Decider::for_claim(paid, at(day + 15, 0), moscow),
            Decider::Seller,
            "00:00 on day 15 is the seller's, though only 14 days and 30 minutes have passed"
        );
        assert_eq!(
            Decider::for_claim(paid, at(day + 14, SECONDS_PER_DAY - 1), moscow),
            Decider::Operator,
            "23:59:59 on day 14 is still the operator's, though almost 15 days have passed"
        );
        let utc = UtcOffset::UTC;
        assert_eq!(
            Decider::for_claim(paid, at(day + 15, 3600), utc),
            Decider::Operator,
            "the point's own offset decides the day: at UTC+0 01:00 Moscow time on day 15 is still day 14"
        );
    }

    #[test]
    fn names_round_trip_and_only_refund_and_replacement_need_the_item() {
        for state in ALL {
            assert_eq!(ClaimState::parse(state.as_str()), Some(state), "{state:?}");
        }
        let wire = |value: serde_json::Value| value.as_str().map(str::to_owned);
        for decision in ClaimDecision::ALL {
            assert_eq!(ClaimDecision::parse(decision.as_str()), Some(decision), "{decision:?}");
            let json = serde_json::to_value(decision).expect("serializes");
            assert_eq!(
                wire(json).as_deref(),
                Some(decision.as_str()),
                "{decision:?}: its stored name is its wire name"
            );
        }
        for fate in ItemFate::ALL {
            assert_eq!(ItemFate::parse(fate.as_str()), Some(fate), "{fate:?}");
            let json = serde_json::to_value(fate).expect("serializes");
            assert_eq!(wire(json).as_deref(), Some(fate.as_str()), "{fate:?}: its stored name is its wire name");
        }
        for decider in [Decider::Operator, Decider::Seller] {
            assert_eq!(Decider::parse(decider.as_str()), Some(decider), "{decider:?}");
        }
        assert!(CompensationKind::Refund.needs_item_back(), "a refund takes the item back");
        assert!(CompensationKind::Replacement.needs_item_back(), "a replacement takes the item back");
        assert!(!CompensationKind::MissingPart.needs_item_back(), "a missing part leaves the item with the buyer");
        assert_eq!(Compensation::Refund { amount: Kopecks(500) }.refund_amount(), Kopecks(500), "refund amount");
        assert_eq!(Compensation::Replacement.refund_amount(), Kopecks(0), "a replacement moves no money");
    }
}
