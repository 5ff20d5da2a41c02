//! The crate's one error type, split by what a client needs to know. Over HTTP every variant becomes an
//! [`ApiError`] body with a stable code; internal details go to the log, never to the client.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use pvz_protocol::sync::{error_code, ApiError};

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The request is malformed (bad JSON, bad cursor, too many ops, seqs out of order).
    #[error("{0}")]
    BadRequest(String),
    /// Well-formed JSON with the wrong shape or an unknown op type.
    #[error("{0}")]
    Unprocessable(String),
    #[error("the request body is larger than this server accepts")]
    PayloadTooLarge,
    #[error("missing, unknown or revoked credential")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    /// A request that changes something, authenticated by a web session cookie, without the
    /// session's CSRF token in `x-csrf-token` (or with another): 403 `csrf_mismatch`.
    #[error("send the session's CSRF token in the x-csrf-token header with every request that changes something")]
    CsrfMismatch,
    /// Enrollment named a device to continue with a credential whose secret is not that device's.
    #[error(
        "the previous credential sent does not match that device's; the code was not used. Enroll \
             with the kiosk's own store, or with a fresh store as a new device"
    )]
    PreviousCredentialRejected,
    #[error("{0}")]
    NotFound(String),
    #[error("this endpoint does not accept that method")]
    MethodNotAllowed,
    #[error("this kiosk is too old, update it (server speaks protocol {server}, the kiosk sent {sent})")]
    UpgradeRequired { server: u32, sent: String },
    /// The kiosk speaks a newer protocol than this server knows: it may send ops this server cannot
    /// read, so nothing is accepted until the server is updated.
    #[error("this server is older than the kiosk; update the server (server speaks protocol {server}, the kiosk sent {sent})")]
    ServerTooOld { server: u32, sent: u32 },
    /// A seq was reused with another op id: the device's store was replaced or cloned.
    #[error("{0}")]
    SeqConflict(String),
    /// The seller (or the network) already decided this claim; a decision is made once.
    #[error("{0}")]
    ClaimAlreadyDecided(String),
    /// The row is not in the state the action needs: an admin action refused for the state it found
    /// (an issued order is not cancelled), or a guarded update (`... WHERE <state> = <expected>`)
    /// that found its row moved since it was read, by another server instance's commit. A push
    /// judges its op again on it (see [`crate::push`]); everywhere else it is the answer.
    #[error("{0}")]
    Conflict(String),
    /// 409 with its own code: a claim request the claim's state does not allow now
    /// (`item_not_claimable`, `action_not_available`, ...); the message says why.
    #[error("{message}")]
    Refused { code: &'static str, message: String },
    /// 404 `evidence_unknown`: a counter photo the caller may not upload or read, or not uploaded
    /// yet (reading): told apart from none at all by nobody.
    #[error("{0}")]
    EvidenceUnknown(String),
    /// 409 `upload_offset_mismatch`: an upload part that does not start where the held bytes end.
    #[error("{0}")]
    UploadOffsetMismatch(String),
    /// 422 `evidence_hash_mismatch`: the uploaded bytes do not hash to the photo's sha256.
    #[error("{0}")]
    EvidenceHashMismatch(String),
    /// Used, expired or unknown enrollment code. Answered with 400: the kiosk sent a wrong input;
    /// it is not a credential problem a retry with other headers could fix.
    #[error("the enrollment code is unknown, used or expired; ask for a new one")]
    EnrollmentCodeInvalid,
    /// Too many failed enrollments or credentials from this address, or for this code or device
    /// (see [`crate::api::limits`]); `Retry-After` says when to try again.
    #[error(
        "too many failed attempts from this address or for this code or device; try again in {retry_after_secs} s"
    )]
    RateLimited { retry_after_secs: u64 },
    /// The database is busy or locked; the client should retry later.
    #[error("the server is busy, try again shortly")]
    Unavailable,
    /// The readiness probe found the database not answering.
    #[error("the database does not answer; this server is not ready")]
    NotReady,
    /// Anything else that went wrong inside; the text is logged, not sent.
    #[error("internal error: {0}")]
    Internal(String),
    /// Start-up and admin problems (bad config, unreadable key file); never reach a kiosk.
    #[error("{0}")]
    Setup(String),
}

/// `ApiError` code of [`ServerError::ServerTooOld`] (not yet in `pvz_protocol::sync::error_code`).
pub const SERVER_TOO_OLD: &str = "server_too_old";
/// `ApiError` code of [`ServerError::CsrfMismatch`].
pub const CSRF_MISMATCH: &str = "csrf_mismatch";
/// `ApiError` code of [`ServerError::Conflict`] (not yet in `pvz_protocol::sync::error_code`).
pub const STATE_CONFLICT: &str = "state_conflict";

pub type Result<T, E = ServerError> = std::result::Result<T, E>;

impl ServerError {
    pub fn status(&self) -> StatusCode {
        match self {
            ServerError::BadRequest(_) | ServerError::EnrollmentCodeInvalid | ServerError::ServerTooOld { .. } => {
                StatusCode::BAD_REQUEST
            }
            ServerError::Unprocessable(_) | ServerError::EvidenceHashMismatch(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ServerError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ServerError::Unauthorized => StatusCode::UNAUTHORIZED,
            ServerError::Forbidden(_) | ServerError::PreviousCredentialRejected | ServerError::CsrfMismatch => {
                StatusCode::FORBIDDEN
            }
            ServerError::NotFound(_) | ServerError::EvidenceUnknown(_) => StatusCode::NOT_FOUND,
            ServerError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ServerError::UpgradeRequired { .. } => StatusCode::UPGRADE_REQUIRED,
            ServerError::SeqConflict(_)
            | ServerError::ClaimAlreadyDecided(_)
            | ServerError::Conflict(_)
            | ServerError::Refused { .. }
            | ServerError::UploadOffsetMismatch(_) => StatusCode::CONFLICT,
            ServerError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ServerError::Unavailable | ServerError::NotReady => StatusCode::SERVICE_UNAVAILABLE,
            ServerError::Internal(_) | ServerError::Setup(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn to_api_error(&self) -> ApiError {
        let code = match self {
            ServerError::BadRequest(_) | ServerError::Unprocessable(_) | ServerError::MethodNotAllowed => {
                error_code::BAD_REQUEST
            }
            ServerError::PayloadTooLarge => error_code::PAYLOAD_TOO_LARGE,
            ServerError::Unauthorized => error_code::UNAUTHORIZED,
            ServerError::Forbidden(_) => error_code::FORBIDDEN,
            ServerError::CsrfMismatch => CSRF_MISMATCH,
            ServerError::PreviousCredentialRejected => error_code::PREVIOUS_CREDENTIAL_REJECTED,
            ServerError::NotFound(_) => error_code::NOT_FOUND,
            ServerError::UpgradeRequired { .. } => error_code::UPGRADE_REQUIRED,
            ServerError::ServerTooOld { .. } => SERVER_TOO_OLD,
            ServerError::SeqConflict(_) => error_code::SEQ_CONFLICT,
            ServerError::ClaimAlreadyDecided(_) => error_code::CLAIM_ALREADY_DECIDED,
            ServerError::Conflict(_) => STATE_CONFLICT,
            ServerError::Refused { code, .. } => code,
            ServerError::EvidenceUnknown(_) => error_code::EVIDENCE_UNKNOWN,
            ServerError::UploadOffsetMismatch(_) => error_code::UPLOAD_OFFSET_MISMATCH,
            ServerError::EvidenceHashMismatch(_) => error_code::EVIDENCE_HASH_MISMATCH,
            ServerError::EnrollmentCodeInvalid => error_code::ENROLLMENT_CODE_INVALID,
            ServerError::RateLimited { .. } => error_code::RATE_LIMITED,
            ServerError::Unavailable | ServerError::NotReady => error_code::UNAVAILABLE,
            ServerError::Internal(_) | ServerError::Setup(_) => error_code::INTERNAL,
        };
        let message = match self {
            ServerError::Internal(_) | ServerError::Setup(_) => "something went wrong on the server".to_owned(),
            other => other.to_string(),
        };
        ApiError { code: code.to_owned(), message }
    }
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        if matches!(self, ServerError::Internal(_) | ServerError::Setup(_) | ServerError::Unavailable) {
            tracing::error!(error = %self, "request failed inside the server");
        }
        let retry_after = match self {
            // The database is busy or down; nothing was applied. Kiosks back off at least this long.
            ServerError::Unavailable => Some(axum::http::HeaderValue::from_static("2")),
            ServerError::RateLimited { retry_after_secs } => Some(axum::http::HeaderValue::from(retry_after_secs)),
            _ => None,
        };
        let mut response = (self.status(), Json(self.to_api_error())).into_response();
        if let Some(value) = retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, value);
        }
        response
    }
}

impl From<rusqlite::Error> for ServerError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => ServerError::Unavailable,
            _ => ServerError::Internal(format!("database: {e}")),
        }
    }
}

impl From<rusqlite_migration::Error> for ServerError {
    fn from(e: rusqlite_migration::Error) -> Self {
        ServerError::Setup(format!("database migration failed: {e}"))
    }
}

impl From<serde_json::Error> for ServerError {
    fn from(e: serde_json::Error) -> Self {
        ServerError::Internal(format!("json: {e}"))
    }
}

impl From<tokio::task::JoinError> for ServerError {
    fn from(e: tokio::task::JoinError) -> Self {
        ServerError::Internal(format!("blocking task: {e}"))
    }
}
