//! Sync end to end: a kiosk core on a real SQLite file against the real central server on port 0,
//! with the server's data in a temp dir. Admin changes on the server side play the other counters.

use pvz_domain::{FeePolicy, ItemId, Kopecks, OrderId, PickupPointId, ShortCode};
use pvz_kiosk_core::sync::{self, ClientConfig, EngineConfig, PullProgress, SyncEngine, SyncHandle};
use pvz_kiosk_core::{ErrorKind, ItemDecision, Kiosk, KioskError, SyncStatusView};
use pvz_protocol::PickupClaims;
use pvz_server::admin::Admin;
use pvz_server::db::orders::{NewItem, NewOrder};
use pvz_server::{Config, RunningServer};
use std::sync::Arc;
use std::time::Duration;

const POINT: &str = "pp-sync-1";

struct Network {
    _dir: tempfile::TempDir,
    server_dir: std::path::PathBuf,
    kiosk_path: std::path::PathBuf,
    server: Option<RunningServer>,
}

impl Network {
    async fn start() -> Network {
        let dir = tempfile::tempdir().expect("temp dir");
        let server_dir = dir.path().join("server");
        let admin = Admin::open(&server_dir).expect("the server's data dir opens");
        admin.add_pickup_point(POINT, "ПВЗ Синхронная, 1", &FeePolicy::default()).expect("pickup point added");
        let server = pvz_server::spawn(Config::for_data_dir(&server_dir)).await.expect("server starts on port 0");
        let kiosk_path = dir.path().join("kiosk").join("kiosk.sqlite3");
        std::fs::create_dir_all(kiosk_path.parent().expect("parent")).expect("kiosk dir");
        Network { _dir: dir, server_dir, kiosk_path, server: Some(server) }
    }

    fn admin(&self) -> Admin {
        Admin::open(&self.server_dir).expect("admin opens the server's data dir")
    }

    fn url(&self) -> String {
        self.server.as_ref().expect("server running").url()
    }

    fn kiosk(&self) -> Kiosk {
        Kiosk::open(&self.kiosk_path).expect("kiosk store opens")
    }

    /// A kiosk enrolled at POINT with a fresh code.
    async fn enrolled_kiosk(&self) -> Kiosk {
        let kiosk = self.kiosk();
        let code = self.admin().issue_enrollment_code(POINT, Duration::from_secs(600)).expect("code issued");
        let enrollment = sync::enroll(&kiosk, &self.url(), &code, "Касса 1").await.expect("enrollment succeeds");
        assert_eq!(enrollment.pickup_point_id.as_str(), POINT, "the kiosk is enrolled at the code's pickup point");
        kiosk
    }

    async fn stop_server(&mut self) -> std::net::SocketAddr {
        let server = self.server.take().expect("server running");
        let addr = server.addr;
        server.shutdown().await;
        addr
    }

    async fn restart_server(&mut self, addr: std::net::SocketAddr) {
        let mut config = Config::for_data_dir(&self.server_dir);
        config.bind = addr;
        self.server = Some(pvz_server::spawn(config).await.expect("server restarts on the same port and data"));
    }
}

fn order(n: u32, price: i64) -> NewOrder {
    NewOrder {
        id: OrderId::parse(&format!("ord-sync-{n}")).expect("order id"),
        short_code: ShortCode::parse(&format!("{}", 700_000 + n)).expect("short code"),
        buyer_id: format!("buyer-{n}"),
        buyer_name: "Анна К.".into(),
        items: vec![NewItem {
            id: ItemId::parse(&format!("itm-sync-{n}-1")).expect("item id"),
            seller_id: "seller-1".into(),
            seller_name: "ООО Платья".into(),
            name: "Платье летнее".into(),
            variant: "44".into(),
            cell: "A-1".into(),
            price: Kopecks(price),
            prepaid: false,
            category: "clothes".into(),
            barcode: None,
            mark: None,
        }],
    }
}

fn fast() -> ClientConfig {
    ClientConfig {
        request_timeout: Duration::from_secs(10),
        connect_timeout: Duration::from_secs(2),
        ..Default::default()
    }
}

/// Opens the order by its short code, hands everything over and confirms the payment.
fn issue(kiosk: &Kiosk, n: u32, price: i64) -> String {
    let opened = kiosk.scan(&format!("{}", 700_000 + n)).expect("the order opens at the counter");
    let order = opened.view.active.expect("an order card is shown");
    kiosk.hand_over_rest(&order.order_id).expect("hand over the items");
    let done = kiosk.confirm_issue(&order.order_id, Kopecks(price), true).expect("the issue completes");
    done.receipt.expect("a receipt").op_id
}

fn device_of(kiosk: &Kiosk) -> String {
    kiosk.view().expect("view").status.device_id
}

async fn wait_for(handle: &SyncHandle, what: &str, ok: impl Fn(&SyncStatusView) -> bool) -> SyncStatusView {
    let mut changes = handle.subscribe();
    let waited = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            let status = changes.borrow_and_update().clone();
            if ok(&status) {
                return status;
            }
            changes.changed().await.expect("the engine is running");
        }
    })
    .await;
    waited.unwrap_or_else(|_| panic!("timed out waiting until {what}; last status: {:?}", handle.status()))
}

fn short_engine() -> EngineConfig {
    EngineConfig {
        client: fast(),
        poll_interval: Duration::from_millis(100),
        backoff_base: Duration::from_millis(20),
        backoff_max: Duration::from_millis(200),
    }
}

#[tokio::test]
async fn an_issue_at_the_counter_reaches_the_server_ledger_once() {
    let net = Network::start().await;
    net.admin().add_order(POINT, &order(1, 150_000)).expect("order added");
    let kiosk = net.enrolled_kiosk().await;
    assert!(kiosk.sync_status().expect("status").configured, "an enrolled kiosk is configured for sync");

    let first = sync::sync_until_idle(&kiosk, &fast()).await.expect("the first pass pulls the orders");
    assert!(first.changes >= 1, "the first pull brings the order: {first:?}");
    let op_id = issue(&kiosk, 1, 150_000);
    assert!(kiosk.sync_status().expect("status").ops_waiting >= 3, "open, decide and complete wait for sync");

    let report = sync::sync_until_idle(&kiosk, &fast()).await.expect("the pass pushes the ops");
    assert_eq!(report.rejected, 0, "nothing is rejected: {report:?}");
    let status = kiosk.sync_status().expect("status");
    assert_eq!(status.ops_waiting, 0, "nothing waits after a successful pass");
    assert!(status.last_sync_at.is_some() && status.last_error.is_none(), "the pass is recorded as good: {status:?}");

    let admin = net.admin();
    let counts = admin.op_counts(&device_of(&kiosk)).expect("op counts");
    assert_eq!((counts.applied, counts.rejected), (report.applied as u64, 0), "the server applied every op pushed");
    assert!(!admin.ledger_for_op(&op_id).expect("postings").is_empty(), "the payment is in the server's ledger");
    assert_eq!(admin.ledger_check().expect("ledger").total, 0, "the ledger sums to zero");

    let again = sync::sync_until_idle(&kiosk, &fast()).await.expect("a pass with nothing to do");
    assert_eq!(again.pushed, 0, "an idle pass pushes nothing");
    assert_eq!(
        admin.op_counts(&device_of(&kiosk)).expect("op counts").applied,
        counts.applied,
        "a second pass posts nothing again"
    );
}

#[tokio::test]
async fn ops_queue_while_the_server_is_down_and_drain_when_it_returns() {
    let mut net = Network::start().await;
    net.admin().add_orders(POINT, &[order(1, 100_000), order(2, 200_000)]).expect("orders added");
    let kiosk = Arc::new(net.enrolled_kiosk().await);
    let handle = SyncEngine::spawn(kiosk.clone(), short_engine(), Box::new(|_| {}));
    wait_for(&handle, "the first pass succeeds", |s| s.online && s.last_sync_at.is_some()).await;

    let addr = net.stop_server().await;
    issue(&kiosk, 1, 100_000);
    issue(&kiosk, 2, 200_000);
    handle.nudge();
    let offline = wait_for(&handle, "the engine sees the server gone", |s| !s.online && s.ops_waiting >= 6).await;
    assert!(offline.last_error.is_some(), "offline shows why: {offline:?}");
    assert_eq!(kiosk.outbox().expect("outbox").len() as u32, offline.ops_waiting, "every op waits, none is lost");

    net.restart_server(addr).await;
    let drained = wait_for(&handle, "the queue drains", |s| s.online && s.ops_waiting == 0 && !s.syncing).await;
    assert!(drained.last_error.is_none(), "the error clears once synced: {drained:?}");
    let counts = net.admin().op_counts(&device_of(&kiosk)).expect("counts");
    assert_eq!(counts.applied, kiosk.outbox().expect("outbox").len() as u64, "the server applied every op once");
    assert_eq!(net.admin().ledger_check().expect("ledger").total, 0, "the ledger still sums to zero");
    handle.stop();
}

#[tokio::test]
async fn a_poison_op_goes_to_the_attention_list_and_later_ops_still_sync() {
    let net = Network::start().await;
    net.admin().add_orders(POINT, &[order(1, 100_000), order(2, 200_000)]).expect("orders added");
    let kiosk = net.enrolled_kiosk().await;
    sync::sync_until_idle(&kiosk, &fast()).await.expect("pull the orders");

    issue(&kiosk, 1, 100_000);
    // Another counter issued the same order while this kiosk had not synced yet.
    net.admin().mark_order_issued("ord-sync-1").expect("issued elsewhere");
    issue(&kiosk, 2, 200_000);
    let report = sync::sync_until_idle(&kiosk, &fast()).await.expect("a rejection does not fail the pass");
    assert!(report.rejected >= 1, "the op on the closed order is rejected: {report:?}");

    let status = kiosk.sync_status().expect("status");
    assert_eq!(status.ops_waiting, 0, "rejected ops do not block: nothing waits");
    let completed = status
        .attention
        .iter()
        .find(|item| item.kind == "issue_completed")
        .unwrap_or_else(|| panic!("the completed issue needs attention: {:?}", status.attention));
    assert_eq!(completed.code, "order_closed", "the server's reason code is kept");
    assert!(completed.message.contains("issued"), "the server's message says why: {:?}", completed.message);
    assert_eq!(completed.order_short_code.as_deref(), Some("700001"), "the list names the order");
    assert!(completed.rejected_at.is_some(), "the list says when the rejection arrived");
    let counts = net.admin().op_counts(&device_of(&kiosk)).expect("counts");
    assert!(counts.applied >= 3, "the second order's ops were applied after the rejection: {counts:?}");
}

#[tokio::test]
async fn a_long_pull_reports_progress_and_a_reset_rebuilds_the_cache_only() {
    let net = Network::start().await;
    net.admin().add_order(POINT, &order(1, 100_000)).expect("order added");
    net.admin().add_demo_orders(POINT, 240).expect("many orders");
    let kiosk = net.enrolled_kiosk().await;
    let config = ClientConfig { pull_limit: 50, ..fast() };
    let mut seen: Vec<PullProgress> = Vec::new();
    let report = sync::sync_until_idle_with(&kiosk, &config, &mut |p| seen.push(p)).await.expect("catch-up");
    assert!(report.pages >= 5, "241 orders at 50 a page take at least 5 pages: {report:?}");
    assert!(seen.iter().any(|p| p.has_more && p.remaining > 0), "progress tells what remains: {seen:?}");
    let last = seen.last().expect("progress reported");
    assert_eq!((last.has_more, last.remaining), (false, 0), "the last page ends the catch-up");
    assert_eq!(last.changes_done, report.changes, "progress counts every change applied");

    // A decision made at the counter but not yet synced must survive the reset.
    let opened = kiosk.scan("700001").expect("the order opens");
    let order_id = opened.view.active.expect("card").order_id;
    kiosk.hand_over_rest(&order_id).expect("decided");
    let ops_before = kiosk.outbox().expect("outbox");
    net.admin().reset_feed(POINT).expect("new feed epoch");

    let after = sync::sync_until_idle_with(&kiosk, &config, &mut |_| {}).await.expect("pass after the reset");
    assert!(after.reset, "the server's new epoch makes the pull a reset: {after:?}");
    assert_eq!(kiosk.outbox().expect("outbox").len(), ops_before.len(), "the outbox is never rebuilt");
    let view = kiosk.view().expect("view");
    let card = view.active.expect("the open order card survives the reset");
    assert!(card.items.iter().all(|i| i.decision.is_some()), "the counter's decisions survive the reset");
    let err = kiosk.scan("700001");
    assert!(err.is_ok(), "the rebuilt cache still finds the order: {err:?}");
}

#[tokio::test]
async fn the_engine_publishes_catch_up_progress_page_by_page_and_clears_it_when_done() {
    let net = Network::start().await;
    net.admin().add_demo_orders(POINT, 1_500).expect("many orders");
    let kiosk = Arc::new(net.enrolled_kiosk().await);
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = seen.clone();
    let config = EngineConfig { client: ClientConfig { pull_limit: 100, ..fast() }, ..short_engine() };
    let handle = SyncEngine::spawn(
        kiosk.clone(),
        config,
        Box::new(move |status: &SyncStatusView| {
            if let Some(progress) = status.catch_up {
                record.lock().expect("progress log").push(progress);
            }
        }),
    );
    let done = wait_for(&handle, "the catch-up finishes", |s| s.last_sync_at.is_some() && !s.syncing).await;
    handle.stop();

    assert_eq!(done.catch_up, None, "once the pull is complete the window shows no progress bar");
    let seen = seen.lock().expect("progress log").clone();
    assert!(seen.len() >= 10, "1,500 orders at 100 a page publish progress after most pages: {seen:?}");
    assert!(seen.windows(2).all(|w| w[1].changes_done >= w[0].changes_done), "progress only moves forward: {seen:?}");
    let first = seen.first().expect("some progress");
    assert!(
        first.changes_remaining >= 1_300 && first.changes_done + first.changes_remaining >= 1_500,
        "the first page already tells how much is left, so the bar has a total: {first:?}"
    );
}

#[tokio::test]
async fn a_revoked_device_is_told_its_credential_is_not_accepted() {
    let net = Network::start().await;
    let kiosk = Arc::new(net.enrolled_kiosk().await);
    sync::sync_until_idle(&kiosk, &fast()).await.expect("a first good pass");
    net.admin().revoke_device(&device_of(&kiosk)).expect("device revoked");

    let err = sync::sync_until_idle(&kiosk, &fast()).await.expect_err("a revoked device cannot sync");
    assert!(matches!(err, KioskError::CredentialRejected), "a 401 is a rejected credential: {err:?}");
    let stored = kiosk.sync_status().expect("status");
    assert!(
        stored.last_error.as_deref().is_some_and(|e| e.contains("device credential not accepted")),
        "the status says the credential is not accepted: {stored:?}"
    );

    let handle = SyncEngine::spawn(kiosk.clone(), short_engine(), Box::new(|_| {}));
    let status = wait_for(&handle, "the engine reports the refusal", |s| s.last_error_kind.is_some()).await;
    assert_eq!(
        status.last_error_kind,
        Some(pvz_kiosk_core::ErrorKind::CredentialRejected),
        "the window can translate the refusal by kind"
    );
    handle.stop();
}

#[tokio::test]
async fn enrollment_errors_are_clear_and_store_nothing() {
    let mut net = Network::start().await;
    let kiosk = net.kiosk();
    let err = sync::enroll(&kiosk, &net.url(), "AAAA-BBBB-CCCC", "Касса 1").await.expect_err("an unknown code");
    assert!(
        matches!(err, KioskError::EnrollmentRefused(_)),
        "a bad code is refused with the server's message: {err:?}"
    );
    assert!(!kiosk.sync_status().expect("status").configured, "a refused enrollment stores nothing");

    let admin = net.admin();
    admin.add_pickup_point("pp-sync-2", "ПВЗ Другая, 2", &FeePolicy::default()).expect("second point");
    let other = admin.issue_enrollment_code("pp-sync-2", Duration::from_secs(600)).expect("code");
    drop(kiosk);
    let enrolled = net.enrolled_kiosk().await;
    let err = sync::enroll(&enrolled, &net.url(), &other, "Касса 1").await.expect_err("another point");
    assert!(matches!(err, KioskError::EnrolledElsewhere { .. }), "one kiosk, one pickup point: {err:?}");

    let addr = net.stop_server().await;
    let code = "AAAA-BBBB-CCCC";
    let err = sync::enroll(&net.kiosk(), &format!("http://{addr}"), code, "x").await.expect_err("server down");
    assert!(matches!(err, KioskError::ServerUnreachable(_)), "a down server is unreachable: {err:?}");
}

/// The buyer's pickup QR for order `n`, signed by the server the kiosk pinned.
fn pickup_qr(admin: &Admin, n: u32) -> String {
    PickupClaims {
        order_id: OrderId::parse(&format!("ord-sync-{n}")).expect("order id"),
        pickup_point_id: PickupPointId::parse(POINT).expect("point id"),
        short_code: ShortCode::parse(&format!("{}", 700_000 + n)).expect("short code"),
        expires_at: 4_102_444_800,
    }
    .sign(admin.signing_key())
}

fn assert_cancelled<T: std::fmt::Debug>(result: Result<T, KioskError>, what: &str) {
    match result {
        Err(e) => assert_eq!(e.kind(), ErrorKind::OrderCancelled, "{what} must say the order is cancelled: {e}"),
        Ok(v) => panic!("{what} must be refused as cancelled, got {v:?}"),
    }
}

#[tokio::test]
async fn a_cancel_on_the_server_reaches_the_counter_and_its_scan_writes_nothing() {
    let net = Network::start().await;
    net.admin().add_orders(POINT, &[order(1, 100_000), order(2, 200_000)]).expect("orders added");
    let kiosk = net.enrolled_kiosk().await;
    sync::sync_until_idle(&kiosk, &fast()).await.expect("pull the orders");

    net.admin().cancel_order("ord-sync-1").expect("the network cancels the order");
    let report = sync::sync_until_idle(&kiosk, &fast()).await.expect("the pass pulls the cancellation");
    assert_eq!(report.changes, 1, "exactly the cancellation arrives: {report:?}");

    let outbox_before = kiosk.outbox().expect("outbox");
    assert_cancelled(kiosk.scan("700001"), "the short code of the cancelled order");
    assert_cancelled(kiosk.scan(&pickup_qr(&net.admin(), 1)), "the pickup QR of the cancelled order");
    let error = kiosk.scan("700001").expect_err("still refused");
    assert_eq!(error.to_view().kind, ErrorKind::OrderCancelled, "the window gets the order_cancelled kind");
    assert_eq!(kiosk.outbox().expect("outbox"), outbox_before, "a refused scan writes no op");
    let view = kiosk.view().expect("view");
    assert!(view.active.is_none(), "no order card opens for a cancelled order: {:?}", view.active);

    let other = kiosk.scan("700002").expect("an order that was not cancelled still opens");
    assert_eq!(other.view.active.map(|o| o.order_id), Some("ord-sync-2".to_owned()), "the other order's card");
}

#[tokio::test]
async fn an_order_open_on_the_card_when_its_cancel_arrives_cannot_be_confirmed() {
    let net = Network::start().await;
    net.admin().add_order(POINT, &order(1, 100_000)).expect("order added");
    let kiosk = net.enrolled_kiosk().await;
    sync::sync_until_idle(&kiosk, &fast()).await.expect("pull the order");
    let card = kiosk.scan("700001").expect("the order opens").view.active.expect("a card");
    kiosk.hand_over_rest(&card.order_id).expect("every item to hand over");
    sync::sync_until_idle(&kiosk, &fast()).await.expect("the counter's ops are pushed");

    net.admin().cancel_order("ord-sync-1").expect("the network cancels it while the card is open");
    sync::sync_until_idle(&kiosk, &fast()).await.expect("the cancellation is pulled");
    let outbox_before = kiosk.outbox().expect("outbox");
    let status_before = kiosk.sync_status().expect("status");
    let view = kiosk.view().expect("view");
    assert_eq!(
        view.active.as_ref().map(|o| o.order_id.as_str()),
        Some("ord-sync-1"),
        "the card stays on screen so the manager sees what happened"
    );

    assert_cancelled(kiosk.confirm_issue(&card.order_id, Kopecks(100_000), true), "confirming the cancelled order");
    let item = &card.items[0].item_id;
    assert_cancelled(kiosk.decide_item(&card.order_id, item, ItemDecision::HandOver), "a decision on it");
    assert_cancelled(kiosk.clear_decision(&card.order_id, item), "taking a decision back");
    assert_eq!(kiosk.outbox().expect("outbox"), outbox_before, "nothing is written: no op, no issue");
    let view = kiosk.view().expect("view");
    assert!(view.receipt.is_none() && view.recent.is_empty(), "no receipt and no issue recorded: {view:?}");
    assert_eq!(kiosk.sync_status().expect("status").ops_waiting, status_before.ops_waiting, "no op waits to sync");

    let aside = kiosk.set_aside().expect("the manager can set the card aside");
    assert!(aside.active.is_none(), "the card is closed after setting it aside");
    assert_cancelled(kiosk.scan("700001"), "scanning it again");
    assert_eq!(kiosk.outbox().expect("outbox"), outbox_before, "setting aside and rescanning write nothing either");
}

#[tokio::test]
async fn an_issue_that_crossed_the_cancel_stays_issued_and_is_rejected_by_the_server() {
    let net = Network::start().await;
    net.admin().add_order(POINT, &order(1, 100_000)).expect("order added");
    let kiosk = net.enrolled_kiosk().await;
    sync::sync_until_idle(&kiosk, &fast()).await.expect("pull the order");
    // Issued at the counter before this kiosk heard of the cancellation.
    issue(&kiosk, 1, 100_000);
    let outbox_before = kiosk.outbox().expect("outbox");
    net.admin().cancel_order("ord-sync-1").expect("cancelled on the server meanwhile");

    let report = sync::sync_until_idle(&kiosk, &fast()).await.expect("the pass pushes and pulls");
    assert!(report.rejected >= 1, "the issue of a cancelled order is rejected: {report:?}");
    let ops: Vec<_> = kiosk.outbox().expect("outbox").into_iter().map(|o| o.op_id).collect();
    let before: Vec<_> = outbox_before.into_iter().map(|o| o.op_id).collect();
    assert_eq!(ops, before, "the cancellation neither drops nor adds ops");
    let status = kiosk.sync_status().expect("status");
    assert!(
        status.attention.iter().any(|a| a.kind == "issue_completed" && a.code == "order_closed"),
        "the manager is told the issue was rejected: {:?}",
        status.attention
    );
    let error = kiosk.scan("700001").expect_err("the order cannot be opened again");
    assert_eq!(error.kind(), ErrorKind::AlreadyIssued, "the kiosk's own issue is the truer answer: {error}");
}
