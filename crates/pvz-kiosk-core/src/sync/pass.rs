//! One sync pass: push every pending op (in `seq` order, in batches) until none is left, then pull
//! until the feed has nothing more, then upload the photos of answered ops (see `upload`) and prune
//! the files of photos confirmed long enough ago. Each push answer and each pull page is applied in
//! one local transaction; no store lock is held while waiting for the network.

use super::client::{is_too_large, server_access, ClientConfig, ServerClient};
use super::upload::{prune_photos, upload_photos};
use crate::error::{KioskError, Result};
use crate::kiosk::timestamp;
use crate::store::outbox::{self, PendingOp};
use crate::store::{sync_settings, Db};
use crate::sync::apply_pull::{apply_page_from, pull_position, PageFate, PullPosition};
use crate::Kiosk;
use pvz_protocol::sync::error_code::PAYLOAD_TOO_LARGE;
use pvz_protocol::sync::{OpOutcome, PushOp, PushRequest, PushResponse, StoredOutcome, MAX_PUSH_OPS};
use pvz_protocol::PullPage;
use std::sync::Arc;
use std::time::Duration;

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Ops whose result arrived in this pass (applied + rejected).
    pub pushed: usize,
    pub applied: usize,
    pub rejected: usize,
    /// Ops the server had already handled (a lost reply retried); counted in applied/rejected too.
    pub duplicates: usize,
    /// Set when the server asked to resend from an older seq than the kiosk's first pending op.
    pub resent_from: Option<i64>,
    pub pages: u32,
    pub changes: u64,
    /// The server rebuilt its feed and the cache tables were rebuilt from it.
    pub reset: bool,
    /// How long the server would hold the next pull open (its last page's `max_wait_seconds`); zero:
    /// it does not hold pulls, so the kiosk polls.
    pub max_wait: Duration,
    /// Photos the server confirmed whole in this pass.
    pub photos_uploaded: usize,
    /// Photos the server refused for good in this pass (or whose file is gone or changed).
    pub photos_failed: usize,
    /// Photo bytes sent in this pass.
    pub photo_bytes_sent: u64,
    /// The pass's photo budget ran out with photos still to send: the next pass should follow at once.
    pub photos_left: bool,
    /// Files of photos the server has kept for the retention period, deleted in this pass.
    pub photos_pruned: usize,
}

/// Catch-up progress of the pull in a pass, reported after every page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PullProgress {
    pub pages_done: u32,
    pub changes_done: u64,
    /// Changes after the last page, as the server counts them.
    pub remaining: u64,
    pub has_more: bool,
}

/// Runs one pass to the end (or the first failure), recording its outcome in the store.
pub async fn sync_until_idle(kiosk: &Kiosk, config: &ClientConfig) -> Result<SyncReport> {
    sync_until_idle_with(kiosk, config, &mut |_| {}).await
}

/// [`sync_until_idle`], telling `on_progress` after every pull page how far the catch-up is.
pub async fn sync_until_idle_with(
    kiosk: &Kiosk,
    config: &ClientConfig,
    on_progress: &mut (dyn FnMut(PullProgress) + Send),
) -> Result<SyncReport> {
    let conn = server_access(kiosk)?;
    let client = ServerClient::new(&conn.server_url, config)?;
    run_pass(StoreWork::Inline(kiosk), &client, &conn.credential, on_progress).await
}

/// Where a pass does its heavier store work: applying a pull page (up to 2000 changes) and recording
/// a push answer (up to 500 results), each a write transaction behind the store's mutex.
///
/// The engine runs for the kiosk's lifetime on the app's async runtime and owns the kiosk in an
/// `Arc`, so it moves that work to tokio's blocking pool: an async worker never waits on SQLite or on
/// a counter action holding the store. [`sync_until_idle`] borrows the kiosk and is the one-shot
/// form (the headless tool, tests, chain runs), so it works inline; `block_in_place` was not used
/// since it panics on the current-thread runtime those callers use.
#[derive(Clone, Copy)]
pub(crate) enum StoreWork<'a> {
    Inline(&'a Kiosk),
    Blocking(&'a Arc<Kiosk>),
}

impl StoreWork<'_> {
    pub(super) fn kiosk(&self) -> &Kiosk {
        match self {
            StoreWork::Inline(kiosk) => kiosk,
            StoreWork::Blocking(kiosk) => kiosk,
        }
    }

    /// Runs `work` on the kiosk, on the blocking pool when the engine asked for it.
    pub(super) async fn run<T: Send + 'static>(
        self,
        work: impl FnOnce(&Kiosk) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        match self {
            StoreWork::Inline(kiosk) => work(kiosk),
            StoreWork::Blocking(kiosk) => {
                let kiosk = Arc::clone(kiosk);
                match tokio::task::spawn_blocking(move || work(&kiosk)).await {
                    Ok(result) => result,
                    // A bug in the store work fails this pass, not the engine: re-raising the panic
                    // would end the engine's task silently and sync would stop until a restart. Its
                    // transaction rolled back as it unwound, and the store's lock ignores the poison,
                    // so the engine backs off and tries again, with the error on the status strip.
                    Err(join) if join.is_panic() => {
                        let payload = join.into_panic();
                        let why = payload
                            .downcast_ref::<&str>()
                            .map(|s| (*s).to_owned())
                            .or_else(|| payload.downcast_ref::<String>().cloned())
                            .unwrap_or_else(|| "no message".to_owned());
                        tracing::error!(%why, "sync store work panicked; the pass fails and will be retried");
                        Err(KioskError::Internal(format!("sync store work panicked: {why}")))
                    }
                    // Only when the runtime shuts down; the transaction did not commit.
                    Err(join) => Err(KioskError::Io(std::io::Error::other(format!("store work cancelled: {join}")))),
                }
            }
        }
    }
}

pub(crate) async fn run_pass(
    store: StoreWork<'_>,
    client: &ServerClient,
    credential: &str,
    on_progress: &mut (dyn FnMut(PullProgress) + Send),
) -> Result<SyncReport> {
    let mut report = SyncReport::default();
    let outcome = async {
        push_pending(store, client, credential, &mut report).await?;
        pull_all(store, client, credential, &mut report, on_progress).await?;
        upload_photos(store, client, credential, &mut report).await?;
        report.photos_pruned = prune_photos(store, client.config().photo_retention).await?;
        Ok::<(), KioskError>(())
    }
    .await;
    let kiosk = store.kiosk();
    let at = timestamp(kiosk.now());
    let recorded = kiosk.store.with_tx::<_, KioskError>(|tx| {
        match &outcome {
            Ok(()) => sync_settings::set_sync_succeeded(tx, &at)?,
            Err(error) => sync_settings::set_sync_failed(tx, &error.to_string())?,
        }
        Ok(())
    });
    outcome?;
    recorded?;
    Ok(report)
}

async fn push_pending(
    store: StoreWork<'_>,
    client: &ServerClient,
    credential: &str,
    report: &mut SyncReport,
) -> Result<()> {
    let mut batch_size = client.config().push_batch.clamp(1, MAX_PUSH_OPS);
    let max_bytes = client.config().push_max_bytes;
    // A server that keeps answering without handling anything must not spin the pass forever.
    let mut stalled_at: Option<i64> = None;
    loop {
        let (batch, request, waiting) = store
            .run(move |kiosk| {
                let (mut batch, waiting) = kiosk.store.with_conn(|c| {
                    Ok::<_, KioskError>((outbox::list_pending_ops(c, batch_size)?, outbox::count_pending(c)?))
                })?;
                let ops = fit_to_size(&mut batch, max_bytes);
                // The kiosk's clock goes along: the server judges a claim's return deadline by the op's
                // time corrected by this counter's offset from its own clock.
                Ok((batch, PushRequest { ops, now: Some(timestamp(kiosk.now())) }, waiting))
            })
            .await?;
        let Some(first_seq) = batch.first().map(|op| op.entry.seq) else { return Ok(()) };
        let answer = match client.push(credential, &request, waiting).await {
            Ok(answer) => answer,
            // A server with a smaller body limit than ours: halve and try again; a single op that
            // does not fit is a real refusal, with the op named so a person can find it.
            Err(error) if is_too_large(&error) => {
                if request.ops.len() == 1 {
                    return Err(KioskError::SyncRefused {
                        code: PAYLOAD_TOO_LARGE.into(),
                        message: format!("op seq {first_seq} alone is larger than the server accepts"),
                    });
                }
                batch_size = request.ops.len() / 2;
                tracing::warn!(batch_size, "push body too large for the server; sending smaller batches");
                continue;
            }
            Err(error) => return Err(error),
        };
        let handled_none = answer.results.is_empty();
        let (resent_from, recorded) = store
            .run(move |kiosk| {
                let at = timestamp(kiosk.now());
                let mut recorded = SyncReport::default();
                let resent_from =
                    kiosk.store.with_tx(|tx| apply_push_answer(tx, &batch, &answer, &at, &mut recorded))?;
                Ok((resent_from, recorded))
            })
            .await?;
        report.pushed += recorded.pushed;
        report.applied += recorded.applied;
        report.rejected += recorded.rejected;
        report.duplicates += recorded.duplicates;
        if resent_from.is_some() {
            report.resent_from = report.resent_from.min(resent_from).or(resent_from);
        }
        if handled_none && resent_from.is_none() {
            if stalled_at == Some(first_seq) {
                return Err(KioskError::SyncRefused {
                    code: "push_stalled".into(),
                    message: format!("the server handled none of the ops from seq {first_seq}"),
                });
            }
            stalled_at = Some(first_seq);
        } else {
            stalled_at = None;
        }
    }
}

/// The ops of `batch` to push, cut after the last that keeps their JSON within `max_bytes` (always at
/// least one; the server says if even that is too large). `batch` is cut to match.
fn fit_to_size(batch: &mut Vec<PendingOp>, max_bytes: usize) -> Vec<PushOp> {
    let mut ops = Vec::with_capacity(batch.len());
    let mut bytes = 0;
    for op in batch.iter() {
        let op = push_op(op);
        // An op that does not serialize is sent anyway, so the server's answer says what is wrong.
        let size = serde_json::to_vec(&op).map(|json| json.len() + 1).unwrap_or(0);
        if !ops.is_empty() && bytes + size > max_bytes {
            break;
        }
        bytes += size;
        ops.push(op);
    }
    batch.truncate(ops.len());
    ops
}

fn push_op(op: &PendingOp) -> PushOp {
    PushOp {
        seq: op.entry.seq,
        op_id: op.entry.op_id,
        created_at: op.created_at.clone(),
        // An id the store holds was an EmployeeId when written; a corrupt one is sent as no operator
        // rather than holding the push up.
        operator: op.operator.as_deref().and_then(|id| pvz_domain::EmployeeId::parse(id).ok()),
        body: op.entry.body.clone(),
    }
}

/// Stores each op's result; on a gap before the batch, puts the ops the server lost back to pending.
/// Returns the seq to resend from, if any.
fn apply_push_answer(
    conn: &Db<'_>,
    batch: &[PendingOp],
    answer: &PushResponse,
    at: &str,
    report: &mut SyncReport,
) -> Result<Option<i64>> {
    for result in &answer.results {
        let sent = batch.iter().find(|op| op.entry.seq == result.seq);
        if sent.map(|op| op.entry.op_id) != Some(result.op_id) {
            return Err(KioskError::SyncRefused {
                code: pvz_protocol::sync::error_code::SEQ_CONFLICT.into(),
                message: format!("the server's result for seq {} is for another op", result.seq),
            });
        }
        let final_outcome = match &result.outcome {
            OpOutcome::Duplicate { original } => {
                report.duplicates += 1;
                original.clone()
            }
            OpOutcome::Applied => StoredOutcome::Applied,
            OpOutcome::Rejected { code, message } => {
                StoredOutcome::Rejected { code: code.clone(), message: message.clone() }
            }
        };
        match final_outcome {
            StoredOutcome::Applied => {
                outbox::mark_op_applied(conn, result.seq, at)?;
                report.applied += 1;
            }
            StoredOutcome::Rejected { code, message } => {
                tracing::warn!(seq = result.seq, %code, %message, "op rejected by the server");
                outbox::mark_op_rejected(conn, result.seq, &code, &message, at)?;
                report.rejected += 1;
            }
        }
        report.pushed += 1;
    }
    let first_sent = batch.first().map(|op| op.entry.seq);
    match &answer.gap {
        Some(gap) if first_sent.is_some_and(|first| gap.expected_seq < first) => {
            let reopened = outbox::reset_ops_to_pending_from(conn, gap.expected_seq)?;
            tracing::warn!(expected = gap.expected_seq, reopened, "server asked to resend older ops");
            Ok(Some(gap.expected_seq))
        }
        // The server expects a seq we sent in this batch: its results above covered the ones before;
        // the next batch starts at the first op still pending.
        Some(_) | None => Ok(None),
    }
}

async fn pull_all(
    store: StoreWork<'_>,
    client: &ServerClient,
    credential: &str,
    report: &mut SyncReport,
    on_progress: &mut (dyn FnMut(PullProgress) + Send),
) -> Result<()> {
    let mut position = store.kiosk().store.with_conn(pull_position)?;
    // Ops queued while the pass pulls are pushed by the next pass; the count is the outbox's now.
    let waiting = store.kiosk().store.with_conn(|c| Ok::<_, KioskError>(outbox::count_pending(c)?))?;
    let mut progress = PullProgress::default();
    loop {
        let cursor = position.cursor.clone();
        let page = client.pull(credential, cursor.as_deref(), None, waiting).await?;
        if page.has_more && cursor.as_deref() == Some(page.cursor.as_str()) && page.changes.is_empty() {
            return Err(KioskError::SyncRefused {
                code: "pull_stalled".into(),
                message: "the server's feed did not move past the kiosk's cursor".into(),
            });
        }
        let fetched_at = position.clone();
        let (page, fate) = store
            .run(move |kiosk| {
                let fate = kiosk.store.with_tx(|tx| apply_page_from(tx, &page, &fetched_at))?;
                Ok((page, fate))
            })
            .await?;
        if fate == PageFate::Stale {
            // The kiosk enrolled meanwhile: start again from the cursor it left (none).
            position = store.kiosk().store.with_conn(pull_position)?;
            continue;
        }
        report.reset |= page.reset;
        report.max_wait = Duration::from_secs(u64::from(page.max_wait_seconds));
        report.pages += 1;
        report.changes += page.changes.len() as u64;
        progress = PullProgress {
            pages_done: progress.pages_done + 1,
            changes_done: progress.changes_done + page.changes.len() as u64,
            remaining: page.remaining,
            has_more: page.has_more,
        };
        on_progress(progress);
        position.cursor = Some(page.cursor);
        if !page.has_more {
            return Ok(());
        }
    }
}

/// A page a held pull brought (see the engine), fetched from `fetched_at`: applied, and the sync
/// recorded as succeeded, in one local transaction, as a pass would. `None`: the kiosk enrolled
/// after the pull was asked for, and the page was dropped (a pass follows from the new cursor).
pub(crate) async fn apply_held_page(
    store: StoreWork<'_>,
    page: PullPage,
    fetched_at: PullPosition,
) -> Result<Option<PullPage>> {
    store
        .run(move |kiosk| {
            let at = timestamp(kiosk.now());
            let fate = kiosk.store.with_tx::<_, KioskError>(|tx| {
                let fate = apply_page_from(tx, &page, &fetched_at)?;
                if fate == PageFate::Applied {
                    sync_settings::set_sync_succeeded(tx, &at)?;
                }
                Ok(fate)
            })?;
            Ok((fate == PageFate::Applied).then_some(page))
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use pvz_domain::OrderId;
    use pvz_protocol::sync::{OpResult, SeqGap};
    use pvz_protocol::OpBody;

    fn store_with_ops(n: usize) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("kiosk.sqlite3")).expect("store");
        let body = OpBody::IssueOpened { order_id: OrderId::parse("ord-1").expect("id") };
        store
            .with_tx::<_, KioskError>(|tx| {
                for _ in 0..n {
                    outbox::append_op(tx, &body, "2026-11-27T10:00:00.000Z")?;
                }
                Ok(())
            })
            .expect("ops written");
        (dir, store)
    }

    fn pending(store: &Store) -> Vec<PendingOp> {
        store.with_conn(|c| Ok::<_, KioskError>(outbox::list_pending_ops(c, 100)?)).expect("pending")
    }

    #[tokio::test]
    async fn the_engines_store_work_leaves_the_async_thread_free() {
        let dir = tempfile::tempdir().expect("temp dir");
        let kiosk = Arc::new(Kiosk::open(&dir.path().join("kiosk.sqlite3")).expect("kiosk opens"));
        let async_thread = std::thread::current().id();
        let (release, released) = std::sync::mpsc::channel::<()>();
        // The work waits for a task on the (single-threaded) runtime: it can only be released if it
        // does not occupy the runtime's thread.
        let work = StoreWork::Blocking(&kiosk).run(move |kiosk| {
            let was_released = released.recv_timeout(std::time::Duration::from_secs(2)).is_ok();
            kiosk.store.with_conn(|c| Ok::<_, KioskError>(outbox::count_pending(c)?))?;
            Ok((std::thread::current().id(), was_released))
        });
        let releaser = async {
            tokio::task::yield_now().await;
            // Fails only if the work already gave up waiting; the assertions below say so.
            let _ = release.send(());
        };
        let (ran, ()) = tokio::join!(work, releaser);
        let (thread, was_released) = ran.expect("the store work ran");
        assert_ne!(thread, async_thread, "the engine's store work runs off the async worker");
        assert!(was_released, "other tasks keep running on the async worker while the store works");
    }

    /// A panic in the engine's store work (a bug) fails the pass with an error the engine backs off
    /// on, instead of ending the engine's task; the store keeps working after it.
    #[tokio::test]
    async fn a_panic_in_the_engines_store_work_is_a_failed_pass() {
        let dir = tempfile::tempdir().expect("temp dir");
        let kiosk = Arc::new(Kiosk::open(&dir.path().join("kiosk.sqlite3")).expect("kiosk opens"));
        let failed = StoreWork::Blocking(&kiosk)
            .run(|kiosk| -> Result<()> {
                kiosk.store.with_tx::<_, KioskError>(|tx| {
                    outbox::append_op(
                        tx,
                        &OpBody::IssueOpened { order_id: OrderId::parse("ord-1").expect("id") },
                        "2026-11-27T10:00:00.000Z",
                    )?;
                    panic!("a bug in the store work");
                })
            })
            .await;
        let err = failed.expect_err("the panic comes back as an error, not as a panic of the engine");
        assert!(matches!(&err, KioskError::Internal(why) if why.contains("a bug in the store work")), "{err:?}");
        assert!(err.is_transient(), "the engine backs off and retries rather than waiting for a person");
        assert_eq!(err.kind(), crate::ErrorKind::Internal, "the status strip shows an internal error");
        let after = StoreWork::Blocking(&kiosk)
            .run(|kiosk| kiosk.store.with_conn(|c| Ok::<_, KioskError>(outbox::count_pending(c)?)))
            .await;
        assert_eq!(after.ok(), Some(0), "the store still works, and the panicked transaction left nothing");
    }

    #[test]
    fn a_batch_is_cut_to_the_byte_cap_but_never_to_nothing() {
        let (_dir, store) = store_with_ops(10);
        let mut batch = pending(&store);
        let one = serde_json::to_vec(&push_op(&batch[0])).expect("serializes").len() + 1;
        let ops = fit_to_size(&mut batch, one * 3 + one / 2);
        assert_eq!(ops.len(), 3, "three ops of {one} bytes fit in three and a half");
        assert_eq!(batch.len(), 3, "the batch is cut to the ops sent, so only their results are matched");
        let mut batch = pending(&store);
        assert_eq!(fit_to_size(&mut batch, 1).len(), 1, "an op over the cap still goes alone");
    }

    #[test]
    fn a_gap_before_the_batch_reopens_the_ops_the_server_lost() {
        let (_dir, store) = store_with_ops(4);
        store
            .with_tx::<_, KioskError>(|tx| {
                outbox::mark_op_applied(tx, 1, "t")?;
                Ok(outbox::mark_op_applied(tx, 2, "t")?)
            })
            .expect("two ops synced earlier");
        let batch = pending(&store);
        assert_eq!(batch.first().map(|op| op.entry.seq), Some(3), "the batch starts at the first pending op");
        let answer = PushResponse { results: vec![], gap: Some(SeqGap { expected_seq: 1, got_seq: 3 }), last_seq: 0 };
        let mut report = SyncReport::default();
        let resend = store.with_tx(|tx| apply_push_answer(tx, &batch, &answer, "t", &mut report)).expect("applied");
        assert_eq!(resend, Some(1), "the server's expected seq is where the resend starts");
        assert_eq!(pending(&store).len(), 4, "the ops the server lost are pending again, none deleted");
    }

    #[test]
    fn results_are_stored_per_op_and_a_foreign_result_changes_nothing() {
        let (_dir, store) = store_with_ops(2);
        let batch = pending(&store);
        let rejected = StoredOutcome::Rejected { code: "order_closed".into(), message: "issued".into() };
        let answer = PushResponse {
            results: vec![
                OpResult { seq: 1, op_id: batch[0].entry.op_id, outcome: OpOutcome::Applied },
                OpResult { seq: 2, op_id: batch[1].entry.op_id, outcome: OpOutcome::Duplicate { original: rejected } },
            ],
            gap: None,
            last_seq: 2,
        };
        let mut report = SyncReport::default();
        store.with_tx(|tx| apply_push_answer(tx, &batch, &answer, "t", &mut report)).expect("applied");
        assert_eq!((report.applied, report.rejected, report.duplicates), (1, 1, 1), "{report:?}");
        let listed = store.with_conn(|c| Ok::<_, KioskError>(outbox::list_attention(c, 50)?)).expect("rejected");
        assert_eq!(listed.newest.len(), 1, "a duplicate of a rejection is stored as rejected");
        assert_eq!(listed.newest[0].code, "order_closed", "with the original reason");

        let (_dir2, other) = store_with_ops(1);
        let batch = pending(&other);
        let foreign = PushResponse {
            results: vec![OpResult { seq: 1, op_id: uuid::Uuid::now_v7(), outcome: OpOutcome::Applied }],
            gap: None,
            last_seq: 1,
        };
        let err = other
            .with_tx(|tx| apply_push_answer(tx, &batch, &foreign, "t", &mut SyncReport::default()))
            .expect_err("a result for another op id");
        assert!(matches!(err, KioskError::SyncRefused { .. }), "a seq conflict is refused: {err:?}");
        assert_eq!(pending(&other).len(), 1, "nothing was marked");
    }
}
