//! Measures what idle kiosks' polls cost the server on one core: N enrolled kiosks each repeat an
//! authenticated pull at their up-to-date cursor (an empty answer), then the same callers hit the
//! trivial health endpoint; it prints both rates, latencies, the server's CPU time per request and
//! the ratios. The real `pvz-server serve` binary runs pinned to the first core (`taskset -c 0`), this
//! load generator pinned to the others (on a 2-core machine: CPU 1, one tokio worker).
//!
//! Run (Linux, `taskset`, two cores or more; the server binary is found beside this one, so build
//! both first): `cargo build --release -p pvz-server -p pvz-chain &&
//! $CARGO_TARGET_DIR/release/poll-load [--kiosks 200] [--seconds 10]`

use core_affinity::CoreId;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use pvz_chain::load::{self, Caller, LoadReport};
use pvz_domain::FeePolicy;
use pvz_protocol::sync::{EnrollRequest, EnrollResponse, PATH_ENROLL, PATH_HEALTH, PATH_PULL, PROTOCOL_HEADER};
use pvz_protocol::PullPage;
use pvz_server::admin::Admin;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const POINT: &str = "pp-poll-load";
const ORDERS: usize = 100;
const RATIO_TARGET: f64 = 0.5;
/// Linux reports process CPU time in /proc in ticks of 1/100 s (USER_HZ).
const TICKS_PER_SECOND: f64 = 100.0;

struct Args {
    kiosks: usize,
    seconds: u64,
}

fn parse_args() -> Args {
    let usage = "usage: poll-load [--kiosks N] [--seconds D]";
    let mut parsed = Args { kiosks: 200, seconds: 10 };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().and_then(|v| v.parse::<u64>().ok()).filter(|&v| v > 0);
        match (flag.as_str(), value) {
            ("--kiosks", Some(n)) => parsed.kiosks = n as usize,
            ("--seconds", Some(d)) => parsed.seconds = d,
            _ => fail(usage),
        }
    }
    parsed
}

fn fail(message: &str) -> ! {
    eprintln!("poll-load: {message}");
    std::process::exit(2)
}

fn main() {
    let args = parse_args();
    let cores = core_affinity::get_core_ids().unwrap_or_default();
    let Some((server_core, load_cores)) = cores.split_first().filter(|(_, rest)| !rest.is_empty()) else {
        fail("needs two cores: the server on one, the load generator on another")
    };
    let data = tempfile::tempdir().expect("a temp dir for the server's data");
    let codes = prepare_data_dir(data.path(), args.kiosks);
    let server = Server::start(&sibling_binary("pvz-server"), data.path(), server_core.id);
    print_conditions(&args, &server, cores.len(), server_core.id, load_cores);
    // One worker per load core, each pinned to its own; the main thread (setup, then waiting) too.
    if !core_affinity::set_for_current(load_cores[0]) {
        fail("cannot pin the load generator to its core");
    }
    let load_cores = load_cores.to_vec();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(load_cores.len())
        .on_thread_start(move || {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            core_affinity::set_for_current(load_cores[i % load_cores.len()]);
        })
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(measure(&server, codes, Duration::from_secs(args.seconds)));
}

/// A pickup point with some orders and one enrollment code per simulated kiosk, written before the
/// server starts.
fn prepare_data_dir(dir: &Path, kiosks: usize) -> Vec<String> {
    let admin = Admin::open(dir).expect("the data dir opens");
    admin.add_pickup_point(POINT, "ПВЗ Нагрузка, 1", &FeePolicy::default()).expect("pickup point added");
    admin.add_demo_orders(POINT, ORDERS).expect("orders added");
    (0..kiosks)
        .map(|_| admin.issue_enrollment_code(POINT, Duration::from_secs(3600)).expect("enrollment code"))
        .collect()
}

/// The binary `name` of this build: beside this executable (or one level up, for examples and tests).
fn sibling_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the running executable's path");
    exe.ancestors().skip(1).take(2).map(|dir| dir.join(name)).find(|candidate| candidate.exists()).unwrap_or_else(
        || fail(&format!("run `cargo build --release -p {name}` first: not found beside {}", exe.display())),
    )
}

/// The real server as a child process on one core; killed when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start(binary: &Path, data_dir: &Path, core: usize) -> Server {
        let addr = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free loopback port");
        let log = std::fs::File::create(data_dir.join("server.log")).expect("server log file");
        let child = Command::new("taskset")
            .arg("-c")
            .arg(core.to_string())
            .arg(binary)
            .arg("serve")
            .env("PVZ_SERVER_DATA_DIR", data_dir)
            .env("PVZ_SERVER_BIND", addr.to_string())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| fail(&format!("cannot start `taskset -c {core} {}`: {e}", binary.display())));
        let mut server = Server { child, addr };
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(addr).is_err() {
            if Instant::now() > deadline || server.child.try_wait().ok().flatten().is_some() {
                let log = std::fs::read_to_string(data_dir.join("server.log")).unwrap_or_default();
                fail(&format!("the server did not start listening on {addr}:\n{log}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    fn proc_status(&self, field: &str) -> String {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        status.lines().find_map(|l| l.strip_prefix(field)).map(|v| v.trim().to_owned()).unwrap_or_default()
    }

    /// User + system CPU time the server process has used so far.
    fn cpu_time(&self) -> Duration {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        // Fields after the command name, which is in parentheses and may hold spaces.
        let fields: Vec<&str> =
            stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
        let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
        // utime and stime are fields 14 and 15 of the whole line, 11 and 12 after the name.
        Duration::from_secs_f64((ticks(11) + ticks(12)) as f64 / TICKS_PER_SECOND)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn print_conditions(args: &Args, server: &Server, cores: usize, server_core: usize, load_cores: &[CoreId]) {
    let load_cores: Vec<String> = load_cores.iter().map(|c| c.id.to_string()).collect();
    let profile = if cfg!(debug_assertions) { "debug (figures meaningless: use --release)" } else { "release" };
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let log = std::env::var("RUST_LOG").unwrap_or_else(|_| "server default (info)".into());
    println!(
        "poll-load: real pvz-server on CPU {server_core}, load generator on CPU {}, loopback, {} kiosks, {} s per endpoint",
        load_cores.join(","),
        args.kiosks,
        args.seconds
    );
    println!("  cores: {cores}; build: {profile}; log filter: {log}; load average: {}", load.trim());
    println!(
        "  server pid {}: CPUs allowed {}, {} threads",
        server.child.id(),
        server.proc_status("Cpus_allowed_list:"),
        server.proc_status("Threads:")
    );
}

/// A kiosk as the server knows it after its first pull.
struct Poller {
    credential: String,
    cursor: String,
}

async fn measure(server: &Server, codes: Vec<String>, duration: Duration) {
    let setup = Instant::now();
    let mut pollers = Vec::with_capacity(codes.len());
    for (i, code) in codes.into_iter().enumerate() {
        pollers.push(enroll_and_catch_up(server.addr, code, i).await);
    }
    for poller in &pollers {
        expect_empty_poll(server.addr, poller).await;
    }
    let (refused, _) = get(server.addr, &poll_path(&pollers[0]), "Bearer not-a-credential").await;
    assert_eq!(refused, StatusCode::UNAUTHORIZED, "a poll with a bad credential is refused, so auth really runs");
    println!(
        "  setup: {} kiosks enrolled over HTTP and caught up ({ORDERS} orders) in {:.1} s; each poll checked empty \
         (200, no changes, same cursor); a bad credential gets 401",
        pollers.len(),
        setup.elapsed().as_secs_f64()
    );

    let polls: Vec<Caller> = pollers
        .iter()
        .map(|p| Caller {
            path_and_query: poll_path(p),
            headers: vec![
                ("authorization".into(), format!("Bearer {}", p.credential)),
                (PROTOCOL_HEADER.into(), protocol_version()),
            ],
        })
        .collect();
    let health: Vec<Caller> =
        pollers.iter().map(|_| Caller { path_and_query: PATH_HEALTH.into(), headers: Vec::new() }).collect();

    let (empty, empty_cpu) = run_load(server, "empty poll", polls, duration).await;
    expect_empty_poll(server.addr, &pollers[0]).await;
    let (trivial, trivial_cpu) = run_load(server, "health", health, duration).await;
    let ratio = empty.per_second() / trivial.per_second();
    let verdict = |ratio: f64| if ratio >= RATIO_TARGET { "within target" } else { "UNDER target" };
    println!("  ratio empty poll / health, requests/s: {ratio:.2} (target ≥ {RATIO_TARGET}: {})", verdict(ratio));
    // What the rates would be if the server's core, not the load generator, were the limit.
    let by_cpu = trivial_cpu / empty_cpu;
    println!("  ratio by server CPU per request (health / poll): {by_cpu:.2} ({})", verdict(by_cpu));
}

/// Runs the load and returns its report with the server's CPU seconds per request.
async fn run_load(server: &Server, label: &str, callers: Vec<Caller>, duration: Duration) -> (LoadReport, f64) {
    let cpu_before = server.cpu_time();
    let report = load::run(server.addr, callers, duration).await.expect("the load run completes");
    let cpu = server.cpu_time().saturating_sub(cpu_before).as_secs_f64();
    let busy = cpu / report.seconds;
    println!(
        "  {label:<10}: {:>7.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms  failures {}  ({} requests in {:.1} s; \
         server CPU {:.0}% busy, {:.0} µs per request)",
        report.per_second(),
        report.p50.as_secs_f64() * 1e3,
        report.p99.as_secs_f64() * 1e3,
        report.failures,
        report.requests,
        report.seconds,
        busy * 100.0,
        cpu * 1e6 / report.requests.max(1) as f64,
    );
    let per_request = cpu / report.requests.max(1) as f64;
    if busy < 0.9 {
        println!("  note: the server was not saturated; the load generator or the machine limited this rate");
    }
    (report, per_request)
}

fn poll_path(poller: &Poller) -> String {
    format!("{PATH_PULL}?cursor={}", poller.cursor)
}

fn protocol_version() -> String {
    pvz_protocol::sync::PROTOCOL_VERSION.to_string()
}

async fn enroll_and_catch_up(addr: SocketAddr, code: String, i: usize) -> Poller {
    let request = EnrollRequest {
        code, device_name: format!("Нагрузочная касса {i}"), previous_credential: None
    };
    let body = serde_json::to_vec(&request).expect("an enroll request serializes");
    let (status, answer) = call(addr, Method::POST, PATH_ENROLL, &[("content-type", "application/json")], body).await;
    assert_eq!(status, StatusCode::OK, "kiosk {i} enrolls: {}", String::from_utf8_lossy(&answer));
    let enrolled: EnrollResponse = serde_json::from_slice(&answer).expect("an enroll answer");
    let bearer = format!("Bearer {}", enrolled.credential);
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("{PATH_PULL}?limit=2000&cursor={c}"),
            None => format!("{PATH_PULL}?limit=2000"),
        };
        let (status, page) = get(addr, &path, &bearer).await;
        assert_eq!(status, StatusCode::OK, "kiosk {i} pulls: {}", String::from_utf8_lossy(&page));
        let page: PullPage = serde_json::from_slice(&page).expect("a pull page");
        cursor = Some(page.cursor);
        if !page.has_more {
            break;
        }
    }
    Poller { credential: enrolled.credential, cursor: cursor.expect("at least one page") }
}

async fn expect_empty_poll(addr: SocketAddr, poller: &Poller) {
    let (status, body) = get(addr, &poll_path(poller), &format!("Bearer {}", poller.credential)).await;
    assert_eq!(status, StatusCode::OK, "an up-to-date poll answers 200: {}", String::from_utf8_lossy(&body));
    let page: PullPage = serde_json::from_slice(&body).expect("a pull page");
    assert!(
        page.changes.is_empty() && !page.has_more && !page.reset && page.cursor == poller.cursor,
        "an up-to-date poll is empty and keeps the cursor: {page:?}"
    );
}

async fn get(addr: SocketAddr, path: &str, authorization: &str) -> (StatusCode, Bytes) {
    call(addr, Method::GET, path, &[("authorization", authorization)], Vec::new()).await
}

/// One request on its own connection, with the protocol header; for setup, not for load.
async fn call(
    addr: SocketAddr,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> (StatusCode, Bytes) {
    let stream = tokio::net::TcpStream::connect(addr).await.expect("the server accepts a connection");
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.expect("an HTTP/1 handshake");
    tokio::spawn(connection);
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header("host", addr.to_string())
        .header(PROTOCOL_HEADER, protocol_version());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(Full::new(Bytes::from(body))).expect("a well-formed request");
    let response = sender.send_request(request).await.expect("the server answers");
    let status = response.status();
    let body = response.into_body().collect().await.expect("the whole answer").to_bytes();
    (status, body)
}
