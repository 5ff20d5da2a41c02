//! The items physically at the point, read across the order cache and the kiosk's own records: an
//! item is in a cell once it arrived and until it is issued or becomes a returned unit. It arrived
//! when this kiosk received it into a cell; or when the server says its order arrived and gives the
//! item a cell (the server sets an item's cell only once it is placed, so an item recorded missing
//! at receiving and found later arrives this way); or, with no receiving of it here, when its order
//! arrived or it has no shipment to wait for (demo and older orders). Its cell is the kiosk's newest
//! unsettled placement, else the cached one.

use super::cell_placements::effective_cell_sql;
use super::item_facts::ItemFacts;
use super::StoreError;
use pvz_domain::{ItemId, OrderId};
use rusqlite::{Connection, OptionalExtension, Row};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedItemRow {
    pub item: ItemFacts,
    /// Its cell as the counter should say it (may be empty or unparsable for an item not arrived).
    pub cell: String,
    /// RFC 3339: received here (newest), else the server's arrival of its order.
    pub arrived_at: Option<String>,
    /// It has arrived at the point (see the module doc).
    pub arrived: bool,
    pub cancelled: bool,
    /// Issued (here or elsewhere) or a returned unit: no longer in a cell.
    pub gone: bool,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<PlacedItemRow> {
    Ok(PlacedItemRow {
        item: ItemFacts::from_row(r)?,
        cell: r.get(9)?,
        arrived_at: r.get(10)?,
        arrived: r.get(11)?,
        cancelled: r.get(12)?,
        gone: r.get(13)?,
    })
}

/// `from_where` names `order_items oi` and `orders o`, joined, and filters them.
fn select(from_where: &str) -> String {
    let cell = effective_cell_sql("oi");
    format!(
        "SELECT oi.item_id, oi.order_id, o.short_code, o.buyer, oi.name, oi.variant, oi.category, oi.barcode, oi.mark,
             {cell},
             COALESCE((SELECT MAX(p.placed_at) FROM cell_placements p
                       WHERE p.item_id = oi.item_id AND p.source = 'received'), o.arrived_at),
             EXISTS (SELECT 1 FROM cell_placements p WHERE p.item_id = oi.item_id AND p.source = 'received')
                 OR (o.arrived_at IS NOT NULL AND oi.cell <> '')
                 OR (NOT EXISTS (SELECT 1 FROM receiving_items ri WHERE ri.item_id = oi.item_id)
                     AND (o.arrived_at IS NOT NULL
                          OR NOT EXISTS (SELECT 1 FROM shipment_items si WHERE si.item_id = oi.item_id))) AS arrived,
             o.cancelled,
             o.server_status = 'issued'
                 OR EXISTS (SELECT 1 FROM issues i WHERE i.order_id = o.order_id)
                 OR EXISTS (SELECT 1 FROM return_items r WHERE r.item_id = oi.item_id) AS gone
         {from_where}"
    )
}

/// Every item in a cell now (cancelled orders' items too: they are still on the shelf). Orders the
/// server says are issued are skipped first (by a partial index): they are most of the cache.
pub fn list_placed_items(conn: &Connection) -> Result<Vec<PlacedItemRow>, StoreError> {
    let sql = format!(
        "SELECT * FROM ({}) WHERE arrived AND NOT gone ORDER BY order_id, item_id",
        // CROSS JOIN keeps orders the outer loop, so the partial index skips the issued ones.
        select(
            "FROM orders o CROSS JOIN order_items oi ON oi.order_id = o.order_id
             WHERE o.server_status <> 'issued'"
        )
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The items of one order in a cell now, by item id.
pub fn list_placed_items_of_order(conn: &Connection, order_id: &OrderId) -> Result<Vec<PlacedItemRow>, StoreError> {
    let sql = format!(
        "SELECT * FROM ({}) WHERE arrived AND NOT gone ORDER BY item_id",
        select("FROM order_items oi JOIN orders o ON o.order_id = oi.order_id WHERE oi.order_id = ?1")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([order_id.as_str()], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One cached order item and where it is, whatever its state.
pub fn get_item_place(conn: &Connection, item_id: &str) -> Result<Option<PlacedItemRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&select(
        "FROM order_items oi JOIN orders o ON o.order_id = oi.order_id WHERE oi.item_id = ?1",
    ))?;
    Ok(stmt.query_row([item_id], from_row).optional()?)
}

/// Cached order items carrying this code or id: the very unit of a Честный ЗНАК mark when one is
/// stored, else the product's items (by GTIN or barcode, see [`super::orders::find_items_by_code`]),
/// or the item id itself (typed, or printed as Code 128).
pub fn find_item_ids_by_code(
    conn: &Connection,
    code: &str,
    lookup: super::orders::ItemLookup<'_>,
    exact_mark: Option<&str>,
) -> Result<Vec<String>, StoreError> {
    let mut ids: Vec<String> =
        super::orders::find_items_by_code(conn, lookup, exact_mark)?.into_iter().map(|found| found.item_id).collect();
    if ids.is_empty() {
        let mut stmt = conn.prepare_cached("SELECT item_id FROM order_items WHERE item_id = ?1")?;
        ids = stmt.query_map([code], |r| r.get(0))?.collect::<Result<_, _>>()?;
    }
    Ok(ids)
}

/// The newest returned unit made of this item (refused, claimed back, handed back, unredeemed).
pub fn find_return_of_item(conn: &Connection, item_id: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT return_id FROM return_items WHERE item_id = ?1 ORDER BY received_at DESC, rowid DESC")?
        .query_row([item_id], |r| r.get(0))
        .optional()?)
}

/// A returned unit made of a cached order item not collected in time, its name and codes copied
/// (the order cache may be rebuilt).
pub fn insert_unredeemed_unit(
    conn: &Connection,
    return_id: &str,
    item_id: &ItemId,
    at: &str,
) -> Result<(), StoreError> {
    let inserted = conn
        .prepare_cached(
            "INSERT INTO return_items (return_id, source, item_id, order_id, item_name, barcode, mark, received_at)
             SELECT ?1, 'unredeemed', item_id, order_id, name, barcode, mark, ?3
             FROM order_items WHERE item_id = ?2",
        )?
        .execute(rusqlite::params![return_id, item_id.as_str(), at])?;
    if inserted != 1 {
        return Err(StoreError::Corrupt(format!("unredeemed item {item_id} is not in the order cache")));
    }
    Ok(())
}
