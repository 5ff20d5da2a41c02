//! Staff login and the audit: a manager's argon2 PIN hash reaches their point's kiosks (nobody
//! else's, never a plain PIN) and follows a new PIN and a retirement; every op keeps the operator the
//! kiosk named, whoever it is, for the audit to read.

use crate::common::*;
use argon2::password_hash::{PasswordHash, PasswordVerifier};
use pvz_domain::EmployeeId;
use pvz_server::admin::Role;
use serde_json::Value;

fn employee<'a>(page: &'a Reply, id: &str) -> Option<&'a Value> {
    page.body["changes"].as_array()?.iter().find(|c| c["type"] == "upsert_employee" && c["employee_id"] == id)
}

fn verifies(hash: &str, pin: &str) -> bool {
    let parsed = PasswordHash::new(hash).expect("the hash is an argon2 PHC string");
    argon2::Argon2::default().verify_password(pin.as_bytes(), &parsed).is_ok()
}

#[tokio::test]
async fn only_managers_pin_hashes_reach_their_points_kiosks_and_they_verify_with_argon2() {
    let t = start().await;
    t.admin.add_employee_as("mgr-anna", POINT, "Анна Смирнова", Role::Manager, "4826").expect("manager");
    t.admin.add_employee_as("courier-1", POINT, "Иван Петров", Role::Courier, "5173").expect("courier");
    t.admin.add_employee_as("driver-1", POINT, "Олег Смирнов", Role::Driver, "6049").expect("driver");
    t.admin.add_employee_as("mgr-b", OTHER_POINT, "Павел Никитин", Role::Manager, "7391").expect("elsewhere");
    let kiosk = t.enroll(POINT).await;
    let first = t.pull(&kiosk, &[]).await;
    assert_eq!(first.status, 200, "pull: {}", first.body);

    let anna = employee(&first, "mgr-anna").expect("the manager is in the feed");
    let hash = anna["pin_hash"].as_str().expect("a manager carries a PIN hash");
    assert!(hash.starts_with("$argon2"), "the hash is argon2 PHC, not a plain PIN: {hash}");
    assert!(verifies(hash, "4826"), "the hash verifies the manager's PIN");
    assert!(!verifies(hash, "4827"), "and no other PIN");
    assert!(!first.body.to_string().contains("4826"), "the plain PIN appears nowhere in the feed");
    for badge_only in ["courier-1", "driver-1"] {
        let e = employee(&first, badge_only).expect("in the feed");
        assert!(e.get("pin_hash").is_none(), "{badge_only} identifies by badge: no PIN hash is sent: {e}");
    }
    assert!(employee(&first, "mgr-b").is_none(), "another point's manager is not in this feed");

    let cursor = first.body["cursor"].as_str().unwrap_or("").to_owned();
    t.admin.set_employee_pin("mgr-anna", "5917").expect("a new PIN");
    let changed = t.pull(&kiosk, &[("cursor", &cursor)]).await;
    let hash = employee(&changed, "mgr-anna").and_then(|e| e["pin_hash"].as_str()).expect("the new hash follows");
    assert!(verifies(hash, "5917") && !verifies(hash, "4826"), "the new PIN works at the counter, the old one not");
    let err = t.admin.set_employee_pin("mgr-anna", "2222").expect_err("a trivial PIN");
    assert!(err.to_string().contains("too easy"), "a trivial PIN is refused, saying why: {err}");

    let cursor = changed.body["cursor"].as_str().unwrap_or("").to_owned();
    t.admin.retire_employee("mgr-anna").expect("retired");
    let retired = t.pull(&kiosk, &[("cursor", &cursor)]).await;
    let anna = employee(&retired, "mgr-anna").expect("retiring is a change");
    assert_eq!((anna["retired"].clone(), anna.get("pin_hash")), (true.into(), None), "a retired manager has no hash");
    t.server.shutdown().await;
}

#[tokio::test]
async fn every_op_keeps_the_operator_the_kiosk_named_for_the_audit() {
    let t = start().await;
    t.admin.add_employee_as("mgr-anna", POINT, "Анна Смирнова", Role::Manager, "4826").expect("manager");
    add_order(&t.admin, POINT, "o1", false);
    let kiosk = t.enroll(POINT).await;
    let by = |who: &str| Some(EmployeeId::parse(who).expect("employee id"));
    let ops = [
        pvz_protocol::sync::PushOp { operator: by("mgr-anna"), ..op(1, opened("o1")) },
        // An operator the server does not know is still recorded: the audit shows it, nothing is refused.
        pvz_protocol::sync::PushOp { operator: by("mgr-ghost"), ..op(2, opened("o1")) },
        op(3, opened("o1")),
    ];
    let reply = t.push(&kiosk, &ops).await;
    let outcomes: Vec<String> = (0..3).map(|i| outcome(&reply, i)).collect();
    assert_eq!(outcomes, ["applied"; 3], "the operator never decides an op's fate: {}", reply.body);

    let listed = t.admin.ops(POINT, 10).expect("the audit lists the point's ops");
    let mut who: Vec<(i64, Option<&str>, &str)> =
        listed.iter().map(|o| (o.seq, o.operator.as_deref(), o.kind.as_str())).collect();
    who.sort();
    assert_eq!(
        who,
        [(1, Some("mgr-anna"), "issue_opened"), (2, Some("mgr-ghost"), "issue_opened"), (3, None, "issue_opened")],
        "each op is listed with the operator it named (none for an op without one)"
    );
    assert!(listed.iter().all(|o| o.device_id == kiosk.device_id), "and the device that pushed it");
    assert!(t.admin.ops(OTHER_POINT, 10).expect("audit").is_empty(), "another point's audit holds none of them");
    t.server.shutdown().await;
}
