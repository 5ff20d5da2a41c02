//! Start-up of sync in the window: enroll from `PVZ_SERVER_URL` + `PVZ_ENROLL_CODE` when the kiosk
//! has no server yet, then run the core's sync engine on tauri's runtime and forward every status
//! to the window as a `sync-status` event. The window never waits for the network to open.

use pvz_kiosk_core::sync::{self, EngineConfig, SyncEngine, SyncHandle};
use pvz_kiosk_core::{Kiosk, KioskError};
use std::sync::{Arc, OnceLock};
use tauri::{AppHandle, Emitter};

/// The event the window listens to; its payload is a `SyncStatusView`.
pub const SYNC_STATUS_EVENT: &str = "sync-status";

/// Enrolls if asked to and possible, then runs the engine until the app exits.
pub async fn start(app: AppHandle, kiosk: Arc<Kiosk>, handle_slot: Arc<OnceLock<SyncHandle>>) {
    if let Err(error) = enroll_from_env(&kiosk).await {
        tracing::error!(%error, "enrollment from PVZ_SERVER_URL/PVZ_ENROLL_CODE failed; the kiosk stays offline");
    }
    match kiosk.sync_status() {
        Ok(status) if status.configured => {}
        Ok(_) => return tracing::info!("no central server configured; sync is off"),
        Err(error) => return tracing::error!(%error, "cannot read the sync settings; sync is off"),
    }
    let emitter = app.clone();
    let listener = Box::new(move |status: &pvz_kiosk_core::SyncStatusView| {
        if let Err(error) = emitter.emit(SYNC_STATUS_EVENT, status) {
            tracing::warn!(%error, "cannot send the sync status to the window");
        }
    });
    let (handle, task) = SyncEngine::start(kiosk, EngineConfig::from_env(), listener);
    // Only this task sets the slot, once.
    let _ = handle_slot.set(handle);
    tracing::info!("sync engine started");
    task.await;
}

async fn enroll_from_env(kiosk: &Kiosk) -> Result<(), KioskError> {
    let (Ok(url), Ok(code)) = (std::env::var("PVZ_SERVER_URL"), std::env::var("PVZ_ENROLL_CODE")) else {
        return Ok(());
    };
    if kiosk.sync_status()?.configured {
        return Ok(());
    }
    let name = std::env::var("PVZ_DEVICE_NAME").unwrap_or_else(|_| hostname());
    let enrollment = sync::enroll_when_reachable(kiosk, &url, &code, &name, &EngineConfig::from_env(), 20).await?;
    tracing::info!(pickup_point = %enrollment.pickup_point_name, "enrolled from the environment");
    Ok(())
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|name| name.trim().to_owned())
        .ok()
        .filter(|name| !name.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "PVZ Kiosk".to_owned())
}
