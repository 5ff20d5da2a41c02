//! The processes a load run measures, on Linux: the real `pvz-server` binary started pinned to one
//! core, a throwaway PostgreSQL cluster pinned beside it, and the CPU time each has used, read from
//! `/proc`. Failures here end the run: there is nothing to measure without them.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Linux reports process CPU time in /proc in ticks of 1/100 s (USER_HZ).
const TICKS_PER_SECOND: f64 = 100.0;

/// The real server as a child process on one core; killed when dropped.
pub struct ServerProcess {
    child: Child,
    pub addr: SocketAddr,
}

impl ServerProcess {
    /// `taskset -c <core> <binary> serve` on a free loopback port, over `database_url` (or the
    /// SQLite file in `data_dir`); waits until it listens. Its log goes to `data_dir/server.log`.
    pub fn start(binary: &Path, data_dir: &Path, database_url: Option<&str>, core: usize) -> Result<Self, String> {
        let addr = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?;
        let log_path = data_dir.join("server.log");
        let log = std::fs::File::create(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
        let mut command = Command::new("taskset");
        command
            .arg("-c")
            .arg(core.to_string())
            .arg(binary)
            .arg("serve")
            .env("PVZ_SERVER_DATA_DIR", data_dir)
            .env("PVZ_SERVER_BIND", addr.to_string())
            .stdout(Stdio::null())
            .stderr(log);
        if let Some(url) = database_url {
            command.env("PVZ_SERVER_DATABASE_URL", url);
        }
        let child =
            command.spawn().map_err(|e| format!("cannot start `taskset -c {core} {}`: {e}", binary.display()))?;
        let mut server = ServerProcess { child, addr };
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(addr).is_err() {
            if Instant::now() > deadline || server.child.try_wait().ok().flatten().is_some() {
                let log = std::fs::read_to_string(&log_path).unwrap_or_default();
                return Err(format!("the server did not start listening on {addr}:\n{log}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(server)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// User + system CPU time the server has used so far.
    pub fn cpu_time(&self) -> Duration {
        cpu_time(self.pid())
    }

    /// A line of `/proc/<pid>/status`, e.g. `Threads:`.
    pub fn status_field(&self, field: &str) -> String {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        status.lines().find_map(|l| l.strip_prefix(field)).map(|v| v.trim().to_owned()).unwrap_or_default()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Fields of `/proc/<pid>/stat` after the command name (which is in parentheses and may hold spaces):
/// index 1 is the parent pid, 11 and 12 user and system time.
fn stat_fields(pid: u32) -> Vec<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().map(str::to_owned).collect()).unwrap_or_default()
}

/// User + system CPU time process `pid` has used so far (zero once it is gone).
pub fn cpu_time(pid: u32) -> Duration {
    let fields = stat_fields(pid);
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    Duration::from_secs_f64((ticks(11) + ticks(12)) as f64 / TICKS_PER_SECOND)
}

/// `pid` and its direct children (a PostgreSQL postmaster and its backends).
pub fn with_children(pid: u32) -> Vec<u32> {
    let mut pids = vec![pid];
    let entries = std::fs::read_dir("/proc").into_iter().flatten().flatten();
    for entry in entries {
        let Some(child) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else { continue };
        if stat_fields(child).get(1).and_then(|p| p.parse::<u32>().ok()) == Some(pid) {
            pids.push(child);
        }
    }
    pids
}

/// Pins every thread of `pid` to `core` (children it forks later inherit it).
pub fn pin(pid: u32, core: usize) -> Result<(), String> {
    let status = Command::new("taskset")
        .args(["-a", "-p", "-c", &core.to_string(), &pid.to_string()])
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("taskset: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("taskset could not pin process {pid} to CPU {core}"))
    }
}

/// Raises this process's open-file limit to its hard limit (children started after inherit it): a
/// socket per simulated kiosk on each side needs more than the usual 1,024. The limit now in force.
pub fn raise_open_files_limit() -> u64 {
    use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
    let limit = getrlimit(Resource::Nofile);
    let raised = Rlimit { current: limit.maximum, maximum: limit.maximum };
    if setrlimit(Resource::Nofile, raised).is_ok() {
        limit.maximum.unwrap_or(u64::MAX)
    } else {
        limit.current.unwrap_or(u64::MAX)
    }
}

/// The binary `name` of this build: beside this executable (or one level up, for examples and tests).
pub fn sibling_binary(name: &str) -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    exe.ancestors()
        .skip(1)
        .take(2)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.exists())
        .ok_or_else(|| format!("run `cargo build --release -p {name}` first: not found beside {}", exe.display()))
}
