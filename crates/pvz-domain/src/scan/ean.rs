//! GS1 mod-10 check digits, shared by EAN-13 and GTIN-14: a code is valid only if its last digit
//! equals the one computed from the digits before it.

/// The check digit for `data` (ASCII digits without the check digit), or `None` if a
/// character is not a digit or `data` is empty.
fn check_digit(data: &str) -> Option<u8> {
    if data.is_empty() {
        return None;
    }
    // Weights run 3, 1, 3, … from the rightmost data digit, whatever the code's length.
    let mut sum = 0u32;
    for (i, c) in data.chars().rev().enumerate() {
        let digit = c.to_digit(10)?;
        sum += if i % 2 == 0 { 3 * digit } else { digit };
    }
    u8::try_from((10 - sum % 10) % 10).ok()
}

/// True when `code` is all ASCII digits and its last digit is the GS1 check digit of the rest.
pub(super) fn has_valid_check_digit(code: &str) -> bool {
    let mut chars = code.chars();
    let last = chars.next_back().and_then(|c| c.to_digit(10));
    match (check_digit(chars.as_str()), last) {
        (Some(expected), Some(actual)) => u32::from(expected) == actual,
        _ => false,
    }
}

/// An EAN-13 shape: exactly thirteen ASCII digits (the check digit is judged separately).
pub(super) fn is_ean13_shape(text: &str) -> bool {
    text.len() == 13 && text.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_codes_have_valid_check_digits() {
        for code in ["4600000000008", "4006381333931", "5901234123457", "9780306406157", "04601234567893"] {
            assert!(has_valid_check_digit(code), "{code} is a valid GS1 code and must pass");
        }
    }

    #[test]
    fn a_changed_digit_breaks_the_check() {
        assert!(!has_valid_check_digit("4600000000009"), "wrong EAN-13 check digit must fail");
        assert!(!has_valid_check_digit("4700000000008"), "a changed data digit must fail");
        assert!(!has_valid_check_digit("04601234567894"), "wrong GTIN-14 check digit must fail");
    }

    #[test]
    fn non_digits_and_degenerate_input_never_pass() {
        for code in ["", "7", "46000000000x8", "460000000000٨", "４600000000008"] {
            assert!(!has_valid_check_digit(code), "{code:?} is not a digit string with a check digit");
        }
    }

    #[test]
    fn ean13_shape_is_thirteen_ascii_digits() {
        assert!(is_ean13_shape("4600000000008"), "13 digits have the EAN-13 shape");
        assert!(!is_ean13_shape("460000000008"), "12 digits do not");
        assert!(!is_ean13_shape("460000000000a"), "a letter does not");
    }
}
