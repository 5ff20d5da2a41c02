//! The C side: a VFS registered as SQLite's default that wraps the one it replaces (unix). A file
//! under a mounted directory is governed: its data calls (read, write, truncate, size, sync) go
//! through its disk's [`DiskState`]; its locks and shared memory go straight to the unix VFS, since
//! the `-shm` file is memory that a power cut loses anyway. Every other file passes straight through,
//! so other tests in the same process are unaffected. No `xFetch`: the io methods are version 2,
//! so SQLite never memory-maps a database past the overlay.

use crate::disk::DiskState;
use crate::overlay::RealFile;
use libsqlite3_sys as ffi;
use std::ffi::{c_char, c_int, c_void, CStr};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// The wrapped default VFS (unix), as an address: raw pointers are not `Sync`.
static INNER: OnceLock<usize> = OnceLock::new();

fn inner_vfs() -> *mut ffi::sqlite3_vfs {
    *INNER.get().expect("the power-cut VFS is registered before any file opens") as *mut ffi::sqlite3_vfs
}

/// Our part of an open file; the unix VFS's own file struct follows it in the same allocation.
#[repr(C)]
struct CutFile {
    base: ffi::sqlite3_file,
    governed: Option<Governed>,
}

struct Governed {
    disk: Arc<DiskState>,
    path: PathBuf,
}

/// Where the inner file starts: after ours, 8-aligned as SQLite aligns its own structs.
const HEADER: usize = std::mem::size_of::<CutFile>().next_multiple_of(8);

/// Registers the VFS under the name `powercut` as the default. Call once (see [`crate::install`]).
pub(crate) fn register() {
    // SAFETY: sqlite3_vfs_find initializes SQLite and returns a VFS that lives as long as the
    // process; the copy we register is leaked, so it does too.
    unsafe {
        let inner = ffi::sqlite3_vfs_find(std::ptr::null());
        assert!(!inner.is_null(), "SQLite has a default VFS to wrap");
        INNER.set(inner as usize).expect("registered once");
        // The copy keeps the unix VFS's pAppData and mxPathname, which its functions read through
        // the VFS pointer they are given, so the ones not overridden can be shared as they are.
        let mut vfs: ffi::sqlite3_vfs = *inner;
        vfs.szOsFile = c_int::try_from(HEADER).expect("small header") + (*inner).szOsFile;
        vfs.pNext = std::ptr::null_mut();
        vfs.zName = c"powercut".as_ptr();
        vfs.xOpen = Some(x_open);
        vfs.xDelete = Some(x_delete);
        let rc = ffi::sqlite3_vfs_register(Box::leak(Box::new(vfs)), 1);
        assert_eq!(rc, ffi::SQLITE_OK, "the power-cut VFS registers");
    }
}

/// The unix file inside ours.
unsafe fn inner_file(file: *mut ffi::sqlite3_file) -> *mut ffi::sqlite3_file {
    // SAFETY: every file of this VFS was allocated with szOsFile = HEADER + the inner size.
    unsafe { file.cast::<u8>().add(HEADER).cast() }
}

unsafe fn cut_file<'a>(file: *mut ffi::sqlite3_file) -> &'a CutFile {
    // SAFETY: `file` is one of ours, initialised in x_open before SQLite got it back.
    unsafe { &*file.cast::<CutFile>() }
}

unsafe fn inner_methods<'a>(file: *mut ffi::sqlite3_file) -> &'a ffi::sqlite3_io_methods {
    // SAFETY: the inner file was opened successfully, so its methods are set.
    unsafe { &*(*inner_file(file)).pMethods }
}

/// The inner unix file, as the overlay's synced file underneath.
struct Inner(*mut ffi::sqlite3_file);

impl RealFile for Inner {
    fn read(&mut self, offset: u64, buf: &mut [u8]) -> Result<bool, i32> {
        // SAFETY: the inner file is open and `buf` is valid for its length.
        let rc = unsafe {
            let read = (*(*self.0).pMethods).xRead.expect("xRead");
            read(self.0, buf.as_mut_ptr().cast(), len(buf.len()), offset as i64)
        };
        match rc {
            ffi::SQLITE_OK => Ok(false),
            ffi::SQLITE_IOERR_SHORT_READ => Ok(true),
            rc => Err(rc),
        }
    }

    fn write(&mut self, offset: u64, data: &[u8]) -> Result<(), i32> {
        // SAFETY: as in `read`.
        let rc = unsafe {
            let write = (*(*self.0).pMethods).xWrite.expect("xWrite");
            write(self.0, data.as_ptr().cast(), len(data.len()), offset as i64)
        };
        if rc == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(rc)
        }
    }

    fn truncate(&mut self, size: u64) -> Result<(), i32> {
        // SAFETY: as in `read`.
        let rc = unsafe { (*(*self.0).pMethods).xTruncate.expect("xTruncate")(self.0, size as i64) };
        if rc == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(rc)
        }
    }

    fn size(&mut self) -> Result<u64, i32> {
        let mut size: i64 = 0;
        // SAFETY: as in `read`.
        let rc = unsafe { (*(*self.0).pMethods).xFileSize.expect("xFileSize")(self.0, &mut size) };
        if rc == ffi::SQLITE_OK {
            Ok(size as u64)
        } else {
            Err(rc)
        }
    }
}

fn len(n: usize) -> c_int {
    c_int::try_from(n).expect("SQLite transfers fit a c_int")
}

unsafe extern "C" fn x_open(
    _vfs: *mut ffi::sqlite3_vfs,
    name: ffi::sqlite3_filename,
    file: *mut ffi::sqlite3_file,
    flags: c_int,
    out_flags: *mut c_int,
) -> c_int {
    // SAFETY: SQLite hands a file struct of szOsFile bytes and a NUL-terminated name (or null for
    // a temp file); ours is written before the inner open so x_close always finds it initialised.
    unsafe {
        let path = (!name.is_null()).then(|| PathBuf::from(CStr::from_ptr(name).to_string_lossy().into_owned()));
        let disk = path.as_deref().and_then(crate::disk_of);
        if disk.as_ref().is_some_and(|disk| !disk.may_open()) {
            (*file).pMethods = std::ptr::null();
            return ffi::SQLITE_CANTOPEN;
        }
        let governed = disk.zip(path).map(|(disk, path)| Governed { disk, path });
        let inner = inner_vfs();
        let rc = (*inner).xOpen.expect("xOpen")(inner, name, inner_file(file), flags, out_flags);
        // A failed open that still set methods gets xClose from SQLite, so it is wrapped too.
        if (*inner_file(file)).pMethods.is_null() {
            (*file).pMethods = std::ptr::null();
            return if rc == ffi::SQLITE_OK { ffi::SQLITE_CANTOPEN } else { rc };
        }
        file.cast::<CutFile>().write(CutFile { base: ffi::sqlite3_file { pMethods: &METHODS }, governed });
        rc
    }
}

unsafe extern "C" fn x_delete(_vfs: *mut ffi::sqlite3_vfs, name: *const c_char, sync_dir: c_int) -> c_int {
    let inner = inner_vfs();
    // SAFETY: the name is a NUL-terminated path; the inner VFS is the process-long unix one.
    unsafe {
        let delete = || (*inner).xDelete.expect("xDelete")(inner, name, sync_dir);
        let path = PathBuf::from(CStr::from_ptr(name).to_string_lossy().into_owned());
        match crate::disk_of(&path) {
            Some(disk) => disk.delete(&path, delete),
            None => delete(),
        }
    }
}

unsafe extern "C" fn x_close(file: *mut ffi::sqlite3_file) -> c_int {
    // SAFETY: SQLite closes each file it opened once; ours is dropped in place, then the inner one.
    unsafe {
        let close = inner_methods(file).xClose.expect("xClose");
        std::ptr::drop_in_place(file.cast::<CutFile>());
        close(inner_file(file))
    }
}

unsafe extern "C" fn x_read(file: *mut ffi::sqlite3_file, buf: *mut c_void, amount: c_int, offset: i64) -> c_int {
    // SAFETY: SQLite passes a buffer of `amount` bytes.
    unsafe {
        let inner = inner_file(file);
        match &cut_file(file).governed {
            Some(g) => {
                let buf = std::slice::from_raw_parts_mut(buf.cast::<u8>(), amount as usize);
                g.disk.read(&g.path, &mut Inner(inner), offset as u64, buf)
            }
            None => inner_methods(file).xRead.expect("xRead")(inner, buf, amount, offset),
        }
    }
}

unsafe extern "C" fn x_write(file: *mut ffi::sqlite3_file, data: *const c_void, amount: c_int, offset: i64) -> c_int {
    // SAFETY: SQLite passes `amount` bytes of data.
    unsafe {
        let inner = inner_file(file);
        match &cut_file(file).governed {
            Some(g) => {
                let data = std::slice::from_raw_parts(data.cast::<u8>(), amount as usize);
                g.disk.write(&g.path, &mut Inner(inner), offset as u64, data)
            }
            None => inner_methods(file).xWrite.expect("xWrite")(inner, data, amount, offset),
        }
    }
}

unsafe extern "C" fn x_truncate(file: *mut ffi::sqlite3_file, size: i64) -> c_int {
    // SAFETY: an open file of ours.
    unsafe {
        let inner = inner_file(file);
        match &cut_file(file).governed {
            Some(g) => g.disk.truncate(&g.path, &mut Inner(inner), size as u64),
            None => inner_methods(file).xTruncate.expect("xTruncate")(inner, size),
        }
    }
}

unsafe extern "C" fn x_sync(file: *mut ffi::sqlite3_file, flags: c_int) -> c_int {
    // SAFETY: an open file of ours.
    unsafe {
        let inner = inner_file(file);
        let sync = inner_methods(file).xSync.expect("xSync");
        match &cut_file(file).governed {
            Some(g) => g.disk.sync(&g.path, &mut Inner(inner), || sync(inner, flags)),
            None => sync(inner, flags),
        }
    }
}

unsafe extern "C" fn x_file_size(file: *mut ffi::sqlite3_file, size: *mut i64) -> c_int {
    // SAFETY: an open file of ours and a valid out pointer.
    unsafe {
        let inner = inner_file(file);
        match &cut_file(file).governed {
            Some(g) => match g.disk.size(&g.path, &mut Inner(inner)) {
                Ok(n) => {
                    *size = n as i64;
                    ffi::SQLITE_OK
                }
                Err(rc) => rc,
            },
            None => inner_methods(file).xFileSize.expect("xFileSize")(inner, size),
        }
    }
}

unsafe extern "C" fn x_file_control(file: *mut ffi::sqlite3_file, op: c_int, arg: *mut c_void) -> c_int {
    // SAFETY: an open file of ours; the argument is passed through untouched.
    unsafe {
        // Size hints and chunk sizes would make the unix VFS grow the real file behind the overlay.
        if cut_file(file).governed.is_some()
            && (op == ffi::SQLITE_FCNTL_SIZE_HINT || op == ffi::SQLITE_FCNTL_CHUNK_SIZE)
        {
            return ffi::SQLITE_OK;
        }
        inner_methods(file).xFileControl.expect("xFileControl")(inner_file(file), op, arg)
    }
}

// The rest goes straight to the unix file: locks, sector size, shared memory.

unsafe extern "C" fn x_lock(file: *mut ffi::sqlite3_file, level: c_int) -> c_int {
    // SAFETY: an open file of ours.
    unsafe { inner_methods(file).xLock.expect("xLock")(inner_file(file), level) }
}

unsafe extern "C" fn x_unlock(file: *mut ffi::sqlite3_file, level: c_int) -> c_int {
    // SAFETY: an open file of ours.
    unsafe { inner_methods(file).xUnlock.expect("xUnlock")(inner_file(file), level) }
}

unsafe extern "C" fn x_check_reserved_lock(file: *mut ffi::sqlite3_file, out: *mut c_int) -> c_int {
    // SAFETY: an open file of ours.
    unsafe { inner_methods(file).xCheckReservedLock.expect("xCheckReservedLock")(inner_file(file), out) }
}

unsafe extern "C" fn x_sector_size(file: *mut ffi::sqlite3_file) -> c_int {
    // SAFETY: an open file of ours.
    unsafe { inner_methods(file).xSectorSize.expect("xSectorSize")(inner_file(file)) }
}

unsafe extern "C" fn x_device_characteristics(file: *mut ffi::sqlite3_file) -> c_int {
    // SAFETY: an open file of ours.
    unsafe { inner_methods(file).xDeviceCharacteristics.expect("xDeviceCharacteristics")(inner_file(file)) }
}

unsafe extern "C" fn x_shm_map(
    file: *mut ffi::sqlite3_file,
    region: c_int,
    size: c_int,
    extend: c_int,
    out: *mut *mut c_void,
) -> c_int {
    // SAFETY: an open file of ours.
    unsafe {
        match inner_methods(file).xShmMap {
            Some(map) => map(inner_file(file), region, size, extend, out),
            None => ffi::SQLITE_IOERR_SHMMAP,
        }
    }
}

unsafe extern "C" fn x_shm_lock(file: *mut ffi::sqlite3_file, offset: c_int, n: c_int, flags: c_int) -> c_int {
    // SAFETY: an open file of ours.
    unsafe {
        match inner_methods(file).xShmLock {
            Some(lock) => lock(inner_file(file), offset, n, flags),
            None => ffi::SQLITE_IOERR_SHMLOCK,
        }
    }
}

unsafe extern "C" fn x_shm_barrier(file: *mut ffi::sqlite3_file) {
    // SAFETY: an open file of ours.
    unsafe {
        if let Some(barrier) = inner_methods(file).xShmBarrier {
            barrier(inner_file(file));
        }
    }
}

unsafe extern "C" fn x_shm_unmap(file: *mut ffi::sqlite3_file, delete: c_int) -> c_int {
    // SAFETY: an open file of ours.
    unsafe {
        match inner_methods(file).xShmUnmap {
            Some(unmap) => unmap(inner_file(file), delete),
            None => ffi::SQLITE_OK,
        }
    }
}

static METHODS: ffi::sqlite3_io_methods = ffi::sqlite3_io_methods {
    iVersion: 2,
    xClose: Some(x_close),
    xRead: Some(x_read),
    xWrite: Some(x_write),
    xTruncate: Some(x_truncate),
    xSync: Some(x_sync),
    xFileSize: Some(x_file_size),
    xLock: Some(x_lock),
    xUnlock: Some(x_unlock),
    xCheckReservedLock: Some(x_check_reserved_lock),
    xFileControl: Some(x_file_control),
    xSectorSize: Some(x_sector_size),
    xDeviceCharacteristics: Some(x_device_characteristics),
    xShmMap: Some(x_shm_map),
    xShmLock: Some(x_shm_lock),
    xShmBarrier: Some(x_shm_barrier),
    xShmUnmap: Some(x_shm_unmap),
    xFetch: None,
    xUnfetch: None,
};
