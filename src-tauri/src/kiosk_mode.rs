//! The configuration in the window, and kiosk mode. The configuration is read before the window
//! opens (no network, two small files), its problems go to the log and to the window, which gets
//! them with its language in an initialization script, so the first frame is already right. In
//! kiosk mode the window opens fullscreen without decorations, and a close request (Alt+F4, the
//! window manager, the window's own «Закрыть кассу») is held until a manager's PIN allows it.
//! `pvz-kiosk --autostart` (the session's autostart entry and the user unit) ends at once when the
//! configuration does not ask for autostart.

use pvz_kiosk_core::config::{self, ConfigPaths, LoadedConfig};
use std::sync::atomic::{AtomicBool, Ordering};
use tauri::{Emitter, Manager, WebviewWindow, WebviewWindowBuilder, Window, WindowEvent};

/// The event the window gets on a close request it must confirm with a manager's PIN.
pub const CLOSE_REQUESTED_EVENT: &str = "close-requested";

/// The configuration as read at start, and whether a close has been allowed.
pub struct KioskMode {
    pub loaded: LoadedConfig,
    close_allowed: AtomicBool,
}

impl KioskMode {
    /// Reads the configuration files and the environment (see [`KioskMode::log_problems`]).
    pub fn load() -> KioskMode {
        let started = std::time::Instant::now();
        let env = |name: &str| std::env::var(name).ok();
        let paths = ConfigPaths::from_env(&env);
        let loaded = config::load(&paths, &env);
        tracing::info!(
            system = %paths.system.display(),
            user = ?paths.user,
            kiosk_mode = loaded.config.kiosk_mode,
            config_read_us = started.elapsed().as_micros() as u64,
            "configuration read"
        );
        KioskMode { loaded, close_allowed: AtomicBool::new(false) }
    }

    /// Every problem of the configuration as one log line; called once the log files are open, so
    /// the support person reading them sees it too.
    pub fn log_problems(&self) {
        for problem in &self.loaded.problems {
            tracing::error!(%problem, "configuration problem; the setting keeps its default");
        }
    }

    /// A manager's PIN allowed closing: the next close request goes through.
    pub fn allow_close(&self) {
        self.close_allowed.store(true, Ordering::SeqCst);
    }

    /// `pvz-kiosk --autostart` with autostart off: the process has nothing to do.
    pub fn autostart_declined(&self) -> bool {
        std::env::args().any(|arg| arg == "--autostart") && !self.loaded.config.autostart()
    }
}

/// Opens the main window from `tauri.conf.json` (where `create` is false, so that it opens here):
/// fullscreen and undecorated in kiosk mode, with the configuration's view for the page.
pub fn open_window(app: &tauri::App, mode: &KioskMode) -> Result<WebviewWindow, Box<dyn std::error::Error>> {
    let config = app.config().app.windows.iter().find(|w| w.label == "main").ok_or("no main window in the config")?;
    let kiosk = mode.loaded.config.kiosk_mode;
    let view = serde_json::to_string(&mode.loaded.view())?;
    let builder = WebviewWindowBuilder::from_config(app.handle(), config)?
        .initialization_script(format!("window.__PVZ_CONFIG__ = {view};"));
    let builder = if kiosk { builder.fullscreen(true).decorations(false) } else { builder };
    Ok(builder.build()?)
}

/// A close request in kiosk mode waits for a manager's PIN: the window is asked for it instead.
pub fn on_window_event(window: &Window, event: &WindowEvent) {
    let WindowEvent::CloseRequested { api, .. } = event else { return };
    let Some(mode) = window.try_state::<KioskMode>() else { return };
    if !mode.loaded.config.kiosk_mode || mode.close_allowed.load(Ordering::SeqCst) {
        return;
    }
    api.prevent_close();
    tracing::info!("close request held until a manager's PIN allows it");
    if let Err(error) = window.emit(CLOSE_REQUESTED_EVENT, ()) {
        tracing::warn!(%error, "cannot ask the window for the PIN to close");
    }
}
