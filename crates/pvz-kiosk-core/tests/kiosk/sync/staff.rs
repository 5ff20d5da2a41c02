//! Staff against the real central server on port 0: a manager the network added (PIN hashed by the
//! server) arrives with the pull feed, logs in at the kiosk offline from the server's hash, and every
//! op pushed names them as its operator; the shift's report reaches the server with its closing op.

use crate::support::network::*;
use pvz_domain::Kopecks;
use pvz_kiosk_core::sync;
use pvz_server::admin::Role;

#[tokio::test]
async fn a_manager_from_the_server_logs_in_offline_and_every_pushed_op_names_them() {
    let mut net = Network::start().await;
    let anna = net.admin().add_employee(POINT, "Анна Управляющая", Role::Manager, "4821").expect("manager added");
    net.admin().add_order(POINT, &order(1, 150_000)).expect("order added");
    let kiosk = net.enrolled_kiosk().await;
    sync::sync_until_idle(&kiosk, &fast()).await.expect("the pass pulls the staff and the order");
    assert!(kiosk.view().expect("view").session.login_required, "a manager with a PIN makes login required");

    let addr = net.stop_server().await;
    let view = kiosk.log_in(&anna, "4821").expect("the server's hash checks the PIN offline");
    assert_eq!(view.session.logged_in.map(|s| s.employee_id), Some(anna.clone()), "Anna is on duty");
    let shift_id = kiosk.open_shift().expect("the shift opens offline").session.shift.expect("shift").shift_id;
    issue(&kiosk, 1, 150_000);
    kiosk.close_shift().expect("the shift closes offline");
    net.restart_server(addr).await;
    sync::sync_until_idle(&kiosk, &fast()).await.expect("the pass pushes the ops");

    let ops = net.admin().ops(POINT, 50).expect("the server's ops");
    assert_eq!(ops.len(), 5, "shift opened, order opened, decided, issued, shift closed: {ops:?}");
    for op in &ops {
        assert_eq!(op.operator.as_deref(), Some(anna.as_str()), "{} names Anna as its operator", op.kind);
        assert_eq!(op.status, "applied", "{} was applied: {op:?}", op.kind);
    }
    let shifts = net.admin().shifts(POINT).expect("the server's shifts");
    assert_eq!(shifts.len(), 1, "one shift");
    assert_eq!(shifts[0].id, shift_id, "the kiosk's shift");
    let report = shifts[0].report.as_ref().expect("closed with its report");
    assert_eq!((report.orders_issued, report.money_taken), (1, Kopecks(150_000)), "the report reached the server");
}
