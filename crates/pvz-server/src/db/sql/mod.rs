//! The one executor every `db/` query runs through, on SQLite (rusqlite) or PostgreSQL (the
//! `tokio-postgres` driver, waited for synchronously), so each query is written once.
//!
//! Its surface is rusqlite's, the API the queries were first written against: `execute`,
//! `query_row`, `prepare_cached` and a statement's `execute`/`exists`/`query_row`/`query_map`,
//! `params!`, `optional()`. SQL is written in the dialect both share (BIGINT/TEXT, `?N` parameters,
//! `ON CONFLICT`, `RETURNING`); on PostgreSQL `?N` becomes `$N` when a statement is prepared.
//! Values cross as [`Value`]: an integer, text, a float, bytes or NULL. PostgreSQL is strict about
//! types, so a value is encoded as the column's own type (an integer into INT4, BOOL or INT8) and
//! read back the same way; an aggregate whose type differs between the two (`SUM` is NUMERIC on
//! PostgreSQL) is written `CAST(SUM(x) AS BIGINT)`.
//!
//! Transactions: [`Connection::transaction`] is a write transaction (IMMEDIATE on SQLite, so it
//! takes the write lock first; READ COMMITTED on PostgreSQL, where every state change is a guarded
//! `UPDATE ... WHERE <expected state>` and the push locks its device row first, see
//! [`crate::push`]). [`Connection::read_transaction`] is one consistent snapshot (REPEATABLE READ,
//! read only, on PostgreSQL), for reads that must agree with each other, such as a feed page.

mod pg;

pub use pg::PgConnection;

use std::fmt;

/// Which database a connection talks to, for the few places the dialects differ (migrations).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A failed query.
#[derive(Debug, thiserror::Error)]
pub enum SqlError {
    #[error("{0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{}", pg::describe(.0))]
    Postgres(#[from] tokio_postgres::Error),
    #[error("the query returned no rows")]
    NoRows,
    /// A stored value that cannot be what its column holds (an unknown state, a malformed id).
    #[error("column {index}: {what}")]
    Column { index: usize, what: String },
    /// No connection was made in time: nothing answers there, or it never finished the handshake.
    #[error("{0}")]
    Unreachable(String),
}

impl SqlError {
    /// A column whose stored value is not valid, e.g. an id that no longer parses.
    pub fn bad_column(index: usize, what: String) -> SqlError {
        SqlError::Column { index, what }
    }

    /// The database is there but cannot answer now (busy, locked, restarting, unreachable): the
    /// caller is told to retry (503), and nothing was half-applied, as the transaction rolled back.
    pub fn is_unavailable(&self) -> bool {
        match self {
            SqlError::Sqlite(e) => matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            ),
            SqlError::Postgres(e) => pg::is_unavailable(e),
            SqlError::Unreachable(_) => true,
            SqlError::NoRows | SqlError::Column { .. } => false,
        }
    }
}

pub type SqlResult<T> = std::result::Result<T, SqlError>;

impl From<SqlError> for crate::error::ServerError {
    fn from(e: SqlError) -> Self {
        if e.is_unavailable() {
            crate::error::ServerError::Unavailable
        } else {
            crate::error::ServerError::Internal(format!("database: {e}"))
        }
    }
}

/// `Ok(None)` for a query that found no row, like rusqlite's extension of the same name.
pub trait OptionalExtension<T> {
    fn optional(self) -> SqlResult<Option<T>>;
}

impl<T> OptionalExtension<T> for SqlResult<T> {
    fn optional(self) -> SqlResult<Option<T>> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(SqlError::NoRows | SqlError::Sqlite(rusqlite::Error::QueryReturnedNoRows)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A value bound to a parameter.
#[derive(Debug, Clone, Copy)]
pub enum Value<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// What can be bound to a parameter.
pub trait ToValue {
    fn to_value(&self) -> Value<'_>;
}

macro_rules! int_to_value {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value<'_> {
                Value::Int(i64::from(*self))
            }
        }
    )*};
}
int_to_value!(i64, i32, u32, i16, u16, u8, bool);

impl ToValue for f64 {
    fn to_value(&self) -> Value<'_> {
        Value::Real(*self)
    }
}

impl ToValue for str {
    fn to_value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl ToValue for [u8] {
    fn to_value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}

impl ToValue for Vec<u8> {
    fn to_value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value<'_> {
        (**self).to_value()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value<'_> {
        match self {
            Some(v) => v.to_value(),
            None => Value::Null,
        }
    }
}

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match *self {
            Value::Null => ValueRef::Null,
            Value::Int(i) => ValueRef::Integer(i),
            Value::Real(f) => ValueRef::Real(f),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

/// A statement's parameters: `params![a, b]`, `[a, b]` of one type, or `[]`.
pub trait Params {
    fn values(&self) -> Vec<Value<'_>>;
}

/// `[]`: no parameters (the element type has to be named for the empty array to have one).
impl Params for [&dyn ToValue; 0] {
    fn values(&self) -> Vec<Value<'_>> {
        Vec::new()
    }
}

macro_rules! array_params {
    ($($n:literal)*) => {$(
        impl<T: ToValue> Params for [T; $n] {
            fn values(&self) -> Vec<Value<'_>> {
                self.iter().map(|v| v.to_value()).collect()
            }
        }
        impl<T: ToValue> Params for &[T; $n] {
            fn values(&self) -> Vec<Value<'_>> {
                self.iter().map(|v| v.to_value()).collect()
            }
        }
    )*};
}
array_params!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16);

impl<T: ToValue> Params for &[T] {
    fn values(&self) -> Vec<Value<'_>> {
        self.iter().map(|v| v.to_value()).collect()
    }
}

impl Params for () {
    fn values(&self) -> Vec<Value<'_>> {
        Vec::new()
    }
}

/// Parameters of mixed types, in order: `params![id.as_str(), version, now]`.
#[macro_export]
macro_rules! params {
    () => { &[] as &[&dyn $crate::db::sql::ToValue] };
    ($($p:expr),+ $(,)?) => { &[$(&$p as &dyn $crate::db::sql::ToValue),+] as &[&dyn $crate::db::sql::ToValue] };
}
pub use params;

/// What a column can be read as.
pub trait FromValue: Sized {
    fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> SqlResult<Self>;
    fn from_pg(value: pg::Cell<'_>) -> SqlResult<Self>;
}

macro_rules! from_value_via_rusqlite {
    ($($t:ty => $pg:ident),*) => {$(
        impl FromValue for $t {
            fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> SqlResult<Self> {
                Ok(row.get(index)?)
            }
            fn from_pg(value: pg::Cell<'_>) -> SqlResult<Self> {
                value.$pg()
            }
        }
    )*};
}
from_value_via_rusqlite!(i64 => int, String => text, f64 => real, Vec<u8> => blob, bool => boolean);

impl FromValue for i32 {
    fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> SqlResult<Self> {
        Ok(row.get(index)?)
    }
    fn from_pg(value: pg::Cell<'_>) -> SqlResult<Self> {
        let index = value.index;
        i32::try_from(value.int()?).map_err(|_| SqlError::bad_column(index, "an integer out of range".into()))
    }
}

impl FromValue for u32 {
    fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> SqlResult<Self> {
        Ok(row.get(index)?)
    }
    fn from_pg(value: pg::Cell<'_>) -> SqlResult<Self> {
        let index = value.index;
        u32::try_from(value.int()?).map_err(|_| SqlError::bad_column(index, "an integer out of range".into()))
    }
}

impl FromValue for u64 {
    fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> SqlResult<Self> {
        Ok(row.get(index)?)
    }
    fn from_pg(value: pg::Cell<'_>) -> SqlResult<Self> {
        let index = value.index;
        u64::try_from(value.int()?).map_err(|_| SqlError::bad_column(index, "an integer out of range".into()))
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> SqlResult<Self> {
        match row.get_ref(index)? {
            rusqlite::types::ValueRef::Null => Ok(None),
            _ => T::from_sqlite(row, index).map(Some),
        }
    }
    fn from_pg(value: pg::Cell<'_>) -> SqlResult<Self> {
        if value.is_null() {
            Ok(None)
        } else {
            T::from_pg(value).map(Some)
        }
    }
}

/// One row of a result.
pub enum Row<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres(&'r tokio_postgres::Row),
}

impl Row<'_> {
    pub fn get<T: FromValue>(&self, index: usize) -> SqlResult<T> {
        match self {
            Row::Sqlite(row) => T::from_sqlite(row, index),
            Row::Postgres(row) => T::from_pg(pg::Cell::of(row, index)?),
        }
    }
}

/// An open connection to either database.
pub enum Connection {
    Sqlite(rusqlite::Connection),
    Postgres(PgConnection),
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Connection::Sqlite(_) => "Connection::Sqlite",
            Connection::Postgres(_) => "Connection::Postgres",
        })
    }
}

impl Connection {
    pub fn dialect(&self) -> Dialect {
        match self {
            Connection::Sqlite(_) => Dialect::Sqlite,
            Connection::Postgres(_) => Dialect::Postgres,
        }
    }

    /// The SQLite connection underneath, for what only SQLite has (pragmas, backups, its migrations).
    pub fn as_sqlite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Connection::Sqlite(conn) => Some(conn),
            Connection::Postgres(_) => None,
        }
    }

    /// [`Connection::as_sqlite`], to change (migrate) it.
    pub fn as_sqlite_mut(&mut self) -> Option<&mut rusqlite::Connection> {
        match self {
            Connection::Sqlite(conn) => Some(conn),
            Connection::Postgres(_) => None,
        }
    }

    /// Runs one statement; the number of rows it changed.
    pub fn execute(&self, sql: &str, params: impl Params) -> SqlResult<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    /// The first row, mapped; [`SqlError::NoRows`] when there is none (see [`OptionalExtension`]).
    pub fn query_row<T>(
        &self,
        sql: &str,
        params: impl Params,
        f: impl FnOnce(&Row<'_>) -> SqlResult<T>,
    ) -> SqlResult<T> {
        self.prepare_cached(sql)?.query_row(params, f)
    }

    /// A statement, prepared once per connection and reused.
    pub fn prepare_cached(&self, sql: &str) -> SqlResult<Statement<'_>> {
        Ok(match self {
            Connection::Sqlite(conn) => Statement::Sqlite(conn.prepare_cached(sql)?),
            Connection::Postgres(conn) => Statement::Postgres(conn.prepare_cached(sql)?),
        })
    }

    /// [`Connection::prepare_cached`]: every statement is kept, they are few and fixed.
    pub fn prepare(&self, sql: &str) -> SqlResult<Statement<'_>> {
        self.prepare_cached(sql)
    }

    /// Runs several statements without parameters (a migration, `BEGIN`).
    pub fn execute_batch(&self, sql: &str) -> SqlResult<()> {
        match self {
            Connection::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Connection::Postgres(conn) => conn.batch_execute(sql),
        }
    }

    /// A write transaction; it rolls back when dropped without [`Transaction::commit`].
    pub fn transaction(&self) -> SqlResult<Transaction<'_>> {
        self.execute_batch(match self.dialect() {
            Dialect::Sqlite => "BEGIN IMMEDIATE",
            Dialect::Postgres => "BEGIN",
        })?;
        Ok(Transaction { conn: self, open: true })
    }

    /// One consistent snapshot to read from; dropped (rolled back) when done.
    pub fn read_transaction(&self) -> SqlResult<Transaction<'_>> {
        self.execute_batch(match self.dialect() {
            Dialect::Sqlite => "BEGIN DEFERRED",
            Dialect::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
        })?;
        Ok(Transaction { conn: self, open: true })
    }

    /// Whether no transaction is open (one left open by a panic must be rolled back before reuse).
    pub fn is_autocommit(&self) -> bool {
        match self {
            Connection::Sqlite(conn) => conn.is_autocommit(),
            Connection::Postgres(conn) => !conn.in_transaction(),
        }
    }

    /// Whether the connection is gone for good (the server closed it): a pool drops it.
    pub fn is_closed(&self) -> bool {
        match self {
            Connection::Sqlite(_) => false,
            Connection::Postgres(conn) => conn.is_closed(),
        }
    }
}

/// An open transaction; derefs to its connection, so every query function takes either.
pub struct Transaction<'c> {
    conn: &'c Connection,
    open: bool,
}

impl Transaction<'_> {
    pub fn commit(mut self) -> SqlResult<()> {
        self.open = false;
        self.conn.execute_batch("COMMIT")
    }
}

impl std::ops::Deref for Transaction<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if self.open && !self.conn.is_autocommit() {
            if let Err(error) = self.conn.execute_batch("ROLLBACK") {
                tracing::warn!(%error, "rolling back a transaction failed");
            }
        }
    }
}

/// A prepared statement.
pub enum Statement<'c> {
    Sqlite(rusqlite::CachedStatement<'c>),
    Postgres(pg::PgStatement<'c>),
}

impl Statement<'_> {
    pub fn execute(&mut self, params: impl Params) -> SqlResult<usize> {
        let values = params.values();
        match self {
            Statement::Sqlite(stmt) => Ok(stmt.execute(rusqlite::params_from_iter(values))?),
            Statement::Postgres(stmt) => stmt.execute(&values),
        }
    }

    /// Whether the query returns any row.
    pub fn exists(&mut self, params: impl Params) -> SqlResult<bool> {
        let values = params.values();
        match self {
            Statement::Sqlite(stmt) => Ok(stmt.exists(rusqlite::params_from_iter(values))?),
            Statement::Postgres(stmt) => Ok(!stmt.query(&values)?.is_empty()),
        }
    }

    pub fn query_row<T>(&mut self, params: impl Params, f: impl FnOnce(&Row<'_>) -> SqlResult<T>) -> SqlResult<T> {
        let values = params.values();
        match self {
            Statement::Sqlite(stmt) => {
                let mut rows = stmt.query(rusqlite::params_from_iter(values))?;
                match rows.next()? {
                    Some(row) => f(&Row::Sqlite(row)),
                    None => Err(SqlError::NoRows),
                }
            }
            Statement::Postgres(stmt) => match stmt.query(&values)?.first() {
                Some(row) => f(&Row::Postgres(row)),
                None => Err(SqlError::NoRows),
            },
        }
    }

    /// Every row, mapped; read whole before returning (results here are pages, not streams).
    pub fn query_map<T>(
        &mut self,
        params: impl Params,
        mut f: impl FnMut(&Row<'_>) -> SqlResult<T>,
    ) -> SqlResult<std::vec::IntoIter<SqlResult<T>>> {
        let values = params.values();
        let mapped: Vec<SqlResult<T>> = match self {
            Statement::Sqlite(stmt) => {
                let mut rows = stmt.query(rusqlite::params_from_iter(values))?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    out.push(f(&Row::Sqlite(row)));
                }
                out
            }
            Statement::Postgres(stmt) => stmt.query(&values)?.iter().map(|row| f(&Row::Postgres(row))).collect(),
        };
        Ok(mapped.into_iter())
    }
}

#[cfg(test)]
mod tests {
    use super::pg::translate;

    #[test]
    fn numbered_parameters_become_dollar_parameters_outside_literals() {
        assert_eq!(
            translate("SELECT a FROM t WHERE b = ?2 AND c = '?1' AND d = ?1 AND e = ?"),
            "SELECT a FROM t WHERE b = $2 AND c = '?1' AND d = $1 AND e = $3",
            "numbered parameters keep their number, a bare one takes the next, literals are left alone"
        );
        assert_eq!(
            translate("SELECT 'it''s ?3' || ?12"),
            "SELECT 'it''s ?3' || $12",
            "doubled quotes stay inside the literal"
        );
    }
}
