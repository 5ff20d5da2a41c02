//! PostgreSQL stopped in the middle of a burst of pushes from three kiosks through two server
//! instances, then started again. While it is down every instance answers 503 with `Retry-After`
//! (never 500) and stays up; the kiosks keep working the counter, back off, and drain once it is
//! back; every op is applied once and the ledger balances, so nothing was half-applied.
//!
//! The test stops its database, so it runs on a cluster of its own: the other tests of this
//! binary share the process's cluster.

use crate::common::*;
use pvz_chain::instances::start_instances;
use pvz_chain::network::{client_config, Network};
use pvz_chain::proxy::LossyProxy;
use pvz_kiosk_core::sync::{EngineConfig, SyncEngine};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;

const KIOSKS: u32 = 3;
const ORDERS_PER_KIOSK: u32 = 10;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_stopped_during_a_burst_answers_503_and_every_op_lands_once_after_restart() {
    let started = Instant::now();
    let cluster = pvz_testdb::Cluster::start_new();
    let orders = KIOSKS * ORDERS_PER_KIOSK;
    let net = Network::prepare(Some(cluster.create_database()), orders);
    let mut instances = start_instances(server_binary(), &net, 2);
    let proxy = LossyProxy::round_robin(instances.iter().map(|i| i.addr).collect()).await.expect("balancer starts");
    let probe = enroll_raw(&net, &instances[0].url()).await.credential.expect("a server-made credential");
    let mut kiosks = Vec::new();
    for k in 0..KIOSKS {
        kiosks.push(Arc::new(net.enrolled_kiosk(&net.kiosk_path(&format!("kiosk-{k}")), &proxy.url()).await));
    }
    let engine = EngineConfig {
        client: client_config(),
        poll_interval: Duration::from_millis(200),
        backoff_base: Duration::from_millis(50),
        backoff_max: Duration::from_secs(1),
        // Polls, no held pulls: a nudge after each issue pushes at once.
        pull_wait: Duration::ZERO,
    };
    let engines: Vec<_> =
        kiosks.iter().map(|kiosk| SyncEngine::spawn(kiosk.clone(), engine.clone(), Box::new(|_| {}))).collect();

    // Each counter issues the first half of its orders, then waits while the database is stopped,
    // then issues the rest offline from the server's point of view.
    let (resume, resumed) = watch::channel(false);
    let half = ORDERS_PER_KIOSK / 2;
    let counters: Vec<_> = (0..KIOSKS)
        .map(|k| {
            let (kiosk, engine, mut resumed) =
                (kiosks[k as usize].clone(), engines[k as usize].clone(), resumed.clone());
            let first = k * ORDERS_PER_KIOSK;
            tokio::spawn(async move {
                for n in first..first + ORDERS_PER_KIOSK {
                    if n == first + half {
                        resumed.wait_for(|go| *go).await.expect("the test says when to go on");
                    }
                    issue_orders(&kiosk, n..n + 1).await;
                    engine.nudge();
                }
            })
        })
        .collect();

    let admin = net.admin();
    wait_until("the burst's first ops reach the server", Duration::from_secs(20), || {
        !admin.ops(pvz_chain::network::POINT, 10).expect("the point's ops").is_empty()
    })
    .await;
    drop(admin);
    cluster.stop_server().expect("PostgreSQL stops");
    let stopped = Instant::now();
    resume.send(true).expect("the counters listen");

    let answer = pull_raw(&instances[1].url(), &probe).await;
    assert_eq!(answer.status().as_u16(), 503, "an instance without its database answers 503");
    let retry_after = answer.headers().get("retry-after").map(|v| v.to_str().unwrap_or_default().to_owned());
    assert!(
        retry_after.as_deref().is_some_and(|s| s.parse::<u32>().is_ok_and(|secs| secs > 0)),
        "the 503 says when to come back in Retry-After seconds: {retry_after:?}"
    );
    let body: serde_json::Value = answer.json().await.expect("an ApiError body");
    assert_eq!(body["code"], "unavailable", "the 503's body says the server is unavailable: {body}");

    for counter in counters {
        counter.await.expect("the counters work on while the database is down");
    }
    wait_until("every kiosk is told 503 while the database is down", Duration::from_secs(20), || {
        proxy.statuses().get(&503).copied().unwrap_or(0) >= KIOSKS as usize
    })
    .await;
    let waiting: u32 = kiosks.iter().map(|k| k.sync_status().expect("status").ops_waiting).sum();
    assert!(waiting > 0, "ops wait on the kiosks while the database is down");
    for (i, instance) in instances.iter_mut().enumerate() {
        assert!(instance.is_running(), "instance {i} stays up without its database");
    }

    cluster.start_server().expect("PostgreSQL starts again");
    let down_for = stopped.elapsed();
    let back = Instant::now();
    wait_until("every kiosk drains its outbox after the restart", Duration::from_secs(30), || {
        kiosks.iter().all(|k| k.sync_status().expect("status").ops_waiting == 0)
    })
    .await;
    let drained_in = back.elapsed();
    for engine in &engines {
        engine.stop();
    }

    let statuses = proxy.statuses();
    assert!(
        statuses.keys().all(|status| matches!(status, 200 | 503)),
        "every call was answered 200, or 503 while the database was down, never 500: {statuses:?}"
    );
    assert_every_op_applied_once(&net, &kiosks, orders);
    println!(
        "down for {down_for:?}, drained {drained_in:?} after the restart, answers {statuses:?}, whole test {:?}",
        started.elapsed()
    );
}
