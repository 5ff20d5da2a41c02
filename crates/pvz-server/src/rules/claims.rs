//! Claims (претензии) with no IO: which item may be claimed, which seller decisions are acceptable,
//! what a claim return op may do, and the refund's postings. States move only through
//! [`ClaimState`]'s transitions; the server's approved figures are what gets paid.

use super::facts::{OrderState, NOT_ARRIVED};
use super::{buyer_account, seller_account, transfer, Posting, Rejection};
use pvz_domain::{ClaimState, Compensation, CompensationKind, ItemId, Kopecks, OrderId};
use pvz_protocol::sync::reject;
use pvz_protocol::SellerDecision;

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

/// Why a seller's decision is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecisionError {
    /// The claim is no longer open (409).
    AlreadyDecided(ClaimState),
    /// The decision itself is wrong: a refund of nothing or above the price, an empty reason (400).
    Invalid(String),
}

/// The state a decision moves an open claim to, with its text trimmed. A refund must be more than
/// zero and at most the item's `price` (what the buyer paid).
pub fn check_decision(
    state: ClaimState,
    decision: &SellerDecision,
    price: Kopecks,
) -> Result<(ClaimState, SellerDecision), DecisionError> {
    let approve = matches!(decision, SellerDecision::Approve { .. });
    let next = state.decide(approve).map_err(|_| DecisionError::AlreadyDecided(state))?;
    let checked = match decision {
        SellerDecision::Approve { compensation: Compensation::Refund { amount } } => {
            if amount.0 <= 0 || *amount > price {
                return Err(DecisionError::Invalid(format!(
                    "a refund must be more than 0 and at most the item's price {price}; got {amount}"
                )));
            }
            decision.clone()
        }
        SellerDecision::Approve { compensation: Compensation::Replacement } => decision.clone(),
        SellerDecision::Approve { compensation: Compensation::MissingPart { part } } => SellerDecision::Approve {
            compensation: Compensation::MissingPart {
                part: check_text("missing part", part).map_err(DecisionError::Invalid)?,
            },
        },
        SellerDecision::Reject { reason } => {
            SellerDecision::Reject { reason: check_text("reason", reason).map_err(DecisionError::Invalid)? }
        }
    };
    Ok((next, checked))
}

/// What the server knows of a claim when a kiosk says it took the item back.
#[derive(Debug, Clone)]
pub struct ClaimFacts<'a> {
    pub order_id: &'a str,
    pub item_id: &'a str,
    pub state: ClaimState,
    pub compensation: Option<&'a Compensation>,
}

/// What a `ClaimReturnAccepted` says.
#[derive(Debug, Clone)]
pub struct ClaimReturn<'a> {
    pub order_id: &'a OrderId,
    pub item_id: &'a ItemId,
    pub compensation: CompensationKind,
    pub amount: Kopecks,
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

/// Checks a claim return against the claim: another item or compensation, then the claim's state
/// (never approved, revoked, already used). On success the claim is to be fulfilled.
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
    match claim.state {
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
    }
}

/// A refund: the seller's balance pays the buyer.
pub fn refund_postings(seller_id: &str, buyer_id: &str, amount: Kopecks) -> Result<Vec<Posting>, Rejection> {
    transfer(seller_account(seller_id), buyer_account(buyer_id), amount)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn approve(compensation: Compensation) -> SellerDecision {
        SellerDecision::Approve { compensation }
    }

    #[test]
    fn a_refund_is_more_than_zero_and_at_most_the_price() {
        let price = Kopecks(100_000);
        let refund = |amount: i64| {
            check_decision(ClaimState::Open, &approve(Compensation::Refund { amount: Kopecks(amount) }), price)
        };
        assert!(refund(100_000).is_ok(), "a full refund is accepted");
        assert!(refund(1).is_ok(), "a partial refund is accepted");
        for bad in [0, -5, 100_001] {
            assert!(matches!(refund(bad), Err(DecisionError::Invalid(_))), "a refund of {bad} is refused");
        }
    }

    #[test]
    fn only_an_open_claim_is_decided_and_texts_are_needed() {
        let reject = SellerDecision::Reject { reason: "  следы носки ".into() };
        let (state, checked) =
            check_decision(ClaimState::Open, &reject, Kopecks(1)).expect("an open claim is rejected");
        assert_eq!(state, ClaimState::Rejected, "a rejection rejects");
        assert_eq!(checked, SellerDecision::Reject { reason: "следы носки".into() }, "its reason is trimmed");
        assert_eq!(
            check_decision(ClaimState::Approved, &reject, Kopecks(1)),
            Err(DecisionError::AlreadyDecided(ClaimState::Approved)),
            "a decided claim is not decided again"
        );
        let blank = SellerDecision::Reject { reason: " ".into() };
        assert!(
            matches!(check_decision(ClaimState::Open, &blank, Kopecks(1)), Err(DecisionError::Invalid(_))),
            "a reason is needed"
        );
        let part = approve(Compensation::MissingPart { part: String::new() });
        assert!(
            matches!(check_decision(ClaimState::Open, &part, Kopecks(1)), Err(DecisionError::Invalid(_))),
            "a part is named"
        );
    }

    #[test]
    fn a_claim_return_is_checked_for_the_claim_then_its_state() {
        let order = OrderId::parse("o-1").expect("id");
        let item = ItemId::parse("i-1").expect("id");
        let refund = Compensation::Refund { amount: Kopecks(5_000) };
        let facts = |state| ClaimFacts { order_id: "o-1", item_id: "i-1", state, compensation: Some(&refund) };
        let op = ClaimReturn {
            order_id: &order,
            item_id: &item,
            compensation: CompensationKind::Refund,
            amount: Kopecks(5_000),
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
}
