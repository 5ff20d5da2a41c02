//! What a record kept outside the store (the scan log, the log files, a diagnostics zip) may say of
//! a signed code: what it claimed stays readable, its signature never does, so a copy of the record
//! cannot be printed as a working pickup code, claim code or badge. The device credential keeps its
//! device id and loses its secret. A leaf: it uses no other module of the crate.

use pvz_domain::scan::{
    classify, normalize, CLAIM_TOKEN_PREFIX, COMPACT_CLAIM_TOKEN_PREFIX, COMPACT_STAFF_BADGE_PREFIX,
    COMPACT_TOKEN_PREFIX, STAFF_BADGE_PREFIX, TOKEN_PREFIX,
};
use pvz_domain::Scan;
use std::borrow::Cow;

/// What stands in for a signed code's signature (or a credential's secret).
pub const SIGNATURE_WITHHELD: &str = "<signature withheld>";

/// The prefixes of every signed code, old and compact; a word starting so is never kept whole.
const SIGNED_PREFIXES: [&str; 6] = [
    TOKEN_PREFIX,
    CLAIM_TOKEN_PREFIX,
    STAFF_BADGE_PREFIX,
    COMPACT_TOKEN_PREFIX,
    COMPACT_CLAIM_TOKEN_PREFIX,
    COMPACT_STAFF_BADGE_PREFIX,
];

/// The device credential's prefix: `pvzd1.<device id>.<secret>`.
const CREDENTIAL_PREFIX: &str = "pvzd1.";

/// The text a record keeps of a scan: a signed code without its signature, anything else as given.
pub(crate) fn scan_text(scan: &Scan, normalized: &str) -> String {
    match scan {
        // A compact code's alphabet holds '.': its signature is its last characters.
        Scan::PickupToken { token } | Scan::ClaimToken { token } | Scan::StaffBadge { token }
            if !token.starts_with(TOKEN_PREFIX)
                && !token.starts_with(CLAIM_TOKEN_PREFIX)
                && !token.starts_with(STAFF_BADGE_PREFIX) =>
        {
            let claims = pvz_protocol::compact::without_signature(token).unwrap_or_default();
            format!("{claims}{SIGNATURE_WITHHELD}")
        }
        Scan::PickupToken { .. } | Scan::ClaimToken { .. } | Scan::StaffBadge { .. } => {
            match normalized.rsplit_once('.') {
                Some((claims, _signature)) => format!("{claims}.{SIGNATURE_WITHHELD}"),
                None => normalized.to_owned(),
            }
        }
        _ => normalized.to_owned(),
    }
}

/// The characters a code or a credential may hold (base64url, the compact alphabet, their dots):
/// a log line is cut into words of these.
fn is_code_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '*' | '+' | '%')
}

fn starts_with_any_case(word: &str, prefix: &str) -> bool {
    word.get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// One word of a log line as the record keeps it; `None` when it is kept as it is.
fn redact_word(word: &str) -> Option<String> {
    // A sentence's full stop after a code is not part of it.
    let code = word.trim_end_matches('.');
    let stop = &word[code.len()..];
    if starts_with_any_case(code, CREDENTIAL_PREFIX) {
        let device =
            code.rsplit_once('.').map(|(device, _secret)| device).filter(|d| d.len() >= CREDENTIAL_PREFIX.len());
        return Some(format!("{}.{SIGNATURE_WITHHELD}{stop}", device.unwrap_or("pvzd1")));
    }
    let prefix = SIGNED_PREFIXES.iter().find(|prefix| starts_with_any_case(word, prefix))?;
    // Without the stop first: read whole, a compact code and its stop can parse as a longer code
    // whose cut would keep a few of the signature's characters. A compact code that itself ends in
    // '.' then loses a little more than its signature, never less.
    for code in [code, word] {
        let scan = classify(code);
        if let Scan::PickupToken { .. } | Scan::ClaimToken { .. } | Scan::StaffBadge { .. } = scan {
            return Some(format!("{}{}", scan_text(&scan, &normalize(code)), &word[code.len()..]));
        }
    }
    // Shaped like a signed code but not one (cut short, damaged): none of it is kept.
    Some(format!("{}{SIGNATURE_WITHHELD}", &word[..prefix.len()]))
}

/// `text` with every signed code's signature and every device credential's secret withheld, the
/// rest as it was. Cheap on text without them: only words starting like one are looked at.
pub fn redact(text: &str) -> Cow<'_, str> {
    let lower = text.to_ascii_lowercase();
    if !lower.contains("pvz") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(is_code_char) {
        out.push_str(&rest[..start]);
        let word_len = rest[start..].find(|c: char| !is_code_char(c)).unwrap_or(rest.len() - start);
        let word = &rest[start..start + word_len];
        // Already redacted (a log file read back into a zip): kept as it is, so redacting twice
        // changes nothing.
        let redacted = rest[start + word_len..].starts_with(SIGNATURE_WITHHELD);
        match redact_word(word).filter(|_| !redacted) {
            Some(kept) => out.push_str(&kept),
            None => out.push_str(word),
        }
        rest = &rest[start + word_len..];
    }
    out.push_str(rest);
    if out == text {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BADGE: &str = "PVZE2.eyJlIjoiZHJpdmVyLW9sZWciLCJuIjoxfQ.c2lnbmF0dXJlLW9mLXRoZS1zZXJ2ZXI";

    #[test]
    fn a_signed_code_is_kept_without_its_signature_and_other_codes_as_scanned() {
        let logged = scan_text(&classify(BADGE), BADGE);
        assert_eq!(
            logged, "PVZE2.eyJlIjoiZHJpdmVyLW9sZWciLCJuIjoxfQ.<signature withheld>",
            "a badge keeps whose it is, not the signature that makes it work"
        );
        assert!(!logged.contains("c2lnbmF0dXJl"), "no part of the signature is kept: {logged}");
        let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
        let employee = pvz_domain::EmployeeId::parse("driver-oleg").expect("id");
        let compact = pvz_protocol::BadgeClaims { employee_id: employee, serial: 1 }.sign(&key);
        let logged = scan_text(&classify(&compact), &compact);
        let kept = logged.strip_suffix(SIGNATURE_WITHHELD).expect("the signature is withheld");
        assert!(compact.starts_with(kept), "a compact badge keeps its prefix and claims: {logged}");
        assert!(compact.len() - kept.len() >= 96, "and none of the signature's 96 characters: {logged}");
        assert_eq!(scan_text(&classify("4601234567893"), "4601234567893"), "4601234567893", "a barcode as is");
        assert_eq!(scan_text(&classify("PVZL1:A-07"), "PVZL1:A-07"), "PVZL1:A-07", "a cell label as is");
    }

    #[test]
    fn a_log_line_keeps_its_words_and_loses_signatures_and_secrets() {
        let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
        let employee = pvz_domain::EmployeeId::parse("driver-oleg").expect("id");
        let compact = pvz_protocol::BadgeClaims { employee_id: employee, serial: 1 }.sign(&key);
        let line = format!(
            "2026-12-07T10:00:00Z WARN scan refused code=\"{BADGE}\" badge={compact}. \
             auth=Bearer pvzd1.dev-42.c2VjcmV0LXNlY3JldA cell=PVZL1:A-07 op=0193a0b2-7c4e-7000-8000-000000000001"
        );
        let redacted = redact(&line);
        assert!(!redacted.contains("c2lnbmF0dXJl"), "the old badge's signature is gone: {redacted}");
        let compact_claims = pvz_protocol::compact::without_signature(&compact).expect("claims");
        assert!(!redacted.contains(&compact[compact_claims.len()..]), "the compact signature is gone: {redacted}");
        assert!(!redacted.contains("c2VjcmV0LXNlY3JldA"), "the credential's secret is gone: {redacted}");
        for kept in [
            "WARN scan refused code=\"PVZE2.eyJlIjoiZHJpdmVyLW9sZWciLCJuIjoxfQ.<signature withheld>\"",
            &format!("badge={compact_claims}<signature withheld>."),
            "auth=Bearer pvzd1.dev-42.<signature withheld>",
            "cell=PVZL1:A-07 op=0193a0b2-7c4e-7000-8000-000000000001",
        ] {
            assert!(redacted.contains(kept), "the line keeps `{kept}`: {redacted}");
        }
        assert_eq!(redact(&redacted), redacted, "redacting a redacted line again changes nothing");
        let plain = "sync pass failed: server unreachable";
        assert!(matches!(redact(plain), Cow::Borrowed(_)), "a line without codes is not copied");
    }

    #[test]
    fn a_damaged_or_cut_signed_code_is_not_kept_at_all() {
        let cut = &BADGE[..40];
        let line = format!("bad code {cut} end");
        let redacted = redact(&line);
        assert_eq!(redacted, "bad code PVZE2.<signature withheld> end", "a cut code keeps only its prefix");
    }
}
