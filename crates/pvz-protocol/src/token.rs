//! Signed tokens a kiosk verifies offline with the server key it pinned at enrollment. The server
//! issues compact codes (see [`crate::compact`] for their shape and why): `<prefix><body>` in the
//! characters of a QR code's alphanumeric mode. Codes issued before them are still read:
//! `<prefix><claims>.<signature>`, both parts base64url without padding, the signature an ed25519
//! signature of the claims bytes (JSON). A printed badge or a code on a buyer's phone keeps working.
//! The prefix says what a token is for and is part of what a kiosk checks, so a pickup code can
//! never pass for a claim return code:
//! - `PVZ2.` (earlier `PVZ1.`): a buyer's pickup code ([`PickupClaims`]);
//! - `PVZC2.` (earlier `PVZC1.`): a claim return code ([`ClaimReturnClaims`]);
//! - `PVZE3.` (earlier `PVZE2.`): a staff badge ([`crate::badge::BadgeClaims`]).

use crate::compact::{self, Reader, Writer};
pub use crate::key::{PublicKey, TokenError, ENDORSEMENT_CONTEXT};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signature, SigningKey};
use pvz_domain::scan::{CLAIM_TOKEN_PREFIX, COMPACT_CLAIM_TOKEN_PREFIX, COMPACT_TOKEN_PREFIX, TOKEN_PREFIX};
use pvz_domain::{ClaimId, CompensationKind, ItemId, Kopecks, OrderId, PickupPointId, ShortCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

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

impl PickupClaims {
    /// The compact code (`PVZ2.`): order, pickup point, short code (as a number), expiry.
    pub fn sign(&self, key: &SigningKey) -> String {
        let mut claims = Writer::default();
        let short_code = self.short_code.as_str().parse().unwrap_or(0);
        claims
            .id(self.order_id.as_str())
            .id(self.pickup_point_id.as_str())
            .unsigned(short_code)
            .signed(self.expires_at);
        compact::sign(COMPACT_TOKEN_PREFIX, &claims.into_bytes(), key)
    }

    /// Checks shape, signature and expiry (`now` in unix seconds), in that order; a compact code or
    /// one of the earlier JSON shape.
    pub fn verify(token: &str, key: &PublicKey, now: i64) -> Result<PickupClaims, TokenError> {
        let claims = if compact::has_prefix(token, COMPACT_TOKEN_PREFIX) {
            let bytes = compact::verify(COMPACT_TOKEN_PREFIX, token, key)?;
            let mut reader = Reader::new(&bytes);
            let claims = PickupClaims {
                order_id: reader.id(OrderId::parse)?,
                pickup_point_id: reader.id(PickupPointId::parse)?,
                short_code: reader
                    .u32()
                    .ok()
                    .filter(|code| *code < 1_000_000)
                    .and_then(|code| ShortCode::parse(&format!("{code:06}")))
                    .ok_or(TokenError::Malformed)?,
                expires_at: reader.signed()?,
            };
            reader.finish()?;
            claims
        } else {
            verify_json(TOKEN_PREFIX, token, key)?
        };
        check_expiry(claims.expires_at, now)?;
        Ok(claims)
    }
}

/// What a claim return code says: the seller approved claim `claim_id` about this item with this
/// compensation, and any pickup point may take the item back until `expires_at`. It names the item
/// by its ids and barcode because the buyer may bring it to a point that never cached the order;
/// the order id is what the counter's op names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimReturnClaims {
    #[serde(rename = "cl")]
    pub claim_id: ClaimId,
    #[serde(rename = "o")]
    pub order_id: OrderId,
    #[serde(rename = "i")]
    pub item_id: ItemId,
    /// The item's name, in codes issued before compact codes only: a compact code leaves it out to
    /// stay small, and the counter looks the name up.
    #[serde(rename = "n", default, skip_serializing_if = "Option::is_none")]
    pub item_name: Option<String>,
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
    /// The compact code (`PVZC2.`): claim, order and item ids, barcode, compensation, amount, expiry
    /// and code issue. The name is left out, whatever `item_name` holds.
    pub fn sign(&self, key: &SigningKey) -> String {
        let mut claims = Writer::default();
        claims
            .id(self.claim_id.as_str())
            .id(self.order_id.as_str())
            .id(self.item_id.as_str())
            .barcode(self.barcode.as_deref())
            .byte(compensation_byte(self.compensation))
            .signed(self.amount.0)
            .signed(self.expires_at)
            .unsigned(u64::from(self.code_issue));
        compact::sign(COMPACT_CLAIM_TOKEN_PREFIX, &claims.into_bytes(), key)
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
        if !compact::has_prefix(token, COMPACT_CLAIM_TOKEN_PREFIX) {
            return verify_json(CLAIM_TOKEN_PREFIX, token, key);
        }
        let bytes = compact::verify(COMPACT_CLAIM_TOKEN_PREFIX, token, key)?;
        let mut reader = Reader::new(&bytes);
        let claims = ClaimReturnClaims {
            claim_id: reader.id(ClaimId::parse)?,
            order_id: reader.id(OrderId::parse)?,
            item_id: reader.id(ItemId::parse)?,
            item_name: None,
            barcode: reader.barcode()?,
            compensation: compensation_of(reader.byte()?)?,
            amount: Kopecks(reader.signed()?),
            expires_at: reader.signed()?,
            code_issue: reader.u32()?,
        };
        reader.finish()?;
        Ok(claims)
    }
}

fn compensation_byte(kind: CompensationKind) -> u8 {
    match kind {
        CompensationKind::Refund => 0,
        CompensationKind::Replacement => 1,
        CompensationKind::MissingPart => 2,
    }
}

fn compensation_of(byte: u8) -> Result<CompensationKind, TokenError> {
    match byte {
        0 => Ok(CompensationKind::Refund),
        1 => Ok(CompensationKind::Replacement),
        2 => Ok(CompensationKind::MissingPart),
        _ => Err(TokenError::Malformed),
    }
}

/// A code of the earlier shape, `<prefix><base64url JSON>.<base64url signature>`: what the server
/// issued before compact codes. Tests sign such codes to show they are still read.
#[cfg(test)]
pub(crate) fn sign_json<T: Serialize>(prefix: &str, claims: &T, key: &SigningKey) -> String {
    let claims = serde_json::to_vec(claims).unwrap_or_default();
    let signature = ed25519_dalek::Signer::sign(key, &claims);
    format!("{prefix}{}.{}", URL_SAFE_NO_PAD.encode(&claims), URL_SAFE_NO_PAD.encode(signature.to_bytes()))
}

/// The claims of a code of the earlier JSON shape with this prefix, if `key` signed them.
pub(crate) fn verify_json<T: DeserializeOwned>(prefix: &str, token: &str, key: &PublicKey) -> Result<T, TokenError> {
    let (claims_bytes, signature) = split(prefix, token)?;
    key.verify_strict(&claims_bytes, &signature)?;
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
pub(crate) mod tests {
    use super::*;

    fn claims(expires_at: i64) -> PickupClaims {
        PickupClaims {
            order_id: OrderId::parse("ord-1").expect("id"),
            pickup_point_id: PickupPointId::parse("pp-1").expect("id"),
            short_code: ShortCode::parse("023456").expect("code"),
            expires_at,
        }
    }

    /// `token` with the character at `at` changed to the alphabet's next one.
    pub(crate) fn tampered(token: &str, at: usize) -> String {
        let alphabet = pvz_domain::scan::COMPACT_CODE_ALPHABET;
        let mut bytes = token.as_bytes().to_vec();
        let index = alphabet.iter().position(|&c| c == bytes[at]).expect("a character of the alphabet");
        bytes[at] = alphabet[(index + 1) % alphabet.len()];
        String::from_utf8(bytes).expect("ASCII")
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
    fn a_signed_token_is_compact_and_verifies_with_the_pinned_key() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let token = claims(2_000).sign(&key);
        assert!(token.starts_with("PVZ2."), "the server issues compact pickup codes: {token:.10}");
        assert_eq!(PickupClaims::verify(&token, &PublicKey::of(&key), 1_000), Ok(claims(2_000)), "round trip");
        assert_eq!(
            PickupClaims::verify(&token.to_ascii_lowercase(), &PublicKey::of(&key), 1_000),
            Ok(claims(2_000)),
            "read in lower case too, as a scanner with Caps Lock on types it"
        );
    }

    #[test]
    fn a_pickup_code_of_the_earlier_json_shape_is_still_read() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let earlier = sign_json(TOKEN_PREFIX, &claims(2_000), &key);
        assert!(earlier.starts_with("PVZ1.eyJ"), "the earlier shape: {earlier:.12}");
        assert_eq!(
            PickupClaims::verify(&earlier, &PublicKey::of(&key), 1_000),
            Ok(claims(2_000)),
            "a code already on a buyer's phone keeps working"
        );
    }

    #[test]
    fn another_key_or_a_changed_character_is_refused() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let other = SigningKey::from_bytes(&[8; 32]);
        let public = PublicKey::of(&key);
        assert_eq!(
            PickupClaims::verify(&claims(2_000).sign(&other), &public, 1_000),
            Err(TokenError::BadSignature),
            "foreign key"
        );
        let token = claims(2_000).sign(&key);
        for at in "PVZ2.".len()..token.len() {
            let forged = tampered(&token, at);
            assert!(
                matches!(
                    PickupClaims::verify(&forged, &public, 1_000),
                    Err(TokenError::BadSignature | TokenError::Malformed)
                ),
                "a code with character {at} changed must be refused: {forged}"
            );
        }
        assert_eq!(
            PickupClaims::verify(&tampered(&token, "PVZ2.".len()), &public, 1_000),
            Err(TokenError::BadSignature),
            "a changed order id under the genuine signature"
        );
        let relabelled = format!("PVZC2.{}", &token["PVZ2.".len()..]);
        assert_eq!(
            ClaimReturnClaims::verify(&relabelled, &public, 1_000),
            Err(TokenError::BadSignature),
            "the prefix is signed: a pickup code's claims do not make a claim return code"
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
        for junk in ["", "PVZ1.", "PVZ1.abc", "PVZ1.!!.??", "XYZ1.a.b", "PVZ2.", "PVZ2.0000", "PVZ2.ab/", "PVZ2.000"] {
            assert_eq!(PickupClaims::verify(junk, &PublicKey::of(&key), 0), Err(TokenError::Malformed), "{junk:?}");
        }
    }

    fn claim_return(expires_at: i64) -> ClaimReturnClaims {
        ClaimReturnClaims {
            claim_id: ClaimId::parse("cl-1").expect("id"),
            order_id: OrderId::parse("ord-1").expect("id"),
            item_id: ItemId::parse("it-1").expect("id"),
            item_name: None,
            barcode: Some("04601234567893".into()),
            compensation: CompensationKind::Refund,
            amount: Kopecks(459_000),
            expires_at,
            code_issue: 2,
        }
    }

    #[test]
    fn a_claim_return_code_verifies_without_the_name_and_is_never_taken_for_a_pickup_code() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let public = PublicKey::of(&key);
        let named = ClaimReturnClaims { item_name: Some("Куртка зимняя".into()), ..claim_return(2_000) };
        let token = named.sign(&key);
        assert!(token.starts_with("PVZC2."), "claim codes carry their own prefix: {token:.10}");
        assert_eq!(
            ClaimReturnClaims::verify(&token, &public, 1_000),
            Ok(claim_return(2_000)),
            "round trip, the name left out"
        );
        assert_eq!(
            ClaimReturnClaims::verify(&token, &public, 2_000),
            Err(TokenError::Expired(2_000)),
            "an expired claim code is refused"
        );
        assert_eq!(
            ClaimReturnClaims::verify(&tampered(&token, "PVZC2.".len() + 2), &public, 1_000),
            Err(TokenError::BadSignature),
            "a changed claim id under the genuine signature"
        );
        assert_eq!(PickupClaims::verify(&token, &public, 1_000), Err(TokenError::Malformed), "not a pickup code");
        let pickup = claims(2_000).sign(&key);
        assert_eq!(
            ClaimReturnClaims::verify(&pickup, &public, 1_000),
            Err(TokenError::Malformed),
            "a pickup code is not a claim return code"
        );
        let earlier_pickup = sign_json(TOKEN_PREFIX, &claims(2_000), &key);
        let relabelled = format!("PVZC1.{}", &earlier_pickup["PVZ1.".len()..]);
        assert_eq!(
            ClaimReturnClaims::verify(&relabelled, &public, 1_000),
            Err(TokenError::Malformed),
            "an earlier pickup code's signed claims do not make a claim return code"
        );
    }

    #[test]
    fn a_claim_return_code_of_the_earlier_json_shape_is_still_read_with_its_name() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let named = ClaimReturnClaims { item_name: Some("Куртка зимняя".into()), ..claim_return(2_000) };
        let earlier = sign_json(CLAIM_TOKEN_PREFIX, &named, &key);
        assert!(earlier.starts_with("PVZC1.eyJ"), "the earlier shape: {earlier:.12}");
        assert_eq!(
            ClaimReturnClaims::verify(&earlier, &PublicKey::of(&key), 1_000),
            Ok(named),
            "a code issued before compact codes keeps working, name and all"
        );
    }
}
