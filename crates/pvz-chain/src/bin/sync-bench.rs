//! Measures the two big sync passes a pickup point meets, against the real server on loopback: a
//! kiosk pushing 10,000 counter ops queued while offline, and a fresh kiosk catching up on 100,000
//! orders. Prints figures, checks nothing against a clock (targets are printed beside them).
//!
//! Run: `cargo run --release -p pvz-chain --bin sync-bench [-- --push-runs 1] [--catch-up-runs 3]
//! [--only push|catch-up]`. Preparing a push run issues 3,334 orders at the counter (about a minute on
//! a busy 2-core machine, untimed), hence one push run by default.

use pvz_chain::network::{client_config, issue, Issued, Network, POINT};
use pvz_kiosk_core::sync::{self, ClientConfig, PullProgress};
use std::time::{Duration, Instant};

const PUSH_OPS: u32 = 10_000;
/// An issue writes three ops (opened, decisions, completed): 3,334 issues make 10,002 ops.
const PUSH_ORDERS: u32 = 3_500;
const PUSH_TARGET_SECONDS: f64 = 5.0;
const CATCH_UP_ORDERS: usize = 100_000;
const CATCH_UP_TARGET_SECONDS: f64 = 10.0;

struct Args {
    push_runs: usize,
    catch_up_runs: usize,
    push: bool,
    catch_up: bool,
}

fn parse_args() -> Args {
    let usage = "usage: sync-bench [--push-runs N] [--catch-up-runs N] [--only push|catch-up]";
    let mut parsed = Args { push_runs: 1, catch_up_runs: 3, push: true, catch_up: true };
    let runs = |n: &str| n.parse().ok().filter(|&n: &usize| n > 0).unwrap_or_else(|| exit_with(usage));
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().unwrap_or_else(|| exit_with(usage));
        match (flag.as_str(), value.as_str()) {
            ("--push-runs", n) => parsed.push_runs = runs(n),
            ("--catch-up-runs", n) => parsed.catch_up_runs = runs(n),
            ("--only", "push") => parsed.catch_up = false,
            ("--only", "catch-up") => parsed.push = false,
            _ => exit_with(usage),
        }
    }
    parsed
}

fn exit_with(usage: &str) -> ! {
    eprintln!("{usage}");
    std::process::exit(2)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args = parse_args();
    print_conditions();
    if args.push {
        push_bench(args.push_runs).await;
    }
    if args.catch_up {
        catch_up_bench(args.catch_up_runs).await;
    }
}

fn print_conditions() {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let profile = if cfg!(debug_assertions) { "debug (figures meaningless: use --release)" } else { "release" };
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name").map(|m| m.trim_start_matches([' ', '\t', ':']).to_owned()))
        })
        .unwrap_or_else(|| "unknown".into());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("sync-bench: server and kiosk in one process, loopback, SQLite in a temp dir");
    println!("  cores: {cores} ({cpu}); build: {profile}; load average: {}", load.trim());
}

/// What one push measurement saw.
struct PushRun {
    ops: u32,
    seconds: f64,
}

async fn push_bench(runs: usize) {
    println!("\n(a) push of {PUSH_OPS} queued counter ops (target ≤ {PUSH_TARGET_SECONDS} s)");
    let mut seconds = Vec::new();
    let mut ops = 0;
    for run in 1..=runs {
        let measured = push_once(run).await;
        ops = measured.ops;
        seconds.push(measured.seconds);
    }
    let median = median(&mut seconds);
    println!(
        "  median of {runs}: {ops} ops in {median:.2} s = {:.0} ops/s ({})",
        f64::from(ops) / median,
        verdict(median, PUSH_TARGET_SECONDS)
    );
}

async fn push_once(run: usize) -> PushRun {
    let setup = Instant::now();
    let network = Network::start(PUSH_ORDERS).await;
    let (kiosk, enrollment) = network.enroll_kiosk(&network.kiosk_path("pusher"), &network.server().url()).await;
    sync::sync_until_idle(&kiosk, &client_config()).await.expect("the kiosk pulls the orders before going to work");

    // Counter work while "offline": nothing syncs until the timed pass.
    assert!(matches!(issue(&kiosk, 0), Issued::Done(_)), "order 0 is issued at the counter");
    let per_order = u32::try_from(kiosk.outbox().expect("outbox").len()).expect("a few ops");
    let orders = PUSH_OPS.div_ceil(per_order);
    assert!(orders <= PUSH_ORDERS, "{PUSH_ORDERS} orders must give {PUSH_OPS} ops at {per_order} ops per issue");
    for n in 1..orders {
        assert!(matches!(issue(&kiosk, n), Issued::Done(_)), "order {n} is issued at the counter");
    }
    let queued = kiosk.sync_status().expect("sync status").ops_waiting;
    assert!(queued >= PUSH_OPS, "at least {PUSH_OPS} ops wait in the outbox, found {queued}");
    let setup = setup.elapsed().as_secs_f64();

    let started = Instant::now();
    let mut first_page = None;
    let report = sync::sync_until_idle_with(&kiosk, &client_config(), &mut |_: PullProgress| {
        first_page.get_or_insert_with(|| started.elapsed());
    })
    .await
    .expect("the pass pushes every op");
    let seconds = started.elapsed().as_secs_f64();

    let waiting = kiosk.sync_status().expect("sync status").ops_waiting;
    assert!(waiting == 0 && report.applied == queued as usize, "every op applied in one pass: {report:?}");
    let admin = network.admin();
    let counts = admin.op_counts(enrollment.device_id.as_str()).expect("op counts");
    assert!(
        counts.applied == u64::from(queued) && counts.rejected == 0,
        "the server applied all {queued} ops and rejected none: {counts:?}"
    );
    let ledger = admin.ledger_check().expect("ledger check");
    assert!(
        ledger.is_ok() && ledger.total == 0 && ledger.transactions == u64::from(orders),
        "one balanced ledger transaction per issued order ({orders}): {ledger:?}"
    );
    println!(
        "  run {run}: {queued} ops ({orders} issues × {per_order}) in {seconds:.2} s = {:.0} ops/s; \
         push done and first pull page at {:.2} s, then {} changes in {} pages pulled back",
        f64::from(queued) / seconds,
        first_page.unwrap_or_default().as_secs_f64(),
        report.changes,
        report.pages,
    );
    println!(
        "         server applied {} rejected {}; ledger {} transactions, sum {} (balanced); setup {setup:.1} s untimed",
        counts.applied, counts.rejected, ledger.transactions, ledger.total
    );
    PushRun { ops: queued, seconds }
}

async fn catch_up_bench(runs: usize) {
    println!(
        "\n(b) catch-up of {CATCH_UP_ORDERS} orders by a freshly enrolled kiosk (target ≤ {CATCH_UP_TARGET_SECONDS} s)"
    );
    let network = Network::start(0).await;
    let setup = Instant::now();
    let ids = network.admin().add_demo_orders(POINT, CATCH_UP_ORDERS).expect("demo orders added");
    let sample = ids.last().expect("orders were added").to_string();
    let sample_code = server_short_code(&network, &sample);
    println!(
        "  setup: {CATCH_UP_ORDERS} orders (2 items each) in one transaction in {:.1} s, untimed; sample order {sample} ({sample_code})",
        setup.elapsed().as_secs_f64()
    );
    let default = ClientConfig::default();
    let large_pages = ClientConfig { pull_limit: 2000, ..ClientConfig::default() };
    for config in [default, large_pages] {
        let mut seconds = Vec::new();
        for run in 1..=runs {
            seconds.push(catch_up_once(&network, &config, run, &sample, &sample_code).await);
        }
        let median = median(&mut seconds);
        println!(
            "  pull_limit {}: median of {runs}: {median:.2} s = {:.0} orders/s ({})",
            config.pull_limit,
            CATCH_UP_ORDERS as f64 / median,
            verdict(median, CATCH_UP_TARGET_SECONDS)
        );
    }
}

async fn catch_up_once(network: &Network, config: &ClientConfig, run: usize, sample: &str, sample_code: &str) -> f64 {
    let path = network.kiosk_path(&format!("catch-up-{}-{run}", config.pull_limit));
    let (kiosk, _) = network.enroll_kiosk(&path, &network.server().url()).await;

    let started = Instant::now();
    let mut first_page: Option<Duration> = None;
    let report = sync::sync_until_idle_with(&kiosk, config, &mut |_: PullProgress| {
        first_page.get_or_insert_with(|| started.elapsed());
    })
    .await
    .expect("the catch-up pass completes");
    let seconds = started.elapsed().as_secs_f64();

    assert!(report.changes >= CATCH_UP_ORDERS as u64, "every order arrived: {report:?}");
    let opened = kiosk.scan(sample_code).expect("the sample order's short code opens a card");
    let card = opened.view.screen.order().cloned().expect("a scanned order opens its card");
    assert_eq!(card.order_id, sample, "the sample short code opens the sample order");
    println!(
        "  pull_limit {} run {run}: {} changes in {} pages in {seconds:.2} s = {:.0} orders/s; first page at {:.3} s; \
         found {sample_code} → {}",
        config.pull_limit,
        report.changes,
        report.pages,
        CATCH_UP_ORDERS as f64 / seconds,
        first_page.unwrap_or_default().as_secs_f64(),
        card.order_id,
    );
    drop(kiosk);
    if let Some(dir) = path.parent() {
        // Each caught-up store is tens of MB; keep the temp dir small across runs.
        let _ = std::fs::remove_dir_all(dir);
    }
    seconds
}

fn server_short_code(network: &Network, order: &str) -> String {
    let db = rusqlite::Connection::open(network.server_dir().join(pvz_server::db::DB_FILE)).expect("server db opens");
    db.query_row("SELECT short_code FROM orders WHERE id = ?1", [order], |row| row.get(0))
        .expect("the sample order is in the server's database")
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn verdict(seconds: f64, target: f64) -> &'static str {
    if seconds <= target {
        "within target"
    } else {
        "OVER target"
    }
}
