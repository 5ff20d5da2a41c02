//! The return-logistics fee of a refusal, shared by the counter and the courier's hand-back.

use crate::error::{KioskError, Result};
use crate::store::{settings, Db};
use pvz_domain::{FeeDecision, FeePolicy, RefusalReason};

/// The return-logistics fee of a refusal, at the counter or in a courier's hand-back, fixed from the
/// policy in force now. A seller-fault refusal (a defect first of all) is free under any policy; a
/// buyer-side one waits for the policy rather than fixing a fee of 0 the server would reject after
/// the goods left.
pub(crate) fn refusal_fee(conn: &Db<'_>, category: &str, reason: RefusalReason) -> Result<FeeDecision> {
    match settings::get_fee_policy(conn)? {
        Some(policy) => Ok(policy.fee_for(category, reason)),
        None if reason.is_seller_fault() => Ok(FeePolicy::default().fee_for(category, reason)),
        None => Err(KioskError::FeePolicyMissing),
    }
}
