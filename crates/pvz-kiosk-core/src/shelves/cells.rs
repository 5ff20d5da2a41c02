//! Ячейки: what each cell holds now, and moving an item to another cell (перемещение) under the
//! domain's rules, each move one `ItemMoved` op. A cell label scanned goes to the receiving's
//! proposal first, then to the item `find_item` shows.

use crate::desk::ensure_no_hand_back;
use crate::error::{KioskError, Result};
use crate::kiosk::{parse_item_id, timestamp};
use crate::store::cell_placements::{self, NewPlacement, PlacementSource};
use crate::store::Db;
use crate::store::{cells, outbox, receiving_items, receivings, settings, shelf, shelf_screen};
use crate::view::shelves::CellView;
use crate::view::{CounterView, ScanNotice};
use crate::Kiosk;
use chrono::{DateTime, Utc};
use pvz_domain::scan::CELL_LABEL_PREFIX;
use pvz_domain::{check_move, Cell, CellError, CellLabel, OrderId, Placement};
use pvz_protocol::OpBody;
use std::collections::BTreeMap;

/// The point's cells and every item in one now. The buyer key is the order id: the feed carries
/// only a masked name ("Анна К."), which two buyers may share, so items are kept together per order.
pub(crate) struct Shelves {
    pub cells: Vec<Cell>,
    pub placed: Vec<Placement<OrderId>>,
}

/// Items on the shelves, and those placed in the open receiving (in their cells, not yet closed).
pub(crate) fn shelves(conn: &Db<'_>) -> Result<Shelves> {
    let mut placed: Vec<Placement<OrderId>> = shelf::list_placed_items(conn)?
        .into_iter()
        .filter_map(|item| CellLabel::parse(&item.cell).ok().map(|cell| Placement { cell, buyer: item.item.order_id }))
        .collect();
    if let Some(open) = receivings::get_open_receiving(conn)? {
        for item in receiving_items::list_receiving_items(conn, &open.receiving_id)? {
            if let receiving_items::ReceivedState::Placed { cell, .. } = item.state {
                if let Ok(cell) = CellLabel::parse(&cell) {
                    placed.push(Placement { cell, buyer: item.item.order_id });
                }
            }
        }
    }
    Ok(Shelves { cells: cells::list_cells(conn)?, placed })
}

pub(crate) fn cell_error(e: CellError) -> KioskError {
    match e {
        CellError::NoFreeCell => KioskError::NoFreeCell,
        CellError::SameCell(cell) => KioskError::SameCell { cell: cell.to_string() },
        CellError::UnknownCell(cell) => KioskError::UnknownCell { cell: cell.to_string() },
        CellError::TargetFull { cell, capacity } => KioskError::CellFull { cell: cell.to_string(), capacity },
    }
}

/// Room for one more item arriving in `cell` (placed at receiving): one of the point's cells, not full.
/// The domain's move rule without a cell to come from (a cell listed twice counts with its first
/// capacity, as there).
pub(crate) fn check_room(shelves: &Shelves, cell: &CellLabel) -> Result<()> {
    let capacity = shelves
        .cells
        .iter()
        .find(|c| &c.label == cell)
        .map(|c| c.capacity)
        .ok_or_else(|| KioskError::UnknownCell { cell: cell.to_string() })?;
    let items = shelves.placed.iter().filter(|p| &p.cell == cell).count();
    if u32::try_from(items).unwrap_or(u32::MAX) >= capacity {
        return Err(KioskError::CellFull { cell: cell.to_string(), capacity });
    }
    Ok(())
}

/// A cell typed (`A-07`) or scanned (`PVZL1:A-07`) into a call.
pub(crate) fn parse_cell(raw: &str) -> Result<CellLabel> {
    let text = pvz_domain::scan::normalize(raw);
    let address = text.strip_prefix(CELL_LABEL_PREFIX).unwrap_or(&text);
    CellLabel::parse(address).map_err(|e| KioskError::InvalidInput(e.to_string()))
}

/// A cell label: confirms the open receiving's proposal, or moves the found item there.
pub(crate) fn scan_cell_label(conn: &Db<'_>, label: &CellLabel, now: DateTime<Utc>) -> Result<ScanNotice> {
    ensure_no_hand_back(&settings::get_counter_state(conn)?)?;
    if let Some(open) = receivings::get_open_receiving(conn)? {
        if open.pending.is_some() {
            return crate::shelves::receiving_scan::place_pending(conn, &open, label, now);
        }
    }
    let screen = shelf_screen::get_shelf_screen(conn)?;
    let item_id = screen.found_item.ok_or(KioskError::ItemExpected)?;
    let moved = move_to(conn, &item_id, label, now)?;
    Ok(ScanNotice::ItemMoved { item_id, from: moved.from.to_string(), to: moved.to.to_string() })
}

struct Moved {
    from: CellLabel,
    to: CellLabel,
}

/// Moves an item on the shelf to `to`: the domain's rules, then the op and the kiosk's placement.
fn move_to(conn: &Db<'_>, item_id: &str, to: &CellLabel, now: DateTime<Utc>) -> Result<Moved> {
    let item = shelf::get_item_place(conn, item_id)?.ok_or(KioskError::ItemNotFound)?;
    if item.gone {
        return Err(KioskError::NotOnShelf { why: "it was issued or went to returns".into() });
    }
    if !item.arrived {
        return Err(KioskError::NotOnShelf { why: "it has not arrived at the point".into() });
    }
    // The server moves only items of orders still waiting for their buyer.
    if item.cancelled {
        return Err(KioskError::OrderCancelled);
    }
    let from = CellLabel::parse(&item.cell).map_err(|_| KioskError::NotOnShelf {
        why: format!("its recorded cell {:?} is not a cell label", item.cell),
    })?;
    let Shelves { cells, placed } = shelves(conn)?;
    check_move(&cells, &placed, &from, to).map_err(cell_error)?;
    let at = timestamp(now);
    let body = OpBody::ItemMoved {
        order_id: item.item.order_id.clone(),
        item_id: item.item.item_id.clone(),
        from: from.to_string(),
        to: to.to_string(),
    };
    let op = outbox::append_op(conn, &body, &at)?;
    cell_placements::insert_placement(
        conn,
        &NewPlacement {
            item_id: &item.item.item_id,
            order_id: &item.item.order_id,
            cell: &to.to_string(),
            placed_at: &at,
            source: PlacementSource::Moved,
            op_id: &op.op_id.to_string(),
        },
    )?;
    Ok(Moved { from, to: to.clone() })
}

impl Kiosk {
    /// The point's cells in the server's order, with how many items each holds now.
    pub fn list_cells(&self) -> Result<Vec<CellView>> {
        self.store.with_conn(|c| {
            let Shelves { cells, placed } = shelves(c)?;
            let mut counts: BTreeMap<&CellLabel, u32> = BTreeMap::new();
            for p in &placed {
                *counts.entry(&p.cell).or_default() += 1;
            }
            Ok(cells
                .iter()
                .map(|cell| CellView {
                    label: cell.label.to_string(),
                    capacity: cell.capacity,
                    items: counts.get(&cell.label).copied().unwrap_or_default(),
                })
                .collect())
        })
    }

    /// Moves an item on the shelf to `to_cell` (`A-07`, or a scanned `PVZL1:A-07`): refused for
    /// the same cell, a cell the point does not have, or a full one. The item is shown after.
    pub fn move_item(&self, item_id: &str, to_cell: &str) -> Result<CounterView> {
        let item_id = parse_item_id(item_id)?;
        let to = parse_cell(to_cell)?;
        let now = self.now();
        self.counter_tx(|tx| {
            move_to(tx, item_id.as_str(), &to, now)?;
            Ok(shelf_screen::change_shelf_screen(tx, |s| {
                if s.found_item.as_deref() != Some(item_id.as_str()) {
                    s.found_matches = 0;
                }
                s.found_item = Some(item_id.to_string());
                s.found_return = None;
            })?)
        })?;
        self.view()
    }
}
