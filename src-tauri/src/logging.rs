//! The window's log: every record goes to stdout (tests and the start-up bench read their figures
//! there) and, from the moment the data directory is known, to the rotating log files in it
//! (`pvz_kiosk_core::logs`: size-capped, a few kept). Both are redacted as the scan log is, so no
//! signed code's signature and no device secret is written anywhere.

use pvz_kiosk_core::logs::LogFiles;
use pvz_kiosk_core::redact::redact;
use std::io::{self, Write};
use std::path::Path;
use std::sync::{Arc, OnceLock};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::EnvFilter;

/// The log files once opened; until then records go to stdout only.
#[derive(Clone, Default)]
pub struct LogSink(Arc<OnceLock<LogFiles>>);

impl LogSink {
    /// Starts writing to the log files of the data directory `data_dir`; a failure is logged, and the
    /// kiosk goes on logging to stdout.
    pub fn open_files(&self, data_dir: &Path) {
        match LogFiles::open(data_dir) {
            Ok(files) => {
                if self.0.set(files).is_err() {
                    tracing::warn!("the log files were already open");
                }
            }
            Err(error) => tracing::error!(%error, dir = %data_dir.display(), "cannot open the log files"),
        }
    }
}

/// One record to the log files, or nowhere before they are open.
pub struct FileWriter<'a>(Option<&'a LogFiles>);

impl Write for FileWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.0 {
            Some(mut files) => files.write(buf),
            None => Ok(buf.len()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.0 {
            Some(mut files) => files.flush(),
            None => Ok(()),
        }
    }
}

impl<'a> MakeWriter<'a> for LogSink {
    type Writer = FileWriter<'a>;

    fn make_writer(&'a self) -> FileWriter<'a> {
        FileWriter(self.0.get())
    }
}

/// Stdout, each record redacted.
pub struct RedactedStdout;

impl Write for RedactedStdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        io::stdout().write_all(redact(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stdout().flush()
    }
}

/// Installs the log (level from `RUST_LOG`, default `info`); returns where the files will go.
pub fn init() -> LogSink {
    let sink = LogSink::default();
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    tracing_subscriber::registry()
        .with(filter)
        .with(tracing_subscriber::fmt::layer().with_writer(|| RedactedStdout))
        .with(tracing_subscriber::fmt::layer().with_ansi(false).with_writer(sink.clone()))
        .init();
    sink
}
