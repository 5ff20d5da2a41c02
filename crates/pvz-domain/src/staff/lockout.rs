//! Lockout after wrong PINs, per employee on this kiosk: after `max_wrong_pins` wrong PINs in a row
//! the employee is locked out; each further lockout without a correct PIN in between lasts twice as
//! long, up to `max_lock_seconds`. While locked every attempt is refused without looking at the PIN
//! (so guessing cannot go on) and without counting. A correct PIN clears everything.

use super::LoginPolicy;
use crate::timestamp::UnixSeconds;

/// What the kiosk keeps per employee between attempts; the default is a clean record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PinAttempts {
    /// Wrong PINs since the last correct one or the last lockout.
    pub wrong_in_a_row: u32,
    /// Lockouts since the last correct PIN: the next one lasts longer.
    pub lockouts: u32,
    pub locked_until: Option<UnixSeconds>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// The PIN was right: the manager is logged in.
    LoggedIn,
    /// The PIN was wrong; this many tries are left before a lockout.
    WrongPin { tries_left: u32 },
    /// The PIN was wrong and that was the last try.
    LockedNow { until: UnixSeconds },
    /// Refused without checking the PIN: the lockout is still running.
    StillLocked { until: UnixSeconds },
}

impl PinAttempts {
    /// The end of the running lockout, if any. A lockout never ends later than `max_lock_seconds`
    /// from now, so a clock set back cannot keep a manager out for days.
    pub fn locked_until(&self, policy: &LoginPolicy, now: UnixSeconds) -> Option<UnixSeconds> {
        self.locked_until.filter(|until| now < *until).map(|until| until.min(now.plus_seconds(policy.max_lock_seconds)))
    }

    /// One login attempt: `pin_correct` is what the hash check said (the caller may skip the check
    /// when [`PinAttempts::locked_until`] says the employee is locked; the outcome is the same).
    pub fn attempt(self, pin_correct: bool, policy: &LoginPolicy, now: UnixSeconds) -> (PinAttempts, AttemptOutcome) {
        if let Some(until) = self.locked_until(policy, now) {
            return (PinAttempts { locked_until: Some(until), ..self }, AttemptOutcome::StillLocked { until });
        }
        if pin_correct {
            return (PinAttempts::default(), AttemptOutcome::LoggedIn);
        }
        let wrong = self.wrong_in_a_row.saturating_add(1);
        if wrong < policy.max_wrong_pins.max(1) {
            let next = PinAttempts { wrong_in_a_row: wrong, locked_until: None, ..self };
            return (next, AttemptOutcome::WrongPin { tries_left: policy.max_wrong_pins - wrong });
        }
        let lockouts = self.lockouts.saturating_add(1);
        let until = now.plus_seconds(lock_seconds(policy, lockouts));
        (PinAttempts { wrong_in_a_row: 0, lockouts, locked_until: Some(until) }, AttemptOutcome::LockedNow { until })
    }
}

/// The length of the `nth` lockout (1-based): the first, doubled for each one before, capped.
fn lock_seconds(policy: &LoginPolicy, nth: u32) -> i64 {
    let doublings = nth.saturating_sub(1).min(62);
    policy.first_lock_seconds.saturating_mul(1i64 << doublings).min(policy.max_lock_seconds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const T0: UnixSeconds = UnixSeconds(1_750_000_000);
    const MINUTE: i64 = 60;

    fn policy() -> LoginPolicy {
        LoginPolicy::default()
    }

    /// `count` wrong PINs, one a second, from `start`; the state and the last outcome.
    fn wrong_pins(mut state: PinAttempts, count: u32, start: UnixSeconds) -> (PinAttempts, AttemptOutcome) {
        let mut outcome = AttemptOutcome::LoggedIn;
        for i in 0..count {
            (state, outcome) = state.attempt(false, &policy(), start.plus_seconds(i64::from(i)));
        }
        (state, outcome)
    }

    #[test]
    fn the_fifth_wrong_pin_locks_for_five_minutes() {
        let (state, outcome) = wrong_pins(PinAttempts::default(), 4, T0);
        assert_eq!(outcome, AttemptOutcome::WrongPin { tries_left: 1 }, "four wrong PINs leave one try");
        assert_eq!(state.locked_until(&policy(), T0), None, "not locked yet");
        let (state, outcome) = state.attempt(false, &policy(), T0.plus_seconds(10));
        let until = T0.plus_seconds(10 + 5 * MINUTE);
        assert_eq!(outcome, AttemptOutcome::LockedNow { until }, "the fifth wrong PIN locks for 5 min");
        assert_eq!(state.locked_until(&policy(), T0.plus_seconds(11)), Some(until), "locked right after");
    }

    #[test]
    fn while_locked_even_the_right_pin_is_refused_and_nothing_counts() {
        let (locked, _) = wrong_pins(PinAttempts::default(), 5, T0);
        let until = locked.locked_until.expect("locked");
        let (after, outcome) = locked.attempt(true, &policy(), until.plus_seconds(-1));
        assert_eq!(outcome, AttemptOutcome::StillLocked { until }, "the right PIN does not open a lockout");
        assert_eq!(after, locked, "an attempt during a lockout changes nothing");
        let (after, outcome) = locked.attempt(true, &policy(), until);
        assert_eq!(outcome, AttemptOutcome::LoggedIn, "exactly at its end the lockout is over");
        assert_eq!(after, PinAttempts::default(), "a correct PIN clears the record");
    }

    #[test]
    fn repeated_lockouts_grow_until_the_cap() {
        let mut state = PinAttempts::default();
        let mut now = T0;
        let mut lengths = Vec::new();
        for _ in 0..6 {
            let outcome;
            (state, outcome) = wrong_pins(state, 5, now);
            let AttemptOutcome::LockedNow { until } = outcome else { panic!("five wrong PINs must lock: {outcome:?}") };
            lengths.push(until.seconds_since(now.plus_seconds(4)) / MINUTE);
            now = until;
        }
        assert_eq!(lengths, [5, 10, 20, 40, 60, 60], "each lockout doubles, capped at one hour");
        let (state, _) = state.attempt(true, &policy(), now);
        let (_, outcome) = wrong_pins(state, 5, now);
        assert_eq!(
            outcome,
            AttemptOutcome::LockedNow { until: now.plus_seconds(4 + 5 * MINUTE) },
            "after a correct PIN the next lockout is short again"
        );
    }

    #[test]
    fn a_correct_pin_resets_the_count_of_wrong_ones() {
        let (state, _) = wrong_pins(PinAttempts::default(), 4, T0);
        let (state, outcome) = state.attempt(true, &policy(), T0.plus_seconds(60));
        assert_eq!(outcome, AttemptOutcome::LoggedIn, "the right PIN on the last try logs in");
        let (_, outcome) = wrong_pins(state, 1, T0.plus_seconds(120));
        assert_eq!(outcome, AttemptOutcome::WrongPin { tries_left: 4 }, "the count starts over");
    }

    #[test]
    fn a_clock_set_back_cannot_stretch_a_lockout_past_the_cap() {
        let (locked, _) = wrong_pins(PinAttempts::default(), 5, T0);
        let day_earlier = T0.plus_seconds(-24 * 60 * MINUTE);
        let until = locked.locked_until(&policy(), day_earlier).expect("still locked by the stored end");
        assert_eq!(until, day_earlier.plus_seconds(60 * MINUTE), "at most the cap from the clock's now");
        let (after, _) = locked.attempt(true, &policy(), day_earlier);
        assert_eq!(after.locked_until, Some(until), "the shortened end is kept");
        let (_, outcome) = after.attempt(true, &policy(), until);
        assert_eq!(outcome, AttemptOutcome::LoggedIn, "the manager is back within the hour");
    }

    proptest! {
        #[test]
        fn no_lockout_outlasts_the_cap_and_no_guess_slips_through(
            attempts in prop::collection::vec((any::<bool>(), 0i64..900), 1..60),
        ) {
            let policy = policy();
            let mut state = PinAttempts::default();
            let mut now = T0;
            let mut wrong_since_reset = 0u32;
            for (correct, wait) in attempts {
                now = now.plus_seconds(wait);
                let locked = state.locked_until(&policy, now);
                let outcome;
                (state, outcome) = state.attempt(correct, &policy, now);
                match outcome {
                    AttemptOutcome::StillLocked { until } => {
                        prop_assert_eq!(Some(until), locked, "refused only during a lockout");
                    }
                    AttemptOutcome::LoggedIn => {
                        prop_assert!(correct && locked.is_none(), "only a correct PIN outside a lockout logs in");
                        wrong_since_reset = 0;
                    }
                    AttemptOutcome::WrongPin { tries_left } => {
                        prop_assert!(!correct, "a wrong outcome needs a wrong PIN");
                        prop_assert!(tries_left >= 1 && tries_left < policy.max_wrong_pins, "tries left {}", tries_left);
                        wrong_since_reset += 1;
                    }
                    AttemptOutcome::LockedNow { until } => {
                        prop_assert!(!correct, "a lockout needs a wrong PIN");
                        prop_assert!(until.seconds_since(now) <= policy.max_lock_seconds, "no lockout over the cap");
                        wrong_since_reset += 1;
                        prop_assert_eq!(wrong_since_reset % policy.max_wrong_pins, 0, "locks on every fifth wrong PIN");
                    }
                }
            }
        }
    }
}
