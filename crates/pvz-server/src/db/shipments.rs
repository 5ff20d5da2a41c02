//! `shipments`, `shipment_items`, `receiving_discrepancies`: inbound shipments a point expects
//! (приёмка), what became of each of their items when received, and the discrepancies the receiving
//! recorded. A shipment is stamped with a fresh feed version of its point when it is added and when
//! it is received, so the point's kiosks pull it (again, with `received` set).

use crate::db::points;
use crate::db::sql::{params, Connection, OptionalExtension};
use crate::error::{Result, ServerError};
use pvz_domain::{ItemId, OrderId, PickupPointId};
use pvz_protocol::{ShipmentItemWire, ShipmentWire};

/// A shipment to add; its orders already exist (expected, not arrived).
#[derive(Debug, Clone)]
pub struct NewShipment<'a> {
    pub id: &'a str,
    pub pickup_point_id: &'a PickupPointId,
    pub code: &'a str,
    pub expected_at: Option<&'a str>,
    pub items: &'a [ShipmentItemWire],
}

/// What receiving did with one expected item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemOutcome {
    Placed,
    Missing,
    Damaged,
}

impl ItemOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemOutcome::Placed => "placed",
            ItemOutcome::Missing => "missing",
            ItemOutcome::Damaged => "damaged",
        }
    }
}

/// One item of a shipment and, once received, its outcome and cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShipmentItemRow {
    pub order_id: OrderId,
    pub item_id: ItemId,
    pub outcome: Option<String>,
    pub cell: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShipmentRow {
    pub id: String,
    pub pickup_point_id: String,
    pub code: String,
    pub expected_at: Option<String>,
    pub created_at: String,
    /// The op that received it, when it was received.
    pub received_op_id: Option<String>,
    pub received_at: Option<String>,
    /// The operator named by the receiving op.
    pub received_by: Option<String>,
    pub items: Vec<ShipmentItemRow>,
}

/// A discrepancy recorded at receiving: `missing` and `damaged` name an expected item, `unexpected`
/// the scanned code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discrepancy {
    /// The receiving op that recorded it.
    pub op_id: String,
    pub kind: String,
    pub order_id: Option<String>,
    pub item_id: Option<String>,
    pub code: Option<String>,
    pub description: Option<String>,
    /// JSON of the photos' references (damaged items).
    pub photos: Option<String>,
}

/// Stores the shipment at feed `version`, which the caller took before its orders' versions (see
/// `Admin::add_shipment`).
pub fn insert_shipment(conn: &Connection, shipment: &NewShipment<'_>, version: i64, now: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO shipments (id, pickup_point_id, code, expected_at, created_at, version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![shipment.id, shipment.pickup_point_id.as_str(), shipment.code, shipment.expected_at, now, version],
    )?;
    let mut item = conn.prepare_cached(
        "INSERT INTO shipment_items (shipment_id, position, order_id, item_id) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (position, it) in shipment.items.iter().enumerate() {
        item.execute(params![shipment.id, position as i64, it.order_id.as_str(), it.item_id.as_str()])?;
    }
    Ok(())
}

/// Whether a shipment with this id exists anywhere, or this code at the point.
pub fn shipment_taken(conn: &Connection, id: &str, point: &PickupPointId, code: &str) -> Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT COUNT(*) FROM shipments WHERE id = ?1 OR (pickup_point_id = ?2 AND code = ?3)",
        params![id, point.as_str(), code],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

fn bad(i: usize, what: &str) -> crate::db::sql::SqlError {
    crate::db::sql::SqlError::bad_column(i, what.to_owned())
}

pub fn get_shipment(conn: &Connection, id: &str) -> Result<Option<ShipmentRow>> {
    let head = conn
        .prepare_cached(
            "SELECT pickup_point_id, code, expected_at, created_at, received_op_id, received_at, received_by
             FROM shipments WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok(ShipmentRow {
                id: id.to_owned(),
                pickup_point_id: r.get(0)?,
                code: r.get(1)?,
                expected_at: r.get(2)?,
                created_at: r.get(3)?,
                received_op_id: r.get(4)?,
                received_at: r.get(5)?,
                received_by: r.get(6)?,
                items: Vec::new(),
            })
        })
        .optional()?;
    let Some(mut shipment) = head else { return Ok(None) };
    let mut stmt = conn.prepare_cached(
        "SELECT order_id, item_id, outcome, cell FROM shipment_items WHERE shipment_id = ?1 ORDER BY position",
    )?;
    shipment.items = stmt
        .query_map([id], |r| {
            Ok(ShipmentItemRow {
                order_id: OrderId::parse(&r.get::<String>(0)?).map_err(|_| bad(0, "order id"))?,
                item_id: ItemId::parse(&r.get::<String>(1)?).map_err(|_| bad(1, "item id"))?,
                outcome: r.get(2)?,
                cell: r.get(3)?,
            })
        })?
        .collect::<crate::db::sql::SqlResult<Vec<_>>>()?;
    Ok(Some(shipment))
}

/// The point's shipments, newest first.
pub fn list_shipments(conn: &Connection, point: &PickupPointId) -> Result<Vec<ShipmentRow>> {
    let mut stmt =
        conn.prepare_cached("SELECT id FROM shipments WHERE pickup_point_id = ?1 ORDER BY created_at DESC, id")?;
    let ids =
        stmt.query_map([point.as_str()], |r| r.get::<String>(0))?.collect::<crate::db::sql::SqlResult<Vec<_>>>()?;
    ids.iter()
        .map(|id| get_shipment(conn, id)?.ok_or_else(|| ServerError::Internal(format!("shipment {id} vanished"))))
        .collect()
}

/// The shipment as the feed sends it.
pub fn get_shipment_wire(conn: &Connection, id: &str) -> Result<Option<ShipmentWire>> {
    Ok(get_shipment(conn, id)?.map(|s| ShipmentWire {
        shipment_id: s.id,
        code: s.code,
        expected_at: s.expected_at,
        items: s
            .items
            .into_iter()
            .map(|i| ShipmentItemWire {
                missing: i.outcome.as_deref() == Some(ItemOutcome::Missing.as_str()),
                order_id: i.order_id,
                item_id: i.item_id,
            })
            .collect(),
        received: s.received_op_id.is_some(),
    }))
}

/// Records the shipment as received by `op_id` (at a fresh feed version), with each item's outcome.
/// Only once: a shipment another op received since the caller read it is [`ServerError::Conflict`].
pub fn set_received(
    conn: &Connection,
    point: &PickupPointId,
    id: &str,
    op_id: &str,
    at: &str,
    received_by: Option<&str>,
    outcomes: &[(&ItemId, ItemOutcome, Option<String>)],
) -> Result<()> {
    let version = points::bump_version(conn, point, 1)?;
    let changed = conn.execute(
        "UPDATE shipments SET received_op_id = ?2, received_at = ?3, received_by = ?4, version = ?5
         WHERE id = ?1 AND received_op_id IS NULL",
        params![id, op_id, at, received_by, version],
    )?;
    if changed != 1 {
        return Err(ServerError::Conflict(format!("shipment {id} was received already")));
    }
    let mut item = conn
        .prepare_cached("UPDATE shipment_items SET outcome = ?3, cell = ?4 WHERE shipment_id = ?1 AND item_id = ?2")?;
    for (item_id, outcome, cell) in outcomes {
        item.execute(params![id, item_id.as_str(), outcome.as_str(), cell])?;
    }
    Ok(())
}

pub fn insert_discrepancies(conn: &Connection, shipment: &str, lines: &[Discrepancy]) -> Result<()> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO receiving_discrepancies
           (op_id, line, shipment_id, kind, order_id, item_id, code, description, photos)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (line, d) in lines.iter().enumerate() {
        insert.execute(params![
            d.op_id,
            line as i64 + 1,
            shipment,
            d.kind,
            d.order_id,
            d.item_id,
            d.code,
            d.description,
            d.photos
        ])?;
    }
    Ok(())
}

/// The discrepancies recorded for a shipment, in the order its receiving listed them.
pub fn list_discrepancies(conn: &Connection, shipment: &str) -> Result<Vec<Discrepancy>> {
    let mut stmt = conn.prepare_cached(
        "SELECT op_id, kind, order_id, item_id, code, description, photos FROM receiving_discrepancies
         WHERE shipment_id = ?1 ORDER BY op_id, line",
    )?;
    let rows = stmt
        .query_map([shipment], |r| {
            Ok(Discrepancy {
                op_id: r.get(0)?,
                kind: r.get(1)?,
                order_id: r.get(2)?,
                item_id: r.get(3)?,
                code: r.get(4)?,
                description: r.get(5)?,
                photos: r.get(6)?,
            })
        })?
        .collect::<crate::db::sql::SqlResult<Vec<_>>>()?;
    Ok(rows)
}
