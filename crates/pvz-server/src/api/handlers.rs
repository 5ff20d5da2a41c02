//! The sync API's handlers: each parses its input, calls one storage method and maps the result.

use super::extract::{ApiJson, AuthDevice};
use super::AppState;
use crate::db::feed::Cursor;
use crate::db::sha256_hex;
use crate::error::{Result, ServerError};
use crate::keys::random_bytes;
use crate::push::Pusher;
use crate::storage::{Enrolled, NewDevice, Storage};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use pvz_domain::DeviceId;
use pvz_protocol::sync::{
    ApiError, DeviceCredential, EnrollRequest, EnrollResponse, PushRequest, PushResponse, MAX_PULL_LIMIT, MAX_PUSH_OPS,
};
use pvz_protocol::{Enrollment, PullPage};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: &'static str,
}

/// Liveness; no database access, no auth, no protocol header.
#[utoipa::path(get, path = "/v1/health", responses((status = 200, body = Health)))]
pub async fn health() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// Exchanges a one-time enrollment code for a device credential. A used, expired or unknown code is a
/// 400 `enrollment_code_invalid`. With `previous_credential` of a device this server has at the
/// code's point, that device is continued (new credential, revocation cleared, seq kept): the secret
/// proves the caller held it, since device ids are shown and logged. A secret that does not match is
/// a 403 `previous_credential_rejected`, another point's device a 403 `forbidden`; either way the code
/// stays unused. A device the server does not know enrolls a new device.
#[utoipa::path(
    post, path = "/v1/enroll", request_body = EnrollRequest,
    params(("x-pvz-protocol" = u32, Header, description = "Protocol version the kiosk speaks")),
    responses(
        (status = 200, body = EnrollResponse),
        (status = 400, description = "Malformed JSON, a `previous_credential` that is not a device credential, `enrollment_code_invalid` (unknown, used or expired code), or `server_too_old` (the kiosk's protocol is newer than this server's)", body = ApiError),
        (status = 403, description = "`previous_credential_rejected`: its secret is not its device's; or `forbidden`: its device is another pickup point's. The code was not used", body = ApiError),
        (status = 422, description = "Wrong field types", body = ApiError),
        (status = 426, description = "The kiosk's protocol is too old", body = ApiError),
    )
)]
pub async fn enroll<S: Storage>(
    State(state): State<AppState<S>>,
    ApiJson(req): ApiJson<EnrollRequest>,
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
    let code_sha256 = sha256_hex(crate::credentials::normalize_enrollment_code(&req.code).as_bytes());
    // Anyone may call this: a wrong code is refused from a reader, and only a usable one takes the
    // writer (which checks it again, atomically with using it up).
    if state.storage.find_enrollment_code(code_sha256.clone()).await?.is_none() {
        return Err(ServerError::EnrollmentCodeInvalid);
    }
    let device_id = DeviceId::parse(&uuid::Uuid::now_v7().to_string())
        .map_err(|e| ServerError::Internal(format!("device id: {e}")))?;
    let secret = URL_SAFE_NO_PAD.encode(random_bytes::<32>()?);
    let new = NewDevice {
        code_sha256,
        device_id,
        previous_credential,
        device_name: device_name.to_owned(),
        secret_sha256: sha256_hex(secret.as_bytes()),
    };
    let (device_id, pickup_point_id, name) = match state.storage.enroll_device(new).await? {
        Enrolled::Device { device_id, pickup_point_id, name, continued } => {
            tracing::info!(device = %device_id, pickup_point = %pickup_point_id, continued, "device enrolled");
            (device_id, pickup_point_id, name)
        }
        Enrolled::CodeInvalid => return Err(ServerError::EnrollmentCodeInvalid),
        Enrolled::PreviousCredentialRejected => return Err(ServerError::PreviousCredentialRejected),
        Enrolled::OtherPointsDevice => {
            return Err(ServerError::Forbidden(
                "this kiosk's device is enrolled at another pickup point than this code's; the code was not \
                 used. Use a code of the kiosk's own pickup point"
                    .into(),
            ))
        }
    };
    Ok(Json(EnrollResponse {
        enrollment: Enrollment {
            pickup_point_id,
            pickup_point_name: name,
            device_id: device_id.clone(),
            server_public_key: state.public_key.clone(),
        },
        credential: DeviceCredential { device_id, secret }.to_text(),
    }))
}

/// Applies the device's ops in seq order; see `db::push` for the guarantees.
#[utoipa::path(
    post, path = "/v1/sync/push", request_body = PushRequest, security(("device_credential" = [])),
    params(("x-pvz-protocol" = u32, Header, description = "Protocol version the kiosk speaks")),
    responses(
        (status = 200, description = "Results of the ops handled, and a gap if one stopped the batch", body = PushResponse),
        (status = 400, description = "Malformed JSON, too many ops, seqs not strictly ascending, or `server_too_old`", body = ApiError),
        (status = 401, description = "Missing, unknown or revoked credential", body = ApiError),
        (status = 403, description = "An op names another pickup point's order; nothing applied", body = ApiError),
        (status = 409, description = "`seq_conflict`: a seq reused with another op id", body = ApiError),
        (status = 413, description = "Body over the limit", body = ApiError),
        (status = 422, description = "Wrong field types or an unknown op type", body = ApiError),
        (status = 426, description = "The kiosk's protocol is too old", body = ApiError),
        (status = 503, description = "Busy; retry later, nothing of the batch was kept", body = ApiError),
    )
)]
pub async fn push<S: Storage>(
    State(state): State<AppState<S>>,
    device: AuthDevice,
    ApiJson(req): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>> {
    if req.ops.len() > MAX_PUSH_OPS {
        return Err(ServerError::BadRequest(format!(
            "a push carries at most {MAX_PUSH_OPS} ops, this one has {}",
            req.ops.len()
        )));
    }
    if let Some(op) = req.ops.iter().find(|op| op.seq < 1) {
        return Err(ServerError::BadRequest(format!("seq starts at 1, got {}", op.seq)));
    }
    if let Some(pair) = req.ops.windows(2).find(|w| w[1].seq <= w[0].seq) {
        return Err(ServerError::BadRequest(format!(
            "ops must be in strictly ascending seq order; seq {} follows {}",
            pair[1].seq, pair[0].seq
        )));
    }
    let who = Pusher { device_id: device.device_id, pickup_point_id: device.pickup_point_id };
    let response = state.storage.push(who, req.ops).await?;
    tracing::debug!(handled = response.results.len(), last_seq = response.last_seq, gap = ?response.gap, "push");
    Ok(Json(response))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PullQuery {
    /// From the previous page; absent on the first pull.
    pub cursor: Option<String>,
    /// Changes per page; default 500, at most 2000.
    pub limit: Option<u32>,
    /// Must be the device's own pickup point if given.
    pub pickup_point: Option<String>,
}

pub const DEFAULT_PULL_LIMIT: u32 = 500;

/// One page of the device's pickup point feed after `cursor` (`<epoch>.<version>`).
#[utoipa::path(
    get, path = "/v1/sync/pull", params(PullQuery,
        ("x-pvz-protocol" = u32, Header, description = "Protocol version the kiosk speaks")),
    security(("device_credential" = [])),
    responses(
        (status = 200, body = PullPage),
        (status = 400, description = "Malformed cursor or query, or `server_too_old`", body = ApiError),
        (status = 401, description = "Missing, unknown or revoked credential", body = ApiError),
        (status = 403, description = "`pickup_point` is not the device's own", body = ApiError),
        (status = 426, description = "The kiosk's protocol is too old", body = ApiError),
    )
)]
pub async fn pull<S: Storage>(
    State(state): State<AppState<S>>,
    device: AuthDevice,
    query: std::result::Result<Query<PullQuery>, QueryRejection>,
) -> Result<Json<PullPage>> {
    let Query(query) = query.map_err(|e| ServerError::BadRequest(e.body_text()))?;
    if let Some(point) = &query.pickup_point {
        if point != device.pickup_point_id.as_str() {
            return Err(ServerError::Forbidden("this device may pull only its own pickup point".into()));
        }
    }
    let cursor = match query.cursor.as_deref().filter(|c| !c.is_empty()) {
        Some(raw) => Some(Cursor::parse(raw).ok_or_else(|| {
            ServerError::BadRequest("the cursor is malformed; send back the one a pull returned".into())
        })?),
        None => None,
    };
    // The idle kiosk's poll: already at the head read with the device row, so answer without a
    // second trip to the database. A change committed after that read shows on the next poll.
    if cursor == Some(device.feed_head) {
        let page = PullPage {
            cursor: device.feed_head.to_text(),
            has_more: false,
            reset: false,
            remaining: 0,
            changes: vec![],
        };
        return Ok(Json(page));
    }
    let limit = query.limit.unwrap_or(DEFAULT_PULL_LIMIT).clamp(1, MAX_PULL_LIMIT);
    Ok(Json(state.storage.pull(device.pickup_point_id, cursor, limit).await?))
}

/// Any path the API does not have.
pub async fn not_found() -> ServerError {
    ServerError::NotFound("no such endpoint".into())
}

/// A known path with the wrong method.
pub async fn method_not_allowed() -> ServerError {
    ServerError::MethodNotAllowed
}
