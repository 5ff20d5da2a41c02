//! Property tests of the parsers that read what comes from outside a kiosk or a server: signed
//! codes (buyer pickup codes, claim return codes, staff badges), the pinned key and the device
//! credential. Over arbitrary bytes, very long inputs and well-shaped forgeries none panics, and
//! every refusal names its reason.

use crate::sync::DeviceCredential;
use crate::{BadgeClaims, ClaimReturnClaims, PickupClaims, PublicKey, TokenError};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};
use proptest::prelude::*;

const PREFIXES: [&str; 3] = ["PVZ1.", "PVZC1.", "PVZE2."];
const COMPACT_PREFIXES: [&str; 3] = ["PVZ2.", "PVZC2.", "PVZE3."];

fn key() -> SigningKey {
    SigningKey::from_bytes(&[42; 32])
}

/// Every signed-code parser, given `text`: each either accepts it or says why not.
fn check_every_code_parser(text: &str) -> Result<(), TestCaseError> {
    let public = PublicKey::of(&key());
    let refusals: [Option<TokenError>; 3] = [
        PickupClaims::verify(text, &public, 0).err(),
        ClaimReturnClaims::verify(text, &public, 0).err(),
        BadgeClaims::verify(text, &public).err(),
    ];
    for refusal in refusals.into_iter().flatten() {
        prop_assert!(!refusal.to_string().is_empty(), "a refused code says why ({refusal:?})");
    }
    if let Err(refusal) = PublicKey::parse(text) {
        prop_assert!(!refusal.to_string().is_empty(), "a refused key says why");
    }
    if let Some(credential) = DeviceCredential::parse(text) {
        prop_assert_eq!(
            DeviceCredential::parse(&credential.to_text()),
            Some(credential),
            "an accepted credential reads back the same"
        );
    }
    Ok(())
}

/// Every signed-code parser refuses `forgery`, which the network did not sign, as a forgery.
fn check_never_accepted(forgery: &str) -> Result<(), TestCaseError> {
    let public = PublicKey::of(&key());
    for refusal in [
        PickupClaims::verify(forgery, &public, 0).err(),
        ClaimReturnClaims::verify(forgery, &public, 0).err(),
        BadgeClaims::verify(forgery, &public).err(),
    ] {
        prop_assert!(
            matches!(refusal, Some(TokenError::Malformed | TokenError::BadSignature)),
            "a code the network did not sign is never accepted: {forgery:?} gave {refusal:?}"
        );
    }
    Ok(())
}

/// A code's shape with any prefix, any claims and any signature bytes: it passes the shape check
/// and reaches the signature and the JSON.
fn well_shaped_forgery() -> impl Strategy<Value = String> {
    (
        prop::sample::select(PREFIXES.to_vec()),
        prop::collection::vec(any::<u8>(), 0..600),
        prop::collection::vec(any::<u8>(), 0..80),
    )
        .prop_map(|(prefix, claims, signature)| {
            format!("{prefix}{}.{}", URL_SAFE_NO_PAD.encode(claims), URL_SAFE_NO_PAD.encode(signature))
        })
}

/// A compact code's shape with any prefix and any bytes (claims and signature alike): it passes the
/// alphabet and reaches the signature and the fields.
fn compact_forgery() -> impl Strategy<Value = String> {
    (prop::sample::select(COMPACT_PREFIXES.to_vec()), prop::collection::vec(any::<u8>(), 0..400))
        .prop_map(|(prefix, bytes)| format!("{prefix}{}", crate::compact::encode(&bytes)))
}

/// Bytes the network's own key signed under a compact prefix that are not that code's fields: the
/// signature holds, so only the fields' reading can refuse them (or take them, if they happen to read).
fn compact_signed_garbage() -> impl Strategy<Value = String> {
    (prop::sample::select(COMPACT_PREFIXES.to_vec()), prop::collection::vec(any::<u8>(), 0..200))
        .prop_map(|(prefix, claims)| crate::compact::sign(prefix, &claims, &key()))
}

/// Bytes the network's own key signed that are not a code's claims (a key misused, or a field the
/// parser does not expect): the signature holds, so only the claims' parsing can refuse them.
fn signed_garbage() -> impl Strategy<Value = String> {
    (
        prop::sample::select(PREFIXES.to_vec()),
        prop_oneof![
            prop::collection::vec(any::<u8>(), 0..400),
            "\\{\"[a-z]{1,2}\":(\"[^\"]{0,40}\"|-?[0-9]{1,25}|null|true|\\[\\])\\}".prop_map(String::into_bytes),
        ],
    )
        .prop_map(|(prefix, claims)| {
            let signature = key().sign(&claims);
            format!("{prefix}{}.{}", URL_SAFE_NO_PAD.encode(&claims), URL_SAFE_NO_PAD.encode(signature.to_bytes()))
        })
}

proptest! {
    #[test]
    fn any_bytes_are_refused_with_a_reason_or_accepted(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        check_every_code_parser(&String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn any_text_is_refused_with_a_reason_or_accepted(text in any::<String>()) {
        check_every_code_parser(&text)?;
    }

    #[test]
    fn forged_codes_of_the_right_shape_are_refused_as_forgeries(forgery in well_shaped_forgery()) {
        check_never_accepted(&forgery)?;
    }

    #[test]
    fn signed_bytes_that_are_no_codes_claims_are_refused_as_malformed(
        code in prop_oneof![signed_garbage(), compact_signed_garbage()],
    ) {
        check_every_code_parser(&code)?;
    }

    #[test]
    fn forged_compact_codes_are_refused_as_forgeries(forgery in compact_forgery()) {
        check_never_accepted(&forgery)?;
        let scan = pvz_domain::classify(&forgery);
        prop_assert!(
            matches!(
                scan,
                pvz_domain::Scan::PickupToken { .. }
                    | pvz_domain::Scan::ClaimToken { .. }
                    | pvz_domain::Scan::StaffBadge { .. }
                    | pvz_domain::Scan::Unknown { .. }
            ),
            "a compact code's shape is read as a signed code or refused, never as an item: {forgery:?} gave {scan:?}"
        );
    }

    #[test]
    fn very_long_input_is_refused_without_panic(
        repeat in 1usize..40,
        chunk in "[A-Za-z0-9_.*+%-]{1,64}",
        prefix in prop::sample::select([PREFIXES, COMPACT_PREFIXES].concat()),
    ) {
        // Up to ~250 KB: longer than any body limit lets through, as a scanner stuck on repeat would send.
        let long = format!("{prefix}{}", chunk.repeat(repeat * 100));
        check_every_code_parser(&long)?;
    }
}
