//! The SQLite backend: one file in WAL mode, one writer connection (SQLite has one writer anyway, and
//! funnelling writes through it makes per-device serialization trivial) and a small pool of reader
//! connections, so polls never wait behind a push. rusqlite calls run on tokio's blocking pool, except
//! the device lookup every sync call starts with (see [`SqliteStorage::read_quick`]).

use super::{Enrolled, NewDevice, Storage};
use crate::db::devices::{self, DeviceRecord};
use crate::db::feed::{self, Cursor};
use crate::db::push::{self, Pusher};
use crate::db::{self, points};
use crate::error::{Result, ServerError};
use pvz_domain::{DeviceId, PickupPointId};
use pvz_protocol::sync::{PushOp, PushResponse};
use pvz_protocol::PullPage;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

#[derive(Clone)]
pub struct SqliteStorage {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: Mutex<Connection>,
    /// Idle reader connections; a reader is opened on demand when none is idle.
    readers: Mutex<Vec<Connection>>,
    /// Idle readers for [`SqliteStorage::read_quick`], with no busy wait: they run on an async worker,
    /// which must never sleep in SQLite's busy handler. One is in use per worker at most, so the pool
    /// settles at the worker count.
    quick_readers: Mutex<Vec<Connection>>,
}

/// Readers kept idle at most; more are opened under load and dropped after.
const MAX_IDLE_READERS: usize = 8;

/// Quick readers kept idle at most. One is held only for a synchronous call on one thread, so the
/// pool stays near the number of async workers; the cap only bounds a burst of fallbacks.
const MAX_IDLE_QUICK_READERS: usize = 64;

impl SqliteStorage {
    /// Opens the database file, applying migrations.
    pub fn open(path: &Path) -> Result<SqliteStorage> {
        let writer = db::open_and_migrate(path)?;
        Ok(SqliteStorage {
            inner: Arc::new(Inner {
                path: path.to_owned(),
                writer: Mutex::new(writer),
                readers: Mutex::new(Vec::new()),
                quick_readers: Mutex::new(Vec::new()),
            }),
        })
    }

    /// Runs `f` on the writer connection on the blocking pool.
    async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T> + Send + 'static,
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
            let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mut conn)));
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
    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let idle = inner.readers.lock().map_err(|_| ServerError::Internal("reader pool poisoned".into()))?.pop();
            let mut conn = match idle {
                Some(conn) => conn,
                None => db::open(&inner.path)?,
            };
            let out = f(&mut conn);
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
    async fn read_quick<T: Send + 'static>(
        &self,
        f: impl Fn(&mut Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let idle =
            self.inner.quick_readers.lock().map_err(|_| ServerError::Internal("reader pool poisoned".into()))?.pop();
        if let Some(mut conn) = idle {
            let out = f(&mut conn);
            self.inner.keep_quick_reader(conn);
            if !matches!(out, Err(ServerError::Unavailable)) {
                return out;
            }
            return self.read(f).await;
        }
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = db::open(&inner.path)?;
            let out = f(&mut conn);
            conn.busy_timeout(std::time::Duration::ZERO)?;
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

impl Storage for SqliteStorage {
    async fn find_device(&self, id: DeviceId) -> Result<Option<DeviceRecord>> {
        self.read_quick(move |conn| devices::get_device(conn, &id)).await
    }

    async fn find_enrollment_code(&self, code_sha256: String) -> Result<Option<PickupPointId>> {
        self.read(move |conn| devices::get_usable_code_point(conn, &code_sha256, db::now_unix())).await
    }

    async fn enroll_device(&self, device: NewDevice) -> Result<Enrolled> {
        self.write(move |conn| {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let now = db::now_text();
            let now_unix = db::now_unix();
            let Some(code_point) = devices::get_usable_code_point(&tx, &device.code_sha256, now_unix)? else {
                return Ok(Enrolled::CodeInvalid);
            };
            let existing = match &device.previous_credential {
                Some(previous) => devices::get_device(&tx, &previous.device_id)?.map(|d| (previous, d)),
                None => None,
            };
            // Nothing is written on a refusal: the transaction rolls back on drop, the code stays
            // usable. The secret is checked first, so a caller without it learns nothing of the point.
            if let Some((previous, d)) = &existing {
                if !db::sha256_hex_matches(previous.secret.as_bytes(), &d.secret_sha256) {
                    return Ok(Enrolled::PreviousCredentialRejected);
                }
                if d.pickup_point_id != code_point {
                    return Ok(Enrolled::OtherPointsDevice);
                }
            }
            let existing = existing.map(|(_, d)| d);
            let device_id = existing.as_ref().map_or(&device.device_id, |d| &d.device_id).clone();
            if devices::consume_enrollment_code(&tx, &device.code_sha256, &device_id, now_unix, &now)?.is_none() {
                return Ok(Enrolled::CodeInvalid);
            }
            let name = points::require_point(&tx, &code_point)?.name;
            if existing.is_some() {
                devices::reenroll_device(&tx, &device_id, &device.device_name, &device.secret_sha256, &now)?;
            } else {
                devices::insert_device(&tx, &device_id, &code_point, &device.device_name, &device.secret_sha256, &now)?;
            }
            tx.commit()?;
            Ok(Enrolled::Device { device_id, pickup_point_id: code_point, name, continued: existing.is_some() })
        })
        .await
    }

    async fn push(&self, who: Pusher, ops: Vec<PushOp>) -> Result<PushResponse> {
        self.write(move |conn| push::push_batch(conn, &who, &ops, &db::now_text())).await
    }

    async fn pull(&self, point: PickupPointId, cursor: Option<Cursor>, limit: u32) -> Result<PullPage> {
        self.read(move |conn| feed::pull_page(conn, &point, cursor, limit)).await
    }
}

fn roll_back(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch("ROLLBACK")
}

/// Ends a transaction left open on the writer by rolling it back with `rollback`; if even that fails,
/// replaces the connection with a fresh one (closing the old one rolls its transaction back). Without
/// this, a connection stuck inside a transaction would fail every later write until a restart.
fn end_open_transaction(
    conn: &mut Connection,
    path: &Path,
    rollback: fn(&Connection) -> rusqlite::Result<()>,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::DB_FILE;
    use pvz_domain::FeePolicy;

    fn storage_with_device() -> (tempfile::TempDir, SqliteStorage, DeviceId) {
        let dir = tempfile::tempdir().expect("temp dir");
        let storage = SqliteStorage::open(&dir.path().join(DB_FILE)).expect("storage opens");
        let point = PickupPointId::parse("pp-a").expect("point id");
        let device = DeviceId::parse("dev-1").expect("device id");
        let conn = db::open(&dir.path().join(DB_FILE)).expect("second connection");
        points::insert_point(&conn, &point, "A", &FeePolicy::default(), &db::now_text()).expect("point");
        devices::insert_device(&conn, &device, &point, "Касса", "hash", &db::now_text()).expect("device");
        (dir, storage, device)
    }

    /// The quick path reuses pooled connections; each lookup must still see what any other
    /// connection (another server process, an admin command) committed before it.
    #[tokio::test]
    async fn the_device_lookup_sees_every_commit_made_before_it() {
        let (dir, storage, device) = storage_with_device();
        let first = storage.find_device(device.clone()).await.expect("lookup").expect("the device exists");
        assert!(!first.revoked, "a new device is not revoked");
        let again = storage.find_device(device.clone()).await.expect("lookup").expect("the device exists");
        assert_eq!(again.feed_head, first.feed_head, "nothing committed, same head");

        let other = db::open(&dir.path().join(DB_FILE)).expect("another connection");
        points::bump_version(&other, &first.pickup_point_id, 1).expect("a committed feed change");
        let after_change = storage.find_device(device.clone()).await.expect("lookup").expect("the device exists");
        assert_eq!(
            after_change.feed_head.version,
            first.feed_head.version + 1,
            "a feed change committed elsewhere shows on the very next lookup, so an empty poll is never wrong"
        );
        devices::revoke_device(&other, &device, &db::now_text()).expect("revoke");
        let after_revoke = storage.find_device(device).await.expect("lookup").expect("the device exists");
        assert!(after_revoke.revoked, "a revocation committed elsewhere shows on the very next lookup");
    }

    /// When SQLite answers busy to the quick path (which may not wait on an async worker), the read is
    /// redone on the blocking pool, where the connection waits for the lock, instead of failing the
    /// request with 503.
    #[tokio::test(flavor = "current_thread")]
    async fn a_busy_answer_on_the_quick_path_is_retried_on_the_blocking_pool() {
        let (_dir, storage, device) = storage_with_device();
        storage.find_device(device).await.expect("a first lookup fills the quick pool");
        let worker = std::thread::current().id();
        let calls = Arc::new(Mutex::new(Vec::new()));
        let seen = calls.clone();
        let answer = storage
            .read_quick(move |_conn| {
                let mut seen = seen.lock().expect("calls");
                seen.push(std::thread::current().id());
                if seen.len() == 1 {
                    Err(ServerError::Unavailable)
                } else {
                    Ok("read")
                }
            })
            .await;
        assert_eq!(answer.ok(), Some("read"), "the retried read answers");
        let calls = calls.lock().expect("calls").clone();
        assert_eq!(calls.len(), 2, "one quick try, one retry");
        assert_eq!(calls[0], worker, "the quick try runs on the async worker, without a thread hop");
        assert_ne!(calls[1], worker, "the retry runs on the blocking pool, where waiting is allowed");
    }

    /// A panic inside a write (a bug) fails that call only: the writer is not poisoned for good, and
    /// what the panicking closure wrote is rolled back.
    #[tokio::test]
    async fn a_panicking_write_does_not_break_later_writes() {
        let (_dir, storage, device) = storage_with_device();
        let failed = storage
            .write(|conn| -> Result<()> {
                conn.execute_batch("BEGIN IMMEDIATE; UPDATE devices SET last_seq = 99;")?;
                panic!("a bug inside a write");
            })
            .await;
        assert!(matches!(failed, Err(ServerError::Internal(_))), "the panicking call fails with a 500: {failed:?}");
        let who = Pusher { device_id: device.clone(), pickup_point_id: PickupPointId::parse("pp-a").expect("id") };
        let after = storage.push(who, vec![]).await;
        assert_eq!(
            after.map(|r| r.last_seq).ok(),
            Some(0),
            "a later push works, and the panicking write's change was rolled back"
        );
    }

    /// If the ROLLBACK after a panicked write fails, the writer is not left inside that transaction
    /// (which would fail every later write until a restart): a fresh connection replaces it, and the
    /// old one's uncommitted change is gone.
    #[tokio::test]
    async fn a_failed_rollback_replaces_the_writer_connection() {
        let (dir, storage, device) = storage_with_device();
        let path = dir.path().join(DB_FILE);
        let mut conn = db::open(&path).expect("a writer connection");
        conn.execute_batch("BEGIN IMMEDIATE; UPDATE devices SET last_seq = 99;").expect("an open write");
        let failing: fn(&Connection) -> rusqlite::Result<()> = |_| Err(rusqlite::Error::InvalidQuery);
        end_open_transaction(&mut conn, &path, failing).expect("the connection is replaced");
        assert!(conn.is_autocommit(), "the writer is no longer inside a transaction");
        let seq: i64 = conn.query_row("SELECT last_seq FROM devices", [], |r| r.get(0)).expect("read back");
        assert_eq!(seq, 0, "the stuck transaction's change was rolled back with the old connection");
        conn.execute_batch("UPDATE devices SET last_seq = 1").expect("the fresh connection writes");

        let who = Pusher { device_id: device, pickup_point_id: PickupPointId::parse("pp-a").expect("id") };
        let pushed = storage.push(who, vec![]).await;
        assert_eq!(pushed.map(|r| r.last_seq).ok(), Some(1), "and other writers are not locked out by the old one");
    }

    /// Enrollment is open to anyone: a wrong code is answered from a reader, so a flood of guesses
    /// never queues behind (or in front of) pushes on the writer.
    #[tokio::test]
    async fn a_wrong_enrollment_code_is_refused_without_the_writer() {
        use tower::ServiceExt;
        let (_dir, storage, _device) = storage_with_device();
        let (held, release) = (std::sync::mpsc::channel::<()>(), std::sync::mpsc::channel::<()>());
        let inner = storage.inner.clone();
        let holder = std::thread::spawn(move || {
            let _writer = inner.writer.lock().expect("writer");
            held.0.send(()).expect("signal");
            let _ = release.1.recv_timeout(std::time::Duration::from_secs(10));
        });
        held.1.recv().expect("the writer is held");
        let app = crate::api::router(crate::AppState::new(storage, "key".into(), 1 << 20));
        let request = axum::http::Request::post(pvz_protocol::sync::PATH_ENROLL)
            .header("content-type", "application/json")
            .header(pvz_protocol::sync::PROTOCOL_HEADER, pvz_protocol::sync::PROTOCOL_VERSION.to_string())
            .body(axum::body::Body::from(r#"{"code": "NOPE-NOPE-NOPE", "device_name": "x"}"#))
            .expect("request");
        let answer = tokio::time::timeout(std::time::Duration::from_secs(3), app.oneshot(request)).await;
        release.0.send(()).expect("release the writer");
        holder.join().expect("holder thread");
        let response = answer.expect("a wrong code is answered while the writer is busy").expect("response");
        assert_eq!(response.status(), axum::http::StatusCode::BAD_REQUEST, "a wrong code is a 400");
    }
}
