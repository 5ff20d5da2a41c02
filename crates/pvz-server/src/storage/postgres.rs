//! The PostgreSQL backend: a pool of connections shared by reads and writes, each call run on tokio's
//! blocking pool (the `postgres` crate's client is synchronous, like the queries). Several server
//! instances share the database; nothing is cached in the process, so every call sees what any
//! instance or admin command committed before it.

use crate::db::sql::{PgConnection, SqlError};
use crate::db::Connection;
use crate::error::{Result, ServerError};
use std::time::Duration;

#[derive(Clone)]
pub struct PgBackend {
    pool: r2d2::Pool<Manager>,
}

/// Connections the pool keeps at most; requests beyond wait up to [`CHECKOUT_TIMEOUT`].
pub const DEFAULT_POOL_SIZE: u32 = 16;

/// How long a request waits for a connection before it is answered 503 (the database is down or
/// every connection is busy): short, so a kiosk backs off and retries instead of hanging.
const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(3);

struct Manager {
    url: String,
}

impl r2d2::ManageConnection for Manager {
    type Connection = Connection;
    type Error = SqlError;

    fn connect(&self) -> std::result::Result<Connection, SqlError> {
        PgConnection::connect(&self.url).map(Connection::Postgres)
    }

    fn is_valid(&self, conn: &mut Connection) -> std::result::Result<(), SqlError> {
        conn.execute_batch("")
    }

    /// Lost, or left inside a transaction (its rollback failed): not handed out again.
    fn has_broken(&self, conn: &mut Connection) -> bool {
        conn.is_closed() || !conn.is_autocommit()
    }
}

impl PgBackend {
    /// A pool over `url`; connections are made on demand (the caller has migrated already).
    pub fn open(url: &str, size: u32) -> PgBackend {
        let pool = r2d2::Pool::builder()
            .max_size(size.max(1))
            .min_idle(Some(1))
            .connection_timeout(CHECKOUT_TIMEOUT)
            .test_on_check_out(false)
            .error_handler(Box::new(LogErrors))
            .build_unchecked(Manager { url: url.to_owned() });
        PgBackend { pool }
    }

    /// Runs `f` on a pooled connection on the blocking pool.
    pub(super) async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let conn = pool.get().map_err(|error| {
                tracing::warn!(%error, "no database connection");
                ServerError::Unavailable
            })?;
            f(&conn)
        })
        .await?
    }

    /// Connections open now (in use and idle), for the load figures.
    pub fn connections(&self) -> u32 {
        self.pool.state().connections
    }
}

/// Connection failures in the pool's background go to the log, once each.
#[derive(Debug)]
struct LogErrors;

impl r2d2::HandleError<SqlError> for LogErrors {
    fn handle_error(&self, error: SqlError) {
        tracing::warn!(%error, "a database connection failed");
    }
}
