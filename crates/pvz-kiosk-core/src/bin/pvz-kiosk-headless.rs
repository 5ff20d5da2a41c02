//! A kiosk without a window, for tests and chaos runs: `enroll` (from `PVZ_SERVER_URL`,
//! `PVZ_ENROLL_CODE`, `PVZ_DEVICE_NAME`), `sync` (one pass, prints its report) or `run` (the sync
//! engine, printing each status as a JSON line until stdin closes). The store is
//! `$PVZ_DATA_DIR/kiosk.sqlite3`, the same file the window uses.

use pvz_kiosk_core::sync::{self, EngineConfig, SyncEngine};
use pvz_kiosk_core::{Kiosk, KioskError};
use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("{name} is not set"))
}

fn open_kiosk() -> Result<Kiosk, String> {
    let dir = PathBuf::from(env("PVZ_DATA_DIR")?);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Kiosk::open(&dir.join("kiosk.sqlite3")).map_err(|e| e.to_string())
}

async fn enroll(kiosk: &Kiosk) -> Result<(), KioskError> {
    let url = std::env::var("PVZ_SERVER_URL").unwrap_or_default();
    let code = std::env::var("PVZ_ENROLL_CODE").unwrap_or_default();
    let name = std::env::var("PVZ_DEVICE_NAME").unwrap_or_else(|_| "headless kiosk".into());
    let enrollment = sync::enroll_when_reachable(kiosk, &url, &code, &name, &EngineConfig::from_env(), 20).await?;
    println!("enrolled device {} at {}", enrollment.device_id, enrollment.pickup_point_id);
    Ok(())
}

async fn run(kiosk: Kiosk) -> Result<(), String> {
    let handle = SyncEngine::spawn(
        Arc::new(kiosk),
        EngineConfig::from_env(),
        Box::new(|status| match serde_json::to_string(status) {
            Ok(line) => println!("{line}"),
            Err(e) => eprintln!("cannot print the status: {e}"),
        }),
    );
    // Runs until whoever started us closes our stdin (or ends us).
    tokio::task::spawn_blocking(|| {
        let mut sink = Vec::new();
        let _ = std::io::stdin().read_to_end(&mut sink);
    })
    .await
    .map_err(|e| e.to_string())?;
    handle.stop();
    Ok(())
}

#[tokio::main]
async fn main() {
    let command = std::env::args().nth(1).unwrap_or_default();
    let outcome = async {
        let kiosk = open_kiosk()?;
        match command.as_str() {
            "enroll" => enroll(&kiosk).await.map_err(|e| e.to_string()),
            "sync" => {
                let report =
                    sync::sync_until_idle(&kiosk, &EngineConfig::from_env().client).await.map_err(|e| e.to_string())?;
                println!("{report:?}");
                let status = kiosk.sync_status().map_err(|e| e.to_string())?;
                println!("{}", serde_json::to_string(&status).map_err(|e| e.to_string())?);
                Ok(())
            }
            "run" => run(kiosk).await,
            _ => Err("usage: pvz-kiosk-headless enroll | sync | run".to_owned()),
        }
    }
    .await;
    if let Err(message) = outcome {
        eprintln!("pvz-kiosk-headless: {message}");
        std::process::exit(1);
    }
}
