//! A hand-back's manifest: the refused items the server says the courier is bringing, in its order.

use super::{corrupt, StoreError};
use pvz_domain::{ItemId, Kopecks, OrderId};
use pvz_protocol::ManifestLine;
use rusqlite::{params, Connection};

/// Stores the manifest, replacing one loaded before.
pub fn replace_hand_back_lines(
    conn: &Connection,
    hand_back_id: &str,
    lines: &[ManifestLine],
) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM hand_back_lines WHERE hand_back_id = ?1")?.execute([hand_back_id])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO hand_back_lines (hand_back_id, position, item_id, order_id, name, variant, barcode, mark,
             category, price_kopecks, prepaid)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (hand_back_id, item_id) DO NOTHING",
    )?;
    for (position, line) in lines.iter().enumerate() {
        insert.execute(params![
            hand_back_id,
            position as i64,
            line.item_id.as_str(),
            line.order_id.as_str(),
            line.name,
            line.variant,
            line.barcode,
            line.mark,
            line.category,
            line.price.0,
            line.prepaid,
        ])?;
    }
    Ok(())
}

pub fn list_hand_back_lines(conn: &Connection, hand_back_id: &str) -> Result<Vec<ManifestLine>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT item_id, order_id, name, variant, barcode, mark, category, price_kopecks, prepaid
         FROM hand_back_lines WHERE hand_back_id = ?1 ORDER BY position",
    )?;
    let rows = stmt.query_map([hand_back_id], |r| {
        Ok(ManifestLine {
            item_id: ItemId::parse(&r.get::<_, String>(0)?).map_err(corrupt)?,
            order_id: OrderId::parse(&r.get::<_, String>(1)?).map_err(corrupt)?,
            name: r.get(2)?,
            variant: r.get(3)?,
            barcode: r.get(4)?,
            mark: r.get(5)?,
            category: r.get(6)?,
            price: Kopecks(r.get(7)?),
            prepaid: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
