//! Updates in the window: once the first frame is up and the kiosk is enrolled, then daily, Tauri's updater plugin asks the
//! central server for the release this kiosk should run and downloads it, verifying its minisign
//! signature with the network's update key. The plugin never installs: the counter's user is not an
//! administrator. The core takes the verified package between shifts and spools it for the root
//! updater service (see `pvz_kiosk_core::updates`). Without the key file, updates are off.

use pvz_kiosk_core::updates::{
    last_install, DownloadedRelease, InstallOutcome, UpdateDecision, DEFAULT_INSTALL_STATUS, DEFAULT_SPOOL,
    DEFAULT_UPDATE_KEY,
};
use pvz_kiosk_core::{Kiosk, KioskError};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, Once};
use std::time::Duration;
use tauri::AppHandle;
use tauri_plugin_updater::UpdaterExt;

/// How often a running kiosk asks again.
const CHECK_EVERY: Duration = Duration::from_secs(24 * 3600);
/// How often a downloaded release looks again whether the counter is free.
const RETRY_WHEN_BUSY: Duration = Duration::from_secs(5 * 60);

/// What the first check waits for: the window's first frame (the check stays off the start's
/// critical path) and a kiosk enrolled with a server (the sync engine running).
static READY: Mutex<(bool, Option<Arc<Kiosk>>)> = Mutex::new((false, None));

/// The window painted its first frame.
pub fn first_frame(app: &AppHandle) {
    let mut ready = READY.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    ready.0 = true;
    start_when_ready(app, &ready);
}

/// The kiosk is enrolled and its sync engine runs.
pub fn connected(app: &AppHandle, kiosk: Arc<Kiosk>) {
    let mut ready = READY.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    ready.1 = Some(kiosk);
    start_when_ready(app, &ready);
}

/// Starts the daily checks (the first one now) once both have happened; once per app.
fn start_when_ready(app: &AppHandle, ready: &(bool, Option<Arc<Kiosk>>)) {
    static STARTED: Once = Once::new();
    let (true, Some(kiosk)) = ready else { return };
    let (app, kiosk) = (app.clone(), kiosk.clone());
    STARTED.call_once(move || {
        log_last_install();
        tauri::async_runtime::spawn(async move {
            loop {
                if let Err(error) = check_and_spool(&app, &kiosk).await {
                    tracing::warn!(%error, "update check failed; the next one is in a day");
                }
                tokio::time::sleep(CHECK_EVERY).await;
            }
        });
    });
}

/// What the updater service last did, for support (`PVZ_UPDATE_STATUS`, else the service's file).
fn log_last_install() {
    let file = std::env::var_os("PVZ_UPDATE_STATUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_INSTALL_STATUS));
    match last_install(&file) {
        Some(status) if status.outcome == InstallOutcome::Installed => {
            tracing::info!(file = %status.file, at = status.at, "{}", status.message)
        }
        Some(status) => {
            tracing::warn!(file = %status.file, at = status.at, "the last update was not installed: {}", status.message)
        }
        None => {}
    }
}

/// `PVZ_UPDATE_KEY`, else the installed key file.
fn key_file() -> PathBuf {
    std::env::var_os("PVZ_UPDATE_KEY").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(DEFAULT_UPDATE_KEY))
}

/// `PVZ_UPDATE_SPOOL`, else the installed spool.
fn spool() -> PathBuf {
    std::env::var_os("PVZ_UPDATE_SPOOL").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(DEFAULT_SPOOL))
}

async fn check_and_spool(app: &AppHandle, kiosk: &Arc<Kiosk>) -> Result<(), String> {
    let key_file = key_file();
    let Ok(key) = std::fs::read_to_string(&key_file) else {
        tracing::info!(key = %key_file.display(), "no update key installed; updates are off");
        return Ok(());
    };
    let check = match kiosk.update_check() {
        Ok(check) => check,
        Err(KioskError::NotConnected) => return Ok(()),
        Err(error) => return Err(error.to_string()),
    };
    let endpoint = check.endpoint.parse().map_err(|e| format!("update endpoint {}: {e}", check.endpoint))?;
    let mut builder = app.updater_builder().pubkey(key.trim()).endpoints(vec![endpoint]).map_err(|e| e.to_string())?;
    for (name, value) in check.headers {
        builder = builder.header(name, value).map_err(|e| e.to_string())?;
    }
    // The server decides: a lower version is offered only to leave a rolled-back release.
    let updater =
        builder.version_comparator(|running, offered| offered.version != running).build().map_err(|e| e.to_string())?;
    let Some(update) = updater.check().await.map_err(|e| e.to_string())? else {
        tracing::info!("no update offered");
        return Ok(());
    };
    tracing::info!(version = %update.version, "update offered; downloading");
    let package = update.download(|_, _| {}, || {}).await.map_err(|e| {
        format!("the update {} is refused: {e} (it must be signed with the network's update key)", update.version)
    })?;
    let release = DownloadedRelease { version: update.version.clone(), package, signature: update.signature.clone() };
    loop {
        match kiosk.spool_update(&release, &key, &spool()).map_err(|e| e.to_string())? {
            UpdateDecision::Spooled { ops_waiting, .. } => {
                tracing::info!(version = %release.version, ops_waiting, "update handed to the updater service");
                return Ok(());
            }
            UpdateDecision::Refused(message) => return Err(message),
            UpdateDecision::Deferred(blocker) => {
                tracing::info!(version = %release.version, %blocker, "update waits for the counter to be free");
                tokio::time::sleep(RETRY_WHEN_BUSY).await;
            }
        }
    }
}
