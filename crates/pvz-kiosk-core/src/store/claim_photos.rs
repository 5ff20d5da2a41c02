//! The index of photos of a returned item's condition, taken during a claim return; the bytes are
//! files in the evidence folder, like defect photos.

use super::StoreError;
use pvz_domain::ClaimId;
use pvz_protocol::PhotoRef;
use rusqlite::{params, Connection, Row};

pub fn insert_claim_photo(conn: &Connection, claim_id: &ClaimId, photo: &PhotoRef, at: &str) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO claim_photos (photo_id, claim_id, sha256, media_type, size_bytes, taken_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        photo.photo_id,
        claim_id.as_str(),
        photo.sha256,
        photo.media_type,
        photo.size_bytes as i64,
        at
    ])?;
    Ok(())
}

/// The claim's photos in the order they were taken.
pub fn list_claim_photos(conn: &Connection, claim_id: &ClaimId) -> Result<Vec<PhotoRef>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT photo_id, sha256, media_type, size_bytes FROM claim_photos WHERE claim_id = ?1
         ORDER BY taken_at, photo_id",
    )?;
    let rows = stmt.query_map([claim_id.as_str()], photo_ref)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A photo index row selected as `photo_id, sha256, media_type, size_bytes` (claim and receiving photos).
pub(crate) fn photo_ref(r: &Row<'_>) -> rusqlite::Result<PhotoRef> {
    Ok(PhotoRef {
        photo_id: r.get(0)?,
        sha256: r.get(1)?,
        media_type: r.get(2)?,
        size_bytes: r.get::<_, i64>(3)?.try_into().unwrap_or_default(),
    })
}
