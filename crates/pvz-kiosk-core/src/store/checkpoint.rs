//! Moves the WAL checkpoint off the counter's path. With SQLite's automatic checkpoint, the commit
//! that pushes the WAL past its threshold copies every page back into the database file and syncs
//! it, inside that commit: one scan in a few hundred took tens of milliseconds longer. Here the
//! counter's connection never checkpoints; a thread with its own connection does it once the store
//! has been quiet for a moment (a pause between buyers), or after many commits without one, so the
//! WAL stays small on a counter that never pauses. A commit stays durable either way: with
//! `synchronous = FULL` it is synced into the WAL before it returns, and a checkpoint only copies
//! what is already safe there.

use rusqlite::Connection;
use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long the store must be quiet before the checkpoint runs.
const QUIET: Duration = Duration::from_millis(250);
/// Commits after which the checkpoint runs even without a pause.
const MAX_COMMITS_BETWEEN: usize = 500;

pub(super) struct Checkpointer {
    commits: Option<SyncSender<()>>,
    thread: Option<JoinHandle<()>>,
    /// Checkpoints run so far, for whoever waits for one (tests).
    #[cfg_attr(not(test), allow(dead_code))]
    done: Arc<Done>,
}

#[derive(Default)]
struct Done {
    count: Mutex<u64>,
    changed: Condvar,
}

impl Checkpointer {
    /// Starts the checkpoint thread on its own connection to `path`, already in WAL mode.
    pub(super) fn start(path: &Path) -> rusqlite::Result<Checkpointer> {
        let conn = Connection::open(path)?;
        let (commits, receiver) = mpsc::sync_channel(1);
        let done = Arc::new(Done::default());
        let counted = Arc::clone(&done);
        let thread = std::thread::Builder::new()
            .name("store-checkpoint".into())
            .spawn(move || run(&conn, &receiver, &counted))
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        Ok(Checkpointer { commits: Some(commits), thread: Some(thread), done })
    }

    /// Waits until a checkpoint has run after this call; false when none did within `timeout`.
    #[cfg(test)]
    pub(super) fn wait_for_next(&self, since: u64, timeout: Duration) -> bool {
        let count = self.done.count.lock().unwrap_or_else(|p| p.into_inner());
        let (count, _) = self
            .done
            .changed
            .wait_timeout_while(count, timeout, |count| *count <= since)
            .unwrap_or_else(|p| p.into_inner());
        *count > since
    }

    #[cfg(test)]
    pub(super) fn checkpoints(&self) -> u64 {
        *self.done.count.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A write transaction committed: the WAL grew.
    pub(super) fn committed(&self) {
        if let Some(commits) = &self.commits {
            // A full channel already holds a wake-up, and a stopped thread (it never stops before
            // this is dropped) needs none: neither is an error.
            let _ = commits.try_send(());
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        // Closing the channel ends the thread after one last checkpoint.
        self.commits.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(conn: &Connection, commits: &Receiver<()>, done: &Done) {
    let checkpoint = || {
        checkpoint(conn);
        *done.count.lock().unwrap_or_else(|p| p.into_inner()) += 1;
        done.changed.notify_all();
    };
    loop {
        // Nothing new: wait for a commit.
        if commits.recv().is_err() {
            break;
        }
        let mut since_checkpoint = 1;
        // Wait for a quiet moment, but not forever.
        loop {
            match commits.recv_timeout(QUIET) {
                Ok(()) => {
                    since_checkpoint += 1;
                    if since_checkpoint >= MAX_COMMITS_BETWEEN {
                        break;
                    }
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => {
                    checkpoint();
                    return;
                }
            }
        }
        checkpoint();
    }
    checkpoint();
}

/// PASSIVE: copies what it can without waiting for, or blocking, the counter's reads and writes.
fn checkpoint(conn: &Connection) {
    if let Err(error) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
        tracing::warn!(%error, "the store's WAL checkpoint failed; the next quiet moment tries again");
    }
}

#[cfg(test)]
mod tests {
    use crate::store::{Store, StoreError};
    use std::time::Duration;

    #[test]
    fn a_commit_leaves_the_checkpoint_to_the_next_quiet_moment() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("kiosk.sqlite3");
        let store = Store::open(&path).expect("store opens");
        let before = std::fs::metadata(&path).expect("store file").len();
        // About 4 MiB in one commit: far past SQLite's automatic checkpoint (1,000 pages).
        store
            .with_tx(|db| {
                db.execute_batch(
                    "CREATE TABLE ballast (b BLOB);
                     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1024)
                     INSERT INTO ballast SELECT randomblob(4096) FROM n;",
                )
                .map_err(StoreError::from)
            })
            .expect("the commit succeeds");
        let right_after = std::fs::metadata(&path).expect("store file").len();
        assert!(
            right_after < before + 1024 * 1024,
            "the commit must not copy its pages into the database file itself (grew from {before} to {right_after} bytes)"
        );
        // The checkpoint thread copies them once the store is quiet.
        let checkpointer = store.checkpointer.as_ref().expect("a store file runs in WAL mode");
        let since = checkpointer.checkpoints();
        let copied = |size: u64| size >= 4 * 1024 * 1024;
        let mut size = std::fs::metadata(&path).expect("store file").len();
        if !copied(size) {
            assert!(
                checkpointer.wait_for_next(since, Duration::from_secs(30)),
                "no checkpoint ran after a quiet moment (file {size} bytes)"
            );
            size = std::fs::metadata(&path).expect("store file").len();
        }
        assert!(copied(size), "a quiet moment's checkpoint copies the commit into the database file ({size} bytes)");
    }
}
