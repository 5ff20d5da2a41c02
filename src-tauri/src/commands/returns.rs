//! Commands for what flows back through the point: the claim return at the counter (приём возврата
//! по претензии), the courier's hand-back (приём отказов от курьера) and the returns desk with its
//! boxes (отправка возвратов). Each answers with the counter view; the codes, badges and labels
//! themselves arrive through `scan`.

use super::{decode_photo, reply, written, Reply};
use crate::AppState;
use pvz_kiosk_core::{CounterView, ItemDecision, KioskError};
use tauri::State;

/// Asks the server for the claim's current state; offline the view comes back unchanged (the
/// code's signature stands). The window calls it after a `claim_opened` scan.
#[tauri::command]
pub async fn refresh_claim_status(state: State<'_, AppState>) -> Reply<CounterView> {
    reply(state.kiosk.refresh_claim_status().await)
}

/// The claim's item has no barcode: the manager confirms by eye that it is the right one.
#[tauri::command(async)]
pub fn check_claim_item(state: State<'_, AppState>) -> Reply<CounterView> {
    reply(state.kiosk.check_claim_item())
}

#[tauri::command(async)]
pub fn set_claim_condition(state: State<'_, AppState>, text: String) -> Reply<CounterView> {
    reply(state.kiosk.set_claim_condition(&text))
}

/// `data_base64`: the image file's bytes, base64-encoded by the window.
#[tauri::command(async)]
pub fn attach_claim_photo(state: State<'_, AppState>, data_base64: String) -> Reply<CounterView> {
    let bytes = decode_photo(&data_base64)?;
    reply(state.kiosk.attach_claim_photo(&bytes))
}

/// Takes the item in: writes the op (the refund or replacement happens on the server) and shows the label.
#[tauri::command(async)]
pub fn accept_claim_return(state: State<'_, AppState>) -> Reply<CounterView> {
    written(&state, state.kiosk.accept_claim_return())
}

#[tauri::command(async)]
pub fn cancel_claim_return(state: State<'_, AppState>) -> Reply<CounterView> {
    reply(state.kiosk.cancel_claim_return())
}

#[tauri::command(async)]
pub fn dismiss_return_label(state: State<'_, AppState>) -> Reply<CounterView> {
    reply(state.kiosk.dismiss_return_label())
}

/// Fetches the courier's manifest into the hand-back a badge scan started; offline the hand-back
/// stays ad hoc and the view comes back unchanged. The window calls it after `hand_back_started`.
#[tauri::command]
pub async fn load_courier_manifest(state: State<'_, AppState>) -> Reply<CounterView> {
    reply(state.kiosk.load_courier_manifest().await)
}

/// Why the courier brought the item back: `decision` is the refusal dialog's (a refusal with its
/// reason and, for a defect, the description); handing over is no reason and is refused.
#[tauri::command(async)]
pub fn set_hand_back_reason(
    state: State<'_, AppState>,
    return_id: String,
    decision: ItemDecision,
) -> Reply<CounterView> {
    let ItemDecision::Refuse { reason, description } = decision else {
        return reply(Err(KioskError::InvalidInput("a handed-back item needs a refusal reason".into())));
    };
    reply(state.kiosk.set_hand_back_reason(&return_id, reason, description.as_deref()))
}

#[tauri::command(async)]
pub fn remove_hand_back_item(state: State<'_, AppState>, return_id: String) -> Reply<CounterView> {
    reply(state.kiosk.remove_hand_back_item(&return_id))
}

/// `accepted_by`: the manager who takes the items in, named on the act.
#[tauri::command(async)]
pub fn complete_hand_back(state: State<'_, AppState>, accepted_by: String) -> Reply<CounterView> {
    written(&state, state.kiosk.complete_hand_back(&accepted_by))
}

#[tauri::command(async)]
pub fn cancel_hand_back(state: State<'_, AppState>) -> Reply<CounterView> {
    reply(state.kiosk.cancel_hand_back())
}

#[tauri::command(async)]
pub fn dismiss_hand_back_act(state: State<'_, AppState>) -> Reply<CounterView> {
    reply(state.kiosk.dismiss_hand_back_act())
}

#[tauri::command(async)]
pub fn open_returns(state: State<'_, AppState>) -> Reply<CounterView> {
    reply(state.kiosk.open_returns())
}

#[tauri::command(async)]
pub fn close_returns(state: State<'_, AppState>) -> Reply<CounterView> {
    reply(state.kiosk.close_returns())
}

#[tauri::command(async)]
pub fn create_box(state: State<'_, AppState>) -> Reply<CounterView> {
    reply(state.kiosk.create_box())
}

/// Puts a waiting unit into the open box, as scanning its return label would.
#[tauri::command(async)]
pub fn add_to_box(state: State<'_, AppState>, return_id: String) -> Reply<CounterView> {
    reply(state.kiosk.add_to_box(&return_id))
}

#[tauri::command(async)]
pub fn remove_from_box(state: State<'_, AppState>, return_id: String) -> Reply<CounterView> {
    reply(state.kiosk.remove_from_box(&return_id))
}

#[tauri::command(async)]
pub fn close_box(state: State<'_, AppState>) -> Reply<CounterView> {
    written(&state, state.kiosk.close_box())
}

/// Hands every closed box to the driver whose badge was scanned at the desk.
#[tauri::command(async)]
pub fn hand_over_boxes(state: State<'_, AppState>, driver_id: String) -> Reply<CounterView> {
    written(&state, state.kiosk.hand_over_boxes(&driver_id))
}

#[tauri::command(async)]
pub fn dismiss_handover_act(state: State<'_, AppState>) -> Reply<CounterView> {
    reply(state.kiosk.dismiss_handover_act())
}
