//! The PIN a manager types at the counter: 4 to 8 digits. A new PIN must also not be one of those
//! anyone tries first (one digit repeated, or a straight run up or down such as 1234 or 9876).
//! The digits never appear in `Debug` output, so a PIN cannot leak into a log by accident.

use std::fmt;

#[derive(Clone, PartialEq, Eq)]
pub struct Pin(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PinError {
    #[error("a PIN is {min} to {max} digits", min = Pin::MIN_LEN, max = Pin::MAX_LEN)]
    Format,
    #[error("this PIN is too easy to guess: no repeated digit (0000) and no straight run (1234, 4321)")]
    Trivial,
}

impl Pin {
    pub const MIN_LEN: usize = 4;
    pub const MAX_LEN: usize = 8;

    /// A PIN typed at login: only its format is checked, so a PIN set before the triviality rule
    /// still works. A malformed entry is refused here and does not count as a wrong PIN.
    pub fn parse_entry(raw: &str) -> Result<Pin, PinError> {
        let ok = (Self::MIN_LEN..=Self::MAX_LEN).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_digit());
        if ok {
            Ok(Pin(raw.to_owned()))
        } else {
            Err(PinError::Format)
        }
    }

    /// A PIN being set for an employee: the format, and not trivial.
    pub fn parse_new(raw: &str) -> Result<Pin, PinError> {
        let pin = Pin::parse_entry(raw)?;
        if pin.is_trivial() {
            return Err(PinError::Trivial);
        }
        Ok(pin)
    }

    /// The digits, for hashing or verifying against the stored hash; never for display.
    pub fn expose(&self) -> &str {
        &self.0
    }

    fn is_trivial(&self) -> bool {
        let digits = self.0.as_bytes();
        let steps: Vec<i16> = digits.windows(2).map(|w| i16::from(w[1]) - i16::from(w[0])).collect();
        [0, 1, -1].iter().any(|step| steps.iter().all(|s| s == step))
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pin({} digits)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_pin_is_four_to_eight_digits() {
        for raw in ["0000", "12345678", "4821", "906173"] {
            assert!(Pin::parse_entry(raw).is_ok(), "{raw:?} is a well-formed entry");
        }
        for raw in ["", "123", "123456789", "12a4", " 1234", "１２３４", "12-34"] {
            assert_eq!(Pin::parse_entry(raw), Err(PinError::Format), "{raw:?} is not a PIN");
        }
    }

    #[test]
    fn a_new_pin_is_not_trivial() {
        for raw in ["0000", "1111", "99999999", "1234", "0123456", "4321", "98765432", "3456"] {
            assert_eq!(Pin::parse_new(raw), Err(PinError::Trivial), "{raw:?} is one of the first guesses");
        }
        for raw in ["4821", "1235", "7890", "1212", "2580", "11112"] {
            assert!(Pin::parse_new(raw).is_ok(), "{raw:?} is allowed: not a repeat and not a straight run");
        }
        assert_eq!(Pin::parse_new("12"), Err(PinError::Format), "the format is checked first");
        assert!(Pin::parse_entry("1234").is_ok(), "an old trivial PIN can still be entered at login");
    }

    #[test]
    fn debug_output_hides_the_digits() {
        let pin = Pin::parse_entry("482137").expect("well-formed");
        let shown = format!("{pin:?}");
        assert_eq!(shown, "Pin(6 digits)", "only the length is shown");
        assert_eq!(pin.expose(), "482137", "the digits are available for hashing");
    }

    proptest! {
        #[test]
        fn every_well_formed_entry_parses_and_never_leaks(raw in "[0-9]{4,8}") {
            let pin = Pin::parse_entry(&raw).expect("4-8 digits");
            prop_assert!(!format!("{pin:?}").contains(&raw), "Debug must not print {}", raw);
            let new = Pin::parse_new(&raw);
            let same = raw.bytes().all(|b| b == raw.as_bytes()[0]);
            prop_assert_eq!(new.is_err(), same || "0123456789".contains(&raw) || "9876543210".contains(&raw),
                "{} is refused as new exactly when it is a repeat or a straight run", raw);
        }

        #[test]
        fn entries_never_panic(raw in any::<String>()) {
            let _ = Pin::parse_new(&raw);
        }
    }
}
