//! Push throughput: 10,000 completed issues in batches of 500 over loopback, each posting to the
//! ledger. Ignored by default (it measures, it does not check behaviour); run with
//! `cargo test -p pvz-server --release --test throughput -- --ignored --nocapture`.

mod common;

use common::*;
use std::time::Instant;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement; run explicitly"]
async fn ten_thousand_ops_in_batches_of_500() {
    let t = start().await;
    let orders = t.admin.add_demo_orders(POINT, 10_000).expect("orders");
    let kiosk = t.enroll(POINT).await;
    let ops: Vec<_> = orders
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let uid = id.as_str().trim_start_matches("ord-");
            let items = [format!("itm-{uid}-1"), format!("itm-{uid}-2")];
            op(i as i64 + 1, completed(id.as_str(), &[&items[0], &items[1]], vec![], 350_000, 0))
        })
        .collect();
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
