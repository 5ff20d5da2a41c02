//! One process per store: opening a kiosk takes an exclusive lock on a file in the store's
//! directory and holds it for as long as the kiosk lives, so a second window, a CLI tool or a test
//! on the same directory is refused with the holder's pid, never let in to write the same outbox.
//! The operating system drops the lock with the process, so a crash leaves nothing to clean up.

use crate::error::{KioskError, Result};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

/// The lock file, beside the store file; it holds the pid of the process that has the store open.
pub const LOCK_FILE: &str = "kiosk.lock";

/// Held while the store is open; dropping it lets the next process in.
#[derive(Debug)]
pub(crate) struct StoreLock {
    _file: File,
}

impl StoreLock {
    /// Locks the store directory `dir`, or says who has it.
    pub(crate) fn acquire(dir: &Path) -> Result<StoreLock> {
        let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
        let mut file =
            OpenOptions::new().read(true).write(true).create(true).truncate(false).open(dir.join(LOCK_FILE))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(KioskError::StoreInUse { dir: dir.to_path_buf(), holder: holder_pid(&mut file) })
            }
            Err(TryLockError::Error(e)) => return Err(e.into()),
        }
        file.set_len(0)?;
        file.write_all(format!("{}\n", std::process::id()).as_bytes())?;
        file.flush()?;
        Ok(StoreLock { _file: file })
    }
}

/// The pid the holder wrote; `None` if unreadable (Windows locks the bytes too) or not written yet.
fn holder_pid(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_directory_is_refused_with_the_holders_pid_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = StoreLock::acquire(dir.path()).expect("the first lock is taken");
        match StoreLock::acquire(dir.path()) {
            Err(KioskError::StoreInUse { dir: refused, holder }) => {
                assert_eq!(refused, dir.path(), "the refusal names the store directory");
                assert_eq!(holder, Some(std::process::id()), "and the pid of the process that holds it");
            }
            other => panic!("a second lock on the same directory must be refused: {other:?}"),
        }
        drop(first);
        StoreLock::acquire(dir.path()).expect("once the first holder is gone, the store opens again");
    }
}
