//! The kiosk's log files, for a support person to ask for: `logs/kiosk.log` in the data directory,
//! cut when it passes [`MAX_FILE_BYTES`] into `kiosk.log.1` (the newest) … `kiosk.log.N`, keeping
//! [`KEPT_FILES`], so the logs never hold more than about `(KEPT_FILES + 1) * MAX_FILE_BYTES`.
//! Every line is written through [`redact`](crate::redact::redact): no signed code's signature and
//! no device secret reaches a file. A leaf: it uses only `redact`.

use crate::redact::redact;
use file_rotate::compression::Compression;
use file_rotate::suffix::AppendCount;
use file_rotate::{ContentLimit, FileRotate};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The folder of the log files in the data directory.
pub const LOGS_DIR: &str = "logs";
/// The file written now; older ones carry a number after it.
pub const LOG_FILE: &str = "kiosk.log";
/// A file is cut once it passes this size.
pub const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;
/// How many cut files are kept besides the one written now; older ones are deleted.
pub const KEPT_FILES: usize = 5;

/// Where the log files of the data directory `data_dir` are.
pub fn logs_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(LOGS_DIR)
}

/// The log files, shared by every thread that logs: each write is one whole record, redacted.
pub struct LogFiles {
    file: Mutex<FileRotate<AppendCount>>,
}

impl LogFiles {
    /// Opens (creating as needed) the log files of the data directory `data_dir`.
    pub fn open(data_dir: &Path) -> io::Result<LogFiles> {
        LogFiles::open_with(data_dir, MAX_FILE_BYTES, KEPT_FILES)
    }

    /// Like [`LogFiles::open`] with other limits (tests cut small files).
    pub fn open_with(data_dir: &Path, max_file_bytes: usize, kept_files: usize) -> io::Result<LogFiles> {
        let dir = logs_dir(data_dir);
        // Made here, so a folder that cannot be made is an error and not file-rotate's panic.
        std::fs::create_dir_all(&dir)?;
        let file = FileRotate::new(
            dir.join(LOG_FILE),
            AppendCount::new(kept_files),
            ContentLimit::BytesSurpassed(max_file_bytes.max(1)),
            Compression::None,
            None,
        );
        Ok(LogFiles { file: Mutex::new(file) })
    }

    fn lock(&self) -> MutexGuard<'_, FileRotate<AppendCount>> {
        // A panic mid-write leaves at worst a cut line; logging goes on.
        self.file.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// One write is one record (tracing's formatter writes a whole line at once): it is redacted whole
/// and never split across two files.
impl Write for &LogFiles {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.lock().write_all(redact(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.lock().flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_are_cut_by_size_and_only_the_newest_are_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let logs = LogFiles::open_with(dir.path(), 1000, 3).expect("log files open");
        let line = format!("{:>99}\n", "a line of the counter's log");
        for _ in 0..100 {
            (&logs).write_all(line.as_bytes()).expect("a line is written");
        }
        let mut files: Vec<(String, u64)> = std::fs::read_dir(logs_dir(dir.path()))
            .expect("the logs folder")
            .map(|entry| {
                let entry = entry.expect("an entry");
                (entry.file_name().to_string_lossy().into_owned(), entry.metadata().expect("its size").len())
            })
            .collect();
        files.sort();
        let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["kiosk.log", "kiosk.log.1", "kiosk.log.2", "kiosk.log.3"], "the file and 3 cut ones");
        for (name, size) in &files {
            assert!(*size <= 1100, "{name} is cut soon after it passes 1000 bytes: {size} bytes");
        }
    }

    #[test]
    fn a_signed_code_reaches_the_file_without_its_signature() {
        let dir = tempfile::tempdir().expect("temp dir");
        let logs = LogFiles::open(dir.path()).expect("log files open");
        let badge = "PVZE2.eyJlIjoiZHJpdmVyLW9sZWciLCJuIjoxfQ.c2lnbmF0dXJlLW9mLXRoZS1zZXJ2ZXI";
        (&logs).write_all(format!("INFO scanned {badge}\n").as_bytes()).expect("written");
        let text = std::fs::read_to_string(logs_dir(dir.path()).join(LOG_FILE)).expect("the log file");
        assert_eq!(text, "INFO scanned PVZE2.eyJlIjoiZHJpdmVyLW9sZWciLCJuIjoxfQ.<signature withheld>\n");
    }
}
