//! The SQLite backend's online backup: a consistent copy of a live database through SQLite's backup
//! API, written beside the target and renamed into place, so a half-written copy never carries the
//! target's name and an older copy under that name is replaced only by a complete one.

use crate::error::{Result, ServerError};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long to wait out a source that is busy (WAL recovery, an exclusive lock) before giving up.
const BUSY_RETRIES: u32 = 200;
const BUSY_PAUSE: Duration = Duration::from_millis(50);

/// Copies `source` to `target`, checks the copy's integrity, lets `finish` write to the copy (a mark
/// for the server that starts on it), then puts it in place. Returns the copy's size in bytes.
pub fn copy_database(
    source: &Connection,
    target: &Path,
    finish: impl FnOnce(&crate::db::Connection) -> Result<()>,
) -> Result<u64> {
    let partial = partial_path(target);
    let _ = std::fs::remove_file(&partial);
    let copied = write_copy(source, &partial, finish).and_then(|()| {
        std::fs::File::open(&partial).and_then(|f| f.sync_all()).map_err(io_error(&partial))?;
        std::fs::rename(&partial, target).map_err(io_error(target))?;
        std::fs::metadata(target).map(|m| m.len()).map_err(io_error(target))
    });
    if copied.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    copied
}

fn write_copy(
    source: &Connection,
    path: &Path,
    finish: impl FnOnce(&crate::db::Connection) -> Result<()>,
) -> Result<()> {
    let mut copy = Connection::open(path)?;
    {
        let backup = Backup::new(source, &mut copy)?;
        // Every page in one step: the step is one read transaction on the source, so the copy is the
        // snapshot of one moment (in WAL mode the server's writes go on meanwhile). Copying in parts
        // would start over whenever another connection writes, which under steady pushes is forever.
        let mut busy = 0;
        loop {
            match backup.step(-1)? {
                StepResult::Done => break,
                StepResult::More => {}
                StepResult::Busy | StepResult::Locked if busy < BUSY_RETRIES => {
                    busy += 1;
                    std::thread::sleep(BUSY_PAUSE);
                }
                StepResult::Busy | StepResult::Locked => return Err(ServerError::Unavailable),
                _ => return Err(ServerError::Internal("the backup step returned an unknown result".into())),
            }
        }
    }
    // One self-contained file: the copy takes the source's WAL mode with its pages; a rollback
    // journal leaves no -wal file beside it to lose when the copy is moved.
    let _: String = copy.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))?;
    let check: String = copy.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(ServerError::Internal(format!("the copy fails its integrity check: {check}")));
    }
    let copy = crate::db::Connection::Sqlite(copy);
    finish(&copy)?;
    match copy {
        crate::db::Connection::Sqlite(copy) => copy.close().map_err(|(_, e)| ServerError::from(e)),
        crate::db::Connection::Postgres(_) => Ok(()),
    }
}

fn partial_path(target: &Path) -> PathBuf {
    let mut name = target.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> ServerError + '_ {
    move |e| ServerError::Setup(format!("{}: {e}", path.display()))
}
