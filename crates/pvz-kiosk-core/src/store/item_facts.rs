//! What the counter says of an item wherever it is listed (receiving, the shelves, expiry, find):
//! the item and its order, the order's short code and masked buyer, the item's name, variant,
//! category and codes. Queries select these nine columns first, in this order.

use super::corrupt;
use pvz_domain::{ItemId, OrderId};
use rusqlite::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFacts {
    pub item_id: ItemId,
    pub order_id: OrderId,
    /// Empty when the order was not in the cache (a receiving session copies what it knew).
    pub short_code: String,
    pub buyer: String,
    pub name: String,
    pub variant: String,
    pub category: String,
    pub barcode: Option<String>,
    pub mark: Option<String>,
}

/// How many columns [`ItemFacts::from_row`] reads.
pub const COLUMNS: usize = 9;

impl ItemFacts {
    /// Reads the first [`COLUMNS`] columns of a row.
    pub fn from_row(r: &Row<'_>) -> rusqlite::Result<ItemFacts> {
        Ok(ItemFacts {
            item_id: ItemId::parse(&r.get::<_, String>(0)?).map_err(corrupt)?,
            order_id: OrderId::parse(&r.get::<_, String>(1)?).map_err(corrupt)?,
            short_code: r.get(2)?,
            buyer: r.get(3)?,
            name: r.get(4)?,
            variant: r.get(5)?,
            category: r.get(6)?,
            barcode: r.get(7)?,
            mark: r.get(8)?,
        })
    }
}
