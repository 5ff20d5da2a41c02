//! The server's database, SQLite or PostgreSQL: where it is ([`Database`]), opening a connection
//! with the right settings, each backend's embedded migrations, and one query module per table,
//! each query written once against [`sql::Connection`]. Everything here is synchronous; async
//! callers go through [`crate::storage::DbStorage`], which runs it on the blocking pool.

pub mod api_credentials;
pub mod attachments;
pub mod backup;
pub mod boxes;
pub mod cells;
pub mod claims;
pub mod custody;
pub mod devices;
pub mod employees;
pub mod evidence;
pub mod feed;
pub mod hand_backs;
pub mod ledger;
pub mod manifests;
pub mod marks;
pub mod messages;
pub mod network_keys;
pub mod ops;
pub mod orders;
pub mod points;
pub mod sellers;
pub mod shelf;
pub mod shifts;
pub mod shipments;
pub mod sql;
pub mod web_sessions;

pub use sql::{Connection, Dialect, OptionalExtension, SqlError, SqlResult, Transaction};

use crate::error::{Result, ServerError};
use rusqlite_migration::{Migrations, M};
use std::path::{Path, PathBuf};

/// Where the server's data lives: the embedded SQLite file (the default, for the demo and small
/// networks) or a PostgreSQL database shared by every server instance.
#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    Sqlite(PathBuf),
    /// A `postgres://` / `postgresql://` URL (a socket directory goes in `?host=/dir`).
    Postgres(String),
}

impl std::fmt::Debug for Database {
    /// Without the URL's password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::Sqlite(path) => write!(f, "SQLite {}", path.display()),
            Database::Postgres(url) => {
                let credentials =
                    url.split_once("://").and_then(|(scheme, rest)| Some((scheme, rest.split_once('@')?)));
                let shown = match credentials {
                    Some((scheme, (user_info, host))) if user_info.contains(':') => {
                        let user = user_info.split(':').next().unwrap_or_default();
                        format!("{scheme}://{user}:***@{host}")
                    }
                    _ => url.clone(),
                };
                write!(f, "PostgreSQL {shown}")
            }
        }
    }
}

impl Database {
    /// `postgres://...` or `postgresql://...` is PostgreSQL; `sqlite://<path>` or a bare path is a
    /// SQLite file.
    pub fn parse(url: &str) -> Result<Database> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let config = url
                .parse::<tokio_postgres::Config>()
                .map_err(|e| ServerError::Setup(format!("database_url is not a valid PostgreSQL URL: {e}")))?;
            if config.get_hosts().is_empty() {
                return Err(ServerError::Setup(
                    "database_url names no host: postgres://user@HOST/db, or ?host=/socket/dir".into(),
                ));
            }
            return Ok(Database::Postgres(url.to_owned()));
        }
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        if path.is_empty() || path.contains("://") {
            return Err(ServerError::Setup(format!(
                "database_url {url:?} is neither postgres://... nor a SQLite file path"
            )));
        }
        Ok(Database::Sqlite(PathBuf::from(path)))
    }

    pub fn dialect(&self) -> Dialect {
        match self {
            Database::Sqlite(_) => Dialect::Sqlite,
            Database::Postgres(_) => Dialect::Postgres,
        }
    }

    /// A new connection, settings applied, schema untouched.
    pub fn connect(&self) -> Result<Connection> {
        match self {
            Database::Sqlite(path) => open(path),
            Database::Postgres(url) => sql::PgConnection::connect(url).map(Connection::Postgres).map_err(|e| {
                if e.is_unavailable() {
                    ServerError::Setup(format!("cannot connect to the database {self:?}: {e}"))
                } else {
                    ServerError::Setup(format!("the database {self:?} refused the connection: {e}"))
                }
            }),
        }
    }

    /// A new connection to a database whose schema is brought up to date first.
    pub fn connect_and_migrate(&self) -> Result<Connection> {
        let mut conn = self.connect()?;
        migrate(&mut conn)?;
        Ok(conn)
    }
}

mod postgres_migrations {
    refinery::embed_migrations!("migrations/postgres");
}

/// The database file inside the data dir.
pub const DB_FILE: &str = "server.sqlite3";

/// Append-only, timestamped; applied in one transaction by `pvz-server migrate` (or `serve --migrate`).
pub fn migrations() -> Migrations<'static> {
    Migrations::new(every_migration().into_iter().map(|(_, m)| m).collect())
}

/// The schema of an earlier release: its first `count` migrations (for upgrade tests).
pub fn released_migrations(count: usize) -> Migrations<'static> {
    Migrations::new(every_migration().into_iter().take(count).map(|(_, m)| m).collect())
}

/// `(file name, migration)` of a file in `migrations/`, made by `M::up` or by the given constructor.
macro_rules! migration {
    ($file:literal) => {
        migration!($file, M::up)
    };
    ($file:literal, $make:expr) => {
        ($file, $make(include_str!(concat!("../../migrations/", $file))))
    };
}

fn every_migration() -> Vec<(&'static str, M<'static>)> {
    vec![
        migration!("20261201_0001_initial.sql"),
        migration!("20261210_0002_fee_policy_history.sql"),
        migration!("20261211_0003_device_enrollments.sql"),
        migration!("20261212_0004_claims_and_returns.sql", |sql| M::up_with_hook(sql, backfill_refusals)),
        migration!("20261214_0005_receiving_staff_shifts.sql"),
        migration!("20261215_0006_staff_badges.sql"),
        migration!("20261216_0007_device_fleet.sql"),
        migration!("20261217_0008_server_marks.sql"),
        migration!("20261218_0009_network_keys.sql"),
        migration!("20261219_0010_claim_service.sql"),
        migration!("20261220_0011_claim_conversation.sql"),
        migration!("20261221_0012_idempotent_enrollment.sql"),
        migration!("20261222_0013_evidence.sql"),
        migration!("20261223_0014_web_sessions.sql"),
        migration!("20261224_0015_handed_over_marks.sql"),
    ]
}

/// Where a database's schema stands against this build's migrations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaState {
    Current,
    /// Migrations this build has and the database lacks, by file name, oldest first.
    Behind(Vec<String>),
    /// The database was migrated by a newer build, which has `newer_by` migrations this one lacks.
    Ahead {
        newer_by: usize,
    },
}

pub fn schema_state(conn: &Connection) -> Result<SchemaState> {
    match conn {
        Connection::Sqlite(sqlite) => {
            let pending = migrations().pending_migrations(sqlite)?;
            Ok(match usize::try_from(pending) {
                Ok(0) => SchemaState::Current,
                Ok(n) => {
                    let names: Vec<_> = every_migration().into_iter().map(|(name, _)| name.to_owned()).collect();
                    SchemaState::Behind(names[names.len() - n..].to_vec())
                }
                Err(_) => SchemaState::Ahead { newer_by: pending.unsigned_abs() as usize },
            })
        }
        Connection::Postgres(_) => {
            let history = conn.query_row(
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'refinery_schema_history'",
                [],
                |r| r.get::<i64>(0),
            )?;
            let applied: i64 = if history == 0 {
                0
            } else {
                conn.query_row(
                    "SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) FROM refinery_schema_history",
                    [],
                    |r| r.get(0),
                )?
            };
            let ours = postgres_migrations::migrations::runner().get_migrations().clone();
            let newest = ours.iter().map(|m| i64::from(m.version())).max().unwrap_or(0);
            Ok(if applied > newest {
                SchemaState::Ahead { newer_by: usize::try_from(applied - newest).unwrap_or(usize::MAX) }
            } else {
                let pending: Vec<String> = ours
                    .iter()
                    .filter(|m| i64::from(m.version()) > applied)
                    .map(|m| format!("V{}__{}", m.version(), m.name()))
                    .collect();
                if pending.is_empty() {
                    SchemaState::Current
                } else {
                    SchemaState::Behind(pending)
                }
            })
        }
    }
}

/// Brings the schema up to date, by the connection's own dialect's migrations, in one transaction;
/// returns the migrations it applied (none when it was current already). Several instances starting
/// at once on one PostgreSQL migrate one at a time (an advisory lock), and the later ones find
/// nothing to do.
pub fn migrate(conn: &mut Connection) -> Result<Vec<String>> {
    let pending = match schema_state(conn)? {
        SchemaState::Current => return Ok(Vec::new()),
        SchemaState::Behind(pending) => pending,
        SchemaState::Ahead { newer_by } => {
            return Err(ServerError::Setup(format!(
                "the database was migrated by a newer pvz-server ({newer_by} migrations ahead of this one): \
                 update this server"
            )))
        }
    };
    match conn {
        Connection::Sqlite(sqlite) => {
            // Two processes starting on one new file at once (instances behind a load balancer):
            // the migrator reads the schema version before its transaction, so the slower one
            // replays what the faster committed and fails, its transaction rolled back. It tries
            // again (its write waits out the other's transaction) until the schema is up to date.
            let mut attempts = 0;
            while let Err(failed) = migrations().to_latest(sqlite) {
                attempts += 1;
                if migrations().pending_migrations(sqlite).ok() == Some(0) {
                    break;
                }
                if attempts == 3 {
                    return Err(failed.into());
                }
            }
        }
        Connection::Postgres(pg) => pg
            .with_client(async |client| -> std::result::Result<(), String> {
                let failed = |e: tokio_postgres::Error| e.to_string();
                client.batch_execute("SELECT pg_advisory_lock(7170001)").await.map_err(failed)?;
                let out = postgres_migrations::migrations::runner().run_async(client).await;
                client.batch_execute("SELECT pg_advisory_unlock(7170001)").await.map_err(failed)?;
                out.map(|_| ()).map_err(|e| e.to_string())
            })
            .map_err(|e| ServerError::Setup(format!("database migration failed: {e}")))?,
    }
    Ok(pending)
}

/// Migration 0004's hook: orders issued before items recorded their refusals get them from their
/// applied `IssueCompleted` op, so a refused item of an old order cannot be claimed as paid for.
fn backfill_refusals(tx: &rusqlite::Transaction<'_>) -> rusqlite_migration::HookResult {
    let mut ops = tx.prepare("SELECT body FROM ops WHERE kind = 'issue_completed' AND status = 'applied'")?;
    let bodies = ops.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    let mut refuse = tx.prepare("UPDATE order_items SET refusal_reason = ?2 WHERE id = ?1")?;
    for body in bodies {
        let body: pvz_protocol::OpBody = serde_json::from_str(&body)
            .map_err(|e| rusqlite_migration::HookError::Hook(format!("a stored issue op does not parse: {e}")))?;
        if let pvz_protocol::OpBody::IssueCompleted { refused, .. } = body {
            for r in refused {
                refuse.execute(rusqlite::params![r.item_id.as_str(), r.reason.as_str()])?;
            }
        }
    }
    Ok(())
}

/// Opens (creating if needed) the SQLite file and brings its schema up to date.
pub fn open_and_migrate(path: &Path) -> Result<Connection> {
    Database::Sqlite(path.to_owned()).connect_and_migrate()
}

/// Opens an existing database file (never creating one) with a busy wait: what a probe or a
/// backup uses, so a missing file is an error rather than a new empty database.
pub fn open_existing(path: &Path) -> Result<Connection> {
    use rusqlite::OpenFlags;
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    let conn = rusqlite::Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(Connection::Sqlite(conn))
}

/// A trivial query that still reads the schema (a bare `SELECT 1` touches no page of the file).
pub fn ping(conn: &Connection) -> Result<()> {
    conn.prepare_cached("SELECT id FROM pickup_points LIMIT 1")?.exists([])?;
    Ok(())
}

/// Opens a connection with the pragmas every connection needs.
///
/// Durability: WAL with `synchronous=FULL`, so a committed push survives a power cut. A push batch
/// is one transaction (see [`crate::push`]), so this costs one fsync per batch, not per op, which keeps
/// 10,000 ops in batches of 500 well under a second of fsync time.
pub fn open(path: &Path) -> Result<Connection> {
    open_sqlite(path).map(Connection::Sqlite)
}

/// [`open`], as rusqlite's own connection (for the SQLite backend's pools and backups).
pub fn open_sqlite(path: &Path) -> Result<rusqlite::Connection> {
    let conn = rusqlite::Connection::open(path)?;
    // Admin commands and other servers share the file; wait for a lock rather than failing at once,
    // from the first statement on (switching a new file to WAL takes a lock too).
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(mode, "SQLite refused WAL mode; readers will block the writer");
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

/// Now as stored in TEXT columns: RFC 3339 UTC with milliseconds.
pub fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Lower-case hex of sha256, the form hashes are stored in.
pub fn sha256_hex(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&sha256_hex_bytes(bytes)).into_owned()
}

/// Whether `stored_hex` is the sha256 of `bytes`, compared in constant time so response timing says
/// nothing about the stored hash. Checked on every sync call, so it allocates nothing.
pub fn sha256_hex_matches(bytes: &[u8], stored_hex: &str) -> bool {
    use subtle::ConstantTimeEq;
    sha256_hex_bytes(bytes).as_slice().ct_eq(stored_hex.as_bytes()).into()
}

fn sha256_hex_bytes(bytes: &[u8]) -> [u8; 64] {
    use sha2::{Digest, Sha256};
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; 64];
    for (pair, byte) in out.chunks_exact_mut(2).zip(Sha256::digest(bytes)) {
        pair[0] = HEX[usize::from(byte >> 4)];
        pair[1] = HEX[usize::from(byte & 0x0f)];
    }
    out
}

#[cfg(test)]
#[path = "upgrade_tests.rs"]
mod upgrade_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid_and_apply_to_an_empty_database() {
        assert!(migrations().validate().is_ok(), "the embedded migrations must validate");
        let dir = tempfile::tempdir().expect("temp dir");
        let conn = open_and_migrate(&dir.path().join(DB_FILE)).expect("migrations apply to an empty database");
        let tables: i64 = conn
            .query_row("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'ledger_entries'", [], |r| {
                r.get(0)
            })
            .expect("query schema");
        assert_eq!(tables, 1, "the ledger tables must exist after migrating");
        drop(conn);
        open_and_migrate(&dir.path().join(DB_FILE)).expect("re-opening an up-to-date database is a no-op");
    }

    /// A database of the release before the policy history: its points' current policies become the
    /// first entries of their history, so their refusal fees keep being accepted.
    #[test]
    fn a_database_from_the_previous_release_gets_its_policies_into_the_history() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut conn = open(&dir.path().join(DB_FILE)).expect("open");
        released_migrations(1)
            .to_latest(conn.as_sqlite_mut().expect("a SQLite connection"))
            .expect("the first release's schema");
        conn.execute(
            "INSERT INTO pickup_points (id, name, epoch, version, fee_policy, policy_version, created_at)
             VALUES ('pp-old', 'Old', 1, 7, '{\"default_fee\":9900,\"per_category\":{}}', 7, 'then')",
            [],
        )
        .expect("a point of the old release");
        migrations()
            .to_latest(conn.as_sqlite_mut().expect("a SQLite connection"))
            .expect("the new migrations apply on top");
        let point = pvz_domain::PickupPointId::parse("pp-old").expect("id");
        let history = points::list_fee_policies(&conn, &point).expect("history");
        assert_eq!(history.len(), 1, "the old point's current policy is its history: {history:?}");
        assert_eq!(history[0].default_fee, pvz_domain::Kopecks(9_900), "with its fee");
    }

    /// A database of the release before claims: its employees reach the feed after the point's head,
    /// and its issued orders' refusals are read back from their stored issue ops, so a refused item
    /// of an old order cannot be claimed as paid for.
    #[test]
    fn a_database_from_before_claims_gets_its_employees_into_the_feed_and_its_refusals_recorded() {
        use pvz_domain::{ItemId, Kopecks, OrderId, PickupPointId, RefusalReason};
        let dir = tempfile::tempdir().expect("temp dir");
        let mut conn = open(&dir.path().join(DB_FILE)).expect("open");
        released_migrations(3)
            .to_latest(conn.as_sqlite_mut().expect("a SQLite connection"))
            .expect("the release before claims");
        let body = pvz_protocol::OpBody::IssueCompleted {
            order_id: OrderId::parse("o1").expect("id"),
            handed_over: vec![ItemId::parse("o1-1").expect("id")],
            refused: vec![pvz_protocol::RefusedItem {
                item_id: ItemId::parse("o1-2").expect("id"),
                reason: RefusalReason::ChangedMind,
                description: None,
                fee: Kopecks(9_900),
            }],
            collected: Kopecks(109_900),
            refunded: Kopecks::ZERO,
            not_arrived: Vec::new(),
            payment_taken: true,
        };
        conn.execute_batch(
            "INSERT INTO pickup_points (id, name, epoch, version, fee_policy, policy_version, created_at)
                 VALUES ('pp-old', 'Old', 1, 7, '{\"default_fee\":9900,\"per_category\":{}}', 1, 'then');
             INSERT INTO devices (id, pickup_point_id, name, secret_sha256, last_seq, created_at)
                 VALUES ('dev-1', 'pp-old', 'Касса', 'hash', 1, 'then');
             INSERT INTO employees (id, pickup_point_id, name, role, pin_hash, created_at)
                 VALUES ('courier-1', 'pp-old', 'Иван Петров', 'courier', 'argon2-hash', 'then');
             INSERT INTO buyers (id, full_name) VALUES ('b-1', 'Анна Кузнецова');
             INSERT INTO sellers (id, name) VALUES ('s-1', 'Продавец');
             INSERT INTO orders (id, pickup_point_id, short_code, buyer_id, status, issued_at, version, created_at)
                 VALUES ('o1', 'pp-old', '123456', 'b-1', 'issued', 'then', 7, 'then');
             INSERT INTO order_items (id, order_id, position, seller_id, name, variant, cell, price, prepaid, category)
                 VALUES ('o1-1', 'o1', 0, 's-1', 'Платье', 'M', 'A-1', 100000, 0, 'clothes'),
                        ('o1-2', 'o1', 1, 's-1', 'Шарф', '-', 'A-1', 50000, 0, 'clothes');",
        )
        .expect("data of the release before claims");
        conn.execute(
            "INSERT INTO ops (device_id, seq, op_id, pickup_point_id, kind, body, created_at, received_at, status)
             VALUES ('dev-1', 1, 'op-1', 'pp-old', 'issue_completed', ?1, 'then', 'then', 'applied')",
            [serde_json::to_string(&body).expect("json")],
        )
        .expect("its stored issue op");
        migrations()
            .to_latest(conn.as_sqlite_mut().expect("a SQLite connection"))
            .expect("the claims migration applies on top");

        let refusal = |item: &str| -> Option<String> {
            conn.query_row("SELECT refusal_reason FROM order_items WHERE id = ?1", [item], |r| r.get(0)).expect("item")
        };
        assert_eq!(refusal("o1-1"), None, "the handed-over item stays claimable");
        assert_eq!(refusal("o1-2").as_deref(), Some("changed_mind"), "the refused item is recorded as refused");
        let point = PickupPointId::parse("pp-old").expect("id");
        let page = feed::pull_page(&conn, &point, Some(feed::Cursor { epoch: 1, version: 7 }), 100).expect("pull");
        let employees: Vec<_> = page
            .changes
            .iter()
            .filter_map(|c| match c {
                pvz_protocol::Change::UpsertEmployee(e) => Some((e.employee_id.to_string(), e.role, e.retired)),
                _ => None,
            })
            .collect();
        assert_eq!(
            employees,
            [("courier-1".to_owned(), pvz_protocol::EmployeeRole::Courier, false)],
            "a kiosk at the old head pulls the existing employee"
        );
    }

    #[test]
    fn a_database_url_is_shown_without_its_password() {
        let shown = format!("{:?}", Database::parse("postgres://pvz:s3cret@db.internal:5432/pvz").expect("a URL"));
        assert_eq!(
            shown, "PostgreSQL postgres://pvz:***@db.internal:5432/pvz",
            "the password never reaches a log line"
        );
        let plain = format!("{:?}", Database::parse("postgresql://pvz@db.internal/pvz").expect("a URL"));
        assert_eq!(plain, "PostgreSQL postgresql://pvz@db.internal/pvz", "a URL without a password is shown whole");
    }

    #[test]
    fn sha256_hex_is_the_stored_form_and_matches_only_itself() {
        let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(sha256_hex(b""), empty, "hex of sha256 must be the standard lower-case form");
        let stored = sha256_hex(b"secret");
        assert!(sha256_hex_matches(b"secret", &stored), "the right secret must match its stored hash");
        assert!(!sha256_hex_matches(b"secreT", &stored), "another secret must not match");
        assert!(!sha256_hex_matches(b"secret", &stored.to_uppercase()), "the stored form is lower-case only");
        assert!(!sha256_hex_matches(b"secret", &stored[..63]), "a truncated hash must not match");
    }
}
