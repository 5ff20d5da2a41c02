//! The HTTP API under `/v1` (and the web page's files under `/seller/`): the route table, the layers
//! every request passes (metrics, body limit, request id, tracing), the liveness and readiness probes, `/metrics`, and the answers for unknown
//! paths and methods. Handlers sit in one module per capability (enroll, sync, claims, claim
//! actions, buyer, couriers, messages, evidence, web, kiosk updates). Paths come from `pvz_protocol::{sync, claims,
//! evidence, web}` so kiosk and server agree.

pub mod buyer;
pub mod claim_actions;
pub mod claims;
mod contract_rules;
pub mod couriers;
pub mod enroll;
pub mod evidence;
pub mod extract;
pub mod limits;
pub mod messages;
pub mod openapi;
pub mod session;
mod state;
pub mod sync;
pub mod updates;
pub mod web;
pub mod web_page;

pub use state::AppState;

use crate::error::ServerError;
use crate::storage::Storage;
use axum::extract::{DefaultBodyLimit, State};
use axum::handler::Handler;
use axum::http::Request;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{middleware, Json, Router};
use openapi::SYNC_TAG;
use pvz_protocol::claims::{
    MAX_ATTACHMENT_BYTES, PATH_ATTACHMENT, PATH_ATTACHMENTS, PATH_BUYER_CLAIMS, PATH_CLAIMS, PATH_CLAIM_ACTIONS,
    PATH_CLAIM_MESSAGES, PATH_CLAIM_STATUS, PATH_COURIER_MANIFEST, PATH_ITEM_CLAIMS, PATH_OPERATOR_CLAIMS,
    PATH_SELLER_CLAIMS, PATH_SELLER_CLAIM_DECISION,
};
use pvz_protocol::evidence::{MAX_EVIDENCE_BYTES, PATH_CLAIM_EVIDENCE, PATH_EVIDENCE, PATH_EVIDENCE_UPLOAD};
use pvz_protocol::sync::{PATH_ENROLL, PATH_HEALTH, PATH_OPENAPI, PATH_PULL, PATH_PUSH};
use pvz_protocol::updates::{PATH_KIOSK_RELEASE_FILE, PATH_KIOSK_UPDATE};
use pvz_protocol::web::{
    PATH_CLAIM_CASE, PATH_OPERATOR_ATTENTION, PATH_OPERATOR_FLEET, PATH_SELLER_BALANCE, PATH_SELLER_INBOX,
    PATH_WEB_SESSION,
};
use serde::Serialize;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// Readiness: answers 200 only while the database does (see [`ready`]).
pub const PATH_READY: &str = "/v1/ready";
/// Prometheus metrics of this instance (see [`crate::metrics`]); outside `/v1`, as scrapers expect.
pub const PATH_METRICS: &str = "/metrics";

/// The whole API, ready to serve or to call with `tower::ServiceExt::oneshot` in tests.
pub fn router<S: Storage>(state: AppState<S>) -> Router {
    let max_body = state.max_body_bytes;
    let metrics = state.metrics.clone();
    // Kiosk calls: the protocol guard runs before auth and body parsing.
    let sync = Router::new()
        .route(PATH_ENROLL, post(enroll::enroll::<S>))
        .route(PATH_PUSH, post(sync::push::<S>))
        .route(PATH_PULL, get(sync::pull::<S>))
        .route(PATH_CLAIM_STATUS, get(claims::claim_status::<S>))
        .route(PATH_ITEM_CLAIMS, get(claims::item_claims::<S>))
        .route(PATH_COURIER_MANIFEST, get(couriers::courier_manifest::<S>))
        .route(PATH_KIOSK_UPDATE, get(updates::check_update::<S>))
        .route(PATH_KIOSK_RELEASE_FILE, get(updates::release_file::<S>))
        .route_layer(middleware::from_fn(extract::require_protocol));
    // Sellers', the buyer front's and operators' calls: no kiosk protocol, their own credentials.
    let seller = Router::new()
        .route(PATH_SELLER_CLAIMS, get(claims::seller_claims::<S>))
        .route(PATH_SELLER_CLAIM_DECISION, post(claims::decide_claim::<S>))
        .route(PATH_CLAIMS, post(buyer::open_claim::<S>))
        .route(PATH_BUYER_CLAIMS, get(buyer::buyer_claims::<S>));
    // The claim's conversation: a seller's, buyer front's or operator's credential, never a kiosk's.
    // An upload is raw bytes up to its own limit, above the API's default.
    let upload_limit = DefaultBodyLimit::max(usize::try_from(MAX_ATTACHMENT_BYTES).unwrap_or(usize::MAX));
    let conversation = Router::new()
        .route(PATH_ATTACHMENTS, post(messages::upload_attachment::<S>).layer(upload_limit))
        .route(PATH_ATTACHMENT, get(messages::get_attachment::<S>))
        .route(PATH_CLAIM_MESSAGES, get(messages::list_messages::<S>).post(messages::post_message::<S>));
    // Claim actions of any party (seller, buyer front, operator): no kiosk protocol.
    let parties = Router::new()
        .route(PATH_CLAIM_ACTIONS, post(claim_actions::act_on_claim::<S>))
        .route(PATH_OPERATOR_CLAIMS, get(claim_actions::operator_claims::<S>));
    // The web page's calls: its session, and the views only it reads (a bearer credential works too).
    let web = Router::new()
        .route(PATH_WEB_SESSION, post(web::sign_in::<S>).get(web::current_session::<S>).delete(web::sign_out::<S>))
        .route(PATH_SELLER_INBOX, get(web::seller_inbox::<S>))
        .route(PATH_CLAIM_CASE, get(web::claim_case::<S>))
        .route(PATH_SELLER_BALANCE, get(web::seller_balance::<S>))
        .route(PATH_OPERATOR_ATTENTION, get(web::operator_attention::<S>))
        .route(PATH_OPERATOR_FLEET, get(web::operator_fleet::<S>));
    let page = web_page::routes(&state.web);
    // Counter photos: a kiosk's status read and upload (protocol guard, a whole photo's body limit);
    // the bytes and a claim's list for whoever may see them (a device, or a party's credential).
    let photo_limit = DefaultBodyLimit::max(usize::try_from(MAX_EVIDENCE_BYTES).unwrap_or(usize::MAX));
    let upload =
        evidence::upload_evidence::<S>.layer(photo_limit).layer(middleware::from_fn(extract::require_protocol));
    let evidence = Router::new()
        .route(
            PATH_EVIDENCE_UPLOAD,
            get(evidence::evidence_status::<S>).route_layer(middleware::from_fn(extract::require_protocol)),
        )
        .route(PATH_EVIDENCE, get(evidence::get_evidence::<S>).put(upload))
        .route(PATH_CLAIM_EVIDENCE, get(evidence::claim_evidence::<S>));
    Router::new()
        .route(PATH_HEALTH, get(health))
        .route(PATH_READY, get(ready::<S>))
        .route(PATH_METRICS, get(metrics_text::<S>))
        .route(PATH_OPENAPI, get(openapi::serve))
        .merge(sync)
        .merge(seller)
        .merge(conversation)
        .merge(parties)
        .merge(web)
        .merge(page)
        .merge(evidence)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!(
                "request",
                method = %req.method(),
                path = %req.uri().path(),
                request_id = %id,
                device = tracing::field::Empty,
                pickup_point = tracing::field::Empty,
                seller = tracing::field::Empty,
            )
        }))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        // Outermost, so a request's time includes every other layer (a 413 from the body limit too).
        .layer(middleware::from_fn_with_state(metrics, crate::metrics::track))
        .with_state(state)
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: &'static str,
}

/// Liveness; no database access, no auth, no protocol header.
#[utoipa::path(get, path = "/v1/health", tag = SYNC_TAG, responses((status = 200, body = Health)))]
pub async fn health() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// Readiness: 200 when the database answers a trivial query, 503 `unavailable` when it does not (a
/// load balancer then stops sending this instance requests). No auth, no protocol header.
#[utoipa::path(
    get, path = "/v1/ready", tag = SYNC_TAG,
    responses(
        (status = 200, description = "The database answers", body = Health),
        (status = 503, description = "The database does not answer", body = pvz_protocol::sync::ApiError),
    )
)]
pub async fn ready<S: Storage>(State(state): State<AppState<S>>) -> Result<Json<Health>, ServerError> {
    match state.storage.ping().await {
        Ok(()) => Ok(Json(Health { status: "ok" })),
        Err(error) => {
            tracing::warn!(%error, "not ready: the database does not answer");
            Err(ServerError::NotReady)
        }
    }
}

/// `GET /metrics`: this instance's counters and histograms in the Prometheus text format.
pub async fn metrics_text<S: Storage>(State(state): State<AppState<S>>) -> Response {
    crate::metrics::exposition(&state.metrics)
}

/// Any path the API does not have.
pub async fn not_found() -> ServerError {
    ServerError::NotFound("no such endpoint".into())
}

/// A known path with the wrong method.
pub async fn method_not_allowed() -> ServerError {
    ServerError::MethodNotAllowed
}
