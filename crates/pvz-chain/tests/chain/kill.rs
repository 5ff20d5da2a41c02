//! The short form of the chaos benchmark (`chaos-bench`, README "Benchmarks"): three kiosk processes
//! of one point work the same orders through a proxy that drops, delays and resets traffic both
//! ways; the kiosks are SIGKILLed at random points 25 times and the server at least once mid-run;
//! after quiesce every op is on the server exactly once, nothing acknowledged is lost, the queues
//! drain, the ledger balances and every SQLite file passes `PRAGMA integrity_check`.
//!
//! The random choices come from a seed printed at the start; set `PVZ_CHAOS_SEED` to replay a run.

use pvz_chain::chaos::{self, Binaries, Plan, STALL};
use std::path::PathBuf;

const KILLS: usize = 25;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kiosks_and_server_killed_at_random_points_lose_and_duplicate_no_op() {
    let seed = std::env::var("PVZ_CHAOS_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| fastrand::u64(..));
    println!("PVZ_CHAOS_SEED={seed}");
    let binaries = Binaries {
        server: PathBuf::from(env!("CARGO_BIN_EXE_chain-pvz-server")),
        kiosk: PathBuf::from(env!("CARGO_BIN_EXE_chaos-kiosk")),
    };
    // One server kill in four kiosk kills: a few per run, so the short form always has some.
    let plan = Plan { server_kill_one_in: 4, ..Plan::for_kills(seed, KILLS) };
    let figures =
        chaos::run(&plan, &binaries).await.unwrap_or_else(|e| panic!("the chaos run holds its promises: {e}"));
    println!("{figures:?}");

    assert!(figures.kiosk_kills >= KILLS, "the kiosks were SIGKILLed {KILLS} times mid-work: {figures:?}");
    assert!(figures.server_kills >= 1, "the server was SIGKILLed at least once (seed {seed}): {figures:?}");
    assert_eq!(figures.stalls, 0, "every queue drained within {STALL:?} of quiesce (seed {seed}): {figures:?}");
    assert!(figures.applied > 0 && figures.orders_issued > 0, "the kiosks got work through: {figures:?}");
}
