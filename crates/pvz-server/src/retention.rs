//! Retention of buyers' personal data (хранение персональных данных): once a claim is finished
//! (fulfilled, revoked or rejected with no dispute open) for longer than the retention period, its
//! conversation and the buyer's description are deleted, and so are the attachments' blobs no kept
//! message names any more, and uploads that no message ever named once they are as old. Money (the ledger) and the claim's decision stay: they are the network's
//! accounts, not the buyer's words. Run by `pvz-server purge-personal-data`.

use crate::blobs::BlobStore;
use crate::db::sql::{Connection, SqlResult};
use crate::db::{attachments, messages};
use crate::error::Result;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use pvz_domain::ClaimId;
use std::collections::BTreeSet;

/// How long a finished claim's personal data is kept unless the config says otherwise (3 years).
pub const DEFAULT_RETENTION_DAYS: u32 = 1095;

/// What one purge removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Purged {
    /// The moment a claim had to be finished by to be purged (RFC 3339).
    pub cutoff: String,
    pub claims: Vec<PurgedClaim>,
    /// Attachments no message names any more: their rows and blobs were deleted.
    pub attachments: Vec<String>,
    /// Attachments uploaded before the cutoff that no message ever named: deleted too.
    pub unsent: Vec<String>,
    /// Blobs whose deletion failed (`id`, why); their rows are gone, so a blob left behind is only
    /// bytes nobody can name, and a later purge will not retry it.
    pub blob_failures: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurgedClaim {
    pub claim_id: ClaimId,
    /// When it was finished (the latest of its decision, fulfilment, revocation, dispute decision
    /// and receipt by the seller).
    pub finished_at: String,
    pub messages: usize,
}

/// A finished claim that still holds personal data, with its closing timestamps.
struct Finished {
    id: ClaimId,
    times: Vec<Option<String>>,
}

/// Claims that reached a final state and still have a description or messages: fulfilled, revoked
/// or rejected, or decided rejected or revoked; never one whose rejection is disputed (the
/// operator still decides).
fn list_finished_claims(conn: &Connection) -> Result<Vec<Finished>> {
    let rows = conn
        .prepare(
            "SELECT id, decided_at, fulfilled_at, revoked_at, dispute_decided_at, received_at, created_at
             FROM claims
             WHERE decision <> 'disputed'
               AND (state IN ('fulfilled', 'revoked', 'rejected') OR decision IN ('rejected', 'revoked'))
               AND (description <> '' OR EXISTS (SELECT 1 FROM claim_messages m WHERE m.claim_id = claims.id))
             ORDER BY id",
        )?
        .query_map([], |r| {
            let id: String = r.get(0)?;
            let times = (1..=6).map(|i| r.get::<Option<String>>(i)).collect::<SqlResult<Vec<_>>>()?;
            Ok((id, times))
        })?
        .collect::<SqlResult<Vec<_>>>()?;
    Ok(rows.into_iter().filter_map(|(id, times)| ClaimId::parse(&id).ok().map(|id| Finished { id, times })).collect())
}

/// When the claim was finished: the latest of its closing timestamps, or its opening when it has
/// none (a claim finished before those were recorded). Compared as instants, so a timestamp with
/// an offset sorts right; one that does not parse is skipped.
fn finished_at(times: &[Option<String>]) -> Option<DateTime<Utc>> {
    let instant = |t: &Option<String>| {
        t.as_deref().and_then(|t| DateTime::parse_from_rfc3339(t).ok()).map(|at| at.with_timezone(&Utc))
    };
    let (opened, closing) = times.split_last()?;
    closing.iter().filter_map(instant).max().or_else(|| instant(opened))
}

/// Deletes the personal data of claims finished at least `older_than_days` days before `now`: their
/// messages and attachment links, their description (set to ""), and the attachments (rows and
/// blobs) no remaining message names. The database changes commit together; blobs are deleted
/// after the commit, so a failed commit never leaves a kept message without its bytes.
pub fn purge_personal_data(
    conn: &Connection,
    blobs: &BlobStore,
    older_than_days: u32,
    now: DateTime<Utc>,
) -> Result<Purged> {
    let cutoff = now - Duration::days(i64::from(older_than_days));
    let mut purged = Purged { cutoff: cutoff.to_rfc3339_opts(SecondsFormat::Millis, true), ..Purged::default() };
    let tx = conn.transaction()?;
    let mut named = BTreeSet::new();
    for claim in list_finished_claims(&tx)? {
        let Some(finished) = finished_at(&claim.times).filter(|at| *at <= cutoff) else { continue };
        named.extend(messages::list_thread_attachment_ids(&tx, &claim.id)?);
        let deleted = messages::delete_thread(&tx, &claim.id)?;
        messages::clear_claim_description(&tx, &claim.id)?;
        purged.claims.push(PurgedClaim {
            claim_id: claim.id,
            finished_at: finished.to_rfc3339_opts(SecondsFormat::Millis, true),
            messages: deleted,
        });
    }
    for id in named {
        if !attachments::is_attachment_referenced(&tx, &id)? {
            attachments::delete_attachment(&tx, &id)?;
            purged.attachments.push(id);
        }
    }
    // Uploads no message ever named (a claim the buyer never opened, a message never sent) are the
    // buyer's photos too: kept no longer than a finished claim's.
    for (id, uploaded_at) in attachments::list_unreferenced_attachments(&tx)? {
        let stale = DateTime::parse_from_rfc3339(&uploaded_at).is_ok_and(|at| at.with_timezone(&Utc) <= cutoff);
        if stale {
            attachments::delete_attachment(&tx, &id)?;
            purged.unsent.push(id);
        }
    }
    tx.commit()?;
    // The same bytes uploaded again between the commit and here get a new row but lose their
    // blob: reading them answers 404 until they are uploaded once more, which stores them again.
    for id in purged.attachments.iter().chain(&purged.unsent) {
        if let Err(error) = blobs.delete_blocking(id) {
            purged.blob_failures.push((id.clone(), error.to_string()));
        }
    }
    Ok(purged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_claim_is_finished_at_its_latest_closing_time() {
        let t = |s: &str| Some(s.to_owned());
        let times = [
            t("2026-01-01T10:00:00.000Z"),
            None,
            t("2026-01-01T14:00:00+03:00"),
            None,
            None,
            t("2025-12-01T00:00:00.000Z"),
        ];
        let at = finished_at(&times).expect("closed");
        assert_eq!(at.to_rfc3339(), "2026-01-01T11:00:00+00:00", "the latest instant wins, offsets counted");
        let opened_only = [None, None, None, None, None, t("2025-12-01T00:00:00.000Z")];
        assert!(finished_at(&opened_only).is_some(), "with no closing time, the opening stands in");
    }
}
