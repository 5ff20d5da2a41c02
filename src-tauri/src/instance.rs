//! One window per store: a second launch on the same data directory hands over to the first one,
//! which comes to the front (tauri's single-instance plugin; on Linux a D-Bus name on the session
//! bus). The name is the app's identifier, and with a configured data directory (kiosk.toml's
//! `data_dir` or `PVZ_DATA_DIR`) one of that directory too, so
//! two kiosks on two stores on one machine (the e2e suite, several counters) both start. Without a
//! session bus the plugin lets the launch through, and the core's store lock still refuses it.

use std::path::Path;
use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Manager, Runtime};

/// The D-Bus name's base for the store in `data_dir` (None: the default data directory, keyed
/// by the identifier alone). A name's elements hold only `[A-Za-z0-9_]` and start with no digit.
pub fn store_key(identifier: &str, data_dir: Option<&Path>) -> Option<String> {
    let dir = data_dir?;
    let dir = std::fs::canonicalize(dir).or_else(|_| std::path::absolute(dir)).unwrap_or_else(|_| dir.to_path_buf());
    Some(format!("{identifier}.store_{:016x}", fnv1a(dir.as_os_str().as_encoded_bytes())))
}

/// FNV-1a: stable across builds and Rust versions, unlike std's hasher.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The plugin, to be registered before any other: a second launch ends before it opens anything.
/// `data_dir`: the store's directory as configured (None: the default one).
pub fn plugin<R: Runtime>(identifier: &str, data_dir: Option<&Path>) -> TauriPlugin<R> {
    let mut builder = tauri_plugin_single_instance::Builder::new().callback(|app, _args, _cwd| focus(app));
    if let Some(key) = store_key(identifier, data_dir) {
        builder = builder.dbus_id(key);
    }
    builder.build()
}

/// Brings the counter's window to the front for the person who launched the app again.
fn focus<R: Runtime>(app: &AppHandle<R>) {
    tracing::info!("a second launch on this store: bringing the window to the front");
    let Some(window) = app.get_webview_window("main") else { return };
    let shown = window.unminimize().and_then(|()| window.show()).and_then(|()| window.set_focus());
    if let Err(error) = shown {
        tracing::warn!(%error, "cannot bring the window to the front");
    }
}
