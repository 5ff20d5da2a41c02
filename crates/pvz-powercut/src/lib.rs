//! A simulated power cut for SQLite, for tests. SIGKILL keeps the page cache, so it proves nothing
//! about fsync; this does. [`install`] registers a VFS (as the default, so code under test opens its
//! files as it always does) that passes every file straight to the unix VFS except those under a
//! [`Disk`]: there, each file's writes since its last `xSync` stay in memory (reads see them, the
//! file does not get them), and [`Disk::cut`] (or a cut planned at the n-th write or sync) drops
//! them all and fails every later read, write, sync, open and delete under it, as a power loss would.
//! The files left on disk are then what a machine would find on boot: [`Disk::image`] copies them,
//! without the volatile `-shm` files, for reopening with the plain VFS.

mod disk;
mod overlay;
mod vfs;

use disk::DiskState;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Once};

/// The mounted directories, searched by path prefix on every open and delete.
static DISKS: Mutex<Vec<Arc<DiskState>>> = Mutex::new(Vec::new());

/// Registers the power-cut VFS as SQLite's default, once per process. Files outside a [`Disk`] see
/// no difference, so tests that do not cut anything can share the process.
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(vfs::register);
}

fn disk_of(path: &Path) -> Option<Arc<DiskState>> {
    let disks = DISKS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    disks.iter().find(|disk| path.starts_with(&disk.dir)).cloned()
}

/// A directory whose SQLite files lose what they did not fsync when its power is cut.
pub struct Disk {
    state: Arc<DiskState>,
}

impl Disk {
    /// Governs every SQLite file opened under `dir` from now on (files already open are not).
    pub fn mount(dir: &Path) -> Disk {
        install();
        let dir = dir.canonicalize().unwrap_or_else(|e| panic!("cannot resolve {}: {e}", dir.display()));
        let state = Arc::new(DiskState::new(dir));
        let mut disks = DISKS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        assert!(
            !disks.iter().any(|d| d.dir.starts_with(&state.dir) || state.dir.starts_with(&d.dir)),
            "{} overlaps a mounted disk",
            state.dir.display()
        );
        disks.push(state.clone());
        Disk { state }
    }

    /// Cuts the power now.
    pub fn cut(&self) {
        self.state.cut();
    }

    /// Cuts the power at the `events`-th write, truncation or sync from now (that call fails). With
    /// a seed, a random share of the unsynced chunks reaches the disk first, as the kernel's own
    /// write-back may have done; without, none does.
    pub fn cut_after(&self, events: u64, write_back_seed: Option<u64>) {
        self.state.plan_cut(events, write_back_seed);
    }

    pub fn is_cut(&self) -> bool {
        self.state.is_cut()
    }

    /// Writes, truncations and syncs of files under the directory so far.
    pub fn events(&self) -> u64 {
        self.state.events()
    }

    /// Bytes written but not yet synced (whole 4 KiB chunks).
    pub fn unsynced_bytes(&self) -> usize {
        self.state.unsynced_bytes()
    }

    pub fn dir(&self) -> &Path {
        &self.state.dir
    }

    /// Copies what is on the disk after the cut into `to` (created), every file but the `-shm`
    /// ones: shared memory does not survive a power loss, and SQLite rebuilds it from the WAL.
    pub fn image(&self, to: &Path) {
        assert!(self.is_cut(), "an image is taken after the cut, when nothing changes the files any more");
        copy_tree(&self.state.dir, to);
    }
}

impl Drop for Disk {
    /// Unmounts: files opened later pass straight through. Files still open keep their disk.
    fn drop(&mut self) {
        let mut disks = DISKS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        disks.retain(|d| !Arc::ptr_eq(d, &self.state));
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("cannot create {}: {e}", to.display()));
    let entries = std::fs::read_dir(from).unwrap_or_else(|e| panic!("cannot list {}: {e}", from.display()));
    for entry in entries {
        let entry = entry.expect("a directory entry");
        let name = entry.file_name();
        let target: PathBuf = to.join(&name);
        let kind = entry.file_type().expect("a file type");
        if kind.is_dir() {
            copy_tree(&entry.path(), &target);
        } else if kind.is_file() && !name.to_string_lossy().ends_with("-shm") {
            std::fs::copy(entry.path(), &target)
                .unwrap_or_else(|e| panic!("cannot copy {}: {e}", entry.path().display()));
        }
    }
}

#[cfg(test)]
mod tests;
