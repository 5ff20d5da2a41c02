//! The background sync task: a pass at start, then one every poll interval while all is well; after
//! a failure it waits with exponential backoff and jitter (a refusal that needs a person waits the
//! longest); `sync_now` and `nudge` wake it. Against a server that holds pulls, the wait between
//! passes is a held pull instead of a sleep: the server answers it as soon as the point's feed
//! moves, and a nudge drops it, so an op to push never waits behind it. Every status change goes to the listener, including one
//! the store made outside a pass (`refresh_status`, e.g. after an attention item was acknowledged).

use super::apply_pull::pull_position;
use super::client::server_access;
use super::client::{ClientConfig, ServerClient};
use super::pass::{apply_held_page, run_pass, PullProgress, StoreWork, SyncReport};
use super::status::{CatchUpView, SyncStatusView};
use crate::error::{ErrorKind, KioskError};
use crate::store::outbox;
use crate::Kiosk;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{watch, Notify};
use tokio::time::Instant;

/// How often and how patiently the engine syncs.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    pub client: ClientConfig,
    /// Between passes while the server answers.
    pub poll_interval: Duration,
    /// The first wait after a failure; doubles with each failure in a row.
    pub backoff_base: Duration,
    /// The longest wait; also the wait after a refusal that needs a person (401, 426).
    pub backoff_max: Duration,
    /// The longest a pull is held open at a server that offers it (whole seconds; no longer than
    /// the server offers nor than `poll_interval`); under a second: never held, the kiosk polls.
    pub pull_wait: Duration,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            client: ClientConfig::default(),
            poll_interval: Duration::from_secs(30),
            backoff_base: Duration::from_secs(1),
            // A minute at most: when the server is back, the queue should not wait long to drain.
            backoff_max: Duration::from_secs(60),
            pull_wait: Duration::from_secs(u64::from(pvz_protocol::sync::MAX_PULL_WAIT_SECONDS)),
        }
    }
}

impl EngineConfig {
    /// The defaults, overridden by `PVZ_SYNC_POLL_MS`, `PVZ_SYNC_BACKOFF_BASE_MS`,
    /// `PVZ_SYNC_BACKOFF_MAX_MS` (tests and e2e use short ones) and `PVZ_SYNC_PULL_WAIT_MS` (0: never
    /// hold a pull).
    pub fn from_env() -> EngineConfig {
        let ms =
            |name: &str| std::env::var(name).ok().and_then(|v| v.trim().parse::<u64>().ok()).map(Duration::from_millis);
        let mut config = EngineConfig::default();
        if let Some(poll) = ms("PVZ_SYNC_POLL_MS") {
            config.poll_interval = poll;
        }
        if let Some(max) = ms("PVZ_SYNC_BACKOFF_MAX_MS") {
            config.backoff_max = max;
            config.backoff_base = config.backoff_base.min(max);
        }
        if let Some(base) = ms("PVZ_SYNC_BACKOFF_BASE_MS") {
            config.backoff_base = base;
        }
        if let Some(wait) = ms("PVZ_SYNC_PULL_WAIT_MS") {
            config.pull_wait = wait;
        }
        config
    }

    /// How long to hold the next pull, given the wait the server offers: whole seconds, within
    /// `pull_wait` and the poll interval (a held pull replaces one interval's sleep, and anything
    /// not nudged is pushed after it). `None`: poll instead.
    pub fn hold_for(&self, offered: Duration) -> Option<Duration> {
        let wait = self.pull_wait.min(offered).min(self.poll_interval).as_secs();
        (wait > 0).then(|| Duration::from_secs(wait))
    }

    /// The wait after `failures` failures in a row: base·2^(n-1), capped, then "full jitter" between
    /// half and all of it so kiosks that lost the network together do not come back in step.
    pub fn backoff(&self, failures: u32) -> Duration {
        let exp = self.backoff_base.saturating_mul(1u32 << failures.saturating_sub(1).min(20));
        let capped = exp.min(self.backoff_max);
        let half = capped / 2;
        half + half.mul_f64(fastrand::f64())
    }
}

/// Called with every new status; runs on the engine's task, so it should only hand the value on.
pub type StatusListener = Box<dyn Fn(&SyncStatusView) + Send + Sync>;

/// The engine's task, for the caller to run on its runtime (`tokio::spawn`, tauri's async runtime).
pub type SyncTask = Pin<Box<dyn Future<Output = ()> + Send>>;

struct Shared {
    wake: Notify,
    /// Set by `sync_now`: sync even when waiting out a refusal that needs a person.
    forced: AtomicBool,
    stopped: AtomicBool,
    status: watch::Sender<SyncStatusView>,
    kiosk: Arc<Kiosk>,
    listener: Arc<StatusListener>,
    /// Held while a status is built and sent, so a refresh from a command and the task's own
    /// publish cannot overwrite a newer store reading with an older one.
    publishing: Mutex<()>,
}

/// Talks to a running engine. Cheap to clone.
#[derive(Clone)]
pub struct SyncHandle {
    shared: Arc<Shared>,
}

impl SyncHandle {
    /// Sync now, whatever the engine is waiting for.
    pub fn sync_now(&self) {
        self.shared.forced.store(true, Ordering::SeqCst);
        self.shared.wake.notify_one();
    }

    /// An op was written: refresh the status and push it, unless the engine is backing off after a
    /// failure (then it is pushed with the next pass).
    pub fn nudge(&self) {
        self.shared.wake.notify_one();
    }

    pub fn status(&self) -> SyncStatusView {
        self.shared.status.borrow().clone()
    }

    /// Reads the store again now and publishes the result (to the listener too, when it changed),
    /// keeping what only the engine knows (online, a pass running, its error, catch-up) as last
    /// published. For changes made outside a pass, e.g. an attention item acknowledged; starts no pass.
    pub fn refresh_status(&self) -> SyncStatusView {
        let shared = &self.shared;
        let _one_at_a_time = shared.publishing.lock().unwrap_or_else(|p| p.into_inner());
        let live = Live::published_in(&shared.status.borrow());
        publish_locked(&shared.kiosk, shared, &shared.listener, &live)
    }

    /// Every status change, for those who prefer to await (tests).
    pub fn subscribe(&self) -> watch::Receiver<SyncStatusView> {
        self.shared.status.subscribe()
    }

    /// Ends the task after its current step.
    pub fn stop(&self) {
        self.shared.stopped.store(true, Ordering::SeqCst);
        self.shared.wake.notify_one();
    }
}

pub struct SyncEngine;

impl SyncEngine {
    /// Builds the engine; the caller runs the returned task on its runtime.
    pub fn start(kiosk: Arc<Kiosk>, config: EngineConfig, listener: StatusListener) -> (SyncHandle, SyncTask) {
        let initial = kiosk.sync_status().unwrap_or_else(|error| failed_status(&error));
        let (status, _) = watch::channel(initial);
        let listener = Arc::new(listener);
        let shared = Arc::new(Shared {
            wake: Notify::new(),
            forced: AtomicBool::new(false),
            stopped: AtomicBool::new(false),
            status,
            kiosk: kiosk.clone(),
            listener: listener.clone(),
            publishing: Mutex::new(()),
        });
        let handle = SyncHandle { shared: shared.clone() };
        let task = Box::pin(run(kiosk, config, shared, listener));
        (handle, task)
    }

    /// [`SyncEngine::start`] on the current tokio runtime.
    pub fn spawn(kiosk: Arc<Kiosk>, config: EngineConfig, listener: StatusListener) -> SyncHandle {
        let (handle, task) = SyncEngine::start(kiosk, config, listener);
        tokio::spawn(task);
        handle
    }
}

fn failed_status(error: &KioskError) -> SyncStatusView {
    SyncStatusView {
        configured: false,
        server_url: None,
        online: false,
        syncing: false,
        ops_waiting: 0,
        photos_waiting: 0,
        photos_failed: 0,
        photo_failure: None,
        last_sync_at: None,
        last_error: Some(error.to_string()),
        last_error_kind: Some(error.kind()),
        attention: Vec::new(),
        attention_total: 0,
        catch_up: None,
    }
}

/// What the engine knows beyond the store: reachability, a pass running, pull progress.
#[derive(Clone, Default)]
struct Live {
    online: bool,
    syncing: bool,
    /// The last failure as text and kind (the error itself is not Clone).
    error: Option<(String, ErrorKind)>,
    catch_up: Option<CatchUpView>,
}

impl Live {
    /// The engine's part of a published status (the inverse of the overlay in `publish_locked`).
    fn published_in(status: &SyncStatusView) -> Live {
        Live {
            online: status.online,
            syncing: status.syncing,
            error: status.last_error_kind.map(|kind| (status.last_error.clone().unwrap_or_default(), kind)),
            catch_up: status.catch_up,
        }
    }
}

fn publish(kiosk: &Kiosk, shared: &Shared, listener: &StatusListener, live: &Live) {
    let _one_at_a_time = shared.publishing.lock().unwrap_or_else(|p| p.into_inner());
    publish_locked(kiosk, shared, listener, live);
}

/// The store's status with the engine's knowledge over it; sent on when it changed. The caller holds
/// `shared.publishing`.
fn publish_locked(kiosk: &Kiosk, shared: &Shared, listener: &StatusListener, live: &Live) -> SyncStatusView {
    let mut status = kiosk.sync_status().unwrap_or_else(|error| failed_status(&error));
    status.online = live.online;
    status.syncing = live.syncing;
    status.catch_up = live.catch_up;
    if let Some((text, kind)) = &live.error {
        status.last_error = Some(text.clone());
        status.last_error_kind = Some(*kind);
    }
    let changed = shared.status.send_if_modified(|current| {
        if *current == status {
            return false;
        }
        *current = status.clone();
        true
    });
    if changed {
        listener(&status);
    }
    status
}

async fn run(kiosk: Arc<Kiosk>, config: EngineConfig, shared: Arc<Shared>, listener: Arc<StatusListener>) {
    let mut live = Live::default();
    let mut failures: u32 = 0;
    let mut client: Option<(String, ServerClient)> = None;
    // Set when a held pull failed: the next wait is a plain sleep, so a server (or proxy) that
    // answers passes but fails held pulls gets polled rather than hammered.
    let mut hold_failed = false;
    while !shared.stopped.load(Ordering::SeqCst) {
        shared.forced.store(false, Ordering::SeqCst);
        live.syncing = true;
        publish(&kiosk, &shared, &listener, &live);
        let outcome = pass_once(&kiosk, &config, &mut client, &shared, &listener, &mut live).await;
        live.syncing = false;
        live.catch_up = None;
        let mut hold = None;
        let (wait, backing_off) = match outcome {
            Ok(report) => {
                failures = 0;
                live.online = true;
                live.error = None;
                if report.photos_left {
                    // Photos beyond one pass's budget: the next pass follows at once, pushing
                    // anything new before it sends more.
                    (Duration::ZERO, false)
                } else {
                    // After a failed hold, one interval is slept instead.
                    if !std::mem::replace(&mut hold_failed, false) {
                        hold = config.hold_for(report.max_wait);
                    }
                    (config.poll_interval, false)
                }
            }
            Err(error) => {
                failures = failures.saturating_add(1);
                tracing::warn!(%error, failures, "sync pass failed");
                live.online = !matches!(error, KioskError::ServerUnreachable(_) | KioskError::NotConnected);
                let needs_person = !error.is_transient();
                live.error = Some((error.to_string(), error.kind()));
                let wait = if needs_person { config.backoff_max } else { config.backoff(failures) };
                (wait, true)
            }
        };
        publish(&kiosk, &shared, &listener, &live);
        if let (Some(wait), Some((_, client))) = (hold, client.as_ref()) {
            // Whatever ends the hold, a pass follows at once; an error is left for it to report.
            if let Err(error) = hold_pulls(&kiosk, client, &shared, &listener, &live, wait).await {
                tracing::info!(%error, "a held pull failed; polling for one interval");
                hold_failed = true;
            }
            continue;
        }
        wait_for_next(&kiosk, &shared, &listener, &live, wait, backing_off).await;
    }
}

/// The wait between passes while the kiosk is up to date, as held pulls: each is answered when the
/// point's feed moves (the page is applied like a pass's and counts as a successful sync) or when
/// the wait ends, and another is held. Returns when a pass should run: the engine was woken (a
/// nudge with an op to push, `sync_now`, `stop`) — the held request is dropped, so it never delays
/// a push —, ops are waiting that no nudge announced, the page said more is to come, or the server
/// stopped offering to hold.
async fn hold_pulls(
    kiosk: &Arc<Kiosk>,
    client: &ServerClient,
    shared: &Shared,
    listener: &StatusListener,
    live: &Live,
    mut wait: Duration,
) -> Result<(), KioskError> {
    let credential = server_access(kiosk)?.credential;
    loop {
        let (position, pending) =
            kiosk.store.with_conn(|c| Ok::<_, KioskError>((pull_position(c)?, outbox::count_pending(c)?)))?;
        if pending > 0 {
            return Ok(());
        }
        let page = tokio::select! {
            page = client.pull(&credential, position.cursor.as_deref(), Some(wait), pending) => page?,
            () = shared.wake.notified() => return Ok(()),
        };
        let Some(page) = apply_held_page(StoreWork::Blocking(kiosk), page, position).await? else {
            // Enrolled meanwhile (new cursor, maybe a new credential): a pass starts afresh.
            return Ok(());
        };
        publish(kiosk, shared, listener, live);
        let offered = Duration::from_secs(u64::from(page.max_wait_seconds));
        if page.has_more || offered.is_zero() {
            return Ok(());
        }
        wait = wait.min(offered);
    }
}

async fn pass_once(
    kiosk: &Arc<Kiosk>,
    config: &EngineConfig,
    client: &mut Option<(String, ServerClient)>,
    shared: &Shared,
    listener: &StatusListener,
    live: &mut Live,
) -> Result<SyncReport, KioskError> {
    let conn = server_access(kiosk)?;
    // One HTTP client (and its connection pool) per server address.
    if client.as_ref().map(|(url, _)| url != &conn.server_url).unwrap_or(true) {
        *client = Some((conn.server_url.clone(), ServerClient::new(&conn.server_url, &config.client)?));
    }
    let Some((_, client)) = client.as_ref() else { return Err(KioskError::NotConnected) };
    let progress_live = Mutex::new(live.clone());
    let mut on_progress = |progress: PullProgress| {
        let mut snapshot = progress_live.lock().unwrap_or_else(|p| p.into_inner());
        snapshot.online = true;
        snapshot.catch_up = progress.has_more.then(|| progress.into());
        publish(kiosk, shared, listener, &snapshot);
    };
    // The engine owns the kiosk, so a pass's heavier store work goes to the blocking pool.
    run_pass(StoreWork::Blocking(kiosk), client, &conn.credential, &mut on_progress).await
}

/// Sleeps until the wait is over or someone wakes the engine. While backing off after a failure
/// (offline, or a refusal that needs a person), a nudge only refreshes the status (ops waiting):
/// every counter action nudges, and a pass per action would hammer a server that is down.
/// `sync_now` still syncs.
async fn wait_for_next(
    kiosk: &Kiosk,
    shared: &Shared,
    listener: &StatusListener,
    live: &Live,
    wait: Duration,
    backing_off: bool,
) {
    let deadline = Instant::now() + wait;
    loop {
        tokio::select! {
            _ = tokio::time::sleep_until(deadline) => return,
            _ = shared.wake.notified() => {
                if shared.stopped.load(Ordering::SeqCst) || !backing_off || shared.forced.load(Ordering::SeqCst) {
                    return;
                }
                publish(kiosk, shared, listener, live);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::outbox;
    use pvz_domain::OrderId;
    use pvz_protocol::OpBody;

    fn write_op(kiosk: &Kiosk) {
        let body = OpBody::IssueOpened { order_id: OrderId::parse("ord-1").expect("id") };
        kiosk.store.with_tx::<_, KioskError>(|tx| Ok(outbox::append_op(tx, &body, "t")?)).expect("op written");
    }

    #[tokio::test]
    async fn a_nudge_while_backing_off_only_refreshes_the_status_and_sync_now_still_syncs() {
        let dir = tempfile::tempdir().expect("temp dir");
        let kiosk = Arc::new(Kiosk::open(&dir.path().join("kiosk.sqlite3")).expect("kiosk opens"));
        let (handle, _task) = SyncEngine::start(kiosk.clone(), EngineConfig::default(), Box::new(|_| {}));
        let shared = handle.shared.clone();
        let listener: StatusListener = Box::new(|_| {});
        let live = Live::default();
        let long = Duration::from_secs(30);

        let wait = wait_for_next(&kiosk, &shared, &listener, &live, long, true);
        tokio::pin!(wait);
        write_op(&kiosk);
        handle.nudge();
        let woke = tokio::time::timeout(Duration::from_millis(200), &mut wait).await;
        assert!(woke.is_err(), "a nudge while backing off must not start a pass");
        assert_eq!(handle.status().ops_waiting, 1, "the nudge refreshed the ops waiting");
        handle.sync_now();
        let woke = tokio::time::timeout(Duration::from_secs(5), &mut wait).await;
        assert!(woke.is_ok(), "sync_now starts a pass even while backing off");

        shared.forced.store(false, Ordering::SeqCst);
        handle.nudge();
        let woke =
            tokio::time::timeout(Duration::from_secs(5), wait_for_next(&kiosk, &shared, &listener, &live, long, false))
                .await;
        assert!(woke.is_ok(), "after a good pass a nudge pushes the new op at once");
    }

    #[tokio::test]
    async fn a_refresh_shows_an_acknowledgement_at_once_and_keeps_what_the_engine_knows() {
        let dir = tempfile::tempdir().expect("temp dir");
        let kiosk = Arc::new(Kiosk::open(&dir.path().join("kiosk.sqlite3")).expect("kiosk opens"));
        write_op(&kiosk);
        kiosk
            .store
            .with_tx::<_, KioskError>(|tx| Ok(outbox::mark_op_rejected(tx, 1, "order_closed", "issued", "t")?))
            .expect("op rejected");
        let heard = Arc::new(Mutex::new(Vec::<SyncStatusView>::new()));
        let sink = heard.clone();
        let listener: StatusListener = Box::new(move |status| sink.lock().expect("sink").push(status.clone()));
        let (handle, _task) = SyncEngine::start(kiosk.clone(), EngineConfig::default(), listener);
        let offline = Live {
            online: false,
            syncing: false,
            error: Some(("no route".into(), ErrorKind::ServerUnreachable)),
            catch_up: None,
        };
        publish(&kiosk, &handle.shared, &handle.shared.listener, &offline);
        assert_eq!(handle.status().attention_total, 1, "the rejection needs attention");

        kiosk.acknowledge_attention(1).expect("acknowledged");
        assert_eq!(handle.status().attention_total, 1, "the engine has not looked at the store yet");
        let refreshed = handle.refresh_status();
        assert_eq!(refreshed.attention_total, 0, "the refresh reads the acknowledgement");
        assert!(refreshed.attention.is_empty(), "the list is empty");
        assert_eq!(handle.status(), refreshed, "the handle's status is the refreshed one");
        assert_eq!(refreshed.last_error_kind, Some(ErrorKind::ServerUnreachable), "the engine's error stays");
        assert_eq!(refreshed.last_error.as_deref(), Some("no route"), "with its text");
        assert!(!refreshed.online, "and it is still offline");
        let heard = heard.lock().expect("heard");
        assert_eq!(heard.last(), Some(&refreshed), "the listener (the window) got the refreshed status");
    }

    #[test]
    fn backoff_grows_to_the_cap_with_jitter() {
        let config = EngineConfig {
            backoff_base: Duration::from_millis(100),
            backoff_max: Duration::from_millis(1000),
            ..EngineConfig::default()
        };
        for failures in 1..40 {
            let full = Duration::from_millis(100 * (1u64 << (failures - 1).min(20))).min(Duration::from_millis(1000));
            let wait = config.backoff(failures);
            assert!(
                wait >= full / 2 && wait <= full,
                "failure {failures}: {wait:?} must be within [{:?}, {full:?}]",
                full / 2
            );
        }
    }
}
