//! Orders and their items as the server sent them (cache tables, rebuilt on a sync reset).

use super::{corrupt, StoreError};
use pvz_domain::{ItemId, Kopecks, OrderId, OrderStatus};
use pvz_protocol::OrderWire;
use rusqlite::{params, Connection, OptionalExtension, Row};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRow {
    pub order_id: OrderId,
    pub pickup_point_id: String,
    pub short_code: String,
    pub buyer: String,
    pub server_status: OrderStatus,
    pub issued_at: Option<String>,
    /// The network cancelled the order (a `cancel_order` change): it must not be handed over.
    pub cancelled: bool,
    /// Some of its items went to returns as not collected in time: it must not be handed over.
    pub unredeemed: bool,
    /// Whether its goods are at the point (see `ORDER_COLUMNS`); an order that has not arrived is not
    /// issued: there is nothing to hand over.
    pub arrival: Arrival,
}

/// Whether an order's goods are at the point, as far as this kiosk knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrival {
    Arrived,
    /// In a shipment not received yet (by this counter, or another whose receiving the feed brought).
    Expected,
    /// Its shipment was received and every item of it was recorded missing (недостача): only the
    /// network's word that it arrived after all (`pvz-server order-arrived`) makes it issuable.
    RecordedMissing,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRow {
    pub item_id: ItemId,
    pub order_id: OrderId,
    pub name: String,
    pub variant: String,
    pub cell: String,
    pub price: Kopecks,
    pub prepaid: bool,
    pub category: String,
    pub barcode: Option<String>,
    /// A receiving of its shipment (this kiosk's, or another counter's by the feed) recorded it
    /// missing in a partly received order (see [`MISSING_AT_RECEIVING`]).
    pub missing_at_receiving: bool,
}

/// An item is missing at receiving when the receiving of its shipment recorded it missing while
/// it placed or damaged another item of its order (the order is partly at the point), and it has
/// been put in no cell since (by this kiosk, or by the network, which gives an item a cell once it is
/// placed). That receiving is this kiosk's own, closed and not rejected by the server, or whichever
/// counter's the feed reports. An order with every item missing has not arrived at all (see
/// `ORDER_COLUMNS`), and once the network marks it arrived its goods were found.
const MISSING_AT_RECEIVING: &str = "((EXISTS (SELECT 1 FROM receiving_items ri
            JOIN receivings rv ON rv.receiving_id = ri.receiving_id
        WHERE ri.item_id = order_items.item_id AND ri.state = 'waiting' AND rv.closed_at IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.op_id = rv.op_id AND o.state = 'rejected')
            AND EXISTS (SELECT 1 FROM receiving_items other
                        WHERE other.receiving_id = ri.receiving_id AND other.order_id = ri.order_id
                            AND other.state IN ('placed', 'damaged')))
    OR EXISTS (SELECT 1 FROM shipment_items si
        WHERE si.item_id = order_items.item_id AND si.missing = 1
            AND EXISTS (SELECT 1 FROM shipment_items other
                        WHERE other.shipment_id = si.shipment_id AND other.order_id = si.order_id
                            AND other.missing = 0)))
    AND NOT EXISTS (SELECT 1 FROM cell_placements p WHERE p.item_id = order_items.item_id)
    AND order_items.cell = '')";

/// An item found by one of its codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRef {
    pub item_id: String,
    pub order_id: String,
}

fn order_from_row(r: &Row<'_>) -> rusqlite::Result<OrderRow> {
    let status: String = r.get(4)?;
    Ok(OrderRow {
        order_id: OrderId::parse(&r.get::<_, String>(0)?).map_err(corrupt)?,
        pickup_point_id: r.get(1)?,
        short_code: r.get(2)?,
        buyer: r.get(3)?,
        server_status: OrderStatus::parse(&status).ok_or_else(|| corrupt(format!("order status {status:?}")))?,
        issued_at: r.get(5)?,
        cancelled: r.get(6)?,
        unredeemed: r.get(7)?,
        arrival: match r.get::<_, String>(8)?.as_str() {
            "arrived" => Arrival::Arrived,
            "expected" => Arrival::Expected,
            "recorded_missing" => Arrival::RecordedMissing,
            other => return Err(corrupt(format!("order arrival {other:?}"))),
        },
    })
}

/// The last column says whether the order has arrived ([`Arrival`]), as the server decides it for
/// an issue: it has when the server stamped its arrival (receiving placed or damaged one of its
/// items, it was put on the shelf when created, or the network marked it arrived later); or this
/// kiosk's own receiving, closed (so its op is in the outbox ahead of any issue), placed or damaged
/// one of its items; or it is in no shipment the kiosk knows (demo and older orders, on the shelf
/// since they were created, carry no arrival time). One that has not is recorded missing when its
/// shipment was received, by a closed receiving of this kiosk or by the feed's word (a shipment
/// brings all of an order's items, and one placed or damaged would have made it arrive); else it is
/// still expected.
const ORDER_COLUMNS: &str = "order_id, pickup_point_id, short_code, buyer, server_status, issued_at, cancelled,
    EXISTS (SELECT 1 FROM return_items r WHERE r.order_id = orders.order_id AND r.source = 'unredeemed'),
    CASE WHEN orders.arrived_at IS NOT NULL
        OR NOT EXISTS (SELECT 1 FROM order_items oi JOIN shipment_items si ON si.item_id = oi.item_id
                       WHERE oi.order_id = orders.order_id)
        OR EXISTS (SELECT 1 FROM order_items oi JOIN receiving_items ri ON ri.item_id = oi.item_id
                       JOIN receivings rv ON rv.receiving_id = ri.receiving_id
                   WHERE oi.order_id = orders.order_id AND ri.state IN ('placed', 'damaged')
                       AND rv.closed_at IS NOT NULL)
        THEN 'arrived'
    WHEN EXISTS (SELECT 1 FROM order_items oi JOIN receiving_items ri ON ri.item_id = oi.item_id
                     JOIN receivings rv ON rv.receiving_id = ri.receiving_id
                 WHERE oi.order_id = orders.order_id AND rv.closed_at IS NOT NULL)
        OR EXISTS (SELECT 1 FROM order_items oi JOIN shipment_items si ON si.item_id = oi.item_id
                       JOIN shipments s ON s.shipment_id = si.shipment_id
                   WHERE oi.order_id = orders.order_id AND s.received = 1)
        THEN 'recorded_missing'
    ELSE 'expected' END";

pub fn get_order(conn: &Connection, order_id: &OrderId) -> Result<Option<OrderRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {ORDER_COLUMNS} FROM orders WHERE order_id = ?1"))?;
    Ok(stmt.query_row([order_id.as_str()], order_from_row).optional()?)
}

/// Short codes are unique among the orders waiting at one pickup point; if one is reused, an order
/// still waiting wins over an issued (here or elsewhere) or cancelled one, then the newest.
pub fn find_order_by_short_code(conn: &Connection, short_code: &str) -> Result<Option<OrderRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ORDER_COLUMNS} FROM orders WHERE short_code = ?1
         ORDER BY server_status = 'issued' OR cancelled = 1
                  OR EXISTS (SELECT 1 FROM issues i WHERE i.order_id = orders.order_id),
                  rowid DESC
         LIMIT 1"
    ))?;
    Ok(stmt.query_row([short_code], order_from_row).optional()?)
}

/// An order's items; an item's cell is where this kiosk last put it (see `cell_placements`), else the cached one.
pub fn list_items(conn: &Connection, order_id: &OrderId) -> Result<Vec<ItemRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT item_id, order_id, name, variant, {}, price_kopecks, prepaid, category, barcode, {MISSING_AT_RECEIVING}
         FROM order_items WHERE order_id = ?1 ORDER BY position",
        super::cell_placements::effective_cell_sql("order_items")
    ))?;
    let rows = stmt.query_map([order_id.as_str()], |r| {
        Ok(ItemRow {
            item_id: ItemId::parse(&r.get::<_, String>(0)?).map_err(corrupt)?,
            order_id: OrderId::parse(&r.get::<_, String>(1)?).map_err(corrupt)?,
            name: r.get(2)?,
            variant: r.get(3)?,
            cell: r.get(4)?,
            price: Kopecks(r.get(5)?),
            prepaid: r.get(6)?,
            category: r.get(7)?,
            barcode: r.get(8)?,
            missing_at_receiving: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// How a scanned item code finds stored items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemLookup<'a> {
    /// By GTIN-14 (a marking code's, or an EAN-13, EAN-8 or UPC-A barcode's): `order_items.gtin`.
    Gtin(&'a str),
    /// By the exact barcode text (Code 128 text that names no GTIN).
    Barcode(&'a str),
}

impl ItemLookup<'_> {
    fn column_and_code(&self) -> (&'static str, &str) {
        match self {
            ItemLookup::Gtin(gtin) => ("gtin", gtin),
            ItemLookup::Barcode(code) => ("barcode", code),
        }
    }
}

/// The key `order_items.gtin` holds for an item: its expected mark's GTIN-14, else its barcode's.
pub(crate) fn item_gtin(barcode: Option<&str>, mark: Option<&str>) -> Option<String> {
    let from_mark = mark.and_then(|m| m.get(..14)).filter(|g| g.bytes().all(|b| b.is_ascii_digit()));
    from_mark.map(str::to_owned).or_else(|| barcode.and_then(pvz_domain::gtin14))
}

/// Items carrying this code: the mark itself when one is stored (`exact_mark`), else every item of
/// the product (by GTIN or barcode), at most 50.
pub fn find_items_by_code(
    conn: &Connection,
    lookup: ItemLookup<'_>,
    exact_mark: Option<&str>,
) -> Result<Vec<ItemRef>, StoreError> {
    let to_ref = |r: &Row<'_>| Ok(ItemRef { item_id: r.get(0)?, order_id: r.get(1)? });
    if let Some(mark) = exact_mark {
        let mut stmt = conn.prepare_cached("SELECT item_id, order_id FROM order_items WHERE mark = ?1 LIMIT 50")?;
        let found = stmt.query_map([mark], to_ref)?.collect::<Result<Vec<_>, _>>()?;
        if !found.is_empty() {
            return Ok(found);
        }
    }
    let (column, code) = lookup.column_and_code();
    let mut stmt =
        conn.prepare_cached(&format!("SELECT item_id, order_id FROM order_items WHERE {column} = ?1 LIMIT 50"))?;
    let rows = stmt.query_map([code], to_ref)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// An item of the open order found by a scanned code, with the mark the order expects of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemInOrder {
    pub item_id: String,
    /// Честный ЗНАК identity the order expects (GTIN-14 + serial), if it names one.
    pub mark: Option<String>,
}

/// Items of one order carrying this code (a popular product's barcode is in many orders).
pub fn find_items_in_order(
    conn: &Connection,
    order_id: &OrderId,
    lookup: ItemLookup<'_>,
) -> Result<Vec<ItemInOrder>, StoreError> {
    let (column, code) = lookup.column_and_code();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT item_id, mark FROM order_items WHERE {column} = ?1 AND order_id = ?2 ORDER BY position"
    ))?;
    let rows =
        stmt.query_map([code, order_id.as_str()], |r| Ok(ItemInOrder { item_id: r.get(0)?, mark: r.get(1)? }))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Creates or replaces an order with all its items. The feed sends an order's latest state only, so
/// an upsert after a cancellation means the server reopened it: the flag is cleared.
pub fn upsert_order(conn: &Connection, order: &OrderWire) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO orders (order_id, pickup_point_id, short_code, buyer, server_status, issued_at, cancelled,
             arrived_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7)
         ON CONFLICT (order_id) DO UPDATE SET pickup_point_id = excluded.pickup_point_id,
             short_code = excluded.short_code, buyer = excluded.buyer,
             server_status = excluded.server_status, issued_at = excluded.issued_at, cancelled = 0,
             arrived_at = excluded.arrived_at",
    )?
    .execute(params![
        order.order_id.as_str(),
        order.pickup_point_id.as_str(),
        order.short_code.as_str(),
        order.buyer,
        order.status.as_str(),
        order.issued_at,
        order.arrived_at,
    ])?;
    conn.prepare_cached("DELETE FROM order_items WHERE order_id = ?1")?.execute([order.order_id.as_str()])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO order_items (item_id, order_id, position, name, variant, cell, price_kopecks, prepaid,
             category, barcode, mark, gtin)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for (position, item) in order.items.iter().enumerate() {
        insert.execute(params![
            item.item_id.as_str(),
            order.order_id.as_str(),
            position as i64,
            item.name,
            item.variant,
            item.cell,
            item.price.0,
            item.prepaid,
            item.category,
            item.barcode,
            item.mark,
            item_gtin(item.barcode.as_deref(), item.mark.as_deref()),
        ])?;
    }
    Ok(())
}

/// Marks a cached order cancelled, keeping its items so the card can still be shown and set aside.
/// A cancellation of an order this kiosk never cached has nothing to mark; returns whether one was.
pub fn mark_order_cancelled(conn: &Connection, order_id: &OrderId) -> Result<bool, StoreError> {
    let changed =
        conn.prepare_cached("UPDATE orders SET cancelled = 1 WHERE order_id = ?1")?.execute([order_id.as_str()])?;
    Ok(changed > 0)
}

/// Drops every cached order and (by cascade) its items: a pull reset rebuilds them from the feed.
pub fn delete_all_orders(conn: &Connection) -> Result<(), StoreError> {
    conn.execute("DELETE FROM orders", [])?;
    Ok(())
}
