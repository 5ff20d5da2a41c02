//! Request extractors and guards of the sync API: JSON bodies whose every failure is an `ApiError`,
//! the protocol-version guard, and device and seller authentication from the bearer credential (a
//! device's call is also recorded for the fleet view, when due).

use super::AppState;
use crate::credentials::{PartyCredential, PartyKind, SellerCredential};
use crate::db::devices::SyncSeen;
use crate::db::feed::Cursor;
use crate::db::{now_unix, sha256_hex_matches};
use crate::error::ServerError;
use crate::storage::Storage;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use pvz_domain::{DeviceId, PickupPointId};
use pvz_protocol::sync::{DeviceCredential, OLDEST_SUPPORTED_PROTOCOL, PROTOCOL_HEADER, PROTOCOL_VERSION};
use serde::de::DeserializeOwned;

/// A JSON body. Bad syntax is 400, the wrong shape (including an unknown op type) 422, a body over
/// the limit 413 — each with an `ApiError` body rather than axum's plain text.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ServerError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_error(rejection)),
        }
    }
}

fn json_error(rejection: JsonRejection) -> ServerError {
    match rejection {
        JsonRejection::JsonDataError(e) => ServerError::Unprocessable(e.body_text()),
        JsonRejection::JsonSyntaxError(e) => ServerError::BadRequest(e.body_text()),
        JsonRejection::MissingJsonContentType(_) => {
            ServerError::BadRequest("send the body as JSON with Content-Type: application/json".into())
        }
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => ServerError::PayloadTooLarge,
        other => ServerError::BadRequest(other.body_text()),
    }
}

/// The protocol versions this server reads. A newer one may carry op types it cannot parse.
pub const SUPPORTED_PROTOCOLS: std::ops::RangeInclusive<u32> = OLDEST_SUPPORTED_PROTOCOL..=PROTOCOL_VERSION;

/// Route guard: enroll, push and pull need an `X-Pvz-Protocol` this server knows
/// ([`SUPPORTED_PROTOCOLS`]). An older or missing one is 426, so an outdated kiosk is told to update;
/// a newer one is 400 `server_too_old`, so a kiosk ahead of its server is told the server needs the
/// update, rather than getting its batch refused as 422 for op types this server cannot read.
pub async fn require_protocol(req: Request, next: Next) -> Result<Response, ServerError> {
    let sent = req.headers().get(PROTOCOL_HEADER).map(|v| v.to_str().unwrap_or("?").trim());
    match sent.map(str::parse::<u32>) {
        Some(Ok(v)) if SUPPORTED_PROTOCOLS.contains(&v) => Ok(next.run(req).await),
        Some(Ok(v)) if v > *SUPPORTED_PROTOCOLS.end() => {
            Err(ServerError::ServerTooOld { server: *SUPPORTED_PROTOCOLS.end(), sent: v })
        }
        _ => Err(ServerError::UpgradeRequired { server: PROTOCOL_VERSION, sent: sent.unwrap_or("none").to_owned() }),
    }
}

/// The credential text of `Authorization: Bearer <credential>`.
fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    Some(value.strip_prefix("Bearer ")?.trim())
}

/// An authenticated, unrevoked device.
#[derive(Debug, Clone)]
pub struct AuthDevice {
    pub device_id: DeviceId,
    pub pickup_point_id: PickupPointId,
    /// The point's feed position, read with the device row.
    pub feed_head: Cursor,
}

impl<S: Storage> FromRequestParts<AppState<S>> for AuthDevice {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState<S>) -> Result<Self, Self::Rejection> {
        let credential = bearer(parts).and_then(DeviceCredential::parse).ok_or(ServerError::Unauthorized)?;
        let record = state.storage.find_device(credential.device_id).await?.ok_or(ServerError::Unauthorized)?;
        // sha256, not argon2: the secret is 256 random bits, so it cannot be guessed or brute-forced
        // from its hash; a slow hash would only make every sync call expensive. The comparison is
        // constant-time so response timing says nothing about the stored hash.
        let matches = sha256_hex_matches(credential.secret.as_bytes(), &record.secret_sha256);
        if !matches || record.revoked {
            return Err(ServerError::Unauthorized);
        }
        let span = tracing::Span::current();
        span.record("device", record.device_id.as_str());
        span.record("pickup_point", record.pickup_point_id.as_str());
        let seen = sync_seen(parts);
        if record.sync_record_due(&seen) {
            // Bookkeeping for the operator: a failure to write it must not fail the kiosk's call.
            if let Err(error) = state.storage.record_sync(record.device_id.clone(), seen).await {
                tracing::warn!(%error, "could not record the device's sync call");
            }
        }
        Ok(AuthDevice {
            device_id: record.device_id,
            pickup_point_id: record.pickup_point_id,
            feed_head: record.feed_head,
        })
    }
}

/// Longest app version kept: a User-Agent is the client's to choose.
const MAX_APP_VERSION_CHARS: usize = 64;

/// The call as the fleet view records it: now, the User-Agent's first product token (the kiosk sends
/// `pvz-kiosk/<version>`) and the protocol header (already checked by [`require_protocol`]).
fn sync_seen(parts: &Parts) -> SyncSeen {
    let text = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    let app_version = text(header::USER_AGENT.as_str())
        .and_then(|agent| agent.split_whitespace().next())
        .map(|token| token.chars().take(MAX_APP_VERSION_CHARS).collect());
    let protocol = text(PROTOCOL_HEADER).and_then(|v| v.parse().ok());
    SyncSeen { at: Some(now_unix()), app_version, protocol }
}

/// A seller authenticated by its API credential (`Bearer pvzs1.<seller id>.<secret>`).
#[derive(Debug, Clone)]
pub struct AuthSeller {
    pub seller_id: String,
}

impl<S: Storage> FromRequestParts<AppState<S>> for AuthSeller {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState<S>) -> Result<Self, Self::Rejection> {
        let credential = bearer(parts).and_then(SellerCredential::parse).ok_or(ServerError::Unauthorized)?;
        let stored = state.storage.find_seller_secret(credential.seller_id.clone()).await?;
        // sha256 in constant time, for the reasons given at `AuthDevice`.
        if !stored.is_some_and(|hash| sha256_hex_matches(credential.secret.as_bytes(), &hash)) {
            return Err(ServerError::Unauthorized);
        }
        tracing::Span::current().record("seller", credential.seller_id.as_str());
        Ok(AuthSeller { seller_id: credential.seller_id })
    }
}

pub use crate::credentials::Party;

/// A party authenticated by its credential: `pvzs1.` (seller), `pvzb1.` (buyer front) or `pvzo1.`
/// (operator). Anything else, or a secret that does not match, is 401.
#[derive(Debug, Clone)]
pub struct AuthParty(pub Party);

impl<S: Storage> FromRequestParts<AppState<S>> for AuthParty {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState<S>) -> Result<Self, Self::Rejection> {
        let raw = bearer(parts).ok_or(ServerError::Unauthorized)?;
        if SellerCredential::parse(raw).is_some() {
            let seller = AuthSeller::from_request_parts(parts, state).await?;
            return Ok(AuthParty(Party::Seller(seller.seller_id)));
        }
        let credential = PartyCredential::parse(raw).ok_or(ServerError::Unauthorized)?;
        let stored = state.storage.find_api_secret(credential.kind, credential.principal.clone()).await?;
        // sha256 in constant time, for the reasons given at `AuthDevice`.
        if !stored.is_some_and(|hash| sha256_hex_matches(credential.secret.as_bytes(), &hash)) {
            return Err(ServerError::Unauthorized);
        }
        let party = match credential.kind {
            PartyKind::BuyerFront => Party::BuyerFront(credential.principal),
            PartyKind::Operator => Party::Operator(credential.principal),
        };
        Ok(AuthParty(party))
    }
}
