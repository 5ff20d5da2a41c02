//! Сотрудники: who may do what at the counter, and the rules of PIN login (format, lockout after
//! wrong PINs, idle lock). Only the rules: PINs are hashed and checked (argon2) by the kiosk core,
//! and every time comes in as an argument.
//!
//! Only a manager logs in at the counter, by PIN, and every counter operation runs under the logged-in
//! manager. Couriers and drivers never log in: they identify by scanning their badge, a courier to
//! hand back refused items, a driver to take return boxes away. A retired employee may do nothing.

mod lockout;
mod pin;
mod session;

pub use lockout::{AttemptOutcome, PinAttempts};
pub use pin::{Pin, PinError};
pub use session::{OnDuty, Session, SessionError};

use crate::ids::EmployeeId;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Who an employee is to the counter (the same names the server's employee feed uses).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EmployeeRole {
    /// Менеджер ПВЗ: works the counter.
    Manager,
    /// Курьер: brings back items buyers refused at the door.
    Courier,
    /// Водитель: takes return boxes to logistics.
    Driver,
}

/// How an employee proves who they are at the counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Identification {
    /// PIN on the kiosk keyboard: a login that opens the counter.
    Pin,
    /// Бейдж: a scanned badge, which names the person on an act but opens nothing.
    Badge,
}

/// What a person can be at the counter for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CounterAct {
    /// Log in by PIN and work the counter: issue, receive, returns, boxes, the shift.
    WorkCounter,
    /// Приём отказов от курьера: hand back items refused at the door.
    HandBackRefusals,
    /// Передача коробок: take return boxes away, signing the handover act.
    CollectReturnBoxes,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StaffError {
    #[error("employee {0} has left the network")]
    Retired(EmployeeId),
    #[error("a {role} may not {act}", role = .role.as_str(), act = .act.as_str())]
    NotAllowed { role: EmployeeRole, act: CounterAct },
}

impl EmployeeRole {
    pub const ALL: [EmployeeRole; 3] = [EmployeeRole::Manager, EmployeeRole::Courier, EmployeeRole::Driver];

    pub fn identifies_by(self) -> Identification {
        match self {
            EmployeeRole::Manager => Identification::Pin,
            EmployeeRole::Courier | EmployeeRole::Driver => Identification::Badge,
        }
    }

    /// Each role is at the counter for one thing.
    pub fn may(self, act: CounterAct) -> bool {
        matches!(
            (self, act),
            (EmployeeRole::Manager, CounterAct::WorkCounter)
                | (EmployeeRole::Courier, CounterAct::HandBackRefusals)
                | (EmployeeRole::Driver, CounterAct::CollectReturnBoxes)
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EmployeeRole::Manager => "manager",
            EmployeeRole::Courier => "courier",
            EmployeeRole::Driver => "driver",
        }
    }

    pub fn parse(raw: &str) -> Option<EmployeeRole> {
        EmployeeRole::ALL.into_iter().find(|r| r.as_str() == raw)
    }
}

impl CounterAct {
    pub fn as_str(self) -> &'static str {
        match self {
            CounterAct::WorkCounter => "work the counter",
            CounterAct::HandBackRefusals => "hand back refused items",
            CounterAct::CollectReturnBoxes => "collect return boxes",
        }
    }
}

/// An employee as the server describes them, without the PIN hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub id: EmployeeId,
    pub role: EmployeeRole,
    /// Left the network: refused for everything.
    pub retired: bool,
}

impl StaffMember {
    pub fn ensure_may(&self, act: CounterAct) -> Result<(), StaffError> {
        if self.retired {
            return Err(StaffError::Retired(self.id.clone()));
        }
        if !self.role.may(act) {
            return Err(StaffError::NotAllowed { role: self.role, act });
        }
        Ok(())
    }
}

/// Thresholds of PIN login; the defaults are what the counter uses unless the network says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginPolicy {
    /// Wrong PINs in a row that lock the employee out.
    pub max_wrong_pins: u32,
    /// The first lockout; each further one without a correct PIN in between lasts twice as long.
    pub first_lock_seconds: i64,
    /// No lockout lasts longer, whatever the count or the clock says.
    pub max_lock_seconds: i64,
    /// No counter activity for this long locks the screen until a manager enters a PIN.
    pub idle_lock_seconds: i64,
}

impl Default for LoginPolicy {
    /// 5 wrong PINs lock for 5 min, then 10, 20, 40, and at most 1 h; idle lock after 10 min.
    fn default() -> LoginPolicy {
        LoginPolicy {
            max_wrong_pins: 5,
            first_lock_seconds: 5 * 60,
            max_lock_seconds: 60 * 60,
            idle_lock_seconds: 10 * 60,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(role: EmployeeRole, retired: bool) -> StaffMember {
        StaffMember { id: EmployeeId::parse("emp-1").expect("test id"), role, retired }
    }

    #[test]
    fn only_managers_log_in_and_the_others_show_a_badge() {
        assert_eq!(EmployeeRole::Manager.identifies_by(), Identification::Pin, "a manager enters a PIN");
        assert_eq!(EmployeeRole::Courier.identifies_by(), Identification::Badge, "a courier scans a badge");
        assert_eq!(EmployeeRole::Driver.identifies_by(), Identification::Badge, "a driver scans a badge");
        for role in [EmployeeRole::Courier, EmployeeRole::Driver] {
            assert_eq!(
                member(role, false).ensure_may(CounterAct::WorkCounter),
                Err(StaffError::NotAllowed { role, act: CounterAct::WorkCounter }),
                "a {role:?} cannot work the counter"
            );
        }
    }

    #[test]
    fn each_role_is_at_the_counter_for_its_own_act() {
        let acts = [CounterAct::WorkCounter, CounterAct::HandBackRefusals, CounterAct::CollectReturnBoxes];
        for (role, allowed) in EmployeeRole::ALL.into_iter().zip(acts) {
            for act in acts {
                assert_eq!(role.may(act), act == allowed, "{role:?} may {act:?} only if it is their act");
            }
        }
        assert_eq!(member(EmployeeRole::Courier, false).ensure_may(CounterAct::HandBackRefusals), Ok(()), "courier");
        assert_eq!(member(EmployeeRole::Driver, false).ensure_may(CounterAct::CollectReturnBoxes), Ok(()), "driver");
    }

    #[test]
    fn a_retired_employee_may_do_nothing() {
        let retired = member(EmployeeRole::Manager, true);
        assert_eq!(
            retired.ensure_may(CounterAct::WorkCounter),
            Err(StaffError::Retired(retired.id.clone())),
            "a retired manager cannot log in"
        );
    }

    #[test]
    fn roles_round_trip_through_the_feeds_names() {
        for role in EmployeeRole::ALL {
            assert_eq!(EmployeeRole::parse(role.as_str()), Some(role), "{role:?}");
            let json = serde_json::to_string(&role).expect("a role serializes");
            assert_eq!(json, format!("\"{}\"", role.as_str()), "the wire name is the stored name");
        }
        assert_eq!(EmployeeRole::parse("admin"), None, "unknown roles are refused");
        let error = StaffError::NotAllowed { role: EmployeeRole::Driver, act: CounterAct::WorkCounter };
        assert_eq!(error.to_string(), "a driver may not work the counter", "the message reads as a sentence");
    }
}
