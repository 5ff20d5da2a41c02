//! Staff badges: the server signs each badge with its key and counts an employee's badges up, the
//! feed tells the point's kiosks the current number (so a new badge revokes a lost one at the
//! counter), `pvz-server badge <id>` issues one from the command line, and the demo network's staff
//! have theirs.

use crate::common::*;
use pvz_protocol::{BadgeClaims, PublicKey};
use pvz_server::admin::Role;
use pvz_server::ServerError;
use serde_json::Value;

fn employee<'a>(page: &'a Reply, id: &str) -> Option<&'a Value> {
    page.body["changes"].as_array()?.iter().find(|c| c["type"] == "upsert_employee" && c["employee_id"] == id)
}

fn cursor(page: &Reply) -> String {
    page.body["cursor"].as_str().unwrap_or("").to_owned()
}

#[tokio::test]
async fn issuing_a_badge_counts_up_and_the_feed_carries_the_current_number() {
    let t = start().await;
    t.admin.add_employee_as("courier-1", POINT, "Иван Петров", Role::Courier, "5173").expect("courier");
    let key = PublicKey::of(t.admin.signing_key());
    let kiosk = t.enroll(POINT).await;
    let first = t.pull(&kiosk, &[]).await;
    let courier = employee(&first, "courier-1").expect("the courier is in the feed");
    assert_eq!(courier["badge_serial"], 0, "no badge issued yet, so the kiosk accepts none: {courier}");
    assert_eq!(t.admin.current_badge("courier-1").expect("read"), None, "and there is none to reprint");

    let one = t.admin.issue_badge("courier-1").expect("a badge is issued");
    let claims = BadgeClaims::verify(&one.code, &key).expect("the badge is signed with the server's key");
    assert_eq!(
        (claims.employee_id.as_str(), claims.serial, one.serial),
        ("courier-1", 1, 1),
        "the badge names the courier and is their first"
    );
    let page = t.pull(&kiosk, &[("cursor", &cursor(&first))]).await;
    let courier = employee(&page, "courier-1").expect("issuing a badge is a change in the feed");
    assert_eq!(courier["badge_serial"], 1, "the feed carries the current badge's number: {courier}");

    let two = t.admin.issue_badge("courier-1").expect("a new badge for a lost one");
    let claims = BadgeClaims::verify(&two.code, &key).expect("signed");
    assert_eq!((claims.serial, two.serial), (2, 2), "each badge gets the next number");
    assert_ne!(one.code, two.code, "the new badge is another code");
    let next = t.pull(&kiosk, &[("cursor", &cursor(&page))]).await;
    let courier = employee(&next, "courier-1").expect("the new number is a change in the feed");
    assert_eq!(courier["badge_serial"], 2, "kiosks learn the new number, and refuse badge no. 1: {courier}");
    assert_eq!(t.admin.current_badge("courier-1").expect("read"), Some(two), "a reprint is the current badge");

    let unknown = t.admin.issue_badge("nobody").expect_err("an unknown employee");
    assert!(matches!(unknown, ServerError::NotFound(_)), "an unknown employee gets no badge: {unknown:?}");
    t.admin.retire_employee("courier-1").expect("retired");
    let retired = t.admin.issue_badge("courier-1").expect_err("a retired employee");
    assert!(matches!(retired, ServerError::BadRequest(_)), "a retired employee gets no badge: {retired:?}");
    t.server.shutdown().await;
}

#[test]
fn the_badge_command_prints_a_new_signed_badge_and_reprints_the_current_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dir = dir.path();
    {
        let admin = crate::common::admin(dir);
        admin.add_pickup_point(POINT, "ПВЗ А", &policy()).expect("point");
        admin.add_employee_as("driver-1", POINT, "Олег Смирнов", Role::Driver, "6049").expect("driver");
    }
    let key = PublicKey::of(crate::common::admin(dir).signing_key());

    let CliRun { ok, stdout: first, stderr: err } = pvz_server(dir, &["badge", "driver-1"]);
    assert!(ok, "`pvz-server badge driver-1` issues a badge: {err}");
    let first = first.trim().to_owned();
    let claims = BadgeClaims::verify(&first, &key).expect("it prints the signed badge alone on stdout");
    assert_eq!((claims.employee_id.as_str(), claims.serial), ("driver-1", 1), "the driver's first badge");

    let CliRun { ok, stdout: second, stderr: err } = pvz_server(dir, &["badge", "driver-1"]);
    assert!(ok, "a second badge is issued: {err}");
    let second = second.trim().to_owned();
    assert_eq!(BadgeClaims::verify(&second, &key).map(|c| c.serial), Ok(2), "with the next number");
    assert!(err.contains("no. 2"), "and says which number it is: {err}");

    let CliRun { ok, stdout: reprint, stderr: err } = pvz_server(dir, &["badge", "driver-1", "--reprint"]);
    assert!(ok, "the current badge is printed again: {err}");
    assert_eq!(reprint.trim(), second, "a reprint is the current badge, revoking nothing");
    let current = crate::common::admin(dir).current_badge("driver-1").expect("read").map(|b| b.serial);
    assert_eq!(current, Some(2), "reprinting did not count up");

    let CliRun { ok, stderr: err, .. } = pvz_server(dir, &["badge", "nobody"]);
    assert!(!ok && err.contains("nobody"), "an unknown employee is refused, named: {err}");
}

#[test]
fn the_demo_staff_have_signed_badges_that_a_second_run_keeps() {
    let dir = tempfile::tempdir().expect("temp dir");
    let admin = crate::common::admin(dir.path());
    let first = admin.seed_demo().expect("seed");
    let key = PublicKey::parse(&first.server_public_key).expect("public key");
    let staff: Vec<(&str, &str)> = first.staff.iter().map(|s| (s.employee_id.as_str(), s.role.as_str())).collect();
    for id in ["courier-ivan", "driver-oleg", "mgr-anna", "mgr-pavel"] {
        assert!(staff.iter().any(|(s, _)| *s == id), "{id} is among the demo staff: {staff:?}");
    }
    for s in &first.staff {
        let claims = BadgeClaims::verify(&s.badge, &key)
            .unwrap_or_else(|e| panic!("{}'s badge must be signed by the demo server: {e}", s.employee_id));
        assert_eq!(
            (claims.employee_id.as_str(), claims.serial),
            (s.employee_id.as_str(), 1),
            "the demo shows {}'s current badge, their first",
            s.employee_id
        );
    }
    let text = first.to_text();
    for s in &first.staff {
        assert!(
            text.contains(&format!("badge: {}", s.badge)),
            "the codes written for people show {}'s badge",
            s.employee_id
        );
    }

    let second = admin.seed_demo().expect("second run");
    let badges = |report: &pvz_server::demo::DemoReport| -> Vec<(String, String)> {
        report.staff.iter().map(|s| (s.employee_id.clone(), s.badge.clone())).collect()
    };
    assert_eq!(badges(&second), badges(&first), "a second run shows the same badges: none is revoked");
}
