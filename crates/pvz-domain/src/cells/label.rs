//! Адрес ячейки: the label painted on a cell, parsed once. The format is `<zone>-<rack>[-<shelf>]`:
//! one Latin zone letter, a rack number and an optional shelf number of 0..=999 each (`A-12`,
//! `A-01-03`). Input is trimmed and the letter may be lower case; the canonical form is upper case
//! with numbers padded to two digits, so `a-7`, `A-007` and `A-07` are one cell. Text typed under the
//! Russian layout goes through `scan::normalize` before it is parsed here.

use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;

/// A parsed cell label. Orders by zone, then rack, then shelf, numerically
/// (`A-02` before `A-10`; a rack without shelves before its shelves).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(try_from = "String", into = "String")]
#[ts(type = "string")]
pub struct CellLabel {
    zone: char,
    rack: u16,
    shelf: Option<u16>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CellLabelError {
    #[error("a cell label is a zone letter, a rack and an optional shelf (A-12, A-01-03), got {0:?}")]
    Shape(String),
    #[error("a cell zone is one Latin letter A-Z, got {0:?}")]
    Zone(String),
    #[error("cell rack and shelf numbers are 1-3 digits (0-999), got {0:?}")]
    Number(String),
}

impl CellLabel {
    pub const MAX_NUMBER: u16 = 999;

    pub fn new(zone: char, rack: u16, shelf: Option<u16>) -> Result<CellLabel, CellLabelError> {
        if !zone.is_ascii_alphabetic() {
            return Err(CellLabelError::Zone(zone.to_string()));
        }
        if let Some(n) = std::iter::once(rack).chain(shelf).find(|n| *n > Self::MAX_NUMBER) {
            return Err(CellLabelError::Number(n.to_string()));
        }
        Ok(CellLabel { zone: zone.to_ascii_uppercase(), rack, shelf })
    }

    pub fn parse(raw: &str) -> Result<CellLabel, CellLabelError> {
        let text = raw.trim();
        let parts: Vec<&str> = text.split('-').collect();
        let (zone, rack, shelf) = match parts.as_slice() {
            [zone, rack] => (*zone, *rack, None),
            [zone, rack, shelf] => (*zone, *rack, Some(*shelf)),
            _ => return Err(CellLabelError::Shape(text.to_owned())),
        };
        let mut letters = zone.chars();
        let letter = match (letters.next(), letters.next()) {
            (Some(c), None) if c.is_ascii_alphabetic() => c,
            _ => return Err(CellLabelError::Zone(zone.to_owned())),
        };
        let rack = parse_number(rack)?;
        let shelf = shelf.map(parse_number).transpose()?;
        CellLabel::new(letter, rack, shelf)
    }

    pub fn zone(&self) -> char {
        self.zone
    }

    pub fn rack(&self) -> u16 {
        self.rack
    }

    pub fn shelf(&self) -> Option<u16> {
        self.shelf
    }
}

fn parse_number(part: &str) -> Result<u16, CellLabelError> {
    let digits = (1..=3).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit());
    match part.parse::<u16>() {
        Ok(n) if digits => Ok(n),
        _ => Err(CellLabelError::Number(part.to_owned())),
    }
}

impl fmt::Display for CellLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.zone, self.rack)?;
        match self.shelf {
            Some(shelf) => write!(f, "-{shelf:02}"),
            None => Ok(()),
        }
    }
}

impl From<CellLabel> for String {
    fn from(label: CellLabel) -> String {
        label.to_string()
    }
}

impl TryFrom<String> for CellLabel {
    type Error = CellLabelError;
    fn try_from(raw: String) -> Result<CellLabel, CellLabelError> {
        CellLabel::parse(&raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn label(raw: &str) -> CellLabel {
        CellLabel::parse(raw).expect("a valid test label")
    }

    #[test]
    fn labels_parse_to_one_canonical_form() {
        for (raw, canonical) in [
            ("A-12", "A-12"),
            ("a-7", "A-07"),
            (" B-03 ", "B-03"),
            ("A-1-3", "A-01-03"),
            ("C-042", "C-42"),
            ("Z-999-100", "Z-999-100"),
            ("C-000", "C-00"),
        ] {
            let parsed = CellLabel::parse(raw).map(|l| l.to_string());
            assert_eq!(parsed.as_deref(), Ok(canonical), "{raw:?} must read as {canonical}");
        }
        assert_eq!(label("a-7"), label("A-007"), "padding does not make another cell");
    }

    #[test]
    fn malformed_labels_say_what_is_wrong() {
        for raw in ["", "A", "A12", "A-1-2-3", "A--1", "-12"] {
            assert!(
                matches!(
                    CellLabel::parse(raw),
                    Err(CellLabelError::Shape(_) | CellLabelError::Number(_) | CellLabelError::Zone(_))
                ),
                "{raw:?} is not a label"
            );
        }
        assert_eq!(CellLabel::parse("AB-12"), Err(CellLabelError::Zone("AB".into())), "a zone is one letter");
        assert_eq!(
            CellLabel::parse("А-12"),
            Err(CellLabelError::Zone("А".into())),
            "a Cyrillic А is not a zone letter"
        );
        assert_eq!(CellLabel::parse("1-12"), Err(CellLabelError::Zone("1".into())), "a digit is not a zone");
        assert_eq!(CellLabel::parse("A-1000"), Err(CellLabelError::Number("1000".into())), "four digits are too many");
        assert_eq!(CellLabel::parse("A-+1"), Err(CellLabelError::Number("+1".into())), "a sign is not a digit");
        assert_eq!(CellLabel::parse("A-12 -3"), Err(CellLabelError::Number("12 ".into())), "no inner spaces");
        assert!(CellLabel::new('A', 1000, None).is_err(), "the constructor checks the range too");
        assert!(CellLabel::new('1', 1, None).is_err(), "the constructor checks the zone too");
    }

    #[test]
    fn labels_order_numerically_and_travel_as_strings() {
        let mut labels = [label("A-10"), label("B-01"), label("A-02-01"), label("A-02")];
        labels.sort();
        let shown: Vec<String> = labels.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["A-02", "A-02-01", "A-10", "B-01"], "zone, then rack, then shelf, as numbers");
        let json = serde_json::to_string(&label("a-1-3")).expect("a label serializes");
        assert_eq!(json, "\"A-01-03\"", "a label travels as its canonical text");
        let back: CellLabel = serde_json::from_str("\"a-1-3\"").expect("a label deserializes");
        assert_eq!(back, label("A-01-03"), "deserializing parses");
        assert!(serde_json::from_str::<CellLabel>("\"shelf 3\"").is_err(), "a bad label is refused on the wire");
    }

    proptest! {
        #[test]
        fn labels_round_trip_through_their_text(
            zone in proptest::char::range('A', 'Z'),
            rack in 0u16..=999,
            shelf in proptest::option::of(0u16..=999),
        ) {
            let made = CellLabel::new(zone, rack, shelf).expect("in range");
            prop_assert_eq!(CellLabel::parse(&made.to_string()), Ok(made.clone()), "{} must parse back to itself", made);
            let lower = made.to_string().to_lowercase();
            prop_assert_eq!(CellLabel::parse(&lower), Ok(made), "the lower-case form {} is the same cell", lower);
        }

        #[test]
        fn parsing_never_panics(raw in any::<String>()) {
            let _ = CellLabel::parse(&raw);
        }
    }
}
