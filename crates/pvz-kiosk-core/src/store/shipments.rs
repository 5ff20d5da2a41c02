//! Inbound shipments the point should expect, and the items each brings, as the server sent them (cache
//! tables, cleared on a sync reset). A shipment received here is marked at once, before the feed says so.

use super::StoreError;
use pvz_protocol::ShipmentWire;
use rusqlite::{params, Connection, OptionalExtension};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShipmentRow {
    pub shipment_id: String,
    pub code: String,
    pub expected_at: Option<String>,
    pub received: bool,
}

pub fn upsert_shipment(conn: &Connection, shipment: &ShipmentWire) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO shipments (shipment_id, code, expected_at, received) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (shipment_id) DO UPDATE SET code = excluded.code, expected_at = excluded.expected_at,
             received = excluded.received",
    )?
    .execute(params![shipment.shipment_id, shipment.code, shipment.expected_at, shipment.received])?;
    conn.prepare_cached("DELETE FROM shipment_items WHERE shipment_id = ?1")?.execute([&shipment.shipment_id])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO shipment_items (shipment_id, position, order_id, item_id, missing) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT DO NOTHING",
    )?;
    for (position, item) in shipment.items.iter().enumerate() {
        insert.execute(params![
            shipment.shipment_id,
            position as i64,
            item.order_id.as_str(),
            item.item_id.as_str(),
            item.missing
        ])?;
    }
    Ok(())
}

/// The shipment whose label carries `code`; one not yet received wins over a received one.
pub fn find_shipment_by_code(conn: &Connection, code: &str) -> Result<Option<ShipmentRow>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT shipment_id, code, expected_at, received FROM shipments WHERE code = ?1
             ORDER BY received, rowid DESC LIMIT 1",
        )?
        .query_row([code], |r| {
            Ok(ShipmentRow { shipment_id: r.get(0)?, code: r.get(1)?, expected_at: r.get(2)?, received: r.get(3)? })
        })
        .optional()?)
}

pub fn mark_shipment_received(conn: &Connection, shipment_id: &str) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE shipments SET received = 1 WHERE shipment_id = ?1")?.execute([shipment_id])?;
    Ok(())
}

/// The shipment not yet received that brings this item, if any.
pub fn find_expected_shipment_of_item(conn: &Connection, item_id: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT s.shipment_id FROM shipment_items si JOIN shipments s ON s.shipment_id = si.shipment_id
             WHERE si.item_id = ?1 AND s.received = 0 LIMIT 1",
        )?
        .query_row([item_id], |r| r.get(0))
        .optional()?)
}

/// Drops the shipments and (by cascade) their items: a pull reset rebuilds them from the feed.
pub fn delete_all_shipments(conn: &Connection) -> Result<(), StoreError> {
    conn.execute("DELETE FROM shipments", [])?;
    Ok(())
}
