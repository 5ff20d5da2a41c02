//! A copy of the store taken before a new release migrates it (`<store dir>/backups/`), through
//! SQLite's online backup API, so a release whose migration goes wrong, or a rolled-back release
//! that the store must not outrun, leaves the counter's data as the previous release kept it. A new
//! store has nothing to keep; an up-to-date one is not copied again. The newest few copies are kept.

use rusqlite::Connection;
use rusqlite_migration::Migrations;
use std::path::{Path, PathBuf};

/// Copies kept; older ones are removed after a new one is taken.
pub const BACKUPS_KEPT: usize = 3;

/// The directory of a store file's backups.
pub fn backups_dir(store: &Path) -> PathBuf {
    store.parent().unwrap_or(Path::new(".")).join("backups")
}

/// Takes a backup of `conn` (the store at `store`) when `migrations` has some to run on a store that
/// has data; returns the copy's path.
pub(super) fn before_migrations(
    conn: &Connection,
    store: &Path,
    migrations: &Migrations<'_>,
) -> Result<Option<PathBuf>, super::StoreError> {
    let schema: usize = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if schema == 0 || migrations.pending_migrations(conn)? <= 0 {
        return Ok(None);
    }
    let dir = backups_dir(store);
    std::fs::create_dir_all(&dir).map_err(|e| super::StoreError::Backup(format!("{}: {e}", dir.display())))?;
    let at = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let copy = dir.join(format!("store-schema{schema:03}-{at}.sqlite3"));
    conn.backup(rusqlite::MAIN_DB, &copy, None)?;
    tracing::info!(copy = %copy.display(), schema, "store backed up before its migrations");
    prune(&dir);
    Ok(Some(copy))
}

/// Moves every committed transaction from the WAL into the store file itself, so the file alone
/// holds all counter actions (the outbox included) before the app is replaced.
pub(crate) fn checkpoint(conn: &Connection) -> Result<(), super::StoreError> {
    conn.query_row("PRAGMA wal_checkpoint(FULL)", [], |_| Ok(()))?;
    Ok(())
}

/// Keeps the newest [`BACKUPS_KEPT`] copies (their names sort by schema, then time).
fn prune(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut copies: Vec<PathBuf> = entries
        .map_while(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("store-schema")))
        .collect();
    copies.sort();
    let extra = copies.len().saturating_sub(BACKUPS_KEPT);
    for old in copies.into_iter().take(extra) {
        if let Err(error) = std::fs::remove_file(&old) {
            tracing::warn!(copy = %old.display(), %error, "an old store backup could not be removed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn schema_of(path: &Path) -> usize {
        let conn = Connection::open(path).expect("open");
        conn.pragma_query_value(None, "user_version", |row| row.get(0)).expect("user_version")
    }

    #[test]
    fn a_store_is_backed_up_before_a_new_release_migrates_it_and_only_then() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("kiosk.sqlite3");
        let store = Store::open(&path).expect("a new store");
        drop(store);
        assert!(!backups_dir(&path).exists(), "a new store has nothing to back up");

        let older = dir.path().join("older").join("kiosk.sqlite3");
        std::fs::create_dir_all(older.parent().expect("parent")).expect("dir");
        {
            let mut conn = Connection::open(&older).expect("open");
            crate::store::migrations().to_version(&mut conn, 18).expect("the schema of an earlier release");
            conn.execute("CREATE TABLE kept_by_the_previous_release (note TEXT)", []).expect("table");
            conn.execute("INSERT INTO kept_by_the_previous_release VALUES ('до обновления')", []).expect("row");
        }
        let store = Store::open(&older).expect("the new release opens the older store");
        drop(store);
        let copies: Vec<PathBuf> = std::fs::read_dir(backups_dir(&older))
            .expect("a backups dir")
            .map_while(Result::ok)
            .map(|e| e.path())
            .collect();
        assert_eq!(copies.len(), 1, "one backup is taken before the migrations: {copies:?}");
        assert_eq!(schema_of(&copies[0]), 18, "the backup is the store as the earlier release left it");
        let note: String = Connection::open(&copies[0])
            .expect("open the backup")
            .query_row("SELECT note FROM kept_by_the_previous_release", [], |row| row.get(0))
            .expect("the earlier release's data is in the backup");
        assert_eq!(note, "до обновления", "the backup holds the earlier release's data");
        assert!(schema_of(&older) > 18, "the store itself is migrated");

        drop(Store::open(&older).expect("opened again"));
        let again = std::fs::read_dir(backups_dir(&older)).expect("backups").count();
        assert_eq!(again, 1, "an up-to-date store is not backed up again at each start");
    }
}
