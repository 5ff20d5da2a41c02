//! Money as integer kopecks (копейки); never floats. Arithmetic that could overflow is checked.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::iter::Sum;
use std::ops::Add;
use ts_rs::TS;

/// An amount of roubles in kopecks (1 ₽ = 100 коп.). May be negative only as a difference.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize, TS)]
#[serde(transparent)]
#[ts(type = "number")]
pub struct Kopecks(pub i64);

impl Kopecks {
    pub const ZERO: Kopecks = Kopecks(0);

    pub fn from_rubles(rubles: i64) -> Kopecks {
        Kopecks(rubles * 100)
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    pub fn checked_add(self, other: Kopecks) -> Option<Kopecks> {
        self.0.checked_add(other.0).map(Kopecks)
    }
}

impl Add for Kopecks {
    type Output = Kopecks;
    /// Saturates rather than wrapping: an amount this large is a data error, never a real sum.
    fn add(self, other: Kopecks) -> Kopecks {
        Kopecks(self.0.saturating_add(other.0))
    }
}

impl Sum for Kopecks {
    fn sum<I: Iterator<Item = Kopecks>>(iter: I) -> Kopecks {
        iter.fold(Kopecks::ZERO, Add::add)
    }
}

impl fmt::Display for Kopecks {
    /// Russian counter format: `1 234,50 ₽`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let rubles = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, ch) in rubles.chars().enumerate() {
            if i > 0 && (rubles.len() - i).is_multiple_of(3) {
                grouped.push('\u{a0}');
            }
            grouped.push(ch);
        }
        write!(f, "{sign}{grouped},{:02}\u{a0}₽", abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_in_russian_counter_format() {
        assert_eq!(
            Kopecks(123_450).to_string(),
            "1\u{a0}234,50\u{a0}₽",
            "thousands are grouped, kopecks after a comma"
        );
        assert_eq!(Kopecks(5).to_string(), "0,05\u{a0}₽", "kopecks are zero-padded");
        assert_eq!(Kopecks(-100).to_string(), "-1,00\u{a0}₽", "a negative difference keeps its sign");
    }

    #[test]
    fn sums_saturate_instead_of_wrapping() {
        let total: Kopecks = [Kopecks(i64::MAX), Kopecks(1)].into_iter().sum();
        assert_eq!(total, Kopecks(i64::MAX), "an overflowing sum must not wrap to a negative amount");
    }
}
