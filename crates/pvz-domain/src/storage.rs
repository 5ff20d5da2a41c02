//! Срок хранения: how long an item waits for its buyer at the point, and which items are past it
//! (the list the kiosk shows every morning, to move them to returns as unredeemed).
//!
//! The period counts local calendar days after the day the item arrived: with 7 days, an item that
//! arrived on Monday at any hour can be collected until Monday next week at 23:59:59 local time, and
//! is past its period from the following midnight. So the buyer always has at least the full number
//! of days, and every item that expires on a given day appears on the same morning's list. A moment
//! exactly at that midnight is already past. Items already issued or already in returns are never listed.

use crate::ids::ItemId;
use crate::timestamp::{UnixSeconds, UtcOffset};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A storage period in whole days, 1..=365.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct StorageDays(u16);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a storage period is 1 to {max} days, got {got}", max = StorageDays::MAX)]
pub struct StorageDaysError {
    pub got: u16,
}

impl StorageDays {
    pub const MAX: u16 = 365;
    /// The marketplace's usual period.
    pub const WEEK: StorageDays = StorageDays(7);

    pub fn new(days: u16) -> Result<StorageDays, StorageDaysError> {
        if (1..=Self::MAX).contains(&days) {
            Ok(StorageDays(days))
        } else {
            Err(StorageDaysError { got: days })
        }
    }

    pub fn get(self) -> u16 {
        self.0
    }
}

impl From<StorageDays> for u16 {
    fn from(days: StorageDays) -> u16 {
        days.0
    }
}

impl TryFrom<u16> for StorageDays {
    type Error = StorageDaysError;
    fn try_from(days: u16) -> Result<StorageDays, StorageDaysError> {
        StorageDays::new(days)
    }
}

/// The storage period of a pickup point, from the server's policy; a category may have its own.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoragePolicy {
    pub default_days: StorageDays,
    /// Period per item category (e.g. "food" shorter than "clothes").
    pub per_category: BTreeMap<String, StorageDays>,
}

impl Default for StoragePolicy {
    fn default() -> StoragePolicy {
        StoragePolicy { default_days: StorageDays::WEEK, per_category: BTreeMap::new() }
    }
}

impl StoragePolicy {
    pub fn days_for(&self, category: &str) -> StorageDays {
        self.per_category.get(category).copied().unwrap_or(self.default_days)
    }

    /// The first moment the item is past its period: local midnight after its last storage day.
    pub fn expires_at(&self, category: &str, arrived_at: UnixSeconds, offset: UtcOffset) -> UnixSeconds {
        let last_day = arrived_at.local_day(offset) + i64::from(self.days_for(category).get());
        UnixSeconds::start_of_local_day(last_day + 1, offset)
    }

    pub fn is_past(&self, category: &str, arrived_at: UnixSeconds, offset: UtcOffset, now: UnixSeconds) -> bool {
        now >= self.expires_at(category, arrived_at, offset)
    }
}

/// Where an item that arrived at the point is now, as far as storage is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShelfState {
    /// In its cell, waiting for the buyer.
    OnShelf,
    /// Handed to the buyer.
    Issued,
    /// Already refused, unredeemed or otherwise headed back to the seller.
    InReturns,
}

/// An item as the morning list sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredItem {
    pub item_id: ItemId,
    pub category: String,
    /// When receiving put it in a cell.
    pub arrived_at: UnixSeconds,
    pub state: ShelfState,
}

/// An item on the morning list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overdue<'a> {
    pub item: &'a StoredItem,
    pub expires_at: UnixSeconds,
    /// Local days since its last storage day: 1 on the first morning it is listed.
    pub days_over: u32,
}

/// Невостребованные: the items still on the shelf and past their period at `now`, the longest
/// expired first (then by item id, so the list reads the same each time).
pub fn overdue_items<'a>(
    items: &'a [StoredItem],
    policy: &StoragePolicy,
    offset: UtcOffset,
    now: UnixSeconds,
) -> Vec<Overdue<'a>> {
    let mut overdue: Vec<Overdue<'a>> = items
        .iter()
        .filter(|item| item.state == ShelfState::OnShelf)
        .filter_map(|item| {
            let expires_at = policy.expires_at(&item.category, item.arrived_at, offset);
            let days = now.local_day(offset) - expires_at.local_day(offset) + 1;
            (now >= expires_at).then(|| Overdue {
                item,
                expires_at,
                days_over: u32::try_from(days).unwrap_or(u32::MAX),
            })
        })
        .collect();
    overdue.sort_by(|a, b| a.expires_at.cmp(&b.expires_at).then_with(|| a.item.item_id.cmp(&b.item.item_id)));
    overdue
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timestamp::SECONDS_PER_DAY;
    use proptest::prelude::*;

    /// Monday 2025-03-10 00:00 in Moscow (2025-03-09T21:00:00Z).
    const MONDAY: UnixSeconds = UnixSeconds(1_741_554_000);
    const HOUR: i64 = 3600;

    fn at(day: i64, hour: i64) -> UnixSeconds {
        MONDAY.plus_seconds(day * SECONDS_PER_DAY + hour * HOUR)
    }

    fn item(id: &str, category: &str, arrived_at: UnixSeconds, state: ShelfState) -> StoredItem {
        StoredItem { item_id: ItemId::parse(id).expect("test id"), category: category.into(), arrived_at, state }
    }

    fn policy() -> StoragePolicy {
        StoragePolicy {
            default_days: StorageDays::WEEK,
            per_category: BTreeMap::from([("food".to_owned(), StorageDays::new(3).expect("3 days"))]),
        }
    }

    #[test]
    fn a_week_runs_to_the_end_of_the_seventh_day_after_arrival() {
        let arrived = at(0, 15);
        let expires = policy().expires_at("clothes", arrived, UtcOffset::MOSCOW);
        assert_eq!(expires, at(8, 0), "Monday 15:00 + 7 days: collectable all next Monday, past from Tuesday 00:00");
        let p = policy();
        assert!(
            !p.is_past("clothes", arrived, UtcOffset::MOSCOW, at(7, 23).plus_seconds(3599)),
            "next Monday 23:59:59"
        );
        assert!(p.is_past("clothes", arrived, UtcOffset::MOSCOW, at(8, 0)), "exactly at the deadline it is past");
        assert_eq!(
            p.expires_at("clothes", at(0, 0), UtcOffset::MOSCOW),
            expires,
            "any hour of the arrival day gives the same deadline"
        );
    }

    #[test]
    fn the_deadline_follows_the_points_local_day() {
        // Tuesday 01:00 in Moscow is Monday 22:00 UTC: a point on UTC counts that arrival as Monday.
        let tuesday_early = at(1, 1);
        assert_eq!(
            policy().expires_at("clothes", tuesday_early, UtcOffset::MOSCOW),
            at(9, 0),
            "a Tuesday arrival in Moscow"
        );
        assert_eq!(
            policy().expires_at("clothes", tuesday_early, UtcOffset::UTC),
            at(8, 3),
            "the same moment is Monday at a UTC point: past from Tuesday 00:00 UTC (03:00 Moscow)"
        );
    }

    #[test]
    fn a_category_may_have_its_own_period() {
        assert_eq!(policy().days_for("food").get(), 3, "food keeps 3 days");
        assert_eq!(policy().days_for("shoes"), StorageDays::WEEK, "others keep the default");
        assert_eq!(policy().expires_at("food", at(0, 10), UtcOffset::MOSCOW), at(4, 0), "past from Friday 00:00");
    }

    #[test]
    fn a_period_is_one_to_365_days() {
        assert_eq!(StorageDays::new(0), Err(StorageDaysError { got: 0 }), "zero days is no period");
        assert_eq!(StorageDays::new(366), Err(StorageDaysError { got: 366 }), "over a year is refused");
        assert_eq!(StorageDays::new(365).map(StorageDays::get), Ok(365), "a year is allowed");
        let parsed: Result<StoragePolicy, _> = serde_json::from_str(r#"{"default_days":0,"per_category":{}}"#);
        assert!(parsed.is_err(), "a zero period is refused on the wire too");
        let parsed: StoragePolicy =
            serde_json::from_str(r#"{"default_days":5,"per_category":{"food":2}}"#).expect("a valid policy");
        assert_eq!(parsed.days_for("food").get(), 2, "category periods are read from the wire");
    }

    #[test]
    fn the_morning_list_holds_only_shelf_items_past_their_period() {
        let items = [
            item("itm-old", "clothes", at(0, 12), ShelfState::OnShelf),
            item("itm-fresh", "clothes", at(3, 12), ShelfState::OnShelf),
            item("itm-issued", "clothes", at(0, 9), ShelfState::Issued),
            item("itm-returned", "clothes", at(0, 9), ShelfState::InReturns),
            item("itm-food", "food", at(2, 12), ShelfState::OnShelf),
            item("itm-older", "clothes", at(-1, 12), ShelfState::OnShelf),
        ];
        let tuesday_morning = at(8, 9);
        let listed: Vec<(&str, u32)> = overdue_items(&items, &policy(), UtcOffset::MOSCOW, tuesday_morning)
            .iter()
            .map(|o| (o.item.item_id.as_str(), o.days_over))
            .collect();
        assert_eq!(
            listed,
            [("itm-food", 3), ("itm-older", 2), ("itm-old", 1)],
            "longest expired first; issued, returned and fresh items are not listed"
        );
    }

    #[test]
    fn equal_deadlines_list_by_item_id() {
        let items = [
            item("itm-b", "clothes", at(0, 18), ShelfState::OnShelf),
            item("itm-a", "clothes", at(0, 9), ShelfState::OnShelf),
        ];
        let listed: Vec<&str> = overdue_items(&items, &policy(), UtcOffset::MOSCOW, at(8, 0))
            .iter()
            .map(|o| o.item.item_id.as_str())
            .collect();
        assert_eq!(listed, ["itm-a", "itm-b"], "same day of arrival, same deadline: ordered by id");
    }

    proptest! {
        #[test]
        fn the_buyer_always_gets_the_full_period(
            arrived in 0i64..4_000_000_000,
            days in 1u16..=365,
            hours in -12i32..=14,
        ) {
            let offset = UtcOffset::from_hours(hours).expect("a real offset");
            let policy = StoragePolicy { default_days: StorageDays::new(days).expect("1..=365"), per_category: BTreeMap::new() };
            let arrived = UnixSeconds(arrived);
            let expires = policy.expires_at("any", arrived, offset);
            let full = i64::from(days) * SECONDS_PER_DAY;
            prop_assert!(expires.seconds_since(arrived) > full, "at least {} full days after arrival", days);
            prop_assert!(expires.seconds_since(arrived) <= full + SECONDS_PER_DAY, "at most one day more than {} days", days);
            prop_assert_eq!(
                UnixSeconds::start_of_local_day(expires.local_day(offset), offset),
                expires,
                "the deadline is a local midnight"
            );
            prop_assert!(!policy.is_past("any", arrived, offset, expires.plus_seconds(-1)), "one second before is not past");
            prop_assert!(policy.is_past("any", arrived, offset, expires), "the deadline itself is past");
        }

        #[test]
        fn the_list_is_exactly_the_past_shelf_items_in_order(
            raw in prop::collection::vec((0i64..30, 0i64..24, 0u8..3, any::<bool>()), 0..20),
            now_day in 0i64..40,
            now_hour in 0i64..24,
        ) {
            let states = [ShelfState::OnShelf, ShelfState::Issued, ShelfState::InReturns];
            let items: Vec<StoredItem> = raw
                .iter()
                .enumerate()
                .map(|(i, (day, hour, state, food))| {
                    let category = if *food { "food" } else { "clothes" };
                    item(&format!("itm-{i:02}"), category, at(*day, *hour), states[usize::from(*state)])
                })
                .collect();
            let now = at(now_day, now_hour);
            let p = policy();
            let listed = overdue_items(&items, &p, UtcOffset::MOSCOW, now);
            let expected = items
                .iter()
                .filter(|i| i.state == ShelfState::OnShelf && p.is_past(&i.category, i.arrived_at, UtcOffset::MOSCOW, now))
                .count();
            prop_assert_eq!(listed.len(), expected, "every past shelf item is listed, and nothing else");
            for pair in listed.windows(2) {
                prop_assert!(pair[0].expires_at <= pair[1].expires_at, "longest expired first");
            }
            for o in &listed {
                prop_assert_eq!(o.item.state, ShelfState::OnShelf, "only shelf items are listed");
                prop_assert!(o.days_over >= 1, "a listed item is at least one day over");
            }
        }
    }
}
