//! A kiosk process killed with SIGKILL at random points while it works the counter and syncs, again
//! and again, until it has done 500 ops: afterwards every op is on the server exactly once, the
//! ledger balances, and both SQLite files pass `PRAGMA integrity_check`.
//!
//! The random delays come from a seed printed at the start; set `PVZ_CHAOS_SEED` to replay a run.

use pvz_chain::network::{Network, ORDER_PRICE};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const OPS: usize = 500;
/// Three ops per issued order (opened, handed over, completed), plus room for a killed run's redo.
const ORDERS: u32 = 200;
/// How many times the kiosk is killed before a last run may finish undisturbed.
const KILL_ROUNDS: usize = 25;

fn start_kiosk(store: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_chaos-kiosk"))
        .arg(store)
        .arg(OPS.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the headless kiosk starts")
}

fn integrity(path: &std::path::Path) -> String {
    let conn = rusqlite::Connection::open(path).expect("the store opens for checking");
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity_check runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_killed_at_random_points_syncs_every_op_exactly_once() {
    let seed = std::env::var("PVZ_CHAOS_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| fastrand::u64(..));
    println!("PVZ_CHAOS_SEED={seed}");
    let mut rng = fastrand::Rng::with_seed(seed);

    let net = Network::start(ORDERS).await;
    let store = net.kiosk_path("killed");
    let device = {
        let kiosk = net.enrolled_kiosk(&store, &net.server().url()).await;
        kiosk.view().expect("view").status.device_id
    };

    // A fixed number of kills, not a wall-clock budget: on a loaded machine a round may end before
    // the kiosk did anything, which is still a kill at a random point; the last run finishes the rest.
    let mut kills = 0;
    while kills < KILL_ROUNDS {
        let mut child = start_kiosk(&store);
        let wait = Duration::from_millis(rng.u64(30..400));
        tokio::time::sleep(wait).await;
        match child.try_wait().expect("child status") {
            Some(status) if status.success() => break,
            Some(status) => panic!("the headless kiosk failed on its own with {status} (seed {seed})"),
            None => {}
        }
        child.kill().expect("SIGKILL the kiosk");
        child.wait().expect("reap the killed kiosk");
        kills += 1;
    }
    // A last uninterrupted run finishes what the killed ones left and syncs until nothing waits.
    let finished = start_kiosk(&store).wait().expect("the last run ends");
    assert!(finished.success(), "the last run completes and syncs (seed {seed})");
    println!("killed {kills} times");
    assert!(kills >= 3, "the test must actually kill the kiosk mid-work, got {kills} kills (seed {seed})");

    assert_eq!(integrity(&store), "ok", "the killed kiosk's store is intact (seed {seed})");
    assert_eq!(integrity(&net.server_dir().join("server.sqlite3")), "ok", "the server's store is intact");

    let kiosk = pvz_kiosk_core::Kiosk::open(&store).expect("kiosk store opens");
    let outbox = kiosk.outbox().expect("outbox");
    assert!(outbox.len() >= OPS, "the kiosk did at least {OPS} ops, got {} (seed {seed})", outbox.len());
    assert!(
        outbox.iter().enumerate().all(|(i, op)| op.seq == i as i64 + 1),
        "the outbox seq has no gaps after the kills (seed {seed})"
    );
    assert_eq!(kiosk.sync_status().expect("status").ops_waiting, 0, "nothing waits after the final sync");

    let admin = net.admin();
    let counts = admin.op_counts(&device).expect("op counts");
    assert_eq!(
        (counts.applied as usize, counts.rejected, counts.last_seq),
        (outbox.len(), 0, outbox.len() as i64),
        "the server applied every op exactly once and nothing else (seed {seed})"
    );
    let completed: Vec<_> = outbox.iter().filter(|op| op.body.kind() == "issue_completed").collect();
    for op in &completed {
        let postings = admin.ledger_for_op(&op.op_id.to_string()).expect("postings");
        let moved: i64 = postings.iter().map(|p| p.amount.0).filter(|a| *a > 0).sum();
        assert_eq!(moved, ORDER_PRICE.0, "issue {} is paid once in the ledger (seed {seed})", op.op_id);
    }
    let ledger = admin.ledger_check().expect("ledger check");
    assert_eq!(ledger.transactions as usize, completed.len(), "one ledger transaction per issue: {ledger:?}");
    assert!(ledger.is_ok() && ledger.total == 0, "the ledger sums to zero with no double posting: {ledger:?}");
}
