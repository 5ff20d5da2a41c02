//! `claim_messages` and `claim_message_attachments`: a claim's conversation, numbered from 1 in
//! the order it was written, each message with its attachments in the order they were named.
//! Messages are only ever added; retention deletes a finished claim's whole thread.

use crate::db::sql::{params, Connection, OptionalExtension, Row, SqlError, SqlResult};
use crate::error::Result;
use pvz_domain::ClaimId;
use pvz_protocol::{AttachmentRef, MessageAuthor};

/// A message as stored, before its attachments are joined to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRow {
    pub seq: i64,
    pub author: MessageAuthor,
    pub author_name: String,
    pub text: String,
    pub created_at: String,
}

/// The column text of an author.
pub fn author_text(author: MessageAuthor) -> &'static str {
    match author {
        MessageAuthor::Buyer => "buyer",
        MessageAuthor::Seller => "seller",
        MessageAuthor::Operator => "operator",
    }
}

fn parse_author(raw: &str) -> Option<MessageAuthor> {
    match raw {
        "buyer" => Some(MessageAuthor::Buyer),
        "seller" => Some(MessageAuthor::Seller),
        "operator" => Some(MessageAuthor::Operator),
        _ => None,
    }
}

/// The claim's seller, read by an `UPDATE` that changes nothing but takes the claim row's write
/// lock (portable: SQLite and PostgreSQL both accept it), so two messages posted at once to one
/// claim take their seqs one after the other. `None`: no such claim.
pub fn lock_claim_thread(conn: &Connection, claim: &ClaimId) -> Result<Option<String>> {
    let seller = conn
        .prepare_cached("UPDATE claims SET seller_id = seller_id WHERE id = ?1 RETURNING seller_id")?
        .query_row([claim.as_str()], |r| r.get(0))
        .optional()?;
    Ok(seller)
}

/// The seq the claim's next message gets; call it after [`lock_claim_thread`] in the same transaction.
pub fn next_message_seq(conn: &Connection, claim: &ClaimId) -> Result<i64> {
    let last: i64 = conn
        .prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM claim_messages WHERE claim_id = ?1")?
        .query_row([claim.as_str()], |r| r.get(0))?;
    Ok(last + 1)
}

pub fn insert_message(conn: &Connection, claim: &ClaimId, message: &MessageRow) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO claim_messages (claim_id, seq, author, author_name, text, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        claim.as_str(),
        message.seq,
        author_text(message.author),
        message.author_name,
        message.text,
        message.created_at
    ])?;
    Ok(())
}

pub fn insert_message_attachment(
    conn: &Connection,
    claim: &ClaimId,
    seq: i64,
    position: i64,
    attachment_id: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO claim_message_attachments (claim_id, seq, position, attachment_id) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![claim.as_str(), seq, position, attachment_id])?;
    Ok(())
}

fn message_row(r: &Row<'_>) -> SqlResult<MessageRow> {
    let author: String = r.get(1)?;
    Ok(MessageRow {
        seq: r.get(0)?,
        author: parse_author(&author).ok_or_else(|| SqlError::bad_column(1, "message author".to_owned()))?,
        author_name: r.get(2)?,
        text: r.get(3)?,
        created_at: r.get(4)?,
    })
}

/// At most `limit` of the claim's messages after seq `after`, oldest first.
pub fn list_messages(conn: &Connection, claim: &ClaimId, after: i64, limit: i64) -> Result<Vec<MessageRow>> {
    let rows = conn
        .prepare_cached(
            "SELECT seq, author, author_name, text, created_at FROM claim_messages
             WHERE claim_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
        )?
        .query_map(params![claim.as_str(), after, limit], message_row)?
        .collect::<SqlResult<Vec<_>>>()?;
    Ok(rows)
}

/// The attachments of the claim's messages with seqs `from..=to`, as `(seq, attachment)` in
/// message and then naming order.
pub fn list_message_attachments(
    conn: &Connection,
    claim: &ClaimId,
    from: i64,
    to: i64,
) -> Result<Vec<(i64, AttachmentRef)>> {
    let rows = conn
        .prepare_cached(
            "SELECT l.seq, a.id, a.content_type, a.size
             FROM claim_message_attachments l JOIN attachments a ON a.id = l.attachment_id
             WHERE l.claim_id = ?1 AND l.seq >= ?2 AND l.seq <= ?3
             ORDER BY l.seq, l.position",
        )?
        .query_map(params![claim.as_str(), from, to], |r| {
            Ok((r.get(0)?, AttachmentRef { id: r.get(1)?, content_type: r.get(2)?, size: r.get(3)? }))
        })?
        .collect::<SqlResult<Vec<_>>>()?;
    Ok(rows)
}

/// The distinct attachment ids the claim's messages name.
pub fn list_thread_attachment_ids(conn: &Connection, claim: &ClaimId) -> Result<Vec<String>> {
    let ids = conn
        .prepare_cached(
            "SELECT DISTINCT attachment_id FROM claim_message_attachments WHERE claim_id = ?1 ORDER BY attachment_id",
        )?
        .query_map([claim.as_str()], |r| r.get(0))?
        .collect::<SqlResult<Vec<String>>>()?;
    Ok(ids)
}

/// Deletes the claim's whole thread (links first, then messages); the number of messages deleted.
pub fn delete_thread(conn: &Connection, claim: &ClaimId) -> Result<usize> {
    conn.execute("DELETE FROM claim_message_attachments WHERE claim_id = ?1", [claim.as_str()])?;
    Ok(conn.execute("DELETE FROM claim_messages WHERE claim_id = ?1", [claim.as_str()])?)
}

/// Replaces the buyer's description of the claim with "" (retention).
pub fn clear_claim_description(conn: &Connection, claim: &ClaimId) -> Result<()> {
    conn.execute("UPDATE claims SET description = '' WHERE id = ?1", [claim.as_str()])?;
    Ok(())
}
