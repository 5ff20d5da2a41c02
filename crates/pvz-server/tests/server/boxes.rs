//! Return boxes: units close into a new box and leave with a driver of the point, each move in the
//! unit's custody log with its op; a box closed or handed over twice, a unit in two boxes, another
//! point's box and an unknown driver are refused and move nothing.

use crate::common::*;
use pvz_domain::RefusalReason;
use pvz_protocol::ReturnSource;
use pvz_server::admin::Role;
use pvz_server::db::custody::Holder;

/// Units `ret-1`, `ret-2` handed back by the courier at POINT, and a driver `driver-1` there.
async fn point_with_units(t: &TestServer) -> Kiosk {
    add_courier_with_refusals(&t.admin);
    t.admin.add_employee_as("driver-1", POINT, "Олег Смирнов", Role::Driver, "2222").expect("driver");
    let kiosk = t.enroll(POINT).await;
    let items = vec![
        handed_back("ret-1", Some("door-1"), "4607000000113", RefusalReason::Defect, 0),
        handed_back("ret-2", Some("door-2"), "4607000000120", RefusalReason::Defect, 0),
    ];
    let reply = t.push(&kiosk, &[op(1, hand_back("hb-1", "courier-1", items))]).await;
    assert_eq!(outcome(&reply, 0), "applied", "the hand-back applies: {}", reply.body);
    kiosk
}

#[tokio::test]
async fn a_box_is_closed_then_handed_to_the_driver_and_each_unit_keeps_its_chain() {
    let t = start().await;
    let kiosk = point_with_units(&t).await;
    let units = vec![
        boxed("ret-1", Some("door-1"), ReturnSource::Courier),
        boxed("ret-2", Some("door-2"), ReturnSource::Courier),
        // A counter refusal the server never saw as a unit: recorded when it is boxed.
        boxed("ret-3", Some("o1-2"), ReturnSource::CounterRefusal),
    ];
    let ops = [op(2, box_closed("box-1", units)), op(3, boxes_handed_over("act-1", "driver-1", &["box-1"]))];
    let reply = t.push(&kiosk, &ops).await;
    assert_eq!((outcome(&reply, 0), outcome(&reply, 1)), ("applied".into(), "applied".into()), "{}", reply.body);

    let chain = t.admin.custody("ret-1").expect("custody").remove(0);
    let holders: Vec<_> = chain.log.iter().map(|e| (e.holder.clone(), e.op_kind.as_str())).collect();
    let box_1 = Holder::Box(pvz_domain::ReturnBoxId::parse("box-1").expect("id"));
    let driver = Holder::Driver(pvz_domain::EmployeeId::parse("driver-1").expect("id"));
    assert_eq!(
        holders,
        [
            (Holder::Point, "courier_hand_back_completed"),
            (box_1.clone(), "return_box_closed"),
            (driver.clone(), "boxes_handed_over"),
        ],
        "the unit went from the point into the box and left with the driver"
    );
    assert_eq!(chain.unit.holder, driver, "the driver holds it now");
    assert_eq!(chain.log[2].op_id, ops[1].op_id.to_string(), "the handover op is named");
    let refusal = t.admin.custody("ret-3").expect("custody").remove(0);
    assert_eq!(refusal.unit.source, "counter_refusal", "the counter refusal is recorded with its source");
    assert_eq!(
        refusal.log.iter().map(|e| e.holder.clone()).collect::<Vec<_>>(),
        [Holder::Point, box_1, driver],
        "first seen at the point when boxed, then the box, then the driver"
    );
    assert!(t.admin.ledger_check().expect("check").is_ok(), "the ledger still balances");
    t.server.shutdown().await;
}

#[tokio::test]
async fn boxes_and_units_are_used_once_and_only_this_points_driver_takes_them() {
    let t = start().await;
    let kiosk = point_with_units(&t).await;
    t.admin.add_employee_as("driver-b", OTHER_POINT, "Чужой", Role::Driver, "2222").expect("another point's driver");
    let one = |unit: &str, item: &str| vec![boxed(unit, Some(item), ReturnSource::Courier)];
    let ops = [
        op(2, box_closed("box-1", one("ret-1", "door-1"))),
        op(3, box_closed("box-1", one("ret-2", "door-2"))),
        op(4, box_closed("box-2", one("ret-1", "door-1"))),
        op(5, box_closed("box-3", vec![])),
        op(6, boxes_handed_over("act-1", "nobody", &["box-1"])),
        op(7, boxes_handed_over("act-2", "driver-b", &["box-1"])),
        op(8, boxes_handed_over("act-3", "courier-1", &["box-1"])),
        op(9, boxes_handed_over("act-4", "driver-1", &["box-9"])),
        op(10, boxes_handed_over("act-5", "driver-1", &["box-1"])),
        op(11, boxes_handed_over("act-6", "driver-1", &["box-1"])),
    ];
    let reply = t.push(&kiosk, &ops).await;
    assert_eq!(reply.status, 200, "the push is answered: {}", reply.body);
    let expect = [
        ("applied", "none", "the first box closes"),
        ("rejected", "unknown_box", "a box id closed before"),
        ("rejected", "unknown_box", "a unit already in a box"),
        ("rejected", "invalid_op", "an empty box"),
        ("rejected", "unknown_employee", "an unknown driver"),
        ("rejected", "unknown_employee", "another point's driver"),
        ("rejected", "unknown_employee", "a courier is no driver"),
        ("rejected", "unknown_box", "a box never closed"),
        ("applied", "none", "the box goes to this point's driver"),
        ("rejected", "unknown_box", "a box handed over twice"),
    ];
    for (i, (status, code, what)) in expect.iter().enumerate() {
        assert_eq!((outcome(&reply, i), reject_code(&reply, i)), (status.to_string(), code.to_string()), "{what}");
    }
    let left = t.admin.custody("ret-2").expect("custody").remove(0);
    assert_eq!(left.unit.holder, Holder::Point, "the unit of the refused box is still at the point");

    let elsewhere = t.enroll(OTHER_POINT).await;
    let reply = t.push(&elsewhere, &[op(1, box_closed("box-x", one("ret-2", "door-2")))]).await;
    assert_eq!(reject_code(&reply, 0), "unknown_box", "another point cannot box this point's unit: {}", reply.body);
    t.admin.add_employee_as("driver-c", OTHER_POINT, "Ещё", Role::Driver, "2222").expect("driver");
    let reply = t.push(&elsewhere, &[op(2, boxes_handed_over("act-x", "driver-c", &["box-1"]))]).await;
    assert_eq!(reject_code(&reply, 0), "unknown_box", "nor hand over its box: {}", reply.body);
    t.server.shutdown().await;
}
