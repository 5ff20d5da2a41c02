//! Enrollment: a kiosk exchanges a one-time code for its device credential, or continues the device
//! it held before. Parses the request, calls the storage and maps the outcome. Failed attempts count
//! against the client address's and the code's budgets (`super::limits`): past them, 429 before the
//! code is even looked up.

use super::extract::{ApiJson, ClientAddress};
use super::limits::Key;
use super::openapi::SYNC_TAG;
use super::AppState;
use crate::credentials::normalize_enrollment_code;
use crate::db::sha256_hex;
use crate::error::{Result, ServerError};
use crate::keys::random_bytes;
use crate::storage::{Enrolled, NewDevice, Storage};
use axum::extract::State;
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use pvz_domain::{DeviceId, PickupPointId};
use pvz_protocol::sync::{ApiError, DeviceCredential, EnrollRequest, EnrollResponse};
use pvz_protocol::Enrollment;

/// Exchanges a one-time enrollment code for a device credential. A used, expired or unknown code is a
/// 400 `enrollment_code_invalid`. With `previous_credential` of a device this server has at the
/// code's point, that device is continued (new credential, revocation cleared, seq kept): the secret
/// proves the caller held it, since device ids are shown and logged. A secret that does not match is
/// a 403 `previous_credential_rejected`, another point's device (or a `current_pickup_point` other
/// than the code's, protocol 4) a 403 `forbidden`; either way the code stays unused. A device the server does not know enrolls a new device.
#[utoipa::path(
    post, path = "/v1/enroll", tag = SYNC_TAG, request_body = EnrollRequest,
    params(("x-pvz-protocol" = u32, Header, description = "Protocol version the kiosk speaks")),
    responses(
        (status = 200, body = EnrollResponse),
        (status = 400, description = "Malformed JSON, a `previous_credential` that is not a device credential, a `secret_sha256` that is not 64 lowercase hex digits, a malformed `current_pickup_point`, `enrollment_code_invalid` (unknown, used or expired code), or `server_too_old` (the kiosk's protocol is newer than this server's)", body = ApiError),
        (status = 403, description = "`previous_credential_rejected`: its secret is not its device's; or `forbidden`: its device, or the kiosk's `current_pickup_point`, is another pickup point's. The code was not used", body = ApiError),
        (status = 422, description = "Wrong field types", body = ApiError),
        (status = 426, description = "The kiosk's protocol is too old", body = ApiError),
    )
)]
pub async fn enroll<S: Storage>(
    State(state): State<AppState<S>>,
    address: ClientAddress,
    ApiJson(req): ApiJson<EnrollRequest>,
) -> Result<Json<EnrollResponse>> {
    let code_sha256 = sha256_hex(normalize_enrollment_code(&req.code).as_bytes());
    let mut keys = vec![Key::Code(code_sha256.clone())];
    keys.extend(address.0.map(Key::Address));
    state.limits.check_enroll(&keys)?;
    match enroll_device(&state, req, code_sha256).await {
        Err(
            failure @ (ServerError::EnrollmentCodeInvalid
            | ServerError::PreviousCredentialRejected
            | ServerError::Forbidden(_)),
        ) => Err(state.limits.enroll_failed(&keys, failure)),
        answer => answer,
    }
}

async fn enroll_device<S: Storage>(
    state: &AppState<S>,
    req: EnrollRequest,
    code_sha256: String,
) -> Result<Json<EnrollResponse>> {
    let device_name = req.device_name.trim();
    if device_name.is_empty() || device_name.chars().count() > 100 {
        return Err(ServerError::Unprocessable("device_name must be 1-100 characters".into()));
    }
    let previous_credential = match req.previous_credential.as_deref() {
        Some(raw) => Some(DeviceCredential::parse(raw).ok_or_else(|| {
            ServerError::BadRequest("previous_credential is not a device credential (pvzd1.<device>.<secret>)".into())
        })?),
        None => None,
    };
    let kiosk_point = match req.current_pickup_point.as_deref() {
        Some(raw) => Some(
            PickupPointId::parse(raw)
                .map_err(|e| ServerError::BadRequest(format!("current_pickup_point is not a pickup point id: {e}")))?,
        ),
        None => None,
    };
    // Protocol 4: the kiosk made the secret and sends its hash; a protocol-3 kiosk gets one made here.
    let kiosk_secret_sha256 = match req.secret_sha256.as_deref() {
        Some(raw) if raw.len() == 64 && raw.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) => {
            Some(raw.to_owned())
        }
        Some(_) => return Err(ServerError::BadRequest("secret_sha256 must be 64 lowercase hex digits".into())),
        None => None,
    };
    // Anyone may call this: a wrong code is refused from a reader, and only a usable one (or the
    // same enrollment retried) takes the writer, which checks it again atomically with using it up.
    if state.storage.find_enrollment_code(code_sha256.clone(), kiosk_secret_sha256.clone()).await?.is_none() {
        return Err(ServerError::EnrollmentCodeInvalid);
    }
    let device_id = DeviceId::parse(&uuid::Uuid::now_v7().to_string())
        .map_err(|e| ServerError::Internal(format!("device id: {e}")))?;
    let (secret, secret_sha256) = match &kiosk_secret_sha256 {
        Some(hash) => (None, hash.clone()),
        None => {
            let secret = URL_SAFE_NO_PAD.encode(random_bytes::<32>()?);
            let hash = sha256_hex(secret.as_bytes());
            (Some(secret), hash)
        }
    };
    let new = NewDevice {
        code_sha256,
        device_id,
        previous_credential,
        kiosk_point,
        device_name: device_name.to_owned(),
        secret_sha256,
        retriable: kiosk_secret_sha256.is_some(),
    };
    let (device_id, pickup_point_id, name, server_public_key) = match state.storage.enroll_device(new).await? {
        Enrolled::Device { device_id, pickup_point_id, name, continued, server_public_key } => {
            tracing::info!(device = %device_id, pickup_point = %pickup_point_id, continued, "device enrolled");
            (device_id, pickup_point_id, name, server_public_key)
        }
        Enrolled::CodeInvalid => return Err(ServerError::EnrollmentCodeInvalid),
        Enrolled::PreviousCredentialRejected => return Err(ServerError::PreviousCredentialRejected),
        Enrolled::OtherPointsDevice => {
            return Err(ServerError::Forbidden(
                "this kiosk is enrolled at another pickup point than this code's; the code was not used. Use a \
                 code of the kiosk's own pickup point"
                    .into(),
            ))
        }
    };
    Ok(Json(EnrollResponse {
        enrollment: Enrollment {
            pickup_point_id,
            pickup_point_name: name,
            device_id: device_id.clone(),
            server_public_key,
        },
        credential: secret.map(|secret| DeviceCredential { device_id, secret }.to_text()),
    }))
}
