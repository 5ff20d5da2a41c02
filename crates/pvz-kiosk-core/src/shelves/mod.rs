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
use crate::store::shelf_screen::ShelfScreen;
use crate::store::{shelf_screen, Db};
use crate::view::{ExpiryView, ReceivingView, Screen};
use chrono::{DateTime, Utc};

/// What the counter view shows of the shelves.
pub(crate) struct ShelfViews {
    /// The receiving in progress: it stays open behind any screen.
    pub receiving: Option<ReceivingView>,
    pub overdue_items: u32,
    /// What the shelves may bring to the front, built only when nothing else is there.
    pub front: ShelfFront,
}

/// A found item or the expiry list, when one is open.
pub(crate) struct ShelfFront {
    screen: ShelfScreen,
    /// Read anyway to count the overdue items; shown only while the list is open.
    expiry: ExpiryView,
}

impl ShelfFront {
    /// The found item, else the expiry list while it is open; `None` when the shelves put nothing in front.
    pub(crate) fn into_screen(self, db: &Db<'_>) -> Result<Option<Screen>> {
        if let Some(found) = found::found_item_view(db, &self.screen)? {
            return Ok(Some(Screen::FoundItem(found)));
        }
        Ok(self.screen.expiry_open.then_some(Screen::Expiry(self.expiry)))
    }
}

pub(crate) fn shelf_views(db: &Db<'_>, now: DateTime<Utc>) -> Result<ShelfViews> {
    let screen = shelf_screen::get_shelf_screen(db)?;
    let expiry = expiry::expiry_view(db, now)?;
    Ok(ShelfViews {
        receiving: receiving::receiving_view(db)?,
        overdue_items: u32::try_from(expiry.items.len()).unwrap_or(u32::MAX),
        front: ShelfFront { screen, expiry },
    })
}
