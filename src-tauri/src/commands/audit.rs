//! Commands for the audit trail: an item's history (история товара) from any of its codes, and the
//! evidence bundle (a zip of its events, photos and scans) for a dispute with the marketplace.
//! Neither records anything, so neither nudges sync.

use super::{reply, Reply};
use crate::AppState;
use pvz_kiosk_core::ItemHistoryView;
use tauri::State;

/// `code`: an item id, a return label, or an item code (barcode, marking).
#[tauri::command(async)]
pub fn item_history(state: State<'_, AppState>, code: String) -> Reply<ItemHistoryView> {
    reply(state.kiosk.item_history(&code))
}

/// Saves the bundle of the item `code` names (for its event `event_id` when given) in the
/// documents folder; returns the zip's path. Async: a photo pruned after upload is read back from
/// the server.
#[tauri::command]
pub async fn export_evidence_bundle(
    state: State<'_, AppState>,
    code: String,
    event_id: Option<String>,
) -> Reply<String> {
    reply(state.kiosk.export_evidence_bundle(&code, event_id.as_deref()).await).map(|path| path.display().to_string())
}
