//! The engine against a server that holds pulls: once up to date it waits in a held pull instead of
//! sleeping out its 30 s poll, so a change reaches it within about a second, and an op written
//! meanwhile is pushed at once rather than after the hold. The changes are made only once the server
//! holds the kiosk's pull; the timeouts are upper bounds, far below the poll interval.

use crate::support::network::*;
use pvz_kiosk_core::sync::{EngineConfig, SyncEngine};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The shipped defaults (a 30 s poll, pulls held up to 25 s) with the tests' short timeouts.
fn idle_engine() -> EngineConfig {
    EngineConfig { client: fast(), ..EngineConfig::default() }
}

#[tokio::test]
async fn a_change_reaches_an_idle_kiosk_without_waiting_for_its_poll() {
    let net = Network::start().await;
    let kiosk = Arc::new(net.enrolled_kiosk().await);
    let handle = SyncEngine::spawn(kiosk.clone(), idle_engine(), Box::new(|_| {}));
    let synced =
        wait_for(&handle, "the first pass succeeds", |s| s.online && !s.syncing && s.last_sync_at.is_some()).await;
    net.until_holding(1).await;

    // Written straight to the database, as the admin CLI would: the server learns of it by re-reading.
    net.admin().add_orders(POINT, &[order(1, 100_000)]).expect("an order for the point");
    let added_at = Instant::now();
    let after = wait_for(&handle, "the held pull brings the order", |s| s.last_sync_at != synced.last_sync_at).await;
    let latency = added_at.elapsed();
    assert!(latency < Duration::from_secs(5), "the order arrived {latency:?} after it was added, not at the 30 s poll");
    assert!(after.online && after.last_error.is_none(), "a held pull answered is a successful sync: {after:?}");
    let card = kiosk.scan("700001").expect("the counter finds the new order");
    assert!(card.view.screen.order().is_some(), "its card opens");
    handle.stop();
}

#[tokio::test]
async fn an_op_is_pushed_at_once_while_a_pull_is_held() {
    let net = Network::start().await;
    net.admin().add_orders(POINT, &[order(1, 100_000)]).expect("an order for the point");
    let kiosk = Arc::new(net.enrolled_kiosk().await);
    let handle = SyncEngine::spawn(kiosk.clone(), idle_engine(), Box::new(|_| {}));
    wait_for(&handle, "the first pass succeeds", |s| s.online && !s.syncing && s.last_sync_at.is_some()).await;
    net.until_holding(1).await;

    issue(&kiosk, 1, 100_000);
    let written = kiosk.outbox().expect("outbox").len() as u64;
    let device = device_of(&kiosk);
    handle.nudge();
    let nudged_at = Instant::now();
    wait_for(&handle, "the issue is pushed", |s| {
        s.ops_waiting == 0 && net.admin().op_counts(&device).is_ok_and(|c| c.applied == written)
    })
    .await;
    let latency = nudged_at.elapsed();
    assert!(latency < Duration::from_secs(5), "pushed {latency:?} after the nudge, not after the 25 s hold");
    net.until_holding(1).await;
    handle.stop();
}
