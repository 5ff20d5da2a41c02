//! Time as the rules see it: whole unix seconds handed in by the caller (the domain reads no clock),
//! and the pickup point's fixed UTC offset for rules that count local calendar days.

use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;

pub const SECONDS_PER_DAY: i64 = 86_400;

/// A moment as seconds since 1970-01-01T00:00:00Z (what `chrono`'s `timestamp()` gives).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize, TS)]
#[serde(transparent)]
#[ts(type = "number")]
pub struct UnixSeconds(pub i64);

impl UnixSeconds {
    /// Saturates: a moment beyond the year 292 billion is a data error, never a real deadline.
    pub fn plus_seconds(self, seconds: i64) -> UnixSeconds {
        UnixSeconds(self.0.saturating_add(seconds))
    }

    /// Seconds from `earlier` to `self`; negative when `earlier` is in fact later.
    pub fn seconds_since(self, earlier: UnixSeconds) -> i64 {
        self.0.saturating_sub(earlier.0)
    }

    /// The local calendar day this moment falls on, as days since 1970-01-01 at that offset.
    pub fn local_day(self, offset: UtcOffset) -> i64 {
        self.0.saturating_add(i64::from(offset.seconds())).div_euclid(SECONDS_PER_DAY)
    }

    /// The moment the local calendar day `day` (see [`UnixSeconds::local_day`]) begins.
    pub fn start_of_local_day(day: i64, offset: UtcOffset) -> UnixSeconds {
        UnixSeconds(day.saturating_mul(SECONDS_PER_DAY).saturating_sub(i64::from(offset.seconds())))
    }
}

impl fmt::Display for UnixSeconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "@{}", self.0)
    }
}

/// A pickup point's fixed offset from UTC (Russia keeps no daylight saving time since 2014), in
/// seconds east of Greenwich: Moscow is `+10800`. Limited to ±18 h like every real zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct UtcOffset(i32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a UTC offset must be within ±18 hours, got {0} seconds")]
pub struct UtcOffsetError(pub i32);

impl UtcOffset {
    pub const UTC: UtcOffset = UtcOffset(0);
    /// Москва, UTC+3.
    pub const MOSCOW: UtcOffset = UtcOffset(3 * 3600);
    const MAX_SECONDS: i32 = 18 * 3600;

    pub fn from_seconds(seconds: i32) -> Result<UtcOffset, UtcOffsetError> {
        if seconds.abs() <= Self::MAX_SECONDS {
            Ok(UtcOffset(seconds))
        } else {
            Err(UtcOffsetError(seconds))
        }
    }

    pub fn from_hours(hours: i32) -> Result<UtcOffset, UtcOffsetError> {
        UtcOffset::from_seconds(hours.saturating_mul(3600))
    }

    pub fn seconds(self) -> i32 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn local_days_turn_at_local_midnight() {
        // 2025-03-10T21:00:00Z is midnight of 2025-03-11 in Moscow.
        let moscow_midnight = UnixSeconds(1_741_640_400);
        assert_eq!(
            moscow_midnight.local_day(UtcOffset::MOSCOW),
            moscow_midnight.plus_seconds(-1).local_day(UtcOffset::MOSCOW) + 1,
            "a new Moscow day starts at 21:00 UTC"
        );
        assert_eq!(
            moscow_midnight.local_day(UtcOffset::UTC),
            moscow_midnight.local_day(UtcOffset::MOSCOW) - 1,
            "at 21:00 UTC it is still the previous day in UTC"
        );
    }

    #[test]
    fn moments_before_1970_fall_on_negative_days() {
        assert_eq!(UnixSeconds(-1).local_day(UtcOffset::UTC), -1, "one second before the epoch is day -1");
        assert_eq!(UnixSeconds::start_of_local_day(-1, UtcOffset::UTC), UnixSeconds(-SECONDS_PER_DAY), "day -1 start");
    }

    #[test]
    fn offsets_beyond_eighteen_hours_are_refused() {
        assert_eq!(UtcOffset::from_hours(3), Ok(UtcOffset::MOSCOW), "Moscow is +3 h");
        assert_eq!(UtcOffset::from_hours(12).map(UtcOffset::seconds), Ok(43_200), "Kamchatka is +12 h");
        assert!(UtcOffset::from_hours(19).is_err(), "+19 h is no real zone");
        assert!(UtcOffset::from_seconds(-18 * 3600 - 1).is_err(), "below -18 h is no real zone");
    }

    proptest! {
        #[test]
        fn a_moment_lies_within_its_local_day(t in -10_000_000_000i64..10_000_000_000, hours in -18i32..=18) {
            let offset = UtcOffset::from_hours(hours).expect("within ±18 h");
            let moment = UnixSeconds(t);
            let day = moment.local_day(offset);
            let start = UnixSeconds::start_of_local_day(day, offset);
            prop_assert!(start <= moment, "day {} starts at {} which must not be after {}", day, start, moment);
            prop_assert!(
                moment < UnixSeconds::start_of_local_day(day + 1, offset),
                "{} must be before the next day starts", moment
            );
        }
    }
}
