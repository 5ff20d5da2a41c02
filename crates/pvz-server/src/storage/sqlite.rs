//! The SQLite backend: one file in WAL mode, one writer connection (SQLite has one writer anyway, and
//! funnelling writes through it makes per-device serialization trivial) and a small pool of reader
//! connections, so polls never wait behind a push. rusqlite calls run on tokio's blocking pool, except
//! the device lookup every sync call starts with (see [`SqliteBackend::read_quick`]).

use crate::db::{self, Connection};
use crate::error::{Result, ServerError};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

#[derive(Clone)]
pub struct SqliteBackend {
    inner: Arc<Inner>,
}

pub(super) struct Inner {
    path: PathBuf,
    pub(super) writer: Mutex<Connection>,
    /// Idle reader connections; a reader is opened on demand when none is idle.
    readers: Mutex<Vec<Connection>>,
    /// Idle readers for [`DbStorage::read_quick`], with no busy wait: they run on an async worker,
    /// which must never sleep in SQLite's busy handler. One is in use per worker at most, so the pool
    /// settles at the worker count.
    quick_readers: Mutex<Vec<Connection>>,
}

/// Readers kept idle at most; more are opened under load and dropped after.
const MAX_IDLE_READERS: usize = 8;

/// Quick readers kept idle at most. One is held only for a synchronous call on one thread, so the
/// pool stays near the number of async workers; the cap only bounds a burst of fallbacks.
const MAX_IDLE_QUICK_READERS: usize = 64;

impl SqliteBackend {
    /// Opens the database file, applying migrations.
    pub fn open(path: &Path) -> Result<SqliteBackend> {
        let writer = db::open_and_migrate(path)?;
        Ok(SqliteBackend {
            inner: Arc::new(Inner {
                path: path.to_owned(),
                writer: Mutex::new(writer),
                readers: Mutex::new(Vec::new()),
                quick_readers: Mutex::new(Vec::new()),
            }),
        })
    }

    /// The database file.
    pub(super) fn path(&self) -> PathBuf {
        self.inner.path.clone()
    }

    /// The connections, for tests that hold the writer.
    #[cfg(test)]
    pub(super) fn inner(&self) -> Arc<Inner> {
        self.inner.clone()
    }

    /// Runs `f` on the writer connection on the blocking pool.
    pub(super) async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            // A panic inside `f` is caught before the guard drops, so the mutex is not poisoned. A
            // panic outside it (in the clean-up below: rusqlite panics if closing a connection fails)
            // would poison it; the poison is cleared then, as the connection is checked before use.
            let mut conn = inner.writer.lock().unwrap_or_else(|poisoned| {
                inner.writer.clear_poison();
                poisoned.into_inner()
            });
            // A transaction still open here means the last clean-up could not end it (reopening failed).
            end_open_transaction(&mut conn, &inner.path, roll_back)?;
            let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&conn)));
            // Only a panic can leave a transaction open (a `Transaction` rolls back on drop, but a
            // closure may have begun one by hand); drop its writes before the next call.
            end_open_transaction(&mut conn, &inner.path, roll_back)?;
            out.unwrap_or_else(|_| {
                Err(ServerError::Internal("a write panicked; its transaction was rolled back".into()))
            })
        })
        .await?
    }

    /// Runs `f` on a reader connection on the blocking pool.
    pub(super) async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let idle = inner.readers.lock().map_err(|_| ServerError::Internal("reader pool poisoned".into()))?.pop();
            let conn = match idle {
                Some(conn) => conn,
                None => db::open(&inner.path)?,
            };
            let out = f(&conn);
            if let Ok(mut idle) = inner.readers.lock() {
                if idle.len() < MAX_IDLE_READERS {
                    idle.push(conn);
                }
            }
            out
        })
        .await?
    }

    /// Runs a short read — one indexed lookup of hot rows — right on the calling async worker.
    ///
    /// Why: an idle kiosk's poll is answered from the device row alone, and handing that one lookup
    /// (a few µs) to the blocking pool cost two thread switches, more than the rest of the request.
    /// Why it is safe on a worker: in WAL mode a reader takes no lock a writer holds, so it does not
    /// wait behind a push, and the rows it reads are hot (every poll reads them), so they come from
    /// the page cache. The connection has no busy timeout: in the rare case SQLite answers busy (a
    /// connection in exclusive locking mode, WAL recovery) the read is redone on the blocking pool
    /// with the usual wait. A fresh connection is also opened there (opening touches the file and may
    /// wait for locks), then kept for the fast path. Each call is its own read transaction, so it sees
    /// every commit made before it by any process.
    pub(super) async fn read_quick<T: Send + 'static>(
        &self,
        f: impl Fn(&Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let idle =
            self.inner.quick_readers.lock().map_err(|_| ServerError::Internal("reader pool poisoned".into()))?.pop();
        if let Some(conn) = idle {
            let out = f(&conn);
            self.inner.keep_quick_reader(conn);
            if !matches!(out, Err(ServerError::Unavailable)) {
                return out;
            }
            return self.read(f).await;
        }
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let conn = db::open(&inner.path)?;
            let out = f(&conn);
            if let Some(sqlite) = conn.as_sqlite() {
                sqlite.busy_timeout(std::time::Duration::ZERO)?;
            }
            inner.keep_quick_reader(conn);
            out
        })
        .await?
    }
}

impl Inner {
    fn keep_quick_reader(&self, conn: Connection) {
        if let Ok(mut idle) = self.quick_readers.lock() {
            if idle.len() < MAX_IDLE_QUICK_READERS {
                idle.push(conn);
            }
        }
    }
}

fn roll_back(conn: &Connection) -> db::SqlResult<()> {
    conn.execute_batch("ROLLBACK")
}

/// Ends a transaction left open on the writer by rolling it back with `rollback`; if even that fails,
/// replaces the connection with a fresh one (closing the old one rolls its transaction back). Without
/// this, a connection stuck inside a transaction would fail every later write until a restart.
pub(super) fn end_open_transaction(
    conn: &mut Connection,
    path: &Path,
    rollback: fn(&Connection) -> db::SqlResult<()>,
) -> Result<()> {
    if conn.is_autocommit() {
        return Ok(());
    }
    if let Err(error) = rollback(conn) {
        tracing::error!(%error, "rolling back a write left open failed; reopening the writer connection");
        *conn = db::open(path)?;
    }
    Ok(())
}
