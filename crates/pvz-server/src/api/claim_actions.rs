//! Claim action handlers: any party (a seller, the buyer front, an operator) takes one of the
//! actions a claim offers it, and an operator lists the claims with its actions, those it decides now
//! first. Each parses its input, calls one storage method and maps the result.

use super::extract::{ApiJson, AuthParty, Party};
use super::AppState;
use crate::claims::ClaimActor;
use crate::error::{Result, ServerError};
use crate::storage::Storage;
use axum::extract::{Path, State};
use axum::Json;
use pvz_protocol::sync::ApiError;
use pvz_protocol::{ClaimActionRequest, ClaimStatus};

fn actor(party: Party) -> ClaimActor {
    match party {
        Party::Seller(seller) => ClaimActor::Seller(seller),
        Party::BuyerFront(_) => ClaimActor::BuyerFront,
        Party::Operator(_) => ClaimActor::Operator,
    }
}

/// One of the actions the claim lists for the caller (`actions` of its status): approve (through a
/// pickup point, to the seller, without return), reject, reconsider, change the route, confirm or
/// refuse receipt, dispute, uphold a rejection, revoke. Answers the claim after, with the caller's
/// actions then.
#[utoipa::path(
    post, path = "/v1/claims/{claim_id}/actions", request_body = ClaimActionRequest,
    security(("seller_credential" = []), ("party_credential" = [])),
    params(("claim_id" = String, Path, description = "The claim to act on")),
    responses(
        (status = 200, description = "The claim after the action, with the caller's actions now", body = ClaimStatus),
        (status = 400, description = "A field is wrong: a refund of 0 or above the price, a comment not 10-1000 characters, no seller address, a replacement without return; the message names it", body = ApiError),
        (status = 401, description = "Missing or unknown credential", body = ApiError),
        (status = 404, description = "No such claim (a seller sees only its own)", body = ApiError),
        (status = 409, description = "`action_not_available`: not among the caller's actions now (the message says why); `state_conflict`: the claim moved meanwhile", body = ApiError),
        (status = 422, description = "Not an action request", body = ApiError),
    )
)]
pub async fn act_on_claim<S: Storage>(
    State(state): State<AppState<S>>,
    AuthParty(party): AuthParty,
    Path(raw): Path<String>,
    ApiJson(request): ApiJson<ClaimActionRequest>,
) -> Result<Json<ClaimStatus>> {
    let id = super::claims::claim_id(&raw)?;
    let action = request.action();
    let (claim, point) = state.storage.act_on_claim(actor(party), id, request, state.claim_codes.clone()).await?;
    // An approval or a receipt may send the point a part or a replacement; its held pulls re-read
    // the head (a wake that finds it unchanged costs one read).
    state.held_pulls.signal.notify(&point);
    tracing::info!(claim = %claim.claim_id, ?action, state = claim.state.as_str(), "claim action");
    Ok(Json(claim))
}

/// Every claim with the operator's actions: those an operator decides now (marketplace returns under
/// review, disputes) first, then the rest; newest first within each. Operators only.
#[utoipa::path(
    get, path = "/v1/operator/claims", security(("party_credential" = [])),
    responses(
        (status = 200, body = Vec<ClaimStatus>),
        (status = 401, description = "Missing or unknown credential", body = ApiError),
        (status = 403, description = "Not an operator's credential", body = ApiError),
    )
)]
pub async fn operator_claims<S: Storage>(
    State(state): State<AppState<S>>,
    AuthParty(party): AuthParty,
) -> Result<Json<Vec<ClaimStatus>>> {
    if !matches!(party, Party::Operator(_)) {
        return Err(ServerError::Forbidden("only an operator lists every claim".into()));
    }
    Ok(Json(state.storage.operator_claims().await?))
}
