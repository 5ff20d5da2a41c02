//! Return boxes (отправка возвратов): `ReturnBoxClosed` packs returned units of this point into a
//! new box, `BoxesHandedOver` gives closed boxes to a logistics driver of this point. Each moves the
//! units' custody (point → box → driver) and logs the op that moved them. A unit the server has not
//! seen yet (a counter refusal, an unredeemed item) is recorded at the point first, whatever the
//! op's fate. Everything else is checked before anything moves, so a rejected op moves nothing.

use super::{op_ref, Pusher};
use crate::db::boxes::{self, BoxRow};
use crate::db::custody::{self, Holder, NewUnit};
use crate::db::employees;
use crate::db::sql::Connection;
use crate::error::Result;
use crate::rules::Rejection;
use pvz_domain::{EmployeeId, ReturnBoxId};
use pvz_protocol::sync::{reject, PushOp};
use pvz_protocol::{BoxedItem, EmployeeRole};
use std::collections::BTreeSet;

fn unknown_box(message: String) -> Result<Result<(), Rejection>> {
    Ok(Err(Rejection::new(reject::UNKNOWN_BOX, message)))
}

fn invalid(message: String) -> Result<Result<(), Rejection>> {
    Ok(Err(Rejection::new(reject::INVALID_OP, message)))
}

pub(super) fn apply_closed(
    conn: &Connection,
    who: &Pusher,
    op: &PushOp,
    box_id: &ReturnBoxId,
    items: &[BoxedItem],
) -> Result<Result<(), Rejection>> {
    let (point, op_id) = (&who.pickup_point_id, op.op_id.to_string());
    for item in items {
        let unit = NewUnit {
            id: &item.return_id,
            pickup_point_id: point,
            item_id: item.item_id.as_ref().map(|i| i.as_str()),
            source: item.source,
        };
        if custody::get_unit(conn, &item.return_id)?.is_none() {
            custody::insert_unit(conn, &unit, &Holder::Point, op_ref(op, &op_id))?;
        }
    }
    if items.is_empty() {
        return invalid(format!("box {box_id} is closed with nothing in it"));
    }
    let mut seen = BTreeSet::new();
    if let Some(twice) = items.iter().find(|i| !seen.insert(&i.return_id)) {
        return invalid(format!("unit {} is listed twice in box {box_id}", twice.return_id));
    }
    if let Some(old) = boxes::get_box(conn, box_id)? {
        let whose = if old.pickup_point_id == point.as_str() { "this pickup point" } else { "another pickup point" };
        return unknown_box(format!(
            "box {box_id} was closed before at {whose} ({}); a new box needs a new label",
            old.closed_at
        ));
    }
    for item in items {
        let Some(unit) = custody::get_unit(conn, &item.return_id)? else {
            return unknown_box(format!("unit {} vanished while closing box {box_id}", item.return_id));
        };
        if unit.pickup_point_id != point.as_str() {
            return unknown_box(format!("unit {} is held at another pickup point", unit.id));
        }
        match unit.holder {
            Holder::Point => {}
            Holder::Box(other) => return unknown_box(format!("unit {} is already in box {other}", unit.id)),
            Holder::Driver(driver) => return unknown_box(format!("unit {} left with driver {driver}", unit.id)),
        }
    }
    boxes::insert_box(conn, box_id, point, items.len(), &op_id, &op.created_at)?;
    for item in items {
        let to = Holder::Box(box_id.clone());
        custody::move_unit(conn, &item.return_id, point, &Holder::Point, &to, op_ref(op, &op_id))?;
    }
    Ok(Ok(()))
}

pub(super) fn apply_handed_over(
    conn: &Connection,
    who: &Pusher,
    op: &PushOp,
    handover_id: &str,
    driver_id: &EmployeeId,
    box_ids: &[ReturnBoxId],
) -> Result<Result<(), Rejection>> {
    let (point, op_id) = (&who.pickup_point_id, op.op_id.to_string());
    if box_ids.is_empty() {
        return invalid("a handover needs at least one box".to_owned());
    }
    let mut seen = BTreeSet::new();
    if let Some(twice) = box_ids.iter().find(|b| !seen.insert(*b)) {
        return invalid(format!("box {twice} is listed twice in the handover"));
    }
    let driver = employees::get_employee(conn, driver_id)?.filter(|d| d.is_active(point, EmployeeRole::Driver));
    if driver.is_none() {
        return Ok(Err(Rejection::new(
            reject::UNKNOWN_EMPLOYEE,
            format!("{driver_id} is not a driver of this pickup point (unknown, retired or another point's)"),
        )));
    }
    for box_id in box_ids {
        match boxes::get_box(conn, box_id)? {
            None => return unknown_box(format!("box {box_id} was never closed")),
            Some(b) if b.pickup_point_id != point.as_str() => {
                return unknown_box(format!("box {box_id} was closed at another pickup point"))
            }
            Some(BoxRow { handover_id: Some(earlier), driver_id, .. }) => {
                let driver = driver_id.unwrap_or_default();
                return unknown_box(format!("box {box_id} was handed over before ({earlier}, to {driver})"));
            }
            Some(_) => {}
        }
    }
    for box_id in box_ids {
        boxes::set_box_handed_over(conn, box_id, handover_id, driver_id, &op.created_at)?;
        let (from, to) = (Holder::Box(box_id.clone()), Holder::Driver(driver_id.clone()));
        for unit in custody::list_units_in_box(conn, box_id)? {
            custody::move_unit(conn, &unit, point, &from, &to, op_ref(op, &op_id))?;
        }
    }
    Ok(Ok(()))
}
