//! GS1 DataMatrix element strings of Честный ЗНАК marking: (01) GTIN-14 with a valid check digit,
//! (21) serial, then optionally (91) verification key and (92) or (93) crypto tail. Anything else
//! after the serial is rejected with a reason rather than guessed at.
//!
//! The group separator after the serial arrives as GS (ASCII 29), as character 232 (`è`, what a
//! scanner sends when its keyboard table does not match the host's), or not at all. Without it the
//! serial's end is implied by the tail: Честный ЗНАК fixes the tail fields' lengths (91: 4, 92: 44,
//! 93: 4), so a tail of those shapes ending the code is split off and the serial is what comes
//! before it. Between the fixed-length tail fields a separator is optional. GS1-128 text with the
//! AIs in parentheses (`(01)…(21)…(91)…`) is read the same way.

use super::{ean, Scan, GS};

const SERIAL_MAX: usize = 20;
/// Character 232 (`è`, Latin-1 0xE8): what a scanner with a mismatched keyboard table sends for GS.
const GS_AS_LATIN1: char = '\u{e8}';
/// The fixed-length tails a code may end with when no separator follows the serial, longest first:
/// each field is its AI and its value's length.
const UNSEPARATED_TAILS: [&[(&str, usize)]; 4] =
    [&[("91", 4), ("92", 44)], &[("92", 44)], &[("91", 4), ("93", 4)], &[("93", 4)]];

/// `None` when `text` does not open like a marking code ("01" + 14 digits + "21"); otherwise the
/// parsed code, or why it is not a valid one.
pub(super) fn parse(text: &str) -> Option<Result<Scan, String>> {
    let text = text.replace(GS_AS_LATIN1, "\u{1d}");
    let text = unbracket(&text).unwrap_or(text);
    // A scanner may send FNC1 in first position as a leading GS.
    let text = text.strip_prefix(GS).unwrap_or(&text);
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
    let (serial, tail) = rest.split_once(GS).unwrap_or_else(|| split_unseparated(rest));
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
    for group in tail.split(GS).filter(|f| !f.is_empty()) {
        let mut field = group;
        while !field.is_empty() {
            let mut chars = field.chars();
            let ai: String = chars.by_ref().take(2).collect();
            let (slot, len) = match ai.as_str() {
                "91" => (&mut verification_key, 4),
                "92" => (&mut crypto, 44),
                "93" => (&mut crypto, 4),
                _ => return Err(format!("unsupported GS1 application identifier {ai:?}")),
            };
            if slot.is_some() {
                return Err(format!("GS1 field (AI {ai}) is repeated or combined with another crypto tail"));
            }
            let value_and_rest = chars.as_str();
            // Fixed-length fields may follow one another without a separator.
            let value: String = value_and_rest.chars().take(len).collect();
            let rest_of_group = &value_and_rest[value.len()..];
            if value.chars().count() != len || rest_of_group.chars().next().is_some_and(|c| !c.is_ascii_digit()) {
                return Err(format!("GS1 field (AI {ai}) must be {len} characters"));
            }
            check_printable(&ai, &value)?;
            *slot = Some(value);
            field = rest_of_group;
        }
    }
    Ok(Scan::Gs1 { gtin: gtin.to_owned(), serial: serial.to_owned(), verification_key, crypto })
}

/// A serial with no separator after it: when the code ends with one of the fixed-length tails
/// (`UNSEPARATED_TAILS`, longest first) and a serial of 1..=20 characters stands before it, that is
/// the split; otherwise the whole rest is the serial (and a long one is refused as such).
fn split_unseparated(rest: &str) -> (&str, &str) {
    for tail in UNSEPARATED_TAILS {
        let tail_len: usize = tail.iter().map(|(ai, len)| ai.len() + len).sum();
        let Some(start) = rest.len().checked_sub(tail_len) else { continue };
        let (Some(serial), Some(found)) = (rest.get(..start), rest.get(start..)) else { continue };
        let mut at = 0;
        let shaped = tail.iter().all(|(ai, len)| {
            let opens = found.get(at..at + ai.len()) == Some(*ai);
            at += ai.len() + len;
            opens
        });
        if shaped && (1..=SERIAL_MAX).contains(&serial.chars().count()) {
            return (serial, found);
        }
    }
    (rest, "")
}

/// GS1-128 human-readable text, `(01)…(21)…(91)…(92)…`, as the element string: the fixed-length
/// GTIN needs no separator, each field after the serial is opened by GS. `None` when `text` does
/// not start with `(01)`.
fn unbracket(text: &str) -> Option<String> {
    let body = text.strip_prefix("(01)")?;
    let mut out = format!("01{}", body.replacen("(21)", "21", 1));
    for ai in ["91", "92", "93"] {
        out = out.replace(&format!("({ai})"), &format!("{GS}{ai}"));
    }
    Some(out)
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
    fn character_232_stands_for_gs() {
        let code = format!("0104601234567893215Abc123XYZ01\u{e8}91EE06\u{e8}92{CRYPTO_44}");
        assert_eq!(
            parse(&code),
            gs1("04601234567893", "5Abc123XYZ01", Some("EE06"), Some(CRYPTO_44)),
            "a scanner with a mismatched keyboard table sends è for GS; the fields are the same"
        );
        assert_eq!(
            parse("\u{e8}010460123456789321abcDEF\u{e8}93Ab+/"),
            gs1("04601234567893", "abcDEF", None, Some("Ab+/")),
            "è as FNC1 in first position and as the separator"
        );
    }

    #[test]
    fn absent_separators_split_by_the_tails_fixed_lengths() {
        assert_eq!(
            parse(&format!("0104601234567893215Abc123XYZ0191EE0692{CRYPTO_44}")),
            gs1("04601234567893", "5Abc123XYZ01", Some("EE06"), Some(CRYPTO_44)),
            "a 12-character serial then 91 and 92: the serial ends where the 52-character tail begins"
        );
        assert_eq!(
            parse(&format!("0104601234567893211234567890ABC91EE0692{CRYPTO_44}")),
            gs1("04601234567893", "1234567890ABC", Some("EE06"), Some(CRYPTO_44)),
            "shoes and clothes: a 13-character serial"
        );
        assert_eq!(
            parse("010460123456789321Ab3C-dE93Ab+/"),
            gs1("04601234567893", "Ab3C-dE", None, Some("Ab+/")),
            "tobacco: a 7-character serial then a 93 tail"
        );
        assert_eq!(
            parse("010460123456789321aB3c-d93Ab+/"),
            gs1("04601234567893", "aB3c-d", None, Some("Ab+/")),
            "milk and water: a 6-character serial then a 93 tail"
        );
        assert_eq!(
            parse(&format!("010460123456789321abc\u{1d}91EE0692{CRYPTO_44}")),
            gs1("04601234567893", "abc", Some("EE06"), Some(CRYPTO_44)),
            "a separator after the serial only: the fixed-length fields after it need none"
        );
        assert_eq!(
            parse("010460123456789321abc91EE0"),
            gs1("04601234567893", "abc91EE0", None, None),
            "no whole tail at the end: all of it is the serial"
        );
    }

    #[test]
    fn bracketed_gs1_128_text_is_the_same_code() {
        assert_eq!(
            parse(&format!("(01)04601234567893(21)5Abc123XYZ01(91)EE06(92){CRYPTO_44}")),
            gs1("04601234567893", "5Abc123XYZ01", Some("EE06"), Some(CRYPTO_44)),
            "AIs in parentheses, as printed under a GS1-128 barcode"
        );
        assert_eq!(
            parse("(01)04601234567893(21)abcDEF"),
            gs1("04601234567893", "abcDEF", None, None),
            "01 and 21 in parentheses"
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
            parse("0104601234567893215Abc123XYZ01ABCDEFGHIJKL"),
            why("GS1 serial (AI 21) is longer than 20 characters; were the GS separators lost?"),
            "a serial longer than 20 with no tail to split off"
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
