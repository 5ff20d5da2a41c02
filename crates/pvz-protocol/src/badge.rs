//! Staff badges (бейдж курьера или водителя): a compact signed code `PVZE3.<body>` like the buyer's
//! pickup code (see [`crate::token`]; badges printed before it, `PVZE2.<claims>.<signature>`, are
//! still read), so nobody can print a badge in someone else's name.
//! It names the employee and the badge's number: the server counts an employee's badges up each
//! time it issues one, its feed carries the number of the current one
//! ([`crate::EmployeeWire::badge_serial`]), and a kiosk accepts only that badge. Issuing a new badge
//! is how a lost one is revoked, offline-first: a kiosk refuses the old badge as soon as its pull
//! brings the new number. The claims are kept small (no expiry) for the QR on a badge.

use crate::compact::{self, Reader, Writer};
use crate::token::{verify_json, PublicKey, TokenError};
use ed25519_dalek::SigningKey;
use pvz_domain::scan::{COMPACT_STAFF_BADGE_PREFIX, STAFF_BADGE_PREFIX};
use pvz_domain::EmployeeId;
use serde::{Deserialize, Serialize};

/// What a badge says: it is badge number `serial` of this employee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadgeClaims {
    #[serde(rename = "e")]
    pub employee_id: EmployeeId,
    /// The badge's number among the employee's badges, from 1; only the latest one is valid.
    #[serde(rename = "n")]
    pub serial: u32,
}

impl BadgeClaims {
    /// The compact badge (`PVZE3.`): the employee's id and the badge's number.
    pub fn sign(&self, key: &SigningKey) -> String {
        let mut claims = Writer::default();
        claims.id(self.employee_id.as_str()).unsigned(u64::from(self.serial));
        compact::sign(COMPACT_STAFF_BADGE_PREFIX, &claims.into_bytes(), key)
    }

    /// Checks the badge's shape and signature, a compact badge or one printed before. Whether it is
    /// the employee's current badge is the kiosk's check against its cached staff: the badge itself
    /// never expires.
    pub fn verify(token: &str, key: &PublicKey) -> Result<BadgeClaims, TokenError> {
        if !compact::has_prefix(token, COMPACT_STAFF_BADGE_PREFIX) {
            return verify_json(STAFF_BADGE_PREFIX, token, key);
        }
        let bytes = compact::verify(COMPACT_STAFF_BADGE_PREFIX, token, key)?;
        let mut reader = Reader::new(&bytes);
        let claims = BadgeClaims { employee_id: reader.id(EmployeeId::parse)?, serial: reader.u32()? };
        reader.finish()?;
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::sign_json;
    use crate::{ClaimReturnClaims, PickupClaims};
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    fn oleg(serial: u32) -> BadgeClaims {
        BadgeClaims { employee_id: EmployeeId::parse("driver-oleg").expect("id"), serial }
    }

    #[test]
    fn a_badge_round_trips_and_stays_small_enough_for_a_badge_qr() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let badge = oleg(3).sign(&key);
        assert!(badge.starts_with("PVZE3."), "badges carry their own prefix: {badge:.10}");
        assert_eq!(BadgeClaims::verify(&badge, &PublicKey::of(&key)), Ok(oleg(3)), "round trip");
        assert!(badge.len() <= 140, "a badge QR stays small: {} characters in {badge}", badge.len());
        assert!(
            matches!(pvz_domain::classify(&badge), pvz_domain::Scan::StaffBadge { ref token } if *token == badge),
            "a signed badge is read as a staff badge at the counter"
        );
    }

    #[test]
    fn a_badge_printed_before_compact_codes_is_still_read() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let printed = sign_json(STAFF_BADGE_PREFIX, &oleg(2), &key);
        assert!(printed.starts_with("PVZE2.eyJ"), "the earlier shape: {printed:.12}");
        assert_eq!(BadgeClaims::verify(&printed, &PublicKey::of(&key)), Ok(oleg(2)), "a printed badge keeps working");
        assert!(
            matches!(pvz_domain::classify(&printed), pvz_domain::Scan::StaffBadge { ref token } if *token == printed),
            "and is read as a staff badge at the counter"
        );
    }

    #[test]
    fn a_badge_signed_by_another_key_or_changed_is_a_bad_signature() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let other = SigningKey::from_bytes(&[8; 32]);
        assert_eq!(
            BadgeClaims::verify(&oleg(1).sign(&other), &PublicKey::of(&key)),
            Err(TokenError::BadSignature),
            "a badge printed with any key but the network's is refused"
        );
        let genuine = oleg(1).sign(&key);
        assert_eq!(
            BadgeClaims::verify(&crate::token::tests::tampered(&genuine, "PVZE3.".len()), &PublicKey::of(&key)),
            Err(TokenError::BadSignature),
            "a badge with a character of its employee's id changed is refused"
        );
    }

    #[test]
    fn an_earlier_badge_with_another_employee_or_number_written_in_is_a_bad_signature() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let public = PublicKey::of(&key);
        let genuine = sign_json(
            STAFF_BADGE_PREFIX,
            &BadgeClaims { employee_id: EmployeeId::parse("courier-ivan").expect("id"), serial: 1 },
            &key,
        );
        let (_, signature) = genuine.rsplit_once('.').expect("claims.signature");
        for (tampered, what) in [
            (r#"{"e":"driver-oleg","n":1}"#, "another employee's id"),
            (r#"{"e":"courier-ivan","n":2}"#, "a later badge number"),
        ] {
            let forged = format!("PVZE2.{}.{signature}", URL_SAFE_NO_PAD.encode(tampered));
            assert_eq!(
                BadgeClaims::verify(&forged, &public),
                Err(TokenError::BadSignature),
                "{what} under a genuine badge's signature must not verify"
            );
        }
    }

    #[test]
    fn a_badge_is_never_taken_for_another_signed_code_nor_they_for_a_badge() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let public = PublicKey::of(&key);
        let badge = oleg(1).sign(&key);
        assert_eq!(PickupClaims::verify(&badge, &public, 0), Err(TokenError::Malformed), "not a pickup code");
        assert_eq!(ClaimReturnClaims::verify(&badge, &public, 0), Err(TokenError::Malformed), "not a claim code");
        let relabelled = format!("PVZC2.{}", &badge["PVZE3.".len()..]);
        assert_eq!(
            ClaimReturnClaims::verify(&relabelled, &public, 0),
            Err(TokenError::BadSignature),
            "a badge's signed claims do not make a claim return code"
        );
        let pickup = PickupClaims {
            order_id: pvz_domain::OrderId::parse("ord-1").expect("id"),
            pickup_point_id: pvz_domain::PickupPointId::parse("pp-1").expect("id"),
            short_code: pvz_domain::ShortCode::parse("123456").expect("code"),
            expires_at: 2_000,
        };
        let relabelled = format!("PVZE3.{}", &pickup.sign(&key)["PVZ2.".len()..]);
        assert_eq!(
            BadgeClaims::verify(&relabelled, &public),
            Err(TokenError::BadSignature),
            "a pickup code's signed claims do not make a badge"
        );
        let earlier_pickup = sign_json("PVZ1.", &pickup, &key);
        let relabelled = format!("PVZE2.{}", &earlier_pickup["PVZ1.".len()..]);
        assert_eq!(
            BadgeClaims::verify(&relabelled, &public),
            Err(TokenError::Malformed),
            "an earlier pickup code's signed claims do not make a badge"
        );
        for junk in ["", "PVZE2.", "PVZE2.abc", "PVZE2.!!.??", "PVZE1:driver-oleg", "PVZE3.", "PVZE3.AB"] {
            assert_eq!(BadgeClaims::verify(junk, &public), Err(TokenError::Malformed), "{junk:?} is no badge");
        }
    }
}
