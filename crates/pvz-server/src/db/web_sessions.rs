//! `web_sessions`: the web page's sign-ins (see `crate::web`). A row is keyed by the sha256 of the
//! session token the cookie carries and holds the sha256 of its CSRF token, so neither secret can be
//! read back from the database. A session counts only until it expires or is ended; ended and
//! expired rows are never revived, only deleted.

use crate::db::sql::{params, Connection, OptionalExtension};
use crate::error::Result;

/// A session row as authentication needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSessionRow {
    /// `seller` or `operator`.
    pub party: String,
    /// The seller's id or the operator's name.
    pub principal: String,
    pub csrf_sha256: String,
    /// Unix seconds.
    pub expires_at: i64,
}

pub fn insert_web_session(
    conn: &Connection,
    token_sha256: &str,
    session: &WebSessionRow,
    created_at: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO web_sessions (token_sha256, party, principal, csrf_sha256, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        token_sha256,
        session.party,
        session.principal,
        session.csrf_sha256,
        created_at,
        session.expires_at
    ])?;
    Ok(())
}

/// The session of this token hash if it is still valid at `now` (unix seconds): not ended, not expired.
pub fn get_live_web_session(conn: &Connection, token_sha256: &str, now: i64) -> Result<Option<WebSessionRow>> {
    let row = conn
        .prepare_cached(
            "SELECT party, principal, csrf_sha256, expires_at FROM web_sessions
             WHERE token_sha256 = ?1 AND ended_at IS NULL AND expires_at > ?2",
        )?
        .query_row(params![token_sha256, now], |r| {
            Ok(WebSessionRow { party: r.get(0)?, principal: r.get(1)?, csrf_sha256: r.get(2)?, expires_at: r.get(3)? })
        })
        .optional()?;
    Ok(row)
}

/// Ends the session (sign-out); an ended or unknown one stays as it is.
pub fn end_web_session(conn: &Connection, token_sha256: &str, now: i64) -> Result<()> {
    conn.prepare_cached("UPDATE web_sessions SET ended_at = ?2 WHERE token_sha256 = ?1 AND ended_at IS NULL")?
        .execute(params![token_sha256, now])?;
    Ok(())
}

/// Deletes sessions that expired before `before` (unix seconds; an ended one expires too); answers
/// how many.
pub fn delete_expired_web_sessions(conn: &Connection, before: i64) -> Result<usize> {
    let deleted = conn.prepare_cached("DELETE FROM web_sessions WHERE expires_at < ?1")?.execute(params![before])?;
    Ok(deleted)
}

/// Ends every live session of `party`'s `principal` (its credential was replaced: whoever held the
/// old one is signed out too); answers how many.
pub fn end_web_sessions_of(conn: &Connection, party: &str, principal: &str, now: i64) -> Result<usize> {
    let ended = conn
        .prepare_cached(
            "UPDATE web_sessions SET ended_at = ?3 WHERE party = ?1 AND principal = ?2 AND ended_at IS NULL",
        )?
        .execute(params![party, principal, now])?;
    Ok(ended)
}
