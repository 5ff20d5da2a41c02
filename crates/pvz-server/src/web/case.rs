//! A claim's whole case for the claim page: the claim with the caller's actions, the item as sold,
//! its order, the buyer's photos, and what the counters did with the item (from the applied ops the
//! server stored: received into a cell or recorded damaged at receiving, handed over or refused at
//! the issue, taken back on a claim), oldest first by the counter's clock; an order issued with no
//! op stored still shows its issue, from the order's record. A seller sees only its
//! own claims (another's is not found); an operator sees any.

use crate::claims::{actions_for, claim_for, ClaimActor};
use crate::db::claims::list_item_return_op_ids;
use crate::db::messages::{list_message_attachments, list_messages};
use crate::db::ops::{get_applied_op, list_item_counter_ops, OpBodyRow};
use crate::db::orders::{get_item, issued_at};
use crate::db::sql::Connection;
use crate::error::{Result, ServerError};
use pvz_domain::{ClaimId, ItemId};
use pvz_protocol::web::{CaseItem, CaseOrder, ClaimCase, CounterEvent, CounterEventKind};
use pvz_protocol::{AttachmentRef, MessageAuthor, OpBody};

/// The case of claim `id` as `viewer` (a seller or an operator) may see it.
pub fn claim_case(conn: &Connection, id: &ClaimId, viewer: &ClaimActor) -> Result<ClaimCase> {
    let claim = claim_for(conn, id, viewer)?;
    let item = get_item(conn, &claim.item_id)?
        .ok_or_else(|| ServerError::Internal(format!("claim {id} names item {} the server lacks", claim.item_id)))?;
    let mut counter_events = Vec::new();
    for op in list_item_counter_ops(conn, &item.pickup_point_id, item.item.id.as_str())? {
        counter_events.extend(events_of(&op, &item.item.id)?);
    }
    for op_id in list_item_return_op_ids(conn, &item.item.id)? {
        if let Some(op) = get_applied_op(conn, &op_id)? {
            counter_events.extend(events_of(&op, &item.item.id)?);
        }
    }
    // An order issued without an op the server stored (by the network's admin, or from before ops
    // were kept) still shows when it was issued, from the order's own record.
    let issue_recorded =
        counter_events.iter().any(|e| matches!(e.kind, CounterEventKind::Issued | CounterEventKind::Refused));
    if !issue_recorded {
        if let Some(at) = issued_at(conn, &item.order_id)? {
            counter_events.push(CounterEvent {
                at,
                kind: CounterEventKind::Issued,
                pickup_point_id: item.pickup_point_id.to_string(),
                detail: None,
            });
        }
    }
    counter_events.sort_by(|a, b| a.at.cmp(&b.at));
    Ok(ClaimCase {
        claim: claim.to_status_with(actions_for(&claim, viewer)),
        item: CaseItem {
            item_id: item.item.id.clone(),
            name: item.item.name.clone(),
            price: item.item.price,
            barcode: item.item.barcode.clone(),
        },
        order: CaseOrder { order_id: item.order_id.clone(), pickup_point_id: item.pickup_point_id.to_string() },
        buyer_photos: buyer_photos(conn, id)?,
        counter_events,
    })
}

/// The photos of the message that opened the claim, when the buyer wrote it (retention may have
/// deleted the thread: then none).
fn buyer_photos(conn: &Connection, claim: &ClaimId) -> Result<Vec<AttachmentRef>> {
    let Some(first) = list_messages(conn, claim, 0, 1)?.into_iter().next() else { return Ok(Vec::new()) };
    if first.author != MessageAuthor::Buyer {
        return Ok(Vec::new());
    }
    Ok(list_message_attachments(conn, claim, first.seq, first.seq)?.into_iter().map(|(_, a)| a).collect())
}

/// What one stored op says the counter did with `item`.
fn events_of(op: &OpBodyRow, item: &ItemId) -> Result<Vec<CounterEvent>> {
    let body: OpBody = serde_json::from_str(&op.body)?;
    let event = |kind, detail: Option<String>| CounterEvent {
        at: op.created_at.clone(),
        kind,
        pickup_point_id: op.pickup_point_id.clone(),
        detail,
    };
    let mut events = Vec::new();
    match body {
        OpBody::ShipmentReceived { placed, damaged, .. } => {
            for p in placed.iter().filter(|p| &p.item_id == item) {
                events.push(event(CounterEventKind::Received, Some(format!("cell {}", p.cell))));
            }
            for d in damaged.iter().filter(|d| &d.item_id == item) {
                events.push(event(CounterEventKind::DamagedAtReceiving, Some(d.description.clone())));
            }
        }
        OpBody::IssueCompleted { handed_over, refused, .. } => {
            if handed_over.contains(item) {
                events.push(event(CounterEventKind::Issued, None));
            }
            for r in refused.iter().filter(|r| &r.item_id == item) {
                let detail = match &r.description {
                    Some(description) => format!("{}: {description}", r.reason.as_str()),
                    None => r.reason.as_str().to_owned(),
                };
                events.push(event(CounterEventKind::Refused, Some(detail)));
            }
        }
        OpBody::ClaimReturnAccepted { item_id, condition, .. } if &item_id == item => {
            events.push(event(CounterEventKind::Returned, Some(condition)));
        }
        _ => {}
    }
    Ok(events)
}
