//! The kiosk's sync calls: push its ops, pull its point's feed. Each checks what the HTTP layer can
//! (batch size and seq order, cursor and point), calls one storage method and maps the result. A
//! push that applied ops wakes the point's held pulls; a pull that is up to date may be held (see
//! `pvz_protocol::sync::PATH_PULL`).

use super::extract::{ApiJson, AuthDevice};
use super::openapi::SYNC_TAG;
use super::AppState;
use crate::db::feed::Cursor;
use crate::error::{Result, ServerError};
use crate::push::Pusher;
use crate::storage::Storage;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use pvz_protocol::sync::{
    ApiError, EnvelopeOp, OpOutcome, PushEnvelope, PushRequest, PushResponse, MAX_PULL_LIMIT, MAX_PUSH_OPS,
};
use pvz_protocol::PullPage;
use serde::Deserialize;
use std::time::Duration;

/// Applies the device's ops in seq order; see `db::push` for the guarantees.
// The line above is the operation's summary in the committed openapi.json, so it keeps naming
// `db::push`, which is `crate::push` now.
#[utoipa::path(
    post, path = "/v1/sync/push", tag = SYNC_TAG, request_body = PushRequest, security(("device_credential" = [])),
    params(("x-pvz-protocol" = u32, Header, description = "Protocol version the kiosk speaks")),
    responses(
        (status = 200, description = "Results of the ops handled, and a gap if one stopped the batch", body = PushResponse),
        (status = 400, description = "Malformed JSON, too many ops, seqs not strictly ascending, or `server_too_old`", body = ApiError),
        (status = 401, description = "Missing, unknown or revoked credential", body = ApiError),
        (status = 409, description = "`seq_conflict`: a seq reused with another op id", body = ApiError),
        (status = 413, description = "Body over the limit", body = ApiError),
        (status = 422, description = "The envelope's own fields are missing or mistyped (`ops`, an op's `seq` or `op_id`); an op whose other fields do not parse is rejected `invalid_input` alone", body = ApiError),
        (status = 426, description = "The kiosk's protocol is too old", body = ApiError),
        (status = 503, description = "Busy; retry later, nothing of the batch was kept", body = ApiError),
    )
)]
pub async fn push<S: Storage>(
    State(state): State<AppState<S>>,
    device: AuthDevice,
    ApiJson(req): ApiJson<PushEnvelope>,
) -> Result<Json<PushResponse>> {
    if req.ops.len() > MAX_PUSH_OPS {
        return Err(ServerError::BadRequest(format!(
            "a push carries at most {MAX_PUSH_OPS} ops, this one has {}",
            req.ops.len()
        )));
    }
    if let Some(op) = req.ops.iter().find(|op| op.seq < 1) {
        return Err(ServerError::BadRequest(format!("seq starts at 1, got {}", op.seq)));
    }
    if let Some(pair) = req.ops.windows(2).find(|w| w[1].seq <= w[0].seq) {
        return Err(ServerError::BadRequest(format!(
            "ops must be in strictly ascending seq order; seq {} follows {}",
            pair[1].seq, pair[0].seq
        )));
    }
    let point = device.pickup_point_id.clone();
    let who = Pusher {
        device_id: device.device_id,
        pickup_point_id: device.pickup_point_id,
        kiosk_now: req.now,
        arrived_unix: crate::db::now_unix(),
    };
    // Each op on its own: one that does not parse is that op's rejection, not the request's.
    let ops = req.ops.into_iter().map(EnvelopeOp::read).collect();
    let pushed = state.storage.push(who, ops).await?;
    state.metrics.record_push(&pushed.response, pushed.posted);
    let response = pushed.response;
    // Committed: the point's other kiosks, if holding a pull, re-read the head. Not every applied op
    // moves the feed; a wake that finds the head unchanged costs one read.
    if response.results.iter().any(|r| matches!(r.outcome, OpOutcome::Applied)) {
        state.held_pulls.signal.notify(&point);
    }
    tracing::debug!(handled = response.results.len(), last_seq = response.last_seq, gap = ?response.gap, "push");
    Ok(Json(response))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PullQuery {
    /// From the previous page (`<epoch>.<version>`); absent (or empty) on the first pull.
    #[param(pattern = r"^([0-9]{1,18}\.[0-9]{1,18})?$")]
    pub cursor: Option<String>,
    /// Changes per page; default 500. A larger ask gets 2000, 0 gets 1.
    #[param(value_type = Option<i64>, minimum = 0, maximum = 4294967295_i64)]
    pub limit: Option<u32>,
    /// Must be the device's own pickup point if given.
    pub pickup_point: Option<String>,
    /// Seconds to hold the answer when nothing follows `cursor`, until the point's feed moves; at
    /// most the page's `max_wait_seconds` (a longer wait is cut to it). Absent or 0: answer at once.
    #[param(value_type = Option<i64>, minimum = 0, maximum = 4294967295_i64)]
    pub wait: Option<u32>,
}

pub const DEFAULT_PULL_LIMIT: u32 = 500;

/// One page of the device's pickup point feed after `cursor` (`<epoch>.<version>`); with `wait`, held
/// while there is nothing after it.
#[utoipa::path(
    get, path = "/v1/sync/pull", tag = SYNC_TAG, params(PullQuery,
        ("x-pvz-protocol" = u32, Header, description = "Protocol version the kiosk speaks")),
    security(("device_credential" = [])),
    responses(
        (status = 200, body = PullPage),
        (status = 400, description = "Malformed cursor or query, or `server_too_old`", body = ApiError),
        (status = 401, description = "Missing, unknown or revoked credential", body = ApiError),
        (status = 403, description = "`pickup_point` is not the device's own", body = ApiError),
        (status = 426, description = "The kiosk's protocol is too old", body = ApiError),
    )
)]
pub async fn pull<S: Storage>(
    State(state): State<AppState<S>>,
    device: AuthDevice,
    query: std::result::Result<Query<PullQuery>, QueryRejection>,
) -> Result<Json<PullPage>> {
    let Query(query) = query.map_err(|e| ServerError::BadRequest(e.body_text()))?;
    if let Some(point) = &query.pickup_point {
        if point != device.pickup_point_id.as_str() {
            return Err(ServerError::Forbidden("this device may pull only its own pickup point".into()));
        }
    }
    let cursor = match query.cursor.as_deref().filter(|c| !c.is_empty()) {
        Some(raw) => Some(Cursor::parse(raw).ok_or_else(|| {
            ServerError::BadRequest("the cursor is malformed; send back the one a pull returned".into())
        })?),
        None => None,
    };
    let max_wait_seconds = u32::try_from(state.held_pulls.max_wait.as_secs()).unwrap_or(u32::MAX);
    // The idle kiosk's poll: already at the head read with the device row, so answer without a
    // second trip to the database. A change committed after that read shows on the next poll, or
    // ends the wait of a held one.
    if cursor == Some(device.feed_head) {
        let wait = Duration::from_secs(u64::from(query.wait.unwrap_or(0)));
        let moved = state.held_pulls.wait(&device.pickup_point_id, device.feed_head, wait).await?;
        if moved.is_none() {
            let page = PullPage {
                cursor: device.feed_head.to_text(),
                has_more: false,
                reset: false,
                remaining: 0,
                changes: vec![],
                max_wait_seconds,
            };
            state.metrics.record_pull_page();
            return Ok(Json(page));
        }
    }
    let limit = query.limit.unwrap_or(DEFAULT_PULL_LIMIT).clamp(1, MAX_PULL_LIMIT);
    let page = state.storage.pull(device.pickup_point_id, cursor, limit).await?;
    state.metrics.record_pull_page();
    Ok(Json(PullPage { max_wait_seconds, ..page }))
}
