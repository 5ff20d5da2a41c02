//! What the shelf tests share (receiving, cells, storage expiry): a demo kiosk on a temp SQLite
//! file whose pull also brought cells, a 7-day storage policy in Moscow time, a shipment of four
//! orders and an order that arrived ten days ago, and a clock the test moves by the second. The
//! assertions on refusals and the outbox come from the returns tests' `counter` module.

pub use crate::support::counter::{ops, refused, PNG};

use chrono::{DateTime, TimeZone, Utc};
use pvz_domain::{ItemId, Kopecks, OrderId, OrderStatus, PickupPointId, ShortCode, StorageDays, StoragePolicy};
use pvz_kiosk_core::Kiosk;
use pvz_protocol::{demo, CellWire, Change, ItemWire, OrderWire, PullPage, ShipmentItemWire, ShipmentWire};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

pub const SHIPMENT: &str = "SHP-T-001";
pub const SHIPMENT_CODE: &str = "SHP-T-001-CODE";
pub const OTHER_SHIPMENT_CODE: &str = "SHP-T-002-CODE";
/// Анна's two items (one order), Борис's one, Вера's (never arrives), Глеб's (arrives damaged).
pub const ANNA_1: &str = "RCV-0001";
pub const ANNA_2: &str = "RCV-0002";
pub const BORIS: &str = "RCV-0003";
pub const VERA: &str = "RCV-0004";
pub const GLEB: &str = "RCV-0005";
/// On Дина's order, which the server says arrived on 2026-11-16 (ten days before the clock starts).
pub const DINA: &str = "RCV-0006";
pub const DINA_ORDER: &str = "ord-r-5";
pub const DINA_SHORT: &str = "555005";
/// Not in any shipment or order.
pub const STRANGER: &str = "RCV-9999";

/// 2026-11-26 10:00 UTC (13:00 in Moscow), movable by the second.
pub struct Clock(Arc<AtomicI64>);

impl Clock {
    pub fn set(&self, at: DateTime<Utc>) {
        self.0.store(at.timestamp(), Ordering::SeqCst);
    }
}

pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0).single().expect("valid time")
}

pub fn open(path: &Path) -> (Kiosk, Clock) {
    let seconds = Arc::new(AtomicI64::new(start().timestamp()));
    let shared = seconds.clone();
    let kiosk = Kiosk::open(path)
        .expect("store opens")
        .with_clock(Box::new(move || DateTime::from_timestamp(shared.load(Ordering::SeqCst), 0).expect("valid")));
    (kiosk, Clock(seconds))
}

pub fn order(n: u32, buyer: &str, arrived_at: Option<&str>, items: &[(&str, &str, &str)]) -> OrderWire {
    OrderWire {
        order_id: OrderId::parse(&format!("ord-r-{n}")).expect("order id"),
        pickup_point_id: PickupPointId::parse(demo::PICKUP_POINT).expect("point"),
        short_code: ShortCode::parse(&format!("5550{n:02}")).expect("short code"),
        buyer: buyer.into(),
        status: OrderStatus::Ready,
        issued_at: None,
        arrived_at: arrived_at.map(str::to_owned),
        items: items
            .iter()
            .map(|(id, name, code)| ItemWire {
                item_id: ItemId::parse(id).expect("item id"),
                name: (*name).into(),
                variant: "M".into(),
                // What the server says before the item is received: no cell yet.
                cell: String::new(),
                price: Kopecks(100_000),
                prepaid: true,
                category: "clothes".into(),
                barcode: Some((*code).into()),
                mark: None,
            })
            .collect(),
    }
}

pub fn shipment_orders() -> Vec<OrderWire> {
    vec![
        order(1, "Анна К.", None, &[("itm-r-1-1", "Платье", ANNA_1), ("itm-r-1-2", "Шарф", ANNA_2)]),
        order(2, "Борис С.", None, &[("itm-r-2-1", "Куртка", BORIS)]),
        order(3, "Вера П.", None, &[("itm-r-3-1", "Ботинки", VERA)]),
        order(4, "Глеб Н.", None, &[("itm-r-4-1", "Ваза", GLEB)]),
    ]
}

pub fn shipment(id: &str, code: &str, orders: &[OrderWire]) -> ShipmentWire {
    ShipmentWire {
        shipment_id: id.into(),
        code: code.into(),
        expected_at: Some("2026-11-26T08:00:00Z".into()),
        items: orders
            .iter()
            .flat_map(|o| {
                o.items.iter().map(|i| ShipmentItemWire {
                    order_id: o.order_id.clone(),
                    item_id: i.item_id.clone(),
                    missing: false,
                })
            })
            .collect(),
        received: false,
    }
}

/// Cells A-01..A-03 (two items each), A-04 (one item), B-01 (out of use).
pub fn cells() -> Vec<CellWire> {
    let cell = |label: &str, capacity| CellWire { label: label.into(), capacity };
    vec![cell("A-01", 2), cell("A-02", 2), cell("A-03", 2), cell("A-04", 1), cell("B-01", 0)]
}

pub fn policy() -> Change {
    Change::SetStoragePolicy {
        policy: StoragePolicy { default_days: StorageDays::WEEK, per_category: BTreeMap::new() },
        utc_offset_seconds: 3 * 3600,
    }
}

/// Дина's order, arrived (the server says) at 2026-11-16 12:00 Moscow, in A-03.
pub fn dina_order() -> OrderWire {
    let mut o = order(5, "Дина Р.", Some("2026-11-16T09:00:00Z"), &[("itm-r-5-1", "Сумка", DINA)]);
    o.items[0].cell = "A-03".into();
    o
}

pub fn page(cursor: &str, reset: bool, changes: Vec<Change>) -> PullPage {
    PullPage { cursor: cursor.into(), has_more: false, reset, remaining: 0, changes, max_wait_seconds: 0 }
}

/// The whole shelf data set as one pull page (after the demo seed).
pub fn shelf_page() -> PullPage {
    let orders = shipment_orders();
    let second = order(6, "Ефим Т.", None, &[("itm-r-6-1", "Лампа", "RCV-0007")]);
    let mut changes = vec![policy(), Change::SetCells { cells: cells() }];
    changes.extend(orders.iter().cloned().map(Change::UpsertOrder));
    changes.push(Change::UpsertOrder(second.clone()));
    changes.push(Change::UpsertOrder(dina_order()));
    changes.push(Change::UpsertShipment(shipment(SHIPMENT, SHIPMENT_CODE, &orders)));
    changes.push(Change::UpsertShipment(shipment("SHP-T-002", OTHER_SHIPMENT_CODE, &[second])));
    page("shelf-1", false, changes)
}

/// A demo kiosk with the shelf data pulled.
pub fn shelf_kiosk(dir: &tempfile::TempDir) -> (Kiosk, Clock) {
    let (kiosk, clock) = open(&dir.path().join("kiosk.sqlite3"));
    let (seed, _) = demo::seed();
    assert!(kiosk.import_seed(&seed).expect("seed imports"), "a fresh store takes the seed");
    kiosk.apply_pull(&shelf_page()).expect("the shelf data arrives with the pull feed");
    (kiosk, clock)
}

pub fn cell_label(cell: &str) -> String {
    format!("PVZL1:{cell}")
}
