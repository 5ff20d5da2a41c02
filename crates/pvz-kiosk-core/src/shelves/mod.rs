//! Полки: goods coming into the point and on its shelves. Receiving a shipment into cells (приёмка),
//! the cells and moving an item between them, finding an item, and the storage expiry that sends
//! unclaimed goods to returns. The scans the shelves take and the shelf half of the counter view
//! are routed from here.

mod cells;
mod expiry;
mod found;
mod receiving;
mod receiving_scan;

pub(crate) use cells::scan_cell_label;
pub(crate) use receiving::{open_shipment, shipment_of_scan};
pub(crate) use receiving_scan::scan_on_shelves;

use crate::error::Result;
use crate::store::{shelf_screen, Db};
use crate::view::{ExpiryView, FoundItemView, ReceivingView};
use chrono::{DateTime, Utc};

/// What the counter view shows of the shelves.
pub(crate) struct ShelfViews {
    pub receiving: Option<ReceivingView>,
    pub found_item: Option<FoundItemView>,
    pub expiry: Option<ExpiryView>,
    pub overdue_items: u32,
}

pub(crate) fn shelf_views(db: &Db<'_>, now: DateTime<Utc>) -> Result<ShelfViews> {
    let screen = shelf_screen::get_shelf_screen(db)?;
    let expiry = expiry::expiry_view(db, now)?;
    Ok(ShelfViews {
        receiving: receiving::receiving_view(db)?,
        found_item: found::found_item_view(db, &screen)?,
        overdue_items: u32::try_from(expiry.items.len()).unwrap_or(u32::MAX),
        expiry: screen.expiry_open.then_some(expiry),
    })
}
