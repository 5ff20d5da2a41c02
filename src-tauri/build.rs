//! Builds the Tauri context. The app's own commands are the only ones the window may call:
//! each is listed here and allowed one by one in `capabilities/`.

const COMMANDS: &[&str] = &[
    "counter_view",
    "scan",
    "decide_item",
    "hand_over_rest",
    "attach_defect_photo",
    "clear_decision",
    "confirm_issue",
    "set_aside",
    "dismiss_receipt",
    "ui_ready",
    "sync_status",
    "sync_now",
    "acknowledge_attention",
    "enroll",
    "refresh_claim_status",
    "check_claim_item",
    "set_claim_condition",
    "attach_claim_photo",
    "accept_claim_return",
    "cancel_claim_return",
    "dismiss_return_label",
    "load_courier_manifest",
    "set_hand_back_reason",
    "remove_hand_back_item",
    "complete_hand_back",
    "cancel_hand_back",
    "dismiss_hand_back_act",
    "open_returns",
    "close_returns",
    "create_box",
    "add_to_box",
    "remove_from_box",
    "close_box",
    "hand_over_boxes",
    "dismiss_handover_act",
    "list_printers",
    "print_document",
    "export_document",
];

fn main() {
    let attributes = tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {error:#}");
    }
}
