//! The courier's manifest for the counter: when a courier shows a badge, a kiosk of the courier's
//! point gets the refused items the courier is bringing back (open lines only).

use super::extract::AuthDevice;
use super::AppState;
use crate::error::{Result, ServerError};
use crate::storage::Storage;
use axum::extract::{Path, State};
use axum::Json;
use pvz_domain::EmployeeId;
use pvz_protocol::sync::ApiError;
use pvz_protocol::CourierManifest;

/// The courier's open manifest lines at the device's pickup point.
#[utoipa::path(
    get, path = "/v1/couriers/{courier_id}/manifest", security(("device_credential" = [])),
    params(
        ("courier_id" = String, Path, description = "The employee id the courier's signed badge (PVZE3, earlier PVZE2) names, as the kiosk verified it"),
        ("x-pvz-protocol" = u32, Header, description = "Protocol version the kiosk speaks"),
    ),
    responses(
        (status = 200, body = CourierManifest),
        (status = 401, description = "Missing, unknown or revoked credential", body = ApiError),
        (status = 403, description = "The courier works with another pickup point", body = ApiError),
        (status = 404, description = "No such courier, or the courier retired", body = ApiError),
        (status = 426, description = "The kiosk's protocol is too old", body = ApiError),
    )
)]
pub async fn courier_manifest<S: Storage>(
    State(state): State<AppState<S>>,
    device: AuthDevice,
    Path(raw): Path<String>,
) -> Result<Json<CourierManifest>> {
    let courier =
        EmployeeId::parse(&raw).map_err(|_| ServerError::NotFound(format!("courier {raw:.64} does not exist")))?;
    Ok(Json(state.storage.courier_manifest(device.pickup_point_id, courier).await?))
}
