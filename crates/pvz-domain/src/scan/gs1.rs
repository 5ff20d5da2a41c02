//! GS1 DataMatrix element strings of Честный ЗНАК marking: (01) GTIN-14 with a valid check digit,
//! (21) serial, then optionally (91) verification key and (92) or (93) crypto tail, GS-separated.
//! Anything else after the serial is rejected with a reason rather than guessed at.

use super::{ean, Scan, GS};

const SERIAL_MAX: usize = 20;

/// `None` when `text` does not open like a marking code ("01" + 14 digits + "21"); otherwise the
/// parsed code, or why it is not a valid one.
pub(super) fn parse(text: &str) -> Option<Result<Scan, String>> {
    // A scanner may send FNC1 in first position as a leading GS.
    let text = text.strip_prefix(GS).unwrap_or(text);
    let gtin = text.get(2..16)?;
    let opens_like_gs1 =
        text.starts_with("01") && gtin.bytes().all(|b| b.is_ascii_digit()) && text.get(16..18) == Some("21");
    if !opens_like_gs1 {
        return None;
    }
    let rest = text.get(18..)?;
    Some(parse_after_head(gtin, rest))
}

fn parse_after_head(gtin: &str, rest: &str) -> Result<Scan, String> {
    if !ean::has_valid_check_digit(gtin) {
        return Err("GTIN-14 check digit does not match".into());
    }
    let (serial, tail) = rest.split_once(GS).unwrap_or((rest, ""));
    if serial.is_empty() {
        return Err("GS1 serial (AI 21) is empty".into());
    }
    if serial.chars().count() > SERIAL_MAX {
        return Err("GS1 serial (AI 21) is longer than 20 characters; were the GS separators lost?".into());
    }
    check_printable("21", serial)?;

    let mut verification_key = None;
    let mut crypto = None;
    // Empty fields (a doubled or trailing GS) carry nothing and are skipped.
    for field in tail.split(GS).filter(|f| !f.is_empty()) {
        let mut chars = field.chars();
        let ai: String = chars.by_ref().take(2).collect();
        let value = chars.as_str();
        let (slot, len) = match ai.as_str() {
            "91" => (&mut verification_key, 4),
            "92" => (&mut crypto, 44),
            "93" => (&mut crypto, 4),
            _ => return Err(format!("unsupported GS1 application identifier {ai:?}")),
        };
        if slot.is_some() {
            return Err(format!("GS1 field (AI {ai}) is repeated or combined with another crypto tail"));
        }
        if value.chars().count() != len {
            return Err(format!("GS1 field (AI {ai}) must be {len} characters"));
        }
        check_printable(&ai, value)?;
        *slot = Some(value.to_owned());
    }
    Ok(Scan::Gs1 { gtin: gtin.to_owned(), serial: serial.to_owned(), verification_key, crypto })
}

fn check_printable(ai: &str, value: &str) -> Result<(), String> {
    if value.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        Ok(())
    } else {
        Err(format!("GS1 field (AI {ai}) holds a space or a character outside printable ASCII"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CRYPTO_44: &str = "Zm9yLXRlc3Rpbmctb25seS1ub3QtYS1yZWFsLXRhaWw=";

    fn gs1(gtin: &str, serial: &str, key: Option<&str>, crypto: Option<&str>) -> Option<Result<Scan, String>> {
        Some(Ok(Scan::Gs1 {
            gtin: gtin.into(),
            serial: serial.into(),
            verification_key: key.map(Into::into),
            crypto: crypto.map(Into::into),
        }))
    }

    fn why(text: &str) -> Option<Result<Scan, String>> {
        Some(Err(text.into()))
    }

    #[test]
    fn long_form_with_key_and_crypto() {
        assert_eq!(CRYPTO_44.len(), 44, "the sample crypto tail must be 44 characters");
        let code = format!("0104601234567893215Abc123XYZ01\u{1d}91EE06\u{1d}92{CRYPTO_44}");
        assert_eq!(
            parse(&code),
            gs1("04601234567893", "5Abc123XYZ01", Some("EE06"), Some(CRYPTO_44)),
            "01/21/91/92 parse into their fields"
        );
    }

    #[test]
    fn short_forms() {
        assert_eq!(
            parse("0104601234567893215Abc123XYZ01"),
            gs1("04601234567893", "5Abc123XYZ01", None, None),
            "01+21 alone is a code"
        );
        assert_eq!(
            parse("010460123456789321abcDEF\u{1d}93Ab+/"),
            gs1("04601234567893", "abcDEF", None, Some("Ab+/")),
            "AI 93 is a 4-char crypto tail"
        );
        assert_eq!(
            parse("\u{1d}010460123456789321abc\u{1d}"),
            gs1("04601234567893", "abc", None, None),
            "leading FNC1 and trailing GS are tolerated"
        );
    }

    #[test]
    fn non_gs1_text_is_not_claimed() {
        for text in
            ["", "01", "0104601234567893", "0104601234567893XX", "01046012345678a321x", "4600000000008", "01ЙЙЙЙЙЙЙ"]
        {
            assert_eq!(parse(text), None, "{text:?} does not open like a marking code");
        }
    }

    #[test]
    fn broken_codes_say_why() {
        assert_eq!(parse("010460123456789421abc"), why("GTIN-14 check digit does not match"), "bad GTIN check digit");
        assert_eq!(parse("010460123456789321\u{1d}91EE06"), why("GS1 serial (AI 21) is empty"), "empty serial");
        assert_eq!(
            parse(&format!("0104601234567893215Abc123XYZ0191EE0692{CRYPTO_44}")),
            why("GS1 serial (AI 21) is longer than 20 characters; were the GS separators lost?"),
            "a serial running into the next fields"
        );
        assert_eq!(
            parse("010460123456789321abc\u{1d}91EE0"),
            why("GS1 field (AI 91) must be 4 characters"),
            "short AI 91"
        );
        assert_eq!(
            parse("010460123456789321abc\u{1d}92short"),
            why("GS1 field (AI 92) must be 44 characters"),
            "short AI 92"
        );
        assert_eq!(
            parse("010460123456789321abc\u{1d}17250101"),
            why("unsupported GS1 application identifier \"17\""),
            "unknown AI"
        );
        assert_eq!(
            parse("010460123456789321abc\u{1d}9"),
            why("unsupported GS1 application identifier \"9\""),
            "truncated AI"
        );
        assert_eq!(
            parse("010460123456789321abc\u{1d}93AAAA\u{1d}93BBBB"),
            why("GS1 field (AI 93) is repeated or combined with another crypto tail"),
            "a repeated AI"
        );
        assert_eq!(
            parse("010460123456789321ab c"),
            why("GS1 field (AI 21) holds a space or a character outside printable ASCII"),
            "a space in the serial"
        );
        assert_eq!(
            parse("010460123456789321abc\u{1d}91ЁЁЁЁ"),
            why("GS1 field (AI 91) holds a space or a character outside printable ASCII"),
            "non-ASCII in a field"
        );
    }
}
