//! The Tauri shell: reads the configuration, opens the window (in kiosk mode when configured) and
//! the local store, imports a demo seed when asked, starts sync with the central server when
//! enrolled with one (at start-up or from the window's connect form), and exposes the counter
//! commands; once the first frame is up it checks for updates (`updates`). No SQL and no business
//! rules live here.

mod commands;
mod instance;
mod kiosk_mode;
mod logging;
mod sync;
mod updates;

use pvz_kiosk_core::sync::SyncHandle;
use pvz_kiosk_core::Kiosk;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, OnceLock};
use std::time::Instant;
use tauri::Manager;

/// Opens the store when first asked; see [`AppState::kiosk`].
pub type OpenStore = Box<dyn FnOnce() -> Arc<Kiosk> + Send>;

/// Shared by every command; the core does its own locking.
pub struct AppState {
    /// The store, opened on its own thread while the window loads: opening, migrating and
    /// importing the demo seed would otherwise hold the main loop the webview needs for its first
    /// frame. A command that comes before the store is open waits for it.
    pub kiosk: Arc<LazyLock<Arc<Kiosk>, OpenStore>>,
    /// Set once the sync engine runs (after enrollment, at start-up or from the window); never twice.
    pub sync: Arc<OnceLock<SyncHandle>>,
    pub started: Instant,
    /// Where the store, its log files and its documents live.
    pub data_dir: PathBuf,
}

impl AppState {
    /// A command wrote an op: let the sync engine push it now.
    pub fn op_written(&self) {
        if let Some(sync) = self.sync.get() {
            sync.nudge();
        }
    }
}

/// The configuration's `data_dir` (or `PVZ_DATA_DIR`: tests, several kiosks on one machine)
/// overrides where the store lives.
fn data_dir(app: &tauri::App, configured: Option<&Path>) -> Result<PathBuf, Box<dyn std::error::Error>> {
    match configured {
        Some(dir) => Ok(dir.to_owned()),
        None => Ok(app.path().app_data_dir()?),
    }
}

/// Opens (creating and migrating as needed) the store in `dir` and imports the demo seed when asked.
/// A kiosk without its store cannot work: the process ends, as a failed start-up would.
fn open_store(dir: &Path, started: Instant) -> Arc<Kiosk> {
    match try_open_store(dir) {
        Ok(kiosk) => {
            tracing::info!(
                store = %dir.display(),
                store_ready_ms = started.elapsed().as_millis() as u64,
                "kiosk store open"
            );
            Arc::new(kiosk)
        }
        Err(error) => {
            tracing::error!(%error, store = %dir.display(), "the kiosk store cannot be opened");
            std::process::exit(1);
        }
    }
}

fn try_open_store(dir: &Path) -> Result<Kiosk, Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir)?;
    let kiosk = Kiosk::open(&dir.join("kiosk.sqlite3"))?;
    if let Some(seed) = std::env::var_os("PVZ_DEMO_SEED") {
        let imported = kiosk.import_seed_file(Path::new(&seed))?;
        tracing::info!(imported, seed = ?seed, "demo seed");
    }
    Ok(kiosk)
}

pub fn run() {
    let started = Instant::now();
    let logs = logging::init();
    let mode = kiosk_mode::KioskMode::load();
    if mode.autostart_declined() {
        tracing::info!("autostart is off in the configuration; the counter does not start with the session");
        return;
    }
    let context = tauri::generate_context!();
    let identifier = context.config().identifier.clone();
    // The store's directory as configured (kiosk.toml or PVZ_DATA_DIR) keys the single instance.
    let configured_dir = mode.loaded.config.data_dir.clone();
    let result = tauri::Builder::default()
        .plugin(instance::plugin(&identifier, configured_dir.as_deref()))
        .plugin(tauri_plugin_updater::Builder::new().build())
        .setup(move |app| {
            let config = mode.loaded.config.clone();
            let dir = data_dir(app, config.data_dir.as_deref())?;
            logs.open_files(&dir);
            mode.log_problems();
            app.manage(mode);
            kiosk_mode::open_window(app, &app.state())?;
            tracing::info!(version = %app.package_info().version, store = %dir.display(), "kiosk starting");
            let data_dir = dir.clone();
            let open: OpenStore = Box::new(move || open_store(&dir, started));
            let kiosk = Arc::new(LazyLock::new(open));
            let sync = Arc::new(OnceLock::new());
            let (opening, handle, slot) = (kiosk.clone(), app.handle().clone(), sync.clone());
            std::thread::Builder::new().name("open-store".into()).spawn(move || {
                let kiosk = Arc::clone(LazyLock::force(&opening));
                tauri::async_runtime::spawn(sync::start(handle, kiosk, slot, sync::Enrollment::from_config(&config)));
            })?;
            app.manage(AppState { kiosk, sync, started, data_dir });
            Ok(())
        })
        .on_window_event(kiosk_mode::on_window_event)
        .invoke_handler(tauri::generate_handler![
            commands::counter_view,
            commands::scan,
            commands::decide_item,
            commands::hand_over_rest,
            commands::attach_defect_photo,
            commands::clear_decision,
            commands::confirm_issue,
            commands::set_aside,
            commands::dismiss_receipt,
            commands::ui_ready,
            commands::sync_status,
            commands::sync_now,
            commands::acknowledge_attention,
            commands::enroll,
            commands::returns::refresh_claim_status,
            commands::returns::check_claim_item,
            commands::returns::set_claim_condition,
            commands::returns::attach_claim_photo,
            commands::returns::accept_claim_return,
            commands::returns::cancel_claim_return,
            commands::returns::dismiss_return_label,
            commands::returns::load_courier_manifest,
            commands::returns::set_hand_back_reason,
            commands::returns::remove_hand_back_item,
            commands::returns::complete_hand_back,
            commands::returns::cancel_hand_back,
            commands::returns::dismiss_hand_back_act,
            commands::returns::open_returns,
            commands::returns::close_returns,
            commands::returns::create_box,
            commands::returns::add_to_box,
            commands::returns::remove_from_box,
            commands::returns::close_box,
            commands::returns::hand_over_boxes,
            commands::returns::dismiss_handover_act,
            commands::documents::list_printers,
            commands::documents::print_document,
            commands::documents::export_document,
            commands::staff::log_in,
            commands::staff::log_out,
            commands::staff::keep_alive,
            commands::staff::open_shift,
            commands::staff::close_shift,
            commands::staff::dismiss_shift_report,
            commands::staff::export_shift_report_csv,
            commands::shelves::resume_receiving,
            commands::shelves::mark_damaged,
            commands::shelves::attach_damage_photo,
            commands::shelves::close_receiving,
            commands::shelves::cancel_receiving,
            commands::shelves::list_cells,
            commands::shelves::find_item,
            commands::shelves::dismiss_found_item,
            commands::shelves::move_item,
            commands::shelves::open_expiry,
            commands::shelves::close_expiry,
            commands::shelves::move_expired_to_returns,
            commands::audit::item_history,
            commands::audit::item_claims,
            commands::audit::export_evidence_bundle,
            commands::window::window_mode,
            commands::window::authorize_close,
            commands::support::save_diagnostics,
        ])
        .run(context);
    if let Err(error) = result {
        tracing::error!(%error, "the kiosk window failed");
        std::process::exit(1);
    }
}
