//! The demo's shelves: both points keep items 7 days (UTC+3); the first has cells A-01..A-12 of 6
//! items each, the second S-01..S-06. At the first point shipment SHP-0042-001 (label code
//! SHP0042001) is expected with three items in two orders for new buyers, to receive with one item
//! missing; and order ord-1301 arrived 10 days before seeding, so the morning's expiry list shows it.

use super::{bad, item, order};
use crate::admin::{parse_cells, Admin};
use crate::error::Result;
use pvz_domain::{StoragePolicy, UtcOffset};
use pvz_protocol::demo::{OTHER_PICKUP_POINT, PICKUP_POINT};
use serde::Serialize;

pub const SHIPMENT_ID: &str = "SHP-0042-001";
pub const SHIPMENT_CODE: &str = "SHP0042001";
/// The order past its storage period.
pub const EXPIRED_ORDER: (&str, &str) = ("ord-1301", "806142");
/// The shipment's orders: (id, short code).
pub const SHIPMENT_ORDERS: [(&str, &str); 2] = [("ord-1201", "358102"), ("ord-1202", "419263")];
const EXPIRED_DAYS_AGO: i64 = 10;

/// An expected shipment as it stands, with what to scan.
#[derive(Debug, Clone, Serialize)]
pub struct DemoShipment {
    pub pickup_point_id: String,
    pub shipment_id: String,
    /// The code on the shipment's label (scan it to start receiving).
    pub code: String,
    pub received: bool,
    pub items: Vec<DemoShipmentItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DemoShipmentItem {
    pub order_id: String,
    pub short_code: String,
    pub item_id: String,
    pub name: String,
    pub barcode: Option<String>,
}

fn with_barcode(mut it: crate::db::orders::NewItem, barcode: &str) -> crate::db::orders::NewItem {
    it.barcode = Some(barcode.to_owned());
    it
}

/// Storage policies, cells, the expected shipment and the order past its period.
pub fn seed(admin: &Admin) -> Result<()> {
    for (point, cells) in [(PICKUP_POINT, "A-01..A-12:6"), (OTHER_PICKUP_POINT, "S-01..S-06:6")] {
        admin.set_storage_policy(point, &StoragePolicy::default(), Some(UtcOffset::MOSCOW))?;
        admin.set_cells(point, &parse_cells(&[cells.to_owned()])?)?;
    }
    let [(first, first_code), (second, second_code)] = SHIPMENT_ORDERS;
    let orders = [
        order(
            first,
            first_code,
            "buyer-ord-1201",
            "Ирина Волкова",
            vec![
                with_barcode(
                    item("itm-1201-1", "Куртка демисезонная", "M, хаки", "", 459_000, false, "clothes")?,
                    "4607000000205",
                ),
                with_barcode(
                    item("itm-1201-2", "Ботинки кожаные", "38, чёрные", "", 689_000, false, "shoes")?,
                    "4607000000212",
                ),
            ],
        )?,
        order(
            second,
            second_code,
            "buyer-ord-1202",
            "Григорий Лебедев",
            vec![with_barcode(
                item("itm-1202-1", "Настольная лампа", "белая", "", 219_000, true, "home")?,
                "4607000000229",
            )],
        )?,
    ];
    admin.add_shipment(PICKUP_POINT, Some(SHIPMENT_ID), SHIPMENT_CODE, None, &orders)?;

    let (expired, expired_code) = EXPIRED_ORDER;
    let waited = order(
        expired,
        expired_code,
        "buyer-ord-1301",
        "Тимур Алиев",
        vec![with_barcode(
            item("itm-1301-1", "Рубашка льняная", "L, белая", "A-05", 189_000, false, "clothes")?,
            "4607000000304",
        )],
    )?;
    admin.add_order(PICKUP_POINT, &waited)?;
    let arrived = chrono::Utc::now() - chrono::Duration::days(EXPIRED_DAYS_AGO);
    admin.set_order_arrived(expired, &arrived.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}

/// The demo's shipments as they stand (a later run reports SHP-0042-001 received, if it was).
pub fn report(admin: &Admin) -> Result<Vec<DemoShipment>> {
    let shipment = admin.shipment(SHIPMENT_ID)?.ok_or_else(|| bad("the demo shipment is missing"))?;
    let short_code = |order: &str| SHIPMENT_ORDERS.iter().find(|(o, _)| *o == order).map(|(_, c)| (*c).to_owned());
    let mut items = Vec::new();
    for line in &shipment.items {
        let row = admin.item(line.item_id.as_str())?.ok_or_else(|| bad("a demo shipment item is missing"))?;
        items.push(DemoShipmentItem {
            order_id: line.order_id.to_string(),
            short_code: short_code(line.order_id.as_str()).unwrap_or_default(),
            item_id: line.item_id.to_string(),
            name: row.item.name,
            barcode: row.item.barcode,
        });
    }
    Ok(vec![DemoShipment {
        pickup_point_id: shipment.pickup_point_id,
        shipment_id: shipment.id,
        code: shipment.code,
        received: shipment.received_op_id.is_some(),
        items,
    }])
}
