//! The index of defect photos; the bytes are files in the evidence folder (see `evidence.rs`).

use super::StoreError;
use rusqlite::{params, Connection};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoRow {
    pub photo_id: String,
    pub order_id: String,
    pub item_id: String,
    pub sha256: String,
    pub media_type: &'static str,
    pub size_bytes: u64,
    pub taken_at: String,
}

pub fn insert_photo(conn: &Connection, photo: &PhotoRow) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO defect_photos (photo_id, order_id, item_id, sha256, media_type, size_bytes, taken_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        photo.photo_id,
        photo.order_id,
        photo.item_id,
        photo.sha256,
        photo.media_type,
        photo.size_bytes as i64,
        photo.taken_at
    ])?;
    Ok(())
}

pub fn count_photos(conn: &Connection, item_id: &str) -> Result<u32, StoreError> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM defect_photos WHERE item_id = ?1")?
        .query_row([item_id], |r| r.get(0))?)
}
