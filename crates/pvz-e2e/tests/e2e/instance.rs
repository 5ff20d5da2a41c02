//! One window per store, with the built app launched as an operator would (no WebDriver): a second
//! launch on the same data directory brings the first window forward and ends, through a D-Bus
//! session bus of the test's own; a kiosk on another directory still starts beside it; and with no
//! session bus at all, the store lock still refuses the second launch, naming the holder.

use pvz_e2e::{app_binary, demo_seed, stop_process_group};
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// How long a launch may take to show its window or to end: a debug build on a busy machine.
const WAIT: Duration = Duration::from_secs(60);

/// A private session bus, so the test neither needs nor disturbs the machine's.
struct SessionBus {
    daemon: Child,
    address: String,
}

impl SessionBus {
    fn start() -> SessionBus {
        let mut daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("dbus-daemon runs (apt install dbus)");
        let mut address = String::new();
        BufReader::new(daemon.stdout.take().expect("its stdout")).read_line(&mut address).expect("its address");
        assert!(address.starts_with("unix:"), "the bus says where it listens: {address:?}");
        SessionBus { daemon, address: address.trim().to_owned() }
    }
}

impl Drop for SessionBus {
    fn drop(&mut self) {
        stop_process_group(&mut self.daemon);
    }
}

/// The app launched on `data`, its output (stdout and stderr) line by line as it comes.
struct Launched {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

fn launch(data: &Path, bus: Option<&SessionBus>) -> Launched {
    let mut cmd = Command::new(app_binary());
    cmd.env("PVZ_DATA_DIR", data)
        .env("PVZ_DEMO_SEED", demo_seed())
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    match bus {
        Some(bus) => cmd.env("DBUS_SESSION_BUS_ADDRESS", &bus.address),
        None => cmd.env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/pvz-no-bus"),
    };
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("{} starts: {e}", app_binary().display()));
    let (send, lines) = mpsc::channel();
    for output in [
        Box::new(child.stdout.take().expect("stdout")) as Box<dyn std::io::Read + Send>,
        Box::new(child.stderr.take().expect("stderr")),
    ] {
        let send = send.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(output).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
    }
    Launched { child, lines, seen: Vec::new() }
}

impl Launched {
    /// Waits for a line holding `text`; fails with everything the app said when none comes in time.
    fn wait_line(&mut self, text: &str, what: &str) -> String {
        let deadline = Instant::now() + WAIT;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(text) {
                        return line;
                    }
                }
                Err(_) => break,
            }
        }
        panic!("{what}: no line with {text:?} within {WAIT:?}; the app said:\n{}", self.seen.join("\n"));
    }

    /// Waits for the app to end by itself; returns how it ended and all it said (read until its
    /// output closes, which WebKit's helpers hold open only until they notice the app is gone).
    fn wait_exit(&mut self, what: &str) -> (ExitStatus, String) {
        let deadline = Instant::now() + WAIT;
        let mut ended = None;
        loop {
            if ended.is_none() {
                ended = self.child.try_wait().expect("the app's status");
            }
            match self.lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(line) => self.seen.push(line),
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) if ended.is_some() => break,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    panic!("{what}: the app did not end within {WAIT:?}; it said:\n{}", self.seen.join("\n"))
                }
            }
        }
        let status = match ended {
            Some(status) => status,
            None => self.child.wait().expect("the app's status"),
        };
        (status, self.seen.join("\n"))
    }

    fn is_running(&mut self) -> bool {
        self.child.try_wait().expect("the app's status").is_none()
    }
}

impl Drop for Launched {
    fn drop(&mut self) {
        stop_process_group(&mut self.child);
    }
}

#[test]
fn a_second_launch_on_the_same_store_brings_the_first_window_forward_and_ends() {
    let bus = SessionBus::start();
    let (store, other_store) = (tempfile::tempdir().expect("temp dir"), tempfile::tempdir().expect("temp dir"));
    let mut first = launch(store.path(), Some(&bus));
    first.wait_line("PVZ_UI_READY_MS=", "the first window shows the counter");

    let mut second = launch(store.path(), Some(&bus));
    let (status, said) = second.wait_exit("the second launch on the same store");
    assert!(status.success(), "the second launch hands over and ends cleanly ({status}); it said:\n{said}");
    assert!(!said.contains("PVZ_UI_READY_MS="), "and never showed a window of its own:\n{said}");
    first.wait_line("a second launch on this store", "the first window is brought forward");

    let mut beside = launch(other_store.path(), Some(&bus));
    beside.wait_line("PVZ_UI_READY_MS=", "a kiosk on another store starts beside the first");
    assert!(first.is_running(), "the first window is still open");
}

#[test]
fn without_a_session_bus_the_store_lock_still_refuses_a_second_window() {
    let store = tempfile::tempdir().expect("temp dir");
    let mut first = launch(store.path(), None);
    first.wait_line("PVZ_UI_READY_MS=", "the first window shows the counter");

    let mut second = launch(store.path(), None);
    let (status, said) = second.wait_exit("the second launch on the same store without a bus");
    assert!(!status.success(), "the second window must not run on the open store; it said:\n{said}");
    assert!(said.contains("already open in another process"), "it says why:\n{said}");
    assert!(said.contains(&format!("pid {}", first.child.id())), "and names the first window's pid:\n{said}");
    assert!(first.is_running(), "the first window goes on");
}
