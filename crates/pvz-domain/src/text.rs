//! Text the counter records (a defect's description, a claimed item's condition, a manager's name) and
//! codes it reads (a scanned barcode, a shipment label, a cell): each kind bounded in length and
//! alphabet, so no op carrying it can grow past what the server reads in one request.
//!
//! A bound is checked by [`TextLimit::check`] when a value enters (typed at the counter, or pushed to
//! the server) rather than on every read, so an op a previous release queued with a longer text still
//! reads back from the outbox; the server then refuses it alone, and the queue moves on.

/// One kind of text and its bounds, in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextLimit {
    /// The field's name in error messages.
    pub field: &'static str,
    pub min: usize,
    pub max: usize,
    pub alphabet: Alphabet,
}

/// Which characters a kind of text may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alphabet {
    /// Typed by a person: anything printable, with line breaks and tabs.
    Prose,
    /// Read by a scanner: printable, plus the GS1 group separator (ASCII 29) a marking code keeps.
    Scanned,
    /// A reference the counter makes up or scans (a shift, a hand-back, a shipment label): printable
    /// ASCII without spaces.
    Reference,
}

/// A signed code carried in an op (a claim return code): under 300 characters as compact `PVZC2.`
/// codes, and about 300 as the earlier `PVZC1.<claims>.<signature>` with an item's name; the cap
/// leaves room and keeps a forged one from growing an op.
pub const SIGNED_CODE: TextLimit = TextLimit { field: "return_code", min: 1, max: 1000, alphabet: Alphabet::Reference };

/// Описание брака / повреждения: what the manager writes about a defect or damage. 2000, as a
/// refusal's description was bounded before, so no op an earlier release queued goes past it.
pub const DESCRIPTION: TextLimit = TextLimit { field: "description", min: 0, max: 2000, alphabet: Alphabet::Prose };
/// Состояние товара: the condition of an item taken back on a claim (2000, as before).
pub const CONDITION: TextLimit = TextLimit { field: "condition", min: 0, max: 2000, alphabet: Alphabet::Prose };
/// A person's name as printed on an act (the manager who accepted a courier's hand-back).
pub const PERSON_NAME: TextLimit = TextLimit { field: "name", min: 1, max: 200, alphabet: Alphabet::Prose };
/// A code read from an item (EAN-13, a Честный ЗНАК marking with its crypto tail, Code 128 text).
pub const SCANNED_CODE: TextLimit = TextLimit { field: "code", min: 1, max: 200, alphabet: Alphabet::Scanned };
/// A cell label's canonical form (`A-07`) as the counter sent it; whether it names a cell is the
/// server's rule to judge (an unknown label is `invalid_op`), so only its length is bounded here.
pub const CELL: TextLimit = TextLimit { field: "cell", min: 1, max: 32, alphabet: Alphabet::Scanned };
/// A reference made up by the counter or printed on a label: a shift, hand-back, handover, photo or
/// shipment (`SHP0042001`, `DLV-…`).
pub const REFERENCE: TextLimit = TextLimit { field: "reference", min: 1, max: 64, alphabet: Alphabet::Reference };
/// A photo's media type (`image/jpeg`).
pub const MEDIA_TYPE: TextLimit = TextLimit { field: "media_type", min: 1, max: 100, alphabet: Alphabet::Scanned };
/// A photo's SHA-256 in hex.
pub const SHA256_HEX: TextLimit = TextLimit { field: "sha256", min: 64, max: 64, alphabet: Alphabet::Reference };
/// When the counter did it (RFC 3339).
pub const TIMESTAMP: TextLimit = TextLimit { field: "created_at", min: 1, max: 64, alphabet: Alphabet::Scanned };

/// Why a text is out of its bounds; the message names the field and the limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("{field} is {got} characters long; at most {max} are allowed")]
    TooLong { field: &'static str, max: usize, got: usize },
    #[error("{field} must be at least {min} characters long")]
    TooShort { field: &'static str, min: usize },
    #[error("{field} holds a character it may not: {bad:?}")]
    BadCharacter { field: &'static str, bad: char },
}

impl TextLimit {
    /// The same limit under another field name, so an error names the field it was found in.
    pub const fn named(self, field: &'static str) -> TextLimit {
        TextLimit { field, ..self }
    }

    /// Whether `raw` is within this limit's length (in characters) and alphabet.
    pub fn check(&self, raw: &str) -> Result<(), TextError> {
        let got = raw.chars().count();
        if got > self.max {
            return Err(TextError::TooLong { field: self.field, max: self.max, got });
        }
        if got < self.min {
            return Err(TextError::TooShort { field: self.field, min: self.min });
        }
        match raw.chars().find(|c| !self.alphabet.allows(*c)) {
            Some(bad) => Err(TextError::BadCharacter { field: self.field, bad }),
            None => Ok(()),
        }
    }

    /// [`TextLimit::check`] of an optional text: absent is always within bounds.
    pub fn check_opt(&self, raw: Option<&str>) -> Result<(), TextError> {
        raw.map_or(Ok(()), |raw| self.check(raw))
    }
}

impl Alphabet {
    fn allows(self, c: char) -> bool {
        match self {
            Alphabet::Prose => !c.is_control() || matches!(c, '\n' | '\r' | '\t'),
            Alphabet::Scanned => !c.is_control() || c == '\u{1d}',
            Alphabet::Reference => c.is_ascii_graphic(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_bounded_in_characters_not_bytes() {
        assert!(DESCRIPTION.check(&"ш".repeat(2000)).is_ok(), "2000 Cyrillic characters are a valid description");
        assert_eq!(
            DESCRIPTION.check(&"ш".repeat(2001)),
            Err(TextError::TooLong { field: "description", max: 2000, got: 2001 }),
            "2001 characters are one too many"
        );
        assert!(PERSON_NAME.check("").is_err(), "a name is never empty");
        assert!(DESCRIPTION.check("").is_ok(), "a description may be empty");
    }

    #[test]
    fn each_kind_keeps_to_its_alphabet() {
        assert!(DESCRIPTION.check("шов разошёлся\nна рукаве").is_ok(), "prose may break lines");
        assert!(DESCRIPTION.check("bell\u{7}").is_err(), "but holds no other control character");
        assert!(SCANNED_CODE.check("0104601234567893215abc\u{1d}91EE10").is_ok(), "a marking keeps its separator");
        assert!(REFERENCE.check("SHP0042001").is_ok(), "a label code is a reference");
        assert!(REFERENCE.check("a b/c").is_err(), "spaces and slashes are not");
        assert!(CELL.named("from").check("A-07").is_ok(), "a cell label is within bounds");
        let named = CELL.named("to").check(&"A".repeat(33)).expect_err("too long");
        assert!(named.to_string().starts_with("to "), "the error names its field: {named}");
    }
}
