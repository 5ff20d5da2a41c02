//! A headless kiosk for the chaos benchmark, killed at any point and started again on the same store
//! (it picks up where the store says it is).
//!
//! `work <orders> <first>`: works the point's orders `first, first + 1, …` (wrapping at `orders`)
//! at the counter, one at a time, with the sync engine pushing in the background. Other kiosks of
//! the point work the same orders, so an order may already be issued here or elsewhere: the counter
//! refusing it, or the server later rejecting this kiosk's ops as too late, is the race, not a
//! failure. When every order has been tried it syncs until nothing waits and exits 0. How many
//! orders it has tried is kept in `<store path>.progress`.
//!
//! `drain`: does no counter work, only syncs until nothing waits, and exits 0.
//!
//! Usage: chaos-kiosk <store path> work <orders> <first> | chaos-kiosk <store path> drain

use pvz_chain::network::{client_config, short_code};
use pvz_kiosk_core::sync::{self, EngineConfig, SyncEngine};
use pvz_kiosk_core::{Kiosk, KioskError};
use std::sync::Arc;
use std::time::Duration;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let work = match args[..] {
        [_, "work", orders, first] => match (orders.parse::<u32>(), first.parse::<u32>()) {
            (Ok(orders), Ok(first)) if orders > 0 => Some((orders, first)),
            _ => usage(),
        },
        [_, "drain"] => None,
        _ => usage(),
    };
    let kiosk = Arc::new(Kiosk::open(std::path::Path::new(args[0])).expect("the kiosk store opens"));
    if let Some((orders, first)) = work {
        let engine = EngineConfig {
            client: client_config(),
            poll_interval: Duration::from_millis(20),
            backoff_base: Duration::from_millis(10),
            backoff_max: Duration::from_millis(100),
            pull_wait: Duration::ZERO,
        };
        let handle = SyncEngine::spawn(kiosk.clone(), engine, Box::new(|_| {}));
        // How far earlier runs got, so a restart does not scan every order it has done again (a
        // hint beside the store, not in it: an order a killed run left open is on the screen).
        let progress = format!("{}.progress", args[0]);
        let done = std::fs::read_to_string(&progress).ok().and_then(|s| s.trim().parse::<u32>().ok()).unwrap_or(0);
        for i in done..orders {
            let n = (first + i) % orders;
            let worker = kiosk.clone();
            tokio::task::spawn_blocking(move || work_order(&worker, n)).await.expect("the counter work finishes");
            handle.nudge();
            std::fs::write(&progress, (i + 1).to_string()).expect("the progress hint is written");
        }
        handle.stop();
    }
    loop {
        match sync::sync_until_idle(&kiosk, &client_config()).await {
            Ok(_) if kiosk.sync_status().expect("status").ops_waiting == 0 => break,
            Ok(_) => {}
            Err(e) => eprintln!("sync failed, retrying: {e}"),
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!("done: {} ops", kiosk.outbox().expect("outbox").len());
}

fn usage() -> ! {
    eprintln!("usage: chaos-kiosk <store path> work <orders> <first> | chaos-kiosk <store path> drain");
    std::process::exit(2);
}

/// Issues order `n` the way a manager does (scan, hand everything over, confirm the payment shown),
/// after finishing whatever a killed run left on the screen. A refusal by the counter (the order
/// is already issued, here or by another kiosk whose ops were pulled) sets the card aside.
fn work_order(kiosk: &Kiosk, n: u32) {
    let view = kiosk.view().expect("counter view");
    if view.screen.receipt().is_some() {
        kiosk.dismiss_receipt().expect("the receipt closes");
    }
    let card = match kiosk.view().expect("counter view").screen.order() {
        Some(card) => card.clone(),
        None => match kiosk.scan(&short_code(n)) {
            Ok(outcome) => match outcome.view.screen.order() {
                Some(card) => card.clone(),
                None => return,
            },
            Err(KioskError::AlreadyIssued { .. }) => return,
            Err(e) => return eprintln!("order {n} does not open: {e}"),
        },
    };
    let finished = kiosk.hand_over_rest(&card.order_id).and_then(|decided| {
        let to_collect = decided.screen.order().map_or(card.settlement.to_collect, |o| o.settlement.to_collect);
        kiosk.confirm_issue(&card.order_id, to_collect, true)
    });
    match finished {
        Ok(_) => {
            kiosk.dismiss_receipt().expect("the receipt closes");
        }
        Err(e) => {
            eprintln!("order {} is not issued here: {e}", card.order_id);
            kiosk.set_aside().expect("the card is set aside");
        }
    }
}
