//! Поиск товара: an item found by any of its codes (barcode, Честный ЗНАК mark, return label, item
//! id), and where it is: in which cell, whose, and in what state. The found item stays on screen
//! until dismissed, so a cell label scanned next moves it.

use crate::codes::{item_lookup_key, waiting_unit_by_code};
use crate::error::{KioskError, Result};
use crate::issue::order::effective_status;
use crate::store::shelf_screen::{self, ShelfScreen};
use crate::store::Db;
use crate::store::{decisions, orders, receiving_items, return_items, shelf, shipments};
use crate::view::shelves::{FoundItemStatus, FoundItemView};
use crate::view::{CounterView, ScanNotice};
use crate::Kiosk;
use pvz_domain::{classify, ReturnId, Scan};
use pvz_protocol::ItemDecision;

enum Found {
    /// A cached order item, and how many others carry the same code.
    Item { item_id: String, others: u32 },
    /// A returned unit whose item the order cache does not hold.
    Return(ReturnId),
}

/// An item on the shelf is the likeliest one meant, then one on its way, then one gone.
fn rank(conn: &Db<'_>, item_id: &str) -> Result<u8> {
    Ok(match shelf::get_item_place(conn, item_id)? {
        Some(p) if p.arrived && !p.gone => 0,
        Some(p) if !p.gone => 1,
        _ => 2,
    })
}

fn locate(conn: &Db<'_>, scan: &Scan) -> Result<Found> {
    match scan {
        Scan::ReturnLabel { return_id } => {
            let unit = return_items::get_return_item(conn, return_id)?.ok_or(KioskError::ItemNotFound)?;
            match unit.item_id {
                Some(item_id) if shelf::get_item_place(conn, item_id.as_str())?.is_some() => {
                    Ok(Found::Item { item_id: item_id.to_string(), others: 0 })
                }
                _ => Ok(Found::Return(unit.return_id)),
            }
        }
        Scan::Ean13 { .. } | Scan::Gs1 { .. } | Scan::Code128 { .. } => {
            let item = item_lookup_key(scan).ok_or(KioskError::ItemNotFound)?;
            let ids = shelf::find_item_ids_by_code(conn, &item.code, item.lookup(), item.exact_mark())?;
            let mut best: Option<(u8, &String)> = None;
            for id in &ids {
                let rank = rank(conn, id)?;
                if best.is_none_or(|(r, _)| rank < r) {
                    best = Some((rank, id));
                }
            }
            if let Some((_, item_id)) = best {
                let others = u32::try_from(ids.len() - 1).unwrap_or(u32::MAX);
                return Ok(Found::Item { item_id: item_id.clone(), others });
            }
            let unit = waiting_unit_by_code(conn, &item)?;
            unit.map(|u| Found::Return(u.return_id)).ok_or(KioskError::ItemNotFound)
        }
        Scan::Unknown { why, .. } => Err(KioskError::UnknownCode { why: why.clone() }),
        _ => Err(KioskError::UnknownCode { why: "not an item code or a return label".into() }),
    }
}

/// Finds the item `scan` names and puts it on screen.
pub(crate) fn show_found(conn: &Db<'_>, scan: &Scan) -> Result<ScanNotice> {
    let found = locate(conn, scan)?;
    let item_id = match &found {
        Found::Item { item_id, .. } => Some(item_id.clone()),
        Found::Return(_) => None,
    };
    shelf_screen::change_shelf_screen(conn, |s| match found {
        Found::Item { item_id, others } => {
            (s.found_item, s.found_return, s.found_matches) = (Some(item_id), None, others);
        }
        Found::Return(return_id) => {
            (s.found_item, s.found_return, s.found_matches) = (None, Some(return_id.to_string()), 0);
        }
    })?;
    Ok(ScanNotice::ItemFound { item_id })
}

fn returned_status(conn: &Db<'_>, return_id: &ReturnId) -> Result<Option<(FoundItemStatus, String)>> {
    Ok(return_items::get_return_item(conn, return_id)?.map(|unit| {
        let status = FoundItemStatus::InReturns {
            return_id: unit.return_id.to_string(),
            source: unit.source,
            box_id: unit.box_id.map(|b| b.to_string()),
        };
        (status, unit.item_name)
    }))
}

fn item_status(conn: &Db<'_>, place: &shelf::PlacedItemRow) -> Result<FoundItemStatus> {
    let item_id = place.item.item_id.as_str();
    if place.gone {
        if let Some(return_id) = shelf::find_return_of_item(conn, item_id)? {
            let return_id = ReturnId::parse(&return_id).map_err(|e| KioskError::Internal(e.to_string()))?;
            if let Some((status, _)) = returned_status(conn, &return_id)? {
                return Ok(status);
            }
        }
        let order = orders::get_order(conn, &place.item.order_id)?.ok_or(KioskError::OrderNotFound)?;
        let issued_at = effective_status(conn, &order)?.1;
        // Issued here without it: the buyer never got it, and it is not in the point's hands either.
        let left_out = decisions::list_decisions(conn, &order.order_id)?
            .iter()
            .any(|d| d.item_id == item_id && d.decision == ItemDecision::NotArrived);
        return Ok(if left_out {
            FoundItemStatus::NotArrived { issued_at }
        } else {
            FoundItemStatus::Issued { issued_at }
        });
    }
    if !place.arrived {
        if let Some(description) = receiving_items::find_damage(conn, item_id)? {
            return Ok(FoundItemStatus::Damaged { description });
        }
        return Ok(FoundItemStatus::Expected {
            shipment_id: shipments::find_expected_shipment_of_item(conn, item_id)?,
        });
    }
    Ok(if place.cancelled { FoundItemStatus::Cancelled } else { FoundItemStatus::OnShelf })
}

/// The found item as the counter shows it; `None` when nothing is found (or the cache lost it).
pub(crate) fn found_item_view(conn: &Db<'_>, screen: &ShelfScreen) -> Result<Option<FoundItemView>> {
    if let Some(item_id) = &screen.found_item {
        let Some(place) = shelf::get_item_place(conn, item_id)? else { return Ok(None) };
        let status = item_status(conn, &place)?;
        let in_cell = matches!(status, FoundItemStatus::OnShelf | FoundItemStatus::Cancelled);
        return Ok(Some(FoundItemView {
            item_id: Some(place.item.item_id.to_string()),
            order_id: Some(place.item.order_id.to_string()),
            short_code: Some(place.item.short_code),
            buyer: Some(place.item.buyer),
            name: place.item.name,
            variant: place.item.variant,
            cell: in_cell.then_some(place.cell),
            status,
            arrived_at: place.arrived_at.filter(|_| place.arrived),
            other_matches: screen.found_matches,
        }));
    }
    let Some(return_id) = &screen.found_return else { return Ok(None) };
    let return_id = ReturnId::parse(return_id).map_err(|e| KioskError::Internal(e.to_string()))?;
    let Some(unit) = return_items::get_return_item(conn, &return_id)? else { return Ok(None) };
    let Some((status, name)) = returned_status(conn, &return_id)? else { return Ok(None) };
    Ok(Some(FoundItemView {
        item_id: unit.item_id.map(|i| i.to_string()),
        order_id: unit.order_id.map(|o| o.to_string()),
        short_code: None,
        buyer: None,
        name,
        variant: String::new(),
        cell: None,
        status,
        arrived_at: None,
        other_matches: 0,
    }))
}

impl Kiosk {
    /// Finds an item by any code (barcode, mark, return label `PVZR1:…`, item id) and shows it as
    /// `found_item`: where it is and in what state. A cell label scanned next moves it there.
    pub fn find_item(&self, code: &str) -> Result<CounterView> {
        let scan = classify(code);
        self.store.with_tx::<_, KioskError>(|tx| show_found(tx, &scan))?;
        self.view()
    }

    pub fn dismiss_found_item(&self) -> Result<CounterView> {
        self.store.with_tx::<_, KioskError>(|tx| {
            Ok(shelf_screen::change_shelf_screen(tx, |s| {
                (s.found_item, s.found_return, s.found_matches) = (None, None, 0);
            })?)
        })?;
        self.view()
    }
}
