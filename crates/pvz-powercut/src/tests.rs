//! The VFS against real SQLite: what was synced survives a cut, what was not is gone, and a cut at
//! any write or sync leaves a database that opens intact with every committed row.

use crate::Disk;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

fn open(path: &Path, synchronous: &str) -> Connection {
    let conn = Connection::open(path).expect("open under the power-cut VFS");
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0)).expect("WAL");
    assert_eq!(mode, "wal", "the test database runs in WAL mode, as the kiosk and the server do");
    conn.pragma_update(None, "synchronous", synchronous).expect("synchronous");
    conn
}

/// Opens an image with the plain unix VFS, checks it is intact and counts its rows.
fn rows_after_boot(path: &Path) -> i64 {
    let conn = Connection::open_with_flags_and_vfs(path, OpenFlags::default(), c"unix").expect("the image opens");
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity_check");
    assert_eq!(check, "ok", "the database left by the cut is intact");
    conn.query_row("SELECT count(*) FROM t", [], |r| r.get(0)).expect("the table survives")
}

#[test]
fn a_commit_that_was_not_synced_is_gone_after_the_cut_and_a_synced_one_stays() {
    let dir = tempfile::tempdir().expect("temp dir");
    let disk = mounted(dir.path());
    let db = disk.dir().join("t.sqlite3");
    let conn = open(&db, "FULL");
    conn.execute_batch("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);").expect("a synced commit");
    assert_eq!(disk.unsynced_bytes(), 0, "synchronous=FULL syncs the WAL at every commit");
    conn.pragma_update(None, "synchronous", "OFF").expect("no syncs from now on");
    conn.execute("INSERT INTO t VALUES (2)", []).expect("a commit that is never synced");
    assert!(disk.unsynced_bytes() > 0, "the unsynced commit is held in memory");
    let seen: i64 = conn.query_row("SELECT count(*) FROM t", [], |r| r.get(0)).expect("read");
    assert_eq!(seen, 2, "before the cut, readers see the unsynced commit");

    disk.cut();
    assert!(conn.execute("INSERT INTO t VALUES (3)", []).is_err(), "after the cut, writes fail");
    let boot = dir.path().join("boot");
    disk.image(&boot);
    assert!(!boot.join("t.sqlite3-shm").exists(), "shared memory is not part of the image");
    assert_eq!(rows_after_boot(&boot.join("t.sqlite3")), 1, "only the synced commit survives the cut");
}

#[test]
fn files_outside_a_disk_pass_straight_through() {
    crate::install();
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("plain.sqlite3");
    let conn = open(&db, "OFF");
    conn.execute_batch("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);").expect("write");
    drop(conn);
    assert_eq!(rows_after_boot(&db), 1, "an unmounted file keeps what was written, synced or not");
}

/// A cut planned at every n-th write or sync, with and without the kernel writing back a random share
/// of the dirty pages: every insert that returned Ok is there afterwards, and the file is intact.
#[test]
fn a_cut_at_any_write_or_sync_keeps_every_commit_that_returned() {
    for at in (1..60).step_by(3) {
        for write_back in [None, Some(at * 7919)] {
            let dir = tempfile::tempdir().expect("temp dir");
            let disk = mounted(dir.path());
            let conn = open(&disk.dir().join("t.sqlite3"), "FULL");
            conn.execute_batch("CREATE TABLE t (x INTEGER PRIMARY KEY, pad BLOB)").expect("schema");
            conn.execute_batch("PRAGMA wal_autocheckpoint = 8").expect("checkpoints often, inside the window");
            disk.cut_after(at, write_back);
            let mut committed = 0;
            for i in 0..200 {
                match conn.execute("INSERT INTO t VALUES (?1, zeroblob(3000))", [i]) {
                    Ok(_) => committed += 1,
                    Err(_) => break,
                }
            }
            assert!(disk.is_cut(), "the planned cut at event {at} happened");
            let boot = dir.path().join("boot");
            disk.image(&boot);
            drop(conn);
            let rows = rows_after_boot(&boot.join("t.sqlite3"));
            // The insert the cut interrupted may have landed (its frames written back, only the
            // sync lost): a failed commit's outcome is unknown, a returned one's is not.
            assert!(
                rows == committed || rows == committed + 1,
                "cut at event {at} (write-back {write_back:?}): every returned insert is kept, \
                 at most the interrupted one more: {rows} rows, {committed} returned"
            );
        }
    }
}

/// A disk mounted on a fresh `disk` directory under `dir`.
fn mounted(dir: &Path) -> Disk {
    let disk = dir.join("disk");
    std::fs::create_dir_all(&disk).expect("create the disk's directory");
    Disk::mount(&disk)
}
