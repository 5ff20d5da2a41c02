//! The window's own commands in kiosk mode: what the window is now, and the close dialog's PIN.

use crate::commands::{reply, Reply};
use crate::kiosk_mode::KioskMode;
use crate::AppState;
use serde::Serialize;
use tauri::{State, WebviewWindow};

/// What the window is now, as the window system has it: for support and the tests.
#[derive(Serialize)]
pub struct WindowModeView {
    pub kiosk_mode: bool,
    pub fullscreen: bool,
    pub decorated: bool,
}

#[tauri::command]
pub fn window_mode(window: WebviewWindow, mode: State<'_, KioskMode>) -> Reply<WindowModeView> {
    let unknown = |e: tauri::Error| pvz_kiosk_core::KioskError::Internal(format!("the window's state: {e}")).to_view();
    Ok(WindowModeView {
        kiosk_mode: mode.loaded.config.kiosk_mode,
        fullscreen: window.is_fullscreen().map_err(unknown)?,
        decorated: window.is_decorated().map_err(unknown)?,
    })
}

/// The close dialog's PIN (none where nobody can log in here): when the core allows it, the
/// window closes and the counter ends.
#[tauri::command(async)]
pub fn authorize_close(
    window: WebviewWindow,
    state: State<'_, AppState>,
    mode: State<'_, KioskMode>,
    employee_id: Option<String>,
    pin: Option<String>,
) -> Reply<()> {
    reply(state.kiosk.authorize_close(employee_id.as_deref(), pin.as_deref()))?;
    mode.allow_close();
    if let Err(error) = window.close() {
        tracing::error!(%error, "the window does not close");
    }
    Ok(())
}
