//! Sync in the window: enroll with the configuration's `server_url` + `enroll_code` (or
//! `PVZ_SERVER_URL` + `PVZ_ENROLL_CODE`) at start-up when the kiosk has no server yet (or later from the window's connect form; an enrollment left pending by a lost
//! answer is finished first), then run the core's sync engine on
//! tauri's runtime — once per app, whichever path gets there first — and forward every status to the
//! window as a `sync-status` event. The window never waits for the network to open.

use pvz_kiosk_core::config::KioskConfig;
use pvz_kiosk_core::sync::{self, EngineConfig, SyncEngine, SyncHandle};
use pvz_kiosk_core::{Kiosk, KioskError, SyncStatusView};
use std::sync::{Arc, OnceLock};
use tauri::{AppHandle, Emitter};

/// The event the window listens to; its payload is a `SyncStatusView`.
pub const SYNC_STATUS_EVENT: &str = "sync-status";

/// What the configuration asks to enroll with at start-up.
pub struct Enrollment {
    url: String,
    code: String,
    device_name: Option<String>,
}

impl Enrollment {
    /// Both the server's address and a code, or nothing to enroll with.
    pub fn from_config(config: &KioskConfig) -> Option<Enrollment> {
        Some(Enrollment {
            url: config.server_url.clone()?,
            code: config.enroll_code.clone()?,
            device_name: config.device_name.clone(),
        })
    }
}

/// Start-up: enrolls if asked to and possible, then runs the engine if the kiosk has a server.
pub async fn start(
    app: AppHandle,
    kiosk: Arc<Kiosk>,
    handle_slot: Arc<OnceLock<SyncHandle>>,
    enrollment: Option<Enrollment>,
) {
    // An enrollment whose answer was lost (or not saved before a power cut) is finished first.
    match sync::resume_enrollment(&kiosk, &EngineConfig::from_env().client).await {
        Ok(Some(enrollment)) => {
            tracing::info!(pickup_point = %enrollment.pickup_point_name, "pending enrollment finished")
        }
        Ok(None) => {}
        Err(error) => tracing::warn!(%error, "the pending enrollment could not be finished now"),
    }
    if let Some(enrollment) = enrollment {
        if let Err(error) = enroll_from_config(&kiosk, enrollment).await {
            tracing::error!(%error, "enrollment from the configuration failed; the kiosk stays offline");
        }
    }
    match kiosk.sync_status() {
        Ok(status) if status.configured => run_engine(&app, &kiosk, &handle_slot),
        Ok(_) => tracing::info!("no central server configured; sync is off"),
        Err(error) => tracing::error!(%error, "cannot read the sync settings; sync is off"),
    }
}

/// Runs the sync engine of an enrolled kiosk in the background, or, when it already runs (a kiosk
/// enrolled again), asks it to sync now with the new credential. The slot's `get_or_init` makes the
/// start-up path and the window's enrollment race safely: only one engine is ever built and spawned.
pub fn run_engine(app: &AppHandle, kiosk: &Arc<Kiosk>, handle_slot: &OnceLock<SyncHandle>) {
    let mut started = false;
    let handle = handle_slot.get_or_init(|| {
        let emitter = app.clone();
        let listener = Box::new(move |status: &SyncStatusView| {
            if let Err(error) = emitter.emit(SYNC_STATUS_EVENT, status) {
                tracing::warn!(%error, "cannot send the sync status to the window");
            }
        });
        let (handle, task) = SyncEngine::start(kiosk.clone(), EngineConfig::from_env(), listener);
        tauri::async_runtime::spawn(task);
        started = true;
        handle
    });
    if started {
        tracing::info!("sync engine started");
        crate::updates::connected(app, kiosk.clone());
    } else {
        handle.sync_now();
    }
}

async fn enroll_from_config(kiosk: &Kiosk, asked: Enrollment) -> Result<(), KioskError> {
    if kiosk.sync_status()?.configured {
        return Ok(());
    }
    let name = asked.device_name.unwrap_or_else(hostname);
    let config = EngineConfig::from_env();
    let enrollment = sync::enroll_when_reachable(kiosk, &asked.url, &asked.code, &name, &config, 20).await?;
    tracing::info!(pickup_point = %enrollment.pickup_point_name, "enrolled from the configuration");
    Ok(())
}

/// The device name the server lists when none is given: the machine's host name.
pub fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|name| name.trim().to_owned())
        .ok()
        .filter(|name| !name.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "PVZ Kiosk".to_owned())
}
