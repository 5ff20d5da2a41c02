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
];

fn main() {
    let attributes = tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {error:#}");
    }
}
