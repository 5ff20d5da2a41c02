//! Enrollment: a one-time code exchanged for a device credential. The kiosk makes its device secret
//! itself and stores it as a pending enrollment before it asks (the server gets only its sha256),
//! so an answer lost on the way is finished by asking again; it pins the server's key and keeps the
//! credential and the server's address; nothing of the answer is stored unless all of it is valid.

use super::client::{normalize_url, refuse_plain_http_beyond_loopback, ClientConfig, ServerClient};
use crate::error::{KioskError, Result};
use crate::kiosk::timestamp;
use crate::store::sync_settings::PendingEnrollment;
use crate::store::Db;
use crate::store::{outbox, settings, sync_settings};
use crate::sync::apply_pull::clear_cache;
use crate::Kiosk;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use pvz_protocol::sync::{DeviceCredential, EnrollRequest};
use pvz_protocol::{Enrollment, EnrollmentCode, PublicKey};
use sha2::{Digest, Sha256};

/// Enrolls the kiosk with the server at `server_url` using a one-time `code` bound to a pickup point.
/// A kiosk already enrolled to another pickup point is refused (its outbox belongs there), and so is
/// a kiosk seeded from the demo that holds practice operations (they are no real counter's).
pub async fn enroll(kiosk: &Kiosk, server_url: &str, code: &str, device_name: &str) -> Result<Enrollment> {
    enroll_with(kiosk, server_url, code, device_name, &ClientConfig::default()).await
}

/// [`enroll`] with explicit timeouts.
///
/// A pending enrollment (asked for, answer never stored) is finished first: if the server took it,
/// its secret is the device's now and must prove the device for a fresh code. The same code again
/// is that retry; a refusal clears it, a server out of reach keeps it for the next try.
pub async fn enroll_with(
    kiosk: &Kiosk,
    server_url: &str,
    code: &str,
    device_name: &str,
    config: &ClientConfig,
) -> Result<Enrollment> {
    let server_url = normalize_url(server_url)?;
    refuse_plain_http_beyond_loopback(&server_url, config.allow_plain_http)?;
    let code = code.trim();
    if code.is_empty() {
        return Err(KioskError::InvalidInput("the enrollment code is empty".into()));
    }
    // Refused before anything is stored or sent: an old code (no fingerprint) cannot bind a server.
    EnrollmentCode::parse(code).map_err(|e| KioskError::EnrollmentRefused(e.to_string()))?;
    let device_name = match device_name.trim() {
        "" => "PVZ Kiosk",
        name => name,
    };
    kiosk.store.with_conn(refuse_demo_practice_ops)?;
    if let Some(pending) = kiosk.store.with_conn(|c| Ok::<_, KioskError>(sync_settings::get_pending_enrollment(c)?))? {
        let retry = pending.server_url == server_url && same_code(&pending.code, code);
        match finish_pending(kiosk, &pending, device_name, config).await {
            Ok(enrollment) if retry => return Ok(enrollment),
            // The device holds the pending secret now; the fresh code continues it with that proof.
            Ok(_) => {}
            Err(error) if retry => return Err(error),
            Err(error) if error.is_transient() => return Err(error),
            Err(error) => tracing::info!(%error, "the pending enrollment was refused; enrolling with the new code"),
        }
    }
    let pending = PendingEnrollment {
        server_url,
        code: code.to_owned(),
        secret: new_device_secret()?,
        since: timestamp(kiosk.now()),
    };
    kiosk.store.with_tx::<_, KioskError>(|tx| Ok(sync_settings::set_pending_enrollment(tx, &pending)?))?;
    finish_pending(kiosk, &pending, device_name, config).await
}

/// Finishes the kiosk's pending enrollment, if it has one (a restart after a lost answer or a power
/// cut): `None` when none is pending. A refusal clears it; a server out of reach keeps it.
pub async fn resume_enrollment(kiosk: &Kiosk, config: &ClientConfig) -> Result<Option<Enrollment>> {
    let Some(pending) = kiosk.store.with_conn(|c| Ok::<_, KioskError>(sync_settings::get_pending_enrollment(c)?))?
    else {
        return Ok(None);
    };
    finish_pending(kiosk, &pending, "PVZ Kiosk", config).await.map(Some)
}

/// Asks the server for the pending enrollment (again, if it was asked before: the same code and
/// hash get the same answer) and stores its answer. A refusal clears the pending enrollment.
async fn finish_pending(
    kiosk: &Kiosk,
    pending: &PendingEnrollment,
    device_name: &str,
    config: &ClientConfig,
) -> Result<Enrollment> {
    let finished = ask_and_store(kiosk, pending, device_name, config).await;
    if let Err(error) = &finished {
        if !error.is_transient() {
            kiosk.store.with_tx::<_, KioskError>(|tx| Ok(sync_settings::clear_pending_enrollment(tx)?))?;
        }
    }
    finished
}

async fn ask_and_store(
    kiosk: &Kiosk,
    pending: &PendingEnrollment,
    device_name: &str,
    config: &ClientConfig,
) -> Result<Enrollment> {
    let secret_sha256 = sha256_hex(pending.secret.as_bytes());
    let request = kiosk.store.with_conn(|c| enroll_request(c, &pending.code, device_name, &secret_sha256))?;
    let client = ServerClient::new(&pending.server_url, config)?;
    let answer = client.enroll(&request).await.map_err(|error| match error {
        // The server refused to move the kiosk to the code's pickup point (the code stays unused):
        // the same refusal as the check below, told by the server.
        KioskError::EnrolledElsewhere { requested, .. } => {
            let current = kiosk.store.with_conn(|c| Ok::<_, KioskError>(settings::get_enrollment(c)?));
            let current = current.ok().flatten().map(|e| e.pickup_point_id.to_string()).unwrap_or_default();
            KioskError::EnrolledElsewhere { current, requested }
        }
        other => other,
    })?;
    let enrollment = answer.enrollment;
    PublicKey::parse(&enrollment.server_public_key)
        .map_err(|_| KioskError::EnrollmentRefused("the server's public key is not an ed25519 key".into()))?;
    // The code names the network's key: a server answering with another is not the one meant.
    let code = EnrollmentCode::parse(&pending.code).map_err(|e| KioskError::EnrollmentRefused(e.to_string()))?;
    if !code.names_key(&enrollment.server_public_key) {
        return Err(KioskError::ServerKeyMismatch);
    }
    let credential = match &answer.credential {
        // A server that made the secret itself (it ignored the hash).
        Some(text) => DeviceCredential::parse(text),
        None => Some(DeviceCredential { device_id: enrollment.device_id.clone(), secret: pending.secret.clone() }),
    };
    let credential = credential
        .filter(|c| c.device_id == enrollment.device_id)
        .ok_or_else(|| KioskError::EnrollmentRefused("the server sent a malformed device credential".into()))?;
    let asked = request.previous_credential.as_deref().and_then(DeviceCredential::parse).map(|c| c.device_id);
    if let Some(asked) = asked.filter(|asked| *asked != enrollment.device_id) {
        // A server that predates continuing devices; the code is used up either way, so take the
        // new device and say why the outbox may need a person.
        tracing::warn!(%asked, given = %enrollment.device_id, "the server did not continue this kiosk's device");
    }
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
        // A page the engine fetched with the old cursor is dropped rather than applied over this.
        sync_settings::bump_enrollment_generation(tx)?;
        sync_settings::set_server(tx, &pending.server_url, &credential.to_text())?;
        sync_settings::clear_pending_enrollment(tx)?;
        Ok(())
    })?;
    tracing::info!(server = %pending.server_url, pickup_point = %enrollment.pickup_point_id, device = %enrollment.device_id, "enrolled");
    Ok(enrollment)
}

/// 256 random bits, as the server made them before protocol 4.
fn new_device_secret() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| KioskError::Internal(format!("OS random source: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Codes are typed by people: case, spaces and dashes do not matter (as the server reads them).
fn same_code(a: &str, b: &str) -> bool {
    let normal =
        |s: &str| s.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect::<String>();
    normal(a) == normal(b)
}

/// The enrollment request; see [`previous_credential`].
fn enroll_request(conn: &Db<'_>, code: &str, device_name: &str, secret_sha256: &str) -> Result<EnrollRequest> {
    Ok(EnrollRequest {
        code: code.to_owned(),
        device_name: device_name.to_owned(),
        previous_credential: previous_credential(conn)?,
        // The server refuses another point's code unused, so the check below never costs a code.
        current_pickup_point: settings::get_enrollment(conn)?.map(|e| e.pickup_point_id.to_string()),
        secret_sha256: Some(secret_sha256.to_owned()),
    })
}

/// The credential of a kiosk enrolled with a server before (kept after a 401, so a revoked kiosk
/// still has it): it names the device to continue and proves the kiosk held it. The server keeps
/// that device's `seq`, so the outbox, which is never renumbered, still lines up. A demo seed has no
/// credential: the kiosk asks for a new device.
fn previous_credential(conn: &Db<'_>) -> Result<Option<String>> {
    Ok(sync_settings::get_sync_settings(conn)?.device_credential)
}

/// A kiosk seeded from the demo has an enrollment no server issued (no credential) and its outbox
/// holds practice: enrolled for real, it would push those ops as a real counter's. Checked before
/// the server is called, so the code stays usable. A demo kiosk with no ops may enroll.
fn refuse_demo_practice_ops(conn: &Db<'_>) -> Result<()> {
    let demo = settings::get_enrollment(conn)?.is_some() && previous_credential(conn)?.is_none();
    if demo && !outbox::list_ops(conn)?.is_empty() {
        return Err(KioskError::InvalidInput(
            "this counter holds practice operations from the demo data; connect it with a fresh store".into(),
        ));
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn kiosk() -> (tempfile::TempDir, Kiosk) {
        let dir = tempfile::tempdir().expect("temp dir");
        let kiosk = Kiosk::open(&dir.path().join("kiosk.sqlite3")).expect("kiosk opens");
        (dir, kiosk)
    }

    fn request(kiosk: &Kiosk) -> EnrollRequest {
        kiosk.store.with_conn(|c| enroll_request(c, "CODE", "Касса 1", &"0".repeat(64))).expect("request built")
    }

    #[test]
    fn a_kiosk_enrolled_with_a_server_before_sends_its_credential_when_it_enrolls_again() {
        let (_dir, fresh) = kiosk();
        assert_eq!(request(&fresh).previous_credential, None, "a kiosk never enrolled asks for a new device");

        let (_dir, seeded) = kiosk();
        let (seed, _) = pvz_protocol::demo::seed();
        seeded.import_seed(&seed).expect("the demo seed imports");
        assert_eq!(
            request(&seeded).previous_credential,
            None,
            "a demo seed's device is no server's: a new device is asked for"
        );

        let (_dir, enrolled) = kiosk();
        enrolled.import_seed(&seed).expect("an enrollment to continue");
        enrolled
            .store
            .with_tx::<_, KioskError>(|tx| Ok(sync_settings::set_server(tx, "http://127.0.0.1:1", "pvzd1.x.y")?))
            .expect("a server credential stored");
        assert_eq!(
            request(&enrolled).previous_credential.as_deref(),
            Some("pvzd1.x.y"),
            "a kiosk enrolled with a server before proves its device with its credential, so its outbox keeps its seq \
             numbering"
        );
    }
}
