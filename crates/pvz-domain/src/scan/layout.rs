//! Undoes text typed under the Russian ЙЦУКЕН layout: when the text holds a Cyrillic letter of that
//! layout, every character goes back to what the same key types on US-QWERTY; otherwise nothing changes.

// Each pair of rows lists the same keys in the same order: what ЙЦУКЕН types, then what US-QWERTY types.
const RU_LOWER: &str = "йцукенгшщзхъфывапролджэячсмитьбюё";
const US_LOWER: &str = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`";
const RU_UPPER: &str = "ЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮЁ";
const US_UPPER: &str = "QWERTYUIOP{}ASDFGHJKL:\"ZXCVBNM<>~";
// Punctuation that ЙЦУКЕН puts on other keys: '.' and ',' sit on US '/', the shifted digits differ,
// and '/' is Shift+'\' (US '|'). Digits, '-', '_', '=' and '+' are the same on both layouts.
const RU_PUNCT: &str = ".,\"№;:?/";
const US_PUNCT: &str = "/?@#$^&|";

/// A letter of the ЙЦУКЕН layout; its presence means the whole text was typed under that layout.
fn is_layout_letter(c: char) -> bool {
    RU_LOWER.contains(c) || RU_UPPER.contains(c)
}

/// What the key that typed `c` under ЙЦУКЕН types on US-QWERTY; `c` itself if no key differs.
fn us_key(c: char) -> char {
    [(RU_LOWER, US_LOWER), (RU_UPPER, US_UPPER), (RU_PUNCT, US_PUNCT)]
        .into_iter()
        .find_map(|(ru, us)| ru.chars().position(|r| r == c).and_then(|i| us.chars().nth(i)))
        .unwrap_or(c)
}

/// `text` as US-QWERTY would have typed it, if it holds any ЙЦУКЕН letter; else `text` unchanged.
pub(super) fn undo_russian(text: &str) -> String {
    if text.chars().any(is_layout_letter) {
        text.chars().map(us_key).collect()
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_rows_pair_up_one_to_one() {
        for (ru, us) in [(RU_LOWER, US_LOWER), (RU_UPPER, US_UPPER), (RU_PUNCT, US_PUNCT)] {
            assert_eq!(ru.chars().count(), us.chars().count(), "{ru} and {us} must list the same keys");
        }
        assert_eq!(RU_LOWER.chars().count(), 33, "the Russian alphabet has 33 letters");
        assert!(
            RU_LOWER.chars().zip(RU_UPPER.chars()).all(|(l, u)| l.to_uppercase().eq([u])),
            "upper row is the lower row capitalised"
        );
    }

    #[test]
    fn every_layout_letter_maps_to_ascii() {
        for c in RU_LOWER.chars().chain(RU_UPPER.chars()) {
            assert!(us_key(c).is_ascii_graphic(), "{c} must map to a printable ASCII key");
        }
    }

    #[test]
    fn russian_typed_text_goes_back_to_latin() {
        assert_eq!(undo_russian("ЦИ-ЫЛГ-000123"), "WB-SKU-000123", "letters map back, digits and '-' stay");
        assert_eq!(undo_russian("ъв2"), "]d2", "an AIM prefix typed under ЙЦУКЕН comes back");
        assert_eq!(undo_russian("ХЖЭБЮЁ"), "{:\"<>~", "shifted keys give US shifted symbols");
        assert_eq!(undo_russian("ф.,\"№;:?/"), "a/?@#$^&|", "RU punctuation goes back to its key");
    }

    #[test]
    fn text_without_layout_letters_is_left_alone() {
        assert_eq!(undo_russian("a.b,c\"№;:?/"), "a.b,c\"№;:?/", "punctuation stays when nothing is Cyrillic");
        assert_eq!(undo_russian("їєґ."), "їєґ.", "Cyrillic letters outside the layout do not trigger the mapping");
        assert_eq!(undo_russian(""), "", "empty stays empty");
    }
}
