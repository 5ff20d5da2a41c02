//! The seller and operator web page's server side (`pvz_protocol::web`): its sessions, and the views
//! it reads that no other client needs (the seller's inbox and balance, a claim's whole case, the
//! operator's attention list and fleet). Pure reads over `crate::db`; the HTTP layer is
//! `crate::api::web`.
//!
//! A session is a random 256-bit token in an HttpOnly cookie, kept in the database only as its
//! sha256, so every instance honours it and a copy of the table signs nobody in. Its CSRF token is
//! derived from the session token (sha256 of a tag and the token): the page gets it from the sign-in
//! or from `GET /v1/web/session` after a reload, and a cross-site page, which cannot read the cookie,
//! cannot compute it. The row keeps the CSRF token's sha256, which changing requests are checked against.

pub mod balance;
pub mod case;
pub mod fleet;
pub mod inbox;

use crate::credentials::Party;
use crate::db::web_sessions::WebSessionRow;
use crate::db::{now_unix, sha256_hex};
use crate::error::{Result, ServerError};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use pvz_protocol::web::{WebParty, WebSession};

/// How long a session lasts from sign-in: a working day; then the seller signs in again.
pub const SESSION_TTL_SECS: i64 = 12 * 3600;

/// A session just made: the token for the cookie (never stored) and the row to store.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub token_sha256: String,
    pub row: WebSessionRow,
    pub created_at: i64,
}

/// A fresh session for a seller or an operator; a buyer front has none (it calls with its bearer
/// credential from its own servers).
pub fn new_session(party: &Party) -> Result<NewSession> {
    let (party_text, principal) = match party {
        Party::Seller(id) => ("seller", id),
        Party::Operator(name) => ("operator", name),
        Party::BuyerFront(_) => {
            return Err(ServerError::Forbidden(
                "the buyer front calls the API with its bearer credential; it has no web session".into(),
            ))
        }
    };
    let token = URL_SAFE_NO_PAD.encode(crate::keys::random_bytes::<32>()?);
    let created_at = now_unix();
    let row = WebSessionRow {
        party: party_text.to_owned(),
        principal: principal.clone(),
        csrf_sha256: sha256_hex(csrf_token(&token).as_bytes()),
        expires_at: created_at + SESSION_TTL_SECS,
    };
    Ok(NewSession { token_sha256: sha256_hex(token.as_bytes()), token, row, created_at })
}

/// The CSRF token of a session token: what the page sends back in `x-csrf-token`.
pub fn csrf_token(session_token: &str) -> String {
    sha256_hex(format!("pvz-web-csrf\0{session_token}").as_bytes())
}

/// The party a stored session is.
pub fn session_party(row: &WebSessionRow) -> Result<Party> {
    match row.party.as_str() {
        "seller" => Ok(Party::Seller(row.principal.clone())),
        "operator" => Ok(Party::Operator(row.principal.clone())),
        other => Err(ServerError::Internal(format!("a web session of party {other:?}"))),
    }
}

/// The session as the page sees it, for the holder of `token`.
pub fn session_view(token: &str, row: &WebSessionRow) -> Result<WebSession> {
    let party = match session_party(row)? {
        Party::Seller(_) => WebParty::Seller,
        _ => WebParty::Operator,
    };
    Ok(WebSession {
        party,
        name: row.principal.clone(),
        csrf_token: csrf_token(token),
        expires_at: rfc3339(row.expires_at),
    })
}

/// Unix seconds as RFC 3339 UTC.
pub fn rfc3339(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0).unwrap_or_default().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_stores_only_hashes_and_its_csrf_token_follows_from_the_cookie() {
        let made = new_session(&Party::Seller("s-1".into())).expect("a seller's session");
        assert_eq!(made.token.len(), 43, "256 random bits, base64url");
        assert_eq!(made.token_sha256, sha256_hex(made.token.as_bytes()), "the row is keyed by the token's hash");
        assert!(!made.row.csrf_sha256.contains(&made.token), "the row holds no token");
        let view = session_view(&made.token, &made.row).expect("view");
        assert_eq!(
            sha256_hex(view.csrf_token.as_bytes()),
            made.row.csrf_sha256,
            "the CSRF token checks against the row"
        );
        assert_ne!(view.csrf_token, made.token, "the CSRF token is not the session token");
        let other = new_session(&Party::Seller("s-1".into())).expect("another session");
        assert_ne!(other.token, made.token, "each sign-in gets its own token");
        assert!(
            matches!(new_session(&Party::BuyerFront("front".into())), Err(ServerError::Forbidden(_))),
            "the buyer front gets no session"
        );
    }
}
