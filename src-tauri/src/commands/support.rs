//! «Диагностика»: the zip a support person asks for (logs, versions, sync state, the store's
//! integrity check, no secrets), saved in the documents folder; the window shows where.

use super::{reply, Reply};
use crate::AppState;
use pvz_kiosk_core::DiagnosticsRequest;
use tauri::{AppHandle, State};

/// Saves the diagnostics zip; returns its path. Async: the integrity check reads the whole store.
#[tauri::command(async)]
pub fn save_diagnostics(app: AppHandle, state: State<'_, AppState>) -> Reply<String> {
    let request = DiagnosticsRequest {
        app_version: app.package_info().version.to_string(),
        logs_dir: pvz_kiosk_core::logs::logs_dir(&state.data_dir),
        sync: state.sync.get().map(|sync| sync.status()),
    };
    let saved = reply(state.kiosk.save_diagnostics(&request))?;
    tracing::info!(path = %saved.display(), "diagnostics saved");
    Ok(saved.display().to_string())
}
