//! Claims (претензии) with no IO: which item may be claimed, which seller decisions are acceptable,
//! what a claim return op may do, whether its time shows the return code was still valid, and the
//! refund's postings. States move only through [`ClaimState`]'s transitions; the server's approved
//! figures are what gets paid.

use super::{buyer_account, seller_account, transfer, Posting, Rejection};
use crate::db::orders::{ItemRow, OrderState};
use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use pvz_domain::{ClaimState, Compensation, CompensationKind, ItemId, Kopecks, OrderId};
use pvz_protocol::sync::reject;
use pvz_protocol::SellerDecision;

/// The longest description, reason or part name a claim stores.
pub const MAX_TEXT: usize = 2000;

/// Why a claim cannot be opened on an item, for the admin who tried.
pub fn check_claimable(item: &ItemRow, active_claim: Option<&str>) -> Result<(), String> {
    if item.order_state != OrderState::Issued {
        return Err(format!(
            "order {} is not issued: a claim is about an item that was paid for and handed over",
            item.order_id
        ));
    }
    if let Some(reason) = &item.refusal_reason {
        return Err(format!(
            "item {} was refused ({reason}), not handed over: there is nothing to claim",
            item.item.id
        ));
    }
    if let Some(claim) = active_claim {
        return Err(format!("item {} already has claim {claim}", item.item.id));
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

/// How far a kiosk's clock may be off the server's and its claim return still count as on time.
/// Clocks of machines that sync over the internet drift by seconds, rarely minutes; a kiosk off by
/// more than this is wrong, and its recorded time can no longer show that the code was valid when
/// the item came back.
pub const CLOCK_SKEW_ALLOWANCE: TimeDelta = TimeDelta::minutes(10);

/// When a claim return code was good: from the claim's approval (when the server signed the code)
/// until the expiry the code carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeLife {
    pub approved_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Checks the kiosk's time for a claim return (`recorded_at`) against the code's life, since the
/// kiosk checked the code's expiry with its own clock. The code is good until the instant it
/// expires, as the token itself says. A time ahead of the server's `now`, or before the approval,
/// by more than [`CLOCK_SKEW_ALLOWANCE`] comes from a wrong clock: it cannot show the code was
/// valid when the item came back, so the claim is not fulfilled on its word.
pub fn check_return_time(life: &CodeLife, recorded_at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), Rejection> {
    let at = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    let expired = |message: String| Err(Rejection::new(reject::CLAIM_EXPIRED, message));
    if recorded_at > now + CLOCK_SKEW_ALLOWANCE {
        return expired(format!(
            "the kiosk recorded the return at {}, ahead of the server's time {}: its clock is ahead, so it \
             cannot show the claim return code was still valid",
            at(recorded_at),
            at(now)
        ));
    }
    if recorded_at >= life.expires_at {
        return expired(format!(
            "the claim return code expired at {} but the kiosk recorded the return at {}",
            at(life.expires_at),
            at(recorded_at)
        ));
    }
    if recorded_at < life.approved_at - CLOCK_SKEW_ALLOWANCE {
        return expired(format!(
            "the kiosk recorded the return at {}, before the claim was approved at {}: its clock is behind",
            at(recorded_at),
            at(life.approved_at)
        ));
    }
    Ok(())
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

    fn time(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339).expect("a test time").with_timezone(&Utc)
    }

    /// Approved on 1 December at 10:00, the code good for 14 days; the server's clock on 5 December.
    fn life() -> CodeLife {
        CodeLife { approved_at: time("2026-12-01T10:00:00Z"), expires_at: time("2026-12-15T10:00:00Z") }
    }

    fn checked(recorded_at: &str) -> Result<(), Rejection> {
        check_return_time(&life(), time(recorded_at), time("2026-12-05T12:00:00Z"))
    }

    #[test]
    fn a_return_inside_the_codes_life_is_on_time() {
        for recorded_at in ["2026-12-01T10:00:00Z", "2026-12-03T15:30:00Z", "2026-12-05T12:00:00Z"] {
            assert_eq!(checked(recorded_at), Ok(()), "a return at {recorded_at} is inside the code's life");
        }
    }

    #[test]
    fn a_return_after_the_code_expired_is_refused() {
        // The server's clock is past the expiry too: the op reached it late, after a long offline spell.
        let late = |recorded_at: &str| check_return_time(&life(), time(recorded_at), time("2026-12-20T09:00:00Z"));
        assert_eq!(late("2026-12-15T09:59:59Z"), Ok(()), "a second before the expiry is still on time");
        let refused = late("2026-12-15T10:00:00Z").expect_err("the code is no longer good at its expiry instant");
        assert_eq!(refused.code, reject::CLAIM_EXPIRED, "an expired code is refused as expired");
        let refused = late("2026-12-16T08:00:00Z").expect_err("a day after the expiry");
        assert_eq!(
            refused.message,
            "the claim return code expired at 2026-12-15T10:00:00Z but the kiosk recorded the return at \
             2026-12-16T08:00:00Z",
            "the message names the expiry and the kiosk's time"
        );
    }

    #[test]
    fn a_return_before_the_approval_beyond_the_allowance_is_a_clock_behind() {
        let refused = checked("2026-12-01T09:49:59Z").expect_err("ten minutes and a second before the approval");
        assert_eq!(refused.code, reject::CLAIM_EXPIRED, "a clock behind cannot show the code was valid");
        assert_eq!(
            refused.message,
            "the kiosk recorded the return at 2026-12-01T09:49:59Z, before the claim was approved at \
             2026-12-01T10:00:00Z: its clock is behind",
            "the message names both times and says the clock is behind"
        );
        assert!(checked("2026-11-20T10:00:00Z").is_err(), "days before the approval is refused too");
    }

    #[test]
    fn a_clock_off_by_less_than_the_allowance_is_accepted() {
        assert_eq!(checked("2026-12-01T09:50:00Z"), Ok(()), "exactly the allowance before the approval is accepted");
        assert_eq!(checked("2026-12-01T09:55:00Z"), Ok(()), "five minutes before the approval is clock skew");
        assert_eq!(checked("2026-12-05T12:10:00Z"), Ok(()), "exactly the allowance ahead of the server is accepted");
        assert_eq!(checked("2026-12-05T12:05:00Z"), Ok(()), "five minutes ahead of the server is clock skew");
    }

    #[test]
    fn a_return_far_ahead_of_the_servers_clock_is_refused() {
        let refused = checked("2026-12-05T12:10:01Z").expect_err("ten minutes and a second ahead of the server");
        assert_eq!(refused.code, reject::CLAIM_EXPIRED, "a clock ahead cannot show the code was valid");
        assert!(
            refused.message.contains("its clock is ahead") && refused.message.contains("2026-12-05T12:00:00Z"),
            "the message says the clock is ahead and gives the server's time: {}",
            refused.message
        );
        let refused = checked("2026-12-30T10:00:00Z").expect_err("far ahead, past the expiry as well");
        assert!(
            refused.message.contains("its clock is ahead"),
            "a clock ahead is named as the cause rather than the expiry it happens to pass: {}",
            refused.message
        );
    }
}
