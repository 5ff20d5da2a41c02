//! Claims (претензии) with no IO: which item may be claimed, what a claim return op may do, and the
//! refund's postings; which actions a caller may take on a claim, and their checks, in [`actions`];
//! the claim return code a claim return must carry as proof, in [`proof`].
//! States move only through [`ClaimState`]'s transitions; the server's approved figures are what
//! gets paid.

pub mod actions;
pub mod proof;

use super::facts::{OrderState, NOT_ARRIVED};
use super::{buyer_account, seller_account, transfer, Posting, Rejection};
use pvz_domain::{ClaimState, Compensation, CompensationKind, ItemId, Kopecks, OrderId, ReturnRoute};
use pvz_protocol::sync::reject;

/// The longest description, reason or part name a claim stores.
pub const MAX_TEXT: usize = 2000;

/// What opening a claim needs to know of an item: its order, that order's state, and why the buyer
/// refused the item if they did ([`NOT_ARRIVED`] for one that never reached the point).
#[derive(Debug, Clone, Copy)]
pub struct ClaimCandidate<'a> {
    pub item_id: &'a ItemId,
    pub order_id: &'a OrderId,
    pub order_state: OrderState,
    pub refusal_reason: Option<&'a str>,
}

/// Why a claim cannot be opened on an item, for the admin who tried.
pub fn check_claimable(item: &ClaimCandidate<'_>, active_claim: Option<&str>) -> Result<(), String> {
    if item.order_state != OrderState::Issued {
        return Err(format!(
            "order {} is not issued: a claim is about an item that was paid for and handed over",
            item.order_id
        ));
    }
    if item.refusal_reason == Some(NOT_ARRIVED) {
        return Err(format!(
            "item {} never reached the point and was not handed over: there is nothing to claim",
            item.item_id
        ));
    }
    if let Some(reason) = item.refusal_reason {
        return Err(format!(
            "item {} was refused ({reason}), not handed over: there is nothing to claim",
            item.item_id
        ));
    }
    if let Some(claim) = active_claim {
        return Err(format!("item {} already has claim {claim}", item.item_id));
    }
    Ok(())
}

/// A claim's free text: trimmed, not empty, at most [`MAX_TEXT`] characters.
pub fn check_text(what: &str, text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(format!("the {what} is empty"));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(format!("the {what} is longer than {MAX_TEXT} characters"));
    }
    Ok(text.to_owned())
}

/// What the server knows of a claim when a kiosk says it took the item back.
#[derive(Debug, Clone)]
pub struct ClaimFacts<'a> {
    pub order_id: &'a str,
    pub item_id: &'a str,
    pub state: ClaimState,
    pub compensation: Option<&'a Compensation>,
    /// Where the item goes: only `pickup_point` is taken back at a counter.
    pub route: Option<ReturnRoute>,
    /// The issue of the claim's valid return code.
    pub code_issue: u32,
    /// Unix seconds: the last moment a point takes the item back (none for older claims).
    pub return_deadline: Option<i64>,
}

/// What a `ClaimReturnAccepted` says.
#[derive(Debug, Clone)]
pub struct ClaimReturn<'a> {
    pub order_id: &'a OrderId,
    pub item_id: &'a ItemId,
    pub compensation: CompensationKind,
    pub amount: Kopecks,
    /// The issue of the code the counter scanned.
    pub code_issue: u32,
    /// Unix seconds: when the counter took the item, by the kiosk's clock corrected by its offset
    /// from the server's (`None` when the op's time is unreadable: not judged late).
    pub taken_at: Option<i64>,
}

/// What accepting the item back does, by the server's approved compensation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnEffect {
    Refund(Kopecks),
    Replacement,
}

/// A claim return naming a claim the server does not have.
pub fn claim_not_found() -> Rejection {
    Rejection::new(reject::CLAIM_NOT_FOUND, "the server has no such claim")
}

/// Checks a claim return against the claim: another item or compensation, a route that is not
/// through a pickup point (to the seller, no return), a code replaced by a route change, the claim's
/// state (never approved, revoked, already used), then the return deadline. On success the claim is
/// to be fulfilled.
pub fn check_claim_return(claim: &ClaimFacts<'_>, op: &ClaimReturn<'_>) -> Result<ReturnEffect, Rejection> {
    if claim.order_id != op.order_id.as_str() || claim.item_id != op.item_id.as_str() {
        return Err(Rejection::new(
            reject::CLAIM_MISMATCH,
            format!(
                "the claim is about item {} of order {}, the op names item {} of order {}",
                claim.item_id, claim.order_id, op.item_id, op.order_id
            ),
        ));
    }
    if let Some(compensation) = claim.compensation {
        let kind = compensation.kind();
        if !kind.needs_item_back() {
            return Err(Rejection::new(
                reject::CLAIM_MISMATCH,
                "the claim was approved with a missing part, which needs no item back",
            ));
        }
        if kind != op.compensation || compensation.refund_amount() != op.amount {
            return Err(Rejection::new(
                reject::CLAIM_MISMATCH,
                format!(
                    "the claim was approved with {} of {}, the op says {} of {}",
                    kind.as_str(),
                    compensation.refund_amount(),
                    op.compensation.as_str(),
                    op.amount
                ),
            ));
        }
    }
    let not = |code, message: &str| Err(Rejection::new(code, message));
    match claim.route {
        Some(ReturnRoute::Seller) => {
            return not(reject::CLAIM_TO_SELLER, "the item of this claim goes to the seller, not to a pickup point")
        }
        Some(ReturnRoute::NoReturn) => {
            return not(reject::CLAIM_NO_RETURN, "the item of this claim stays with the buyer; nothing is taken back")
        }
        Some(ReturnRoute::PickupPoint) | None => {}
    }
    if op.code_issue < claim.code_issue {
        return Err(Rejection::new(
            reject::CLAIM_CODE_REPLACED,
            format!(
                "the code scanned is issue {} of the claim's return code; issue {} replaced it",
                op.code_issue, claim.code_issue
            ),
        ));
    }
    let effect = match claim.state {
        ClaimState::Open => not(reject::CLAIM_NOT_APPROVED, "the seller has not decided the claim yet"),
        ClaimState::Rejected => not(reject::CLAIM_NOT_APPROVED, "the seller rejected the claim"),
        ClaimState::Revoked => not(reject::CLAIM_REVOKED, "the claim was revoked; nothing is paid"),
        ClaimState::Fulfilled => not(reject::CLAIM_ALREADY_USED, "the item of this claim was already taken back"),
        ClaimState::Approved => match claim.compensation {
            Some(Compensation::Refund { amount }) => Ok(ReturnEffect::Refund(*amount)),
            Some(Compensation::Replacement) => Ok(ReturnEffect::Replacement),
            // An approved claim always has its compensation; a missing part was refused above.
            Some(Compensation::MissingPart { .. }) | None => {
                not(reject::CLAIM_MISMATCH, "the claim has no compensation that takes the item back")
            }
        },
    }?;
    if let (Some(deadline), Some(taken)) = (claim.return_deadline, op.taken_at) {
        if taken > deadline {
            return not(reject::CLAIM_RETURN_EXPIRED, "the item came after the claim's return deadline");
        }
    }
    Ok(effect)
}

/// A refund: the seller's balance pays the buyer.
pub fn refund_postings(seller_id: &str, buyer_id: &str, amount: Kopecks) -> Result<Vec<Posting>, Rejection> {
    transfer(seller_account(seller_id), buyer_account(buyer_id), amount)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_claim_return_is_checked_for_the_claim_then_its_state() {
        let order = OrderId::parse("o-1").expect("id");
        let item = ItemId::parse("i-1").expect("id");
        let refund = Compensation::Refund { amount: Kopecks(5_000) };
        let facts = |state| ClaimFacts {
            order_id: "o-1",
            item_id: "i-1",
            state,
            compensation: Some(&refund),
            route: Some(ReturnRoute::PickupPoint),
            code_issue: 1,
            return_deadline: None,
        };
        let op = ClaimReturn {
            order_id: &order,
            item_id: &item,
            compensation: CompensationKind::Refund,
            amount: Kopecks(5_000),
            code_issue: 1,
            taken_at: None,
        };
        let code = |state| check_claim_return(&facts(state), &op).map_err(|e| e.code);
        assert_eq!(
            code(ClaimState::Approved),
            Ok(ReturnEffect::Refund(Kopecks(5_000))),
            "an approved claim pays its refund"
        );
        assert_eq!(code(ClaimState::Revoked), Err(reject::CLAIM_REVOKED), "revoked");
        assert_eq!(code(ClaimState::Fulfilled), Err(reject::CLAIM_ALREADY_USED), "already used");
        assert_eq!(code(ClaimState::Rejected), Err(reject::CLAIM_NOT_APPROVED), "rejected");
        let more = ClaimReturn { amount: Kopecks(6_000), ..op.clone() };
        assert_eq!(
            check_claim_return(&facts(ClaimState::Approved), &more).map_err(|e| e.code),
            Err(reject::CLAIM_MISMATCH),
            "the kiosk's amount must be the approved one"
        );
        let other = ItemId::parse("i-2").expect("id");
        let wrong_item = ClaimReturn { item_id: &other, ..op };
        assert_eq!(
            check_claim_return(&facts(ClaimState::Approved), &wrong_item).map_err(|e| e.code),
            Err(reject::CLAIM_MISMATCH),
            "another item is a mismatch"
        );
    }

    #[test]
    fn a_claim_return_is_refused_off_its_route_with_a_replaced_code_or_after_the_deadline() {
        let order = OrderId::parse("o-1").expect("id");
        let item = ItemId::parse("i-1").expect("id");
        let refund = Compensation::Refund { amount: Kopecks(5_000) };
        let claim = ClaimFacts {
            order_id: "o-1",
            item_id: "i-1",
            state: ClaimState::Approved,
            compensation: Some(&refund),
            route: Some(ReturnRoute::PickupPoint),
            code_issue: 2,
            return_deadline: Some(1_000),
        };
        let op = ClaimReturn {
            order_id: &order,
            item_id: &item,
            compensation: CompensationKind::Refund,
            amount: Kopecks(5_000),
            code_issue: 2,
            taken_at: Some(1_000),
        };
        let code = |claim: &ClaimFacts<'_>, op: &ClaimReturn<'_>| check_claim_return(claim, op).map_err(|e| e.code);
        assert_eq!(code(&claim, &op), Ok(ReturnEffect::Refund(Kopecks(5_000))), "on time with the valid code");
        let to_seller = ClaimFacts { route: Some(ReturnRoute::Seller), ..claim.clone() };
        assert_eq!(code(&to_seller, &op), Err(reject::CLAIM_TO_SELLER), "the item goes to the seller");
        let kept = ClaimFacts { route: Some(ReturnRoute::NoReturn), state: ClaimState::Fulfilled, ..claim.clone() };
        assert_eq!(code(&kept, &op), Err(reject::CLAIM_NO_RETURN), "the item stays with the buyer");
        let old = ClaimReturn { code_issue: 1, ..op.clone() };
        assert_eq!(code(&claim, &old), Err(reject::CLAIM_CODE_REPLACED), "an older code");
        let revoked = ClaimFacts { state: ClaimState::Revoked, ..claim.clone() };
        let late = ClaimReturn { taken_at: Some(1_001), ..op.clone() };
        assert_eq!(code(&revoked, &late), Err(reject::CLAIM_REVOKED), "the state is judged before the deadline");
        assert_eq!(code(&claim, &late), Err(reject::CLAIM_RETURN_EXPIRED), "after the deadline");
    }
}
