//! Commands for the shelves: receiving a shipment into cells (приёмка; opened by scanning the
//! shipment's code, each item and cell label through `scan`), finding an item and moving it to
//! another cell, and the items past their storage period (срок хранения) going to returns.

use super::{decode_photo, reply, written, Reply};
use crate::AppState;
use pvz_kiosk_core::{CellView, CounterView};
use tauri::State;

/// Brings the open receiving session back to the counter.
#[tauri::command(async)]
pub fn resume_receiving(state: State<'_, AppState>) -> Reply<CounterView> {
    reply(state.kiosk.resume_receiving())
}

/// An expected item arrived damaged: recorded with `description`, not placed.
#[tauri::command(async)]
pub fn mark_damaged(state: State<'_, AppState>, item_id: String, description: String) -> Reply<CounterView> {
    reply(state.kiosk.mark_damaged(&item_id, &description))
}

/// `data_base64`: the image file's bytes, base64-encoded by the window.
#[tauri::command(async)]
pub fn attach_damage_photo(state: State<'_, AppState>, item_id: String, data_base64: String) -> Reply<CounterView> {
    let bytes = decode_photo(&data_base64)?;
    reply(state.kiosk.attach_damage_photo(&item_id, &bytes))
}

/// Завершить приёмку: one op with what was placed, missing, unexpected and damaged.
#[tauri::command(async)]
pub fn close_receiving(state: State<'_, AppState>) -> Reply<CounterView> {
    written(&state, state.kiosk.close_receiving())
}

/// Drops the session while nothing is placed yet.
#[tauri::command(async)]
pub fn cancel_receiving(state: State<'_, AppState>) -> Reply<CounterView> {
    reply(state.kiosk.cancel_receiving())
}

/// The point's cells and how many items each holds.
#[tauri::command(async)]
pub fn list_cells(state: State<'_, AppState>) -> Reply<Vec<CellView>> {
    reply(state.kiosk.list_cells())
}

/// Shows the item `code` names (`found_item`); a cell label scanned next moves it there.
#[tauri::command(async)]
pub fn find_item(state: State<'_, AppState>, code: String) -> Reply<CounterView> {
    reply(state.kiosk.find_item(&code))
}

#[tauri::command(async)]
pub fn dismiss_found_item(state: State<'_, AppState>) -> Reply<CounterView> {
    reply(state.kiosk.dismiss_found_item())
}

/// `to_cell`: `A-07`, or a scanned `PVZL1:A-07`.
#[tauri::command(async)]
pub fn move_item(state: State<'_, AppState>, item_id: String, to_cell: String) -> Reply<CounterView> {
    written(&state, state.kiosk.move_item(&item_id, &to_cell))
}

/// Shows the list of items past their storage period (`expiry`).
#[tauri::command(async)]
pub fn open_expiry(state: State<'_, AppState>) -> Reply<CounterView> {
    reply(state.kiosk.open_expiry())
}

#[tauri::command(async)]
pub fn close_expiry(state: State<'_, AppState>) -> Reply<CounterView> {
    reply(state.kiosk.close_expiry())
}

/// Moves the chosen items, each past its period now, to returns as unredeemed.
#[tauri::command(async)]
pub fn move_expired_to_returns(state: State<'_, AppState>, item_ids: Vec<String>) -> Reply<CounterView> {
    written(&state, state.kiosk.move_expired_to_returns(&item_ids))
}
