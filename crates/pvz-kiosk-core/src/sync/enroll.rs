//! Enrollment: a one-time code exchanged for a device credential. The kiosk pins the server's key
//! and keeps the credential and the server's address; nothing is stored unless all of it is valid.

use super::client::{normalize_url, ClientConfig, ServerClient};
use crate::error::{KioskError, Result};
use crate::pull::clear_cache;
use crate::store::{settings, sync_settings};
use crate::Kiosk;
use pvz_protocol::sync::{DeviceCredential, EnrollRequest};
use pvz_protocol::{Enrollment, PublicKey};

/// Enrolls the kiosk with the server at `server_url` using a one-time `code` bound to a pickup point.
/// A kiosk already enrolled to another pickup point is refused (its outbox belongs there).
pub async fn enroll(kiosk: &Kiosk, server_url: &str, code: &str, device_name: &str) -> Result<Enrollment> {
    enroll_with(kiosk, server_url, code, device_name, &ClientConfig::default()).await
}

/// [`enroll`] with explicit timeouts.
pub async fn enroll_with(
    kiosk: &Kiosk,
    server_url: &str,
    code: &str,
    device_name: &str,
    config: &ClientConfig,
) -> Result<Enrollment> {
    let server_url = normalize_url(server_url)?;
    let code = code.trim();
    if code.is_empty() {
        return Err(KioskError::InvalidInput("the enrollment code is empty".into()));
    }
    let device_name = match device_name.trim() {
        "" => "PVZ Kiosk",
        name => name,
    };
    let client = ServerClient::new(&server_url, config)?;
    let answer = client
        .enroll(&EnrollRequest { code: code.to_owned(), device_name: device_name.to_owned(), device_id: None })
        .await?;
    let enrollment = answer.enrollment;
    PublicKey::parse(&enrollment.server_public_key)
        .map_err(|_| KioskError::EnrollmentRefused("the server's public key is not an ed25519 key".into()))?;
    let credential = DeviceCredential::parse(&answer.credential)
        .filter(|c| c.device_id == enrollment.device_id)
        .ok_or_else(|| KioskError::EnrollmentRefused("the server sent a malformed device credential".into()))?;
    kiosk.store.with_tx::<_, KioskError>(|tx| {
        if let Some(current) = settings::get_enrollment(tx)? {
            if current.pickup_point_id != enrollment.pickup_point_id {
                return Err(KioskError::EnrolledElsewhere {
                    current: current.pickup_point_id.to_string(),
                    requested: enrollment.pickup_point_id.to_string(),
                });
            }
        }
        settings::save_enrollment(tx, &enrollment)?;
        // The cache and the cursor (if any) came from a demo seed or an older enrollment: the first
        // pull starts from nothing, so an order the server does not have cannot be issued.
        clear_cache(tx)?;
        settings::clear_pull_cursor(tx)?;
        sync_settings::set_server(tx, &server_url, &credential.to_text())?;
        Ok(())
    })?;
    tracing::info!(server = %server_url, pickup_point = %enrollment.pickup_point_id, device = %enrollment.device_id, "enrolled");
    Ok(enrollment)
}

/// [`enroll`] for a kiosk that may start before its network: while the server cannot be reached it
/// tries again with the engine's backoff, up to `attempts` times; a refused code is final.
pub async fn enroll_when_reachable(
    kiosk: &Kiosk,
    server_url: &str,
    code: &str,
    device_name: &str,
    config: &super::EngineConfig,
    attempts: u32,
) -> Result<Enrollment> {
    let mut failures = 0;
    loop {
        match enroll_with(kiosk, server_url, code, device_name, &config.client).await {
            Err(KioskError::ServerUnreachable(why)) if failures + 1 < attempts => {
                failures += 1;
                let wait = config.backoff(failures);
                tracing::warn!(%why, ?wait, "server unreachable for enrollment; trying again");
                tokio::time::sleep(wait).await;
            }
            other => return other,
        }
    }
}
