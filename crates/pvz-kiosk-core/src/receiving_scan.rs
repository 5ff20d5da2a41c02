//! Scans into the open receiving session: an item code is matched against the shipment and gets a
//! proposed cell; a cell label confirms where the item went. While a cell label is awaited, an
//! item code is refused (`cell_expected`), except a Code 128 text that is the address of one of the
//! point's cells, which a manager may type instead of scanning the shelf label.

use crate::cells::{cell_error, shelves, Shelves};
use crate::codes::{code_matches, item_lookup_key};
use crate::counter::timestamp;
use crate::error::{KioskError, Result};
use crate::store::receiving_items::{self, ReceivedState, ReceivingItemRow};
use crate::store::receivings::{self, PendingPlacement, ReceivingRow};
use crate::store::{cells, receiving_unexpected, shelf_screen};
use crate::view::ScanNotice;
use chrono::{DateTime, Utc};
use pvz_domain::{check_move, propose_cell, CellLabel, CellProposal, Scan};
use rusqlite::Connection;

/// An item code scanned while the session is on the counter.
pub(crate) fn receive_scan(
    conn: &Connection,
    open: &ReceivingRow,
    scan: &Scan,
    now: DateTime<Utc>,
) -> Result<ScanNotice> {
    let (code, is_mark) = item_lookup_key(scan).ok_or(KioskError::ItemNotInOrder)?;
    let items = receiving_items::list_receiving_items(conn, &open.receiving_id)?;
    let matching: Vec<&ReceivingItemRow> = items
        .iter()
        .filter(|i| code_matches(&code, is_mark, i.barcode.as_deref(), i.mark.as_deref()) || i.item_id.as_str() == code)
        .collect();
    if let Some(pending) = &open.pending {
        if let Some(cell) = typed_cell(conn, scan)? {
            return place_pending(conn, open, &cell, now);
        }
        if matching.iter().any(|i| i.item_id == pending.item_id) {
            // The same item scanned again: the proposal stands.
            return Ok(ScanNotice::ReceivingItemMatched {
                item_id: pending.item_id.to_string(),
                proposed_cell: pending.proposed.to_string(),
            });
        }
        return Err(KioskError::CellExpected { proposed: pending.proposed.to_string() });
    }
    // Several units of one product (one barcode) in a shipment: the first still waiting is this one.
    if let Some(item) = matching.iter().find(|i| i.state == ReceivedState::Waiting) {
        let proposal = propose(conn, item)?;
        let pending = PendingPlacement {
            item_id: item.item_id.clone(),
            proposed: proposal.cell().clone(),
            with_buyer: matches!(proposal, CellProposal::WithBuyersItems(_)),
        };
        receivings::set_pending(conn, &open.receiving_id, Some(&pending))?;
        return Ok(ScanNotice::ReceivingItemMatched {
            item_id: item.item_id.to_string(),
            proposed_cell: pending.proposed.to_string(),
        });
    }
    match matching.first().map(|i| &i.state) {
        Some(ReceivedState::Placed { cell, .. }) => Err(KioskError::AlreadyPlaced { cell: cell.clone() }),
        Some(_) => Err(KioskError::InvalidInput("this item was recorded as damaged in this receiving".into())),
        None => {
            let new = receiving_unexpected::record_unexpected(conn, &open.receiving_id, &code, &timestamp(now))?;
            Ok(ScanNotice::UnexpectedRecorded { code, new })
        }
    }
}

/// Where the kiosk proposes to put `item`, under the domain's rule.
fn propose(conn: &Connection, item: &ReceivingItemRow) -> Result<CellProposal> {
    let Shelves { cells, placed } = shelves(conn)?;
    propose_cell(&cells, &placed, &item.order_id).map_err(cell_error)
}

/// A Code 128 text that is the address of one of the point's cells (typed instead of scanned).
fn typed_cell(conn: &Connection, scan: &Scan) -> Result<Option<CellLabel>> {
    let Scan::Code128 { code } = scan else { return Ok(None) };
    let Ok(label) = CellLabel::parse(code) else { return Ok(None) };
    Ok(cells::list_cells(conn)?.into_iter().any(|c| c.label == label).then_some(label))
}

/// The cell label for the item waiting: the proposed cell, or another of the point's cells with
/// room (recorded as scanned, beside the proposal).
pub(crate) fn place_pending(
    conn: &Connection,
    open: &ReceivingRow,
    cell: &CellLabel,
    now: DateTime<Utc>,
) -> Result<ScanNotice> {
    let pending = open.pending.as_ref().ok_or(KioskError::ItemExpected)?;
    if cell != &pending.proposed {
        // Taking another cell is moving the item from the proposed one: the same rules apply.
        let Shelves { cells, placed } = shelves(conn)?;
        check_move(&cells, &placed, &pending.proposed, cell).map_err(cell_error)?;
    }
    receiving_items::place_item(
        conn,
        &open.receiving_id,
        &pending.item_id,
        &cell.to_string(),
        &pending.proposed.to_string(),
        &timestamp(now),
    )?;
    receivings::set_pending(conn, &open.receiving_id, None)?;
    Ok(ScanNotice::ItemPlaced { item_id: pending.item_id.to_string(), cell: cell.to_string() })
}

/// An item code with no other work on the counter: into the open receiving, else the found item
/// screen shows this one; with neither, an order card is what is missing.
pub(crate) fn scan_on_shelves(conn: &Connection, scan: &Scan, now: DateTime<Utc>) -> Result<ScanNotice> {
    if let Some(open) = receivings::get_open_receiving(conn)? {
        return receive_scan(conn, &open, scan, now);
    }
    if shelf_screen::get_shelf_screen(conn)?.is_showing_found() {
        return crate::found::show_found(conn, scan);
    }
    Err(KioskError::NoActiveOrder)
}
