//! Вход по PIN: a manager logs in at the counter offline (the PIN checked against the argon2 hash the
//! server sent), is locked out after wrong PINs (the record survives restarts), and the counter locks
//! after idle time. Every counter write passes one guard, [`Kiosk::counter_tx`]: where login is
//! required it needs a manager on duty and an open shift, and it keeps the session alive.
//!
//! Login is required once a manager who can log in (active, with a PIN hash: a network that set up
//! staff) has been cached here, and from then on for good: the flag is the kiosk's own, so a reset
//! rebuilding the employee cache page by page, or the point's managers all retired, does not switch it
//! off (with no manager cached the counter refuses writes until sync brings one). Until then (a demo
//! kiosk) the counter works as it did before staff login.

pub(crate) mod badge;
pub(crate) mod shift;

pub(crate) use shift::counter_shift_report;

use crate::error::{KioskError, Result};
use crate::kiosk::{rfc3339, timestamp, unix};
use crate::store::staff_session::{self, SessionRow};
use crate::store::Db;
use crate::store::{employees, shifts};
use crate::view::returns::StaffView;
use crate::view::staff::{ManagerChoice, OpenShiftView, SessionLock, SessionView};
use crate::view::CounterView;
use crate::Kiosk;
use argon2::password_hash::{PasswordHash, PasswordVerifier};
use chrono::{DateTime, Utc};
use pvz_domain::{AttemptOutcome, EmployeeId, EmployeeRole, LoginPolicy, Pin, Session, SessionError, StaffMember};
use pvz_protocol::EmployeeWire;

/// Whether the counter needs a logged-in manager: staff login was switched on here (see the module doc).
pub(crate) fn login_required(conn: &Db<'_>) -> Result<bool> {
    Ok(staff_session::is_login_enabled(conn)?)
}

/// A cached employee who can log in at the counter: an active manager with a PIN hash.
fn can_log_in(employee: &EmployeeWire) -> bool {
    employee.role == EmployeeRole::Manager && !employee.retired && employee.pin_hash.is_some()
}

/// An employee the pull feed sent, cached: the first who can log in switches staff login on.
pub(crate) fn cache_employee(conn: &Db<'_>, employee: &EmployeeWire) -> Result<()> {
    employees::upsert_employee(conn, employee)?;
    if can_log_in(employee) {
        staff_session::enable_login(conn)?;
    }
    Ok(())
}

/// A name for an employee id, the id itself when the cache does not know it.
pub(crate) fn staff_view(conn: &Db<'_>, employee_id: &str) -> Result<StaffView> {
    let name = employees::get_employee_name(conn, employee_id)?.unwrap_or_else(|| employee_id.to_owned());
    Ok(StaffView { employee_id: employee_id.to_owned(), name })
}

/// The session as the domain sees it, with the logged-in manager still an active manager with a PIN
/// (one retired meanwhile is logged out). A manager missing from the cache (a reset rebuilding it)
/// is not on duty meanwhile, but the session row stays: once the feed brings them back, so is the
/// session.
fn current_session(conn: &Db<'_>) -> Result<Session> {
    let Some(row) = staff_session::get_session(conn)? else { return Ok(Session::LoggedOut) };
    let still_manager = employees::get_employee(conn, &row.manager_id)?.is_some_and(|e| can_log_in(&e));
    if !still_manager {
        return Ok(Session::LoggedOut);
    }
    Ok(Session::Active { manager: row.manager_id, last_activity: row.last_activity })
}

/// The staff guard of counter work: where login is required, the manager on duty at `now` (and an
/// open shift when `need_shift`); the session's last activity moves to `now`. `None` where login is
/// not required. Run inside the write's transaction, so the op's operator is the one checked here.
pub(crate) fn require_on_duty(conn: &Db<'_>, now: DateTime<Utc>, need_shift: bool) -> Result<Option<EmployeeId>> {
    if !login_required(conn)? {
        return Ok(None);
    }
    let session = current_session(conn)?;
    let on_duty = session.on_duty(&LoginPolicy::default(), unix(now)).map_err(|e| match e {
        SessionError::NotLoggedIn => KioskError::LoginRequired,
        SessionError::IdleLocked => KioskError::IdleLocked,
    })?;
    let manager = on_duty.manager().clone();
    if need_shift && shifts::get_open_shift(conn)?.is_none() {
        return Err(KioskError::ShiftNotOpen);
    }
    staff_session::touch_session(conn, unix(now))?;
    Ok(Some(manager))
}

/// The manager on duty at `now`, if any: none where login is not required, nor while logged out or
/// locked. For records that name who was at the counter (the scan log) without guarding anything.
pub(crate) fn manager_on_duty(conn: &Db<'_>, now: DateTime<Utc>) -> Result<Option<EmployeeId>> {
    if !login_required(conn)? {
        return Ok(None);
    }
    Ok(current_session(conn)?.on_duty(&LoginPolicy::default(), unix(now)).ok().map(|d| d.manager().clone()))
}

/// Checks a PIN against an argon2 PHC string (the parameters are the hash's own).
fn pin_matches(hash: &str, pin: &Pin) -> Result<bool> {
    let parsed = PasswordHash::new(hash)
        .map_err(|e| KioskError::Store(crate::store::StoreError::Corrupt(format!("stored PIN hash: {e}"))))?;
    Ok(argon2::Argon2::default().verify_password(pin.expose().as_bytes(), &parsed).is_ok())
}

impl Kiosk {
    /// Runs a counter write in one transaction behind the staff guard ([`require_on_duty`] with a
    /// shift). Every counter action that records something goes through here; screen-only changes
    /// (dismissing a receipt) and applying the server's answers do not.
    pub(crate) fn counter_tx<T>(&self, f: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        let now = self.now();
        self.store.with_tx(|tx| {
            require_on_duty(tx, now, true)?;
            f(tx)
        })
    }

    /// Logs a manager in by PIN (the manager picked by name on the PIN screen). A malformed PIN is
    /// refused without counting; wrong PINs count towards a lockout, and during a lockout no PIN is
    /// checked at all.
    pub fn log_in(&self, employee_id: &str, pin: &str) -> Result<CounterView> {
        let now = self.now();
        self.check_manager_pin(employee_id, pin, |tx, member| {
            Session::log_in(member, unix(now)).map_err(|_| KioskError::NotAManager)?;
            let row =
                SessionRow { manager_id: member.id.clone(), logged_in_at: timestamp(now), last_activity: unix(now) };
            Ok(staff_session::start_session(tx, &row)?)
        })?;
        self.view()
    }

    /// Closing the window in kiosk mode: allowed with the PIN of a manager who can log in here,
    /// checked and counted exactly as a login (a wrong PIN brings the same lockout nearer). A kiosk
    /// where nobody can log in yet (not enrolled, or its network has set up no staff) has no PIN to
    /// ask for, and may close.
    pub fn authorize_close(&self, employee_id: Option<&str>, pin: Option<&str>) -> Result<()> {
        if !self.store.with_conn(login_required)? {
            return Ok(());
        }
        let (Some(employee_id), Some(pin)) = (employee_id, pin) else { return Err(KioskError::LoginRequired) };
        self.check_manager_pin(employee_id, pin, |_, member| {
            tracing::info!(manager = %member.id, "closing the counter allowed by a manager's PIN");
            Ok(())
        })
    }

    /// Checks `pin` as `employee_id`'s, counting the attempt towards a lockout, and runs `then` in
    /// the same transaction when it is right.
    fn check_manager_pin(
        &self,
        employee_id: &str,
        pin: &str,
        then: impl FnOnce(&Db<'_>, &StaffMember) -> Result<()>,
    ) -> Result<()> {
        let pin = Pin::parse_entry(pin).map_err(|e| KioskError::InvalidInput(e.to_string()))?;
        let employee_id = EmployeeId::parse(employee_id).map_err(|_| KioskError::NotAManager)?;
        let policy = LoginPolicy::default();
        let now = self.now();
        let (employee, attempts) = self.store.with_conn(|c| {
            let employee = employees::get_employee(c, &employee_id)?.ok_or(KioskError::NotAManager)?;
            Ok::<_, KioskError>((employee, staff_session::get_pin_attempts(c, &employee_id)?))
        })?;
        let member = StaffMember { id: employee_id.clone(), role: employee.role, retired: employee.retired };
        member.ensure_may(pvz_domain::CounterAct::WorkCounter).map_err(|_| KioskError::NotAManager)?;
        let hash = employee.pin_hash.ok_or(KioskError::PinNotSet)?;
        // The slow hash runs outside the store's lock; a locked-out manager's PIN is not checked.
        let correct = attempts.locked_until(&policy, unix(now)).is_none() && pin_matches(&hash, &pin)?;
        let outcome = self.store.with_tx(|tx| {
            let (next, outcome) =
                staff_session::get_pin_attempts(tx, &employee_id)?.attempt(correct, &policy, unix(now));
            staff_session::set_pin_attempts(tx, &employee_id, &next)?;
            if outcome == AttemptOutcome::LoggedIn {
                then(tx, &member)?;
            }
            Ok::<_, KioskError>(outcome)
        })?;
        match outcome {
            AttemptOutcome::LoggedIn => Ok(()),
            AttemptOutcome::WrongPin { tries_left } => Err(KioskError::WrongPin { tries_left }),
            AttemptOutcome::LockedNow { until } | AttemptOutcome::StillLocked { until } => {
                Err(KioskError::PinLocked { until: rfc3339(until) })
            }
        }
    }

    /// Ends the session: the PIN screen shows. The open shift stays open for the next manager.
    pub fn log_out(&self) -> Result<CounterView> {
        self.store.with_tx(|tx| Ok::<_, KioskError>(staff_session::end_session(tx)?))?;
        self.view()
    }

    /// Counter activity the core does not see (a key press, a click): keeps an active session from
    /// idle-locking. A session already locked stays locked.
    pub fn keep_alive(&self) -> Result<SessionView> {
        let now = self.now();
        self.store.with_tx(|tx| {
            if let Session::Active { .. } = current_session(tx)?.at(&LoginPolicy::default(), unix(now)) {
                staff_session::touch_session(tx, unix(now))?;
            }
            session_view(tx, now)
        })
    }

    /// Who works the counter, whether it is locked, and the open shift.
    pub fn session(&self) -> Result<SessionView> {
        let now = self.now();
        self.store.with_conn(|c| session_view(c, now))
    }
}

/// The session part of the counter view at `now`.
pub(crate) fn session_view(conn: &Db<'_>, now: DateTime<Utc>) -> Result<SessionView> {
    let policy = LoginPolicy::default();
    let mut managers = Vec::new();
    for (id, name) in employees::list_login_managers(conn)? {
        let locked_until = staff_session::get_pin_attempts(conn, &id)?.locked_until(&policy, unix(now)).map(rfc3339);
        managers.push(ManagerChoice { employee_id: id.to_string(), name, locked_until });
    }
    let login_required = login_required(conn)?;
    let (mut logged_in, mut lock, mut idle_lock_at) = (None, None, None);
    if login_required {
        match current_session(conn)?.at(&policy, unix(now)) {
            Session::Active { manager, last_activity } => {
                logged_in = Some(staff_view(conn, manager.as_str())?);
                idle_lock_at = Some(rfc3339(last_activity.plus_seconds(policy.idle_lock_seconds)));
            }
            Session::IdleLocked { manager } => {
                lock = Some(SessionLock::Idle { manager: staff_view(conn, manager.as_str())? })
            }
            Session::LoggedOut => {}
        }
    }
    let shift = match shifts::get_open_shift(conn)? {
        Some(row) => Some(OpenShiftView {
            shift_id: row.shift_id,
            opened_at: row.opened_at,
            opened_by: row.opened_by.as_deref().map(|id| staff_view(conn, id)).transpose()?,
        }),
        None => None,
    };
    Ok(SessionView {
        login_required,
        waiting_for_sync: login_required && managers.is_empty(),
        managers,
        logged_in,
        lock,
        idle_lock_at,
        shift,
    })
}
