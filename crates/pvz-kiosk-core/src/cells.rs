//! Ячейки: what each cell holds now, finding an item by any of its codes, and moving an item to
//! another cell (перемещение) under the domain's rules, each move one `ItemMoved` op.

use crate::error::{KioskError, Result};
use crate::shelf_view::{CellView, ExpiryView, FoundItemView, ReceivingView};
use crate::view::{CounterView, ScanNotice};
use crate::Kiosk;
use chrono::{DateTime, Utc};
use pvz_domain::CellLabel;
use rusqlite::Connection;

/// What the counter view shows of the shelves.
pub(crate) struct ShelfViews {
    pub receiving: Option<ReceivingView>,
    pub found_item: Option<FoundItemView>,
    pub expiry: Option<ExpiryView>,
    pub overdue_items: u32,
}

pub(crate) fn shelf_views(_conn: &Connection, _now: DateTime<Utc>) -> Result<ShelfViews> {
    Ok(ShelfViews { receiving: None, found_item: None, expiry: None, overdue_items: 0 })
}

/// A cell label: confirms the receiving's proposal, or moves the found item there.
pub(crate) fn scan_cell_label(_conn: &Connection, _label: &CellLabel, _now: DateTime<Utc>) -> Result<ScanNotice> {
    Err(KioskError::ItemExpected)
}

fn not_built() -> KioskError {
    KioskError::Internal("cells are being built".into())
}

impl Kiosk {
    /// The point's cells with how many items each holds now.
    pub fn list_cells(&self) -> Result<Vec<CellView>> {
        Err(not_built())
    }

    /// Finds an item by any code (barcode, mark, return label, item id) and shows it
    /// (`found_item`); a cell label scanned next moves it there.
    pub fn find_item(&self, code: &str) -> Result<CounterView> {
        let _ = code;
        Err(not_built())
    }

    pub fn dismiss_found_item(&self) -> Result<CounterView> {
        Err(not_built())
    }

    /// Moves an item on the shelf to `to_cell` (`A-07` or a scanned `PVZL1:A-07`).
    pub fn move_item(&self, item_id: &str, to_cell: &str) -> Result<CounterView> {
        let _ = (item_id, to_cell);
        Err(not_built())
    }
}
