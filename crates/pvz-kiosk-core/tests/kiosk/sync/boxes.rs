//! Return boxes against the real central server: a unit refused at the counter and one taken back on
//! a claim are boxed, the box is closed and handed to the point's driver, and the server's custody
//! log follows each unit from the point into the box and to the driver.

use crate::support::network::*;
use pvz_domain::{EmployeeId, Kopecks, RefusalReason, ReturnBoxId};
use pvz_kiosk_core::sync::sync_until_idle;
use pvz_kiosk_core::{ItemDecision, ScanNotice};
use pvz_protocol::{ReturnSource, SellerDecision};
use pvz_server::admin::Role;
use pvz_server::db::custody::Holder;

const DRIVER: &str = "drv-sync-1";

#[tokio::test]
async fn boxed_returns_go_to_the_driver_and_the_server_follows_each_unit() {
    let net = Network::start().await;
    let admin = net.admin();
    admin.add_orders(POINT, &[order(1, 150_000), order(2, 90_000)]).expect("orders added");
    admin.add_employee_as(DRIVER, POINT, "Олег Смирнов", Role::Driver, "2222").expect("driver added");
    let badge = admin.issue_badge(DRIVER).expect("the driver's badge is issued").code;
    let kiosk = net.enrolled_kiosk().await;
    sync_until_idle(&kiosk, &fast()).await.expect("orders and staff pulled");

    // Order 1: the buyer refuses the dress at the counter.
    let card = kiosk.scan("700001").expect("order opens").view.screen.order().cloned().expect("card");
    let defect = ItemDecision::Refuse { reason: RefusalReason::Defect, description: Some("пятно".into()) };
    kiosk.decide_item(&card.order_id, &card.items[0].item_id, defect).expect("refused");
    kiosk.confirm_issue(&card.order_id, Kopecks(0), false).expect("nothing to pay");
    // Order 2: handed over, then brought back on an approved claim.
    issue(&kiosk, 2, 90_000);
    sync_until_idle(&kiosk, &fast()).await.expect("the issues reach the server");
    let claim = admin.open_claim("ord-sync-2", "itm-sync-2-1", "разошёлся шов").expect("claim").claim_id.to_string();
    let refund = admin.full_refund(&claim).expect("refund");
    let code = admin
        .decide_claim(&claim, &SellerDecision::Approve { compensation: refund })
        .expect("approved")
        .return_code
        .expect("code");
    kiosk.scan(&code).expect("claim opens");
    kiosk.check_claim_item().expect("checked");
    kiosk.set_claim_condition("шов").expect("noted");
    kiosk.accept_claim_return().expect("accepted");

    let desk = kiosk.create_box().expect("a box").screen.returns_desk().cloned().expect("desk");
    let units: Vec<_> = desk.waiting.iter().map(|u| (u.return_id.clone(), u.source)).collect();
    assert_eq!(units.len(), 2, "the refused dress and the claim's item wait: {units:?}");
    assert!(units.iter().any(|(_, s)| *s == ReturnSource::CounterRefusal), "the counter refusal is among them");
    for (return_id, _) in &units {
        let added = kiosk.scan(&format!("PVZR1:{return_id}")).expect("packed by its label");
        assert_eq!(added.notice, Some(ScanNotice::BoxItemAdded { return_id: return_id.clone() }), "packed");
    }
    let desk = kiosk.close_box().expect("closed").screen.returns_desk().cloned().expect("desk");
    let box_id = desk.closed_boxes[0].box_id.clone();
    kiosk.scan(&badge).expect("the driver's badge at the desk");
    let act = kiosk.hand_over_boxes(DRIVER).expect("handed over").screen.handover_act().cloned().expect("act");
    assert_eq!(act.driver_name, "Олег Смирнов", "the act names the driver from the point's staff");

    let report = sync_until_idle(&kiosk, &fast()).await.expect("pushed");
    assert_eq!(report.rejected, 0, "the server applies the box and the handover: {report:?}");
    let with_driver = Holder::Driver(EmployeeId::parse(DRIVER).expect("driver id"));
    let in_box = Holder::Box(ReturnBoxId::parse(&box_id).expect("box id"));
    for (return_id, source) in &units {
        let custody = admin.custody(return_id).expect("custody");
        let unit = custody.first().unwrap_or_else(|| panic!("the server knows unit {return_id} ({source:?})"));
        assert_eq!(unit.unit.holder, with_driver, "{return_id} is with the driver");
        let chain: Vec<_> = unit.log.iter().map(|e| e.holder.clone()).collect();
        assert_eq!(chain.last(), Some(&with_driver), "{return_id}: the chain ends with the driver: {chain:?}");
        assert!(chain.contains(&in_box), "{return_id}: it went through the box: {chain:?}");
    }
    assert_eq!(admin.ledger_check().expect("ledger").total, 0, "the ledger balances");
}
