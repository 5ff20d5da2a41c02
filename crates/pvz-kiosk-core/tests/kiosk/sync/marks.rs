//! Честный ЗНАК end to end: the mark scanned off a unit at the counter (character 232 for GS, as a
//! scanner with a mismatched keyboard table sends it) rides the op that hands the item over to the
//! real central server, which keeps it with the item on SQLite and on PostgreSQL alike.

use crate::support::network::*;
use pvz_domain::Kopecks;
use pvz_kiosk_core::sync;

const EAN13: &str = "4601234567893";
const CRYPTO_44: &str = "Zm9yLXRlc3Rpbmctb25seS1ub3QtYS1yZWFsLXRhaWw=";

async fn the_mark_handed_over_reaches_the_server(net: Network, backend: &str) {
    let mut with_barcode = order(1, 150_000);
    with_barcode.items[0].barcode = Some(EAN13.into());
    net.admin().add_order(POINT, &with_barcode).expect("order added");
    let kiosk = net.enrolled_kiosk().await;
    sync::sync_until_idle(&kiosk, &fast()).await.expect("the first pass pulls the order");

    let card = kiosk.scan("700001").expect("the order opens").view.screen.order().cloned().expect("its card");
    let scanned = format!("010{EAN13}211234567890ABC\u{e8}91EE06\u{e8}92{CRYPTO_44}");
    kiosk.scan(&scanned).expect("the dress's marking code picks it, its EAN-13 in the order");
    kiosk.hand_over_rest(&card.order_id).expect("handed over");
    kiosk.confirm_issue(&card.order_id, Kopecks(150_000), true).expect("the issue completes");
    let report = sync::sync_until_idle(&kiosk, &fast()).await.expect("the pass pushes the ops");
    assert_eq!(report.rejected, 0, "{backend}: nothing is rejected: {report:?}");

    let kept = net.admin().handed_over_mark(card.items[0].item_id.as_str()).expect("read back");
    assert_eq!(
        kept,
        Some(scanned.replace('\u{e8}', "\u{1d}")),
        "{backend}: the server keeps the whole mark of the unit handed over, serial and crypto tail, GS kept"
    );
}

#[tokio::test]
async fn the_mark_of_a_unit_handed_over_is_kept_by_the_server_on_sqlite() {
    the_mark_handed_over_reaches_the_server(Network::start().await, "SQLite").await;
}

#[tokio::test]
async fn the_mark_of_a_unit_handed_over_is_kept_by_the_server_on_postgres() {
    the_mark_handed_over_reaches_the_server(Network::start_on_postgres().await, "PostgreSQL").await;
}
