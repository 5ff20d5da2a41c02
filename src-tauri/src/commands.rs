//! Tauri commands: unpack the arguments, call one core function, map the error to `{kind, message}`.
//! The counter's issue flow and sync live here; what flows back (claim returns, courier hand-backs,
//! the returns desk) in `returns`, printing and exporting documents in `documents`; staff login and
//! shifts in `staff`, receiving, cells and storage expiry in `shelves`, item history and evidence
//! bundles in `audit`, the diagnostics zip in `support`.

pub mod audit;
pub mod documents;
pub mod returns;
pub mod shelves;
pub mod staff;
pub mod support;
pub mod window;

use crate::AppState;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use pvz_kiosk_core::{CounterView, ErrorView, ItemDecision, KioskError, Kopecks, ScanOutcome, SyncStatusView};
use tauri::{AppHandle, State};

pub(crate) type Reply<T> = Result<T, ErrorView>;

pub(crate) fn reply<T>(result: Result<T, KioskError>) -> Reply<T> {
    result.map_err(|error| {
        if matches!(error, KioskError::Store(_) | KioskError::Io(_)) {
            tracing::error!(%error, "storage failure");
        }
        error.to_view()
    })
}

/// A write command's reply; a success means an op may be waiting, so the sync engine is nudged.
pub(crate) fn written<T>(state: &AppState, result: Result<T, KioskError>) -> Reply<T> {
    if result.is_ok() {
        state.op_written();
    }
    reply(result)
}

#[tauri::command(async)]
pub fn counter_view(state: State<'_, AppState>) -> Reply<CounterView> {
    reply(state.kiosk.view())
}

#[tauri::command(async)]
pub fn scan(state: State<'_, AppState>, input: String) -> Reply<ScanOutcome> {
    written(&state, state.kiosk.scan(&input))
}

#[tauri::command(async)]
pub fn decide_item(
    state: State<'_, AppState>,
    order_id: String,
    item_id: String,
    decision: ItemDecision,
) -> Reply<CounterView> {
    written(&state, state.kiosk.decide_item(&order_id, &item_id, decision))
}

#[tauri::command(async)]
pub fn hand_over_rest(state: State<'_, AppState>, order_id: String) -> Reply<CounterView> {
    written(&state, state.kiosk.hand_over_rest(&order_id))
}

/// `data_base64`: the image file's bytes, base64-encoded by the window.
#[tauri::command(async)]
pub fn attach_defect_photo(
    state: State<'_, AppState>,
    order_id: String,
    item_id: String,
    data_base64: String,
) -> Reply<CounterView> {
    let bytes = decode_photo(&data_base64)?;
    written(&state, state.kiosk.attach_defect_photo(&order_id, &item_id, &bytes))
}

/// A photo's bytes from the base64 the window sends.
pub(crate) fn decode_photo(data_base64: &str) -> Reply<Vec<u8>> {
    STANDARD
        .decode(data_base64.as_bytes())
        .map_err(|_| KioskError::InvalidInput("the photo did not arrive intact".into()).to_view())
}

#[tauri::command(async)]
pub fn clear_decision(state: State<'_, AppState>, order_id: String, item_id: String) -> Reply<CounterView> {
    written(&state, state.kiosk.clear_decision(&order_id, &item_id))
}

/// `shown_to_collect`: the amount (kopecks) the manager saw when confirming.
#[tauri::command(async)]
pub fn confirm_issue(
    state: State<'_, AppState>,
    order_id: String,
    shown_to_collect: i64,
    payment_taken: bool,
) -> Reply<CounterView> {
    written(&state, state.kiosk.confirm_issue(&order_id, Kopecks(shown_to_collect), payment_taken))
}

#[tauri::command(async)]
pub fn set_aside(state: State<'_, AppState>) -> Reply<CounterView> {
    reply(state.kiosk.set_aside())
}

#[tauri::command(async)]
pub fn dismiss_receipt(state: State<'_, AppState>) -> Reply<CounterView> {
    reply(state.kiosk.dismiss_receipt())
}

/// Called by the window after its first frame (`stage` = "first_frame") and after the first frame
/// showing the counter's data ("data"). Logs the time since start; with `PVZ_EXIT_WHEN_READY=1`
/// the app exits at "data" (used by the start-up benchmark).
#[tauri::command]
pub fn ui_ready(app: tauri::AppHandle, state: State<'_, AppState>, stage: String) {
    let elapsed_ms = state.started.elapsed().as_millis() as u64;
    tracing::info!(elapsed_ms, stage, "ui ready");
    if stage == "first_frame" {
        println!("PVZ_UI_FIRST_FRAME_MS={elapsed_ms}");
        crate::updates::first_frame(&app);
        return;
    }
    println!("PVZ_UI_READY_MS={elapsed_ms}");
    if std::env::var_os("PVZ_EXIT_WHEN_READY").is_some() {
        app.exit(0);
    }
}

/// What the status strip shows: the running engine's view, or the store's when sync is off.
#[tauri::command(async)]
pub fn sync_status(state: State<'_, AppState>) -> Reply<SyncStatusView> {
    match state.sync.get() {
        Some(sync) => Ok(sync.status()),
        None => reply(state.kiosk.sync_status()),
    }
}

/// "Синхронизировать": wakes the engine; the outcome arrives as `sync-status` events.
#[tauri::command(async)]
pub fn sync_now(state: State<'_, AppState>) -> Reply<SyncStatusView> {
    match state.sync.get() {
        Some(sync) => {
            sync.sync_now();
            Ok(sync.status())
        }
        None => Err(KioskError::NotConnected.to_view()),
    }
}

/// "Разобрано" on an op the server rejected: it leaves the attention list. Returns the status with
/// the acknowledgement in it (the running engine's, refreshed, or the store's when sync is off).
#[tauri::command(async)]
pub fn acknowledge_attention(state: State<'_, AppState>, seq: i64) -> Reply<SyncStatusView> {
    reply(state.kiosk.acknowledge_attention(seq))?;
    match state.sync.get() {
        Some(sync) => Ok(sync.refresh_status()),
        None => reply(state.kiosk.sync_status()),
    }
}

/// "Подключение кассы": exchanges the one-time code for a device credential at `server_url`, then
/// starts sync exactly as start-up does. Returns the counter view, now with the pickup point's name;
/// its orders arrive with the engine's first pass (watch `sync-status`). `device_name` defaults to
/// the host name.
#[tauri::command]
pub async fn enroll(
    app: AppHandle,
    state: State<'_, AppState>,
    server_url: String,
    code: String,
    device_name: Option<String>,
) -> Reply<CounterView> {
    let name = device_name.filter(|name| !name.trim().is_empty()).unwrap_or_else(crate::sync::hostname);
    if let Err(error) = pvz_kiosk_core::sync::enroll(&state.kiosk, &server_url, &code, &name).await {
        tracing::warn!(%error, server = %server_url, "enrollment from the window failed");
        return reply(Err(error));
    }
    crate::sync::run_engine(&app, &state.kiosk, &state.sync);
    reply(state.kiosk.view())
}
