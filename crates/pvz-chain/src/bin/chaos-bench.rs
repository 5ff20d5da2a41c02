//! The chaos benchmark ([`pvz_chain::chaos`]): runs until the kiosks have been SIGKILLed `--kills`
//! times in all, at most `--kills-per-run` in one run (three kiosks of one point, a fault proxy both
//! ways, the server SIGKILLed mid-batch now and then, then quiesce and a full audit). Prints each
//! run's figures and the totals; exits 1 at the first run whose audit fails, naming its seed and
//! keeping its files.
//!
//! `--backend postgres` puts the server on a throwaway PostgreSQL cluster (`pvz-testdb`) instead of
//! SQLite. Seeded: run `r` uses `PVZ_CHAOS_SEED + r` (the base seed is printed first; random if unset).
//!
//! Run: `cargo build -p pvz-chain --bins && target/debug/chaos-bench --kills 1000 --kills-per-run 100`
//! (or `cargo run --release -p pvz-chain --bin chaos-bench -- …`; the other binaries must be built
//! beside it).

use pvz_chain::chaos::{self, Binaries, Figures, Plan, STALL};
use pvz_chain::processes::sibling_binary;
use std::time::{Duration, Instant};

struct Args {
    kills: usize,
    per_run: usize,
    server_kill_one_in: usize,
    postgres: bool,
}

fn parse_args() -> Args {
    let usage =
        "usage: chaos-bench [--kills N] [--kills-per-run N] [--server-kill-one-in N] [--backend sqlite|postgres]";
    let mut parsed = Args { kills: 1_000, per_run: 100, server_kill_one_in: 8, postgres: false };
    let number = |n: &str| n.parse().ok().filter(|&n: &usize| n > 0).unwrap_or_else(|| exit_with(usage));
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().unwrap_or_else(|| exit_with(usage));
        match flag.as_str() {
            "--kills" => parsed.kills = number(&value),
            "--kills-per-run" => parsed.per_run = number(&value),
            "--server-kill-one-in" => parsed.server_kill_one_in = number(&value),
            "--backend" if value == "sqlite" => parsed.postgres = false,
            "--backend" if value == "postgres" => parsed.postgres = true,
            _ => exit_with(usage),
        }
    }
    parsed
}

fn exit_with(message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(2)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args = parse_args();
    let binaries = Binaries {
        server: sibling_binary("chain-pvz-server").unwrap_or_else(|e| exit_with(&e)),
        kiosk: sibling_binary("chaos-kiosk").unwrap_or_else(|e| exit_with(&e)),
    };
    let base = std::env::var("PVZ_CHAOS_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| fastrand::u64(..));
    println!("PVZ_CHAOS_SEED={base}");
    let backend = if args.postgres { "PostgreSQL" } else { "SQLite" };
    println!("target: {} kiosk SIGKILLs, at most {} a run; server on {backend}", args.kills, args.per_run);
    let started = Instant::now();
    let mut total = Figures::default();
    let mut runs = 0u64;
    while total.kiosk_kills < args.kills {
        let mut plan = Plan::for_kills(base.wrapping_add(runs), args.per_run.min(args.kills - total.kiosk_kills));
        plan.server_kill_one_in = args.server_kill_one_in;
        // A throwaway cluster (`pvz-testdb`), a fresh database each run.
        plan.database_url = args.postgres.then(|| pvz_testdb::cluster().create_database());
        match chaos::run(&plan, &binaries).await {
            Ok(figures) => {
                println!("run {runs}: {}", line(&figures));
                add(&mut total, &figures);
            }
            Err(e) => {
                println!("run {runs} FAILED (seed {}): {e}", plan.seed);
                println!("before it: {} runs, {}", runs, line(&total));
                std::process::exit(1);
            }
        }
        runs += 1;
    }
    total.wall = started.elapsed();
    println!("total over {runs} runs (seeds {base}..={}): {}", base.wrapping_add(runs - 1), line(&total));
    println!("stalls (a queue not drained {STALL:?} after quiesce): {}, target 0", total.stalls);
}

fn line(f: &Figures) -> String {
    format!(
        "kiosk kills {}, server kills {} ({} mid-batch), ops {} ({} applied, {} rejected: {:?}), \
         orders issued {}, acknowledged ops re-checked after server kills {}, stalls {}, worst drain {}, \
         proxy {:?}, wall {}",
        f.kiosk_kills,
        f.server_kills,
        f.server_kills_mid_batch,
        f.ops,
        f.applied,
        f.rejected,
        f.reject_codes,
        f.orders_issued,
        f.acknowledged_checked,
        f.stalls,
        seconds(f.worst_drain),
        f.faults,
        seconds(f.wall),
    )
}

fn seconds(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn add(total: &mut Figures, run: &Figures) {
    total.kiosk_kills += run.kiosk_kills;
    total.server_kills += run.server_kills;
    total.server_kills_mid_batch += run.server_kills_mid_batch;
    total.acknowledged_checked += run.acknowledged_checked;
    total.ops += run.ops;
    total.applied += run.applied;
    total.rejected += run.rejected;
    for (code, n) in &run.reject_codes {
        *total.reject_codes.entry(code.clone()).or_default() += n;
    }
    total.orders_issued += run.orders_issued;
    total.stalls += run.stalls;
    total.worst_drain = total.worst_drain.max(run.worst_drain);
    let (t, r) = (&mut total.faults, &run.faults);
    t.connections += r.connections;
    t.refused += r.refused;
    t.cut_requests += r.cut_requests;
    t.cut_answers += r.cut_answers;
    t.slowed += r.slowed;
    t.reset_later += r.reset_later;
    t.no_upstream += r.no_upstream;
}
