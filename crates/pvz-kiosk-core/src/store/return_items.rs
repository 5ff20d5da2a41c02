//! Returned units held at the point (refused at the counter, handed back by a courier, accepted on a
//! claim) until they leave in a box. A unit is waiting while it is in no box.

use super::{corrupt, StoreError};
use pvz_domain::{ClaimId, ItemId, OrderId, RefusalReason, ReturnBoxId, ReturnId};
use pvz_protocol::ReturnSource;
use rusqlite::{params, Connection, OptionalExtension, Row};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnItemRow {
    pub return_id: ReturnId,
    pub source: ReturnSource,
    pub item_id: Option<ItemId>,
    pub order_id: Option<OrderId>,
    pub item_name: String,
    pub barcode: Option<String>,
    pub mark: Option<String>,
    pub reason: Option<RefusalReason>,
    pub claim_id: Option<ClaimId>,
    pub hand_back_id: Option<String>,
    pub received_at: String,
    pub box_id: Option<ReturnBoxId>,
}

fn opt<T, E: ToString>(raw: Option<String>, parse: impl Fn(&str) -> Result<T, E>) -> rusqlite::Result<Option<T>> {
    raw.map(|s| parse(&s).map_err(corrupt)).transpose()
}

const COLUMNS: &str = "return_id, source, item_id, order_id, item_name, barcode, mark, reason, claim_id, hand_back_id,
    received_at, box_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<ReturnItemRow> {
    let source: String = r.get(1)?;
    Ok(ReturnItemRow {
        return_id: ReturnId::parse(&r.get::<_, String>(0)?).map_err(corrupt)?,
        source: ReturnSource::parse(&source).ok_or_else(|| corrupt(format!("return source {source:?}")))?,
        item_id: opt(r.get(2)?, ItemId::parse)?,
        order_id: opt(r.get(3)?, OrderId::parse)?,
        item_name: r.get(4)?,
        barcode: r.get(5)?,
        mark: r.get(6)?,
        reason: opt(r.get(7)?, |s| RefusalReason::parse(s).ok_or(format!("refusal reason {s:?}")))?,
        claim_id: opt(r.get(8)?, ClaimId::parse)?,
        hand_back_id: r.get(9)?,
        received_at: r.get(10)?,
        box_id: opt(r.get(11)?, ReturnBoxId::parse)?,
    })
}

pub fn insert_return_item(conn: &Connection, row: &ReturnItemRow) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO return_items (return_id, source, item_id, order_id, item_name, barcode, mark, reason, claim_id,
             hand_back_id, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        row.return_id.as_str(),
        row.source.as_str(),
        row.item_id.as_ref().map(ItemId::as_str),
        row.order_id.as_ref().map(OrderId::as_str),
        row.item_name,
        row.barcode,
        row.mark,
        row.reason.map(RefusalReason::as_str),
        row.claim_id.as_ref().map(ClaimId::as_str),
        row.hand_back_id,
        row.received_at,
    ])?;
    Ok(())
}

/// A unit refused at the counter, its name and codes copied from the cached order item.
pub fn insert_counter_refusal(
    conn: &Connection,
    return_id: &ReturnId,
    item_id: &ItemId,
    reason: RefusalReason,
    at: &str,
) -> Result<(), StoreError> {
    let inserted = conn
        .prepare_cached(
            "INSERT INTO return_items (return_id, source, item_id, order_id, item_name, barcode, mark, reason,
                 received_at)
             SELECT ?1, 'counter_refusal', item_id, order_id, name, barcode, mark, ?3, ?4
             FROM order_items WHERE item_id = ?2",
        )?
        .execute(params![return_id.as_str(), item_id.as_str(), reason.as_str(), at])?;
    if inserted != 1 {
        return Err(StoreError::Corrupt(format!("refused item {item_id} is not in the order cache")));
    }
    Ok(())
}

pub fn get_return_item(conn: &Connection, return_id: &ReturnId) -> Result<Option<ReturnItemRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM return_items WHERE return_id = ?1"))?;
    Ok(stmt.query_row([return_id.as_str()], from_row).optional()?)
}

/// Units in no box, oldest first.
pub fn list_waiting_return_items(conn: &Connection) -> Result<Vec<ReturnItemRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM return_items WHERE box_id IS NULL ORDER BY received_at, rowid"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The units in a box, in the order they were packed.
pub fn list_box_items(conn: &Connection, box_id: &ReturnBoxId) -> Result<Vec<ReturnItemRow>, StoreError> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM return_items WHERE box_id = ?1 ORDER BY boxed_at, rowid"))?;
    let rows = stmt.query_map([box_id.as_str()], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn put_return_item_in_box(
    conn: &Connection,
    return_id: &ReturnId,
    box_id: &ReturnBoxId,
    at: &str,
) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE return_items SET box_id = ?2, boxed_at = ?3 WHERE return_id = ?1 AND box_id IS NULL")?
        .execute(params![return_id.as_str(), box_id.as_str(), at])?;
    Ok(())
}

/// Takes a unit out of `box_id` back to the waiting ones; returns whether it was in that box.
pub fn take_return_item_out_of_box(
    conn: &Connection,
    return_id: &ReturnId,
    box_id: &ReturnBoxId,
) -> Result<bool, StoreError> {
    let changed = conn
        .prepare_cached("UPDATE return_items SET box_id = NULL, boxed_at = NULL WHERE return_id = ?1 AND box_id = ?2")?
        .execute(params![return_id.as_str(), box_id.as_str()])?;
    Ok(changed > 0)
}
