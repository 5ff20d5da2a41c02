//! Rate limits on guessing: failed enrollments and credentials that do not verify, counted per client
//! address and per code or credential holder, answered 429 `rate_limited` with `Retry-After`.
//!
//! Only failures count: a genuine kiosk's calls never use up anything. A presented credential is
//! checked before any limit, so a device whose credential verifies is served even while its address
//! or its own id is blocked for someone else's guesses (its 256-bit secret cannot be guessed; the
//! limit is there to slow the loop and tell it to stop). Enrollment codes are shorter, so a blocked
//! address or code is refused *before* the code is looked up: a guess made while blocked is never
//! checked. Budgets are GCRA buckets (`governor`): `N` failures at once, then one per `60/N` s.
//! State is per server instance and in memory: behind a load balancer with `k` instances a guesser
//! gets up to `k` budgets, and a restart forgets them.

use crate::error::ServerError;
use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use axum::http::HeaderName;
use governor::{Quota, RateLimiter};
use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Failed enrollments one address or one code may make at once, then one per 60/N s.
pub const DEFAULT_ENROLL_FAILURES_PER_MINUTE: u32 = 10;
/// Failed credentials one address or one credential holder may present at once, then one per 60/N s.
pub const DEFAULT_CREDENTIAL_FAILURES_PER_MINUTE: u32 = 30;
/// Keys kept before forgetting those whose budget has refilled.
const PRUNE_ABOVE: usize = 10_000;
/// The longest holder name kept as a key: a credential's text is the client's to choose.
const MAX_KEY_CHARS: usize = 128;

/// What a budget belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    /// The client's address (see [`RateLimits::client_address`]).
    Address(IpAddr),
    /// An enrollment code, by the hash the server keys it by.
    Code(String),
    /// A credential's holder: its text before the secret (`pvzd1.<device>`, `pvzs1.<seller>`, ...).
    Holder(String),
}

/// The limits of one server instance; cheap to clone (shared state).
#[derive(Clone, Default)]
pub struct RateLimits {
    enroll: Option<Arc<Budgets>>,
    credentials: Option<Arc<Budgets>>,
    /// A header a trusted reverse proxy sets to the client's address (e.g. `x-forwarded-for`, whose
    /// last entry is the one the proxy appended); `None`: the TCP peer's address.
    client_address_header: Option<HeaderName>,
}

impl std::fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimits")
            .field("enroll", &self.enroll.is_some())
            .field("credentials", &self.credentials.is_some())
            .field("client_address_header", &self.client_address_header)
            .finish()
    }
}

impl RateLimits {
    /// `0` turns a limit off.
    pub fn new(enroll_per_minute: u32, credentials_per_minute: u32, client_address_header: Option<HeaderName>) -> Self {
        RateLimits {
            enroll: Budgets::per_minute(enroll_per_minute),
            credentials: Budgets::per_minute(credentials_per_minute),
            client_address_header,
        }
    }

    /// The defaults of the server's config.
    pub fn standard() -> Self {
        Self::new(DEFAULT_ENROLL_FAILURES_PER_MINUTE, DEFAULT_CREDENTIAL_FAILURES_PER_MINUTE, None)
    }

    /// The client's address: the configured header's last entry when it holds an address, else the
    /// TCP peer's (absent when the router is called without a socket, as `oneshot` tests do).
    pub fn client_address(&self, parts: &Parts) -> Option<IpAddr> {
        let forwarded = self.client_address_header.as_ref().and_then(|name| {
            let value = parts.headers.get_all(name).iter().next_back()?.to_str().ok()?;
            value.rsplit(',').next()?.trim().parse().ok()
        });
        forwarded.or_else(|| parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(peer)| peer.ip()))
    }

    /// Before an enrollment is looked at: 429 while its address or code is blocked.
    pub fn check_enroll(&self, keys: &[Key]) -> Result<(), ServerError> {
        self.enroll.as_ref().map_or(Ok(()), |budgets| budgets.check(keys))
    }

    /// A failed enrollment: the failure itself, or 429 once it used up a budget.
    pub fn enroll_failed(&self, keys: &[Key], failure: ServerError) -> ServerError {
        self.enroll.as_ref().and_then(|budgets| budgets.spend(keys)).unwrap_or(failure)
    }

    /// A credential that did not verify: 401, or 429 while its address or holder is over budget.
    pub fn credential_failed(&self, address: Option<IpAddr>, credential: &str) -> ServerError {
        let Some(budgets) = &self.credentials else { return ServerError::Unauthorized };
        let holder = credential.rsplit_once('.').map_or(credential, |(holder, _secret)| holder);
        let mut keys = vec![Key::Holder(holder.chars().take(MAX_KEY_CHARS).collect())];
        keys.extend(address.map(Key::Address));
        if let Err(limited) = budgets.check(&keys) {
            return limited;
        }
        budgets.spend(&keys).unwrap_or(ServerError::Unauthorized)
    }
}

/// One kind of budget: a GCRA bucket per key, and the keys refused until a time.
struct Budgets {
    buckets: RateLimiter<Key, governor::state::keyed::DefaultKeyedStateStore<Key>, governor::clock::DefaultClock>,
    blocked: Mutex<HashMap<Key, Instant>>,
}

impl Budgets {
    fn per_minute(n: u32) -> Option<Arc<Budgets>> {
        let n = NonZeroU32::new(n)?;
        Some(Arc::new(Budgets { buckets: RateLimiter::keyed(Quota::per_minute(n)), blocked: Mutex::default() }))
    }

    fn blocked(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Instant>> {
        self.blocked.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// 429 while any of `keys` is blocked.
    fn check(&self, keys: &[Key]) -> Result<(), ServerError> {
        let now = Instant::now();
        let mut blocked = self.blocked();
        let until = keys.iter().filter_map(|key| blocked.get(key).copied()).filter(|until| *until > now).max();
        if let Some(until) = until {
            return Err(limited(until - now));
        }
        if blocked.len() > PRUNE_ABOVE {
            blocked.retain(|_, until| *until > now);
        }
        Ok(())
    }

    /// Takes one failure from each key's bucket; `Some(429)` when one was empty (that key is then
    /// refused until its bucket has room again).
    fn spend(&self, keys: &[Key]) -> Option<ServerError> {
        let now = Instant::now();
        let mut longest: Option<Duration> = None;
        for key in keys {
            if let Err(not_until) = self.buckets.check_key(key) {
                let wait = not_until.wait_time_from(now);
                self.blocked().insert(key.clone(), now + wait);
                longest = Some(longest.map_or(wait, |w| w.max(wait)));
            }
        }
        if self.buckets.len() > PRUNE_ABOVE {
            self.buckets.retain_recent();
            self.buckets.shrink_to_fit();
        }
        longest.map(limited)
    }
}

fn limited(wait: Duration) -> ServerError {
    // Whole seconds, rounded up, at least 1: `Retry-After` has no fractions.
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    ServerError::RateLimited { retry_after_secs: secs.max(1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_use_up_a_budget_and_then_every_attempt_of_that_key_waits() {
        let limits = RateLimits::new(3, 3, None);
        let keys = [Key::Address(IpAddr::from([203, 0, 113, 7]))];
        for attempt in 1..=3 {
            assert!(limits.check_enroll(&keys).is_ok(), "attempt {attempt} is looked at");
            let answer = limits.enroll_failed(&keys, ServerError::EnrollmentCodeInvalid);
            assert!(matches!(answer, ServerError::EnrollmentCodeInvalid), "failure {attempt} is answered as such");
        }
        let fourth = limits.enroll_failed(&keys, ServerError::EnrollmentCodeInvalid);
        assert!(matches!(fourth, ServerError::RateLimited { retry_after_secs: 1..=20 }), "then 429: {fourth:?}");
        assert!(limits.check_enroll(&keys).is_err(), "and the next attempt is refused before it is looked at");
        let other = [Key::Address(IpAddr::from([203, 0, 113, 8]))];
        assert!(limits.check_enroll(&other).is_ok(), "another address has its own budget");
        assert!(RateLimits::new(0, 0, None).check_enroll(&keys).is_ok(), "0 turns the limit off");
    }
}
