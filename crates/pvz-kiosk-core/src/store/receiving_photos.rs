//! The index of photos of items that arrived damaged; the bytes are files in the evidence folder,
//! like defect photos.

use super::StoreError;
use pvz_domain::ItemId;
use pvz_protocol::PhotoRef;
use rusqlite::{params, Connection};

pub fn insert_receiving_photo(
    conn: &Connection,
    receiving_id: &str,
    item_id: &ItemId,
    photo: &PhotoRef,
    at: &str,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO receiving_photos (photo_id, receiving_id, item_id, sha256, media_type, size_bytes, taken_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        photo.photo_id,
        receiving_id,
        item_id.as_str(),
        photo.sha256,
        photo.media_type,
        photo.size_bytes as i64,
        at
    ])?;
    Ok(())
}

/// The item's photos in this session, in the order they were taken.
pub fn list_receiving_photos(
    conn: &Connection,
    receiving_id: &str,
    item_id: &ItemId,
) -> Result<Vec<PhotoRef>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT photo_id, sha256, media_type, size_bytes FROM receiving_photos
         WHERE receiving_id = ?1 AND item_id = ?2 ORDER BY taken_at, photo_id",
    )?;
    let rows = stmt.query_map(params![receiving_id, item_id.as_str()], super::claim_photos::photo_ref)?;
    Ok(rows.collect::<Result<_, _>>()?)
}
