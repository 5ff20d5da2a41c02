//! Held pulls: a kiosk that is up to date waits on its point's feed, and is answered when the feed
//! moves. [`FeedSignal`] is how the waiting request learns of a move: a handler calls
//! [`FeedSignal::notify`] after committing a change to a point's feed, and [`FeedSignal::wait`]
//! resolves with the new head. Changes this process did not make (admin commands writing the
//! database directly, other server instances) never reach `notify`, so an implementation must see
//! them some other way: [`LocalFeedSignal`] re-reads the point's head every second; a PostgreSQL
//! one would `NOTIFY` in `notify` and `LISTEN` for every instance's.
//!
//! A signal is a hint, never the truth: `wait` answers from the committed head, so a lost or
//! spurious notification costs latency (at most the re-check interval) or one read, not a change.

use crate::db::feed::Cursor;
use crate::error::Result;
use crate::storage::Storage;
use pvz_domain::PickupPointId;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::Instant;

/// What `wait` returns: a boxed future, so the signal can sit in the state as `Arc<dyn FeedSignal>`
/// whatever backend (and storage) it is built on.
pub type WaitFuture<'a> = Pin<Box<dyn Future<Output = Result<Option<Cursor>>> + Send + 'a>>;

/// Tells waiting pulls that a pickup point's feed moved.
pub trait FeedSignal: Send + Sync + 'static {
    /// The point's feed moved in a transaction this process has committed. Called after the commit
    /// (never inside it: a waiter woken early would read the old head and wait again).
    fn notify(&self, point: &PickupPointId);

    /// Resolves with the point's committed head once it is not `since` (a new version or a new
    /// epoch), or with `None` at `deadline` if it has not moved. Also `None` for a point that is gone.
    fn wait<'a>(&'a self, point: &'a PickupPointId, since: Cursor, deadline: Instant) -> WaitFuture<'a>;
}

/// The waiters of each point, woken by [`PointWakers::wake`]. Only points with a waiter have an
/// entry; the last waiter to leave removes it. A building block for any [`FeedSignal`]: the
/// PostgreSQL one would call `wake` from its `LISTEN` loop.
#[derive(Default)]
pub struct PointWakers {
    points: Mutex<HashMap<PickupPointId, watch::Sender<u64>>>,
}

/// One waiter's registration; it leaves the registry when dropped.
pub struct Waker<'a> {
    wakers: &'a PointWakers,
    point: &'a PickupPointId,
    rx: Option<watch::Receiver<u64>>,
}

impl PointWakers {
    /// Registers a waiter. A `wake` after this call is never missed, so register before reading the
    /// head the wait compares with.
    pub fn register<'a>(&'a self, point: &'a PickupPointId) -> Waker<'a> {
        let mut points = self.points.lock().unwrap_or_else(|p| p.into_inner());
        let rx = points.entry(point.clone()).or_insert_with(|| watch::channel(0).0).subscribe();
        Waker { wakers: self, point, rx: Some(rx) }
    }

    /// Wakes every waiter of `point`; no waiter, no work.
    pub fn wake(&self, point: &PickupPointId) {
        let points = self.points.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(tx) = points.get(point) {
            tx.send_modify(|n| *n = n.wrapping_add(1));
        }
    }

    /// Points with a waiter now (for tests and metrics).
    pub fn waiting_points(&self) -> usize {
        self.points.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

impl Waker<'_> {
    /// Resolves at the next `wake` of the point after registration or the last `woken`.
    pub async fn woken(&mut self) {
        match self.rx.as_mut() {
            Some(rx) => {
                if rx.changed().await.is_err() {
                    // The sender lives while a receiver does (see `Drop`); never here.
                    std::future::pending::<()>().await;
                }
            }
            None => std::future::pending::<()>().await,
        }
    }
}

impl Drop for Waker<'_> {
    fn drop(&mut self) {
        let mut points = self.wakers.points.lock().unwrap_or_else(|p| p.into_inner());
        drop(self.rx.take());
        if points.get(self.point).is_some_and(|tx| tx.receiver_count() == 0) {
            points.remove(self.point);
        }
    }
}

/// How often [`LocalFeedSignal`] re-reads a waiting point's head by default: a change committed by
/// another process reaches a held pull within this.
pub const DEFAULT_RECHECK: Duration = Duration::from_secs(1);

/// Wakes on the notifications of this process at once, and on anyone else's commit within
/// `recheck`, by reading the point's head (one indexed read) that often while a pull waits. Right
/// for SQLite, where admin commands write the file directly, and for several instances on a shared
/// database until one with real cross-process notifications replaces it.
pub struct LocalFeedSignal<S> {
    storage: S,
    wakers: PointWakers,
    recheck: Duration,
}

impl<S: Storage> LocalFeedSignal<S> {
    pub fn new(storage: S, recheck: Duration) -> Self {
        LocalFeedSignal { storage, wakers: PointWakers::default(), recheck }
    }

    /// Points with a held pull now.
    pub fn waiting_points(&self) -> usize {
        self.wakers.waiting_points()
    }
}

impl<S: Storage> FeedSignal for LocalFeedSignal<S> {
    fn notify(&self, point: &PickupPointId) {
        self.wakers.wake(point);
    }

    fn wait<'a>(&'a self, point: &'a PickupPointId, since: Cursor, deadline: Instant) -> WaitFuture<'a> {
        Box::pin(async move {
            let mut waker = self.wakers.register(point);
            loop {
                match self.storage.feed_head(point.clone()).await? {
                    Some(head) if head != since => return Ok(Some(head)),
                    None => return Ok(None),
                    Some(_) if Instant::now() >= deadline => return Ok(None),
                    Some(_) => {}
                }
                let recheck_at = (Instant::now() + self.recheck).min(deadline);
                tokio::select! {
                    () = waker.woken() => {}
                    () = tokio::time::sleep_until(recheck_at) => {}
                }
            }
        })
    }
}

/// What the pull handler needs for held pulls: the signal, how long it may hold, and a way for the
/// server's shutdown to end every held pull at once (it waits for requests in flight).
#[derive(Clone)]
pub struct HeldPulls {
    pub signal: Arc<dyn FeedSignal>,
    /// The longest wait honoured; zero: pulls are never held, and pages offer no wait.
    pub max_wait: Duration,
    stopping: Arc<watch::Sender<bool>>,
    /// Pulls held now.
    holding: Arc<watch::Sender<usize>>,
}

impl HeldPulls {
    pub fn new(signal: Arc<dyn FeedSignal>, max_wait: Duration) -> Self {
        HeldPulls {
            signal,
            max_wait,
            stopping: Arc::new(watch::channel(false).0),
            holding: Arc::new(watch::channel(0).0),
        }
    }

    /// Resolves once at least `count` pulls are held: a test changes the feed only after the pull
    /// it watches is waiting, so the answer proves the wake rather than an early read.
    pub async fn until_holding(&self, count: usize) {
        let mut holding = self.holding.subscribe();
        let _ = holding.wait_for(|held| *held >= count).await;
    }

    /// Answers every held pull now (with what it has), and every later one at once.
    pub fn stop(&self) {
        self.stopping.send_replace(true);
    }

    /// Waits for the point's feed to move past `since`, for at most `wait` (capped at `max_wait`);
    /// `None`: it did not move, or the server is stopping.
    pub async fn wait(&self, point: &PickupPointId, since: Cursor, wait: Duration) -> Result<Option<Cursor>> {
        let wait = wait.min(self.max_wait);
        let mut stopping = self.stopping.subscribe();
        if wait.is_zero() || *stopping.borrow_and_update() {
            return Ok(None);
        }
        let _held = Holding::start(&self.holding);
        tokio::select! {
            moved = self.signal.wait(point, since, Instant::now() + wait) => moved,
            _ = stopping.wait_for(|stop| *stop) => Ok(None),
        }
    }
}

/// Counts a held pull while it lives (a dropped request included).
struct Holding<'a>(&'a watch::Sender<usize>);

impl<'a> Holding<'a> {
    fn start(count: &'a watch::Sender<usize>) -> Self {
        count.send_modify(|n| *n += 1);
        Holding(count)
    }
}

impl Drop for Holding<'_> {
    fn drop(&mut self) {
        self.0.send_modify(|n| *n = n.saturating_sub(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_wake_after_registering_is_never_missed_and_the_last_waiter_cleans_up() {
        let wakers = PointWakers::default();
        let point = PickupPointId::parse("pp-1").expect("id");
        let other = PickupPointId::parse("pp-2").expect("id");
        let mut first = wakers.register(&point);
        let mut second = wakers.register(&point);
        let mut elsewhere = wakers.register(&other);
        wakers.wake(&point);
        let soon = Duration::from_secs(5);
        tokio::time::timeout(soon, first.woken()).await.expect("a wake before awaiting is kept for the waiter");
        tokio::time::timeout(soon, second.woken()).await.expect("every waiter of the point is woken");
        let quiet = tokio::time::timeout(Duration::from_millis(50), elsewhere.woken()).await;
        assert!(quiet.is_err(), "another point's waiter must not be woken");
        assert_eq!(wakers.waiting_points(), 2, "two points have waiters");
        drop(first);
        assert_eq!(wakers.waiting_points(), 2, "a point keeps its entry while a waiter remains");
        drop(second);
        drop(elsewhere);
        assert_eq!(wakers.waiting_points(), 0, "the last waiter of each point removes its entry");
    }
}
