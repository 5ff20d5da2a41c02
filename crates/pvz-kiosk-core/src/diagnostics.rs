//! «Диагностика»: one zip a support person asks a pickup point for, saved in `documents/` beside
//! the store: the log files, the versions (app, core, store schema, SQLite), the sync state and
//! SQLite's `integrity_check` of the store. Never a secret: the store itself is not in it, every
//! text entry is redacted as the logs are, and every secret the store holds (device credential,
//! enrollment secret and code, PIN hashes, claim return codes) is struck from it by value too, so
//! a log line written before redaction existed cannot carry one out either.

use crate::error::{KioskError, Result};
use crate::kiosk::timestamp;
use crate::redact::{redact, SIGNATURE_WITHHELD};
use crate::store::{diagnostics, settings};
use crate::sync::SyncStatusView;
use crate::Kiosk;
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;

/// What the window knows and the store does not.
#[derive(Debug, Clone)]
pub struct DiagnosticsRequest {
    /// The window's version (the package's).
    pub app_version: String,
    /// The folder of the log files (`logs::logs_dir`); a missing folder means no logs.
    pub logs_dir: PathBuf,
    /// The sync state the window shows now; `None` takes the store's last word.
    pub sync: Option<SyncStatusView>,
}

/// `about.json`: what ran, on what, for which point.
#[derive(Serialize)]
struct About {
    format: &'static str,
    generated_at: String,
    app_version: String,
    core_version: &'static str,
    store_schema_version: i64,
    sqlite_version: &'static str,
    os: &'static str,
    arch: &'static str,
    pickup_point_id: Option<String>,
    pickup_point: Option<String>,
    device_id: Option<String>,
}

/// The zip's entries as text, before they are cleaned.
struct Entries(Vec<(String, String)>);

/// Strikes the secrets of the store (and a credential's secret part alone) from `text`.
fn strike(text: &str, secrets: &[String]) -> String {
    let mut text = redact(text).into_owned();
    for secret in secrets {
        text = text.replace(secret.as_str(), SIGNATURE_WITHHELD);
    }
    text
}

/// The secrets to strike: each value, and the secret part of a `pvzd1.<device>.<secret>` credential.
fn secret_values(stored: Vec<String>) -> Vec<String> {
    let mut secrets: Vec<String> = stored
        .iter()
        .filter_map(|s| {
            s.strip_prefix("pvzd1.").and_then(|rest| rest.rsplit_once('.')).map(|(_, secret)| secret.to_owned())
        })
        .chain(stored.iter().cloned())
        // Too short to be a secret, and striking it would garble the text.
        .filter(|s| s.len() >= 8)
        .collect();
    // Longest first, so a credential is struck whole before its secret part.
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    secrets
}

/// The log files, oldest first, as `logs/<name>` entries; a file that cannot be read is said so.
fn log_entries(dir: &Path) -> Vec<(String, String)> {
    let Ok(read) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = read.flatten().map(|e| e.path()).filter(|p| p.is_file()).collect();
    files.sort_by_key(|p| std::cmp::Reverse(p.file_name().map(|n| n.to_owned())));
    files
        .into_iter()
        .map(|path| {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let text = match std::fs::read(&path) {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(e) => format!("(this log file could not be read: {e})\n"),
            };
            (format!("logs/{name}"), text)
        })
        .collect()
}

fn json(value: &impl Serialize) -> Result<String> {
    serde_json::to_string_pretty(value).map_err(|e| KioskError::Internal(format!("json: {e}")))
}

impl Kiosk {
    /// Writes the diagnostics zip into the documents folder and returns its path.
    pub fn save_diagnostics(&self, request: &DiagnosticsRequest) -> Result<PathBuf> {
        let now = self.now();
        let (integrity, schema, enrollment, stored_secrets) = self.store.with_conn(|c| {
            Ok::<_, KioskError>((
                diagnostics::integrity_check(c)?,
                diagnostics::get_schema_version(c)?,
                settings::get_enrollment(c)?,
                diagnostics::list_secrets(c)?,
            ))
        })?;
        let sync = match &request.sync {
            Some(status) => status.clone(),
            None => self.sync_status()?,
        };
        let about = About {
            format: "pvz-diagnostics/1",
            generated_at: timestamp(now),
            app_version: request.app_version.clone(),
            core_version: env!("CARGO_PKG_VERSION"),
            store_schema_version: schema,
            sqlite_version: diagnostics::sqlite_version(),
            os: std::env::consts::OS,
            arch: std::env::consts::ARCH,
            pickup_point_id: enrollment.as_ref().map(|e| e.pickup_point_id.to_string()),
            pickup_point: enrollment.as_ref().map(|e| e.pickup_point_name.clone()),
            device_id: enrollment.as_ref().map(|e| e.device_id.to_string()),
        };
        let mut entries = Entries(vec![
            ("about.json".to_owned(), json(&about)?),
            ("sync.json".to_owned(), json(&sync)?),
            ("integrity_check.txt".to_owned(), integrity.join("\n") + "\n"),
        ]);
        entries.0.extend(log_entries(&request.logs_dir));
        let bytes = entries.into_zip(&secret_values(stored_secrets))?;
        self.write_document(&format!("diagnostics-{}.zip", now.format("%Y%m%d-%H%M%S")), &bytes)
    }
}

impl Entries {
    /// Compressed: logs are text, and a zip sent by mail or chat should be small.
    fn into_zip(self, secrets: &[String]) -> Result<Vec<u8>> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let fail = |e: zip::result::ZipError| KioskError::Internal(format!("zip: {e}"));
        for (path, text) in self.0 {
            zip.start_file(path, options).map_err(fail)?;
            zip.write_all(strike(&text, secrets).as_bytes())?;
        }
        Ok(zip.finish().map_err(fail)?.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_credentials_secret_is_struck_whole_and_alone() {
        let secrets = secret_values(vec!["pvzd1.dev-42.c2VjcmV0LXNlY3JldA".into(), "short".into()]);
        assert_eq!(secrets, ["pvzd1.dev-42.c2VjcmV0LXNlY3JldA", "c2VjcmV0LXNlY3JldA"], "longest first, no short ones");
        let text = strike("sent c2VjcmV0LXNlY3JldA and pvzd1.dev-42.c2VjcmV0LXNlY3JldA short", &secrets);
        assert_eq!(text, "sent <signature withheld> and pvzd1.dev-42.<signature withheld> short");
    }
}
