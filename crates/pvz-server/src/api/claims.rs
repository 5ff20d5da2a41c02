//! Claim handlers: a kiosk asks a claim's current state (its return code alone is verified offline,
//! and only the buyer has it: a device never reads it from here),
//! and a seller lists and decides its own claims. Each parses its input, calls one storage method
//! and maps the result.

use super::extract::{ApiJson, AuthDevice, AuthSeller};
use super::AppState;
use crate::error::{Result, ServerError};
use crate::storage::Storage;
use axum::extract::{Path, State};
use axum::Json;
use pvz_domain::{ClaimId, ItemId};
use pvz_protocol::sync::ApiError;
use pvz_protocol::{ClaimStatus, SellerDecision};

/// An id that cannot be a claim's is a claim the server does not have.
pub(super) fn claim_id(raw: &str) -> Result<ClaimId> {
    ClaimId::parse(raw).map_err(|_| ServerError::NotFound(format!("claim {raw:.64} does not exist")))
}

/// The claim's state now, for a kiosk of any pickup point (a buyer may return an item anywhere).
///
/// Its decision, item fate and deadline, never its return code (protocol 4): the code is the
/// buyer's proof of bringing the item, and a device that could read it could make any claim pay.
#[utoipa::path(
    get, path = "/v1/claims/{claim_id}", security(("device_credential" = [])),
    params(
        ("claim_id" = String, Path, description = "The claim id the claim return code names"),
        ("x-pvz-protocol" = u32, Header, description = "Protocol version the kiosk speaks"),
    ),
    responses(
        (status = 200, body = ClaimStatus),
        (status = 401, description = "Missing, unknown or revoked credential", body = ApiError),
        (status = 404, description = "The server has no such claim", body = ApiError),
        (status = 426, description = "The kiosk's protocol is too old", body = ApiError),
    )
)]
pub async fn claim_status<S: Storage>(
    State(state): State<AppState<S>>,
    _device: AuthDevice,
    Path(raw): Path<String>,
) -> Result<Json<ClaimStatus>> {
    let id = claim_id(&raw)?;
    let status = state.storage.claim_status(id.clone()).await?;
    let status = status.ok_or_else(|| ServerError::NotFound(format!("claim {id} does not exist")))?;
    Ok(Json(ClaimStatus { return_code: None, ..status }))
}

/// The claims on an item of the device's own point, newest first, as [`claim_status`] shows each
/// (no return code): a refund without return has no code to scan, so this is how the counter sees
/// the decision. Another point's item is answered as one the server lacks.
#[utoipa::path(
    get, path = "/v1/items/{item_id}/claims", security(("device_credential" = [])),
    params(
        ("item_id" = String, Path, description = "An item of an order at the device's pickup point"),
        ("x-pvz-protocol" = u32, Header, description = "Protocol version the kiosk speaks"),
    ),
    responses(
        (status = 200, description = "The item's claims, newest first (empty: none)", body = Vec<ClaimStatus>),
        (status = 401, description = "Missing, unknown or revoked credential", body = ApiError),
        (status = 404, description = "No such item at the device's pickup point", body = ApiError),
        (status = 426, description = "The kiosk's protocol is too old", body = ApiError),
    )
)]
pub async fn item_claims<S: Storage>(
    State(state): State<AppState<S>>,
    device: AuthDevice,
    Path(raw): Path<String>,
) -> Result<Json<Vec<ClaimStatus>>> {
    let missing = || ServerError::NotFound(format!("item {raw:.64} does not exist at this pickup point"));
    let item = ItemId::parse(&raw).map_err(|_| missing())?;
    let claims = state.storage.item_claims(device.pickup_point_id, item).await?.ok_or_else(missing)?;
    Ok(Json(claims.into_iter().map(|status| ClaimStatus { return_code: None, ..status }).collect()))
}

/// The seller's claims, newest first.
#[utoipa::path(
    get, path = "/v1/seller/claims", security(("seller_credential" = [])),
    responses(
        (status = 200, body = Vec<ClaimStatus>),
        (status = 401, description = "Missing or unknown seller credential", body = ApiError),
    )
)]
pub async fn seller_claims<S: Storage>(
    State(state): State<AppState<S>>,
    seller: AuthSeller,
) -> Result<Json<Vec<ClaimStatus>>> {
    Ok(Json(state.storage.seller_claims(seller.seller_id).await?))
}

/// The seller approves (with a refund, a replacement or a missing part) or rejects one of its open
/// claims. Approval with a refund or a replacement issues the claim return code; with a missing
/// part, the part's delivery to the buyer's pickup point.
#[utoipa::path(
    post, path = "/v1/seller/claims/{claim_id}/decision", request_body = SellerDecision,
    security(("seller_credential" = [])),
    params(("claim_id" = String, Path, description = "One of this seller's claims")),
    responses(
        (status = 200, description = "The claim as decided", body = ClaimStatus),
        (status = 400, description = "A refund of 0 or above the item's price, or an empty reason or part", body = ApiError),
        (status = 401, description = "Missing or unknown seller credential", body = ApiError),
        (status = 404, description = "No such claim of this seller", body = ApiError),
        (status = 409, description = "`claim_already_decided`: the claim is no longer open", body = ApiError),
        (status = 422, description = "Not a decision", body = ApiError),
    )
)]
pub async fn decide_claim<S: Storage>(
    State(state): State<AppState<S>>,
    seller: AuthSeller,
    Path(raw): Path<String>,
    ApiJson(decision): ApiJson<SellerDecision>,
) -> Result<Json<ClaimStatus>> {
    let id = claim_id(&raw)?;
    let (decided, point) =
        state.storage.decide_claim(seller.seller_id, id, decision, state.claim_codes.clone()).await?;
    // An approval may send the point a part or replacement; its held pulls re-read the head.
    state.held_pulls.signal.notify(&point);
    tracing::info!(claim = %decided.claim_id, state = decided.state.as_str(), "claim decided by its seller");
    Ok(Json(decided))
}
