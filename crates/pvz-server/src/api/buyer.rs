//! The buyer front's calls: a buyer opens a claim about an item of theirs, and lists their claims.
//! Only a buyer-front credential (`pvzb1.`) may make them; the front names the buyer in each.

use super::extract::{ApiJson, AuthParty, Party};
use super::AppState;
use crate::error::{Result, ServerError};
use crate::storage::Storage;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use pvz_protocol::claims::MAX_CLAIM_PHOTOS;
use pvz_protocol::sync::ApiError;
use pvz_protocol::{ClaimStatus, NewClaimRequest};
use serde::Deserialize;

/// The buyer front's name, or 403 for any other party.
fn buyer_front(party: AuthParty) -> Result<String> {
    match party.0 {
        Party::BuyerFront(name) => Ok(name),
        Party::Seller(_) | Party::Operator(_) => {
            Err(ServerError::Forbidden("only the buyer front opens and lists buyers' claims".into()))
        }
    }
}

/// A buyer's claim about an item of theirs that was issued and handed over. Within 14 local days
/// of payment it is a marketplace return the operator decides (`decided_by: operator`); after that
/// the seller decides it.
#[utoipa::path(
    post, path = "/v1/claims", request_body = NewClaimRequest, security(("buyer_front_credential" = [])),
    responses(
        (status = 201, description = "The claim as opened", body = ClaimStatus),
        (status = 400, description = "An empty or too long description, or more than 10 photos", body = ApiError),
        (status = 401, description = "Missing or unknown credential", body = ApiError),
        (status = 403, description = "Not a buyer-front credential", body = ApiError),
        (status = 404, description = "The buyer has no such item in that order", body = ApiError),
        (status = 409, description = "`item_not_claimable`: refused at the counter, never arrived, not issued, or under a standing claim", body = ApiError),
        (status = 422, description = "Not a claim", body = ApiError),
    )
)]
pub async fn open_claim<S: Storage>(
    State(state): State<AppState<S>>,
    party: AuthParty,
    ApiJson(request): ApiJson<NewClaimRequest>,
) -> Result<(StatusCode, Json<ClaimStatus>)> {
    let front = buyer_front(party)?;
    if request.photos.len() > MAX_CLAIM_PHOTOS {
        return Err(ServerError::BadRequest(format!(
            "a claim has at most {MAX_CLAIM_PHOTOS} photos, {} were sent",
            request.photos.len()
        )));
    }
    let claim = state.storage.open_buyer_claim(front, request).await?;
    Ok((StatusCode::CREATED, Json(claim)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BuyerQuery {
    /// The buyer whose claims to list.
    pub buyer_id: String,
}

/// The buyer's claims, newest first.
#[utoipa::path(
    get, path = "/v1/buyer/claims", params(BuyerQuery), security(("buyer_front_credential" = [])),
    responses(
        (status = 200, body = Vec<ClaimStatus>),
        (status = 400, description = "No buyer named", body = ApiError),
        (status = 401, description = "Missing or unknown credential", body = ApiError),
        (status = 403, description = "Not a buyer-front credential", body = ApiError),
    )
)]
pub async fn buyer_claims<S: Storage>(
    State(state): State<AppState<S>>,
    party: AuthParty,
    query: std::result::Result<Query<BuyerQuery>, QueryRejection>,
) -> Result<Json<Vec<ClaimStatus>>> {
    buyer_front(party)?;
    let Ok(Query(query)) = query else {
        return Err(ServerError::BadRequest("name the buyer: ?buyer_id=<id>".into()));
    };
    Ok(Json(state.storage.buyer_claims(query.buyer_id).await?))
}
