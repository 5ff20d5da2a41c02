//! Real `pvz-server serve` processes, each on its own loopback port with a data dir of its own,
//! sharing only the PostgreSQL database (the network's signing key included), as several stateless
//! instances behind a load balancer run. A process is killed when its handle is dropped, so a failed
//! test leaves none behind.

use crate::network::Network;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// How long a starting instance may take to listen (migrating an empty database included).
const START_TIMEOUT: Duration = Duration::from_secs(20);

pub struct ServerProcess {
    child: Child,
    pub addr: SocketAddr,
    log: PathBuf,
}

impl ServerProcess {
    /// Starts `binary serve` on the network's database with the data dir `name` in the network's
    /// temp dir, on a free port; returns once it listens. Its stderr goes to `<name>.log` there.
    pub fn start(binary: &Path, net: &Network, name: &str) -> ServerProcess {
        let data_dir = net.dir(name);
        let log = data_dir.join(format!("{name}.log"));
        let stderr = std::fs::File::create(&log).expect("the instance's log file");
        let mut command = Command::new(binary);
        command
            .arg("serve")
            .env("PVZ_SERVER_DATA_DIR", &data_dir)
            .env("PVZ_SERVER_BIND", "127.0.0.1:0")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr);
        match net.database_url() {
            Some(url) => command.env("PVZ_SERVER_DATABASE_URL", url),
            None => command.env_remove("PVZ_SERVER_DATABASE_URL"),
        };
        let mut child = command.spawn().unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let stdout = child.stdout.take().expect("the instance's stdout");
        let (said, heard) = std::sync::mpsc::channel();
        // The first line names the address; the rest is read on so a later print never fails.
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines().map_while(Result::ok);
            let addr = lines.find_map(|line| line.strip_prefix("pvz-server listening on http://")?.parse().ok());
            let _ = said.send(addr);
            lines.for_each(drop);
        });
        let addr: Option<SocketAddr> = heard.recv_timeout(START_TIMEOUT).ok().flatten();
        let mut process = ServerProcess { child, addr: SocketAddr::from(([127, 0, 0, 1], 0)), log };
        match addr {
            Some(addr) => process.addr = addr,
            None => panic!("instance {name} did not start listening:\n{}", process.log_text()),
        }
        process
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// What the instance logged (warnings and errors).
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Whether the process still runs (it did not crash).
    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().is_ok_and(|status| status.is_none())
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `count` instances on the network, one after another.
pub fn start_instances(binary: &Path, net: &Network, count: usize) -> Vec<ServerProcess> {
    (0..count).map(|i| ServerProcess::start(binary, net, &format!("instance-{i}"))).collect()
}
