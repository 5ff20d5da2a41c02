//! Who is working the counter right now. A manager logs in (after the PIN checked out), every
//! counter activity keeps the session alive, and `idle_lock_seconds` without activity lock the
//! screen: from then on no operation runs until a manager (the same or another) logs in again.
//! An operation asks [`Session::on_duty`] for its operator, so none is recorded under nobody.
//!
//! A clock that reads earlier than the last activity (set back by hand, or stepped back by a time
//! sync) locks the counter too. Keeping the later activity instead would leave the counter unlocked
//! until the clock caught up (an hour back: an hour without the idle lock); at a counter the safe
//! answer is the PIN screen, and the next login counts activity from the clock as it then reads.

use super::{CounterAct, LoginPolicy, StaffError, StaffMember};
use crate::ids::EmployeeId;
use crate::timestamp::UnixSeconds;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Session {
    /// Nobody is logged in: the counter shows the PIN screen.
    LoggedOut,
    /// A manager works the counter; `last_activity` is their last scan, key or click.
    Active { manager: EmployeeId, last_activity: UnixSeconds },
    /// Locked after idle time: the PIN screen, with the manager it locked on named.
    IdleLocked { manager: EmployeeId },
}

/// The logged-in manager, proven active at the moment of an operation. Only a [`Session`] makes one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnDuty<'a> {
    manager: &'a EmployeeId,
}

impl OnDuty<'_> {
    pub fn manager(&self) -> &EmployeeId {
        self.manager
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    #[error("nobody is logged in at the counter")]
    NotLoggedIn,
    #[error("the counter is locked after idle time; enter a PIN to continue")]
    IdleLocked,
}

impl Session {
    /// Log in an employee whose PIN the caller has just accepted: a manager still in the network.
    /// Replaces whoever was logged in or locked before.
    pub fn log_in(employee: &StaffMember, now: UnixSeconds) -> Result<Session, StaffError> {
        employee.ensure_may(CounterAct::WorkCounter)?;
        Ok(Session::Active { manager: employee.id.clone(), last_activity: now })
    }

    pub fn log_out(self) -> Session {
        Session::LoggedOut
    }

    /// The session as it stands at `now`: an active one idle for too long is locked.
    pub fn at(self, policy: &LoginPolicy, now: UnixSeconds) -> Session {
        match self {
            Session::Active { manager, last_activity } if is_idle(last_activity, policy, now) => {
                Session::IdleLocked { manager }
            }
            other => other,
        }
    }

    /// Counter activity at `now`: keeps an active session alive; a session that has gone idle (or
    /// whose clock was set back) is locked instead, and the activity is not taken.
    pub fn touched(self, policy: &LoginPolicy, now: UnixSeconds) -> Session {
        match self.at(policy, now) {
            Session::Active { manager, .. } => Session::Active { manager, last_activity: now },
            other => other,
        }
    }

    /// The operator of an operation at `now`.
    pub fn on_duty(&self, policy: &LoginPolicy, now: UnixSeconds) -> Result<OnDuty<'_>, SessionError> {
        match self {
            Session::Active { manager, last_activity } if !is_idle(*last_activity, policy, now) => {
                Ok(OnDuty { manager })
            }
            Session::Active { .. } | Session::IdleLocked { .. } => Err(SessionError::IdleLocked),
            Session::LoggedOut => Err(SessionError::NotLoggedIn),
        }
    }
}

/// Idle for the policy's time, or on a clock set back before the last activity (see the module doc).
fn is_idle(last_activity: UnixSeconds, policy: &LoginPolicy, now: UnixSeconds) -> bool {
    now < last_activity || now.seconds_since(last_activity) >= policy.idle_lock_seconds
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staff::EmployeeRole;

    const T0: UnixSeconds = UnixSeconds(1_750_000_000);

    fn manager(id: &str) -> StaffMember {
        StaffMember { id: EmployeeId::parse(id).expect("test id"), role: EmployeeRole::Manager, retired: false }
    }

    fn policy() -> LoginPolicy {
        LoginPolicy::default()
    }

    fn active() -> Session {
        Session::log_in(&manager("emp-anna"), T0).expect("a manager logs in")
    }

    #[test]
    fn only_a_manager_in_the_network_logs_in() {
        let courier = StaffMember { role: EmployeeRole::Courier, ..manager("emp-c") };
        assert!(Session::log_in(&courier, T0).is_err(), "a courier cannot log in at the counter");
        let retired = StaffMember { retired: true, ..manager("emp-old") };
        assert_eq!(
            Session::log_in(&retired, T0),
            Err(StaffError::Retired(retired.id.clone())),
            "a retired manager cannot log in"
        );
    }

    #[test]
    fn operations_run_under_the_logged_in_manager() {
        let session = active();
        let on_duty = session.on_duty(&policy(), T0.plus_seconds(60)).expect("active a minute later");
        assert_eq!(on_duty.manager().as_str(), "emp-anna", "the operator is the manager who logged in");
        assert_eq!(Session::LoggedOut.on_duty(&policy(), T0), Err(SessionError::NotLoggedIn), "nobody logged in");
    }

    #[test]
    fn ten_idle_minutes_lock_the_counter() {
        let session = active();
        let idle_end = T0.plus_seconds(policy().idle_lock_seconds);
        assert!(session.on_duty(&policy(), idle_end.plus_seconds(-1)).is_ok(), "9:59 idle is still active");
        assert_eq!(session.on_duty(&policy(), idle_end), Err(SessionError::IdleLocked), "exactly 10 min locks");
        assert_eq!(
            session.clone().at(&policy(), idle_end),
            Session::IdleLocked { manager: manager("emp-anna").id },
            "the idle check locks the screen on the same manager"
        );
    }

    #[test]
    fn activity_keeps_the_session_alive_but_cannot_revive_an_idle_one() {
        let policy = policy();
        let mut session = active();
        for minute in 1..=30 {
            session = session.touched(&policy, T0.plus_seconds(minute * 60));
        }
        assert!(
            session.on_duty(&policy, T0.plus_seconds(35 * 60)).is_ok(),
            "busy for 30 min, 5 min since the last scan"
        );
        let late = session.clone().touched(&policy, T0.plus_seconds(45 * 60));
        assert!(matches!(late, Session::IdleLocked { .. }), "a scan after 15 idle minutes finds the counter locked");
        assert!(
            matches!(late.clone().touched(&policy, T0.plus_seconds(46 * 60)), Session::IdleLocked { .. }),
            "stays locked"
        );
        let back = Session::log_in(&manager("emp-boris"), T0.plus_seconds(47 * 60)).expect("another manager");
        assert_eq!(
            back.on_duty(&policy, T0.plus_seconds(47 * 60)).map(|d| d.manager().as_str().to_owned()),
            Ok("emp-boris".to_owned()),
            "another manager may take over a locked counter"
        );
        assert_eq!(late.log_out(), Session::LoggedOut, "logging out ends the session");
    }

    #[test]
    fn a_clock_set_back_locks_the_counter() {
        let policy = policy();
        let session = active().touched(&policy, T0.plus_seconds(300));
        let back = T0.plus_seconds(100);
        assert_eq!(
            session.on_duty(&policy, back),
            Err(SessionError::IdleLocked),
            "a clock reading before the last activity locks: otherwise nothing locks until it catches up"
        );
        assert_eq!(
            session.clone().at(&policy, back),
            Session::IdleLocked { manager: manager("emp-anna").id },
            "the screen locks on the same manager"
        );
        assert!(
            matches!(session.clone().touched(&policy, back), Session::IdleLocked { .. }),
            "activity on the clock set back does not revive the session"
        );
        let day_back = T0.plus_seconds(300 - 86_400);
        assert!(session.on_duty(&policy, day_back).is_err(), "a day back locks too, rather than a day unlocked");
        assert!(session.on_duty(&policy, T0.plus_seconds(300)).is_ok(), "the same second is still activity");
    }
}
