//! Смена: a device's shift, opened and closed by the logged-in manager, and the shift report as a
//! pure fold over the counter events of the shift.
//!
//! A device has at most one open shift. Opening and closing need a manager on duty (logged in and not
//! idle-locked); the one who closes need not be the one who opened, so a shift is never stuck open
//! when its opener has gone home: the report names both.

use crate::ids::EmployeeId;
use crate::money::Kopecks;
use crate::refusal::RefusalReason;
use crate::staff::OnDuty;
use crate::timestamp::UnixSeconds;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenShift {
    pub opened_by: EmployeeId,
    pub opened_at: UnixSeconds,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShiftState {
    Closed,
    Open(OpenShift),
}

/// A finished shift: who opened and closed it, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedShift {
    pub opened_by: EmployeeId,
    pub opened_at: UnixSeconds,
    pub closed_by: EmployeeId,
    pub closed_at: UnixSeconds,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShiftError {
    #[error("a shift is already open on this counter (opened by {opened_by})")]
    AlreadyOpen { opened_by: EmployeeId, opened_at: UnixSeconds },
    #[error("no shift is open on this counter")]
    NotOpen,
}

impl ShiftState {
    pub fn open(self, on_duty: OnDuty<'_>, now: UnixSeconds) -> Result<ShiftState, ShiftError> {
        match self {
            ShiftState::Closed => {
                Ok(ShiftState::Open(OpenShift { opened_by: on_duty.manager().clone(), opened_at: now }))
            }
            ShiftState::Open(shift) => {
                Err(ShiftError::AlreadyOpen { opened_by: shift.opened_by, opened_at: shift.opened_at })
            }
        }
    }

    /// Closing leaves the device's state `Closed` and gives the record of the shift.
    pub fn close(self, on_duty: OnDuty<'_>, now: UnixSeconds) -> Result<ClosedShift, ShiftError> {
        match self {
            ShiftState::Open(OpenShift { opened_by, opened_at }) => {
                Ok(ClosedShift { opened_by, opened_at, closed_by: on_duty.manager().clone(), closed_at: now })
            }
            ShiftState::Closed => Err(ShiftError::NotOpen),
        }
    }

    /// Counter work happens inside an open shift.
    pub fn ensure_open(&self) -> Result<&OpenShift, ShiftError> {
        match self {
            ShiftState::Open(shift) => Ok(shift),
            ShiftState::Closed => Err(ShiftError::NotOpen),
        }
    }
}

/// One item refused at the counter and the fee recorded with the refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefusedItem {
    pub reason: RefusalReason,
    pub fee: Kopecks,
}

/// What the kiosk feeds the report: one event per completed counter operation of the shift.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShiftEvent {
    /// Выдача: an order completed after payment was confirmed (even if every item was refused).
    OrderIssued {
        items_handed_over: u32,
        refused: Vec<RefusedItem>,
        /// Items recorded missing at receiving that the order was issued without.
        items_not_arrived: u32,
        /// What the manager took from the buyer: goods paid at the counter plus fees.
        money_taken: Kopecks,
        /// Refused and not-arrived prepaid goods, paid back to the buyer by the network.
        refunded: Kopecks,
    },
    /// Приём возврата по претензии: an item taken back on an approved claim.
    ClaimReturnAccepted {
        /// Paid back to the buyer from the seller's balance; zero for a replacement.
        refund: Kopecks,
    },
    /// Приём отказов от курьера: one courier's hand-back, one reason per item.
    CourierHandBack { items: Vec<RefusalReason> },
    /// A return box handed to the logistics driver.
    BoxHandedOver { items: u32 },
    /// Невостребованные: items past their storage period moved to returns.
    UnredeemedToReturns { items: u32 },
}

/// How often one reason came up in the shift, at the counter and in courier hand-backs.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RefusalCount {
    pub reason: RefusalReason,
    pub at_counter: u32,
    pub from_couriers: u32,
}

/// Отчёт за смену: the figures of one shift, shown at closing and exported as PDF and CSV.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ShiftReport {
    pub orders_issued: u32,
    pub items_handed_over: u32,
    pub items_refused: u32,
    /// Items an order was issued without: recorded missing at receiving, not at the point. Absent
    /// from reports of kiosks before it existed.
    #[serde(default)]
    pub items_not_arrived: u32,
    /// One row per reason, every reason, in `RefusalReason::ALL` order.
    pub refusals: Vec<RefusalCount>,
    /// Return-logistics fees of refusals at the counter (a part of `money_taken`).
    pub fees: Kopecks,
    pub money_taken: Kopecks,
    /// Refused and not-arrived prepaid goods paid back to buyers.
    pub refunds: Kopecks,
    pub claim_returns: u32,
    pub claim_refunds: Kopecks,
    pub courier_hand_backs: u32,
    pub courier_items: u32,
    pub boxes_handed_over: u32,
    pub box_items: u32,
    pub unredeemed_to_returns: u32,
}

impl Default for ShiftReport {
    fn default() -> ShiftReport {
        ShiftReport {
            orders_issued: 0,
            items_handed_over: 0,
            items_refused: 0,
            items_not_arrived: 0,
            refusals: RefusalReason::ALL
                .into_iter()
                .map(|reason| RefusalCount { reason, at_counter: 0, from_couriers: 0 })
                .collect(),
            fees: Kopecks::ZERO,
            money_taken: Kopecks::ZERO,
            refunds: Kopecks::ZERO,
            claim_returns: 0,
            claim_refunds: Kopecks::ZERO,
            courier_hand_backs: 0,
            courier_items: 0,
            boxes_handed_over: 0,
            box_items: 0,
            unredeemed_to_returns: 0,
        }
    }
}

/// The report of a shift's events, in any order: the fold only adds.
pub fn shift_report<'a>(events: impl IntoIterator<Item = &'a ShiftEvent>) -> ShiftReport {
    events.into_iter().fold(ShiftReport::default(), ShiftReport::with)
}

impl ShiftReport {
    /// The report with one more event counted; counts and sums saturate rather than wrap.
    pub fn with(mut self, event: &ShiftEvent) -> ShiftReport {
        match event {
            ShiftEvent::OrderIssued { items_handed_over, refused, items_not_arrived, money_taken, refunded } => {
                self.orders_issued = self.orders_issued.saturating_add(1);
                self.items_handed_over = self.items_handed_over.saturating_add(*items_handed_over);
                self.items_not_arrived = self.items_not_arrived.saturating_add(*items_not_arrived);
                for item in refused {
                    self.items_refused = self.items_refused.saturating_add(1);
                    self.fees = self.fees + item.fee;
                    let row = self.row(item.reason);
                    row.at_counter = row.at_counter.saturating_add(1);
                }
                self.money_taken = self.money_taken + *money_taken;
                self.refunds = self.refunds + *refunded;
            }
            ShiftEvent::ClaimReturnAccepted { refund } => {
                self.claim_returns = self.claim_returns.saturating_add(1);
                self.claim_refunds = self.claim_refunds + *refund;
            }
            ShiftEvent::CourierHandBack { items } => {
                self.courier_hand_backs = self.courier_hand_backs.saturating_add(1);
                for reason in items {
                    self.courier_items = self.courier_items.saturating_add(1);
                    let row = self.row(*reason);
                    row.from_couriers = row.from_couriers.saturating_add(1);
                }
            }
            ShiftEvent::BoxHandedOver { items } => {
                self.boxes_handed_over = self.boxes_handed_over.saturating_add(1);
                self.box_items = self.box_items.saturating_add(*items);
            }
            ShiftEvent::UnredeemedToReturns { items } => {
                self.unredeemed_to_returns = self.unredeemed_to_returns.saturating_add(*items);
            }
        }
        self
    }

    /// The row of `reason`, added if a deserialized report lacks it.
    fn row(&mut self, reason: RefusalReason) -> &mut RefusalCount {
        let index = match self.refusals.iter().position(|r| r.reason == reason) {
            Some(index) => index,
            None => {
                self.refusals.push(RefusalCount { reason, at_counter: 0, from_couriers: 0 });
                self.refusals.len() - 1
            }
        };
        &mut self.refusals[index]
    }

    /// The row of `reason`.
    pub fn refusals_for(&self, reason: RefusalReason) -> RefusalCount {
        self.refusals.iter().copied().find(|r| r.reason == reason).unwrap_or(RefusalCount {
            reason,
            at_counter: 0,
            from_couriers: 0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staff::{EmployeeRole, LoginPolicy, Session, StaffMember};
    use proptest::prelude::*;

    const T0: UnixSeconds = UnixSeconds(1_750_000_000);

    fn manager(id: &str) -> StaffMember {
        StaffMember { id: EmployeeId::parse(id).expect("test id"), role: EmployeeRole::Manager, retired: false }
    }

    fn session(id: &str, at: UnixSeconds) -> Session {
        Session::log_in(&manager(id), at).expect("a manager logs in")
    }

    fn refused(reason: RefusalReason, fee: i64) -> RefusedItem {
        RefusedItem { reason, fee: Kopecks(fee) }
    }

    #[test]
    fn one_shift_at_a_time_opened_and_closed_by_managers_on_duty() {
        let policy = LoginPolicy::default();
        let anna = session("emp-anna", T0);
        let on_duty = anna.on_duty(&policy, T0).expect("Anna is on duty");
        let open = ShiftState::Closed.open(on_duty, T0).expect("a closed counter opens");
        assert_eq!(open.ensure_open().map(|s| s.opened_by.as_str()), Ok("emp-anna"), "Anna opened it");
        assert_eq!(
            open.clone().open(on_duty, T0.plus_seconds(5)),
            Err(ShiftError::AlreadyOpen { opened_by: manager("emp-anna").id, opened_at: T0 }),
            "a second shift on the same counter is refused"
        );
        let boris = session("emp-boris", T0.plus_seconds(8 * 3600));
        let closed = open
            .close(
                boris.on_duty(&policy, T0.plus_seconds(8 * 3600)).expect("Boris is on duty"),
                T0.plus_seconds(8 * 3600),
            )
            .expect("an open shift closes");
        assert_eq!(
            (closed.opened_by.as_str(), closed.closed_by.as_str(), closed.closed_at.seconds_since(closed.opened_at)),
            ("emp-anna", "emp-boris", 8 * 3600),
            "the record names the opener and the closer"
        );
        assert_eq!(ShiftState::Closed.close(on_duty, T0), Err(ShiftError::NotOpen), "nothing to close");
        assert_eq!(ShiftState::Closed.ensure_open(), Err(ShiftError::NotOpen), "no counter work without a shift");
    }

    #[test]
    fn an_idle_locked_manager_cannot_close_the_shift() {
        let policy = LoginPolicy::default();
        let anna = session("emp-anna", T0);
        let later = T0.plus_seconds(policy.idle_lock_seconds);
        assert!(anna.on_duty(&policy, later).is_err(), "no OnDuty, so no close, after idle time");
    }

    #[test]
    fn a_day_at_the_counter_adds_up() {
        let events = [
            ShiftEvent::OrderIssued {
                items_handed_over: 2,
                refused: vec![refused(RefusalReason::Defect, 0), refused(RefusalReason::DidNotFit, 14_900)],
                items_not_arrived: 1,
                money_taken: Kopecks(264_800),
                refunded: Kopecks::ZERO,
            },
            ShiftEvent::OrderIssued {
                items_handed_over: 0,
                refused: vec![refused(RefusalReason::ChangedMind, 9_900)],
                items_not_arrived: 0,
                money_taken: Kopecks(9_900),
                refunded: Kopecks(100_000),
            },
            ShiftEvent::ClaimReturnAccepted { refund: Kopecks(50_000) },
            ShiftEvent::ClaimReturnAccepted { refund: Kopecks::ZERO },
            ShiftEvent::CourierHandBack { items: vec![RefusalReason::DidNotFit, RefusalReason::WrongItem] },
            ShiftEvent::BoxHandedOver { items: 5 },
            ShiftEvent::BoxHandedOver { items: 3 },
            ShiftEvent::UnredeemedToReturns { items: 4 },
        ];
        let report = shift_report(&events);
        assert_eq!(report.orders_issued, 2, "an order with every item refused still counts as issued");
        assert_eq!((report.items_handed_over, report.items_refused), (2, 3), "items handed over and refused");
        assert_eq!(report.items_not_arrived, 1, "the item an order was issued without");
        assert_eq!(report.fees, Kopecks(24_800), "fees of the two buyer-side refusals");
        assert_eq!(report.money_taken, Kopecks(274_700), "money taken over both orders");
        assert_eq!(report.refunds, Kopecks(100_000), "the refused prepaid item");
        assert_eq!((report.claim_returns, report.claim_refunds), (2, Kopecks(50_000)), "claim returns and refunds");
        assert_eq!((report.courier_hand_backs, report.courier_items), (1, 2), "one hand-back of two items");
        assert_eq!((report.boxes_handed_over, report.box_items), (2, 8), "two boxes of eight items");
        assert_eq!(report.unredeemed_to_returns, 4, "unredeemed items moved to returns");
        let did_not_fit = report.refusals_for(RefusalReason::DidNotFit);
        assert_eq!((did_not_fit.at_counter, did_not_fit.from_couriers), (1, 1), "did-not-fit, from both sources");
        assert_eq!(report.refusals_for(RefusalReason::Incomplete).at_counter, 0, "a reason never given is zero");
    }

    #[test]
    fn an_empty_shift_lists_every_reason_at_zero() {
        let report = shift_report(&[]);
        let reasons: Vec<RefusalReason> = report.refusals.iter().map(|r| r.reason).collect();
        assert_eq!(reasons, RefusalReason::ALL, "the refusal table has a fixed row per reason");
        assert_eq!(report.money_taken, Kopecks::ZERO, "no money in an empty shift");
        let json = serde_json::to_value(&report).expect("a report serializes");
        assert_eq!(json["refusals"][0]["reason"], "defect", "reasons travel by their names");
        assert_eq!(json["money_taken"], 0, "money travels as kopecks");
        let mut older = json;
        older.as_object_mut().map(|o| o.remove("items_not_arrived"));
        let read: ShiftReport = serde_json::from_value(older).expect("a report of an older kiosk reads");
        assert_eq!(read.items_not_arrived, 0, "without the count, nothing was left out");
    }

    #[test]
    fn a_report_read_back_without_a_reason_row_still_counts_it() {
        let mut stored = ShiftReport::default();
        stored.refusals.retain(|r| r.reason != RefusalReason::WrongItem);
        let report = stored.with(&ShiftEvent::CourierHandBack { items: vec![RefusalReason::WrongItem] });
        assert_eq!(report.refusals_for(RefusalReason::WrongItem).from_couriers, 1, "the missing row is added");
    }

    fn reason() -> impl Strategy<Value = RefusalReason> {
        prop::sample::select(RefusalReason::ALL.to_vec())
    }

    fn event() -> impl Strategy<Value = ShiftEvent> {
        prop_oneof![
            (0u32..5, prop::collection::vec((reason(), 0i64..20_000), 0..4), 0u32..3, 0i64..1_000_000, 0i64..1_000_000)
                .prop_map(|(items_handed_over, refused, items_not_arrived, money, refund)| ShiftEvent::OrderIssued {
                    items_handed_over,
                    items_not_arrived,
                    refused: refused
                        .into_iter()
                        .map(|(reason, fee)| RefusedItem { reason, fee: Kopecks(fee) })
                        .collect(),
                    money_taken: Kopecks(money),
                    refunded: Kopecks(refund),
                }),
            (0i64..1_000_000).prop_map(|refund| ShiftEvent::ClaimReturnAccepted { refund: Kopecks(refund) }),
            prop::collection::vec(reason(), 0..6).prop_map(|items| ShiftEvent::CourierHandBack { items }),
            (0u32..30).prop_map(|items| ShiftEvent::BoxHandedOver { items }),
            (0u32..30).prop_map(|items| ShiftEvent::UnredeemedToReturns { items }),
        ]
    }

    proptest! {
        #[test]
        fn the_report_does_not_depend_on_event_order(events in prop::collection::vec(event(), 0..30)) {
            let mut reversed = events.clone();
            reversed.reverse();
            prop_assert_eq!(shift_report(&reversed), shift_report(&events), "the fold only adds");
        }

        #[test]
        fn refusal_rows_add_up_to_the_item_totals(events in prop::collection::vec(event(), 0..30)) {
            let report = shift_report(&events);
            let at_counter: u32 = report.refusals.iter().map(|r| r.at_counter).sum();
            let from_couriers: u32 = report.refusals.iter().map(|r| r.from_couriers).sum();
            prop_assert_eq!(at_counter, report.items_refused, "counter rows sum to the refused items");
            prop_assert_eq!(from_couriers, report.courier_items, "courier rows sum to the hand-back items");
            prop_assert_eq!(report.refusals.len(), RefusalReason::ALL.len(), "one row per reason, no more");
            let money: Kopecks = events
                .iter()
                .map(|e| match e { ShiftEvent::OrderIssued { money_taken, .. } => *money_taken, _ => Kopecks::ZERO })
                .sum();
            prop_assert_eq!(report.money_taken, money, "money taken is the sum over issued orders");
        }

        #[test]
        fn splitting_a_shift_report_in_two_folds_gives_the_same(
            events in prop::collection::vec(event(), 0..30),
            cut in 0usize..30,
        ) {
            let cut = cut.min(events.len());
            let first = shift_report(&events[..cut]);
            let resumed = events[cut..].iter().fold(first, ShiftReport::with);
            prop_assert_eq!(resumed, shift_report(&events), "a report can be kept up to date event by event");
        }
    }
}
