//! What the counter reads off codes: signed codes (buyer pickup, claim return) checked with the
//! server key pinned at enrollment, and item codes matched against an item's barcode or mark (and
//! the items of any order found by one).

pub mod qr;

use crate::error::{KioskError, Result};
use crate::kiosk::timestamp;
use crate::store::{orders, ItemRef};
use crate::Kiosk;
use chrono::DateTime;
use pvz_domain::{classify, Scan};
use pvz_protocol::{Enrollment, PublicKey, TokenError};

/// The server key pinned at enrollment, which signs buyer codes and claim return codes.
pub(crate) fn pinned_key(enrollment: &Enrollment) -> Result<PublicKey> {
    PublicKey::parse(&enrollment.server_public_key)
        .map_err(|_| KioskError::InvalidInput("the pinned server key is damaged".into()))
}

/// Why a signed code was refused; `what` names the code for a damaged one.
pub(crate) fn token_error(e: TokenError, what: &str) -> KioskError {
    match e {
        TokenError::Malformed => KioskError::UnknownCode { why: format!("damaged {what}") },
        TokenError::BadSignature => KioskError::BadSignature,
        TokenError::Expired(at) => {
            KioskError::TokenExpired { expired_at: DateTime::from_timestamp(at, 0).map(timestamp).unwrap_or_default() }
        }
    }
}

/// The code to look an item up by, and whether it is a Честный ЗНАК mark (else a barcode).
pub(crate) fn item_lookup_key(scan: &Scan) -> Option<(String, bool)> {
    scan.item_code().map(|code| (code, matches!(scan, Scan::Gs1 { .. })))
}

/// Whether a scanned item code (`code`, a mark when `is_mark`) is the item with this barcode and
/// mark: the same barcode, the same mark, or a mark whose GTIN is the item's EAN-13 (a GTIN-14 is an
/// EAN-13 with a leading zero).
pub(crate) fn code_matches(code: &str, is_mark: bool, barcode: Option<&str>, mark: Option<&str>) -> bool {
    if !is_mark {
        return barcode == Some(code);
    }
    let same_gtin = |barcode: &str| {
        code.get(..14).is_some_and(|gtin| gtin.trim_start_matches('0') == barcode.trim_start_matches('0'))
    };
    mark == Some(code) || barcode.is_some_and(same_gtin)
}

impl Kiosk {
    /// Classifies a scanned item code and finds the items carrying it (any order).
    pub fn find_items_by_code(&self, input: &str) -> Result<Vec<ItemRef>> {
        let Some((code, is_mark)) = item_lookup_key(&classify(input)) else { return Ok(Vec::new()) };
        self.store.with_conn(|c| Ok(orders::find_items_by_code(c, &code, is_mark)?))
    }
}
