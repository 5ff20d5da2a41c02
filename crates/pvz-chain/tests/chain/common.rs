//! What the tests on several server instances share: the server binary, a kiosk's counter work and
//! its drain, raw HTTP calls with a device credential, and the exactly-once audit of the server's
//! ops table and ledger against the kiosks' outboxes.

use pvz_chain::network::{client_config, issue, Issued, Network, ORDER_PRICE, POINT};
use pvz_kiosk_core::{sync, Kiosk};
use pvz_protocol::sync::{EnrollResponse, PATH_ENROLL, PATH_PULL, PROTOCOL_HEADER, PROTOCOL_VERSION};
use pvz_server::db::orders::OrderState;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The `pvz-server` binary (built from the server's own main.rs, see this crate's Cargo.toml).
pub fn server_binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_chain-pvz-server"))
}

/// Polls `done` until it holds; fails with `what` after `limit`.
pub async fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !done() {
        assert!(Instant::now() < deadline, "{what} within {limit:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Issues orders `orders` at the counter, on the blocking pool (the store is synchronous).
pub async fn issue_orders(kiosk: &Arc<Kiosk>, orders: std::ops::Range<u32>) {
    for n in orders {
        let counter = kiosk.clone();
        let issued = tokio::task::spawn_blocking(move || issue(&counter, n)).await.expect("the counter work runs");
        assert!(matches!(issued, Issued::Done(_)), "order {n} is fresh and is issued now: {issued:?}");
    }
}

/// Syncs until a pass succeeds with nothing waiting; a failed pass (a lost reply) is retried.
pub async fn drain(kiosk: &Kiosk) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let pass = sync::sync_until_idle(kiosk, &client_config()).await;
        let waiting = kiosk.sync_status().expect("sync status").ops_waiting;
        if pass.is_ok() && waiting == 0 {
            return;
        }
        assert!(Instant::now() < deadline, "a kiosk drains its outbox within 30 s; {waiting} wait, last: {pass:?}");
    }
}

/// Enrolls a device over plain HTTP at `server_url`: what the server said, and the credential.
pub async fn enroll_raw(net: &Network, server_url: &str) -> EnrollResponse {
    let code = net.admin().issue_enrollment_code(POINT, Duration::from_secs(600)).expect("enrollment code");
    let response = reqwest::Client::new()
        .post(format!("{server_url}{PATH_ENROLL}"))
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
        .json(&serde_json::json!({ "code": code, "device_name": "Касса без окна" }))
        .send()
        .await
        .expect("the enrollment is sent");
    let status = response.status().as_u16();
    assert_eq!(status, 200, "a fresh code enrolls the device: {}", response.text().await.unwrap_or_default());
    response.json().await.expect("an EnrollResponse")
}

/// A pull of the feed's first page with `credential`, as a kiosk sends it.
pub async fn pull_raw(server_url: &str, credential: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{server_url}{PATH_PULL}"))
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
        .bearer_auth(credential)
        .send()
        .await
        .expect("the pull is sent and answered")
}

/// Every op of every kiosk's outbox is in the server's ops table exactly once, applied; every order
/// is issued; every issue's payment is posted once, in one transaction of its own; the ledger
/// balances, by the admin API and by the real binary's `ledger check`.
pub fn assert_every_op_applied_once(net: &Network, kiosks: &[Arc<Kiosk>], orders: u32) {
    let admin = net.admin();
    let mut sent = BTreeSet::new();
    let mut completed = Vec::new();
    for kiosk in kiosks {
        let device = kiosk.view().expect("counter view").status.device_id;
        let outbox = kiosk.outbox().expect("outbox");
        assert_eq!(kiosk.sync_status().expect("status").ops_waiting, 0, "nothing waits on {device}");
        let counts = admin.op_counts(&device).expect("op counts");
        assert_eq!(
            (counts.applied as usize, counts.rejected, counts.last_seq),
            (outbox.len(), 0, outbox.len() as i64),
            "the server applied each of {device}'s ops once, rejected none, and stands at its last seq"
        );
        for op in &outbox {
            sent.insert((device.clone(), op.op_id.to_string()));
            if op.body.kind() == "issue_completed" {
                completed.push(op.op_id.to_string());
            }
        }
    }
    let rows = admin.ops(POINT, 1_000_000).expect("the point's ops");
    let stored: BTreeSet<_> = rows.iter().map(|row| (row.device_id.clone(), row.op_id.clone())).collect();
    assert_eq!(rows.len(), stored.len(), "no op is in the server's ops table twice");
    assert_eq!(stored, sent, "the server's ops table holds exactly the ops the kiosks wrote");
    assert!(rows.iter().all(|row| row.status == "applied"), "every stored op was applied, none rejected");

    assert_eq!(completed.len(), orders as usize, "every order was issued at a counter once");
    for n in 0..orders {
        let item = admin.item(&format!("itm-chain-{n}")).expect("item read").expect("the item exists");
        assert_eq!(item.order_state, OrderState::Issued, "order {n} is issued on the server, not half-way");
    }
    for op_id in &completed {
        let postings = admin.ledger_for_op(op_id).expect("postings");
        let paid: i64 = postings.iter().map(|p| p.amount.0).filter(|a| *a > 0).sum();
        assert_eq!(paid, ORDER_PRICE.0, "issue {op_id} is paid once in the ledger: {postings:?}");
    }
    let ledger = admin.ledger_check().expect("ledger check");
    assert_eq!(ledger.transactions as usize, completed.len(), "one ledger transaction per paid issue: {ledger:?}");
    assert!(ledger.is_ok() && ledger.total == 0, "the ledger balances: {ledger:?}");

    let mut check = std::process::Command::new(server_binary());
    check.arg("--data-dir").arg(net.server_dir()).args(["ledger", "check"]).env("RUST_LOG", "warn");
    if let Some(url) = net.database_url() {
        check.env("PVZ_SERVER_DATABASE_URL", url);
    }
    let out = check.output().expect("pvz-server ledger check runs");
    assert!(
        out.status.success(),
        "`pvz-server ledger check` finds the ledger clean: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
