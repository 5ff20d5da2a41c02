//! Request extractors and guards of the sync API: JSON bodies whose every failure is an `ApiError`,
//! the protocol-version guard, and device and seller authentication from the bearer credential (a
//! device's call is also recorded for the fleet view, when due) or, for sellers and operators, from
//! the web page's session cookie (`super::session`). A presented credential that does
//! not verify counts against its address's and holder's budgets (`super::limits`): 401, then 429.

use super::AppState;
use crate::credentials::{PartyCredential, PartyKind, SellerCredential};
use crate::db::devices::SyncSeen;
use crate::db::feed::Cursor;
use crate::db::{now_unix, sha256_hex_matches};
use crate::error::ServerError;
use crate::storage::Storage;
use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use pvz_domain::{DeviceId, PickupPointId};
use pvz_protocol::sync::{DeviceCredential, OLDEST_SUPPORTED_PROTOCOL, PROTOCOL_HEADER, PROTOCOL_VERSION};
use pvz_protocol::web::OUTBOX_WAITING_HEADER;
use serde::de::DeserializeOwned;

/// A JSON body. Bad syntax is 400, the wrong shape (including an unknown op type) 422, a body over
/// the limit 413 — each with an `ApiError` body rather than axum's plain text. A whole number written
/// with a fraction (`12.0`) is the integer JSON Schema says it is: a body refused only for that is
/// read again with such numbers as integers.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ServerError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !json_content_type(req.headers()) {
            return Err(ServerError::BadRequest("send the body as JSON with Content-Type: application/json".into()));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => ServerError::PayloadTooLarge,
            _ => ServerError::BadRequest(rejection.body_text()),
        })?;
        if let Some(tag) = numeric_tag(&bytes) {
            return Err(ServerError::Unprocessable(format!(
                "`{tag}` must be one of the names listed for it, not a number"
            )));
        }
        match axum::Json::<T>::from_bytes(&bytes) {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection @ JsonRejection::JsonDataError(_)) => {
                with_whole_numbers_as_integers(&bytes).map(ApiJson).ok_or_else(|| json_error(rejection))
            }
            Err(rejection) => Err(json_error(rejection)),
        }
    }
}

/// The names of the wire's enum tags (`{"type": "issue_opened"}`, `kind`, `action`, `decision`). serde
/// also takes a tag written as the variant's number (`"kind": 0`), which the document does not allow
/// and no client means; a request naming one by number is refused.
const TAGS: [&str; 4] = ["type", "kind", "action", "decision"];

/// The first tag written as a number; a cheap scan first, so only a body that may hold one is parsed
/// again.
fn numeric_tag(bytes: &[u8]) -> Option<&'static str> {
    fn maybe(bytes: &[u8], tag: &str) -> bool {
        let key = format!("\"{tag}\"");
        let key = key.as_bytes();
        bytes.windows(key.len()).enumerate().filter(|(_, w)| *w == key).any(|(at, _)| {
            let mut rest = bytes[at + key.len()..].iter().skip_while(|b| b.is_ascii_whitespace());
            rest.next() == Some(&b':')
                && rest.find(|b| !b.is_ascii_whitespace()).is_some_and(|b| b.is_ascii_digit() || *b == b'-')
        })
    }
    fn find(value: &serde_json::Value) -> Option<&'static str> {
        match value {
            serde_json::Value::Object(fields) => TAGS
                .into_iter()
                .find(|tag| fields.get(*tag).is_some_and(serde_json::Value::is_number))
                .or_else(|| fields.values().find_map(find)),
            serde_json::Value::Array(items) => items.iter().find_map(find),
            _ => None,
        }
    }
    if !TAGS.iter().any(|tag| maybe(bytes, tag)) {
        return None;
    }
    find(&serde_json::from_slice(bytes).ok()?)
}

/// `application/json` or `application/<anything>+json`, parameters (`; charset=utf-8`) allowed.
fn json_content_type(headers: &axum::http::HeaderMap) -> bool {
    let Some(value) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence.strip_prefix("application/").is_some_and(|sub| sub == "json" || sub.ends_with("+json"))
}

/// The body read as JSON with every whole number that has a fraction part (`3.0`, `1e3`) turned into
/// the integer it is, then as `T`; `None` when that does not make it a `T` either.
fn with_whole_numbers_as_integers<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    fn integral(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Number(n) if !n.is_i64() && !n.is_u64() => {
                // Within ±2^53 a float holds its integer exactly; beyond, it is no integer we would accept.
                const EXACT: f64 = 9_007_199_254_740_992.0;
                if let Some(f) = n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() <= EXACT) {
                    #[allow(clippy::cast_possible_truncation)]
                    let whole = f as i64;
                    *n = serde_json::Number::from(whole);
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(integral),
            serde_json::Value::Object(fields) => fields.values_mut().for_each(integral),
            _ => {}
        }
    }
    let mut value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    integral(&mut value);
    serde_json::from_value(value).ok()
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
/// ([`SUPPORTED_PROTOCOLS`]). A missing header, or one that is not a version number, is a malformed
/// request (400, naming the header), as any HTTP client expects of a missing required header. An
/// older version is 426, so an outdated kiosk is told to update; a newer one is 400 `server_too_old`,
/// so a kiosk ahead of its server is told the server needs the update, rather than getting its batch
/// refused as 422 for op types this server cannot read.
pub async fn require_protocol(req: Request, next: Next) -> Result<Response, ServerError> {
    let Some(sent) = req.headers().get(PROTOCOL_HEADER) else {
        return Err(ServerError::BadRequest(format!(
            "the X-Pvz-Protocol header is missing: send the protocol version the kiosk speaks (this server: {}-{})",
            SUPPORTED_PROTOCOLS.start(),
            SUPPORTED_PROTOCOLS.end()
        )));
    };
    let Some(version) = sent.to_str().ok().and_then(|v| v.trim().parse::<u32>().ok()) else {
        return Err(ServerError::BadRequest("the X-Pvz-Protocol header must be a protocol version number".into()));
    };
    if SUPPORTED_PROTOCOLS.contains(&version) {
        Ok(next.run(req).await)
    } else if version > *SUPPORTED_PROTOCOLS.end() {
        Err(ServerError::ServerTooOld { server: *SUPPORTED_PROTOCOLS.end(), sent: version })
    } else {
        Err(ServerError::UpgradeRequired { server: PROTOCOL_VERSION, sent: version.to_string() })
    }
}

/// The client's address as the rate limits see it (see [`super::limits::RateLimits::client_address`]).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub Option<std::net::IpAddr>);

impl<S: Storage> FromRequestParts<AppState<S>> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState<S>) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(state.limits.client_address(parts)))
    }
}

/// The credential text of `Authorization: Bearer <credential>`.
pub(super) fn bearer(parts: &Parts) -> Option<&str> {
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

/// A verification's answer, with a presented credential that did not verify counted against its
/// address and holder: 401 within their budgets, 429 past them. A missing credential is not a guess.
pub(super) fn limit_failures<T, S>(
    parts: &Parts,
    state: &AppState<S>,
    verified: Result<T, ServerError>,
) -> Result<T, ServerError> {
    match (verified, bearer(parts)) {
        (Err(ServerError::Unauthorized), Some(credential)) => {
            Err(state.limits.credential_failed(state.limits.client_address(parts), credential))
        }
        (verified, _) => verified,
    }
}

impl<S: Storage> FromRequestParts<AppState<S>> for AuthDevice {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState<S>) -> Result<Self, Self::Rejection> {
        let verified = verify_device(parts, state).await;
        limit_failures(parts, state, verified)
    }
}

async fn verify_device<S: Storage>(parts: &Parts, state: &AppState<S>) -> Result<AuthDevice, ServerError> {
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
    let mut seen = sync_seen(parts);
    // A call without the count (a claim lookup, a courier's manifest, an older kiosk) leaves the
    // last reported one standing: the fleet view shows the outbox as the kiosk last said it was.
    seen.ops_waiting = seen.ops_waiting.or(record.recorded.ops_waiting);
    if record.sync_record_due(&seen) {
        // Bookkeeping for the operator: a failure to write it must not fail the kiosk's call.
        if let Err(error) = state.storage.record_sync(record.device_id.clone(), seen).await {
            tracing::warn!(%error, "could not record the device's sync call");
        }
    }
    Ok(AuthDevice { device_id: record.device_id, pickup_point_id: record.pickup_point_id, feed_head: record.feed_head })
}

/// Longest app version kept: a User-Agent is the client's to choose.
const MAX_APP_VERSION_CHARS: usize = 64;

/// The call as the fleet view records it: now, the User-Agent's first product token (the kiosk sends
/// `pvz-kiosk/<version>`), the protocol header (already checked by [`require_protocol`]) and the
/// outbox count the kiosk reports (`x-pvz-outbox-waiting`; a value that is no count is not recorded).
fn sync_seen(parts: &Parts) -> SyncSeen {
    let text = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    let app_version = text(header::USER_AGENT.as_str())
        .and_then(|agent| agent.split_whitespace().next())
        .map(|token| token.chars().take(MAX_APP_VERSION_CHARS).collect());
    let protocol = text(PROTOCOL_HEADER).and_then(|v| v.parse().ok());
    let ops_waiting = text(OUTBOX_WAITING_HEADER).and_then(|v| v.parse::<i64>().ok()).filter(|n| *n >= 0);
    SyncSeen { at: Some(now_unix()), app_version, protocol, ops_waiting }
}

/// A seller authenticated by its API credential (`Bearer pvzs1.<seller id>.<secret>`) or by a seller's
/// web session cookie (see [`super::session`]; a changing request then needs its CSRF token).
#[derive(Debug, Clone)]
pub struct AuthSeller {
    pub seller_id: String,
}

impl<S: Storage> FromRequestParts<AppState<S>> for AuthSeller {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState<S>) -> Result<Self, Self::Rejection> {
        let Some(raw) = bearer(parts) else {
            return match super::session::cookie_party(parts, state).await? {
                Party::Seller(seller_id) => Ok(AuthSeller { seller_id }),
                _ => Err(ServerError::Unauthorized),
            };
        };
        let verified = verify_seller(raw, state).await;
        limit_failures(parts, state, verified)
    }
}

async fn verify_seller<S: Storage>(raw: &str, state: &AppState<S>) -> Result<AuthSeller, ServerError> {
    let credential = SellerCredential::parse(raw).ok_or(ServerError::Unauthorized)?;
    let stored = state.storage.find_seller_secret(credential.seller_id.clone()).await?;
    // sha256 in constant time, for the reasons given at `AuthDevice`.
    if !stored.is_some_and(|hash| sha256_hex_matches(credential.secret.as_bytes(), &hash)) {
        return Err(ServerError::Unauthorized);
    }
    tracing::Span::current().record("seller", credential.seller_id.as_str());
    Ok(AuthSeller { seller_id: credential.seller_id })
}

pub use crate::credentials::Party;

/// A party authenticated by its credential: `pvzs1.` (seller), `pvzb1.` (buyer front) or `pvzo1.`
/// (operator), or by a seller's or operator's web session cookie (see [`super::session`]). Anything
/// else, or a secret that does not match, is 401.
#[derive(Debug, Clone)]
pub struct AuthParty(pub Party);

impl<S: Storage> FromRequestParts<AppState<S>> for AuthParty {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState<S>) -> Result<Self, Self::Rejection> {
        let Some(raw) = bearer(parts) else {
            return super::session::cookie_party(parts, state).await.map(AuthParty);
        };
        let verified = verify_party(raw, state).await;
        limit_failures(parts, state, verified).map(AuthParty)
    }
}

/// The party a seller's, buyer front's or operator's credential text names, if its secret matches.
pub(super) async fn verify_party<S: Storage>(raw: &str, state: &AppState<S>) -> Result<Party, ServerError> {
    if SellerCredential::parse(raw).is_some() {
        let seller = verify_seller(raw, state).await?;
        return Ok(Party::Seller(seller.seller_id));
    }
    let credential = PartyCredential::parse(raw).ok_or(ServerError::Unauthorized)?;
    let stored = state.storage.find_api_secret(credential.kind, credential.principal.clone()).await?;
    // sha256 in constant time, for the reasons given at `AuthDevice`.
    if !stored.is_some_and(|hash| sha256_hex_matches(credential.secret.as_bytes(), &hash)) {
        return Err(ServerError::Unauthorized);
    }
    Ok(match credential.kind {
        PartyKind::BuyerFront => Party::BuyerFront(credential.principal),
        PartyKind::Operator => Party::Operator(credential.principal),
    })
}

/// Whoever reads a counter photo: a device, by its credential, or a party (seller, buyer front,
/// operator) as [`AuthParty`] authenticates it. A bearer that parses as a device credential is
/// checked as one; anything else goes to [`AuthParty`].
#[derive(Debug, Clone)]
pub enum AuthReader {
    Device(AuthDevice),
    Party(Party),
}

impl<S: Storage> FromRequestParts<AppState<S>> for AuthReader {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState<S>) -> Result<Self, Self::Rejection> {
        if bearer(parts).and_then(DeviceCredential::parse).is_some() {
            return Ok(AuthReader::Device(AuthDevice::from_request_parts(parts, state).await?));
        }
        Ok(AuthReader::Party(AuthParty::from_request_parts(parts, state).await?.0))
    }
}
