//! Kiosk updates: the check the kiosk's updater makes (the release it should run, or 204) and the
//! download of that release's package. What is offered is [`crate::releases::choose`]'s decision.

use super::extract::AuthDevice;
use super::AppState;
use crate::error::{Result, ServerError};
use crate::releases::{choose, Running};
use crate::storage::Storage;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use pvz_protocol::sync::{ApiError, OLDEST_SUPPORTED_PROTOCOL, PROTOCOL_VERSION};
use pvz_protocol::updates::{release_file_path, UpdateManifest};
use tower::ServiceExt;

/// The release this kiosk should run, in the updater plugin's manifest shape; 204 when none.
#[utoipa::path(
    get, path = "/v1/kiosk/update/{target}/{current_version}", security(("device_credential" = [])),
    params(
        ("target" = String, Path, description = "The updater's target and architecture, e.g. `linux-x86_64`"),
        (
            "current_version" = String, Path, description = "The version the kiosk runs (semver)",
            pattern = r"^(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})(-(0|[1-9][0-9]{0,8}|[0-9]*[A-Za-z-][0-9A-Za-z-]*)(\.(0|[1-9][0-9]{0,8}|[0-9]*[A-Za-z-][0-9A-Za-z-]*))*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$"
        ),
        ("x-pvz-protocol" = u32, Header, description = "Protocol version the kiosk speaks"),
    ),
    responses(
        (status = 200, description = "Install this release (a lower version: the running one was rolled back)", body = UpdateManifest),
        (status = 204, description = "Nothing to install"),
        (status = 400, description = "The current version is not semver", body = ApiError),
        (status = 401, description = "Missing, unknown or revoked credential", body = ApiError),
        (status = 426, description = "The kiosk's protocol is too old", body = ApiError),
    )
)]
pub async fn check_update<S: Storage>(
    State(state): State<AppState<S>>,
    device: AuthDevice,
    Path((target, current_version)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response> {
    let version = semver::Version::parse(&current_version).map_err(|_| {
        ServerError::BadRequest(format!("current_version {current_version:.64} is not a semver version"))
    })?;
    let releases = state.releases.list();
    let running = Running { device: &device.device_id, target: &target, version: &version };
    let Some(offer) = choose(&releases, &running, OLDEST_SUPPORTED_PROTOCOL..=PROTOCOL_VERSION) else {
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    let release = offer.release();
    let base = match &state.releases.public_url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => own_address(&headers)?,
    };
    tracing::info!(offered = %release.version, running = %version, "update offered");
    Ok(Json(UpdateManifest {
        version: release.version.to_string(),
        notes: release.file.notes.clone(),
        pub_date: release.file.pub_date.clone(),
        url: format!("{base}{}", release_file_path(&release.file.version, &release.file.package)),
        signature: release.signature.clone(),
    })
    .into_response())
}

/// `http(s)://<Host>` of the request, the scheme from `X-Forwarded-Proto` behind a proxy.
fn own_address(headers: &HeaderMap) -> Result<String> {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let host = text(header::HOST)
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)))
        .ok_or_else(|| ServerError::BadRequest("send a Host header, or set the server's public_url".into()))?;
    let scheme =
        if text(header::HeaderName::from_static("x-forwarded-proto")) == Some("https") { "https" } else { "http" };
    Ok(format!("{scheme}://{host}"))
}

/// A listed release's package. A rolled-back release's is refused too: a kiosk that was offered it
/// before the rollback fails its download and is offered something else at its next check.
#[utoipa::path(
    get, path = "/v1/kiosk/releases/{version}/{file}", security(("device_credential" = [])),
    params(
        ("version" = String, Path, description = "The release's version"),
        ("file" = String, Path, description = "The package's file name, as the manifest's url names it"),
        ("x-pvz-protocol" = u32, Header, description = "Protocol version the kiosk speaks"),
    ),
    responses(
        (status = 200, description = "The package", content_type = "application/vnd.debian.binary-package"),
        (status = 401, description = "Missing, unknown or revoked credential", body = ApiError),
        (status = 404, description = "No such release or file, or the release was rolled back", body = ApiError),
        (status = 426, description = "The kiosk's protocol is too old", body = ApiError),
    )
)]
pub async fn release_file<S: Storage>(
    State(state): State<AppState<S>>,
    _device: AuthDevice,
    Path((version, file)): Path<(String, String)>,
    request: Request,
) -> Result<Response> {
    let release = state
        .releases
        .find(&version)
        .filter(|r| !r.file.rolled_back && r.file.package == file)
        .ok_or_else(|| ServerError::NotFound(format!("no release {version:.32} with a package {file:.64}")))?;
    let mut served = tower_http::services::ServeFile::new(&release.package_path)
        .oneshot(request)
        .await
        .map_err(|e| ServerError::Internal(format!("serving {}: {e}", release.package_path.display())))?;
    served
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/vnd.debian.binary-package"));
    Ok(served.into_response())
}
