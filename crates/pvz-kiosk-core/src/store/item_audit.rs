//! What the audit trail needs to know about an item besides its ops: its card in the order cache,
//! the returned units made of it (and the boxes they went into), found by id or by code.

use super::StoreError;
use rusqlite::{Connection, OptionalExtension};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemCard {
    pub order_id: String,
    pub name: String,
    pub barcode: Option<String>,
    pub mark: Option<String>,
    pub cell: String,
    /// Every item of the same order (this one included).
    pub order_items: Vec<String>,
}

pub fn get_item_card(conn: &Connection, item_id: &str) -> Result<Option<ItemCard>, StoreError> {
    let card = conn
        .prepare_cached("SELECT order_id, name, barcode, mark, cell FROM order_items WHERE item_id = ?1")?
        .query_row([item_id], |r| {
            Ok(ItemCard {
                order_id: r.get(0)?,
                name: r.get(1)?,
                barcode: r.get(2)?,
                mark: r.get(3)?,
                cell: r.get(4)?,
                order_items: Vec::new(),
            })
        })
        .optional()?;
    let Some(mut card) = card else { return Ok(None) };
    let mut stmt = conn.prepare_cached("SELECT item_id FROM order_items WHERE order_id = ?1 ORDER BY position")?;
    card.order_items = stmt.query_map([&card.order_id], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(Some(card))
}

/// A returned unit of an item: its return id, the box it went into, and the codes it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRef {
    pub return_id: String,
    pub item_id: Option<String>,
    pub item_name: String,
    pub box_id: Option<String>,
    pub barcode: Option<String>,
    pub mark: Option<String>,
}

const UNIT_COLUMNS: &str = "return_id, item_id, item_name, box_id, barcode, mark";

fn unit(r: &rusqlite::Row<'_>) -> rusqlite::Result<UnitRef> {
    Ok(UnitRef {
        return_id: r.get(0)?,
        item_id: r.get(1)?,
        item_name: r.get(2)?,
        box_id: r.get(3)?,
        barcode: r.get(4)?,
        mark: r.get(5)?,
    })
}

pub fn list_units_of_item(conn: &Connection, item_id: &str) -> Result<Vec<UnitRef>, StoreError> {
    let sql = format!("SELECT {UNIT_COLUMNS} FROM return_items WHERE item_id = ?1 ORDER BY received_at");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([item_id], unit)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn get_unit(conn: &Connection, return_id: &str) -> Result<Option<UnitRef>, StoreError> {
    let sql = format!("SELECT {UNIT_COLUMNS} FROM return_items WHERE return_id = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([return_id], unit).optional()?)
}

/// Returned units carrying `code` as their barcode or mark (an item from another point's order, such
/// as a claim's, is known only this way).
pub fn find_units_by_code(conn: &Connection, code: &str) -> Result<Vec<UnitRef>, StoreError> {
    let sql = format!("SELECT {UNIT_COLUMNS} FROM return_items WHERE barcode = ?1 OR mark = ?1 ORDER BY received_at");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([code], unit)?;
    Ok(rows.collect::<Result<_, _>>()?)
}
