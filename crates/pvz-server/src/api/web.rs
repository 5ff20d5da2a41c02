//! The web page's endpoints (`pvz_protocol::web`): signing in and out (a seller's or operator's
//! credential exchanged for an HttpOnly session cookie), the seller's inbox and balance, a claim's
//! whole case, and the operator's attention list and fleet. Each parses its input, calls one storage
//! method and maps the result; the session cookie is read by `super::session`.

use super::extract::{verify_party, ApiJson, AuthParty, AuthSeller, ClientAddress, Party};
use super::session::AuthWebSession;
use super::AppState;
use crate::claims::ClaimActor;
use crate::credentials::PartyCredential;
use crate::error::{Result, ServerError};
use crate::storage::Storage;
use crate::web::{self, fleet::DEFAULT_ATTENTION_LIMIT, SESSION_TTL_SECS};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use pvz_protocol::sync::{ApiError, DeviceCredential};
use pvz_protocol::web::{
    ClaimCase, ClaimInbox, FleetDevice, InboxFilter, RejectedOp, SellerBalance, WebSession, WebSignIn, SESSION_COOKIE,
};
use serde::Deserialize;

/// The `Set-Cookie` of a session: HttpOnly (no script reads it), SameSite=Strict (no other site's
/// request carries it), for the whole origin, and Secure when the page came over https.
fn session_cookie(token: &str, max_age: i64, secure: bool) -> Result<HeaderValue> {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}"
    ))
    .map_err(|e| ServerError::Internal(format!("session cookie: {e}")))
}

/// Whether the request came over https: the config says so (a TLS-terminating proxy in front), or
/// the proxy's `X-Forwarded-Proto` does.
fn over_https<S>(state: &AppState<S>, headers: &HeaderMap) -> bool {
    let forwarded = headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok());
    state.web.secure_cookies || forwarded.is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
}

/// A session answer: never cached by the browser or a proxy (it carries the CSRF token).
fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Signs a seller or an operator in: the credential is checked as a bearer credential would be (a
/// wrong one counts against the rate limits) and exchanged for a session cookie; the body never
/// carries the credential or the session token.
#[utoipa::path(
    post, path = "/v1/web/session", request_body = WebSignIn,
    responses(
        (status = 200, description = "Signed in: `Set-Cookie: pvz_session=…; HttpOnly; SameSite=Strict; Path=/` (and `Secure` over https); the body's `csrf_token` goes in `x-csrf-token` on every changing request", body = WebSession,
         headers(("set-cookie" = String, description = "The session cookie"))),
        (status = 400, description = "Not JSON", body = ApiError),
        (status = 401, description = "The credential is unknown or its secret does not match", body = ApiError),
        (status = 403, description = "A device's or the buyer front's credential: only sellers and operators sign in to the web page", body = ApiError),
        (status = 422, description = "Not a sign-in", body = ApiError),
        (status = 429, description = "`rate_limited`: too many wrong credentials from this address or for this holder; `Retry-After` says when to try again", body = ApiError),
    )
)]
pub async fn sign_in<S: Storage>(
    State(state): State<AppState<S>>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    ApiJson(body): ApiJson<WebSignIn>,
) -> Result<Response> {
    let raw = body.credential.trim();
    if DeviceCredential::parse(raw).is_some() {
        return Err(ServerError::Forbidden("a kiosk's credential does not sign in to the web page".into()));
    }
    if PartyCredential::parse(raw).is_some_and(|c| c.kind == crate::credentials::PartyKind::BuyerFront) {
        return Err(ServerError::Forbidden(
            "the buyer front's credential does not sign in to the web page: sign in as a seller or an operator".into(),
        ));
    }
    let party = match verify_party(raw, &state).await {
        Err(ServerError::Unauthorized) => return Err(state.limits.credential_failed(address, raw)),
        other => other?,
    };
    let session = web::new_session(&party)?;
    let view = web::session_view(&session.token, &session.row)?;
    let cookie = session_cookie(&session.token, SESSION_TTL_SECS, over_https(&state, &headers))?;
    state.storage.create_web_session(session).await?;
    tracing::info!(party = ?view.party, name = %view.name, "web session started");
    Ok(no_store(([(header::SET_COOKIE, cookie)], Json(view)).into_response()))
}

/// The current session (the page asks after a reload: its CSRF token lives only in memory).
#[utoipa::path(
    get, path = "/v1/web/session", security(("session_cookie" = [])),
    responses(
        (status = 200, body = WebSession),
        (status = 401, description = "No valid session cookie (never signed in, signed out or expired)", body = ApiError),
    )
)]
pub async fn current_session<S: Storage>(
    State(_state): State<AppState<S>>,
    session: AuthWebSession,
) -> Result<Response> {
    Ok(no_store(Json(web::session_view(&session.token, &session.row)?).into_response()))
}

/// Signs out: the session ends on every instance and the cookie is cleared.
#[utoipa::path(
    delete, path = "/v1/web/session", security(("session_cookie" = [])),
    params(("x-csrf-token" = String, Header, description = "The session's `csrf_token`")),
    responses(
        (status = 204, description = "Signed out; the cookie is cleared", headers(("set-cookie" = String, description = "The cleared cookie"))),
        (status = 401, description = "No valid session cookie", body = ApiError),
        (status = 403, description = "`csrf_mismatch`: the x-csrf-token header is missing or not this session's", body = ApiError),
    )
)]
pub async fn sign_out<S: Storage>(
    State(state): State<AppState<S>>,
    headers: HeaderMap,
    session: AuthWebSession,
) -> Result<Response> {
    state.storage.end_web_session(session.token_sha256).await?;
    let cleared = session_cookie("", 0, over_https(&state, &headers))?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cleared)]).into_response())
}

/// `?filter=` of [`seller_inbox`].
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboxQuery {
    /// The folder to list (default `new`).
    pub filter: Option<InboxFilter>,
}

/// The seller's claims of one folder, newest first, with the seller's actions, and every folder's
/// count. Folders: `new` under review; `awaiting_item` approved with the item still to come back;
/// `disputed`; `decided` decided or ended within 30 days; `archive` older.
#[utoipa::path(
    get, path = "/v1/seller/inbox", params(InboxQuery),
    security(("seller_credential" = []), ("session_cookie" = [])),
    responses(
        (status = 200, body = ClaimInbox),
        (status = 400, description = "`filter` is not a folder", body = ApiError),
        (status = 401, description = "Missing or unknown seller credential or session", body = ApiError),
    )
)]
pub async fn seller_inbox<S: Storage>(
    State(state): State<AppState<S>>,
    seller: AuthSeller,
    query: std::result::Result<Query<InboxQuery>, QueryRejection>,
) -> Result<Json<ClaimInbox>> {
    let Query(query) = query.map_err(|rejection| ServerError::BadRequest(rejection.body_text()))?;
    let filter = query.filter.unwrap_or(InboxFilter::New);
    Ok(Json(state.storage.seller_inbox(seller.seller_id, filter).await?))
}

/// A claim's whole case: the claim with the caller's actions, the item and order, the buyer's
/// photos and the counters' events with the item. The claim's seller or any operator.
#[utoipa::path(
    get, path = "/v1/claims/{claim_id}/case", security(("party_credential" = []), ("session_cookie" = [])),
    params(("claim_id" = String, Path, description = "The claim")),
    responses(
        (status = 200, body = ClaimCase),
        (status = 401, description = "Missing or unknown credential or session", body = ApiError),
        (status = 403, description = "The buyer front's credential: it reads claims through its own endpoints", body = ApiError),
        (status = 404, description = "No such claim (or another seller's)", body = ApiError),
    )
)]
pub async fn claim_case<S: Storage>(
    State(state): State<AppState<S>>,
    AuthParty(party): AuthParty,
    Path(raw): Path<String>,
) -> Result<Json<ClaimCase>> {
    let viewer = match party {
        Party::Seller(seller) => ClaimActor::Seller(seller),
        Party::Operator(_) => ClaimActor::Operator,
        Party::BuyerFront(_) => {
            return Err(ServerError::Forbidden("the buyer front reads a buyer's claims at /v1/buyer/claims".into()))
        }
    };
    let id = super::claims::claim_id(&raw)?;
    Ok(Json(state.storage.claim_case(viewer, id).await?))
}

/// The seller's balance over its whole ledger account, and its latest lines (at most 500), newest
/// first, each naming its claim and order when the ledger knows them.
#[utoipa::path(
    get, path = "/v1/seller/balance", security(("seller_credential" = []), ("session_cookie" = [])),
    responses(
        (status = 200, body = SellerBalance),
        (status = 401, description = "Missing or unknown seller credential or session", body = ApiError),
    )
)]
pub async fn seller_balance<S: Storage>(
    State(state): State<AppState<S>>,
    seller: AuthSeller,
) -> Result<Json<SellerBalance>> {
    Ok(Json(state.storage.seller_balance(seller.seller_id).await?))
}

/// `?limit=` of [`operator_attention`].
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttentionQuery {
    /// At most this many ops (default 200; a larger ask gets 1000, 0 gets 1).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 4294967295_i64)]
    pub limit: Option<u32>,
}

fn require_operator(party: &Party) -> Result<()> {
    match party {
        Party::Operator(_) => Ok(()),
        _ => Err(ServerError::Forbidden("only an operator sees the whole network".into())),
    }
}

/// Ops the server rejected, across points, the latest received first, with their reasons: the
/// network-wide attention list. Operators only.
#[utoipa::path(
    get, path = "/v1/operator/attention", params(AttentionQuery),
    security(("party_credential" = []), ("session_cookie" = [])),
    responses(
        (status = 200, body = Vec<RejectedOp>),
        (status = 400, description = "A bad `limit`", body = ApiError),
        (status = 401, description = "Missing or unknown credential or session", body = ApiError),
        (status = 403, description = "Not an operator", body = ApiError),
    )
)]
pub async fn operator_attention<S: Storage>(
    State(state): State<AppState<S>>,
    AuthParty(party): AuthParty,
    query: std::result::Result<Query<AttentionQuery>, QueryRejection>,
) -> Result<Json<Vec<RejectedOp>>> {
    require_operator(&party)?;
    let Query(query) = query.map_err(|rejection| ServerError::BadRequest(rejection.body_text()))?;
    Ok(Json(state.storage.rejected_ops(query.limit.unwrap_or(DEFAULT_ATTENTION_LIMIT)).await?))
}

/// Every device with its last recorded sync, app version, ops waiting as it last reported them and
/// clock offset, by point then name. Operators only.
#[utoipa::path(
    get, path = "/v1/operator/fleet", security(("party_credential" = []), ("session_cookie" = [])),
    responses(
        (status = 200, body = Vec<FleetDevice>),
        (status = 401, description = "Missing or unknown credential or session", body = ApiError),
        (status = 403, description = "Not an operator", body = ApiError),
    )
)]
pub async fn operator_fleet<S: Storage>(
    State(state): State<AppState<S>>,
    AuthParty(party): AuthParty,
) -> Result<Json<Vec<FleetDevice>>> {
    require_operator(&party)?;
    Ok(Json(state.storage.fleet().await?))
}
