//! The real `pvz-server` binary as a child process (for the chain tests' instances and the load
//! tool, which pins it to one core), and, on Linux, the CPU time processes have used, read from
//! `/proc`.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Linux reports process CPU time in /proc in ticks of 1/100 s (USER_HZ).
const TICKS_PER_SECOND: f64 = 100.0;

/// How a server process is started.
pub struct Launch<'a> {
    /// Its data dir; its stderr goes to `server.log` there.
    pub data_dir: &'a Path,
    /// PostgreSQL; `None`: the SQLite file in the data dir.
    pub database_url: Option<&'a str>,
    /// The core it is pinned to (`taskset -c`); `None`: not pinned.
    pub core: Option<usize>,
    /// `RUST_LOG` for it; `None`: inherited (the server's default is `info`).
    pub log_level: Option<&'a str>,
}

/// How long a starting server may take to listen (migrating an empty database included).
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// The real `pvz-server serve` as a child process on a free loopback port; killed when dropped, so
/// a failed run or test leaves none behind.
pub struct ServerProcess {
    child: Child,
    pub addr: SocketAddr,
    log: PathBuf,
}

impl ServerProcess {
    /// Starts `binary serve` as `launch` says and returns once it listens (it prints its address).
    pub fn start(binary: &Path, launch: &Launch<'_>) -> Result<Self, String> {
        let log = launch.data_dir.join("server.log");
        let stderr = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let mut command = match launch.core {
            Some(core) => {
                let mut taskset = Command::new("taskset");
                taskset.arg("-c").arg(core.to_string()).arg(binary);
                taskset
            }
            None => Command::new(binary),
        };
        command
            .arg("serve")
            .env("PVZ_SERVER_DATA_DIR", launch.data_dir)
            .env("PVZ_SERVER_BIND", "127.0.0.1:0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr);
        match launch.database_url {
            Some(url) => command.env("PVZ_SERVER_DATABASE_URL", url),
            None => command.env_remove("PVZ_SERVER_DATABASE_URL"),
        };
        if let Some(level) = launch.log_level {
            command.env("RUST_LOG", level);
        }
        let mut child = command.spawn().map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let stdout = child.stdout.take().ok_or("the server has no stdout")?;
        let (said, heard) = std::sync::mpsc::channel();
        // The first line names the address; the rest is read on so a later print never fails.
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines().map_while(Result::ok);
            let addr = lines.find_map(|line| line.strip_prefix("pvz-server listening on http://")?.parse().ok());
            let _ = said.send(addr);
            lines.for_each(drop);
        });
        let addr: Option<SocketAddr> = heard.recv_timeout(START_TIMEOUT).ok().flatten();
        let mut server = ServerProcess { child, addr: SocketAddr::from(([127, 0, 0, 1], 0)), log };
        match addr {
            Some(addr) => server.addr = addr,
            None => return Err(format!("the server did not start listening:\n{}", server.log_text())),
        }
        Ok(server)
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// What the server logged.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Whether the process still runs (it did not crash).
    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().is_ok_and(|status| status.is_none())
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
