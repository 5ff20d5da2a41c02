//! `attachments`: what a blob holding an uploaded attachment is (its type and size) and who uploaded
//! it first. The id is the blob's (the sha256 of the bytes), so uploading the same bytes again finds
//! the row already there.

use crate::db::sql::{params, Connection, OptionalExtension};
use crate::error::Result;
use pvz_protocol::AttachmentRef;

/// An attachment to record after its bytes were stored.
#[derive(Debug, Clone)]
pub struct NewAttachment<'a> {
    pub id: &'a str,
    pub content_type: &'a str,
    pub size: u64,
    /// `seller`, `buyer_front` or `operator`.
    pub uploaded_by_kind: &'a str,
    pub uploaded_by: &'a str,
}

/// Records the attachment unless it is there already (the same bytes were uploaded before: the
/// first uploader stays).
pub fn insert_attachment(conn: &Connection, new: &NewAttachment<'_>, now: &str) -> Result<()> {
    let size = i64::try_from(new.size).unwrap_or(i64::MAX);
    conn.execute(
        "INSERT INTO attachments (id, content_type, size, uploaded_by_kind, uploaded_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (id) DO NOTHING",
        params![new.id, new.content_type, size, new.uploaded_by_kind, new.uploaded_by, now],
    )?;
    Ok(())
}

pub fn get_attachment(conn: &Connection, id: &str) -> Result<Option<AttachmentRef>> {
    let found = conn
        .prepare_cached("SELECT id, content_type, size FROM attachments WHERE id = ?1")?
        .query_row([id], |r| Ok(AttachmentRef { id: r.get(0)?, content_type: r.get(1)?, size: r.get(2)? }))
        .optional()?;
    Ok(found)
}

/// Whether anything still names the attachment's blob: a message, or a counter photo stored with
/// the same bytes (the blob store keeps one copy of equal bytes, so retention must not delete it).
pub fn is_attachment_referenced(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT 1 FROM claim_message_attachments WHERE attachment_id = ?1")?.exists([id])?
        || crate::db::evidence::is_evidence(conn, id)?)
}

pub fn delete_attachment(conn: &Connection, id: &str) -> Result<()> {
    conn.execute("DELETE FROM attachments WHERE id = ?1", [id])?;
    Ok(())
}

/// Attachments no message names (and whose bytes are no counter photo), with when they were uploaded: uploads never sent, or left behind
/// by a purge of the messages that named them.
pub fn list_unreferenced_attachments(conn: &Connection) -> Result<Vec<(String, String)>> {
    let rows = conn
        .prepare(
            "SELECT a.id, a.created_at FROM attachments a
             WHERE NOT EXISTS (SELECT 1 FROM claim_message_attachments l WHERE l.attachment_id = a.id)
               AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.sha256 = a.id)
             ORDER BY a.id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<crate::db::sql::SqlResult<Vec<_>>>()?;
    Ok(rows)
}
