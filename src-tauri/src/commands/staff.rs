//! Commands for who works the counter and their shift: PIN login (вход по PIN), logout, keeping
//! the session from idle-locking, opening and closing the shift (смена) and its report's CSV (the
//! PDF goes through `export_document` like every other paper).

use super::{reply, written, Reply};
use crate::AppState;
use pvz_kiosk_core::{CounterView, SessionView};
use tauri::State;

/// A wrong PIN rejects with `wrong_pin` (tries left in `detail`), a lockout with `pin_locked`
/// (until when in `detail`).
#[tauri::command(async)]
pub fn log_in(state: State<'_, AppState>, employee_id: String, pin: String) -> Reply<CounterView> {
    reply(state.kiosk.log_in(&employee_id, &pin))
}

/// The PIN screen shows; an open shift stays open for the next manager.
#[tauri::command(async)]
pub fn log_out(state: State<'_, AppState>) -> Reply<CounterView> {
    reply(state.kiosk.log_out())
}

/// A key press or a click the core does not see: the session does not idle-lock meanwhile.
#[tauri::command(async)]
pub fn keep_alive(state: State<'_, AppState>) -> Reply<SessionView> {
    reply(state.kiosk.keep_alive())
}

#[tauri::command(async)]
pub fn open_shift(state: State<'_, AppState>) -> Reply<CounterView> {
    written(&state, state.kiosk.open_shift())
}

/// The view then has the closed shift's `shift_report` until it is dismissed.
#[tauri::command(async)]
pub fn close_shift(state: State<'_, AppState>) -> Reply<CounterView> {
    written(&state, state.kiosk.close_shift())
}

#[tauri::command(async)]
pub fn dismiss_shift_report(state: State<'_, AppState>) -> Reply<CounterView> {
    reply(state.kiosk.dismiss_shift_report())
}

/// Saves the shift's report as CSV in the documents folder; returns the file's path.
#[tauri::command(async)]
pub fn export_shift_report_csv(state: State<'_, AppState>, shift_id: String) -> Reply<String> {
    reply(state.kiosk.export_shift_report_csv(&shift_id)).map(|path| path.display().to_string())
}
