//! The demo's shelves as a counter works them: the managers' PINs are valid and log in (their hashes
//! verify), shipment SHP-0042-001 is received with one item missing, and ord-1301, which arrived 10
//! days before seeding, is past the 7-day storage period and leaves the shelf.

use crate::common::*;
use argon2::password_hash::{PasswordHash, PasswordVerifier};
use pvz_domain::{Pin, ReturnId, StoragePolicy, UnixSeconds, UtcOffset};
use pvz_protocol::{Change, ExpiredItem, OpBody, PlacedItem, PullPage};

#[tokio::test]
async fn the_demo_shipment_is_received_with_one_item_missing_and_the_old_order_expires() {
    let dir = tempfile::tempdir().expect("temp dir");
    let admin = crate::common::admin(dir.path());
    let report = admin.seed_demo().expect("seed");
    let managers: Vec<(&str, &str, &str)> = report
        .staff
        .iter()
        .filter(|s| s.role == "manager")
        .map(|s| (s.pickup_point_id.as_str(), s.employee_id.as_str(), s.pin.as_str()))
        .collect();
    assert_eq!(
        managers,
        [("pp-msk-0042", "mgr-anna", "4826"), ("pp-spb-0007", "mgr-pavel", "7391")],
        "a manager at each demo point, with the PIN to log in with"
    );
    for s in &report.staff {
        assert!(Pin::parse_new(&s.pin).is_ok(), "{}'s demo PIN {} passes the rule for a new PIN", s.name, s.pin);
    }
    let shipment = &report.shipments[0];
    assert_eq!(
        (shipment.shipment_id.as_str(), shipment.code.as_str(), shipment.received),
        ("SHP-0042-001", "SHP0042001", false),
        "the demo shipment is expected, with its label code"
    );
    let items: Vec<(&str, &str)> = shipment.items.iter().map(|i| (i.order_id.as_str(), i.item_id.as_str())).collect();
    assert_eq!(
        items,
        [("ord-1201", "itm-1201-1"), ("ord-1201", "itm-1201-2"), ("ord-1202", "itm-1202-1")],
        "three items in two orders"
    );
    assert!(
        shipment.items.iter().all(|i| i
            .barcode
            .as_deref()
            .is_some_and(|b| matches!(pvz_domain::classify(b), pvz_domain::Scan::Ean13 { .. }))),
        "each with an EAN-13 to scan"
    );

    let server = pvz_server::spawn(crate::common::config(dir.path())).await.expect("server");
    let t = TestServer { server, admin, client: reqwest::Client::new(), dir };
    let kiosk = t.enroll("pp-msk-0042").await;
    let first = t.pull(&kiosk, &[("limit", "2000")]).await;
    let page: PullPage = serde_json::from_value(first.body.clone()).expect("a pull page");
    let anna = page.changes.iter().find_map(|c| match c {
        Change::UpsertEmployee(e) if e.employee_id.as_str() == "mgr-anna" => e.pin_hash.clone(),
        _ => None,
    });
    let hash = anna.expect("Анна's PIN hash reaches the kiosk");
    let parsed = PasswordHash::new(&hash).expect("argon2 PHC");
    assert!(argon2::Argon2::default().verify_password(b"4826", &parsed).is_ok(), "and verifies her demo PIN");
    let storage = page.changes.iter().find_map(|c| match c {
        Change::SetStoragePolicy { policy, utc_offset_seconds } => Some((policy.clone(), *utc_offset_seconds)),
        _ => None,
    });
    assert_eq!(storage, Some((StoragePolicy::default(), 3 * 3600)), "7 days, counted at UTC+3");
    let cells = page.changes.iter().find_map(|c| match c {
        Change::SetCells { cells } => Some(cells.iter().map(|c| (c.label.clone(), c.capacity)).collect::<Vec<_>>()),
        _ => None,
    });
    let expected: Vec<(String, u32)> = (1..=12).map(|n| (format!("A-{n:02}"), 6)).collect();
    assert_eq!(cells, Some(expected), "cells A-01..A-12 of 6 items each");
    let old = page.changes.iter().find_map(|c| match c {
        Change::UpsertOrder(o) if o.order_id.as_str() == "ord-1301" => o.arrived_at.clone(),
        _ => None,
    });
    let arrived = chrono::DateTime::parse_from_rfc3339(&old.expect("ord-1301 has arrived")).expect("RFC 3339");
    let now = UnixSeconds(chrono::Utc::now().timestamp());
    let (policy, offset) = (StoragePolicy::default(), UtcOffset::MOSCOW);
    assert!(policy.is_past("clothes", UnixSeconds(arrived.timestamp()), offset, now), "ord-1301 is past its period");

    let placed =
        |item: &str| PlacedItem { order_id: order_id("ord-1201"), item_id: item_id(item), cell: "A-01".into() };
    let receive = OpBody::ShipmentReceived {
        shipment_id: "SHP-0042-001".into(),
        placed: vec![placed("itm-1201-1"), placed("itm-1201-2")],
        missing: vec![item_id("itm-1202-1")],
        unexpected: vec![],
        damaged: vec![],
    };
    let expire = OpBody::ShelfExpired {
        items: vec![ExpiredItem {
            order_id: order_id("ord-1301"),
            item_id: item_id("itm-1301-1"),
            return_id: ReturnId::parse("unr-demo-1").expect("id"),
        }],
    };
    let reply = t.push(&kiosk, &[op(1, receive), op(2, expire)]).await;
    assert_eq!((outcome(&reply, 0), outcome(&reply, 1)), ("applied".into(), "applied".into()), "{}", reply.body);
    let missing = t.admin.shipment_discrepancies("SHP-0042-001").expect("discrepancies");
    assert_eq!(
        missing.iter().map(|d| (d.kind.as_str(), d.item_id.as_deref())).collect::<Vec<_>>(),
        [("missing", Some("itm-1202-1"))],
        "the lamp that did not come is the one discrepancy"
    );
    let again = t.admin.seed_demo().expect("a second run");
    assert!(again.shipments[0].received, "a second run reports the shipment received");
    let cell = t.admin.item("itm-1201-2").expect("item").map(|i| i.item.cell);
    assert_eq!(cell.as_deref(), Some("A-01"), "the boots are in A-01");
    let unit = t.admin.custody("unr-demo-1").expect("custody").remove(0);
    assert_eq!(unit.unit.source, "unredeemed", "the shirt went to returns as unredeemed");
    t.server.shutdown().await;
}
