//! Приёмка: receiving an inbound shipment into cells. Scanning a shipment's code opens a session
//! (one at a time, kept in the store, so a restart resumes it); each item scanned is matched against
//! the shipment and the kiosk proposes a cell (keeping one order's items together), which the
//! manager confirms by scanning a cell label — another cell with room is fine. Damaged items are
//! recorded, not placed. Closing writes one `ShipmentReceived` op and puts the placed items in their
//! cells at once (the order card shows the new cell before the server answers).
//!
//! A code that matches no expected item is not an error: it is recorded once as an unexpected
//! code (a discrepancy the op carries) and the notice says so. The session takes item scans only
//! when no other work holds the counter, so an order can be issued in the middle of receiving;
//! scanning the shipment's code again (or `resume_receiving`) brings it back.

use crate::desk::ensure_no_hand_back;
use crate::error::{KioskError, Result};
use crate::evidence;
use crate::kiosk::{parse_item_id, timestamp};
use crate::store::cell_placements::{self, NewPlacement, PlacementSource};
use crate::store::receiving_items::{self, ReceivedState, ReceivingItemRow};
use crate::store::receivings::{self, ReceivingRow};
use crate::store::shipments::{self, ShipmentRow};
use crate::store::Db;
use crate::store::{outbox, receiving_photos, receiving_unexpected, settings, shelf_screen, CounterState};
use crate::view::shelves::{CellProposalView, ReceivingCounts, ReceivingItemState, ReceivingItemView, ReceivingView};
use crate::view::{CounterView, ScanNotice};
use crate::Kiosk;
use chrono::{DateTime, Utc};
use pvz_domain::{ItemId, Scan};
use pvz_protocol::{DamagedItem, OpBody, PlacedItem};
use uuid::Uuid;

/// The shipment whose label this scan is, if it is a code a shipment was announced with.
pub(crate) fn shipment_of_scan(conn: &Db<'_>, scan: &Scan) -> Result<Option<ShipmentRow>> {
    match scan {
        Scan::Code128 { code } | Scan::Ean13 { code } => Ok(shipments::find_shipment_by_code(conn, code)?),
        _ => Ok(None),
    }
}

/// Receiving on the counter: the other work leaves the screen (keeping its data, as an order card
/// set aside does), and so do the shelf screens.
fn take_the_counter(conn: &Db<'_>) -> Result<()> {
    settings::set_counter_state(conn, &CounterState::default())?;
    shelf_screen::change_shelf_screen(conn, |s| {
        (s.found_item, s.found_return, s.found_matches, s.expiry_open) = (None, None, 0, false);
    })?;
    Ok(())
}

/// A shipment's code: opens its receiving, or brings the open one back to the counter.
pub(crate) fn open_shipment(
    conn: &Db<'_>,
    state: &CounterState,
    shipment: ShipmentRow,
    now: DateTime<Utc>,
) -> Result<ScanNotice> {
    ensure_no_hand_back(state)?;
    if let Some(open) = receivings::get_open_receiving(conn)? {
        if open.shipment_id != shipment.shipment_id {
            return Err(KioskError::ReceivingInProgress { shipment_code: open.shipment_code });
        }
    } else {
        if shipment.received || receivings::was_received_here(conn, &shipment.shipment_id)? {
            return Err(KioskError::ShipmentAlreadyReceived);
        }
        let receiving_id = Uuid::now_v7().to_string();
        receivings::insert_receiving(
            conn,
            &ReceivingRow {
                receiving_id: receiving_id.clone(),
                shipment_id: shipment.shipment_id.clone(),
                shipment_code: shipment.code,
                expected_at: shipment.expected_at,
                opened_at: timestamp(now),
                pending: None,
            },
        )?;
        receiving_items::insert_expected_items(conn, &receiving_id, &shipment.shipment_id)?;
    }
    take_the_counter(conn)?;
    Ok(ScanNotice::ShipmentOpened { shipment_id: shipment.shipment_id })
}

pub(crate) fn open_receiving(conn: &Db<'_>) -> Result<ReceivingRow> {
    receivings::get_open_receiving(conn)?.ok_or(KioskError::NoReceivingSession)
}

fn session_item(conn: &Db<'_>, open: &ReceivingRow, item_id: &ItemId) -> Result<ReceivingItemRow> {
    receiving_items::list_receiving_items(conn, &open.receiving_id)?
        .into_iter()
        .find(|i| &i.item.item_id == item_id)
        .ok_or(KioskError::NotInShipment)
}

impl Kiosk {
    /// Brings the open receiving session back to the counter (as scanning its code again does).
    pub fn resume_receiving(&self) -> Result<CounterView> {
        self.store.with_tx::<_, KioskError>(|tx| {
            ensure_no_hand_back(&settings::get_counter_state(tx)?)?;
            open_receiving(tx)?;
            take_the_counter(tx)
        })?;
        self.view()
    }

    /// Records an expected item of the open session as damaged: not placed (a placed one leaves its
    /// cell), carried in the op with `description` and photos.
    pub fn mark_damaged(&self, item_id: &str, description: &str) -> Result<CounterView> {
        let item_id = parse_item_id(item_id)?;
        let description = description.trim();
        if description.is_empty() {
            return Err(KioskError::InvalidInput("describe the damage".into()));
        }
        self.counter_tx(|tx| {
            let open = open_receiving(tx)?;
            session_item(tx, &open, &item_id)?;
            receiving_items::mark_damaged(tx, &open.receiving_id, &item_id, description)?;
            if open.pending.as_ref().is_some_and(|p| p.item_id == item_id) {
                receivings::set_pending(tx, &open.receiving_id, None)?;
            }
            Ok(())
        })?;
        self.view()
    }

    /// Attaches a photo to an item recorded as damaged in the open session; it travels with the op.
    pub fn attach_damage_photo(&self, item_id: &str, bytes: &[u8]) -> Result<CounterView> {
        let item_id = parse_item_id(item_id)?;
        let at = timestamp(self.now());
        self.counter_tx(|tx| {
            let open = open_receiving(tx)?;
            if !matches!(session_item(tx, &open, &item_id)?.state, ReceivedState::Damaged { .. }) {
                return Err(KioskError::InvalidInput("photos are attached to an item recorded as damaged".into()));
            }
            let photo = evidence::store_photo_ref(self.evidence_dir(), bytes)?;
            Ok(receiving_photos::insert_receiving_photo(tx, &open.receiving_id, &item_id, &photo, &at)?)
        })?;
        self.view()
    }

    /// Closes the open session: one `ShipmentReceived` op with the placed items (their cells as
    /// scanned), the missing ones (expected, never scanned), the unexpected codes and the damaged
    /// items; the placed items are in their cells from now on. Refused while an item waits for its
    /// cell label.
    pub fn close_receiving(&self) -> Result<CounterView> {
        let at = timestamp(self.now());
        self.counter_tx(|tx| {
            let open = open_receiving(tx)?;
            if let Some(pending) = &open.pending {
                return Err(KioskError::CellExpected { proposed: pending.proposed.to_string() });
            }
            let items = receiving_items::list_receiving_items(tx, &open.receiving_id)?;
            let (mut placed, mut missing, mut damaged) = (Vec::new(), Vec::new(), Vec::new());
            for item in &items {
                match &item.state {
                    ReceivedState::Waiting => missing.push(item.item.item_id.clone()),
                    ReceivedState::Placed { cell, .. } => placed.push(PlacedItem {
                        order_id: item.item.order_id.clone(),
                        item_id: item.item.item_id.clone(),
                        cell: cell.clone(),
                    }),
                    ReceivedState::Damaged { description } => damaged.push(DamagedItem {
                        order_id: item.item.order_id.clone(),
                        item_id: item.item.item_id.clone(),
                        description: description.clone(),
                        photos: receiving_photos::list_receiving_photos(tx, &open.receiving_id, &item.item.item_id)?,
                    }),
                }
            }
            let body = OpBody::ShipmentReceived {
                shipment_id: open.shipment_id.clone(),
                placed,
                missing,
                unexpected: receiving_unexpected::list_unexpected(tx, &open.receiving_id)?,
                damaged,
            };
            let op_id = outbox::append_op(tx, &body, &at)?.op_id.to_string();
            for item in &items {
                if let ReceivedState::Placed { cell, .. } = &item.state {
                    // The order arrives when receiving closes, as the server records it from the op.
                    let placement = NewPlacement {
                        item_id: &item.item.item_id,
                        order_id: &item.item.order_id,
                        cell,
                        placed_at: &at,
                        source: PlacementSource::Received,
                        op_id: &op_id,
                    };
                    cell_placements::insert_placement(tx, &placement)?;
                }
            }
            receivings::close_receiving(tx, &open.receiving_id, &at, &op_id)?;
            shipments::mark_shipment_received(tx, &open.shipment_id)?;
            Ok(())
        })?;
        self.view()
    }

    /// Drops the open session (its damaged items and unexpected codes with it), only while nothing
    /// is placed: placed items are on the shelves and must reach the server, so close instead.
    pub fn cancel_receiving(&self) -> Result<CounterView> {
        self.counter_tx(|tx| {
            let open = open_receiving(tx)?;
            let items = receiving_items::list_receiving_items(tx, &open.receiving_id)?;
            let placed = items.iter().filter(|i| matches!(i.state, ReceivedState::Placed { .. })).count();
            if placed > 0 {
                return Err(KioskError::ReceivingHasPlacements(placed));
            }
            Ok(receivings::delete_open_receiving(tx, &open.receiving_id)?)
        })?;
        self.view()
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The open session as the counter shows it.
pub(crate) fn receiving_view(conn: &Db<'_>) -> Result<Option<ReceivingView>> {
    let Some(open) = receivings::get_open_receiving(conn)? else { return Ok(None) };
    let rows = receiving_items::list_receiving_items(conn, &open.receiving_id)?;
    let unexpected = receiving_unexpected::list_unexpected(conn, &open.receiving_id)?;
    let pending = open.pending.as_ref().map(|p| CellProposalView {
        item_id: p.item_id.to_string(),
        name: rows.iter().find(|r| r.item.item_id == p.item_id).map(|r| r.item.name.clone()).unwrap_or_default(),
        proposed_cell: p.proposed.to_string(),
        with_buyers_items: p.with_buyer,
    });
    let mut counts = ReceivingCounts {
        expected: count(rows.len()),
        placed: 0,
        damaged: 0,
        waiting: 0,
        unexpected: count(unexpected.len()),
    };
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let state = match row.state {
            ReceivedState::Waiting => {
                counts.waiting += 1;
                ReceivingItemState::Waiting
            }
            ReceivedState::Placed { cell, proposed_cell, .. } => {
                counts.placed += 1;
                ReceivingItemState::Placed { cell, proposed_cell }
            }
            ReceivedState::Damaged { description } => {
                counts.damaged += 1;
                let photos = receiving_photos::list_receiving_photos(conn, &open.receiving_id, &row.item.item_id)?;
                ReceivingItemState::Damaged { description, photos: count(photos.len()) }
            }
        };
        items.push(ReceivingItemView {
            item_id: row.item.item_id.to_string(),
            order_id: row.item.order_id.to_string(),
            short_code: row.item.short_code,
            buyer: row.item.buyer,
            name: row.item.name,
            variant: row.item.variant,
            barcode: row.item.barcode,
            state,
        });
    }
    Ok(Some(ReceivingView {
        receiving_id: open.receiving_id,
        shipment_id: open.shipment_id,
        shipment_code: open.shipment_code,
        expected_at: open.expected_at,
        opened_at: open.opened_at,
        items,
        pending,
        unexpected,
        counts,
    }))
}
