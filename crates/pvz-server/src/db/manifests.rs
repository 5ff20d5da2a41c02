//! `courier_manifest_lines`: the items a courier of a point carries back after buyers refused them
//! at the door, one line per item, open until a hand-back at the point accepts it.

use crate::db::employees;
use crate::db::sql::{params, Connection};
use crate::error::{Result, ServerError};
use crate::rules::hand_back::ManifestRow;
use pvz_domain::{EmployeeId, ItemId, Kopecks, OrderId, PickupPointId};
use pvz_protocol::{CourierManifest, EmployeeRole, ManifestLine};

pub fn insert_manifest_line(
    conn: &Connection,
    item: &ItemId,
    courier: &EmployeeId,
    point: &PickupPointId,
    now: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO courier_manifest_lines (item_id, courier_id, pickup_point_id, added_at) VALUES (?1, ?2, ?3, ?4)",
        params![item.as_str(), courier.as_str(), point.as_str(), now],
    )?;
    Ok(())
}

/// The courier's open lines at the point, in the order they were added.
pub fn list_open_lines(conn: &Connection, point: &PickupPointId, courier: &EmployeeId) -> Result<Vec<ManifestRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT i.id, i.order_id, i.name, i.variant, i.barcode, i.mark, i.category, i.price, i.prepaid, i.seller_id,
                o.buyer_id
         FROM courier_manifest_lines m
         JOIN order_items i ON i.id = m.item_id JOIN orders o ON o.id = i.order_id
         WHERE m.courier_id = ?1 AND m.pickup_point_id = ?2 AND m.closed_at IS NULL
         ORDER BY m.added_at, i.order_id, i.position",
    )?;
    let bad = |i: usize| crate::db::sql::SqlError::bad_column(i, "id".into());
    let rows = stmt
        .query_map(params![courier.as_str(), point.as_str()], |r| {
            Ok(ManifestRow {
                line: ManifestLine {
                    item_id: ItemId::parse(&r.get::<String>(0)?).map_err(|_| bad(0))?,
                    order_id: OrderId::parse(&r.get::<String>(1)?).map_err(|_| bad(1))?,
                    name: r.get(2)?,
                    variant: r.get(3)?,
                    barcode: r.get(4)?,
                    mark: r.get(5)?,
                    category: r.get(6)?,
                    price: Kopecks(r.get(7)?),
                    prepaid: r.get::<i64>(8)? != 0,
                },
                seller_id: r.get(9)?,
                buyer_id: r.get(10)?,
            })
        })?
        .collect::<crate::db::sql::SqlResult<Vec<_>>>()?;
    Ok(rows)
}

/// The hand-back that accepted the line's item closes it, only if the line is still open.
///
/// A line another hand-back closed first (possible under PostgreSQL's READ COMMITTED, where two
/// devices' pushes may both read the line open; never under SQLite's single writer) is
/// [`ServerError::Conflict`], not an extra made up here: this hand-back's postings were computed
/// with the line accepted, so taking the item as an extra now would still charge its fee and refund
/// its price a second time. The push undoes what the op wrote and judges it again (see
/// [`crate::push`]): it now reads the line closed, the item becomes an extra that moves no money, and
/// the line's money is posted exactly once.
pub fn close_line(conn: &Connection, item: &ItemId, hand_back_id: &str, now: &str) -> Result<()> {
    let changed = conn
        .prepare_cached(
            "UPDATE courier_manifest_lines SET hand_back_id = ?2, closed_at = ?3
             WHERE item_id = ?1 AND closed_at IS NULL",
        )?
        .execute(params![item.as_str(), hand_back_id, now])?;
    if changed != 1 {
        return Err(ServerError::Conflict(format!(
            "the manifest line of item {item} was closed by another hand-back meanwhile"
        )));
    }
    Ok(())
}

/// What a kiosk of `point` gets when a courier shows a badge: the courier and their open lines. An
/// unknown or retired id (or not a courier) is not found, as the push would refuse their hand-back
/// as an unknown employee; another point's courier is forbidden.
pub fn get_courier_manifest(conn: &Connection, point: &PickupPointId, courier: &EmployeeId) -> Result<CourierManifest> {
    let row = employees::get_employee(conn, courier)?
        .filter(|e| e.wire.role == EmployeeRole::Courier && !e.wire.retired)
        .ok_or_else(|| ServerError::NotFound(format!("courier {courier} does not exist or has retired")))?;
    if row.pickup_point_id != point.as_str() {
        return Err(ServerError::Forbidden(format!("courier {courier} works with another pickup point")));
    }
    let lines = list_open_lines(conn, point, courier)?.into_iter().map(|r| r.line).collect();
    Ok(CourierManifest { courier: row.wire, lines })
}
