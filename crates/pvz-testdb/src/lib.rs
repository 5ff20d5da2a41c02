//! A throwaway PostgreSQL for tests and benches, from the machine's Debian packages: `initdb` into a
//! temp dir, `pg_ctl start` listening only on a socket in that dir, one fresh database per caller.
//! One cluster per test process, started on first use ([`cluster`]), and owned ones for a test that
//! stops and starts its database ([`Cluster::start_new`]), which would cut off every other test on
//! the shared one. A reaper process stops and removes a cluster when its owner drops it or the test
//! process exits (its stdin is a pipe the owner holds, so the reaper wakes when that closes, however
//! the process ends). PostgreSQL refuses to run as root, so as root the cluster
//! runs as the `postgres` user the package creates.
//!
//! Which backend a test suite runs on is chosen by `PVZ_TEST_BACKEND` (`sqlite`, the default, or
//! `postgres`), so `scripts/test.sh` runs the same suite twice.

use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

/// The environment variable that picks the backend the suite runs on.
pub const BACKEND_ENV: &str = "PVZ_TEST_BACKEND";

/// Whether this run is the PostgreSQL run of the suite.
pub fn postgres_selected() -> bool {
    std::env::var(BACKEND_ENV).is_ok_and(|b| b.eq_ignore_ascii_case("postgres"))
}

/// A running cluster.
pub struct Cluster {
    root: PathBuf,
    data: PathBuf,
    bin: PathBuf,
    as_postgres_user: bool,
    port: u16,
    /// Held while the cluster lives; the reaper removes the cluster when it closes.
    _reaper: Mutex<(Child, ChildStdin)>,
}

const PORT: u16 = 5432;

static CLUSTER: OnceLock<Cluster> = OnceLock::new();
static NEXT_DATABASE: AtomicU32 = AtomicU32::new(1);

/// The process's cluster, started on first use. Panics with what failed: tests cannot run without it.
pub fn cluster() -> &'static Cluster {
    CLUSTER.get_or_init(Cluster::start_new)
}

impl Cluster {
    /// A cluster of the caller's own, in a dir of its own (its socket too), removed when dropped.
    /// Panics with what failed: tests cannot run without it.
    pub fn start_new() -> Cluster {
        Cluster::start().unwrap_or_else(|e| panic!("cannot start a throwaway PostgreSQL: {e}"))
    }

    fn start() -> Result<Cluster, String> {
        let bin = postgres_bin_dir()?;
        let as_postgres_user = running_as_root();
        let root = std::env::temp_dir().join(format!("pvz-pg-{}-{}", std::process::id(), unique_suffix()));
        std::fs::create_dir_all(&root).map_err(|e| format!("create {}: {e}", root.display()))?;
        if as_postgres_user {
            run(Command::new("chown").arg("postgres:postgres").arg(&root))?;
        }
        let data = root.join("data");
        let cluster = Cluster {
            _reaper: Mutex::new(spawn_reaper(&bin, &root, &data, as_postgres_user)?),
            root,
            data,
            bin,
            as_postgres_user,
            port: PORT,
        };
        run(cluster.pg("initdb").arg("-D").arg(&cluster.data).args(["-A", "trust", "-U", "pvz", "--no-sync"]))?;
        cluster.start_server()?;
        Ok(cluster)
    }

    /// A command of the PostgreSQL binaries, as the user the cluster runs as.
    fn pg(&self, tool: &str) -> Command {
        pg_command(&self.bin, tool, self.as_postgres_user)
    }

    /// Starts the server (again, after [`Cluster::stop_server`]) and waits until it accepts connections.
    pub fn start_server(&self) -> Result<(), String> {
        let options = format!(
            "-k {} -p {} -c listen_addresses='' -c max_connections=400 -c fsync=off -c shared_buffers=64MB",
            self.root.display(),
            self.port
        );
        run(self
            .pg("pg_ctl")
            .arg("-D")
            .arg(&self.data)
            .args(["-w", "-l"])
            .arg(self.root.join("log"))
            .args(["-o", &options, "start"]))
    }

    /// Stops the server at once (clients are cut off), as a database crash or restart would.
    pub fn stop_server(&self) -> Result<(), String> {
        run(self.pg("pg_ctl").arg("-D").arg(&self.data).args(["-w", "-m", "immediate", "stop"]))
    }

    /// A URL for database `name` on this cluster.
    pub fn url(&self, name: &str) -> String {
        format!("postgresql://pvz@localhost/{name}?host={}&port={}", self.root.display(), self.port)
    }

    /// A new empty database; its URL. (With the cluster's own `createdb`: callers are often inside
    /// an async runtime, where a blocking driver may not run.)
    pub fn create_database(&self) -> String {
        let name = format!("t{}_{}", std::process::id(), NEXT_DATABASE.fetch_add(1, Ordering::Relaxed));
        let port = self.port.to_string();
        run(self.pg("createdb").arg("-h").arg(&self.root).args(["-p", &port, "-U", "pvz", &name]))
            .unwrap_or_else(|e| panic!("cannot create database {name}: {e}"));
        self.url(&name)
    }

    /// Where the cluster keeps its files and socket.
    pub fn dir(&self) -> &Path {
        &self.root
    }
}

fn unique_suffix() -> u32 {
    NEXT_DATABASE.fetch_add(1, Ordering::Relaxed)
}

fn running_as_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// The newest installed PostgreSQL's bin dir (`/usr/lib/postgresql/<version>/bin`).
fn postgres_bin_dir() -> Result<PathBuf, String> {
    let base = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir(base)
        .map_err(|e| format!("{}: {e} (install the postgresql package: scripts/setup.sh does)", base.display()))?
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| Some((entry.file_name().to_str()?.parse().ok()?, entry.path().join("bin"))))
        .filter(|(_, bin)| bin.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).ok_or_else(|| format!("no PostgreSQL with initdb under {}", base.display()))
}

fn pg_command(bin: &Path, tool: &str, as_postgres_user: bool) -> Command {
    if as_postgres_user {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(bin.join(tool));
        command
    } else {
        Command::new(bin.join(tool))
    }
}

fn run(command: &mut Command) -> Result<(), String> {
    let out = command.stdin(Stdio::null()).output().map_err(|e| format!("{command:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{command:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// A shell that waits for its stdin to close (this process ended), then stops the cluster and
/// removes its files.
fn spawn_reaper(bin: &Path, root: &Path, data: &Path, as_postgres_user: bool) -> Result<(Child, ChildStdin), String> {
    let stop = format!("{:?}", pg_command(bin, "pg_ctl", as_postgres_user)).replace('"', "'");
    let script = format!(
        "cat >/dev/null; {stop} -D '{}' -m immediate stop >/dev/null 2>&1; rm -rf '{}'",
        data.display(),
        root.display()
    );
    let mut child = Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the clean-up process: {e}"))?;
    let stdin = child.stdin.take().ok_or("the clean-up process has no stdin")?;
    Ok((child, stdin))
}
