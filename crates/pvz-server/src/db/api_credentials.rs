//! `api_credentials`: the buyer front's and the operator's API credentials, one per kind and name,
//! stored as sha256 of a 256-bit random secret (like a seller's). Issuing a new one replaces it.

use crate::credentials::PartyKind;
use crate::db::sql::{params, Connection, OptionalExtension};
use crate::error::Result;

/// Stores the credential, replacing an earlier one of the same kind and name (which stops working).
pub fn upsert_api_credential(
    conn: &Connection,
    kind: PartyKind,
    principal: &str,
    secret_sha256: &str,
    now: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO api_credentials (kind, principal, secret_sha256, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (kind, principal) DO UPDATE SET secret_sha256 = excluded.secret_sha256,
             created_at = excluded.created_at",
        params![kind.as_str(), principal, secret_sha256, now],
    )?;
    Ok(())
}

/// The sha256 of the current secret; `None` when there is no such credential.
pub fn get_api_secret_hash(conn: &Connection, kind: PartyKind, principal: &str) -> Result<Option<String>> {
    let hash = conn
        .prepare_cached("SELECT secret_sha256 FROM api_credentials WHERE kind = ?1 AND principal = ?2")?
        .query_row(params![kind.as_str(), principal], |r| r.get(0))
        .optional()?;
    Ok(hash)
}
