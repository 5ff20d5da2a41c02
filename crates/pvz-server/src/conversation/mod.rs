//! A claim's conversation (переписка по претензии): the buyer (through the buyer front), the
//! claim's seller and the network's operator write messages, with photos or documents attached,
//! that are never edited or deleted by their authors. Each message gets the next seq of its claim's
//! thread inside the write transaction, under the claim row's lock, so messages posted at once on
//! any number of servers never share a seq. A seller sees only its own claims' threads; a kiosk
//! never sees any. Retention of this personal data is [`crate::retention`]'s.

pub mod attachments;

pub use attachments::{check_upload, AttachmentType};

use crate::db::attachments as attachment_rows;
use crate::db::messages::{self, MessageRow};
use crate::db::sql::{Connection, OptionalExtension};
use crate::error::{Result, ServerError};
use pvz_domain::ClaimId;
use pvz_protocol::claims::{MAX_ATTACHMENT_BYTES, MAX_MESSAGE_ATTACHMENT_BYTES, MAX_MESSAGE_CHARS};
use pvz_protocol::{AttachmentRef, ClaimMessage, MessageAuthor, MessagePage, NewMessage};
use std::collections::BTreeSet;

/// A page of a thread holds this many messages unless the caller asks for fewer.
pub const DEFAULT_PAGE: u32 = 50;
/// ... and never more than this many.
pub const MAX_PAGE: u32 = 200;

/// Who takes part in conversations: the parties of the claim API.
pub use crate::credentials::Party as Participant;

impl Participant {
    pub fn author(&self) -> MessageAuthor {
        match self {
            Participant::Seller(_) => MessageAuthor::Seller,
            Participant::BuyerFront(_) => MessageAuthor::Buyer,
            Participant::Operator(_) => MessageAuthor::Operator,
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Participant::Seller(name) | Participant::BuyerFront(name) | Participant::Operator(name) => name,
        }
    }

    /// The kind as an attachment's uploader is recorded: `seller`, `buyer_front` or `operator`.
    pub fn kind_text(&self) -> &'static str {
        match self {
            Participant::Seller(_) => "seller",
            Participant::BuyerFront(_) => "buyer_front",
            Participant::Operator(_) => "operator",
        }
    }

    /// Whether this participant may read and write the thread of a claim of `seller`.
    fn may_join(&self, seller: &str) -> bool {
        match self {
            Participant::Seller(own) => own == seller,
            Participant::BuyerFront(_) | Participant::Operator(_) => true,
        }
    }
}

fn no_claim(claim: &ClaimId) -> ServerError {
    ServerError::NotFound(format!("claim {claim} does not exist"))
}

/// The claim's seller; a claim that does not exist is not found.
fn claim_seller(conn: &Connection, claim: &ClaimId) -> Result<String> {
    let seller: Option<String> = conn
        .prepare_cached("SELECT seller_id FROM claims WHERE id = ?1")?
        .query_row([claim.as_str()], |r| r.get(0))
        .optional()?;
    seller.ok_or_else(|| no_claim(claim))
}

/// Whether `who` may join the claim's thread. Another seller's claim is not found, the same answer
/// as a claim that does not exist, so a seller learns nothing of others' claims.
fn admit(conn: &Connection, who: &Participant, claim: &ClaimId) -> Result<()> {
    if who.may_join(&claim_seller(conn, claim)?) {
        Ok(())
    } else {
        Err(no_claim(claim))
    }
}

/// Adds a message to the claim's thread and answers it as sent. The text is trimmed and at most
/// [`MAX_MESSAGE_CHARS`] characters; a message has text or attachments or both; each attachment
/// must have been uploaded (JPEG, PNG or PDF, at most [`MAX_ATTACHMENT_BYTES`]), is named once, and
/// together they are at most [`MAX_MESSAGE_ATTACHMENT_BYTES`]. It writes but does not commit: call
/// it inside the caller's write transaction (claim opening stores the buyer's description and
/// photos as the first message in the transaction that inserts the claim). Who may write to which
/// claim is the caller's to check.
pub fn post_message(
    conn: &Connection,
    claim: &ClaimId,
    author: MessageAuthor,
    author_name: &str,
    text: &str,
    attachment_ids: &[String],
    now: &str,
) -> Result<ClaimMessage> {
    let text = text.trim();
    let chars = text.chars().count();
    if chars > MAX_MESSAGE_CHARS {
        return Err(ServerError::BadRequest(format!(
            "a message is at most {MAX_MESSAGE_CHARS} characters; this one has {chars}"
        )));
    }
    if text.is_empty() && attachment_ids.is_empty() {
        return Err(ServerError::BadRequest("a message needs text or an attachment".into()));
    }
    let attachments = named_attachments(conn, attachment_ids)?;
    if messages::lock_claim_thread(conn, claim)?.is_none() {
        return Err(no_claim(claim));
    }
    let row = MessageRow {
        seq: messages::next_message_seq(conn, claim)?,
        author,
        author_name: author_name.to_owned(),
        text: text.to_owned(),
        created_at: now.to_owned(),
    };
    messages::insert_message(conn, claim, &row)?;
    for (position, attachment) in attachments.iter().enumerate() {
        messages::insert_message_attachment(conn, claim, row.seq, position as i64, &attachment.id)?;
    }
    Ok(ClaimMessage { seq: row.seq, author, text: row.text, attachments, sent_at: row.created_at })
}

/// The uploaded attachments `ids` name, in their order, checked against the message's limits.
fn named_attachments(conn: &Connection, ids: &[String]) -> Result<Vec<AttachmentRef>> {
    let mut seen = BTreeSet::new();
    let mut total = 0u64;
    let mut found = Vec::with_capacity(ids.len());
    for id in ids {
        if !seen.insert(id.as_str()) {
            return Err(ServerError::BadRequest(format!("attachment {id:.64} is named twice")));
        }
        let attachment = attachment_rows::get_attachment(conn, id)?.ok_or_else(|| {
            ServerError::BadRequest(format!("attachment {id:.64} was not uploaded: POST it to /v1/attachments first"))
        })?;
        if AttachmentType::parse(&attachment.content_type).is_none() || attachment.size > MAX_ATTACHMENT_BYTES {
            return Err(ServerError::BadRequest(format!(
                "attachment {id} is not a JPEG, PNG or PDF of at most {MAX_ATTACHMENT_BYTES} bytes"
            )));
        }
        total += attachment.size;
        found.push(attachment);
    }
    if total > MAX_MESSAGE_ATTACHMENT_BYTES {
        return Err(ServerError::BadRequest(format!(
            "a message's attachments are at most {MAX_MESSAGE_ATTACHMENT_BYTES} bytes together; these are {total}"
        )));
    }
    Ok(found)
}

/// [`post_message`] by `who`, once it may write to the claim; in the caller's transaction.
pub fn post_as(
    conn: &Connection,
    who: &Participant,
    claim: &ClaimId,
    message: &NewMessage,
    now: &str,
) -> Result<ClaimMessage> {
    admit(conn, who, claim)?;
    post_message(conn, claim, who.author(), who.name(), &message.text, &message.attachments, now)
}

/// Up to `limit` (at most [`MAX_PAGE`]) of the claim's messages after seq `after`, oldest first,
/// for `who`.
pub fn message_page(
    conn: &Connection,
    who: &Participant,
    claim: &ClaimId,
    after: i64,
    limit: u32,
) -> Result<MessagePage> {
    if after < 0 {
        return Err(ServerError::BadRequest("`after` is a message seq, 0 or more".into()));
    }
    admit(conn, who, claim)?;
    let limit = limit.clamp(1, MAX_PAGE);
    let mut rows = messages::list_messages(conn, claim, after, i64::from(limit) + 1)?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next = rows.last().map_or(after, |m| m.seq);
    let messages = with_attachments(conn, claim, rows)?.into_iter().map(|t| t.message).collect();
    Ok(MessagePage { messages, next, more })
}

/// A message with the name of the credential that wrote it (for the operator's view).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadMessage {
    pub message: ClaimMessage,
    pub author_name: String,
}

/// The claim's whole thread, oldest first (the network's own view: any claim).
pub fn read_thread(conn: &Connection, claim: &ClaimId) -> Result<Vec<ThreadMessage>> {
    claim_seller(conn, claim)?;
    let rows = messages::list_messages(conn, claim, 0, i64::MAX)?;
    with_attachments(conn, claim, rows)
}

/// Joins each message to its attachments (one query for the whole range).
fn with_attachments(conn: &Connection, claim: &ClaimId, rows: Vec<MessageRow>) -> Result<Vec<ThreadMessage>> {
    let (Some(first), Some(last)) = (rows.first().map(|m| m.seq), rows.last().map(|m| m.seq)) else {
        return Ok(Vec::new());
    };
    let mut attached = messages::list_message_attachments(conn, claim, first, last)?.into_iter().peekable();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut attachments = Vec::new();
        while let Some((_, attachment)) = attached.next_if(|(seq, _)| *seq == row.seq) {
            attachments.push(attachment);
        }
        out.push(ThreadMessage {
            message: ClaimMessage {
                seq: row.seq,
                author: row.author,
                text: row.text,
                attachments,
                sent_at: row.created_at,
            },
            author_name: row.author_name,
        });
    }
    Ok(out)
}
