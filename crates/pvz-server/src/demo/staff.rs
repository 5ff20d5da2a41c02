//! The demo's staff: a manager at each point, who logs in at the counter by PIN (Анна Смирнова at
//! the first, Павел Никитин at the second); at the first point courier Иван Петров, carrying back
//! three items a buyer refused at the door (EAN-13 barcodes to scan at the counter), and logistics
//! driver Олег Смирнов, who takes the boxes. Every PIN passes the rule for a new one (not trivial).
//! Each of them has a badge signed by this server (the courier's and the driver's are scanned at the
//! counter), issued once: a later run reports the same badges.

use super::{bad, item, order};
use crate::admin::{Admin, Role};
use crate::error::Result;
use pvz_protocol::demo::{OTHER_PICKUP_POINT, PICKUP_POINT};
use serde::Serialize;

/// An employee of the demo: a manager with the PIN to log in with, a courier or driver with the
/// badge to scan (managers have badges too, which the counter refuses for a hand-back).
#[derive(Debug, Clone, Serialize)]
pub struct DemoStaff {
    pub pickup_point_id: String,
    pub employee_id: String,
    pub name: String,
    /// `manager`, `courier` or `driver`.
    pub role: String,
    /// The current badge's code (`PVZE3.…`, signed by this server), as its QR carries it.
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

/// (point, id, name, PIN, role)
type Member = (&'static str, &'static str, &'static str, &'static str, Role);

const MANAGER: Member = (PICKUP_POINT, "mgr-anna", "Анна Смирнова", "4826", Role::Manager);
const OTHER_MANAGER: Member = (OTHER_PICKUP_POINT, "mgr-pavel", "Павел Никитин", "7391", Role::Manager);
const COURIER: (&str, &str, &str) = ("courier-ivan", "Иван Петров", "5173");
const DRIVER: (&str, &str, &str) = ("driver-oleg", "Олег Смирнов", "6049");

const STAFF: [Member; 4] = [
    MANAGER,
    (PICKUP_POINT, COURIER.0, COURIER.1, COURIER.2, Role::Courier),
    (PICKUP_POINT, DRIVER.0, DRIVER.1, DRIVER.2, Role::Driver),
    OTHER_MANAGER,
];

/// Adds the manager of each point (after both points exist).
pub fn seed_managers(admin: &Admin) -> Result<()> {
    for (point, id, name, pin, role) in [MANAGER, OTHER_MANAGER] {
        admin.add_employee_as(id, point, name, role, pin)?;
    }
    Ok(())
}

/// Issues a badge to each of the demo's staff who has none yet (a network seeded before signed
/// badges gets them on its next run). The courier and the driver first, so the feed still sends the
/// point's staff in the order they were added.
pub fn issue_badges(admin: &Admin) -> Result<()> {
    for id in [COURIER.0, DRIVER.0, MANAGER.1, OTHER_MANAGER.1] {
        if admin.current_badge(id)?.is_none() {
            admin.issue_badge(id)?;
        }
    }
    Ok(())
}

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
    STAFF
        .into_iter()
        .map(|(point, id, name, pin, role)| {
            let manifest = match role {
                Role::Courier => admin.courier_manifest(point, id).map_err(bad)?.lines,
                Role::Manager | Role::Driver => Vec::new(),
            };
            let badge = admin.current_badge(id)?.ok_or_else(|| bad(format!("{id} has no badge")))?;
            Ok(DemoStaff {
                pickup_point_id: point.to_owned(),
                employee_id: id.to_owned(),
                name: name.to_owned(),
                role: role.as_str().to_owned(),
                badge: badge.code,
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
