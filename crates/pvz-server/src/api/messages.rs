//! The claim's conversation and its attachments over HTTP, for sellers, the buyer front and
//! operators (never kiosks): upload an attachment (raw bytes), read one back, post a message, read
//! the thread a page at a time. Messages are never edited: the paths have no PUT or DELETE, so
//! those get the API's 405.

use super::claims::claim_id;
use super::extract::{ApiJson, AuthParty};
use super::AppState;
use crate::conversation;
use crate::error::{Result, ServerError};
use crate::storage::Storage;
use axum::body::{Body, Bytes};
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use pvz_protocol::sync::ApiError;
use pvz_protocol::{AttachmentRef, ClaimMessage, MessagePage, NewMessage};
use serde::Deserialize;

/// Stores a photo or document to name in a claim or a message: the raw bytes as the body, with
/// their `Content-Type`. The same bytes uploaded again answer the same id.
#[utoipa::path(
    post, path = "/v1/attachments", security(("party_credential" = [])),
    request_body(
        description = "The file's bytes",
        content((Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"), (Vec<u8> = "application/pdf")),
    ),
    responses(
        (status = 201, description = "Stored; its id is the sha256 of the bytes", body = AttachmentRef),
        (status = 400, description = "Another type, no bytes, or bytes that are not the declared type", body = ApiError),
        (status = 401, description = "Missing or unknown credential (a kiosk's included)", body = ApiError),
        (status = 413, description = "Larger than 5 MB", body = ApiError),
    )
)]
pub async fn upload_attachment<S: Storage>(
    State(state): State<AppState<S>>,
    AuthParty(party): AuthParty,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<AttachmentRef>)> {
    let bytes = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ServerError::PayloadTooLarge,
        _ => ServerError::BadRequest(rejection.body_text()),
    })?;
    let declared = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let kind = conversation::check_upload(declared, &bytes)?;
    let size = bytes.len() as u64;
    let id = state.blobs.put(bytes).await?;
    let attachment = AttachmentRef { id, content_type: kind.as_str().to_owned(), size };
    state.storage.record_attachment(attachment.clone(), party).await?;
    tracing::info!(attachment = %attachment.id, size, "attachment stored");
    Ok((StatusCode::CREATED, Json(attachment)))
}

/// An attachment's bytes, with its type.
#[utoipa::path(
    get, path = "/v1/attachments/{attachment_id}", security(("party_credential" = [])),
    params(("attachment_id" = String, Path, description = "The id the upload answered")),
    responses(
        (
            status = 200, description = "The bytes",
            content((Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"), (Vec<u8> = "application/pdf")),
        ),
        (status = 401, description = "Missing or unknown credential (a kiosk's included)", body = ApiError),
        (status = 404, description = "No such attachment", body = ApiError),
    )
)]
pub async fn get_attachment<S: Storage>(
    State(state): State<AppState<S>>,
    _party: AuthParty,
    Path(id): Path<String>,
) -> Result<Response> {
    let missing = || ServerError::NotFound(format!("attachment {id:.64} does not exist"));
    let attachment = state.storage.find_attachment(id.clone()).await?.ok_or_else(missing)?;
    let stream = state.blobs.get_stream(&attachment.id).await?.ok_or_else(missing)?;
    let content_type = HeaderValue::from_str(&attachment.content_type)
        .map_err(|_| ServerError::Internal(format!("attachment {id} has a bad stored type")))?;
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::CONTENT_LENGTH, HeaderValue::from(attachment.size)),
        // The bytes under an id never change; they are personal data, so no shared cache keeps them.
        (header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=31536000, immutable")),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    ];
    Ok((headers, Body::from_stream(stream)).into_response())
}

/// Adds a message to a claim's thread: the claim's seller writes as the seller, the buyer front
/// as the buyer, an operator as the operator.
#[utoipa::path(
    post, path = "/v1/claims/{claim_id}/messages", request_body = NewMessage, security(("party_credential" = [])),
    params(("claim_id" = String, Path, description = "The claim")),
    responses(
        (status = 201, description = "The message as sent", body = ClaimMessage),
        (status = 400, description = "No text and no attachment, text over 1000 characters, or an attachment not uploaded or over the limits", body = ApiError),
        (status = 401, description = "Missing or unknown credential (a kiosk's included)", body = ApiError),
        (status = 404, description = "No such claim (or another seller's)", body = ApiError),
        (status = 422, description = "Not a message", body = ApiError),
    )
)]
pub async fn post_message<S: Storage>(
    State(state): State<AppState<S>>,
    AuthParty(party): AuthParty,
    Path(raw): Path<String>,
    ApiJson(message): ApiJson<NewMessage>,
) -> Result<(StatusCode, Json<ClaimMessage>)> {
    let claim = claim_id(&raw)?;
    let posted = state.storage.post_claim_message(party, claim.clone(), message).await?;
    tracing::info!(%claim, seq = posted.seq, "claim message posted");
    Ok((StatusCode::CREATED, Json(posted)))
}

/// `?after=<seq>&limit=<n>` of [`list_messages`].
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The `next` of the page before (0, the default: from the first message).
    #[param(minimum = 0, maximum = 9223372036854775807_i64)]
    pub after: Option<i64>,
    /// At most this many messages (default 50; a larger ask gets 200, 0 gets 1).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 4294967295_i64)]
    pub limit: Option<u32>,
}

/// A claim's messages after `after`, oldest first.
#[utoipa::path(
    get, path = "/v1/claims/{claim_id}/messages", security(("party_credential" = [])),
    params(("claim_id" = String, Path, description = "The claim"), PageQuery),
    responses(
        (status = 200, body = MessagePage),
        (status = 400, description = "A bad `after` or `limit`", body = ApiError),
        (status = 401, description = "Missing or unknown credential (a kiosk's included)", body = ApiError),
        (status = 404, description = "No such claim (or another seller's)", body = ApiError),
    )
)]
pub async fn list_messages<S: Storage>(
    State(state): State<AppState<S>>,
    AuthParty(party): AuthParty,
    Path(raw): Path<String>,
    query: std::result::Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<MessagePage>> {
    let Query(query) = query.map_err(|rejection| ServerError::BadRequest(rejection.body_text()))?;
    let claim = claim_id(&raw)?;
    let (after, limit) = (query.after.unwrap_or(0), query.limit.unwrap_or(conversation::DEFAULT_PAGE));
    Ok(Json(state.storage.claim_messages(party, claim, after, limit).await?))
}
