//! A mounted directory's volatile state: the overlay of every file under it, how many writes and
//! syncs it has seen, and whether its power has been cut. Everything a governed file does goes
//! through here under one lock, so a sync and a cut never interleave: a sync either reached the
//! disk before the cut or fails.

use crate::overlay::{Overlay, RealFile};
use libsqlite3_sys as ffi;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

pub struct DiskState {
    pub(crate) dir: PathBuf,
    files: Mutex<HashMap<PathBuf, Overlay>>,
    cut: AtomicBool,
    /// Writes, truncations and syncs of governed files so far.
    events: AtomicU64,
    /// The event that cuts the power; 0: none planned.
    cut_at: AtomicU64,
    /// At a planned cut, write back a seeded random share of the dirty chunks (what the kernel may
    /// have flushed on its own) instead of none.
    write_back_seed: Mutex<Option<u64>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl DiskState {
    pub fn new(dir: PathBuf) -> DiskState {
        DiskState {
            dir,
            files: Mutex::new(HashMap::new()),
            cut: AtomicBool::new(false),
            events: AtomicU64::new(0),
            cut_at: AtomicU64::new(0),
            write_back_seed: Mutex::new(None),
        }
    }

    pub fn is_cut(&self) -> bool {
        self.cut.load(Ordering::SeqCst)
    }

    pub fn events(&self) -> u64 {
        self.events.load(Ordering::SeqCst)
    }

    pub fn plan_cut(&self, after_events: u64, write_back_seed: Option<u64>) {
        *lock(&self.write_back_seed) = write_back_seed;
        self.cut_at.store(self.events() + after_events.max(1), Ordering::SeqCst);
    }

    pub fn unsynced_bytes(&self) -> usize {
        lock(&self.files).values().map(Overlay::unsynced_bytes).sum()
    }

    /// Cuts the power now: every unsynced write is gone (but for a planned write-back share), and
    /// every later read, write, sync, open or delete of a file under the directory fails.
    pub fn cut(&self) {
        let mut files = lock(&self.files);
        if self.cut.swap(true, Ordering::SeqCst) {
            return;
        }
        if let Some(seed) = *lock(&self.write_back_seed) {
            let mut state = seed | 1;
            for (path, overlay) in files.iter() {
                let mut real = StdFile(path);
                // xorshift64: a dependency-free, seeded coin per dirty chunk.
                let coin = || {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state & 1 == 1
                };
                let _ = overlay.write_back_some(&mut real, coin);
            }
        }
        files.clear();
    }

    /// Counts one event; true when it is the planned cut, which has then happened.
    fn tick(&self) -> bool {
        let n = self.events.fetch_add(1, Ordering::SeqCst) + 1;
        let at = self.cut_at.load(Ordering::SeqCst);
        if at != 0 && n >= at {
            self.cut();
            return true;
        }
        false
    }

    pub fn read(&self, path: &Path, real: &mut dyn RealFile, offset: u64, buf: &mut [u8]) -> i32 {
        let files = lock(&self.files);
        if self.is_cut() {
            return ffi::SQLITE_IOERR_READ;
        }
        let short = match files.get(path) {
            Some(overlay) => overlay.read(real, offset, buf),
            None => real.read(offset, buf),
        };
        match short {
            Ok(false) => ffi::SQLITE_OK,
            Ok(true) => ffi::SQLITE_IOERR_SHORT_READ,
            Err(rc) => rc,
        }
    }

    pub fn write(&self, path: &Path, real: &mut dyn RealFile, offset: u64, data: &[u8]) -> i32 {
        if self.tick() {
            return ffi::SQLITE_IOERR_WRITE;
        }
        let mut files = lock(&self.files);
        if self.is_cut() {
            return ffi::SQLITE_IOERR_WRITE;
        }
        match overlay_of(&mut files, path, real).and_then(|overlay| overlay.write(real, offset, data)) {
            Ok(()) => ffi::SQLITE_OK,
            Err(rc) => rc,
        }
    }

    pub fn truncate(&self, path: &Path, real: &mut dyn RealFile, size: u64) -> i32 {
        if self.tick() {
            return ffi::SQLITE_IOERR_TRUNCATE;
        }
        let mut files = lock(&self.files);
        if self.is_cut() {
            return ffi::SQLITE_IOERR_TRUNCATE;
        }
        match overlay_of(&mut files, path, real) {
            Ok(overlay) => {
                overlay.truncate(size);
                ffi::SQLITE_OK
            }
            Err(rc) => rc,
        }
    }

    pub fn size(&self, path: &Path, real: &mut dyn RealFile) -> Result<u64, i32> {
        let files = lock(&self.files);
        if self.is_cut() {
            return Err(ffi::SQLITE_IOERR_FSTAT);
        }
        match files.get(path) {
            Some(overlay) => Ok(overlay.size()),
            None => real.size(),
        }
    }

    /// Moves the file's overlay to the disk and runs the real fsync (`fsync`), all under the lock.
    pub fn sync(&self, path: &Path, real: &mut dyn RealFile, fsync: impl FnOnce() -> i32) -> i32 {
        if self.tick() {
            return ffi::SQLITE_IOERR_FSYNC;
        }
        let mut files = lock(&self.files);
        if self.is_cut() {
            return ffi::SQLITE_IOERR_FSYNC;
        }
        if let Some(mut overlay) = files.remove(path) {
            if let Err(rc) = overlay.flush(real) {
                return rc;
            }
        }
        fsync()
    }

    /// Whether a file may be opened: not after the cut.
    pub fn may_open(&self) -> bool {
        !self.is_cut()
    }

    /// Deletes a file (a directory entry: treated as durable at once) unless the power is off.
    pub fn delete(&self, path: &Path, delete: impl FnOnce() -> i32) -> i32 {
        let mut files = lock(&self.files);
        if self.is_cut() {
            return ffi::SQLITE_IOERR_DELETE;
        }
        files.remove(path);
        delete()
    }
}

fn overlay_of<'a>(
    files: &'a mut HashMap<PathBuf, Overlay>,
    path: &Path,
    real: &mut dyn RealFile,
) -> Result<&'a mut Overlay, i32> {
    if !files.contains_key(path) {
        let len = real.size()?;
        files.insert(path.to_owned(), Overlay::new(len));
    }
    Ok(files.get_mut(path).expect("the overlay was just made"))
}

/// The real file through std, for the write-back at a cut (no SQLite handle is at hand then).
struct StdFile<'a>(&'a Path);

impl RealFile for StdFile<'_> {
    fn read(&mut self, _offset: u64, _buf: &mut [u8]) -> Result<bool, i32> {
        Err(ffi::SQLITE_IOERR_READ)
    }

    fn write(&mut self, offset: u64, data: &[u8]) -> Result<(), i32> {
        use std::os::unix::fs::FileExt;
        let file = std::fs::OpenOptions::new().write(true).open(self.0).map_err(|_| ffi::SQLITE_IOERR_WRITE)?;
        file.write_all_at(data, offset).map_err(|_| ffi::SQLITE_IOERR_WRITE)
    }

    fn truncate(&mut self, _size: u64) -> Result<(), i32> {
        Err(ffi::SQLITE_IOERR_TRUNCATE)
    }

    fn size(&mut self) -> Result<u64, i32> {
        std::fs::metadata(self.0).map(|m| m.len()).map_err(|_| ffi::SQLITE_IOERR_FSTAT)
    }
}
