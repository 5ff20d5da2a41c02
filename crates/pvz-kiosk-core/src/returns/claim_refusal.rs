//! Why a claim's item cannot be taken back at this counter now, and the error accepting it anyway
//! gives: the server's last word (its state, the route, which code is valid) when the counter has
//! one, then the return deadline, which the signed code carries offline too.

use crate::error::KioskError;
use crate::store::claim_returns::ClaimReturnRow;
use crate::view::returns::ClaimRefusal;
use chrono::{DateTime, Utc};
use pvz_domain::{ClaimState, ReturnRoute};

/// The return deadline in force: the server's when it said one, else the one the code was signed with.
pub(crate) fn return_deadline(claim: &ClaimReturnRow) -> &str {
    claim.server.as_ref().and_then(|w| w.return_deadline.as_deref()).unwrap_or(&claim.expires_at)
}

/// Why the claim cannot be accepted now: the server's word on the claim first (its state, then where
/// the item goes, then which code is valid), then the return deadline, which holds offline too.
pub(crate) fn refusal_of(claim: &ClaimReturnRow, now: DateTime<Utc>) -> Option<ClaimRefusal> {
    if let Some(word) = &claim.server {
        let refusal = match (word.state, word.route) {
            (ClaimState::Open, _) => Some(ClaimRefusal::NotApproved),
            (ClaimState::Rejected, _) => Some(ClaimRefusal::Rejected),
            (ClaimState::Revoked, _) => Some(ClaimRefusal::Revoked),
            (ClaimState::Fulfilled, _) => Some(ClaimRefusal::AlreadyUsed),
            (ClaimState::Approved, Some(ReturnRoute::Seller)) => Some(ClaimRefusal::ToSeller),
            (ClaimState::Approved, Some(ReturnRoute::NoReturn)) => Some(ClaimRefusal::NoReturn),
            (ClaimState::Approved, Some(ReturnRoute::PickupPoint) | None) => {
                (word.code_issue > claim.code_issue).then_some(ClaimRefusal::CodeReplaced)
            }
        };
        if refusal.is_some() {
            return refusal;
        }
    }
    let expired = DateTime::parse_from_rfc3339(return_deadline(claim)).map_or(true, |at| now >= at);
    expired.then_some(ClaimRefusal::Expired)
}

pub(crate) fn refusal_error(refusal: ClaimRefusal, claim: &ClaimReturnRow) -> KioskError {
    let reason = || claim.server.as_ref().and_then(|w| w.reason.clone()).unwrap_or_default();
    match refusal {
        ClaimRefusal::NotApproved => KioskError::ClaimNotApproved,
        ClaimRefusal::Rejected => KioskError::ClaimRejected { reason: reason() },
        ClaimRefusal::Revoked => KioskError::ClaimRevoked { reason: reason() },
        ClaimRefusal::AlreadyUsed => KioskError::ClaimAlreadyUsed,
        ClaimRefusal::ToSeller => KioskError::ClaimToSeller,
        ClaimRefusal::NoReturn => KioskError::ClaimNoReturn,
        ClaimRefusal::CodeReplaced => KioskError::ClaimCodeReplaced,
        ClaimRefusal::Expired => KioskError::ClaimReturnExpired { deadline: return_deadline(claim).to_owned() },
    }
}
