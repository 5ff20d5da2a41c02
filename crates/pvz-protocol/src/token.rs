//! Signed tokens a kiosk verifies offline with the server key it pinned at enrollment:
//! `<prefix><claims>.<signature>`, both parts base64url without padding, the signature an ed25519
//! signature of the claims bytes (JSON) by the server's key. The prefix says what a token is for
//! and is part of what a kiosk checks, so a pickup code can never pass for a claim return code:
//! - `PVZ1.`: a buyer's pickup code ([`PickupClaims`]);
//! - `PVZC1.`: a claim return code ([`ClaimReturnClaims`]);
//! - `PVZE2.`: a staff badge ([`crate::badge::BadgeClaims`]).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use pvz_domain::{ClaimId, CompensationKind, ItemId, Kopecks, OrderId, PickupPointId, ShortCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

const PREFIX: &str = "PVZ1.";
const CLAIM_PREFIX: &str = "PVZC1.";

/// What a pickup token says: this order may be issued at this pickup point until `expires_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickupClaims {
    #[serde(rename = "o")]
    pub order_id: OrderId,
    #[serde(rename = "p")]
    pub pickup_point_id: PickupPointId,
    #[serde(rename = "c")]
    pub short_code: ShortCode,
    /// Unix seconds.
    #[serde(rename = "e")]
    pub expires_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("not a token of this kind")]
    Malformed,
    #[error("the signature does not match the network's key")]
    BadSignature,
    #[error("the token expired at unix time {0}")]
    Expired(i64),
}

/// The server's verifying key as pinned by a kiosk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

impl PublicKey {
    pub fn parse(base64url: &str) -> Result<PublicKey, TokenError> {
        let bytes = URL_SAFE_NO_PAD.decode(base64url).map_err(|_| TokenError::Malformed)?;
        let array: [u8; 32] = bytes.try_into().map_err(|_| TokenError::Malformed)?;
        VerifyingKey::from_bytes(&array).map(PublicKey).map_err(|_| TokenError::Malformed)
    }

    pub fn of(signing: &SigningKey) -> PublicKey {
        PublicKey(signing.verifying_key())
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        self.0.as_bytes()
    }

    pub fn to_base64url(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0.as_bytes())
    }

    /// `signer` vouches for `next` as the network's next signing key: its signature (base64url) of
    /// [`ENDORSEMENT_CONTEXT`] and `next`'s bytes. A kiosk that pinned the signer's key checks it
    /// with [`PublicKey::verify_endorsement`] before trusting `next`.
    pub fn endorse(signer: &SigningKey, next: &PublicKey) -> String {
        URL_SAFE_NO_PAD.encode(signer.sign(&endorsement_message(next)).to_bytes())
    }

    /// Whether `endorsement` is this key's endorsement of `next`.
    pub fn verify_endorsement(&self, next: &PublicKey, endorsement: &str) -> Result<(), TokenError> {
        let bytes = URL_SAFE_NO_PAD.decode(endorsement).map_err(|_| TokenError::Malformed)?;
        let signature = Signature::from_slice(&bytes).map_err(|_| TokenError::Malformed)?;
        self.0.verify_strict(&endorsement_message(next), &signature).map_err(|_| TokenError::BadSignature)
    }
}

/// What an endorsement signs before the next key's bytes, so it can never pass for a token (whose
/// signed bytes are JSON) nor a token for an endorsement.
pub const ENDORSEMENT_CONTEXT: &[u8] = b"pvz-next-signing-key-1:";

fn endorsement_message(next: &PublicKey) -> Vec<u8> {
    [ENDORSEMENT_CONTEXT, next.0.as_bytes()].concat()
}

impl PickupClaims {
    pub fn sign(&self, key: &SigningKey) -> String {
        sign(PREFIX, self, key)
    }

    /// Checks shape, signature and expiry (`now` in unix seconds), in that order.
    pub fn verify(token: &str, key: &PublicKey, now: i64) -> Result<PickupClaims, TokenError> {
        let claims: PickupClaims = verify(PREFIX, token, key)?;
        check_expiry(claims.expires_at, now)?;
        Ok(claims)
    }
}

/// What a claim return code says: the seller approved claim `claim_id` about this item with this
/// compensation, and any pickup point may take the item back until `expires_at`. It names the item
/// (and its barcode) because the buyer may bring it to a point that never cached the order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimReturnClaims {
    #[serde(rename = "cl")]
    pub claim_id: ClaimId,
    #[serde(rename = "o")]
    pub order_id: OrderId,
    #[serde(rename = "i")]
    pub item_id: ItemId,
    #[serde(rename = "n")]
    pub item_name: String,
    #[serde(rename = "b", default, skip_serializing_if = "Option::is_none")]
    pub barcode: Option<String>,
    /// Refund or replacement: a missing part needs no item back and has no return code.
    #[serde(rename = "k")]
    pub compensation: CompensationKind,
    /// The refund the buyer gets; zero for a replacement.
    #[serde(rename = "a")]
    pub amount: Kopecks,
    /// Unix seconds: the return deadline (approval plus the network's return period).
    #[serde(rename = "e")]
    pub expires_at: i64,
    /// Which code of the claim this is: a change of route issues the next one, and the server refuses
    /// the items of codes issued before it. Codes from before route changes existed are the first.
    #[serde(rename = "g", default = "first_code_issue")]
    pub code_issue: u32,
}

/// The issue number of a claim's first return code.
pub fn first_code_issue() -> u32 {
    1
}

impl ClaimReturnClaims {
    pub fn sign(&self, key: &SigningKey) -> String {
        sign(CLAIM_PREFIX, self, key)
    }

    /// Checks shape, signature and expiry (`now` in unix seconds), in that order.
    pub fn verify(token: &str, key: &PublicKey, now: i64) -> Result<ClaimReturnClaims, TokenError> {
        let claims = ClaimReturnClaims::verify_signature(token, key)?;
        check_expiry(claims.expires_at, now)?;
        Ok(claims)
    }

    /// Checks shape and signature only: the server judges the expiry against the time the counter
    /// took the item, not the time the op arrived.
    pub fn verify_signature(token: &str, key: &PublicKey) -> Result<ClaimReturnClaims, TokenError> {
        verify(CLAIM_PREFIX, token, key)
    }
}

pub(crate) fn sign<T: Serialize>(prefix: &str, claims: &T, key: &SigningKey) -> String {
    let claims = serde_json::to_vec(claims).unwrap_or_default();
    let signature = key.sign(&claims);
    format!("{prefix}{}.{}", URL_SAFE_NO_PAD.encode(&claims), URL_SAFE_NO_PAD.encode(signature.to_bytes()))
}

pub(crate) fn verify<T: DeserializeOwned>(prefix: &str, token: &str, key: &PublicKey) -> Result<T, TokenError> {
    let (claims_bytes, signature) = split(prefix, token)?;
    key.0.verify_strict(&claims_bytes, &signature).map_err(|_| TokenError::BadSignature)?;
    serde_json::from_slice(&claims_bytes).map_err(|_| TokenError::Malformed)
}

/// A token's claims bytes and signature, if it has this prefix and the shape of a token.
fn split(prefix: &str, token: &str) -> Result<(Vec<u8>, Signature), TokenError> {
    let body = token.strip_prefix(prefix).ok_or(TokenError::Malformed)?;
    let (claims_b64, sig_b64) = body.split_once('.').ok_or(TokenError::Malformed)?;
    let claims_bytes = URL_SAFE_NO_PAD.decode(claims_b64).map_err(|_| TokenError::Malformed)?;
    let sig_bytes = URL_SAFE_NO_PAD.decode(sig_b64).map_err(|_| TokenError::Malformed)?;
    let sig_array: [u8; 64] = sig_bytes.try_into().map_err(|_| TokenError::Malformed)?;
    Ok((claims_bytes, Signature::from_bytes(&sig_array)))
}

fn check_expiry(expires_at: i64, now: i64) -> Result<(), TokenError> {
    if now >= expires_at {
        return Err(TokenError::Expired(expires_at));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(expires_at: i64) -> PickupClaims {
        PickupClaims {
            order_id: OrderId::parse("ord-1").expect("id"),
            pickup_point_id: PickupPointId::parse("pp-1").expect("id"),
            short_code: ShortCode::parse("123456").expect("code"),
            expires_at,
        }
    }

    #[test]
    fn an_endorsement_vouches_for_that_next_key_only_and_only_by_its_signer() {
        let current = SigningKey::from_bytes(&[7; 32]);
        let next = PublicKey::of(&SigningKey::from_bytes(&[8; 32]));
        let stranger = PublicKey::of(&SigningKey::from_bytes(&[9; 32]));
        let endorsement = PublicKey::endorse(&current, &next);
        let pinned = PublicKey::of(&current);
        assert_eq!(pinned.verify_endorsement(&next, &endorsement), Ok(()), "the signer's endorsement verifies");
        assert_eq!(
            pinned.verify_endorsement(&stranger, &endorsement),
            Err(TokenError::BadSignature),
            "it vouches for no other key"
        );
        assert_eq!(
            stranger.verify_endorsement(&next, &endorsement),
            Err(TokenError::BadSignature),
            "an endorsement checked against another key fails"
        );
        assert_eq!(pinned.verify_endorsement(&next, "not base64!"), Err(TokenError::Malformed), "garbage");
    }

    #[test]
    fn a_signed_token_verifies_with_the_pinned_key() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let token = claims(2_000).sign(&key);
        assert_eq!(PickupClaims::verify(&token, &PublicKey::of(&key), 1_000), Ok(claims(2_000)), "round trip");
    }

    #[test]
    fn another_key_or_a_changed_byte_is_a_bad_signature() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let other = SigningKey::from_bytes(&[8; 32]);
        let token = claims(2_000).sign(&other);
        assert_eq!(
            PickupClaims::verify(&token, &PublicKey::of(&key), 1_000),
            Err(TokenError::BadSignature),
            "foreign key"
        );
        let forged = claims(9_000).sign(&other);
        let (_, forged_claims) = forged.split_at(PREFIX.len());
        let mixed = format!(
            "{PREFIX}{}.{}",
            forged_claims.split('.').next().unwrap_or(""),
            token.rsplit('.').next().unwrap_or("")
        );
        assert_eq!(
            PickupClaims::verify(&mixed, &PublicKey::of(&other), 1_000),
            Err(TokenError::BadSignature),
            "swapped claims"
        );
    }

    #[test]
    fn an_expired_token_is_refused_and_garbage_is_malformed() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let token = claims(2_000).sign(&key);
        assert_eq!(
            PickupClaims::verify(&token, &PublicKey::of(&key), 2_000),
            Err(TokenError::Expired(2_000)),
            "expiry"
        );
        for junk in ["", "PVZ1.", "PVZ1.abc", "PVZ1.!!.??", "XYZ1.a.b"] {
            assert_eq!(PickupClaims::verify(junk, &PublicKey::of(&key), 0), Err(TokenError::Malformed), "{junk:?}");
        }
    }

    fn claim_return(expires_at: i64) -> ClaimReturnClaims {
        ClaimReturnClaims {
            claim_id: ClaimId::parse("cl-1").expect("id"),
            order_id: OrderId::parse("ord-1").expect("id"),
            item_id: ItemId::parse("it-1").expect("id"),
            item_name: "Куртка зимняя".into(),
            barcode: Some("4601234567893".into()),
            compensation: CompensationKind::Refund,
            amount: Kopecks(459_000),
            expires_at,
            code_issue: 1,
        }
    }

    #[test]
    fn a_claim_return_code_verifies_and_is_never_taken_for_a_pickup_code() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let public = PublicKey::of(&key);
        let token = claim_return(2_000).sign(&key);
        assert!(token.starts_with("PVZC1."), "claim codes carry their own prefix: {token:.10}");
        assert_eq!(ClaimReturnClaims::verify(&token, &public, 1_000), Ok(claim_return(2_000)), "round trip");
        assert_eq!(
            ClaimReturnClaims::verify(&token, &public, 2_000),
            Err(TokenError::Expired(2_000)),
            "an expired claim code is refused"
        );
        assert_eq!(PickupClaims::verify(&token, &public, 1_000), Err(TokenError::Malformed), "not a pickup code");
        let pickup = claims(2_000).sign(&key);
        assert_eq!(
            ClaimReturnClaims::verify(&pickup, &public, 1_000),
            Err(TokenError::Malformed),
            "a pickup code is not a claim return code"
        );
        let relabelled = format!("PVZC1.{}", &pickup["PVZ1.".len()..]);
        assert_eq!(
            ClaimReturnClaims::verify(&relabelled, &public, 1_000),
            Err(TokenError::Malformed),
            "a pickup code's signed claims do not make a claim return code"
        );
    }
}
