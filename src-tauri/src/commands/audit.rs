//! Commands for the audit trail: an item's history (история товара) from any of its codes, its claims
//! as the server holds them now, and the evidence bundle (a zip of its events, photos and scans) for
//! a dispute with the marketplace. None records anything, so none nudges sync.

use super::{reply, Reply};
use crate::AppState;
use pvz_kiosk_core::{ClaimStatus, ItemHistoryView};
use tauri::State;

/// `code`: an item id, a return label, or an item code (barcode, marking).
#[tauri::command(async)]
pub fn item_history(state: State<'_, AppState>, code: String) -> Reply<ItemHistoryView> {
    reply(state.kiosk.item_history(&code))
}

/// The claims on the item `item_id` as the server holds them now (a refund without return has no
/// code to scan: this is where the counter sees it); offline, an error saying so.
#[tauri::command]
pub async fn item_claims(state: State<'_, AppState>, item_id: String) -> Reply<Vec<ClaimStatus>> {
    reply(state.kiosk.item_claims(&item_id).await)
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
