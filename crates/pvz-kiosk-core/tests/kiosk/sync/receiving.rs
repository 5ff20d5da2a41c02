//! Receiving, moves and storage expiry against the real central server: the point's cells, policy
//! and shipment arrive in the feed; a shipment received at the counter with one item missing and an
//! unexpected code reaches the server, whose feed brings the cells back (and a move made at another
//! counter then wins over this kiosk's own placement); an order ten days on the shelf goes to
//! returns whole, and the server cancels it as unredeemed.

use crate::support::network::*;
use chrono::{Duration, Utc};
use pvz_domain::{ItemId, Kopecks, OrderId, ShortCode, StoragePolicy, UtcOffset};
use pvz_kiosk_core::sync::{self, SyncReport};
use pvz_kiosk_core::{ErrorKind, Kiosk, ScanNotice};
use pvz_protocol::ReturnSource;
use pvz_server::admin::parse_cells;
use pvz_server::db::orders::{NewItem, NewOrder, OrderState};

pub(super) fn shelf_order(id: &str, short: &str, items: &[(&str, &str)]) -> NewOrder {
    NewOrder {
        id: OrderId::parse(id).expect("order id"),
        short_code: ShortCode::parse(short).expect("short code"),
        buyer_id: format!("buyer-{id}"),
        buyer_name: "Ирина Волкова".into(),
        items: items
            .iter()
            .map(|(item, barcode)| NewItem {
                id: ItemId::parse(item).expect("item id"),
                seller_id: "seller-1".into(),
                seller_name: "ООО Платья".into(),
                name: "Платье".into(),
                variant: "M".into(),
                cell: "A-04".into(),
                price: Kopecks(100_000),
                prepaid: true,
                category: "clothes".into(),
                barcode: Some((*barcode).into()),
                mark: None,
            })
            .collect(),
    }
}

async fn sync_clean(kiosk: &Kiosk, what: &str) -> SyncReport {
    let report = sync::sync_until_idle(kiosk, &fast()).await.unwrap_or_else(|e| panic!("{what}: sync fails: {e}"));
    assert_eq!(report.rejected, 0, "{what}: the server rejects nothing: {:?}", kiosk.sync_status());
    report
}

fn server_cell(net: &Network, item: &str) -> String {
    net.admin().item(item).expect("item read").expect("the server knows the item").item.cell
}

#[tokio::test]
async fn a_received_shipment_comes_back_in_the_feed_with_its_cells_and_its_discrepancies_are_stored() {
    let net = Network::start().await;
    let admin = net.admin();
    admin.set_storage_policy(POINT, &StoragePolicy::default(), Some(UtcOffset::MOSCOW)).expect("7 days, Moscow");
    admin.set_cells(POINT, &parse_cells(&["A-01..A-04:2".into()]).expect("cells")).expect("cells set");
    let expected = [
        shelf_order("ord-k-a", "733101", &[("itm-k-a-1", "KSY-0001"), ("itm-k-a-2", "KSY-0002")]),
        shelf_order("ord-k-b", "733102", &[("itm-k-b-1", "KSY-0003")]),
    ];
    admin.add_shipment(POINT, Some("shp-k-1"), "SHPK1", None, &expected).expect("shipment announced");
    admin.add_order(POINT, &shelf_order("ord-k-old", "733199", &[("itm-k-old-1", "KSY-0099")])).expect("on the shelf");
    let ten_days_ago = (Utc::now() - Duration::days(10)).to_rfc3339();
    admin.set_order_arrived("ord-k-old", &ten_days_ago).expect("it arrived ten days ago");

    let kiosk = net.enrolled_kiosk().await;
    sync_clean(&kiosk, "the first pull").await;
    assert_eq!(kiosk.list_cells().expect("cells").len(), 4, "the point's cells came with the feed");

    let opened = kiosk.scan("SHPK1").expect("the shipment's label opens receiving");
    assert_eq!(opened.notice, Some(ScanNotice::ShipmentOpened { shipment_id: "shp-k-1".into() }), "its shipment");
    let proposal = |code: &str| match kiosk.scan(code).expect("matched").notice {
        Some(ScanNotice::ReceivingItemMatched { proposed_cell, .. }) => proposed_cell,
        other => panic!("{code} must get a cell, got {other:?}"),
    };
    let cell = proposal("KSY-0001");
    assert_eq!(cell, "A-01", "the emptiest cell (A-04 holds the old order)");
    kiosk.scan(&format!("PVZL1:{cell}")).expect("placed");
    assert_eq!(proposal("KSY-0002"), "A-01", "the order's second item joins the first");
    kiosk.scan("PVZL1:A-01").expect("placed");
    kiosk.scan("KSY-0404").expect("an unexpected code is recorded");
    kiosk.close_receiving().expect("closed with ord-k-b's item missing");
    let report = sync_clean(&kiosk, "pushing the receiving").await;
    assert!(report.applied >= 1, "the receiving op was applied: {report:?}");

    assert_eq!(server_cell(&net, "itm-k-a-1"), "A-01", "the server put the item where the counter did");
    let shipment = admin.shipment("shp-k-1").expect("read").expect("shipment");
    assert!(shipment.received_op_id.is_some(), "the shipment is received on the server");
    let mut found: Vec<(String, String)> = admin
        .shipment_discrepancies("shp-k-1")
        .expect("discrepancies")
        .into_iter()
        .map(|d| (d.kind, d.item_id.or(d.code).unwrap_or_default()))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [("missing".to_owned(), "itm-k-b-1".to_owned()), ("unexpected".to_owned(), "KSY-0404".to_owned())],
        "the missing item and the unexpected code are stored as discrepancies"
    );
    let card = kiosk.scan("733101").expect("the order opens").view.screen.order().cloned().expect("card");
    assert_eq!(card.items.iter().map(|i| i.cell.as_str()).collect::<Vec<_>>(), ["A-01", "A-01"], "from the feed now");
    kiosk.set_aside().expect("set aside");

    // Another counter of the point moves the dress: once the feed has answered this kiosk's placement,
    // the feed is the truth, so the move made elsewhere shows here.
    let other_dir = tempfile::tempdir().expect("temp dir");
    let other = Kiosk::open(&other_dir.path().join("kiosk.sqlite3")).expect("a second counter");
    net.enroll_at(&other, POINT).await;
    sync_clean(&other, "the second counter's pull").await;
    other.move_item("itm-k-a-1", "A-02").expect("moved at the second counter");
    sync_clean(&other, "pushing the move").await;
    assert_eq!(server_cell(&net, "itm-k-a-1"), "A-02", "the server follows the move");
    sync_clean(&kiosk, "the first counter's pull").await;
    let found = kiosk.find_item("KSY-0001").expect("found").screen.found_item().cloned().expect("shown");
    assert_eq!(found.cell.as_deref(), Some("A-02"), "the move made elsewhere reached this counter");

    let list = kiosk.expiry_list().expect("the morning list");
    let old: Vec<&str> = list.items.iter().map(|i| i.item_id.as_str()).collect();
    assert_eq!(old, ["itm-k-old-1"], "only the order ten days on the shelf is past its seven days");
    kiosk.move_expired_to_returns(&["itm-k-old-1".into()]).expect("moved to returns");
    sync_clean(&kiosk, "pushing the expiry").await;
    let row = net.admin().item("itm-k-old-1").expect("read").expect("item");
    assert_eq!(row.order_state, OrderState::Cancelled, "the server cancels the order as unredeemed");
    refused_as(kiosk.scan("733199"), ErrorKind::OrderUnredeemed, "the counter after the cancellation came back");
    let desk = kiosk.open_returns().expect("returns desk").screen.returns_desk().cloned().expect("desk");
    assert!(
        desk.waiting.iter().any(|u| u.source == ReturnSource::Unredeemed),
        "the unit waits for a box: {:?}",
        desk.waiting
    );
}

fn refused_as<T: std::fmt::Debug>(result: Result<T, pvz_kiosk_core::KioskError>, kind: ErrorKind, what: &str) {
    match result {
        Err(e) => assert_eq!(e.kind(), kind, "{what}: refused for the wrong reason: {e}"),
        Ok(v) => panic!("{what}: must be refused with {kind:?}, got {v:?}"),
    }
}
