//! The web page's session cookie as the extractors read it: the session it names (valid on every
//! instance: the row is in the database), and the CSRF check of a changing request. A cookie that
//! names no valid session is 401, like a wrong credential; it is not counted against the rate limits,
//! since a 256-bit token cannot be guessed.

use super::AppState;
use crate::credentials::Party;
use crate::db::sha256_hex_matches;
use crate::db::web_sessions::WebSessionRow;
use crate::error::ServerError;
use crate::storage::Storage;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, Method};
use pvz_protocol::web::{CSRF_HEADER, SESSION_COOKIE};

/// The session token of the request's `pvz_session` cookie, if it sent one.
pub fn session_token(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == SESSION_COOKIE && !value.is_empty())
        .map(|(_, value)| value.trim_matches('"'))
}

/// A request authenticated by its session cookie; a changing one (anything but GET and HEAD) has
/// shown the session's CSRF token.
#[derive(Debug, Clone)]
pub struct AuthWebSession {
    pub token: String,
    pub token_sha256: String,
    pub row: WebSessionRow,
}

impl<S: Storage> FromRequestParts<AppState<S>> for AuthWebSession {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState<S>) -> Result<Self, Self::Rejection> {
        let token = session_token(parts).ok_or(ServerError::Unauthorized)?.to_owned();
        let token_sha256 = crate::db::sha256_hex(token.as_bytes());
        let row = state.storage.find_web_session(token_sha256.clone()).await?.ok_or(ServerError::Unauthorized)?;
        if !matches!(parts.method, Method::GET | Method::HEAD) {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
            // Compared as hashes, in constant time: the answer's timing says nothing of the token.
            if !sha256_hex_matches(sent.trim().as_bytes(), &row.csrf_sha256) {
                return Err(ServerError::CsrfMismatch);
            }
        }
        Ok(AuthWebSession { token, token_sha256, row })
    }
}

/// The seller or operator of the request's session cookie (401 without a valid one; 403
/// `csrf_mismatch` for a changing request without its CSRF token).
pub async fn cookie_party<S: Storage>(parts: &mut Parts, state: &AppState<S>) -> Result<Party, ServerError> {
    let session = AuthWebSession::from_request_parts(parts, state).await?;
    let party = crate::web::session_party(&session.row)?;
    if let Party::Seller(seller) = &party {
        tracing::Span::current().record("seller", seller.as_str());
    }
    Ok(party)
}
