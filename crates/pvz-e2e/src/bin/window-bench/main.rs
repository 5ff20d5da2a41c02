//! Window benchmark (run under xvfb-run, after `cargo build --release -p pvz-kiosk -p pvz-bare-window`):
//! - cold start to the first frame and to the first frame with the counter's data (`ui_ready`), and
//!   idle memory (PSS summed over the app and its WebKit processes), for the kiosk and for a bare
//!   Tauri 2 window, same machine, same run;
//! - Enter of a scan -> order card painted, p50/p99, measured inside the page (performance.now),
//!   with 1,000,000 items in the kiosk's local store (the demo seed plus bulk orders, built once
//!   and cached beside the binary), the keys typed through WebDriver and, again, dispatched by a
//!   script in the page.
//!
//! It prints every figure beside the bare window's, the ratios and the targets, and exits 1 when a
//! target is missed.
//!
//! Usage: `xvfb-run -a cargo run --release -p pvz-e2e --bin window-bench`
//! (env: RUNS=10 start-ups per app, SCANS=200, ITEMS=1000000, PVZ_APP / PVZ_BARE to override the
//! binaries).

mod store;

use pvz_e2e::App;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use store::BenchStore;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn release_binary(name: &str, env_name: &str) -> PathBuf {
    std::env::var_os(env_name).map(PathBuf::from).unwrap_or_else(|| pvz_e2e::sibling_binary(name))
}

fn spawn(binary: &Path, data: &Path, exit_when_ready: bool) -> Child {
    let mut cmd = Command::new(binary);
    cmd.env("PVZ_DATA_DIR", data)
        .env("PVZ_DEMO_SEED", pvz_e2e::demo_seed())
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if exit_when_ready {
        cmd.env("PVZ_EXIT_WHEN_READY", "1");
    }
    cmd.spawn().unwrap_or_else(|e| panic!("{} starts: {e}", binary.display()))
}

/// Reads the child's stdout until it reports `PVZ_UI_READY_MS=`; returns (first frame, ready) in
/// ms. An app that reports no separate first frame (the bare window) has both equal.
fn wait_ready(child: &mut Child) -> (u64, u64) {
    let stdout = child.stdout.take().expect("piped stdout");
    let mut first_frame = None;
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        if let Some(ms) = line.strip_prefix("PVZ_UI_FIRST_FRAME_MS=") {
            first_frame = ms.trim().parse().ok();
        }
        if let Some(ms) = line.strip_prefix("PVZ_UI_READY_MS=") {
            let ready = ms.trim().parse().unwrap_or(0);
            return (first_frame.unwrap_or(ready), ready);
        }
    }
    panic!("the app exited without reporting ready");
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn children_of(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else { return out };
    for entry in entries.flatten() {
        let Some(child) = entry.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else { continue };
        let stat = std::fs::read_to_string(format!("/proc/{child}/stat")).unwrap_or_default();
        // Field 4 (after the parenthesised name) is the parent pid.
        let ppid = stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok());
        if ppid == Some(pid) {
            out.push(child);
            out.extend(children_of(child));
        }
    }
    out
}

fn kib(pid: u32, field: &str) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    text.lines().find(|l| l.starts_with(field)).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()).unwrap_or(0)
}

struct Figures {
    first_frame_ms: f64,
    ready_ms: f64,
    wall_ms: f64,
    pss_mib: f64,
    rss_mib: f64,
    processes: usize,
}

fn measure(binary: &Path, runs: usize) -> Figures {
    let data = tempfile::tempdir().expect("temp dir");
    let (mut first, mut ready, mut wall) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let started = Instant::now();
        let mut child = spawn(binary, data.path(), true);
        let (first_frame, data_ready) = wait_ready(&mut child);
        first.push(first_frame as f64);
        ready.push(data_ready as f64);
        let _ = child.wait();
        wall.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let mut child = spawn(binary, data.path(), false);
    wait_ready(&mut child);
    std::thread::sleep(Duration::from_secs(5));
    let mut pids = vec![child.id()];
    pids.extend(children_of(child.id()));
    let pss: u64 = pids.iter().map(|&p| kib(p, "Pss:")).sum();
    let rss: u64 = pids.iter().map(|&p| kib(p, "Rss:")).sum();
    let _ = child.kill();
    let _ = child.wait();
    Figures {
        first_frame_ms: median(first),
        ready_ms: median(ready),
        wall_ms: median(wall),
        pss_mib: pss as f64 / 1024.0,
        rss_mib: rss as f64 / 1024.0,
        processes: pids.len(),
    }
}

/// What the page measured over a run of scans: Enter -> card painted, the `scan` command's round
/// trip, and the moments in between (`window.__pvzScanPhases`, see ui/src/perf.ts).
struct ScanFigures {
    painted: (f64, f64),
    ipc: (f64, f64),
    phases: Vec<(String, (f64, f64))>,
}

async fn scan_figures(app: &App) -> ScanFigures {
    let painted = percentiles(read_timings(app, "__pvzScanTimings").await);
    let ipc = percentiles(read_timings(app, "__pvzScanIpcTimings").await);
    let phases = app.client().execute("return window.__pvzScanPhases || []", vec![]).await.expect("read phases");
    let phases: Vec<serde_json::Map<String, serde_json::Value>> = serde_json::from_value(phases).unwrap_or_default();
    let names: Vec<String> = phases.first().map(|p| p.keys().cloned().collect()).unwrap_or_default();
    let phases = names
        .into_iter()
        .map(|name| {
            let values = phases.iter().filter_map(|p| p.get(&name)?.as_f64()).collect();
            (name, percentiles(values))
        })
        .collect();
    ScanFigures { painted, ipc, phases }
}

async fn scan_to_paint(binary: PathBuf, store: &BenchStore, scans: usize) -> ScanFigures {
    let app = App::start_on_store(binary, &store.path).await;
    // The counter drops the same code scanned again within 1.5 s (a double read), so the bench
    // cycles through several orders and paces itself.
    let codes = &store.scan_codes;
    for i in 0..scans {
        let started = Instant::now();
        app.type_code(&codes[i % codes.len()]).await;
        app.wait_for("[data-testid=order-card]").await;
        app.click("[data-testid=set-aside]").await;
        let deadline = Instant::now() + pvz_e2e::WAIT;
        while app.is_present("[data-testid=order-card]").await {
            assert!(Instant::now() < deadline, "the order card closes after set aside");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        tokio::time::sleep(Duration::from_millis(560).saturating_sub(started.elapsed())).await;
    }
    let figures = scan_figures(&app).await;
    app.stop().await;
    figures
}

/// The same scans, but with the key events dispatched by a script inside the page, so WebDriver's
/// own round trips (which hold WebKit's main loop while a key command runs) are not in the figure.
async fn scan_to_paint_in_page(binary: PathBuf, store: &BenchStore, scans: usize) -> ScanFigures {
    const SCRIPT: &str = r#"
        const [count, first, codes] = arguments;
        const done = arguments[arguments.length - 1];
        const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
        const until = async (ok) => {
          const t0 = performance.now();
          while (!ok()) {
            if (performance.now() - t0 > 10000) throw new Error("timed out");
            await sleep(2);
          }
        };
        const card = () => document.querySelector("[data-testid=order-card]");
        (async () => {
          if (document.activeElement) document.activeElement.blur();
          for (let i = first; i < first + count; i++) {
            const started = performance.now();
            const recorded = (window.__pvzScanTimings || []).length;
            for (const key of [...codes[i % codes.length], "Enter"]) {
              window.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
            }
            await until(() => card() && (window.__pvzScanTimings || []).length > recorded);
            document.querySelector("[data-testid=set-aside]").click();
            await until(() => !card());
            await sleep(Math.max(0, 560 - (performance.now() - started)));
          }
          done("ok");
        })().catch((e) => done("error: " + e));
    "#;
    let app = App::start_on_store(binary, &store.path).await;
    let batch = 10;
    for first in (0..scans).step_by(batch) {
        let args = vec![
            serde_json::json!(batch.min(scans - first)),
            serde_json::json!(first),
            serde_json::json!(store.scan_codes),
        ];
        let outcome = app.client().execute_async(SCRIPT, args).await.expect("the in-page scans run");
        assert_eq!(outcome, serde_json::json!("ok"), "every in-page scan opened its card");
    }
    let figures = scan_figures(&app).await;
    app.stop().await;
    figures
}

async fn read_timings(app: &App, name: &str) -> Vec<f64> {
    let script = format!("return window.{name} || []");
    let timings = app.client().execute(&script, vec![]).await.expect("read timings");
    let v: Vec<f64> = timings.as_array().map(|a| a.iter().filter_map(|x| x.as_f64()).collect()).unwrap_or_default();
    assert!(!v.is_empty(), "the page recorded {name}");
    v
}

/// (p50, p99) in milliseconds.
fn percentiles(mut v: Vec<f64>) -> (f64, f64) {
    if v.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    v.sort_by(f64::total_cmp);
    let at = |p: f64| v[((v.len() as f64 - 1.0) * p).round() as usize];
    (at(0.5), at(0.99))
}

fn print_scans(title: &str, f: &ScanFigures) {
    println!("{title}: p50 {:.1} ms, p99 {:.1} ms", f.painted.0, f.painted.1);
    println!("  of which the scan command's round trip (IPC + core): p50 {:.1} ms, p99 {:.1} ms", f.ipc.0, f.ipc.1);
    for (name, (p50, p99)) in &f.phases {
        println!("  Enter -> {name}: p50 {p50:.1} ms, p99 {p99:.1} ms");
    }
}

/// One line of the closing table: a figure, the bare window's, the ratio and its target.
struct Check {
    what: &'static str,
    kiosk: String,
    bare: String,
    measured: f64,
    target: f64,
    unit: &'static str,
}

impl Check {
    fn met(&self) -> bool {
        self.measured <= self.target
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let runs = env_usize("RUNS", 10);
    let scans = env_usize("SCANS", 200);
    let items = env_usize("ITEMS", 1_000_000);
    let kiosk = release_binary("pvz-kiosk", "PVZ_APP");
    let bare = release_binary("pvz-bare-window", "PVZ_BARE");
    let cache = std::env::current_exe().expect("the bench's path").with_file_name("window-bench-stores");
    let store = store::bench_store(&cache, items);

    let b = measure(&bare, runs);
    let k = measure(&kiosk, runs);
    for (name, f) in [("bare Tauri 2 window", &b), ("PVZ Kiosk", &k)] {
        println!(
            "{name:>20}: start->first frame median {:.0} ms, ->data shown {:.0} ms (process wall {:.0} ms, {runs} runs); idle PSS {:.1} MiB, RSS {:.1} MiB over {} processes",
            f.first_frame_ms, f.ready_ms, f.wall_ms, f.pss_mib, f.rss_mib, f.processes
        );
    }
    let typed = scan_to_paint(kiosk.clone(), &store, scans).await;
    print_scans(
        &format!(
            "scan Enter -> order card painted, {} items in the store, keys typed through WebDriver ({scans} scans)",
            store.items
        ),
        &typed,
    );
    let in_page = scan_to_paint_in_page(kiosk, &store, scans).await;
    print_scans("same, keys dispatched inside the page (no WebDriver in the loop)", &in_page);

    let ms = |v: f64| format!("{v:.0} ms");
    let checks = [
        Check {
            what: "start -> first frame (median)",
            kiosk: ms(k.first_frame_ms),
            bare: ms(b.first_frame_ms),
            measured: k.first_frame_ms / b.first_frame_ms,
            target: 1.2,
            unit: "x",
        },
        Check {
            what: "start -> data shown (median)",
            kiosk: ms(k.ready_ms),
            bare: ms(b.first_frame_ms),
            measured: k.ready_ms / b.first_frame_ms,
            target: 1.3,
            unit: "x",
        },
        Check {
            what: "idle PSS, all processes",
            kiosk: format!("{:.1} MiB", k.pss_mib),
            bare: format!("{:.1} MiB", b.pss_mib),
            measured: k.pss_mib / b.pss_mib,
            target: 1.2,
            unit: "x",
        },
        Check {
            what: "scan Enter -> card painted p99 (in page)",
            kiosk: format!("p50 {:.1} / p99 {:.1} ms", in_page.painted.0, in_page.painted.1),
            bare: "—".into(),
            measured: in_page.painted.1,
            target: 30.0,
            unit: " ms",
        },
    ];
    println!();
    println!("{:<42} {:>24} {:>12} {:>10} {:>10}  verdict", "figure", "kiosk", "bare window", "measured", "target");
    for c in &checks {
        println!(
            "{:<42} {:>24} {:>12} {:>9.2}{} {:>8}{}  {}",
            c.what,
            c.kiosk,
            c.bare,
            c.measured,
            c.unit,
            format!("<= {}", c.target),
            c.unit,
            if c.met() { "met" } else { "MISSED" }
        );
    }
    let missed: Vec<&str> = checks.iter().filter(|c| !c.met()).map(|c| c.what).collect();
    if !missed.is_empty() {
        eprintln!("targets missed: {}", missed.join("; "));
        std::process::exit(1);
    }
}
