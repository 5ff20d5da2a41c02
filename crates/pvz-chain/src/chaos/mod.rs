//! One run of the chaos benchmark: three kiosk processes of one pickup point work the same orders
//! through a [`FaultProxy`] that drops, delays and resets traffic both ways, to a real `pvz-server`
//! process on SQLite (or PostgreSQL). Kiosks are SIGKILLed at random points and started again; now and then the
//! server is SIGKILLed while a batch is in flight and started again, and at once every op a kiosk
//! had marked acknowledged must be in the server's table. Then the run quiesces (a clean proxy, no
//! more kills), each kiosk drains its queue, and [`audit`] proves the end state: every op a kiosk
//! committed is on the server exactly once, as the kiosk recorded it, each order issued at most
//! once and paid once, the ledger clean, every SQLite file intact.
//!
//! Every random choice comes from [`Plan::seed`]; with the processes' timing it is not a replay of
//! the same interleaving, but the same kills at the same moments of the run's clock.

mod audit;
mod kiosks;

use crate::faults::{FaultCounts, FaultProxy, Faults};
use crate::network::Network;
use crate::processes::{Launch, ServerProcess};
use kiosks::KioskProcess;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// A queue not drained this long after quiesce is a stall.
pub const STALL: Duration = Duration::from_secs(30);
/// How long a stalled queue is still waited for before the run gives up on it.
const GIVE_UP: Duration = Duration::from_secs(120);

/// The binaries a run starts as processes.
#[derive(Debug, Clone)]
pub struct Binaries {
    /// `pvz-server` (the chain crate builds it as `chain-pvz-server`).
    pub server: PathBuf,
    /// `chaos-kiosk`.
    pub kiosk: PathBuf,
}

/// What one run does.
#[derive(Debug, Clone)]
pub struct Plan {
    pub seed: u64,
    /// Kiosk SIGKILLs before the run quiesces (fewer if the kiosks run out of orders first).
    pub kiosk_kills: usize,
    /// After a kiosk kill the server is killed too with a chance of one in this many.
    pub server_kill_one_in: usize,
    /// Orders at the point, which all three kiosks work.
    pub orders: u32,
    /// The server's PostgreSQL database (its own, fresh); `None`: SQLite in its data dir.
    pub database_url: Option<String>,
}

impl Plan {
    /// Enough orders that the kiosks are still working when the last kill comes.
    pub fn for_kills(seed: u64, kiosk_kills: usize) -> Plan {
        let orders = u32::try_from(kiosk_kills * 3).unwrap_or(u32::MAX).clamp(60, 3_000);
        Plan { seed, kiosk_kills, server_kill_one_in: 8, orders, database_url: None }
    }
}

/// What a run did and found.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub seed: u64,
    pub kiosk_kills: usize,
    pub server_kills: usize,
    /// Server kills while a request was in flight to it (a batch half-way).
    pub server_kills_mid_batch: usize,
    /// Acknowledged ops checked on the server right after its kills (summed over the kills).
    pub acknowledged_checked: usize,
    /// Ops the kiosks committed to their outboxes.
    pub ops: usize,
    pub applied: usize,
    /// Ops the server refused (another kiosk issued that order first).
    pub rejected: usize,
    /// The server's reasons for the rejected ops.
    pub reject_codes: BTreeMap<String, usize>,
    pub orders_issued: usize,
    /// Queues not drained [`STALL`] after quiesce.
    pub stalls: usize,
    pub worst_drain: Duration,
    pub faults: FaultCounts,
    pub wall: Duration,
}

/// Runs `plan` with `binaries`. An error says which promise broke; the run's files are kept then
/// and the error names where.
pub async fn run(plan: &Plan, binaries: &Binaries) -> Result<Figures, String> {
    let started = Instant::now();
    let net = Network::prepare(plan.database_url.clone(), plan.orders);
    let result = run_on(&net, plan, binaries, started).await;
    match result {
        Ok(figures) => Ok(figures),
        Err(e) => Err(format!("{e}\n(seed {}; the run's files are kept in {})", plan.seed, net.keep().display())),
    }
}

async fn run_on(net: &Network, plan: &Plan, binaries: &Binaries, started: Instant) -> Result<Figures, String> {
    let mut rng = fastrand::Rng::with_seed(plan.seed);
    let mut figures = Figures { seed: plan.seed, ..Figures::default() };
    let mut server = Some(start_server(binaries, net)?);
    let addr = server.as_ref().map(|s| s.addr).ok_or("no server")?;
    let proxy = FaultProxy::start(addr, rng.u64(..)).await.map_err(|e| format!("the fault proxy: {e}"))?;

    let mut kiosks = Vec::new();
    for i in 0..3u32 {
        let store = net.kiosk_path(&format!("kiosk-{i}"));
        let device = net.enrolled_kiosk(&store, &proxy.url()).await.view().map_err(|e| e.to_string())?.status.device_id;
        // A few orders apart: each soon reaches orders another is working or has issued.
        let first = i * 3;
        kiosks.push(KioskProcess::new(&binaries.kiosk, store, device, plan.orders, first));
    }
    proxy.set_faults(Faults::HARSH);
    for kiosk in &mut kiosks {
        kiosk.start_work()?;
    }

    while figures.kiosk_kills < plan.kiosk_kills {
        // Where the kill lands is the random point; nothing waits for the kiosks to be anywhere.
        tokio::time::sleep(Duration::from_millis(rng.u64(50..600))).await;
        let mut running = Vec::new();
        for (i, kiosk) in kiosks.iter_mut().enumerate() {
            if kiosk.is_running()? {
                running.push(i);
            }
        }
        let Some(&victim) = (!running.is_empty()).then(|| &running[rng.usize(..running.len())]) else {
            break; // every kiosk has worked every order
        };
        kiosks[victim].kill();
        figures.kiosk_kills += 1;
        // At least one server kill a run, half-way, whatever the draws say.
        let forced = figures.server_kills == 0 && figures.kiosk_kills == plan.kiosk_kills.div_ceil(2);
        if rng.usize(..plan.server_kill_one_in.max(1)) == 0 || forced {
            let mid_batch = kill_server(&mut server, &proxy, &mut rng).await;
            figures.server_kills += 1;
            figures.server_kills_mid_batch += usize::from(mid_batch);
            figures.acknowledged_checked += acknowledged_kept(net, &kiosks)?;
            let restarted = start_server(binaries, net)?;
            proxy.set_upstream(Some(restarted.addr));
            server = Some(restarted);
        }
        kiosks[victim].start_work()?;
    }

    proxy.set_faults(Faults::CLEAN);
    for kiosk in &mut kiosks {
        if kiosk.is_running()? {
            kiosk.kill();
            figures.kiosk_kills += 1;
        }
    }
    let quiesced = Instant::now();
    for kiosk in &mut kiosks {
        kiosk.start_drain()?;
    }
    for kiosk in &mut kiosks {
        let drained = kiosk.wait_drained(quiesced, GIVE_UP).await?;
        figures.stalls += usize::from(drained > STALL);
        figures.worst_drain = figures.worst_drain.max(drained);
    }
    figures.faults = proxy.counts();
    drop(server);
    audit::audit(net, &kiosks, binaries, plan.orders, &mut figures)?;
    figures.wall = started.elapsed();
    Ok(figures)
}

fn start_server(binaries: &Binaries, net: &Network) -> Result<ServerProcess, String> {
    let data_dir = net.server_dir();
    let launch = Launch { data_dir: &data_dir, database_url: net.database_url(), core: None, log_level: Some("warn") };
    ServerProcess::start(&binaries.server, &launch)
}

/// SIGKILLs the server, preferably while a request is in flight to it (waiting up to a second for
/// one); whether one was. Until a new server is set, the proxy resets every connection.
async fn kill_server(server: &mut Option<ServerProcess>, proxy: &FaultProxy, rng: &mut fastrand::Rng) -> bool {
    let deadline = Instant::now() + Duration::from_millis(rng.u64(200..1000));
    while proxy.awaiting_answer() == 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let mid_batch = proxy.awaiting_answer() > 0;
    // Dropping the process SIGKILLs and reaps it.
    drop(server.take());
    proxy.set_upstream(None);
    mid_batch
}

/// Nothing the dead server acknowledged is lost: every op a kiosk has marked applied or rejected
/// (it does so only on the server's answer) is in the server's table as it was killed. How many
/// acknowledged ops were checked.
fn acknowledged_kept(net: &Network, kiosks: &[KioskProcess]) -> Result<usize, String> {
    let mut acknowledged = BTreeSet::new();
    for kiosk in kiosks {
        for op in kiosk.outbox_states()? {
            if op.state != "pending" {
                acknowledged.insert((kiosk.device.clone(), op.op_id));
            }
        }
    }
    let on_server = audit::server_ops(net)?;
    let lost: Vec<_> = acknowledged.iter().filter(|key| !on_server.contains_key(*key)).collect();
    if !lost.is_empty() {
        return Err(format!(
            "the server acknowledged {} ops it no longer has after its SIGKILL, e.g. {:?}",
            lost.len(),
            &lost[..lost.len().min(5)]
        ));
    }
    Ok(acknowledged.len())
}
