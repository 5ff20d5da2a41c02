//! Admin side of what flows back through a point: couriers' manifests of items refused at the door,
//! and the custody chain of returned units.

use super::{parse_id, Admin, Role};
use crate::db::custody::{self, CustodyEvent, UnitRow};
use crate::db::hand_backs::{self, HandBackLine};
use crate::db::orders::{self, NewOrder};
use crate::db::{self, employees, manifests};
use crate::error::{Result, ServerError};
use pvz_domain::{EmployeeId, PickupPointId};
use pvz_protocol::CourierManifest;

/// A returned unit with its custody log, oldest entry first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustodyUnit {
    pub unit: UnitRow,
    pub log: Vec<CustodyEvent>,
}

impl Admin {
    /// A doorstep delivery that `courier` of `point` took out and whose every item the buyer refused
    /// at the door: the order is recorded (issued to the courier, never in the counter's feed) and
    /// its items go on the courier's manifest, to be handed back at the point.
    pub fn add_courier_refusals(&self, courier: &str, point: &str, order: &NewOrder) -> Result<()> {
        let courier = parse_id(EmployeeId::parse, courier)?;
        let point = parse_id(PickupPointId::parse, point)?;
        let works_here =
            employees::get_employee(&self.conn, &courier)?.is_some_and(|e| e.is_active(&point, Role::Courier));
        if !works_here {
            return Err(ServerError::BadRequest(format!("{courier} is not a working courier of pickup point {point}")));
        }
        super::check_prices(std::slice::from_ref(order))?;
        let tx = self.conn.transaction()?;
        let now = db::now_text();
        orders::insert_courier_order(&tx, &point, order, &now)?;
        for item in &order.items {
            manifests::insert_manifest_line(&tx, &item.id, &courier, &point, &now)?;
        }
        Ok(tx.commit()?)
    }

    /// The courier's open manifest lines, as a kiosk of `point` gets them.
    pub fn courier_manifest(&self, point: &str, courier: &str) -> Result<CourierManifest> {
        let (point, courier) = (parse_id(PickupPointId::parse, point)?, parse_id(EmployeeId::parse, courier)?);
        manifests::get_courier_manifest(&self.conn, &point, &courier)
    }

    /// A recorded hand-back's lines: accepted, then extras, then missing.
    pub fn hand_back_lines(&self, hand_back_id: &str) -> Result<Vec<HandBackLine>> {
        hand_backs::list_hand_back_lines(&self.conn, hand_back_id)
    }

    /// The custody chains of the units with this return id, or of this item.
    pub fn custody(&self, id: &str) -> Result<Vec<CustodyUnit>> {
        let units = custody::list_custody(&self.conn, id.trim())?;
        Ok(units.into_iter().map(|(unit, log)| CustodyUnit { unit, log }).collect())
    }
}
