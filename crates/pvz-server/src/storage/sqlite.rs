//! The SQLite backend: one file in WAL mode, one writer connection (SQLite has one writer anyway, and
//! funnelling writes through it makes per-device serialization trivial) and a small pool of reader
//! connections, so polls never wait behind a push. rusqlite calls run on tokio's blocking pool, except
//! the device lookup every sync call starts with (see [`SqliteStorage::read_quick`]).

use super::{Enrolled, NewDevice, Storage};
use crate::claims::{self, ClaimCodeIssuer, Decider};
use crate::db::devices::{self, DeviceRecord};
use crate::db::feed::{self, Cursor};
use crate::db::{self, manifests, points, sellers};
use crate::error::{Result, ServerError};
use crate::push::{self, Pusher};
use crate::signing;
use pvz_domain::{ClaimId, DeviceId, EmployeeId, PickupPointId};
use pvz_protocol::sync::{PushOp, PushResponse};
use pvz_protocol::{ClaimStatus, CourierManifest, PullPage, SellerDecision};
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
            let server_public_key = signing::active_public_key(&tx)?;
            tx.commit()?;
            Ok(Enrolled::Device {
                device_id,
                pickup_point_id: code_point,
                name,
                continued: existing.is_some(),
                server_public_key,
            })
        })
        .await
    }

    async fn push(&self, who: Pusher, ops: Vec<PushOp>) -> Result<PushResponse> {
        self.write(move |conn| push::push_batch(conn, &who, &ops, &db::now_text())).await
    }

    async fn feed_head(&self, point: PickupPointId) -> Result<Option<Cursor>> {
        self.read_quick(move |conn| points::get_feed_head(conn, &point)).await
    }

    async fn pull(&self, point: PickupPointId, cursor: Option<Cursor>, limit: u32) -> Result<PullPage> {
        self.read(move |conn| feed::pull_page(conn, &point, cursor, limit)).await
    }

    async fn find_seller_secret(&self, seller_id: String) -> Result<Option<String>> {
        self.read(move |conn| sellers::get_seller_secret_hash(conn, &seller_id)).await
    }

    async fn claim_status(&self, id: ClaimId) -> Result<Option<ClaimStatus>> {
        self.read(move |conn| Ok(db::claims::get_claim(conn, &id)?.map(|c| c.to_status()))).await
    }

    async fn seller_claims(&self, seller_id: String) -> Result<Vec<ClaimStatus>> {
        self.read(move |conn| {
            Ok(db::claims::list_claims_by_seller(conn, &seller_id)?.iter().map(|c| c.to_status()).collect())
        })
        .await
    }

    async fn decide_claim(
        &self,
        seller_id: String,
        id: ClaimId,
        decision: SellerDecision,
        issuer: ClaimCodeIssuer,
    ) -> Result<(ClaimStatus, PickupPointId)> {
        self.write(move |conn| {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            // Signed with the key active now: another process may have activated a new one.
            let issuer = ClaimCodeIssuer { key: std::sync::Arc::new(signing::active_key(&tx)?), ..issuer };
            let seller = Decider::Seller(&seller_id);
            let claim = claims::decide_claim(&tx, &issuer, &id, seller, &decision, &db::now_text())?;
            tx.commit()?;
            Ok((claim.to_status(), claim.pickup_point_id))
        })
        .await
    }

    async fn courier_manifest(&self, point: PickupPointId, courier: EmployeeId) -> Result<CourierManifest> {
        self.read(move |conn| manifests::get_courier_manifest(conn, &point, &courier)).await
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
#[path = "sqlite_tests.rs"]
mod tests;
