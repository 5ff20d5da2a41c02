//! Shifts: opened and closed by a device's ops, stored with the operators, the counter's times and
//! the closing report; an id opens one shift, a shift closes once and only on its own device.

use crate::common::*;
use pvz_domain::{EmployeeId, Kopecks, ShiftReport};
use pvz_protocol::sync::PushOp;
use pvz_protocol::OpBody;

fn by(op: PushOp, who: &str, at: &str) -> PushOp {
    PushOp { operator: Some(EmployeeId::parse(who).expect("id")), created_at: at.into(), ..op }
}

fn report() -> ShiftReport {
    ShiftReport {
        orders_issued: 3,
        items_handed_over: 5,
        money_taken: Kopecks(849_000),
        fees: Kopecks(14_900),
        unredeemed_to_returns: 1,
        ..ShiftReport::default()
    }
}

fn closed(shift: &str) -> OpBody {
    OpBody::ShiftClosed { shift_id: shift.into(), report: report() }
}

#[tokio::test]
async fn a_shift_is_stored_with_its_operators_and_report_and_closed_once_on_its_device() {
    let t = start().await;
    let (kiosk, other_kiosk) = (t.enroll(POINT).await, t.enroll(POINT).await);
    let ops = [
        by(op(1, OpBody::ShiftOpened { shift_id: "sh-1".into() }), "mgr-anna", "2026-12-01T09:00:00+03:00"),
        by(op(2, closed("sh-1")), "mgr-boris", "2026-12-01T21:00:00+03:00"),
        op(3, closed("sh-1")),
        op(4, closed("sh-404")),
        op(5, OpBody::ShiftOpened { shift_id: "sh-1".into() }),
        op(6, OpBody::ShiftOpened { shift_id: "sh-2".into() }),
    ];
    let reply = t.push(&kiosk, &ops).await;
    let got: Vec<String> = (0..6).map(|i| format!("{}/{}", outcome(&reply, i), reject_code(&reply, i))).collect();
    assert_eq!(
        got,
        [
            "applied/none",
            "applied/none",
            "rejected/shift_already_closed",
            "rejected/unknown_shift",
            "rejected/invalid_op",
            "applied/none"
        ],
        "open, close (by another manager), close again, close an unknown shift, reuse an id, open the next: {}",
        reply.body
    );
    let elsewhere = t.push(&other_kiosk, &[op(1, closed("sh-2"))]).await;
    assert_eq!(reject_code(&elsewhere, 0), "unknown_shift", "another device cannot close this device's shift");

    let shifts = t.admin.shifts(POINT).expect("shifts");
    let ids: Vec<&str> = shifts.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["sh-2", "sh-1"], "the point's shifts, the latest first");
    let first = &shifts[1];
    assert_eq!(first.device_id, kiosk.device_id, "on the device that opened it");
    assert_eq!(
        (first.opened_by.as_deref(), first.opened_at.as_str()),
        (Some("mgr-anna"), "2026-12-01T06:00:00.000Z"),
        "opened by its operator at the counter's time"
    );
    assert_eq!(
        (first.closed_by.as_deref(), first.closed_at.as_deref()),
        (Some("mgr-boris"), Some("2026-12-01T18:00:00.000Z")),
        "closed by whoever closed it"
    );
    assert_eq!(first.report.as_ref(), Some(&report()), "with the report's figures");
    assert_eq!(first.closed_op_id.as_deref(), Some(ops[1].op_id.to_string().as_str()), "by that op");
    assert!(shifts[0].closed_at.is_none() && shifts[0].report.is_none(), "the next shift is still open");
    assert!(t.admin.shifts(OTHER_POINT).expect("shifts").is_empty(), "another point has none");
    t.server.shutdown().await;
}
