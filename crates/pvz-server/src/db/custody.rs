//! `return_units` and `custody_events`: every returned unit a point took in (its return label's id),
//! who holds it now (the point, a box, a driver), and the append-only log of how it got there, each
//! entry naming the op that moved it. The unit row mirrors the log's last entry.

use crate::db::sql::{params, Connection, OptionalExtension};
use crate::error::{Result, ServerError};
use pvz_domain::{EmployeeId, PickupPointId, ReturnBoxId, ReturnId};
use pvz_protocol::ReturnSource;

/// Who holds a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    Point,
    Box(ReturnBoxId),
    Driver(EmployeeId),
}

impl Holder {
    fn columns(&self) -> (&'static str, Option<&str>, Option<&str>) {
        match self {
            Holder::Point => ("point", None, None),
            Holder::Box(b) => ("box", Some(b.as_str()), None),
            Holder::Driver(d) => ("driver", None, Some(d.as_str())),
        }
    }

    fn from_columns(holder: &str, box_id: Option<String>, driver_id: Option<String>) -> Option<Holder> {
        match (holder, box_id, driver_id) {
            ("point", _, _) => Some(Holder::Point),
            ("box", Some(b), _) => ReturnBoxId::parse(&b).ok().map(Holder::Box),
            ("driver", _, Some(d)) => EmployeeId::parse(&d).ok().map(Holder::Driver),
            _ => None,
        }
    }
}

/// The op that moved a unit.
#[derive(Debug, Clone, Copy)]
pub struct OpRef<'a> {
    pub op_id: &'a str,
    pub kind: &'a str,
    pub at: &'a str,
}

/// A unit as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRow {
    pub id: ReturnId,
    pub pickup_point_id: String,
    pub item_id: Option<String>,
    pub source: String,
    pub holder: Holder,
}

/// One entry of a unit's custody log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustodyEvent {
    pub event_no: i64,
    pub pickup_point_id: String,
    pub holder: Holder,
    pub op_id: String,
    pub op_kind: String,
    pub at: String,
}

/// A unit to record at the point that took it in.
#[derive(Debug, Clone, Copy)]
pub struct NewUnit<'a> {
    pub id: &'a ReturnId,
    pub pickup_point_id: &'a PickupPointId,
    pub item_id: Option<&'a str>,
    pub source: ReturnSource,
}

/// Records a unit, held by `holder`, with the first entry of its log. A unit already known is left
/// as it is (a retried or repeated op names the same label): returns false then.
pub fn insert_unit(conn: &Connection, unit: &NewUnit<'_>, holder: &Holder, op: OpRef<'_>) -> Result<bool> {
    let (what, box_id, driver_id) = holder.columns();
    let inserted = conn
        .prepare_cached(
            "INSERT INTO return_units (id, pickup_point_id, item_id, source, holder, box_id, driver_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (id) DO NOTHING",
        )?
        .execute(params![
            unit.id.as_str(),
            unit.pickup_point_id.as_str(),
            unit.item_id,
            unit.source.as_str(),
            what,
            box_id,
            driver_id,
            op.at
        ])?;
    if inserted == 0 {
        return Ok(false);
    }
    append_event(conn, unit.id, unit.pickup_point_id, holder, op)?;
    Ok(true)
}

/// Hands a known unit from `from`, the holder the caller found, to `holder` and logs it. A unit
/// another op moved since it was read (boxed twice, handed to two drivers) is
/// [`ServerError::Conflict`], so its custody log never forks.
pub fn move_unit(
    conn: &Connection,
    id: &ReturnId,
    point: &PickupPointId,
    from: &Holder,
    holder: &Holder,
    op: OpRef<'_>,
) -> Result<()> {
    let (what, box_id, driver_id) = holder.columns();
    let (was, was_box, was_driver) = from.columns();
    let changed = conn
        .prepare_cached(
            "UPDATE return_units SET holder = ?2, box_id = ?3, driver_id = ?4
             WHERE id = ?1 AND holder = ?5 AND COALESCE(box_id, '') = ?6 AND COALESCE(driver_id, '') = ?7",
        )?
        .execute(params![
            id.as_str(),
            what,
            box_id,
            driver_id,
            was,
            was_box.unwrap_or_default(),
            was_driver.unwrap_or_default()
        ])?;
    if changed != 1 {
        return Err(ServerError::Conflict(format!("return unit {id} is no longer held by {was}: it moved meanwhile")));
    }
    append_event(conn, id, point, holder, op)
}

fn append_event(conn: &Connection, id: &ReturnId, point: &PickupPointId, holder: &Holder, op: OpRef<'_>) -> Result<()> {
    let (what, box_id, driver_id) = holder.columns();
    conn.prepare_cached(
        "INSERT INTO custody_events (return_id, event_no, pickup_point_id, holder, box_id, driver_id, op_id, op_kind, at)
         SELECT ?1, COALESCE(MAX(event_no), 0) + 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8 FROM custody_events WHERE return_id = ?1",
    )?
    .execute(params![id.as_str(), point.as_str(), what, box_id, driver_id, op.op_id, op.kind, op.at])?;
    Ok(())
}

fn bad(i: usize, what: &str) -> crate::db::sql::SqlError {
    crate::db::sql::SqlError::bad_column(i, what.to_owned())
}

fn unit_row(r: &crate::db::sql::Row<'_>) -> crate::db::sql::SqlResult<UnitRow> {
    let id: String = r.get(0)?;
    let holder: String = r.get(4)?;
    Ok(UnitRow {
        id: ReturnId::parse(&id).map_err(|_| bad(0, "return id"))?,
        pickup_point_id: r.get(1)?,
        item_id: r.get(2)?,
        source: r.get(3)?,
        holder: Holder::from_columns(&holder, r.get(5)?, r.get(6)?).ok_or_else(|| bad(4, "holder"))?,
    })
}

const UNIT_COLUMNS: &str = "id, pickup_point_id, item_id, source, holder, box_id, driver_id";

pub fn get_unit(conn: &Connection, id: &ReturnId) -> Result<Option<UnitRow>> {
    let row = conn
        .prepare_cached(&format!("SELECT {UNIT_COLUMNS} FROM return_units WHERE id = ?1"))?
        .query_row([id.as_str()], unit_row)
        .optional()?;
    Ok(row)
}

/// The units packed in a box.
pub fn list_units_in_box(conn: &Connection, box_id: &ReturnBoxId) -> Result<Vec<ReturnId>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM return_units WHERE box_id = ?1 ORDER BY id")?;
    let ids =
        stmt.query_map([box_id.as_str()], |r| r.get::<String>(0))?.collect::<crate::db::sql::SqlResult<Vec<_>>>()?;
    ids.iter().map(|id| ReturnId::parse(id).map_err(|e| ServerError::Internal(e.to_string()))).collect()
}

/// The units whose return id or item id is `id`, each with its custody log, oldest entry first.
pub fn list_custody(conn: &Connection, id: &str) -> Result<Vec<(UnitRow, Vec<CustodyEvent>)>> {
    let mut units = conn.prepare(&format!(
        "SELECT {UNIT_COLUMNS} FROM return_units WHERE id = ?1 OR item_id = ?1 ORDER BY created_at, id"
    ))?;
    let units = units.query_map([id], unit_row)?.collect::<crate::db::sql::SqlResult<Vec<_>>>()?;
    let mut events = conn.prepare(
        "SELECT event_no, pickup_point_id, holder, box_id, driver_id, op_id, op_kind, at FROM custody_events
         WHERE return_id = ?1 ORDER BY event_no",
    )?;
    let mut out = Vec::with_capacity(units.len());
    for unit in units {
        let log = events
            .query_map([unit.id.as_str()], |r| {
                let holder: String = r.get(2)?;
                Ok(CustodyEvent {
                    event_no: r.get(0)?,
                    pickup_point_id: r.get(1)?,
                    holder: Holder::from_columns(&holder, r.get(3)?, r.get(4)?).ok_or_else(|| bad(2, "holder"))?,
                    op_id: r.get(5)?,
                    op_kind: r.get(6)?,
                    at: r.get(7)?,
                })
            })?
            .collect::<crate::db::sql::SqlResult<Vec<_>>>()?;
        out.push((unit, log));
    }
    Ok(out)
}
