//! What the counter reads off codes: signed codes (buyer pickup, claim return, staff badge) checked
//! with the server key pinned at enrollment or a later network key it vouched for, and item codes
//! matched against an item's barcode or mark by GTIN-14, so a Честный ЗНАК mark finds the item whose
//! EAN-13, EAN-8 or UPC-A names the same product (and the items of any order found by one).
//!
//! When the network rotates its key, the feed brings the key chain (`Change::SetServerKeys`): each
//! key endorsed by the one before. The kiosk trusts the keys after its pinned one whose
//! endorsements verify link by link from it, so a code signed by the new key is accepted before and
//! after the network switches to it, and a key the pinned one never vouched for never is.

pub mod qr;

use crate::error::{KioskError, Result};
use crate::kiosk::timestamp;
use crate::store::orders::ItemLookup;
use crate::store::return_items::{self, ReturnItemRow};
use crate::store::{orders, server_keys, settings, Db, ItemRef};
use crate::Kiosk;
use chrono::DateTime;
use pvz_domain::{classify, Scan};
use pvz_protocol::{Enrollment, PublicKey, ServerKeyWire, TokenError};

/// The server key pinned at enrollment, which signs buyer codes and claim return codes.
pub(crate) fn pinned_key(enrollment: &Enrollment) -> Result<PublicKey> {
    PublicKey::parse(&enrollment.server_public_key)
        .map_err(|_| KioskError::InvalidInput("the pinned server key is damaged".into()))
}

/// Checks a signed code with `verify`, by the pinned key and then each trusted later key: the first
/// key whose signature matches decides (an expired code stays expired). `what` names the code.
pub(crate) fn verify_signed<T>(
    conn: &Db<'_>,
    enrollment: &Enrollment,
    what: &str,
    verify: impl Fn(&PublicKey) -> std::result::Result<T, TokenError>,
) -> Result<T> {
    let mut outcome = verify(&pinned_key(enrollment)?);
    if matches!(outcome, Err(TokenError::BadSignature)) {
        for key in server_keys::list_trusted_keys(conn, &enrollment.server_public_key)? {
            let Ok(key) = PublicKey::parse(&key) else { continue };
            outcome = verify(&key);
            if !matches!(outcome, Err(TokenError::BadSignature)) {
                break;
            }
        }
    }
    outcome.map_err(|e| token_error(e, what))
}

/// Takes the network's key chain from the feed: trusts the keys after the pinned one, each
/// endorsed by the key before it. A link that does not verify ends the chain there (it and the keys
/// after it are refused, with a warning); a chain without the pinned key adds nothing. Returns how
/// many keys are trusted besides the pinned one.
pub(crate) fn trust_server_keys(conn: &Db<'_>, chain: &[ServerKeyWire]) -> Result<usize> {
    let Some(enrollment) = settings::get_enrollment(conn)? else { return Ok(0) };
    let trusted = endorsed_after(&pinned_key(&enrollment)?, chain);
    server_keys::replace_trusted_keys(conn, &enrollment.server_public_key, &trusted)?;
    Ok(trusted.len())
}

fn endorsed_after(pinned: &PublicKey, chain: &[ServerKeyWire]) -> Vec<String> {
    let Some(start) = chain.iter().position(|k| PublicKey::parse(&k.public_key).ok().as_ref() == Some(pinned)) else {
        tracing::warn!("the network's key chain does not hold the pinned key; no new key is trusted");
        return Vec::new();
    };
    let mut trusted = Vec::new();
    let mut signer = pinned.clone();
    for link in &chain[start + 1..] {
        let next = PublicKey::parse(&link.public_key)
            .ok()
            .filter(|next| link.endorsement.as_deref().is_some_and(|e| signer.verify_endorsement(next, e).is_ok()));
        let Some(next) = next else {
            tracing::warn!(key = %link.public_key, "refusing a network key whose endorsement does not verify");
            break;
        };
        trusted.push(next.to_base64url());
        signer = next;
    }
    trusted
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

/// An item code as the counter looks it up: the code (a barcode's text, or GTIN + serial of a
/// Честный ЗНАК mark), whether it is a mark, and the GTIN-14 it names, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ItemCode {
    pub code: String,
    pub is_mark: bool,
    /// A mark's (01), or an EAN-13, EAN-8 or UPC-A barcode's GTIN zero-padded to 14 digits.
    pub gtin: Option<String>,
}

impl ItemCode {
    /// A code as stored beside an item scanned earlier (a hand-back's, say).
    pub fn stored(code: &str, is_mark: bool) -> ItemCode {
        let gtin = if is_mark { code.get(..14).map(str::to_owned) } else { pvz_domain::gtin14(code) };
        ItemCode { code: code.to_owned(), is_mark, gtin }
    }

    /// How the store finds the items of this product: by GTIN when the code names one, else by the
    /// barcode's exact text.
    pub fn lookup(&self) -> ItemLookup<'_> {
        match &self.gtin {
            Some(gtin) => ItemLookup::Gtin(gtin),
            None => ItemLookup::Barcode(&self.code),
        }
    }

    /// The mark itself (GTIN + serial), to prefer the very unit when it is known.
    pub fn exact_mark(&self) -> Option<&str> {
        self.is_mark.then_some(self.code.as_str())
    }

    /// Whether this code is the item with this barcode and expected mark: the same mark, the same
    /// GTIN (a mark of the product, or its EAN-13 / EAN-8 / UPC-A however padded), or, for a code
    /// that names no GTIN, the same barcode text.
    pub fn matches(&self, barcode: Option<&str>, mark: Option<&str>) -> bool {
        if self.is_mark && mark == Some(self.code.as_str()) {
            return true;
        }
        match &self.gtin {
            Some(gtin) => orders::item_gtin(barcode, mark).as_deref() == Some(gtin.as_str()),
            None => barcode == Some(self.code.as_str()),
        }
    }
}

/// The oldest returned unit waiting to be boxed that `code` names: the very unit when the code is a
/// mark one of them carries; else one of the same product, by GTIN (a mark finds a unit known by its
/// EAN-13, EAN-8 or UPC-A, and a barcode a unit known by its mark) or, for a code naming no GTIN, by
/// the same text. A mark never picks a unit that carries another mark: that is another unit.
pub(crate) fn waiting_unit_by_code(conn: &Db<'_>, code: &ItemCode) -> Result<Option<ReturnItemRow>> {
    let mut waiting = return_items::list_waiting_return_items(conn)?;
    let very_unit = code.exact_mark().and_then(|mark| waiting.iter().position(|u| u.mark.as_deref() == Some(mark)));
    let found = very_unit.or_else(|| {
        waiting
            .iter()
            .position(|u| !(code.is_mark && u.mark.is_some()) && code.matches(u.barcode.as_deref(), u.mark.as_deref()))
    });
    Ok(found.map(|at| waiting.swap_remove(at)))
}

/// The code to look an item up by; `None` for scans that are not item codes.
pub(crate) fn item_lookup_key(scan: &Scan) -> Option<ItemCode> {
    let code = scan.item_code()?;
    Some(ItemCode { code, is_mark: matches!(scan, Scan::Gs1 { .. }), gtin: scan.gtin() })
}

impl Kiosk {
    /// Classifies a scanned item code and finds the items carrying it (any order).
    pub fn find_items_by_code(&self, input: &str) -> Result<Vec<ItemRef>> {
        let Some(code) = item_lookup_key(&classify(input)) else { return Ok(Vec::new()) };
        self.store.with_conn(|c| Ok(orders::find_items_by_code(c, code.lookup(), code.exact_mark())?))
    }
}
