//! The PostgreSQL side of the executor: a `tokio_postgres` client with its prepared statements,
//! values encoded as each parameter's own type, and cells decoded from theirs.
//!
//! The queries are synchronous, like rusqlite's; the driver is async. Each connection's socket is
//! driven by one small runtime shared by the process ([`io_runtime`]), and a query's future is
//! waited for with a plain thread park (`futures_executor::block_on`). Unlike the `postgres`
//! crate's own blocking client, that works from any thread, including inside an async task (admin
//! commands and tests call the database synchronously from async code, as they do on SQLite).

use super::{SqlError, SqlResult, Value};
use std::cell::{Cell as Flag, RefCell};
use std::collections::HashMap;
use std::error::Error;
use std::sync::OnceLock;
use tokio_postgres::types::{FromSql, IsNull, ToSql, Type};

/// A PostgreSQL connection with its statement cache. Not `Sync`: one thread uses it at a time (a
/// pool hands it out whole).
pub struct PgConnection {
    client: RefCell<tokio_postgres::Client>,
    statements: RefCell<HashMap<String, tokio_postgres::Statement>>,
    in_transaction: Flag<bool>,
}

/// How long making a connection may take, handshake included, unless the URL sets `connect_timeout`.
const DEFAULT_CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// The runtime that drives every connection's socket: two threads of its own, whatever the caller
/// runs on.
fn io_runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("pvz-pg-io")
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("cannot start the database IO runtime: {e}"))
    })
}

impl PgConnection {
    /// Connects to `url` (`postgres://user@host:port/db`, or with `?host=/socket/dir`).
    pub fn connect(url: &str) -> SqlResult<PgConnection> {
        let mut config: tokio_postgres::Config = url.parse()?;
        let timeout = *config.get_connect_timeout().unwrap_or(&DEFAULT_CONNECT_TIMEOUT);
        config.connect_timeout(timeout);
        config.application_name("pvz-server");
        let connecting = io_runtime().spawn(async move {
            // The driver's own timeout covers only opening the socket; a server that accepts and
            // then says nothing would hold the caller (a start-up, a pool's checkout) forever.
            let (client, connection) = tokio::time::timeout(timeout, config.connect(tokio_postgres::NoTls))
                .await
                .map_err(|_| SqlError::Unreachable(format!("no answer from the database within {timeout:?}")))??;
            tokio::spawn(async move {
                if let Err(error) = connection.await {
                    tracing::debug!(%error, "a database connection ended");
                }
            });
            Ok::<_, SqlError>(client)
        });
        let client = futures_executor::block_on(connecting)
            .map_err(|e| SqlError::Unreachable(format!("the database connection task failed: {e}")))??;
        Ok(PgConnection {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            in_transaction: Flag::new(false),
        })
    }

    /// The driver's client, for what only it does (migrations); `f`'s future is waited for here.
    pub fn with_client<T>(&self, f: impl AsyncFnOnce(&mut tokio_postgres::Client) -> T) -> T {
        futures_executor::block_on(f(&mut self.client.borrow_mut()))
    }

    pub(super) fn prepare_cached(&self, sql: &str) -> SqlResult<PgStatement<'_>> {
        if let Some(stmt) = self.statements.borrow().get(sql) {
            return Ok(PgStatement { conn: self, stmt: stmt.clone() });
        }
        let stmt = futures_executor::block_on(self.client.borrow().prepare(&translate(sql)))?;
        self.statements.borrow_mut().insert(sql.to_owned(), stmt.clone());
        Ok(PgStatement { conn: self, stmt })
    }

    pub(super) fn batch_execute(&self, sql: &str) -> SqlResult<()> {
        let out = futures_executor::block_on(self.client.borrow().batch_execute(sql));
        let word = sql.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
        match word.as_str() {
            "BEGIN" if out.is_ok() => self.in_transaction.set(true),
            "COMMIT" | "ROLLBACK" | "END" => self.in_transaction.set(false),
            _ => {}
        }
        Ok(out?)
    }

    pub(super) fn in_transaction(&self) -> bool {
        self.in_transaction.get()
    }

    pub(super) fn is_closed(&self) -> bool {
        self.client.borrow().is_closed()
    }
}

pub struct PgStatement<'c> {
    conn: &'c PgConnection,
    stmt: tokio_postgres::Statement,
}

impl PgStatement<'_> {
    pub(super) fn execute(&self, values: &[Value<'_>]) -> SqlResult<usize> {
        let binds: Vec<Bind<'_>> = values.iter().map(|v| Bind(*v)).collect();
        let params: Vec<&(dyn ToSql + Sync)> = binds.iter().map(|b| b as &(dyn ToSql + Sync)).collect();
        let changed = futures_executor::block_on(self.conn.client.borrow().execute(&self.stmt, &params))?;
        Ok(usize::try_from(changed).unwrap_or(usize::MAX))
    }

    pub(super) fn query(&self, values: &[Value<'_>]) -> SqlResult<Vec<tokio_postgres::Row>> {
        let binds: Vec<Bind<'_>> = values.iter().map(|v| Bind(*v)).collect();
        let params: Vec<&(dyn ToSql + Sync)> = binds.iter().map(|b| b as &(dyn ToSql + Sync)).collect();
        Ok(futures_executor::block_on(self.conn.client.borrow().query(&self.stmt, &params))?)
    }
}

/// `?N` -> `$N`, and a bare `?` -> the next number (SQLite's rule), outside quoted literals.
pub(super) fn translate(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut quoted = false;
    let mut highest = 0u32;
    while let Some(c) = chars.next() {
        if c == '\'' {
            quoted = !quoted;
            out.push(c);
            continue;
        }
        if c != '?' || quoted {
            out.push(c);
            continue;
        }
        let mut digits = String::new();
        while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            digits.push(*d);
            chars.next();
        }
        let number = digits.parse().unwrap_or(highest + 1);
        highest = highest.max(number);
        out.push('$');
        out.push_str(&number.to_string());
    }
    out
}

type BoxError = Box<dyn Error + Sync + Send>;

/// A value encoded as the type PostgreSQL inferred for its parameter.
#[derive(Debug)]
struct Bind<'a>(Value<'a>);

impl ToSql for Bind<'_> {
    fn to_sql(&self, ty: &Type, out: &mut bytes::BytesMut) -> Result<IsNull, BoxError> {
        match self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(i)?.to_sql(ty, out),
                Type::BOOL => (i != 0).to_sql(ty, out),
                Type::FLOAT8 => (i as f64).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR | Type::UNKNOWN => i.to_string().as_str().to_sql(ty, out),
                _ => Err(format!("an integer cannot be bound to a parameter of type {ty}").into()),
            },
            Value::Real(f) => match *ty {
                Type::FLOAT8 => f.to_sql(ty, out),
                Type::FLOAT4 => (f as f32).to_sql(ty, out),
                _ => Err(format!("a float cannot be bound to a parameter of type {ty}").into()),
            },
            Value::Text(s) => s.to_sql(ty, out),
            Value::Blob(b) => b.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    tokio_postgres::types::to_sql_checked!();
}

/// A column's raw bytes, decoded by [`Cell`] according to its type.
struct Raw<'a>(Option<&'a [u8]>);

impl<'a> FromSql<'a> for Raw<'a> {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(Raw(Some(raw)))
    }
    fn from_sql_null(_: &Type) -> Result<Self, BoxError> {
        Ok(Raw(None))
    }
    fn accepts(_: &Type) -> bool {
        true
    }
}

/// One value of a row.
pub struct Cell<'r> {
    pub(super) index: usize,
    ty: &'r Type,
    raw: Option<&'r [u8]>,
}

impl<'r> Cell<'r> {
    pub(super) fn of(row: &'r tokio_postgres::Row, index: usize) -> SqlResult<Cell<'r>> {
        let column = row.columns().get(index).ok_or_else(|| SqlError::bad_column(index, "no such column".into()))?;
        let Raw(raw) = row.try_get::<_, Raw<'r>>(index)?;
        Ok(Cell { index, ty: column.type_(), raw })
    }

    pub(super) fn is_null(&self) -> bool {
        self.raw.is_none()
    }

    fn bytes(&self) -> SqlResult<&'r [u8]> {
        self.raw.ok_or_else(|| SqlError::bad_column(self.index, "NULL where a value is required".into()))
    }

    fn decode<T: FromSql<'r>>(&self) -> SqlResult<T> {
        T::from_sql(self.ty, self.bytes()?).map_err(|e| SqlError::bad_column(self.index, e.to_string()))
    }

    pub(super) fn int(self) -> SqlResult<i64> {
        match *self.ty {
            Type::INT8 => self.decode::<i64>(),
            Type::INT4 => self.decode::<i32>().map(i64::from),
            Type::INT2 => self.decode::<i16>().map(i64::from),
            Type::BOOL => self.decode::<bool>().map(i64::from),
            _ => Err(self.wrong("an integer")),
        }
    }

    pub(super) fn text(self) -> SqlResult<String> {
        match *self.ty {
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
                self.decode::<&str>().map(str::to_owned)
            }
            _ => Err(self.wrong("text")),
        }
    }

    pub(super) fn real(self) -> SqlResult<f64> {
        match *self.ty {
            Type::FLOAT8 => self.decode::<f64>(),
            Type::FLOAT4 => self.decode::<f32>().map(f64::from),
            _ => self.int().map(|i| i as f64),
        }
    }

    pub(super) fn boolean(self) -> SqlResult<bool> {
        match *self.ty {
            Type::BOOL => self.decode::<bool>(),
            _ => self.int().map(|i| i != 0),
        }
    }

    pub(super) fn blob(self) -> SqlResult<Vec<u8>> {
        match *self.ty {
            Type::BYTEA => self.decode::<&[u8]>().map(<[u8]>::to_vec),
            _ => Err(self.wrong("bytes")),
        }
    }

    fn wrong(&self, wanted: &str) -> SqlError {
        let hint = if *self.ty == Type::NUMERIC { " (write CAST(... AS BIGINT) around the aggregate)" } else { "" };
        SqlError::bad_column(self.index, format!("a {} column read as {wanted}{hint}", self.ty))
    }
}

/// A PostgreSQL error with what the server said, for the log.
pub(super) fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let detail = db.detail().map(|d| format!("; {d}")).unwrap_or_default();
            format!("{} ({}){detail}", db.message(), db.code().code())
        }
        // The driver's text leaves out why ("error connecting to server"); its causes say it.
        None => {
            let mut text = e.to_string();
            let mut source = e.source();
            while let Some(cause) = source {
                text = format!("{text}: {cause}");
                source = cause.source();
            }
            text
        }
    }
}

/// The connection is lost or the server cannot serve now; retrying later can succeed.
pub(super) fn is_unavailable(e: &tokio_postgres::Error) -> bool {
    if e.is_closed() {
        return true;
    }
    match e.code() {
        Some(code) => {
            let code = code.code();
            // 08: connection exception; 57P0x: shutting down / starting up; 53300: too many
            // connections; 40001/40P01: a serialization failure or deadlock, undone whole.
            code.starts_with("08") || code.starts_with("57P") || matches!(code, "53300" | "40001" | "40P01")
        }
        // No SQLSTATE: the socket failed, the connection could not be made or timed out; anything
        // else (a value that did not convert) is a bug, not an outage.
        None => {
            let mut source = e.source();
            while let Some(cause) = source {
                if cause.is::<std::io::Error>() {
                    return true;
                }
                source = cause.source();
            }
            e.to_string().starts_with("timeout")
        }
    }
}
