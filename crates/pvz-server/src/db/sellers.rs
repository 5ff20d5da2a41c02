//! `sellers` and `seller_credentials`: who sells, and the one API credential each seller holds,
//! stored as sha256 of its 256-bit random secret (like a device's). Issuing a new one replaces it.

use crate::db::sql::{params, Connection, OptionalExtension};
use crate::error::Result;

pub fn seller_exists(conn: &Connection, seller_id: &str) -> Result<bool> {
    let found: Option<i64> =
        conn.query_row("SELECT 1 FROM sellers WHERE id = ?1", [seller_id], |r| r.get(0)).optional()?;
    Ok(found.is_some())
}

/// Stores the seller's credential, replacing any earlier one (which stops working).
pub fn upsert_seller_credential(conn: &Connection, seller_id: &str, secret_sha256: &str, now: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO seller_credentials (seller_id, secret_sha256, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (seller_id) DO UPDATE SET secret_sha256 = excluded.secret_sha256, created_at = excluded.created_at",
        params![seller_id, secret_sha256, now],
    )?;
    Ok(())
}

/// The sha256 of the seller's current secret; `None` when the seller has no credential.
pub fn get_seller_secret_hash(conn: &Connection, seller_id: &str) -> Result<Option<String>> {
    let hash = conn
        .prepare_cached("SELECT secret_sha256 FROM seller_credentials WHERE seller_id = ?1")?
        .query_row([seller_id], |r| r.get(0))
        .optional()?;
    Ok(hash)
}
