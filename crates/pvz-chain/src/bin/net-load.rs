//! The server at network scale, on SQLite or PostgreSQL: N simulated kiosks (default 5,000, two per
//! pickup point), each enrolled through the API with its own credential and cursor, against the real
//! `pvz-server serve` pinned to the first core (`taskset -c 0`; a PostgreSQL cluster, when used, is
//! pinned there too), the load generator on the others. Two phases:
//!
//! 1. saturation: every kiosk repeats its empty poll back to back, then the same connections hit
//!    `/v1/health`; the ratio of the rates says what an idle kiosk's poll costs beyond HTTP itself;
//! 2. a compressed working day: each kiosk polls every `--poll-every` and pushes an issue (three
//!    ops) every `--push-every`, then pulls back, open loop.
//!
//! Every figure is printed with its target; the exit status is 1 when a target is missed.
//!
//! Run (Linux, `taskset`, two cores or more; the server binary is found beside this one, so build
//! both first): `cargo build --release -p pvz-server -p pvz-chain &&
//! $CARGO_TARGET_DIR/release/net-load --backend sqlite|postgres [--kiosks 5000] [--per-point 2]
//! [--ratio-seconds 15] [--day-seconds 60] [--poll-every 30] [--push-every 10]`

use core_affinity::CoreId;
use hyper::{Method, StatusCode};
use pvz_chain::fleet::day::{self, DayPlan, DayReport};
use pvz_chain::fleet::{self, FleetPlan, SimKiosk};
use pvz_chain::http::Conn;
use pvz_chain::load::{self, Caller, LoadReport};
use pvz_chain::processes::{self, Launch, ServerProcess};
use pvz_protocol::sync::{PATH_HEALTH, PROTOCOL_HEADER, PROTOCOL_VERSION};
use pvz_server::admin::Admin;
use pvz_server::db::Database;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const RATIO_TARGET: f64 = 0.5;
/// The share of the offered pushes the server must answer in time to count as keeping up.
const KEEP_UP_TARGET: f64 = 0.95;
const PUSH_P99_TARGET: Duration = Duration::from_millis(500);
/// Kiosks enrolling at once during setup.
const ENROLLING_AT_ONCE: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
}

struct Args {
    backend: Backend,
    kiosks: usize,
    per_point: usize,
    ratio_seconds: u64,
    day_seconds: u64,
    poll_every: u64,
    push_every: u64,
}

fn parse_args() -> Args {
    let usage = "usage: net-load --backend sqlite|postgres [--kiosks N] [--per-point K] [--ratio-seconds S] \
                 [--day-seconds S] [--poll-every S] [--push-every S]";
    let mut parsed = Args {
        backend: Backend::Sqlite,
        kiosks: 5000,
        per_point: 2,
        ratio_seconds: 15,
        day_seconds: 60,
        poll_every: 30,
        push_every: 10,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().unwrap_or_else(|| fail(usage));
        let number = || value.parse::<u64>().unwrap_or_else(|_| fail(usage));
        let positive = || Some(number()).filter(|&n| n > 0).unwrap_or_else(|| fail(usage));
        match flag.as_str() {
            "--backend" if value == "sqlite" => parsed.backend = Backend::Sqlite,
            "--backend" if value == "postgres" => parsed.backend = Backend::Postgres,
            "--kiosks" => parsed.kiosks = positive() as usize,
            "--per-point" => parsed.per_point = positive() as usize,
            "--ratio-seconds" => parsed.ratio_seconds = number(),
            "--day-seconds" => parsed.day_seconds = number(),
            "--poll-every" => parsed.poll_every = positive(),
            "--push-every" => parsed.push_every = positive(),
            _ => fail(usage),
        }
    }
    parsed
}

fn fail(message: &str) -> ! {
    eprintln!("net-load: {message}");
    std::process::exit(2)
}

fn main() {
    let args = parse_args();
    let cores = core_affinity::get_core_ids().unwrap_or_default();
    let Some((server_core, load_cores)) = cores.split_first().filter(|(_, rest)| !rest.is_empty()) else {
        fail("needs two cores: the server on one, the load generator on another")
    };
    let open_files = processes::raise_open_files_limit();
    if open_files < 2 * args.kiosks as u64 + 256 {
        fail(&format!("{} kiosks need about {} open files; the limit is {open_files}", args.kiosks, 2 * args.kiosks));
    }
    let data = tempfile::tempdir().unwrap_or_else(|e| fail(&format!("a temp dir: {e}")));
    let postgres = (args.backend == Backend::Postgres).then(|| Postgres::start(server_core.id));
    let database = match &postgres {
        Some(pg) => Database::Postgres(pg.url.clone()),
        None => Database::Sqlite(data.path().join(pvz_server::db::DB_FILE)),
    };
    let plan = FleetPlan {
        kiosks: args.kiosks,
        kiosks_per_point: args.per_point,
        // Enough for the day's pushes at their rate, and a few for stragglers.
        orders_per_kiosk: (args.day_seconds / args.push_every) as usize + 3,
    };
    let setup = Instant::now();
    let seeds = Admin::open_database(data.path(), &database)
        .map_err(|e| e.to_string())
        .and_then(|admin| fleet::seed(&admin, plan))
        .unwrap_or_else(|e| fail(&format!("seeding the network: {e}")));
    let seeded = setup.elapsed();
    let binary = processes::sibling_binary("pvz-server").unwrap_or_else(|e| fail(&e));
    let url = postgres.as_ref().map(|pg| pg.url.as_str());
    let launch = Launch { data_dir: data.path(), database_url: url, core: Some(server_core.id), log_level: None };
    let server = ServerProcess::start(&binary, &launch).unwrap_or_else(|e| fail(&e));
    print_conditions(&args, &server, postgres.as_ref(), cores.len(), server_core.id, load_cores, open_files);
    println!(
        "  seeded {} pickup points, {} orders, {} enrollment codes through the admin API in {:.1} s",
        plan.points(),
        plan.kiosks * plan.orders_per_kiosk,
        plan.kiosks,
        seeded.as_secs_f64()
    );

    // One worker per load core, each pinned to its own; the main thread (setup, then waiting) too.
    if !core_affinity::set_for_current(load_cores[0]) {
        fail("cannot pin the load generator to its core");
    }
    let load_cores = load_cores.to_vec();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(load_cores.len())
        .on_thread_start(move || {
            let i = next.fetch_add(1, Ordering::Relaxed);
            core_affinity::set_for_current(load_cores[i % load_cores.len()]);
        })
        .enable_all()
        .build()
        .unwrap_or_else(|e| fail(&format!("a tokio runtime: {e}")));
    let mut card = Scorecard::default();
    let run = Run { args: &args, server: &server, postgres: postgres.as_ref() };
    runtime.block_on(run.measure(seeds, &mut card));

    // The books after the day: one balanced transaction per issue the server applied.
    let ledger = Admin::open_database(data.path(), &database).and_then(|admin| admin.ledger_check());
    match ledger {
        Ok(report) => card.figure(
            "ledger after the run",
            format!("{} transactions, sum {}", report.transactions, report.total),
            Some(("balanced, sum 0".into(), report.is_ok() && report.total == 0)),
        ),
        Err(e) => card.figure("ledger after the run", format!("check failed: {e}"), Some(("balanced".into(), false))),
    }
    if let Some(pg) = &postgres {
        print_table_sizes(&pg.url);
    }
    drop(server);
    drop(postgres);
    drop(data);
    card.finish();
}

/// The throwaway PostgreSQL cluster of `pvz-testdb`, pinned to the server's core, with a watcher
/// that samples the connections the server holds.
struct Postgres {
    url: String,
    postmaster: u32,
    watch: ConnectionWatch,
}

impl Postgres {
    fn start(core: usize) -> Postgres {
        let cluster = pvz_testdb::cluster();
        let url = cluster.create_database();
        let pid_file = cluster.dir().join("data").join("postmaster.pid");
        let postmaster = std::fs::read_to_string(&pid_file)
            .ok()
            .and_then(|text| text.lines().next().and_then(|l| l.trim().parse::<u32>().ok()))
            .unwrap_or_else(|| fail(&format!("no postmaster pid in {}", pid_file.display())));
        // The postmaster's children so far, and every backend it forks from now on.
        for pid in processes::with_children(postmaster) {
            processes::pin(pid, core).unwrap_or_else(|e| fail(&e));
        }
        let watch = ConnectionWatch::start(&url);
        Postgres { url, postmaster, watch }
    }

    /// CPU time the cluster's processes have used so far (backends that exited are not counted).
    fn cpu_time(&self) -> Duration {
        processes::with_children(self.postmaster).into_iter().map(processes::cpu_time).sum()
    }
}

/// Samples `pg_stat_activity` for the run's database four times a second on a thread of its own,
/// keeping the highest count since the last [`ConnectionWatch::take_max`] (its own connection is
/// not counted).
struct ConnectionWatch {
    max: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl ConnectionWatch {
    fn start(url: &str) -> ConnectionWatch {
        let conn = pvz_server::db::sql::PgConnection::connect(url)
            .map(pvz_server::db::Connection::Postgres)
            .unwrap_or_else(|e| fail(&format!("cannot connect to watch connections: {e}")));
        let (max, stop) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicBool::new(false)));
        let (seen, stopped) = (max.clone(), stop.clone());
        std::thread::spawn(move || {
            let sql = "SELECT count(*) FROM pg_stat_activity \
                       WHERE datname = current_database() AND backend_type = 'client backend' \
                       AND pid <> pg_backend_pid()";
            while !stopped.load(Ordering::Relaxed) {
                if let Ok(n) = conn.query_row(sql, (), |row| row.get::<i64>(0)) {
                    seen.fetch_max(n.max(0) as u64, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(250));
            }
        });
        ConnectionWatch { max, stop }
    }

    fn take_max(&self) -> u64 {
        self.max.swap(0, Ordering::Relaxed)
    }
}

impl Drop for ConnectionWatch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// What the run left in the busiest tables: rows, bytes with indexes and TOAST, bytes per row (for
/// the size estimates in docs/scale.md).
fn print_table_sizes(url: &str) {
    const TABLES: [&str; 8] =
        ["ops", "ledger_entries", "ledger_transactions", "orders", "order_items", "buyers", "devices", "pickup_points"];
    let Ok(conn) = pvz_server::db::sql::PgConnection::connect(url).map(pvz_server::db::Connection::Postgres) else {
        println!("  (table sizes: no connection)");
        return;
    };
    println!("\nPostgreSQL tables after the run (rows, size with indexes, bytes per row):");
    for table in TABLES {
        // Table names from the list above, not from input.
        let sql = format!("SELECT count(*), pg_total_relation_size('{table}') FROM {table}");
        match conn.query_row(&sql, (), |row| Ok((row.get::<i64>(0)?, row.get::<i64>(1)?))) {
            Ok((rows, bytes)) => println!(
                "  {table:<20} {rows:>9} rows {:>8.1} MiB {:>6} B/row",
                bytes as f64 / (1024.0 * 1024.0),
                bytes / rows.max(1)
            ),
            Err(e) => println!("  {table:<20} ({e})"),
        }
    }
}

fn print_conditions(
    args: &Args,
    server: &ServerProcess,
    postgres: Option<&Postgres>,
    cores: usize,
    server_core: usize,
    load_cores: &[CoreId],
    open_files: u64,
) {
    let load_cores: Vec<String> = load_cores.iter().map(|c| c.id.to_string()).collect();
    let profile = if cfg!(debug_assertions) { "debug (figures meaningless: use --release)" } else { "release" };
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let log = std::env::var("RUST_LOG").unwrap_or_else(|_| "server default (info)".into());
    let backend = match postgres {
        Some(_) => format!(
            "PostgreSQL (throwaway cluster, fsync off, pinned to CPU {server_core} with the server; pool {} per instance)",
            pvz_server::storage::DEFAULT_POOL_SIZE
        ),
        None => "SQLite (WAL, in a temp dir)".into(),
    };
    println!(
        "net-load: real pvz-server on CPU {server_core}, load generator on CPU {}, loopback; {} kiosks, {} per point",
        load_cores.join(","),
        args.kiosks,
        args.per_point
    );
    println!("  backend: {backend}");
    println!(
        "  cores: {cores}; build: {profile}; log filter: {log}; open files allowed: {open_files}; load average: {}",
        load.trim()
    );
    println!(
        "  server pid {}: CPUs allowed {}, {} threads",
        server.pid(),
        server.status_field("Cpus_allowed_list:"),
        server.status_field("Threads:")
    );
}

struct Run<'a> {
    args: &'a Args,
    server: &'a ServerProcess,
    postgres: Option<&'a Postgres>,
}

impl Run<'_> {
    async fn measure(&self, seeds: Vec<fleet::KioskSeed>, card: &mut Scorecard) {
        let setup = Instant::now();
        let mut kiosks = enroll_all(self.server.addr, seeds).await;
        let mut stranger = Conn::new(self.server.addr);
        let bad = [("authorization", "Bearer not-a-credential")];
        let refused = stranger.send(Method::GET, &kiosks[0].poll_path(), &bad, Vec::new()).await;
        assert!(
            refused.is_ok_and(|(status, _)| status == StatusCode::UNAUTHORIZED),
            "a poll with a bad credential is refused, so auth really runs"
        );
        println!(
            "  setup: {} kiosks enrolled over HTTP and caught up in {:.1} s (a bad credential's poll is refused)",
            kiosks.len(),
            setup.elapsed().as_secs_f64()
        );
        if let Some(pg) = self.postgres {
            pg.watch.take_max();
        }

        if self.args.ratio_seconds > 0 {
            self.saturation(&mut kiosks, card).await;
        }
        if self.args.day_seconds > 0 {
            self.day(kiosks, card).await;
        }
    }

    /// Phase 1: empty polls back to back on one connection per kiosk, then health on as many.
    async fn saturation(&self, kiosks: &mut [SimKiosk], card: &mut Scorecard) {
        println!("\n(1) saturation, {} s per endpoint, one connection per kiosk", self.args.ratio_seconds);
        for kiosk in kiosks.iter_mut() {
            kiosk.disconnect();
        }
        let polls: Vec<Caller> = kiosks
            .iter()
            .map(|k| Caller { path_and_query: k.poll_path(), headers: protocol(Some(k.bearer())) })
            .collect();
        let health: Vec<Caller> =
            kiosks.iter().map(|_| Caller { path_and_query: PATH_HEALTH.into(), headers: protocol(None) }).collect();
        let duration = Duration::from_secs(self.args.ratio_seconds);
        let empty = self.saturate("empty poll", polls, duration).await;
        let connections = self.postgres.map(|pg| pg.watch.take_max());
        let trivial = self.saturate("health", health, duration).await;
        let ratio = empty.report.per_second() / trivial.report.per_second();
        card.figure(
            "empty poll / health, requests/s",
            format!("{ratio:.2} ({:.0} vs {:.0} req/s)", empty.report.per_second(), trivial.report.per_second()),
            Some((format!("≥ {RATIO_TARGET}"), ratio >= RATIO_TARGET)),
        );
        card.figure(
            "server CPU per empty poll / per health",
            format!("{:.0} µs / {:.0} µs", empty.cpu_per_request * 1e6, trivial.cpu_per_request * 1e6),
            None,
        );
        card.figure(
            "failed requests",
            format!("{}", empty.report.failures + trivial.report.failures),
            Some(("0".into(), empty.report.failures + trivial.report.failures == 0)),
        );
        if let Some(n) = connections {
            pool_figure(card, "PostgreSQL connections, saturation (max)", n);
        }
    }

    async fn saturate(&self, label: &str, callers: Vec<Caller>, duration: Duration) -> Saturated {
        let before = self.cpu();
        let report = load::run(self.server.addr, callers, duration)
            .await
            // A panic, not `fail`: unwinding drops the server and the cluster.
            .unwrap_or_else(|e| panic!("the {label} load run failed: {e}"));
        let (server, pg) = self.cpu_since(before);
        let busy = (server + pg) / report.seconds;
        let cpu_per_request = (server + pg) / report.requests.max(1) as f64;
        let pg_share = if self.postgres.is_some() {
            format!(" ({:.0} µs of it PostgreSQL)", pg * 1e6 / report.requests.max(1) as f64)
        } else {
            String::new()
        };
        println!(
            "  {label:<10}: {:>7.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms  failures {}  ({} requests in {:.1} s; \
             server core {:.0}% busy, {:.0} µs per request{pg_share})",
            report.per_second(),
            ms(report.p50),
            ms(report.p99),
            report.failures,
            report.requests,
            report.seconds,
            busy * 100.0,
            cpu_per_request * 1e6,
        );
        if busy < 0.9 {
            println!(
                "  note: the server's core was not saturated; the load generator or the machine limited this rate"
            );
        }
        Saturated { report, cpu_per_request }
    }

    /// Phase 2: the compressed working day.
    async fn day(&self, kiosks: Vec<SimKiosk>, card: &mut Scorecard) {
        let args = self.args;
        let plan = DayPlan {
            duration: Duration::from_secs(args.day_seconds),
            poll_every: Duration::from_secs(args.poll_every),
            push_every: Duration::from_secs(args.push_every),
        };
        let offered = args.kiosks as f64 / args.push_every as f64;
        println!(
            "\n(2) a working day, {} s: each kiosk polls every {} s and pushes an issue (3 ops) every {} s, \
             then pulls back; offered {offered:.0} pushes/s",
            args.day_seconds, args.poll_every, args.push_every
        );
        let before = self.cpu();
        let (_kiosks, report) = day::run(kiosks, plan).await;
        let (server, pg) = self.cpu_since(before);
        print_day(&report, server, pg, self.postgres.is_some());
        let rate = report.pushes_per_second();
        card.figure(
            "pushes (3-op issue batches)",
            format!("{rate:.0}/s = {:.0} ops/s applied", report.ops_per_second()),
            Some((
                format!("≥ {:.0}/s ({:.0}% of offered)", offered * KEEP_UP_TARGET, KEEP_UP_TARGET * 100.0),
                rate >= offered * KEEP_UP_TARGET,
            )),
        );
        card.figure(
            "push latency",
            format!("p50 {:.1} ms, p99 {:.1} ms", ms(report.push_p50), ms(report.push_p99)),
            Some((format!("p99 ≤ {} ms", PUSH_P99_TARGET.as_millis()), report.push_p99 <= PUSH_P99_TARGET)),
        );
        card.figure(
            "idle poll latency (in the day)",
            format!(
                "p50 {:.1} ms, p99 {:.1} ms, {:.0} polls/s",
                ms(report.poll_p50),
                ms(report.poll_p99),
                report.polls_per_second()
            ),
            None,
        );
        let requests = report.pushes + report.polls + report.pulls_after_push;
        card.figure(
            "server CPU per request (day mix)",
            format!(
                "{:.0} µs; core {:.0}% busy",
                (server + pg) * 1e6 / requests.max(1) as f64,
                (server + pg) * 100.0 / report.seconds
            ),
            None,
        );
        card.figure(
            "ops rejected / failed calls",
            format!("{} / {}", report.ops_rejected, report.failures),
            Some(("0 / 0".into(), report.ops_rejected == 0 && report.failures == 0)),
        );
        if let Some(failure) = &report.first_failure {
            println!("  first failure: {failure}");
        }
        if let Some(pg) = self.postgres {
            pool_figure(card, "PostgreSQL connections, day (max)", pg.watch.take_max());
        }
    }

    fn cpu(&self) -> (Duration, Duration) {
        (self.server.cpu_time(), self.postgres.map(Postgres::cpu_time).unwrap_or_default())
    }

    /// Seconds of CPU the server and the cluster used since `before`.
    fn cpu_since(&self, before: (Duration, Duration)) -> (f64, f64) {
        let (server, pg) = self.cpu();
        (server.saturating_sub(before.0).as_secs_f64(), pg.saturating_sub(before.1).as_secs_f64())
    }
}

struct Saturated {
    report: LoadReport,
    cpu_per_request: f64,
}

fn print_day(report: &DayReport, server: f64, pg: f64, postgres: bool) {
    println!(
        "  {} pushes ({} ops applied, {} rejected) and {} pulls after them, {} idle polls ({} brought another \
         kiosk's changes) in {:.1} s; failures {}; kiosks out of orders {} times",
        report.pushes,
        report.ops_applied,
        report.ops_rejected,
        report.pulls_after_push,
        report.polls,
        report.polls_with_changes,
        report.seconds,
        report.failures,
        report.out_of_orders,
    );
    let pg = if postgres { format!(", PostgreSQL {pg:.1} s") } else { String::new() };
    println!("  CPU on the server's core: pvz-server {server:.1} s{pg}");
}

/// An instance holds its pool and one `LISTEN` connection that wakes held pulls.
fn pool_figure(card: &mut Scorecard, name: &str, connections: u64) {
    let most = u64::from(pvz_server::storage::DEFAULT_POOL_SIZE) + 1;
    let target = format!("≤ {most} (the instance's pool + its LISTEN)");
    card.figure(name, connections.to_string(), Some((target, connections <= most)));
}

/// Enrolls every kiosk, a few at a time.
async fn enroll_all(addr: SocketAddr, seeds: Vec<fleet::KioskSeed>) -> Vec<SimKiosk> {
    let mut queue: Vec<(usize, fleet::KioskSeed)> = seeds.into_iter().enumerate().collect();
    let per_task = queue.len().div_ceil(ENROLLING_AT_ONCE);
    let mut tasks = Vec::new();
    while !queue.is_empty() {
        let chunk: Vec<_> = queue.drain(..per_task.min(queue.len())).collect();
        tasks.push(tokio::spawn(async move {
            let mut kiosks = Vec::with_capacity(chunk.len());
            for (index, seed) in chunk {
                kiosks.push(SimKiosk::enroll(addr, index, seed).await?);
            }
            Ok::<_, fleet::Failure>(kiosks)
        }));
    }
    let mut kiosks = Vec::new();
    for task in tasks {
        let enrolled = task.await.unwrap_or_else(|e| fail(&format!("an enrolling task panicked: {e}")));
        kiosks.extend(enrolled.unwrap_or_else(|e| fail(&e)));
    }
    kiosks
}

/// The protocol header every sync call carries, and the credential if any.
fn protocol(bearer: Option<&str>) -> Vec<(String, String)> {
    let mut headers = vec![(PROTOCOL_HEADER.to_owned(), PROTOCOL_VERSION.to_string())];
    if let Some(bearer) = bearer {
        headers.push(("authorization".into(), bearer.to_owned()));
    }
    headers
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Figures as they are measured, each beside its target; missed targets make the exit status 1.
#[derive(Default)]
struct Scorecard {
    missed: Vec<String>,
}

impl Scorecard {
    fn figure(&mut self, name: &str, value: String, target: Option<(String, bool)>) {
        let judged = match &target {
            Some((target, true)) => format!("target {target}: met"),
            Some((target, false)) => {
                self.missed.push(name.to_owned());
                format!("target {target}: MISSED")
            }
            None => "(no target)".into(),
        };
        println!("  = {name:<40} {value:<44} {judged}");
    }

    fn finish(self) -> ! {
        if self.missed.is_empty() {
            println!("\nevery target met");
            std::process::exit(0)
        }
        println!("\ntargets missed: {}", self.missed.join("; "));
        std::process::exit(1)
    }
}
