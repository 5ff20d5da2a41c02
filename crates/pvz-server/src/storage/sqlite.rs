//! The SQLite backend: one file in WAL mode, one writer connection (SQLite has one writer anyway, and
//! funnelling writes through it makes per-device serialization trivial) and a small pool of reader
//! connections, so polls never wait behind a push. All rusqlite calls run on tokio's blocking pool.

use super::{EnrolledPoint, NewDevice, Storage};
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
}

/// Readers kept idle at most; more are opened under load and dropped after.
const MAX_IDLE_READERS: usize = 8;

impl SqliteStorage {
    /// Opens the database file, applying migrations.
    pub fn open(path: &Path) -> Result<SqliteStorage> {
        let writer = db::open_and_migrate(path)?;
        Ok(SqliteStorage {
            inner: Arc::new(Inner {
                path: path.to_owned(),
                writer: Mutex::new(writer),
                readers: Mutex::new(Vec::new()),
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
            let mut conn = inner.writer.lock().map_err(|_| ServerError::Internal("writer lock poisoned".into()))?;
            f(&mut conn)
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
}

impl Storage for SqliteStorage {
    async fn find_device(&self, id: DeviceId) -> Result<Option<DeviceRecord>> {
        self.read(move |conn| devices::get_device(conn, &id)).await
    }

    async fn enroll_device(&self, device: NewDevice) -> Result<Option<EnrolledPoint>> {
        self.write(move |conn| {
            let tx = conn.transaction()?;
            let now = db::now_text();
            let Some(point) =
                devices::consume_enrollment_code(&tx, &device.code_sha256, &device.device_id, db::now_unix(), &now)?
            else {
                return Ok(None);
            };
            let name = points::require_point(&tx, &point)?.name;
            devices::insert_device(&tx, &device.device_id, &point, &device.device_name, &device.secret_sha256, &now)?;
            tx.commit()?;
            Ok(Some(EnrolledPoint { pickup_point_id: point, name }))
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
