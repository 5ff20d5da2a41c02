//! Scan parsing: any string a keyboard-wedge scanner or a person typed is cleaned by `normalize`
//! and classified by `classify` into exactly one `Scan`; neither ever panics, whatever the input.

mod ean;
mod gs1;
mod layout;

use crate::cells::CellLabel;
use crate::ids::{EmployeeId, ReturnBoxId, ReturnId, ShortCode};
use serde::Serialize;

/// GS (group separator, 0x1D): ends variable-length GS1 fields, so it survives cleaning.
const GS: char = '\u{1d}';
/// The buyer's pickup code before compact codes: "PVZ1." + base64url(JSON) + "." + base64url(signature).
pub const TOKEN_PREFIX: &str = "PVZ1.";
/// The claim return code before compact codes, shaped as [`TOKEN_PREFIX`]'s.
pub const CLAIM_TOKEN_PREFIX: &str = "PVZC1.";
/// The staff badge before compact codes: "PVZE2." + the same two base64url parts as a token, signed
/// by the network (see `pvz_protocol::BadgeClaims`).
pub const STAFF_BADGE_PREFIX: &str = "PVZE2.";
/// The compact buyer pickup code: "PVZ2." + one run of [`COMPACT_CODE_ALPHABET`] (see `pvz_protocol::compact`).
pub const COMPACT_TOKEN_PREFIX: &str = "PVZ2.";
/// The compact claim return code, shaped as [`COMPACT_TOKEN_PREFIX`]'s.
pub const COMPACT_CLAIM_TOKEN_PREFIX: &str = "PVZC2.";
/// The compact staff badge, shaped as [`COMPACT_TOKEN_PREFIX`]'s.
pub const COMPACT_STAFF_BADGE_PREFIX: &str = "PVZE3.";
/// The 41 characters a compact code's body is written in: all in a QR code's alphanumeric mode
/// (5.5 bits a character instead of 8), upper case only so a scanner with Caps Lock on still reads
/// it, and each typed by the same key under US-QWERTY and ЙЦУКЕН or undone by [`normalize`] ('.').
pub const COMPACT_CODE_ALPHABET: &[u8; 41] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.*+%";
/// The old unsigned badge, `PVZE1:<employee id>`: anyone could print one, so it is recognised only
/// to be refused with what to do instead.
pub const UNSIGNED_STAFF_BADGE_PREFIX: &str = "PVZE1:";
/// Printed on a return box's label: `PVZB1:<box id>:<item count>`.
pub const BOX_LABEL_PREFIX: &str = "PVZB1:";
/// Printed on a returned item's label: `PVZR1:<return id>`.
pub const RETURN_LABEL_PREFIX: &str = "PVZR1:";
/// Printed on a cell's shelf label: `PVZL1:<cell>` (`PVZL1:A-07`). A bare `A-07` would read as a
/// Code 128 item code, so the prefix tells a cell from an item.
pub const CELL_LABEL_PREFIX: &str = "PVZL1:";
const UNKNOWN_TEXT_MAX: usize = 200;
const ITEM_CODE_LEN: std::ops::RangeInclusive<usize> = 4..=48;

/// What a scanned or typed string is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scan {
    /// Buyer pickup token from the buyer's QR: compact "PVZ2." + [`COMPACT_CODE_ALPHABET`] text, or
    /// the earlier "PVZ1." + base64url(no pad) + "." + base64url(no pad). Only the shape is checked
    /// here; the signature is verified elsewhere.
    PickupToken { token: String },
    /// Код возврата по претензии: compact "PVZC2." or the earlier "PVZC1.", shaped as a pickup token's;
    /// signature checked elsewhere.
    ClaimToken { token: String },
    /// A courier's or driver's badge: compact "PVZE3." or the earlier "PVZE2.", shaped as a pickup
    /// token's; signature checked elsewhere.
    StaffBadge { token: String },
    /// An old unsigned badge (`PVZE1:<employee id>`), which proves nothing and is refused.
    UnsignedStaffBadge { employee_id: EmployeeId },
    /// A return box's label: the box and how many items it holds.
    BoxLabel { box_id: ReturnBoxId, items: u32 },
    /// A returned item's label.
    ReturnLabel { return_id: ReturnId },
    /// A cell's shelf label (ячейка), its address parsed.
    CellLabel { label: CellLabel },
    /// Код получения: the six-digit code a buyer dictates instead of showing the QR.
    ShortCode { code: ShortCode },
    /// EAN-13 with a valid check digit.
    Ean13 { code: String },
    /// GS1 DataMatrix (Честный ЗНАК marking): (01) GTIN-14, (21) serial, optional (91) key and
    /// (92) or (93) crypto tail.
    Gs1 { gtin: String, serial: String, verification_key: Option<String>, crypto: Option<String> },
    /// Any other printable-ASCII item code of 4..=48 characters (Code 128 text), e.g. "WB-SKU-000123".
    Code128 { code: String },
    /// Anything else: `text` is the cleaned input cut to 200 characters, `why` a short English reason.
    Unknown { text: String, why: String },
}

impl Scan {
    /// The GTIN-14 this code names, when it names one: a marking code's (01), or an EAN-13, EAN-8
    /// or UPC-A barcode with a valid check digit, zero-padded to 14 digits (see [`gtin14`]).
    pub fn gtin(&self) -> Option<String> {
        match self {
            Scan::Gs1 { gtin, .. } => Some(gtin.clone()),
            Scan::Ean13 { code } | Scan::Code128 { code } => gtin14(code),
            _ => None,
        }
    }

    /// The whole marking code in its canonical element string: `01` + GTIN, `21` + serial, then GS
    /// and `91` + key, GS and `92`/`93` + crypto tail, whichever were scanned. Whatever separator the
    /// scanner sent (GS, character 232, none, parentheses), the same unit gives the same text; `None`
    /// for any other scan.
    pub fn mark(&self) -> Option<String> {
        let Scan::Gs1 { gtin, serial, verification_key, crypto } = self else { return None };
        let mut mark = format!("01{gtin}21{serial}");
        if let Some(key) = verification_key {
            mark.push_str(&format!("{GS}91{key}"));
        }
        if let Some(crypto) = crypto {
            let ai = if crypto.len() == 4 { "93" } else { "92" };
            mark.push_str(&format!("{GS}{ai}{crypto}"));
        }
        Some(mark)
    }

    /// The code an item is looked up by: the EAN-13 digits, GTIN + serial of a marking code, or
    /// the Code 128 text; `None` for scans that are not item codes.
    pub fn item_code(&self) -> Option<String> {
        match self {
            Scan::Ean13 { code } | Scan::Code128 { code } => Some(code.clone()),
            Scan::Gs1 { gtin, serial, .. } => Some(format!("{gtin}{serial}")),
            Scan::PickupToken { .. }
            | Scan::ClaimToken { .. }
            | Scan::StaffBadge { .. }
            | Scan::UnsignedStaffBadge { .. }
            | Scan::BoxLabel { .. }
            | Scan::ReturnLabel { .. }
            | Scan::CellLabel { .. }
            | Scan::ShortCode { .. }
            | Scan::Unknown { .. } => None,
        }
    }
}

/// A barcode's GTIN-14: an EAN-8, UPC-A (12), EAN-13 or GTIN-14 with a valid check digit,
/// zero-padded on the left to 14 digits, so a marking code's GTIN-14 and the EAN-13 printed on the
/// same product compare equal. `None` for any other text.
pub fn gtin14(code: &str) -> Option<String> {
    let gtin_length = matches!(code.len(), 8 | 12 | 13 | 14);
    (gtin_length && ean::has_valid_check_digit(code)).then(|| format!("{code:0>14}"))
}

/// Cleans raw scanner or keyboard input: drops control characters except GS, turns the textual
/// stand-ins `<GS>` and `␝` into GS, undoes the ЙЦУКЕН layout, trims whitespace and strips AIM
/// symbology identifiers (`]d2`, `]C1`, `]Q3`, …) from the start. Idempotent.
pub fn normalize(raw: &str) -> String {
    let visible: String = raw.chars().filter(|&c| c == GS || !c.is_control()).collect();
    // The layout goes first so that a prefix or stand-in typed under ЙЦУКЕН is recognised too.
    let latin = layout::undo_russian(&visible);
    let with_gs = latin.replace("<GS>", "\u{1d}").replace('\u{241d}', "\u{1d}");
    strip_framing(&with_gs).to_owned()
}

/// Trims and strips AIM identifiers until neither applies, so cleaning twice changes nothing.
fn strip_framing(text: &str) -> &str {
    let mut text = text.trim();
    while let Some(rest) = strip_aim_prefix(text) {
        text = rest.trim();
    }
    text
}

/// `]` + symbology letter + modifier character, as scanners with AIM IDs enabled send first.
fn strip_aim_prefix(text: &str) -> Option<&str> {
    let mut chars = text.chars();
    match (chars.next(), chars.next(), chars.next()) {
        (Some(']'), Some(symbology), Some(modifier))
            if symbology.is_ascii_alphabetic() && modifier.is_ascii_alphanumeric() =>
        {
            Some(chars.as_str())
        }
        _ => None,
    }
}

/// Classifies `raw` after `normalize`: pickup or claim token, staff badge (signed, or an old unsigned
/// one), box, return or cell label,
/// short code, GS1 marking, EAN-13, Code 128 text, in that order; anything that fits none is `Unknown` with the reason.
pub fn classify(raw: &str) -> Scan {
    let text = normalize(raw);
    match classify_clean(&text) {
        Ok(scan) => scan,
        Err(why) => Scan::Unknown { text: text.chars().take(UNKNOWN_TEXT_MAX).collect(), why },
    }
}

fn classify_clean(text: &str) -> Result<Scan, String> {
    if text.is_empty() {
        return Err("empty input".into());
    }
    if let Some(scan) = compact_code(text) {
        return scan;
    }
    if let Some(parts) = text.strip_prefix(TOKEN_PREFIX) {
        // A damaged buyer QR must not be looked up as an item code, so it stops here.
        return if is_token_body(parts) {
            Ok(Scan::PickupToken { token: text.to_owned() })
        } else {
            Err("starts like a pickup token but is not PVZ1.<base64url>.<base64url>".into())
        };
    }
    if let Some(parts) = text.strip_prefix(CLAIM_TOKEN_PREFIX) {
        return if is_token_body(parts) {
            Ok(Scan::ClaimToken { token: text.to_owned() })
        } else {
            Err("starts like a claim return code but is not PVZC1.<base64url>.<base64url>".into())
        };
    }
    if let Some(parts) = text.strip_prefix(STAFF_BADGE_PREFIX) {
        return if is_token_body(parts) {
            Ok(Scan::StaffBadge { token: text.to_owned() })
        } else {
            Err("starts like a staff badge but is not PVZE2.<base64url>.<base64url>".into())
        };
    }
    if let Some(id) = text.strip_prefix(UNSIGNED_STAFF_BADGE_PREFIX) {
        let employee_id = EmployeeId::parse(id).map_err(|_| "an old staff badge with a damaged id".to_owned())?;
        return Ok(Scan::UnsignedStaffBadge { employee_id });
    }
    if let Some(rest) = text.strip_prefix(BOX_LABEL_PREFIX) {
        let parsed =
            rest.rsplit_once(':').and_then(|(id, count)| Some((ReturnBoxId::parse(id).ok()?, count.parse().ok()?)));
        let (box_id, items) = parsed.ok_or_else(|| "a box label that is not PVZB1:<box>:<count>".to_owned())?;
        return Ok(Scan::BoxLabel { box_id, items });
    }
    if let Some(id) = text.strip_prefix(RETURN_LABEL_PREFIX) {
        let return_id = ReturnId::parse(id).map_err(|_| "a return label with a damaged id".to_owned())?;
        return Ok(Scan::ReturnLabel { return_id });
    }
    if let Some(address) = text.strip_prefix(CELL_LABEL_PREFIX) {
        let label = CellLabel::parse(address).map_err(|e| format!("a cell label with a damaged address: {e}"))?;
        return Ok(Scan::CellLabel { label });
    }
    if let Some(code) = ShortCode::parse(text) {
        return Ok(Scan::ShortCode { code });
    }
    if let Some(marking) = gs1::parse(text) {
        return marking;
    }
    if ean::is_ean13_shape(text) {
        return if ean::has_valid_check_digit(text) {
            Ok(Scan::Ean13 { code: text.to_owned() })
        } else {
            Err("EAN-13 check digit does not match".into())
        };
    }
    code128(text)
}

/// Makes the scan of a signed code from its text.
type SignedScan = fn(String) -> Scan;

/// A compact signed code (`PVZ2.`, `PVZC2.`, `PVZE3.`), read in either case: a scanner with Caps
/// Lock on types it in lower case, and its alphabet has upper-case letters only. `None` when the
/// text starts with no compact prefix. A damaged code stops here too, never looked up as an item.
fn compact_code(text: &str) -> Option<Result<Scan, String>> {
    let upper = text.to_ascii_uppercase();
    let kinds: [(&str, &str, SignedScan); 3] = [
        (COMPACT_TOKEN_PREFIX, "a pickup token", |token| Scan::PickupToken { token }),
        (COMPACT_CLAIM_TOKEN_PREFIX, "a claim return code", |token| Scan::ClaimToken { token }),
        (COMPACT_STAFF_BADGE_PREFIX, "a staff badge", |token| Scan::StaffBadge { token }),
    ];
    let (prefix, what, scan) = kinds.into_iter().find(|(prefix, _, _)| upper.starts_with(prefix))?;
    let body = &upper[prefix.len()..];
    Some(if is_compact_body(body) {
        Ok(scan(upper.clone()))
    } else {
        Err(format!("starts like {what} but is not {prefix} and a compact code's characters"))
    })
}

/// Text of the compact alphabet whose length a whole number of bytes gives: 3 characters per two
/// bytes, 2 for a last odd byte.
fn is_compact_body(body: &str) -> bool {
    !body.is_empty() && body.len() % 3 != 1 && body.bytes().all(|b| COMPACT_CODE_ALPHABET.contains(&b))
}

/// Two non-empty base64url parts without padding; a length of 4n+1 can never be base64.
fn is_token_body(parts: &str) -> bool {
    let is_base64url = |part: &str| {
        !part.is_empty()
            && part.len() % 4 != 1
            && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    matches!(parts.split_once('.'), Some((claims, signature)) if is_base64url(claims) && is_base64url(signature))
}

fn code128(text: &str) -> Result<Scan, String> {
    if !text.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        return Err("not an item code: holds a space, a control or a non-ASCII character".into());
    }
    if text.len() < *ITEM_CODE_LEN.start() {
        return Err("too short for an item code (fewer than 4 characters)".into());
    }
    if text.len() > *ITEM_CODE_LEN.end() {
        return Err("too long for an item code (more than 48 characters)".into());
    }
    Ok(Scan::Code128 { code: text.to_owned() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const CRYPTO_44: &str = "Zm9yLXRlc3Rpbmctb25seS1ub3QtYS1yZWFsLXRhaWw=";
    const TOKEN: &str = "PVZ1.eyJvIjoiMSJ9.c2ln";
    const BADGE: &str = "PVZE2.eyJlIjoiY291cmllci03IiwibiI6MX0.c2ln";

    /// What each US-QWERTY key types under ЙЦУКЕН, written out pair by pair so the test does
    /// not lean on the tables it checks.
    #[rustfmt::skip]
    const RU_KEYS: &[(char, char)] = &[
        ('q', 'й'), ('w', 'ц'), ('e', 'у'), ('r', 'к'), ('t', 'е'), ('y', 'н'), ('u', 'г'), ('i', 'ш'),
        ('o', 'щ'), ('p', 'з'), ('[', 'х'), (']', 'ъ'), ('a', 'ф'), ('s', 'ы'), ('d', 'в'), ('f', 'а'),
        ('g', 'п'), ('h', 'р'), ('j', 'о'), ('k', 'л'), ('l', 'д'), (';', 'ж'), ('\'', 'э'), ('z', 'я'),
        ('x', 'ч'), ('c', 'с'), ('v', 'м'), ('b', 'и'), ('n', 'т'), ('m', 'ь'), (',', 'б'), ('.', 'ю'),
        ('`', 'ё'), ('{', 'Х'), ('}', 'Ъ'), (':', 'Ж'), ('"', 'Э'), ('<', 'Б'), ('>', 'Ю'), ('~', 'Ё'),
        ('/', '.'), ('?', ','), ('@', '"'), ('#', '№'), ('$', ';'), ('^', ':'), ('&', '?'),
    ];

    /// `latin` as the same keystrokes come out when the kiosk's keyboard layout is Russian.
    fn type_under_ru(latin: &str) -> String {
        latin
            .chars()
            .map(|c| {
                let lower = c.to_ascii_lowercase();
                match RU_KEYS.iter().find(|(us, _)| *us == lower) {
                    Some(&(_, ru)) if c.is_ascii_uppercase() => ru.to_uppercase().next().unwrap_or(ru),
                    Some(&(_, ru)) => ru,
                    None => c,
                }
            })
            .collect()
    }

    fn has_cyrillic(text: &str) -> bool {
        const CYRILLIC_BLOCKS: [(char, char); 4] =
            [('\u{400}', '\u{52f}'), ('\u{1c80}', '\u{1c8f}'), ('\u{2de0}', '\u{2dff}'), ('\u{a640}', '\u{a69f}')];
        text.chars().any(|c| CYRILLIC_BLOCKS.iter().any(|&(first, last)| (first..=last).contains(&c)))
    }

    fn unknown(text: &str, why: &str) -> Scan {
        Scan::Unknown { text: text.into(), why: why.into() }
    }

    /// EAN-13 check digit written the way the standard states it: weights 1, 3, 1, … from the left.
    fn ean13_check(first12: &str) -> char {
        let sum: u32 =
            first12.chars().filter_map(|c| c.to_digit(10)).zip([1, 3].into_iter().cycle()).map(|(d, w)| d * w).sum();
        char::from_digit((10 - sum % 10) % 10, 10).unwrap_or('?')
    }

    #[test]
    fn claim_codes_badges_and_labels_are_told_apart_from_item_codes() {
        assert_eq!(
            classify("PVZC1.eyJvIjoiMSJ9.c2ln"),
            Scan::ClaimToken { token: "PVZC1.eyJvIjoiMSJ9.c2ln".into() },
            "a claim return code"
        );
        assert_eq!(classify(BADGE), Scan::StaffBadge { token: BADGE.into() }, "a signed courier badge");
        assert_eq!(
            classify(&type_under_ru(BADGE)),
            Scan::StaffBadge { token: BADGE.into() },
            "a badge scanned under the Russian layout"
        );
        assert_eq!(Scan::StaffBadge { token: BADGE.into() }.item_code(), None, "a badge is not an item code");
        assert_eq!(
            classify("PVZE1:courier-7"),
            Scan::UnsignedStaffBadge { employee_id: EmployeeId::parse("courier-7").expect("id") },
            "an old unsigned badge is recognised, to be refused with what to do instead"
        );
        assert_eq!(
            classify(&type_under_ru("PVZE1:courier-7")),
            Scan::UnsignedStaffBadge { employee_id: EmployeeId::parse("courier-7").expect("id") },
            "an old badge typed under the Russian layout"
        );
        assert_eq!(
            classify("PVZB1:0192d4c8-0000-7000-8000-00000000000a:12"),
            Scan::BoxLabel {
                box_id: ReturnBoxId::parse("0192d4c8-0000-7000-8000-00000000000a").expect("id"),
                items: 12
            },
            "a box label"
        );
        assert_eq!(
            classify("PVZR1:ret-1"),
            Scan::ReturnLabel { return_id: ReturnId::parse("ret-1").expect("id") },
            "a return label"
        );
        for damaged in [
            "PVZC1.abc",
            "PVZE2.abc",
            "PVZE2.eyJlIjoiYSJ9.",
            "PVZE1:",
            "PVZE1:a b",
            "PVZB1:box",
            "PVZB1:box:x",
            "PVZR1:",
        ] {
            assert!(
                matches!(classify(damaged), Scan::Unknown { .. }),
                "{damaged:?} must be refused, not looked up as an item code"
            );
        }
    }

    #[test]
    fn cell_labels_carry_their_prefix_and_a_bare_address_stays_an_item_code() {
        let a07 = Scan::CellLabel { label: CellLabel::parse("A-07").expect("label") };
        assert_eq!(classify("PVZL1:A-07"), a07, "a printed shelf label");
        assert_eq!(classify("PVZL1:a-7\r\n"), a07, "read in its canonical form, framing dropped");
        assert_eq!(classify(&type_under_ru("PVZL1:A-07")), a07, "a label scanned under the Russian layout");
        assert_eq!(a07.item_code(), None, "a cell label is not an item code");
        assert_eq!(classify("A-07"), Scan::Code128 { code: "A-07".into() }, "a bare address is Code 128 text");
        for damaged in ["PVZL1:", "PVZL1:A07", "PVZL1:AB-07", "PVZL1:A-1000"] {
            assert!(
                matches!(classify(damaged), Scan::Unknown { ref why, .. } if why.contains("cell label")),
                "{damaged:?} must be refused as a damaged cell label, not looked up as an item code"
            );
        }
    }

    #[test]
    fn chestny_znak_marking_survives_scanner_framing() {
        let bare = format!("0104601234567893215Abc123XYZ01\u{1d}91EE06\u{1d}92{CRYPTO_44}");
        let expected = Scan::Gs1 {
            gtin: "04601234567893".into(),
            serial: "5Abc123XYZ01".into(),
            verification_key: Some("EE06".into()),
            crypto: Some(CRYPTO_44.into()),
        };
        let framings = [
            bare.clone(),
            format!("]d2{bare}"),
            format!("{bare}\r\n"),
            format!("]d2{bare}\r\n"),
            bare.replace('\u{1d}', "<GS>"),
            bare.replace('\u{1d}', "\u{241d}"),
            type_under_ru(&format!("]d2{bare}")),
        ];
        for scanned in framings {
            assert_eq!(classify(&scanned), expected, "{scanned:?} must parse as the same marking code");
        }
        assert_eq!(
            expected.item_code().as_deref(),
            Some("046012345678935Abc123XYZ01"),
            "a marking code is looked up by GTIN + serial"
        );
    }

    #[test]
    fn a_marking_code_with_character_232_or_no_separator_typed_under_ru_decodes() {
        let with_gs = format!("0104601234567893215Abc123XYZ01\u{1d}91EE06\u{1d}92{CRYPTO_44}");
        let expected = classify(&with_gs);
        assert!(matches!(expected, Scan::Gs1 { .. }), "the reference code is a marking code: {expected:?}");
        for scanned in [
            with_gs.replace('\u{1d}', "\u{e8}"),
            with_gs.replace('\u{1d}', ""),
            type_under_ru(&with_gs.replace('\u{1d}', "\u{e8}")),
            type_under_ru(&format!("]d2{}\r\n", with_gs.replace('\u{1d}', ""))),
        ] {
            assert_eq!(classify(&scanned), expected, "{scanned:?} must decode to the same marking code");
            assert_eq!(classify(&scanned).mark(), Some(with_gs.clone()), "{scanned:?} is recorded with GS kept");
        }
    }

    #[test]
    fn a_marking_code_names_the_gtin_of_the_barcodes_on_the_same_product() {
        let mark = classify("0104601234567893215Abc123XYZ01");
        assert_eq!(mark.gtin().as_deref(), Some("04601234567893"), "a mark's GTIN is its (01)");
        assert_eq!(
            classify("4601234567893").gtin().as_deref(),
            Some("04601234567893"),
            "an EAN-13 is the GTIN-14 with a leading zero"
        );
        assert_eq!(gtin14("96385074"), Some("00000096385074".into()), "an EAN-8 pads to 14 digits");
        assert_eq!(gtin14("036000291452"), Some("00036000291452".into()), "a UPC-A pads to 14 digits");
        assert_eq!(gtin14("04601234567893"), Some("04601234567893".into()), "a GTIN-14 stays itself");
        assert_eq!(
            classify("96385074").gtin(),
            Some("00000096385074".into()),
            "an EAN-8, read as Code 128 text, still names its GTIN"
        );
        for not_gtin in ["96385075", "036000291453", "4601234567890", "WB-SKU-000123", "123456789", "046012345678931"] {
            assert_eq!(gtin14(not_gtin), None, "{not_gtin:?} has no GTIN (wrong check digit or length, or not digits)");
        }
        assert_eq!(classify("WB-SKU-000123").gtin(), None, "Code 128 text names no GTIN");
        assert_eq!(classify("4601234567893").mark(), None, "a barcode is not a marking code");
    }

    #[test]
    fn broken_marking_codes_are_unknown() {
        assert_eq!(
            classify("0104601234567894215Abc123XYZ01"),
            unknown("0104601234567894215Abc123XYZ01", "GTIN-14 check digit does not match"),
            "a GTIN-14 with a wrong check digit is not a marking code"
        );
    }

    #[test]
    fn ean13_needs_a_matching_check_digit() {
        for code in ["4600000000008", "4601234567893", "4607001770015", "4820123456784"] {
            assert_eq!(classify(code), Scan::Ean13 { code: code.into() }, "{code} has a valid check digit");
            assert_eq!(
                classify(&format!("]E0{code}\r")).item_code().as_deref(),
                Some(code),
                "{code} is looked up by its digits"
            );
        }
        assert_eq!(
            classify("4601234567890"),
            unknown("4601234567890", "EAN-13 check digit does not match"),
            "a wrong check digit is reported, not taken as Code 128"
        );
    }

    #[test]
    fn pickup_token_is_recognised_in_either_layout() {
        let expected = Scan::PickupToken { token: TOKEN.into() };
        let typed_ru = type_under_ru(TOKEN);
        assert_eq!(typed_ru, "ЗМЯ1юунОмШощшЬЫО9юс2дт", "the helper types the token as a Russian keyboard would");
        assert_eq!(classify(TOKEN), expected, "a well-formed token is a pickup token");
        assert_eq!(classify(&typed_ru), expected, "the same keystrokes under ЙЦУКЕН give the same token");
        assert_eq!(classify(&format!("]Q1{TOKEN}\n")), expected, "a QR AIM prefix and newline are dropped");
        assert_eq!(expected.item_code(), None, "a token is not an item code");
    }

    #[test]
    fn compact_codes_are_told_apart_in_either_layout_and_case() {
        let body = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.*+%ABC";
        for (prefix, expected) in [
            ("PVZ2.", Scan::PickupToken { token: format!("PVZ2.{body}") }),
            ("PVZC2.", Scan::ClaimToken { token: format!("PVZC2.{body}") }),
            ("PVZE3.", Scan::StaffBadge { token: format!("PVZE3.{body}") }),
        ] {
            let code = format!("{prefix}{body}");
            assert_eq!(classify(&code), expected, "{code} is a compact signed code");
            assert_eq!(classify(&type_under_ru(&code)), expected, "{code} scanned under the Russian layout");
            assert_eq!(classify(&code.to_ascii_lowercase()), expected, "{code} scanned with Caps Lock on");
            assert_eq!(classify(&format!("]Q1{code}\r\n")), expected, "{code} with a QR AIM prefix and CR LF");
            assert_eq!(expected.item_code(), None, "a signed code is not an item code");
            for damaged in [prefix.to_owned(), format!("{prefix}ABCD"), format!("{prefix}AB/"), format!("{prefix}AB C")]
            {
                assert!(
                    matches!(classify(&damaged), Scan::Unknown { ref why, .. } if why.starts_with("starts like")),
                    "{damaged:?} must be refused as a damaged signed code, not looked up as an item code"
                );
            }
        }
    }

    #[test]
    fn malformed_tokens_are_unknown_not_item_codes() {
        for text in ["PVZ1.", "PVZ1.abc", "PVZ1.abcd.", "PVZ1.ab=c.def", "PVZ1.abcde.fghi", "PVZ1.ab.cd.ef"] {
            assert!(
                matches!(classify(text), Scan::Unknown { ref why, .. } if why.contains("pickup token")),
                "{text:?} must be rejected as a malformed pickup token"
            );
        }
    }

    #[test]
    fn short_codes_with_and_without_grouping() {
        let expected = ShortCode::parse("482137").map(|code| Scan::ShortCode { code });
        assert!(expected.is_some(), "482137 is a short code");
        for typed in ["482137", "482-137", "482 137", " 482137\r\n"] {
            assert_eq!(Some(classify(typed)), expected, "{typed:?} is the short code 482137");
        }
        assert_eq!(classify("482137").item_code(), None, "a short code is not an item code");
    }

    #[test]
    fn code128_item_codes() {
        let expected = Scan::Code128 { code: "WB-SKU-000123".into() };
        assert_eq!(classify("WB-SKU-000123"), expected, "a marketplace SKU label is Code 128 text");
        assert_eq!(classify("]C1WB-SKU-000123\r\n"), expected, "the Code 128 AIM prefix is dropped");
        assert_eq!(classify(&type_under_ru("WB-SKU-000123")), expected, "a SKU typed under ЙЦУКЕН comes back");
        assert_eq!(expected.item_code().as_deref(), Some("WB-SKU-000123"), "Code 128 is looked up as is");
        assert_eq!(classify("460000000008"), Scan::Code128 { code: "460000000008".into() }, "12 digits are not EAN-13");
    }

    #[test]
    fn empty_and_junk_input_is_unknown() {
        for blank in ["", "   ", "\r\n", "\t \u{0}\u{3}", "]d2", " ]d2 \r"] {
            assert_eq!(classify(blank), unknown("", "empty input"), "{blank:?} carries nothing to classify");
        }
        assert!(
            matches!(classify("abc"), Scan::Unknown { ref why, .. } if why.contains("too short")),
            "3 characters are too short"
        );
        assert!(
            matches!(classify(&"A".repeat(49)), Scan::Unknown { ref why, .. } if why.contains("too long")),
            "49 characters are too long"
        );
        assert!(
            matches!(classify("WB SKU 1"), Scan::Unknown { ref why, .. } if why.contains("space")),
            "spaces are not Code 128 text"
        );
        assert!(
            matches!(classify("商品コード"), Scan::Unknown { ref why, .. } if why.contains("non-ASCII")),
            "non-ASCII is not Code 128 text"
        );
        let Scan::Unknown { text, .. } = classify(&"ä".repeat(500)) else { panic!("500 umlauts must be unknown") };
        assert_eq!(text.chars().count(), 200, "the text of an unknown scan is cut to 200 characters");
    }

    #[test]
    fn normalize_cleans_framing_but_keeps_gs() {
        assert_eq!(normalize("\u{2}]d2010\u{1d}21\u{3}\r\n"), "010\u{1d}21", "STX/ETX/CR/LF go, GS stays");
        assert_eq!(normalize("]d2]C1 abc"), "abc", "stacked AIM prefixes all go, so cleaning is idempotent");
        assert_eq!(normalize("a<GS>b\u{241d}c"), "a\u{1d}b\u{1d}c", "textual GS stand-ins become GS");
        assert_eq!(normalize("ab]d2"), "ab]d2", "an AIM-like sequence inside the code stays");
        assert_eq!(normalize("ф.,"), "a/?", "under ЙЦУКЕН, '.' and ',' go back to their keys");
        assert_eq!(normalize("a.,"), "a.,", "without Cyrillic, punctuation is left alone");
    }

    /// Strings a keyboard wedge plausibly produces: AIM prefixes, GS and its stand-ins, control
    /// characters, both layouts' letters and punctuation.
    fn scanner_like() -> impl Strategy<Value = String> {
        concat!(
            "(\\]d2|\\]C1|\\]Q3)?",
            "[0-9a-zA-Z<>GS\\x00-\\x1f\\x7f\u{241d} .,;:?\"№/_=+\\-\\]\\[",
            "йцукенгшщзхъфывапролджэячсмитьбюёЁХЪЖЭБЮ]{0,60}",
        )
    }

    /// GS1-shaped strings, so the marking-code parser's error paths are exercised too.
    fn gs1_like() -> impl Strategy<Value = String> {
        "\\x1d?01[0-9]{14}21[!-~ЁЙ]{0,24}(\\x1d(91|92|93|17)[!-~]{0,46}){0,3}\\x1d?"
    }

    proptest! {
        #[test]
        fn classify_never_panics(raw in any::<String>(), scanned in scanner_like(), marking in gs1_like()) {
            for text in [&raw, &scanned, &marking] {
                let scan = classify(text);
                if let Scan::Unknown { text, why } = &scan {
                    prop_assert!(text.chars().count() <= 200, "unknown text is cut to 200 characters");
                    prop_assert!(!why.is_empty(), "an unknown scan always says why");
                }
            }
        }

        #[test]
        fn arbitrary_bytes_and_very_long_scans_are_classified_or_refused_with_a_reason(
            bytes in prop::collection::vec(any::<u8>(), 0..3000),
            chunk in prop_oneof![scanner_like(), gs1_like(), "[!-~]{1,80}"],
            repeat in 1usize..200,
        ) {
            // Bytes as a wedge on a wrong code page sends them (Latin-1 232 for GS, say), and a scanner
            // stuck on repeat: up to ~16 KB of one pattern.
            let latin1: String = bytes.iter().map(|&b| char::from(b)).collect();
            for text in [String::from_utf8_lossy(&bytes).into_owned(), latin1, chunk.repeat(repeat)] {
                if let Scan::Unknown { text: shown, why } = classify(&text) {
                    prop_assert!(shown.chars().count() <= 200, "an unknown scan shows at most 200 characters");
                    prop_assert!(!why.is_empty(), "an unknown scan always says why");
                }
            }
        }

        #[test]
        fn normalize_is_idempotent_when_output_has_no_cyrillic(raw in prop_oneof![any::<String>(), scanner_like()]) {
            let once = normalize(&raw);
            prop_assume!(!has_cyrillic(&once));
            prop_assert_eq!(normalize(&once), once.clone(), "cleaning {:?} a second time must change nothing", raw);
        }

        #[test]
        fn normalize_is_idempotent_on_any_input(raw in prop_oneof![any::<String>(), scanner_like()]) {
            let once = normalize(&raw);
            prop_assert_eq!(normalize(&once), once.clone(), "cleaning {:?} a second time must change nothing", raw);
        }

        #[test]
        fn ean13_follows_its_check_digit(first12 in "[0-9]{12}", shift in 1u32..=9) {
            let check = ean13_check(&first12);
            let valid = format!("{first12}{check}");
            prop_assert_eq!(classify(&valid), Scan::Ean13 { code: valid.clone() }, "{} has a check digit", valid);
            let wrong_digit =
                check.to_digit(10).and_then(|d| char::from_digit((d + shift) % 10, 10)).unwrap_or('?');
            let wrong = format!("{first12}{wrong_digit}");
            prop_assert!(!matches!(classify(&wrong), Scan::Ean13 { .. }), "{} has a wrong check digit", wrong);
        }

        #[test]
        fn token_typed_under_ru_classifies_the_same(
            claims in "[A-Za-z0-9_-]{1,60}",
            signature in "[A-Za-z0-9_-]{1,90}",
        ) {
            let token = format!("PVZ1.{claims}.{signature}");
            let latin = classify(&token);
            prop_assert_eq!(classify(&type_under_ru(&token)), latin.clone(), "{} typed under ЙЦУКЕН", token);
            if claims.len() % 4 != 1 && signature.len() % 4 != 1 {
                prop_assert_eq!(latin, Scan::PickupToken { token: token.clone() }, "{} is a well-formed token", token);
            }
        }

        #[test]
        fn compact_code_typed_under_ru_or_with_caps_lock_classifies_the_same(
            prefix in prop::sample::select(vec![COMPACT_TOKEN_PREFIX, COMPACT_CLAIM_TOKEN_PREFIX, COMPACT_STAFF_BADGE_PREFIX]),
            body in "[0-9A-Z.*+%-]{1,320}",
        ) {
            let code = format!("{prefix}{body}");
            let latin = classify(&code);
            prop_assert_eq!(classify(&type_under_ru(&code)), latin.clone(), "{} typed under ЙЦУКЕН", code);
            let is_signed_code =
                matches!(latin, Scan::PickupToken { .. } | Scan::ClaimToken { .. } | Scan::StaffBadge { .. });
            prop_assert_eq!(is_signed_code, body.len() % 3 != 1, "{} is a signed code exactly when its length is whole bytes", code);
            let caps_lock = classify(&code.to_ascii_lowercase());
            if is_signed_code {
                prop_assert_eq!(caps_lock, latin, "{} typed with Caps Lock on", code);
            } else {
                prop_assert!(matches!(caps_lock, Scan::Unknown { .. }), "{} typed with Caps Lock on stays refused", code);
            }
        }

        #[test]
        fn base64url_text_typed_under_ru_classifies_the_same(latin in "[A-Za-z0-9_.-]{0,60}") {
            prop_assert_eq!(classify(&type_under_ru(&latin)), classify(&latin), "{} typed under ЙЦУКЕН", latin);
        }
    }
}
