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

#[cfg(test)]
mod tests {
    use super::*;
    use pvz_domain::{ClaimId, ClaimState, Decider, ItemId, OrderId, PickupPointId};

    fn claim(decision: ClaimDecision, item_fate: ItemFate) -> ClaimRow {
        ClaimRow {
            id: ClaimId::parse("clm-1").expect("id"),
            order_id: OrderId::parse("o1").expect("id"),
            item_id: ItemId::parse("o1-1").expect("id"),
            item_name: "Платье".into(),
            pickup_point_id: PickupPointId::parse("pp-a").expect("id"),
            seller_id: "s-1".into(),
            buyer_id: "b-1".into(),
            state: ClaimState::Open,
            description: "шов".into(),
            compensation: None,
            reason: None,
            return_code: None,
            part_order_id: None,
            replacement_order_id: None,
            fulfilled_at: None,
            decided_by: Decider::Seller,
            decision,
            item_fate,
            route: None,
            paid_at: None,
            created_at: "2026-10-01T10:00:00.000Z".into(),
            rejection_template: None,
            seller_address: None,
            return_deadline: None,
            code_issue: 1,
            disputed_at: None,
            dispute_comment: None,
            dispute_decided_at: None,
            received_at: None,
        }
    }

    #[test]
    fn each_claim_falls_in_one_folder_by_its_decision_item_fate_and_age() {
        let now = DateTime::parse_from_rfc3339("2026-12-07T10:00:00Z").expect("time").with_timezone(&Utc);
        let fresh = Some("2026-11-07T10:00:00.000Z");
        let stale = Some("2026-11-07T09:59:59.000Z");
        let cases = [
            (ClaimDecision::UnderReview, ItemFate::WithBuyer, stale, InboxFilter::New, "under review, however old"),
            (ClaimDecision::Disputed, ItemFate::WithBuyer, stale, InboxFilter::Disputed, "disputed, however old"),
            (ClaimDecision::Approved, ItemFate::ToPickupPoint, stale, InboxFilter::AwaitingItem, "to a point"),
            (ClaimDecision::Approved, ItemFate::ToSeller, fresh, InboxFilter::AwaitingItem, "to the seller"),
            (ClaimDecision::Approved, ItemFate::AtPickupPoint, fresh, InboxFilter::Decided, "back, 30 days ago"),
            (ClaimDecision::Approved, ItemFate::WithBuyer, stale, InboxFilter::Archive, "no return, older"),
            (ClaimDecision::Rejected, ItemFate::WithBuyer, fresh, InboxFilter::Decided, "rejected, 30 days ago"),
            (ClaimDecision::Revoked, ItemFate::WithBuyer, stale, InboxFilter::Archive, "revoked, older"),
            (ClaimDecision::Rejected, ItemFate::WithBuyer, None, InboxFilter::Archive, "no time: from its opening"),
        ];
        for (decision, fate, settled, want, what) in cases {
            assert_eq!(folder(&claim(decision, fate), settled, now), want, "{what}");
        }
    }
}
