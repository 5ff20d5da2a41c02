//! Scans into the open receiving session: an item code is matched against the shipment and gets a
//! proposed cell; a cell label confirms where the item went. While a cell label is awaited, an
//! item code is refused (`cell_expected`), except a Code 128 text that is the address of one of the
//! point's cells, which a manager may type instead of scanning the shelf label. A cell label is
//! checked for room whether or not it is the proposed one, since the shelves may have changed since
//! the proposal (a move, the feed's cells); a proposal that no longer fits is refused and replaced.

use crate::codes::item_lookup_key;
use crate::error::{KioskError, Result};
use crate::kiosk::timestamp;
use crate::shelves::cells::{cell_error, check_room, shelves, Shelves};
use crate::store::receiving_items::{self, ReceivedState, ReceivingItemRow};
use crate::store::receivings::{self, PendingPlacement, ReceivingRow};
use crate::store::Db;
use crate::store::{cells, receiving_unexpected, shelf_screen};
use crate::view::ScanNotice;
use crate::Kiosk;
use chrono::{DateTime, Utc};
use pvz_domain::{propose_cell, CellLabel, CellProposal, Scan};

/// An item code scanned while the session is on the counter.
pub(crate) fn receive_scan(conn: &Db<'_>, open: &ReceivingRow, scan: &Scan, now: DateTime<Utc>) -> Result<ScanNotice> {
    let scanned = item_lookup_key(scan).ok_or(KioskError::ItemNotInOrder)?;
    let items = receiving_items::list_receiving_items(conn, &open.receiving_id)?;
    let matching: Vec<&ReceivingItemRow> = items
        .iter()
        .filter(|i| {
            scanned.matches(i.item.barcode.as_deref(), i.item.mark.as_deref())
                || i.item.item_id.as_str() == scanned.code
        })
        .collect();
    if let Some(pending) = &open.pending {
        if let Some(cell) = typed_cell(conn, scan)? {
            return place_pending(conn, open, &cell, now);
        }
        if matching.iter().any(|i| i.item.item_id == pending.item_id) {
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
        let pending = proposal_for(conn, item)?;
        receivings::set_pending(conn, &open.receiving_id, Some(&pending))?;
        return Ok(ScanNotice::ReceivingItemMatched {
            item_id: item.item.item_id.to_string(),
            proposed_cell: pending.proposed.to_string(),
        });
    }
    match matching.first().map(|i| &i.state) {
        Some(ReceivedState::Placed { cell, .. }) => Err(KioskError::AlreadyPlaced { cell: cell.clone() }),
        Some(_) => Err(KioskError::InvalidInput("this item was recorded as damaged in this receiving".into())),
        None => {
            let code = scanned.code;
            let new = receiving_unexpected::record_unexpected(conn, &open.receiving_id, &code, &timestamp(now))?;
            Ok(ScanNotice::UnexpectedRecorded { code, new })
        }
    }
}

/// Where the kiosk proposes to put `item`, under the domain's rule, as the placement awaiting its label.
fn proposal_for(conn: &Db<'_>, item: &ReceivingItemRow) -> Result<PendingPlacement> {
    let Shelves { cells, placed } = shelves(conn)?;
    let proposal = propose_cell(&cells, &placed, &item.item.order_id).map_err(cell_error)?;
    Ok(PendingPlacement {
        item_id: item.item.item_id.clone(),
        proposed: proposal.cell().clone(),
        with_buyer: matches!(proposal, CellProposal::WithBuyersItems(_)),
    })
}

/// A Code 128 text that is the address of one of the point's cells (typed instead of scanned).
fn typed_cell(conn: &Db<'_>, scan: &Scan) -> Result<Option<CellLabel>> {
    let Scan::Code128 { code } = scan else { return Ok(None) };
    let Ok(label) = CellLabel::parse(code) else { return Ok(None) };
    Ok(cells::list_cells(conn)?.into_iter().any(|c| c.label == label).then_some(label))
}

/// The cell label for the item waiting: the proposed cell, or another of the point's cells (recorded
/// as scanned, beside the proposal); either must be a cell of the point with room now.
pub(crate) fn place_pending(
    conn: &Db<'_>,
    open: &ReceivingRow,
    cell: &CellLabel,
    now: DateTime<Utc>,
) -> Result<ScanNotice> {
    let pending = open.pending.as_ref().ok_or(KioskError::ItemExpected)?;
    check_room(&shelves(conn)?, cell)?;
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

/// A proposal that no longer fits (its cell full, or no longer a cell of the point) is replaced by a
/// new one. Where no cell has room the proposal stays: the refusal already said the cell is full.
fn repropose_if_unfit(conn: &Db<'_>) -> Result<()> {
    let Some(open) = receivings::get_open_receiving(conn)? else { return Ok(()) };
    let Some(pending) = &open.pending else { return Ok(()) };
    if check_room(&shelves(conn)?, &pending.proposed).is_ok() {
        return Ok(());
    }
    let items = receiving_items::list_receiving_items(conn, &open.receiving_id)?;
    let Some(item) = items.iter().find(|i| i.item.item_id == pending.item_id) else { return Ok(()) };
    match proposal_for(conn, item) {
        Ok(next) => Ok(receivings::set_pending(conn, &open.receiving_id, Some(&next))?),
        Err(KioskError::NoFreeCell) => Ok(()),
        Err(e) => Err(e),
    }
}

impl Kiosk {
    /// After a scan refused for its cell (full, or not a cell of the point): if the receiving's
    /// proposal itself no longer fits, a new one is proposed, so the counter shows where the item can
    /// go. In a transaction of its own, since the refusal rolled the scan's back; a failure here is
    /// logged, the refusal stands.
    pub(crate) fn repropose_after_cell_refusal(&self, result: &Result<ScanNotice>) {
        if !matches!(result, Err(KioskError::CellFull { .. } | KioskError::UnknownCell { .. })) {
            return;
        }
        if let Err(e) = self.store.with_tx(repropose_if_unfit) {
            tracing::error!(error = %e, "the receiving's proposal could not be renewed");
        }
    }
}

/// An item code with no other work on the counter: into the open receiving, else the found item
/// screen shows this one; with neither, an order card is what is missing.
pub(crate) fn scan_on_shelves(conn: &Db<'_>, scan: &Scan, now: DateTime<Utc>) -> Result<ScanNotice> {
    if let Some(open) = receivings::get_open_receiving(conn)? {
        return receive_scan(conn, &open, scan, now);
    }
    if shelf_screen::get_shelf_screen(conn)?.is_showing_found() {
        return crate::shelves::found::show_found(conn, scan);
    }
    Err(KioskError::NoActiveOrder)
}
