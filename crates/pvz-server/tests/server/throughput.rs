//! Push throughput: 10,000 completed issues in batches of 500 over loopback, each posting to the
//! ledger. Ignored by default (it measures, it does not check behaviour); run with
//! `cargo test -p pvz-server --release --test server throughput -- --ignored --nocapture`.

use crate::common::*;
use std::time::Instant;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement; run explicitly"]
async fn ten_thousand_ops_in_batches_of_500() {
    let t = start().await;
    let orders = t.admin.add_demo_orders(POINT, 10_000).expect("orders");
    let kiosk = t.enroll(POINT).await;
    let ops = demo_sales(&orders);
    let started = Instant::now();
    for batch in ops.chunks(500) {
        let reply = t.push(&kiosk, batch).await;
        assert_eq!(reply.status, 200, "push succeeds: {}", reply.body);
        assert_eq!(outcome(&reply, batch.len() - 1), "applied", "the batch applies: {}", reply.body);
    }
    let elapsed = started.elapsed();
    println!("10000 ops in {elapsed:?} ({:.0} ops/s)", 10_000.0 / elapsed.as_secs_f64());
    let report = t.admin.ledger_check().expect("check");
    assert!(report.is_ok() && report.transactions == 10_000, "every op posted once: {report:?}");
    assert!(elapsed.as_secs_f64() <= 5.0, "10,000 ops must take at most 5 s, took {elapsed:?}");
    t.server.shutdown().await;
}

/// Requests per second of `GET url` from `tasks` concurrent clients over `secs`.
async fn rate(client: &reqwest::Client, url: &str, credential: Option<&str>, tasks: usize, secs: f64) -> f64 {
    let deadline = Instant::now() + std::time::Duration::from_secs_f64(secs);
    let mut handles = Vec::new();
    for _ in 0..tasks {
        let (client, url, credential) = (client.clone(), url.to_owned(), credential.map(str::to_owned));
        handles.push(tokio::spawn(async move {
            let mut n = 0u64;
            while Instant::now() < deadline {
                let mut req = client.get(&url).header("x-pvz-protocol", "1");
                if let Some(c) = &credential {
                    req = req.bearer_auth(c);
                }
                let response = req.send().await.expect("sent");
                assert_eq!(response.status().as_u16(), 200, "every request succeeds");
                let _ = response.bytes().await;
                n += 1;
            }
            n
        }));
    }
    let mut total = 0;
    for h in handles {
        total += h.await.expect("task");
    }
    total as f64 / secs
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement; run explicitly"]
async fn an_empty_poll_costs_about_as_much_as_health() {
    let t = start().await;
    t.admin.add_demo_orders(POINT, 100).expect("orders");
    let kiosk = t.enroll(POINT).await;
    let head = t.pull(&kiosk, &[("limit", "2000")]).await;
    let cursor = head.body["cursor"].as_str().unwrap_or("").to_owned();
    let poll = t.url(&format!("/v1/sync/pull?cursor={cursor}"));
    let health = rate(&t.client, &t.url("/v1/health"), None, 16, 2.0).await;
    let empty = rate(&t.client, &poll, Some(&kiosk.credential), 16, 2.0).await;
    println!("health {health:.0} req/s, empty poll {empty:.0} req/s, ratio {:.2}", empty / health);
    assert!(empty >= 0.5 * health, "an empty poll must reach half of health's rate");
    t.server.shutdown().await;
}
