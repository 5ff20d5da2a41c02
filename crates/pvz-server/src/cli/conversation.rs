//! `pvz-server claim thread` and `purge-personal-data`: a claim's conversation as text, and what a
//! purge removed.

use crate::conversation::ThreadMessage;
use crate::retention::Purged;
use pvz_protocol::MessageAuthor;

fn author(author: MessageAuthor) -> &'static str {
    match author {
        MessageAuthor::Buyer => "buyer",
        MessageAuthor::Seller => "seller",
        MessageAuthor::Operator => "operator",
    }
}

/// One block per message: `#seq author (name) time`, the text indented, then each attachment.
pub fn thread_text(claim: &str, thread: &[ThreadMessage]) -> String {
    let mut out = match thread.len() {
        0 => format!("claim {claim}: no messages\n"),
        1 => format!("claim {claim}: 1 message\n"),
        n => format!("claim {claim}: {n} messages\n"),
    };
    for ThreadMessage { message, author_name } in thread {
        out.push_str(&format!("#{} {} ({author_name}) {}\n", message.seq, author(message.author), message.sent_at));
        for line in message.text.lines() {
            out.push_str(&format!("  {line}\n"));
        }
        for attachment in &message.attachments {
            out.push_str(&format!(
                "  attachment {} {} {} bytes\n",
                attachment.id, attachment.content_type, attachment.size
            ));
        }
    }
    out
}

/// A line per purged claim, then the attachments deleted and any blob that could not be.
pub fn purged_text(purged: &Purged) -> String {
    let mut out = format!("claims finished by {}:\n", purged.cutoff);
    for claim in &purged.claims {
        out.push_str(&format!(
            "  purged claim {} (finished {}): {} messages, description cleared\n",
            claim.claim_id, claim.finished_at, claim.messages
        ));
    }
    for id in &purged.attachments {
        out.push_str(&format!("  deleted attachment {id}\n"));
    }
    for id in &purged.unsent {
        out.push_str(&format!("  deleted unsent upload {id}\n"));
    }
    for (id, why) in &purged.blob_failures {
        out.push_str(&format!("  could not delete the blob of {id}: {why}\n"));
    }
    let attachments = purged.attachments.len() + purged.unsent.len();
    out.push_str(&format!("{} claims purged, {attachments} attachments deleted\n", purged.claims.len()));
    out
}
