//! Courier hand-backs against the real central server: the manifest comes from the server, the
//! completed hand-back is applied there with its discrepancies (the missing line stays open for the
//! next time), and a hand-back recorded offline is matched by the server by the scanned codes.

use crate::support::network::*;
use pvz_domain::{ItemId, Kopecks, OrderId, RefusalReason, ShortCode};
use pvz_kiosk_core::sync::sync_until_idle;
use pvz_kiosk_core::{Kiosk, ScanNotice};
use pvz_server::admin::Role;
use pvz_server::db::hand_backs::LineOutcome;
use pvz_server::db::orders::{NewItem, NewOrder};

const COURIER: &str = "cour-sync-1";

/// A doorstep delivery whose two items the buyer refused: on the courier's manifest, never in the
/// counter's feed.
fn refused_at_the_door(n: u32) -> NewOrder {
    let item = |k: u32, name: &str| NewItem {
        id: ItemId::parse(&format!("itm-door-{n}-{k}")).expect("item id"),
        seller_id: "seller-1".into(),
        seller_name: "ООО Платья".into(),
        name: name.into(),
        variant: "M".into(),
        cell: "—".into(),
        price: Kopecks(120_000),
        prepaid: false,
        category: "clothes".into(),
        barcode: Some(format!("DOOR-{n}-{k}")),
        mark: None,
    };
    NewOrder {
        id: OrderId::parse(&format!("ord-door-{n}")).expect("order id"),
        short_code: ShortCode::parse(&format!("{}", 800_000 + n)).expect("short code"),
        buyer_id: format!("buyer-door-{n}"),
        buyer_name: "Олег Д.".into(),
        items: vec![item(1, "Рубашка"), item(2, "Брюки")],
    }
}

fn scan_into_hand_back(kiosk: &Kiosk, code: &str) -> String {
    match kiosk.scan(code).expect("scanned into the hand-back").notice {
        Some(ScanNotice::HandBackItemScanned { return_id }) => return_id,
        other => panic!("a scan during a hand-back goes into it, got {other:?}"),
    }
}

fn outcomes(net: &Network, hand_back_id: &str) -> Vec<(LineOutcome, Option<String>)> {
    let lines = net.admin().hand_back_lines(hand_back_id).expect("the server recorded the hand-back");
    lines.into_iter().map(|l| (l.outcome, l.item_id)).collect()
}

#[tokio::test]
async fn a_hand_back_is_applied_with_its_discrepancies_and_an_offline_one_is_matched_by_code() {
    let mut net = Network::start().await;
    let admin = net.admin();
    admin.add_employee_as(COURIER, POINT, "Иван Петров", Role::Courier, "1234").expect("courier added");
    let badge = admin.issue_badge(COURIER).expect("the courier's badge is issued").code;
    admin.add_courier_refusals(COURIER, POINT, &refused_at_the_door(1)).expect("refusals on the manifest");
    let kiosk = net.enrolled_kiosk().await;
    sync_until_idle(&kiosk, &fast()).await.expect("the pull brings the point's staff");

    kiosk.scan(&badge).expect("the courier's badge is known from the feed");
    let view = kiosk.load_courier_manifest_with(&fast()).await.expect("the manifest arrives");
    let hand_back = view.screen.hand_back().expect("hand-back shown");
    assert!(hand_back.manifest_loaded, "the manifest came from the server");
    assert_eq!((hand_back.courier_name.as_str(), hand_back.lines.len()), ("Иван Петров", 2), "two refused items");

    let shirt = scan_into_hand_back(&kiosk, "DOOR-1-1");
    let extra = scan_into_hand_back(&kiosk, "NOT-ON-MANIFEST-1");
    kiosk.set_hand_back_reason(&shirt, RefusalReason::DidNotFit, None).expect("reason");
    kiosk.set_hand_back_reason(&extra, RefusalReason::Defect, Some("порван рукав")).expect("reason");
    let act =
        kiosk.complete_hand_back("Мария Менеджер").expect("completed").screen.hand_back_act().cloned().expect("act");
    assert_eq!(act.missing, vec!["Брюки".to_owned()], "the trousers were not brought");

    let report = sync_until_idle(&kiosk, &fast()).await.expect("the hand-back is pushed");
    assert_eq!(report.rejected, 0, "the server applies the hand-back: {report:?}");
    let recorded = outcomes(&net, &act.hand_back_id);
    assert!(recorded.contains(&(LineOutcome::Accepted, Some("itm-door-1-1".into()))), "shirt accepted: {recorded:?}");
    assert!(recorded.iter().any(|(o, _)| *o == LineOutcome::Extra), "the extra is recorded: {recorded:?}");
    assert!(recorded.contains(&(LineOutcome::Missing, Some("itm-door-1-2".into()))), "trousers missing: {recorded:?}");
    assert_eq!(admin.custody(&shirt).expect("custody").len(), 1, "the server holds the unit under the kiosk's id");
    let open = admin.courier_manifest(POINT, COURIER).expect("manifest");
    assert_eq!(open.lines.len(), 1, "the missing line stays open for the next time: {open:?}");

    // The courier comes back with the trousers while the server is down.
    let addr = net.stop_server().await;
    kiosk.dismiss_hand_back_act().expect("act dismissed");
    kiosk.scan(&badge).expect("the badge works offline: the staff are cached");
    let view = kiosk.load_courier_manifest_with(&fast()).await.expect("offline the counter goes on");
    assert!(!view.screen.hand_back().expect("hand-back").manifest_loaded, "offline the hand-back is ad hoc");
    let trousers = scan_into_hand_back(&kiosk, "DOOR-1-2");
    kiosk.set_hand_back_reason(&trousers, RefusalReason::Defect, Some("пятно на штанине")).expect("reason");
    let act = kiosk
        .complete_hand_back("Мария Менеджер")
        .expect("completed offline")
        .screen
        .hand_back_act()
        .cloned()
        .expect("act");
    assert!(act.missing.is_empty(), "without a manifest nothing is missing at the counter");
    net.restart_server(addr).await;

    let report = sync_until_idle(&kiosk, &fast()).await.expect("pushed when back online");
    assert_eq!(report.rejected, 0, "the offline hand-back is applied: {report:?}");
    assert_eq!(
        outcomes(&net, &act.hand_back_id),
        vec![(LineOutcome::Accepted, Some("itm-door-1-2".into()))],
        "the server matched the trousers to their line by the scanned code"
    );
    assert!(net.admin().courier_manifest(POINT, COURIER).expect("manifest").lines.is_empty(), "nothing left open");
    assert_eq!(net.admin().ledger_check().expect("ledger").total, 0, "the ledger balances");
}
