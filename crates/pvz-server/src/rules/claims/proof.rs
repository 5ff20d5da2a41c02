//! The proof a claim return carries (protocol 4): the claim return code the counter scanned. A
//! refund or a replacement is owed only for an item whose buyer showed the code the network signed
//! for that claim; without it one compromised device could take back (and refund) any claim. The
//! code must verify with one of the network's keys (a rotation keeps older keys' codes valid), name
//! the op's claim, order, item, compensation, amount and code issue, and not have expired when the
//! counter took the item.

use super::ClaimReturn;
use crate::rules::Rejection;
use pvz_domain::ClaimId;
use pvz_protocol::sync::reject;
use pvz_protocol::{ClaimReturnClaims, PublicKey};

/// A code longer than this is no code the network issues (they are a few hundred bytes).
const MAX_CODE_BYTES: usize = 4096;

/// What the server checks a claim return's code with.
#[derive(Debug, Clone)]
pub struct Proof<'a> {
    /// The code the op carries; `None` for an op of a kiosk before protocol 4.
    pub code: Option<&'a str>,
    /// Every key the network has signed with, the active one and those before and after it.
    pub keys: &'a [PublicKey],
    /// Unix seconds, server clock: when the counter took the item (the op's time corrected by the
    /// device's clock offset), or when the push arrived if the op's time is unreadable.
    pub taken_at: i64,
}

/// The code's claims if it proves this claim return; the rejection that says why not otherwise.
pub fn check_claim_code(
    claim_id: &ClaimId,
    op: &ClaimReturn<'_>,
    proof: &Proof<'_>,
) -> Result<ClaimReturnClaims, Rejection> {
    let Some(code) = proof.code else {
        return Err(Rejection::new(
            reject::CLAIM_CODE_MISSING,
            "the claim return carries no claim return code (queued by an older kiosk): nothing is paid; \
             the item is at the point and a person settles the claim",
        ));
    };
    let invalid = || Rejection::new(reject::CLAIM_CODE_INVALID, "the claim return code is not one this network signed");
    if code.len() > MAX_CODE_BYTES {
        return Err(invalid());
    }
    let claims =
        proof.keys.iter().find_map(|key| ClaimReturnClaims::verify_signature(code, key).ok()).ok_or_else(invalid)?;
    let names_this = claims.claim_id == *claim_id
        && claims.order_id == *op.order_id
        && claims.item_id == *op.item_id
        && claims.compensation == op.compensation
        && claims.amount == op.amount
        && claims.code_issue == op.code_issue;
    if !names_this {
        return Err(Rejection::new(
            reject::CLAIM_CODE_MISMATCH,
            format!(
                "the code is for item {} of order {} on claim {} (issue {}), not what the op says",
                claims.item_id, claims.order_id, claims.claim_id, claims.code_issue
            ),
        ));
    }
    if proof.taken_at >= claims.expires_at {
        return Err(Rejection::new(
            reject::CLAIM_RETURN_EXPIRED,
            "the item came after its claim return code expired (by the counter's clock corrected to the server's)",
        ));
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::SigningKey;
    use pvz_domain::{CompensationKind, ItemId, Kopecks, OrderId};

    fn code_claims() -> ClaimReturnClaims {
        ClaimReturnClaims {
            claim_id: ClaimId::parse("cl-1").expect("id"),
            order_id: OrderId::parse("o-1").expect("id"),
            item_id: ItemId::parse("i-1").expect("id"),
            item_name: None,
            barcode: None,
            compensation: CompensationKind::Refund,
            amount: Kopecks(5_000),
            expires_at: 2_000,
            code_issue: 2,
        }
    }

    fn check(code: Option<&str>, keys: &[PublicKey], taken_at: i64, amount: i64) -> Result<(), &'static str> {
        let (order, item) = (OrderId::parse("o-1").expect("id"), ItemId::parse("i-1").expect("id"));
        let op = ClaimReturn {
            order_id: &order,
            item_id: &item,
            compensation: CompensationKind::Refund,
            amount: Kopecks(amount),
            code_issue: 2,
            taken_at: Some(taken_at),
        };
        let claim = ClaimId::parse("cl-1").expect("id");
        check_claim_code(&claim, &op, &Proof { code, keys, taken_at }).map(|_| ()).map_err(|r| r.code)
    }

    #[test]
    fn a_code_proves_a_claim_return_only_when_signed_for_it_and_not_expired() {
        let (old, new) = (SigningKey::from_bytes(&[1; 32]), SigningKey::from_bytes(&[2; 32]));
        let keys = [PublicKey::of(&old), PublicKey::of(&new)];
        let by_old_key = code_claims().sign(&old);
        assert_eq!(check(Some(&by_old_key), &keys, 1_000, 5_000), Ok(()), "a code of an earlier key still proves");
        assert_eq!(check(Some(&code_claims().sign(&new)), &keys, 1_000, 5_000), Ok(()), "so does the active key's");
        assert_eq!(check(None, &keys, 1_000, 5_000), Err(reject::CLAIM_CODE_MISSING), "no code");
        let forged = code_claims().sign(&SigningKey::from_bytes(&[3; 32]));
        assert_eq!(check(Some(&forged), &keys, 1_000, 5_000), Err(reject::CLAIM_CODE_INVALID), "another key");
        assert_eq!(check(Some("PVZC1.abc.def"), &keys, 1_000, 5_000), Err(reject::CLAIM_CODE_INVALID), "garbage");
        let long = "PVZC1.".to_owned() + &"a".repeat(MAX_CODE_BYTES);
        assert_eq!(check(Some(&long), &keys, 1_000, 5_000), Err(reject::CLAIM_CODE_INVALID), "too long");
        assert_eq!(
            check(Some(&by_old_key), &keys, 1_000, 6_000),
            Err(reject::CLAIM_CODE_MISMATCH),
            "an op that says more than its code"
        );
        let other = ClaimReturnClaims { claim_id: ClaimId::parse("cl-2").expect("id"), ..code_claims() }.sign(&new);
        assert_eq!(check(Some(&other), &keys, 1_000, 5_000), Err(reject::CLAIM_CODE_MISMATCH), "another claim");
        let earlier_issue = ClaimReturnClaims { code_issue: 1, ..code_claims() }.sign(&new);
        assert_eq!(check(Some(&earlier_issue), &keys, 1_000, 5_000), Err(reject::CLAIM_CODE_MISMATCH), "issue");
        assert_eq!(check(Some(&by_old_key), &keys, 2_000, 5_000), Err(reject::CLAIM_RETURN_EXPIRED), "expired");
    }
}
