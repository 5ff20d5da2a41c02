//! The demo's couriers and drivers at the first point: courier Иван Петров, carrying back three
//! items a buyer refused at the door (EAN-13 barcodes to scan at the counter), and logistics driver
//! Олег Смирнов, who takes the boxes.

use super::{bad, item, order};
use crate::admin::{Admin, Role};
use crate::error::Result;
use pvz_domain::scan::STAFF_BADGE_PREFIX;
use pvz_protocol::demo::PICKUP_POINT;
use serde::Serialize;

/// A courier or driver of the demo, with the badge to scan.
#[derive(Debug, Clone, Serialize)]
pub struct DemoStaff {
    pub pickup_point_id: String,
    pub employee_id: String,
    pub name: String,
    /// `courier` or `driver`.
    pub role: String,
    /// The badge's text (`PVZE1:<employee id>`), as its QR carries it.
    pub badge: String,
    pub pin: String,
    /// A courier's open manifest lines: the items to scan at a hand-back.
    pub manifest: Vec<DemoManifestItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DemoManifestItem {
    pub item_id: String,
    pub name: String,
    pub barcode: Option<String>,
    pub price: i64,
}

const COURIER: (&str, &str, &str) = ("courier-ivan", "Иван Петров", "1111");
const DRIVER: (&str, &str, &str) = ("driver-oleg", "Олег Смирнов", "2222");

/// Adds the courier with their refused doorstep delivery, and the driver.
pub fn seed(admin: &Admin) -> Result<()> {
    let (courier, name, pin) = COURIER;
    admin.add_employee_as(courier, PICKUP_POINT, name, Role::Courier, pin)?;
    let (driver, name, pin) = DRIVER;
    admin.add_employee_as(driver, PICKUP_POINT, name, Role::Driver, pin)?;
    let mut items = vec![
        item("itm-1101-1", "Джинсы прямые", "32/34, синие", "—", 359_000, true, "clothes")?,
        item("itm-1101-2", "Кроссовки беговые", "42, серые", "—", 499_000, true, "shoes")?,
        item("itm-1101-3", "Наушники проводные", "белые", "—", 149_000, true, "electronics")?,
    ];
    for (item, barcode) in items.iter_mut().zip(["4607000000113", "4607000000120", "4607000000137"]) {
        item.barcode = Some(barcode.to_owned());
    }
    let delivery = order("ord-1101", "640128", "buyer-ord-1101", "Павел Егоров", items)?;
    admin.add_courier_refusals(courier, PICKUP_POINT, &delivery)
}

/// The staff as they stand now (a later run reports the courier's lines still open).
pub fn report(admin: &Admin) -> Result<Vec<DemoStaff>> {
    [(COURIER, Role::Courier), (DRIVER, Role::Driver)]
        .into_iter()
        .map(|((id, name, pin), role)| {
            let manifest = match role {
                Role::Courier => admin.courier_manifest(PICKUP_POINT, id).map_err(bad)?.lines,
                _ => Vec::new(),
            };
            Ok(DemoStaff {
                pickup_point_id: PICKUP_POINT.to_owned(),
                employee_id: id.to_owned(),
                name: name.to_owned(),
                role: role.as_str().to_owned(),
                badge: format!("{STAFF_BADGE_PREFIX}{id}"),
                pin: pin.to_owned(),
                manifest: manifest
                    .into_iter()
                    .map(|l| DemoManifestItem {
                        item_id: l.item_id.to_string(),
                        name: l.name,
                        barcode: l.barcode,
                        price: l.price.0,
                    })
                    .collect(),
            })
        })
        .collect()
}
