//! История товара: every item's history one call away, from any of its codes or ids. The events are
//! the outbox ops that name the item (or its returned units, their boxes, or its whole order), each
//! with its time, operator, device and photos; the scans come from the scan log. Matching is generic
//! over op bodies (an op names the item when any string in its JSON is one of the item's ids), and
//! each known kind is described; an op of an unknown kind still shows, as `other`.

use crate::codes::item_lookup_key;
use crate::error::{KioskError, Result};
use crate::staff::staff_view;
use crate::store::item_audit::{self, ItemCard};
use crate::store::op_records::{self, OpRecord};
use crate::store::Db;
use crate::store::{orders, scan_log, settings};
use crate::view::staff::{ItemEventKind, ItemEventView, ItemHistoryView, PhotoRefView, ScanRecordView};
use crate::Kiosk;
use pvz_domain::{classify, RefusalReason, Scan};
use pvz_protocol::{ItemDecision, OpBody, PhotoRef};
use serde_json::Value;
use std::collections::BTreeSet;

impl Kiosk {
    /// The history of the item `code_or_item_id` names: an item id, a return label, or an item code
    /// (barcode, marking, Code 128); a code several items carry shows the first, the rest listed.
    pub fn item_history(&self, code_or_item_id: &str) -> Result<ItemHistoryView> {
        self.store.with_conn(|c| item_history(c, code_or_item_id))
    }
}

/// Whether any string anywhere in `value` is one of `ids`.
fn names_any(value: &Value, ids: &BTreeSet<String>) -> bool {
    match value {
        Value::String(s) => ids.contains(s),
        Value::Array(items) => items.iter().any(|v| names_any(v, ids)),
        Value::Object(fields) => fields.values().any(|v| names_any(v, ids)),
        _ => false,
    }
}

/// The item an input names, and the other items the same code matched.
fn resolve(conn: &Db<'_>, input: &str) -> Result<(String, Vec<String>)> {
    let input = input.trim();
    if !input.is_empty() {
        let id = BTreeSet::from([input.to_owned()]);
        let named = item_audit::get_item_card(conn, input)?.is_some()
            || !item_audit::list_units_of_item(conn, input)?.is_empty()
            || op_records::list_ops_mentioning(conn, &[input.to_owned()])?.iter().any(|op| names_any(&op.payload, &id));
        if named {
            return Ok((input.to_owned(), Vec::new()));
        }
    }
    let scan = classify(input);
    let mut found: Vec<String> = match &scan {
        Scan::ReturnLabel { return_id } => {
            item_audit::get_unit(conn, return_id.as_str())?.and_then(|u| u.item_id).into_iter().collect()
        }
        _ => match item_lookup_key(&scan) {
            Some(code) => {
                let mut ids: Vec<String> = orders::find_items_by_code(conn, code.lookup(), code.exact_mark())?
                    .into_iter()
                    .map(|r| r.item_id)
                    .collect();
                ids.extend(item_audit::find_units_by_code(conn, &code.code)?.into_iter().filter_map(|u| u.item_id));
                ids
            }
            None => Vec::new(),
        },
    };
    found.dedup();
    let mut found = found.into_iter();
    let first = found.next().ok_or(KioskError::ItemNotFound)?;
    Ok((first, found.filter(|id| !id.is_empty()).collect()))
}

pub(crate) fn item_history(conn: &Db<'_>, input: &str) -> Result<ItemHistoryView> {
    let (item_id, mut also_matches) = resolve(conn, input)?;
    also_matches.retain(|id| *id != item_id);
    let card = item_audit::get_item_card(conn, &item_id)?;
    let units = item_audit::list_units_of_item(conn, &item_id)?;
    // The ids that stand for this item in ops: its own, its returned units', their boxes'.
    let mut ids = BTreeSet::from([item_id.clone()]);
    let item_only = ids.clone();
    for op in op_records::list_ops_mentioning(conn, std::slice::from_ref(&item_id))? {
        if names_any(&op.payload, &item_only) {
            collect_related(&op.body, &item_id, &mut ids);
        }
    }
    for unit in &units {
        ids.insert(unit.return_id.clone());
        ids.extend(unit.box_id.clone());
    }
    let mut needles: Vec<String> = ids.iter().cloned().collect();
    needles.extend(card.as_ref().map(|c| c.order_id.clone()));
    let device_id = settings::get_enrollment(conn)?.map(|e| e.device_id.to_string()).unwrap_or_default();
    let mut events = Vec::new();
    for op in op_records::list_ops_mentioning(conn, &needles)? {
        if names_any(&op.payload, &ids) || about_whole_order(&op, card.as_ref()) {
            events.push(event_view(conn, &op, &item_id, &ids, &device_id)?);
        }
    }
    let codes: Vec<String> = card
        .iter()
        .flat_map(|c| [c.barcode.clone(), c.mark.clone()])
        .chain(units.iter().flat_map(|u| [u.barcode.clone(), u.mark.clone()]))
        .flatten()
        .collect();
    let return_ids: Vec<String> = units.iter().map(|u| u.return_id.clone()).collect();
    let scans = scan_log::list_item_scans(conn, &item_id, &codes, &return_ids)?
        .into_iter()
        .map(|s| {
            Ok(ScanRecordView {
                operator: s.operator.as_deref().map(|id| staff_view(conn, id)).transpose()?,
                scanned_at: s.scanned_at,
                text: s.text,
                kind: s.kind,
                outcome: s.outcome,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(ItemHistoryView {
        order_id: card.as_ref().map(|c| c.order_id.clone()),
        name: card.as_ref().map(|c| c.name.clone()).or_else(|| units.first().map(|u| u.item_name.clone())),
        barcode: card.as_ref().and_then(|c| c.barcode.clone()).or_else(|| units.iter().find_map(|u| u.barcode.clone())),
        cell: card.map(|c| c.cell),
        item_id,
        events,
        scans,
        also_matches,
    })
}

/// An op about the item's whole order (opening its card): it names the order and none of its items.
fn about_whole_order(op: &OpRecord, card: Option<&ItemCard>) -> bool {
    let Some(card) = card else { return false };
    let order = BTreeSet::from([card.order_id.clone()]);
    let items: BTreeSet<String> = card.order_items.iter().cloned().collect();
    names_any(&op.payload, &order) && !names_any(&op.payload, &items)
}

/// The returned units and boxes an op made of the item.
fn collect_related(body: &OpBody, item_id: &str, ids: &mut BTreeSet<String>) {
    match body {
        OpBody::ClaimReturnAccepted { return_id, .. } => {
            ids.insert(return_id.to_string());
        }
        OpBody::CourierHandBackCompleted { items, .. } => {
            ids.extend(
                items
                    .iter()
                    .filter(|i| i.item_id.as_ref().is_some_and(|id| id.as_str() == item_id))
                    .map(|i| i.return_id.to_string()),
            );
        }
        OpBody::ReturnBoxClosed { box_id, .. } => {
            ids.insert(box_id.to_string());
        }
        OpBody::ShelfExpired { items } => {
            ids.extend(items.iter().filter(|i| i.item_id.as_str() == item_id).map(|i| i.return_id.to_string()));
        }
        _ => {}
    }
}

fn photos(refs: &[PhotoRef]) -> Vec<PhotoRefView> {
    refs.iter()
        .map(|p| PhotoRefView {
            photo_id: p.photo_id.clone(),
            sha256: p.sha256.clone(),
            media_type: p.media_type.clone(),
        })
        .collect()
}

/// What the op did to the item: the event, a refusal reason, a note, a cell and photos.
type Described = (ItemEventKind, Option<RefusalReason>, Option<String>, Option<String>, Vec<PhotoRefView>);

fn describe(body: &OpBody, item_id: &str, ids: &BTreeSet<String>) -> Described {
    use ItemEventKind as K;
    let is_item = |id: &str| id == item_id;
    match body {
        OpBody::IssueOpened { .. } => (K::Opened, None, None, None, vec![]),
        OpBody::ItemDecided { decision: ItemDecision::HandOver, .. } => (K::DecidedHandOver, None, None, None, vec![]),
        OpBody::ItemDecided { decision: ItemDecision::Refuse { reason, description }, .. } => {
            (K::Refused, Some(*reason), description.clone(), None, vec![])
        }
        OpBody::ItemDecided { decision: ItemDecision::NotArrived, .. } => {
            (K::DecidedNotArrived, None, None, None, vec![])
        }
        OpBody::ItemDecisionCleared { .. } => (K::DecisionCleared, None, None, None, vec![]),
        OpBody::DefectPhotoAttached { photo_id, sha256, media_type, .. } => {
            let photo =
                PhotoRefView { photo_id: photo_id.clone(), sha256: sha256.clone(), media_type: media_type.clone() };
            (K::PhotoAttached, None, None, None, vec![photo])
        }
        OpBody::IssueCompleted { refused, not_arrived, .. } => {
            match refused.iter().find(|r| is_item(r.item_id.as_str())) {
                Some(r) => (K::IssuedRefused, Some(r.reason), r.description.clone(), None, vec![]),
                None if not_arrived.iter().any(|i| is_item(i.as_str())) => {
                    (K::IssuedNotArrived, None, None, None, vec![])
                }
                None => (K::Issued, None, None, None, vec![]),
            }
        }
        OpBody::ClaimReturnAccepted { condition, photos: taken, .. } => {
            (K::ClaimReturn, None, Some(condition.clone()), None, photos(taken))
        }
        OpBody::CourierHandBackCompleted { items, missing, .. } => {
            match items.iter().find(|i| {
                ids.contains(i.return_id.as_str()) || i.item_id.as_ref().is_some_and(|id| is_item(id.as_str()))
            }) {
                Some(i) => (K::HandedBackByCourier, Some(i.reason), i.description.clone(), None, vec![]),
                None if missing.iter().any(|m| is_item(m.as_str())) => {
                    (K::MissingFromHandBack, None, None, None, vec![])
                }
                None => (K::Other, None, None, None, vec![]),
            }
        }
        OpBody::ReturnBoxClosed { box_id, .. } => (K::Boxed, None, Some(box_id.to_string()), None, vec![]),
        OpBody::BoxesHandedOver { driver_id, .. } => {
            (K::HandedToDriver, None, Some(driver_id.to_string()), None, vec![])
        }
        OpBody::ShipmentReceived { placed, missing, damaged, .. } => {
            if let Some(p) = placed.iter().find(|p| is_item(p.item_id.as_str())) {
                (K::ReceivedIntoCell, None, None, Some(p.cell.clone()), vec![])
            } else if let Some(d) = damaged.iter().find(|d| is_item(d.item_id.as_str())) {
                (K::DamagedAtReceiving, None, Some(d.description.clone()), None, photos(&d.photos))
            } else if missing.iter().any(|m| is_item(m.as_str())) {
                (K::MissingAtReceiving, None, None, None, vec![])
            } else {
                (K::Other, None, None, None, vec![])
            }
        }
        OpBody::ItemMoved { from, to, .. } => {
            (K::Moved, None, Some(format!("{from} → {to}")), Some(to.clone()), vec![])
        }
        OpBody::ShelfExpired { .. } => (K::Expired, None, None, None, vec![]),
        _ => (K::Other, None, None, None, vec![]),
    }
}

fn event_view(
    conn: &Db<'_>,
    op: &OpRecord,
    item_id: &str,
    ids: &BTreeSet<String>,
    device_id: &str,
) -> Result<ItemEventView> {
    let (event, reason, note, cell, photos) = describe(&op.body, item_id, ids);
    Ok(ItemEventView {
        event_id: op.op_id.clone(),
        seq: op.seq,
        at: op.created_at.clone(),
        event,
        op_kind: op.kind.clone(),
        operator: op.operator.as_deref().map(|id| staff_view(conn, id)).transpose()?,
        device_id: device_id.to_owned(),
        reason,
        note: note.filter(|n| !n.is_empty()),
        cell,
        photos,
        sync_state: op.state.clone(),
    })
}
