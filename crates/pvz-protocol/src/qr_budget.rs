//! Each signed code fits the QR it is shown and printed in: version 10 at error correction M (57
//! modules a side; 311 characters in alphanumeric mode), which phone screens and cheap scanners
//! read at the first try. The worst cases are the longest fields the network issues; the figures
//! of the earlier JSON codes are printed beside (`cargo test -p pvz-protocol qr_budget -- --nocapture`).

use crate::token::sign_json;
use crate::{BadgeClaims, ClaimReturnClaims, PickupClaims};
use ed25519_dalek::SigningKey;
use pvz_domain::scan::{CLAIM_TOKEN_PREFIX, STAFF_BADGE_PREFIX, TOKEN_PREFIX};
use pvz_domain::{ClaimId, CompensationKind, EmployeeId, ItemId, Kopecks, OrderId, PickupPointId, ShortCode};
use qrcode::{EcLevel, QrCode, Version};

/// The QR version a text takes at error correction M, modes chosen as the renderers choose them.
fn version_at_m(text: &str) -> i16 {
    match QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map(|code| code.version()) {
        Ok(Version::Normal(version)) => version,
        other => panic!("{text} must make a normal QR code, got {other:?}"),
    }
}

/// Asserts that `compact` fits version 10-M, and reports it beside the earlier code.
fn assert_fits_version_10(what: &str, compact: &str, earlier: &str) {
    assert!(
        QrCode::with_version(compact.as_bytes(), Version::Normal(10), EcLevel::M).is_ok(),
        "{what}: {} characters must fit a version-10 QR at M: {compact}",
        compact.len()
    );
    let (now, before) = (version_at_m(compact), version_at_m(earlier));
    assert!(now <= 10, "{what} takes version {now}");
    assert!(compact.len() < earlier.len(), "{what} is shorter than the earlier code");
    eprintln!(
        "{what}: {} characters, QR version {before} at M before; {} characters, version {now} now",
        earlier.len(),
        compact.len()
    );
}

/// The server's own ids: a prefix and a UUID's 32 hex digits.
fn server_id(prefix: &str, suffix: &str) -> String {
    format!("{prefix}0192d4c8a0b07c3e9f00112233445566{suffix}")
}

fn key() -> SigningKey {
    SigningKey::from_bytes(&[42; 32])
}

#[test]
fn a_pickup_code_with_the_longest_ids_fits_version_10() {
    let claims = PickupClaims {
        order_id: OrderId::parse(&"o".repeat(64)).expect("id"),
        pickup_point_id: PickupPointId::parse(&"p".repeat(64)).expect("id"),
        short_code: ShortCode::parse("999999").expect("code"),
        expires_at: 4_102_444_800,
    };
    assert_fits_version_10(
        "pickup code, 64-character ids",
        &claims.sign(&key()),
        &sign_json(TOKEN_PREFIX, &claims, &key()),
    );
    let usual = PickupClaims {
        order_id: OrderId::parse(&server_id("ord-", "")).expect("id"),
        pickup_point_id: PickupPointId::parse("pp-msk-0042").expect("id"),
        ..claims
    };
    assert_fits_version_10(
        "pickup code, the server's ids",
        &usual.sign(&key()),
        &sign_json(TOKEN_PREFIX, &usual, &key()),
    );
}

#[test]
fn a_claim_return_code_of_the_largest_claim_fits_version_10() {
    let name = "Куртка зимняя мужская с капюшоном, удлинённая, размер 52-54, тёмно-синяя";
    let worst = ClaimReturnClaims {
        claim_id: ClaimId::parse(&server_id("clm-", "")).expect("id"),
        order_id: OrderId::parse(&server_id("ord-", "")).expect("id"),
        item_id: ItemId::parse(&server_id("itm-", "-99")).expect("id"),
        item_name: Some(name.to_owned()),
        barcode: Some("04601234567893".into()),
        compensation: CompensationKind::Refund,
        amount: Kopecks(i64::MAX),
        expires_at: 4_102_444_800,
        code_issue: u32::MAX,
    };
    let earlier = sign_json(CLAIM_TOKEN_PREFIX, &worst, &key());
    assert_fits_version_10("claim return code, the server's ids", &worst.sign(&key()), &earlier);
    let usual = ClaimReturnClaims {
        item_name: Some("Куртка зимняя".to_owned()),
        amount: Kopecks(459_000),
        expires_at: 1_797_000_000,
        code_issue: 1,
        ..worst.clone()
    };
    let earlier = sign_json(CLAIM_TOKEN_PREFIX, &usual, &key());
    assert_fits_version_10("claim return code, a usual claim", &usual.sign(&key()), &earlier);
    let long_ids = ClaimReturnClaims {
        claim_id: ClaimId::parse(&"c".repeat(40)).expect("id"),
        order_id: OrderId::parse(&"o".repeat(40)).expect("id"),
        item_id: ItemId::parse(&"i".repeat(40)).expect("id"),
        ..worst
    };
    let earlier = sign_json(CLAIM_TOKEN_PREFIX, &long_ids, &key());
    assert_fits_version_10("claim return code, 40-character ids", &long_ids.sign(&key()), &earlier);
}

#[test]
fn a_badge_with_the_longest_id_fits_version_10() {
    let claims = BadgeClaims { employee_id: EmployeeId::parse(&"e".repeat(64)).expect("id"), serial: u32::MAX };
    assert_fits_version_10(
        "staff badge, a 64-character id",
        &claims.sign(&key()),
        &sign_json(STAFF_BADGE_PREFIX, &claims, &key()),
    );
    let usual =
        BadgeClaims { employee_id: EmployeeId::parse("0192d4c8-a0b0-7c3e-9f00-112233445566").expect("id"), serial: 3 };
    assert_fits_version_10(
        "staff badge, the server's ids",
        &usual.sign(&key()),
        &sign_json(STAFF_BADGE_PREFIX, &usual, &key()),
    );
}
