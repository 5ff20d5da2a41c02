//! Badges issued by the real central server: a kiosk learns each employee's current badge number
//! from the pull feed, so a badge the server replaced (`pvz-server badge <id>` for a lost one) is
//! refused after the next pull, offline too from then on, and the new badge works.

use crate::support::network::*;
use pvz_kiosk_core::sync::sync_until_idle;
use pvz_kiosk_core::{ErrorKind, Kiosk, ScanNotice};
use pvz_server::admin::Role;

const COURIER: &str = "cour-badge-1";

fn refused_as_unknown(kiosk: &Kiosk, badge: &str, what: &str) -> String {
    match kiosk.scan(badge) {
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::UnknownBadge, "{what}: refused for the wrong reason: {e}");
            e.to_string()
        }
        Ok(outcome) => panic!("{what}: must be refused, got {outcome:?}"),
    }
}

fn starts_hand_back(kiosk: &Kiosk, badge: &str, what: &str) {
    let outcome = kiosk.scan(badge).unwrap_or_else(|e| panic!("{what}: must be accepted, got {e}"));
    assert_eq!(outcome.notice, Some(ScanNotice::HandBackStarted), "{what}: the courier's badge starts a hand-back");
    kiosk.cancel_hand_back().expect("the hand-back is cancelled");
}

#[tokio::test]
async fn a_badge_replaced_on_the_server_is_refused_after_the_next_pull_even_offline() {
    let mut net = Network::start().await;
    let admin = net.admin();
    admin.add_employee_as(COURIER, POINT, "Иван Петров", Role::Courier, "1234").expect("courier added");
    let first = admin.issue_badge(COURIER).expect("the first badge is issued");
    assert_eq!(first.serial, 1, "an employee's first badge is no. 1");
    let kiosk = net.enrolled_kiosk().await;
    sync_until_idle(&kiosk, &fast()).await.expect("the pull brings the courier and their badge number");
    starts_hand_back(&kiosk, &first.code, "the badge the server issued");

    let second = admin.issue_badge(COURIER).expect("a new badge for a lost one");
    assert_eq!(second.serial, 2, "the server counts the courier's badges up");
    let early = refused_as_unknown(&kiosk, &second.code, "the new badge before the counter pulled its number");
    assert!(early.contains("sync"), "the counter says to let it sync first: {early}");

    sync_until_idle(&kiosk, &fast()).await.expect("the pull brings the new badge number");
    let addr = net.stop_server().await;
    let lost = refused_as_unknown(&kiosk, &first.code, "the lost badge, offline after the pull");
    assert!(lost.contains("replaced"), "the counter says the badge was replaced: {lost}");
    starts_hand_back(&kiosk, &second.code, "the new badge, offline: the staff are cached");

    net.restart_server(addr).await;
    let reprint = net.admin().current_badge(COURIER).expect("the current badge").expect("one was issued");
    assert_eq!(reprint, second, "a reprint is the same current badge, revoking nothing");
    sync_until_idle(&kiosk, &fast()).await.expect("nothing new to pull");
    starts_hand_back(&kiosk, &second.code, "the reprinted badge is the same code");
}
