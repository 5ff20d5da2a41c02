//! What an operator runs around the server: explicit schema migration (`serve` refuses a database
//! that is behind unless told to migrate), online backups, and the new feed epoch a restored
//! database needs before any kiosk pulls from it.
//!
//! Why the epoch: a backup is older than the kiosks' caches. After a restore, a kiosk whose cursor
//! lies within the restored feed would take the changes made after the restore under versions it
//! believes it already has, and miss them silently. A new epoch at every point makes each kiosk's
//! next pull a reset (it rebuilds its cache; its outbox is untouched). The backup marks its copy,
//! and whichever server or `migrate` first opens the copy takes the mark and bumps every epoch in
//! the same transaction, so it happens exactly once.

use crate::db::{self, marks, points, Connection, Database, SchemaState};
use crate::error::{Result, ServerError};
use std::path::Path;

/// The mark a restored database carries until its feeds get a new epoch.
pub const RESTORED_MARK: &str = "restored_from_backup";

/// Why `serve` stops on a database that is behind.
pub const NEEDS_MIGRATING: &str = "the database needs migrating: run `pvz-server migrate` or start with --migrate";

/// While held, no other process (or thread) gets the same SQLite database ready: two instances
/// started at once on one new file take turns at migrating it and creating its network key, the
/// second waiting for the first rather than failing on a lock mid-migration. An OS lock on a file
/// beside the database, released when dropped; PostgreSQL has its own (an advisory lock), so `None`.
pub fn setup_lock(database: &Database) -> Result<Option<std::fs::File>> {
    let Database::Sqlite(path) = database else { return Ok(None) };
    let mut name = path.as_os_str().to_owned();
    name.push(".setup-lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&name)
        .map_err(|e| ServerError::Setup(format!("cannot open {}: {e}", std::path::Path::new(&name).display())))?;
    file.lock()
        .map_err(|e| ServerError::Setup(format!("cannot lock {}: {e}", std::path::Path::new(&name).display())))?;
    Ok(Some(file))
}

/// Gets `database` ready to serve: checks its schema (migrating it when `migrate` is set, refusing
/// otherwise) and starts new feed epochs if it was restored from a backup.
pub fn prepare_for_serving(database: &Database, migrate: bool) -> Result<()> {
    if let Database::Sqlite(path) = database {
        if !migrate && !path.exists() {
            return Err(ServerError::Setup(format!("there is no database at {}; {NEEDS_MIGRATING}", path.display())));
        }
    }
    let mut conn = database.connect()?;
    if let SchemaState::Behind(pending) = db::schema_state(&conn)? {
        if !migrate {
            return Err(ServerError::Setup(format!("{NEEDS_MIGRATING} ({} pending)", pending.len())));
        }
    }
    // A no-op on a current schema; refuses one a newer build migrated.
    for name in db::migrate(&mut conn)? {
        tracing::info!(migration = name, "applied");
    }
    start_epochs_if_restored(&mut conn)?;
    Ok(())
}

/// What `pvz-server migrate` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migrated {
    /// The migrations applied, oldest first; empty when the schema was current.
    pub applied: Vec<String>,
    /// Points whose feed got a new epoch because the database was restored from a backup.
    pub restored_points: Option<usize>,
}

/// Creates the database if needed, applies every pending migration in one transaction, and starts
/// new feed epochs if the database was restored from a backup.
pub fn migrate(database: &Database) -> Result<Migrated> {
    if let Database::Sqlite(path) = database {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| ServerError::Setup(format!("cannot create data dir {}: {e}", dir.display())))?;
        }
    }
    let _setup = setup_lock(database)?;
    let mut conn = database.connect()?;
    let applied = db::migrate(&mut conn)?;
    let restored_points = start_epochs_if_restored(&mut conn)?;
    Ok(Migrated { applied, restored_points })
}

/// An online, consistent copy of the database at `source` in the file `target`, marked so that a
/// server started on it begins a new feed epoch at every point. Safe while servers run and push.
/// Returns the copy's size in bytes. SQLite only: PostgreSQL is backed up with `pg_dump` (README).
pub fn backup(database: &Database, target: &Path) -> Result<u64> {
    let Database::Sqlite(source) = database else {
        return Err(ServerError::BadRequest(
            "backup copies a SQLite database; back up PostgreSQL with pg_dump, then run `pvz-server restored` after \
             restoring it"
                .into(),
        ));
    };
    let source = source.as_path();
    let same = |a: &Path, b: &Path| matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b);
    if same(source, target) {
        return Err(ServerError::BadRequest("the backup would overwrite the database itself".into()));
    }
    let conn = db::open_existing(source)
        .map_err(|e| ServerError::Setup(format!("cannot open the database {}: {e}", source.display())))?;
    // The copy must be able to carry its mark, and a server of this build must be able to start on it.
    if db::schema_state(&conn)? != SchemaState::Current {
        return Err(ServerError::Setup(format!("cannot back up: {NEEDS_MIGRATING}")));
    }
    let sqlite =
        conn.as_sqlite().ok_or_else(|| ServerError::Internal("a SQLite file opened as another database".into()))?;
    db::backup::copy_database(sqlite, target, |copy| marks::set_mark(copy, RESTORED_MARK, &db::now_text()))
}

/// `pvz-server restored`: the database was just restored by other means (`pg_restore`, a file
/// copied back by hand). Marks it and starts the new epochs at once, exactly as a server started on
/// a backup's copy would; returns how many points got one.
pub fn mark_restored(database: &Database) -> Result<usize> {
    let mut conn = match database {
        Database::Sqlite(path) => db::open_existing(path)
            .map_err(|e| ServerError::Setup(format!("cannot open the database {}: {e}", path.display())))?,
        Database::Postgres(_) => database.connect()?,
    };
    if db::schema_state(&conn)? != SchemaState::Current {
        return Err(ServerError::Setup(NEEDS_MIGRATING.into()));
    }
    marks::set_mark(&conn, RESTORED_MARK, &db::now_text())?;
    Ok(start_epochs_if_restored(&mut conn)?.unwrap_or(0))
}

/// Takes the restore mark, if set, and bumps every point's feed epoch in the same transaction.
fn start_epochs_if_restored(conn: &mut Connection) -> Result<Option<usize>> {
    let tx = conn.transaction()?;
    if !marks::take_mark(&tx, RESTORED_MARK)? {
        return Ok(None);
    }
    let points = points::bump_every_epoch(&tx)?;
    tx.commit()?;
    tracing::warn!(points, "the database was restored from a backup: every point's feed starts a new epoch");
    Ok(Some(points))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pvz_domain::{FeePolicy, PickupPointId};

    fn sqlite(path: &Path) -> Database {
        Database::Sqlite(path.to_owned())
    }

    fn point_epoch(path: &Path) -> i64 {
        let conn = db::open(path).expect("open");
        let point = PickupPointId::parse("pp-a").expect("id");
        points::require_point(&conn, &point).expect("point").epoch
    }

    #[test]
    fn a_restored_copy_starts_one_new_epoch_however_often_it_is_opened() {
        let dir = tempfile::tempdir().expect("temp dir");
        let live = dir.path().join("live.sqlite3");
        let copy = dir.path().join("copy.sqlite3");
        assert_eq!(migrate(&sqlite(&live)).expect("migrate").restored_points, None, "a new database is not a restore");
        let conn = db::open(&live).expect("open");
        points::insert_point(&conn, &PickupPointId::parse("pp-a").expect("id"), "A", &FeePolicy::default(), "now")
            .expect("point");
        drop(conn);

        let bytes = backup(&sqlite(&live), &copy).expect("backup");
        assert!(bytes > 0, "the copy has content");
        assert_eq!(point_epoch(&live), 1, "the backup leaves the live database's epoch alone");
        prepare_for_serving(&sqlite(&copy), false).expect("a server starts on the copy");
        assert_eq!(point_epoch(&copy), 2, "starting on the copy starts a new epoch");
        prepare_for_serving(&sqlite(&copy), false).expect("and starts again");
        assert_eq!(point_epoch(&copy), 2, "only once: the mark was taken");

        assert_eq!(mark_restored(&sqlite(&live)).expect("restored"), 1, "`restored` bumps every point");
        assert_eq!(point_epoch(&live), 2, "at once");
    }

    #[test]
    fn serving_refuses_a_database_that_is_behind_until_it_is_migrated() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("db.sqlite3");
        let err = prepare_for_serving(&sqlite(&path), false).expect_err("no database at all");
        assert!(err.to_string().contains(NEEDS_MIGRATING), "the refusal says what to do: {err}");
        assert!(!path.exists(), "refusing creates no empty database");

        let mut conn = db::open(&path).expect("open");
        db::released_migrations(6)
            .to_latest(conn.as_sqlite_mut().expect("SQLite"))
            .expect("the previous release's schema");
        drop(conn);
        let err = prepare_for_serving(&sqlite(&path), false).expect_err("an old schema");
        assert!(err.to_string().contains(NEEDS_MIGRATING), "an old schema is refused too: {err}");
        let migrated = migrate(&sqlite(&path)).expect("migrate");
        assert_eq!(
            migrated.applied,
            [
                "20261216_0007_device_fleet.sql",
                "20261217_0008_server_marks.sql",
                "20261218_0009_network_keys.sql",
                "20261219_0010_claim_service.sql",
                "20261220_0011_claim_conversation.sql",
                "20261221_0012_idempotent_enrollment.sql",
                "20261222_0013_evidence.sql",
                "20261223_0014_web_sessions.sql",
                "20261224_0015_handed_over_marks.sql"
            ],
            "migrate applies exactly what was missing"
        );
        prepare_for_serving(&sqlite(&path), false).expect("a migrated database serves");
        assert!(migrate(&sqlite(&path)).expect("again").applied.is_empty(), "a second migrate has nothing to do");
    }
}
