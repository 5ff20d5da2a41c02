//! A chaos kiosk as a child process on its store: started to work or to drain, SIGKILLed, and its
//! outbox read from the store while it runs (SQLite's WAL lets a reader in beside the writer). Its
//! stderr goes to `kiosk.log` beside the store; a kiosk that fails on its own is an error quoting it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct KioskProcess {
    binary: PathBuf,
    pub store: PathBuf,
    /// The device id the server knows it by.
    pub device: String,
    orders: u32,
    first: u32,
    child: Option<Child>,
}

/// An outbox row as the store holds it.
#[derive(Debug, Clone)]
pub struct OutboxState {
    pub seq: i64,
    pub op_id: String,
    pub kind: String,
    /// `pending`, `applied` or `rejected`.
    pub state: String,
}

impl KioskProcess {
    pub fn new(binary: &Path, store: PathBuf, device: String, orders: u32, first: u32) -> KioskProcess {
        KioskProcess { binary: binary.to_owned(), store, device, orders, first, child: None }
    }

    fn log(&self) -> PathBuf {
        self.store.with_file_name("kiosk.log")
    }

    fn start(&mut self, args: &[String]) -> Result<(), String> {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log())
            .map_err(|e| format!("{}: {e}", self.log().display()))?;
        let child = Command::new(&self.binary)
            .arg(&self.store)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", self.binary.display()))?;
        self.child = Some(child);
        Ok(())
    }

    /// Starts it working the orders, from where its store says it is.
    pub fn start_work(&mut self) -> Result<(), String> {
        let args = ["work".to_owned(), self.orders.to_string(), self.first.to_string()];
        self.start(&args)
    }

    /// Starts it syncing until nothing waits, with no counter work.
    pub fn start_drain(&mut self) -> Result<(), String> {
        self.start(&["drain".to_owned()])
    }

    /// Whether it still runs; one that finished its work is not; one that failed is an error.
    pub fn is_running(&mut self) -> Result<bool, String> {
        let Some(child) = self.child.as_mut() else { return Ok(false) };
        match child.try_wait().map_err(|e| e.to_string())? {
            None => Ok(true),
            Some(status) if status.success() => {
                self.child = None;
                Ok(false)
            }
            Some(status) => Err(self.failed(&status.to_string())),
        }
    }

    fn failed(&self, how: &str) -> String {
        let log = std::fs::read_to_string(self.log()).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(20).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        format!("kiosk {} failed on its own ({how}); its log ends:\n{}", self.device, tail.join("\n"))
    }

    /// SIGKILLs it and reaps it.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Waits until its queue is empty and it has exited 0; how long after `since` the queue was
    /// seen empty. Polls the store; gives up `give_up` after `since`.
    pub async fn wait_drained(&mut self, since: Instant, give_up: Duration) -> Result<Duration, String> {
        let mut drained = None;
        loop {
            if drained.is_none() && self.pending()? == 0 {
                drained = Some(since.elapsed());
            }
            let running = self.is_running()?;
            if let (Some(drained), false) = (drained, running) {
                return Ok(drained);
            }
            if !running && drained.is_none() {
                return Err(format!("kiosk {} exited 0 with ops still waiting", self.device));
            }
            if since.elapsed() > give_up {
                self.kill();
                return Err(format!("kiosk {}'s queue is not drained {give_up:?} after quiesce", self.device));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn open(&self) -> Result<rusqlite::Connection, String> {
        let conn = rusqlite::Connection::open_with_flags(&self.store, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)
            .map_err(|e| format!("{}: {e}", self.store.display()))?;
        conn.busy_timeout(Duration::from_secs(10)).map_err(|e| e.to_string())?;
        Ok(conn)
    }

    /// Ops still waiting to be pushed.
    pub fn pending(&self) -> Result<u32, String> {
        let conn = self.open()?;
        conn.query_row("SELECT count(*) FROM outbox WHERE state = 'pending'", [], |r| r.get(0))
            .map_err(|e| format!("{}: {e}", self.store.display()))
    }

    /// Every outbox row in `seq` order.
    pub fn outbox_states(&self) -> Result<Vec<OutboxState>, String> {
        let conn = self.open()?;
        let read = |conn: &rusqlite::Connection| -> rusqlite::Result<Vec<OutboxState>> {
            let mut stmt = conn.prepare("SELECT seq, op_id, kind, state FROM outbox ORDER BY seq")?;
            let rows = stmt.query_map([], |r| {
                Ok(OutboxState { seq: r.get(0)?, op_id: r.get(1)?, kind: r.get(2)?, state: r.get(3)? })
            })?;
            rows.collect()
        };
        read(&conn).map_err(|e| format!("{}: {e}", self.store.display()))
    }
}

impl Drop for KioskProcess {
    fn drop(&mut self) {
        self.kill();
    }
}
