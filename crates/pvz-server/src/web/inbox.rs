//! The seller's inbox: its claims sorted into folders by the claim's two state fields (the decision
//! and the item's fate), each claim in exactly one folder. The rules, in order:
//!
//! 1. **disputed**: the buyer disputed a rejection (decision `disputed`); the network decides.
//! 2. **new**: under review (decision `under_review`): waiting for the seller's decision, or, for a
//!    marketplace return, the network's (the seller then sees it with no actions).
//! 3. **awaiting_item**: approved with a return (item fate `to_pickup_point` or `to_seller`): the
//!    item has not come back yet.
//! 4. **decided**: everything else (approved and the item back or not to be returned, rejected,
//!    revoked) whose last decision or end (see [`list_claim_settled_times`]) is at most
//!    [`DECIDED_DAYS`] days old;
//! 5. **archive**: the same, older.

use crate::claims::{actions_for, ClaimActor};
use crate::db::claims::{list_claim_settled_times, list_claims_by_seller, ClaimRow};
use crate::db::sql::Connection;
use crate::error::Result;
use chrono::{DateTime, Utc};
use pvz_domain::{ClaimDecision, ItemFate};
use pvz_protocol::web::{ClaimInbox, InboxCounts, InboxFilter};

/// A decided claim stays in **decided** this many days, then moves to **archive**.
pub const DECIDED_DAYS: i64 = 30;

/// The folder of a claim whose last decision or end was at `settled_at` (RFC 3339), seen at `now`.
pub fn folder(claim: &ClaimRow, settled_at: Option<&str>, now: DateTime<Utc>) -> InboxFilter {
    match (claim.decision, claim.item_fate) {
        (ClaimDecision::Disputed, _) => InboxFilter::Disputed,
        (ClaimDecision::UnderReview, _) => InboxFilter::New,
        (ClaimDecision::Approved, ItemFate::ToPickupPoint | ItemFate::ToSeller) => InboxFilter::AwaitingItem,
        _ => {
            // A settled claim without a recorded time (decided before the times were kept) counts
            // from its opening.
            let at = settled_at.unwrap_or(&claim.created_at);
            let recent = DateTime::parse_from_rfc3339(at)
                .map_or(true, |at| now.signed_duration_since(at) <= chrono::Duration::days(DECIDED_DAYS));
            if recent {
                InboxFilter::Decided
            } else {
                InboxFilter::Archive
            }
        }
    }
}

/// The seller's claims of one folder, newest first, with the seller's actions, and every folder's count.
pub fn seller_inbox(conn: &Connection, seller_id: &str, filter: InboxFilter, now: DateTime<Utc>) -> Result<ClaimInbox> {
    let settled = list_claim_settled_times(conn, seller_id)?;
    let seller = ClaimActor::Seller(seller_id.to_owned());
    let mut counts = InboxCounts::default();
    let mut claims = Vec::new();
    for claim in list_claims_by_seller(conn, seller_id)? {
        let at = settled.get(claim.id.as_str()).cloned().flatten();
        let folder = folder(&claim, at.as_deref(), now);
        let count = match folder {
            InboxFilter::New => &mut counts.new,
            InboxFilter::AwaitingItem => &mut counts.awaiting_item,
            InboxFilter::Decided => &mut counts.decided,
            InboxFilter::Disputed => &mut counts.disputed,
            InboxFilter::Archive => &mut counts.archive,
        };
        *count += 1;
        if folder == filter {
            claims.push(claim.to_status_with(actions_for(&claim, &seller)));
        }
    }
    Ok(ClaimInbox { filter, counts, claims })
}
