//! A headless kiosk doing counter work while it syncs, for the kill test: it issues orders `0..`
//! one after another until its outbox holds `--ops` ops, with the sync engine pushing in the
//! background, then syncs until nothing waits and exits 0. It can be killed at any point and started
//! again on the same store; it picks up where the store says it is.
//!
//! Usage: chaos-kiosk <store path> <ops>

use pvz_chain::network::{client_config, issue};
use pvz_kiosk_core::sync::{self, EngineConfig, SyncEngine};
use pvz_kiosk_core::Kiosk;
use std::sync::Arc;
use std::time::Duration;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(store), Some(target)) = (args.next(), args.next().and_then(|n| n.parse::<usize>().ok())) else {
        eprintln!("usage: chaos-kiosk <store path> <ops>");
        std::process::exit(2);
    };
    let kiosk = Arc::new(Kiosk::open(std::path::Path::new(&store)).expect("the kiosk store opens"));
    let engine = EngineConfig {
        client: client_config(),
        poll_interval: Duration::from_millis(20),
        backoff_base: Duration::from_millis(10),
        backoff_max: Duration::from_millis(100),
        pull_wait: Duration::ZERO,
    };
    let handle = SyncEngine::spawn(kiosk.clone(), engine, Box::new(|_| {}));

    // Orders are issued in turn, one at a time, so the completed issues say where to go on; an
    // order a killed run left open is finished first by `issue`.
    let completed = kiosk.outbox().expect("outbox").iter().filter(|op| op.body.kind() == "issue_completed").count();
    let mut n = u32::try_from(completed).expect("a few hundred orders");
    while kiosk.outbox().expect("outbox").len() < target {
        let worker = kiosk.clone();
        tokio::task::spawn_blocking(move || issue(&worker, n)).await.expect("the counter work finishes");
        handle.nudge();
        n += 1;
    }
    handle.stop();
    loop {
        match sync::sync_until_idle(&kiosk, &client_config()).await {
            Ok(_) if kiosk.sync_status().expect("status").ops_waiting == 0 => break,
            Ok(_) => {}
            Err(e) => eprintln!("sync failed, retrying: {e}"),
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    println!("done: {} ops", kiosk.outbox().expect("outbox").len());
}
