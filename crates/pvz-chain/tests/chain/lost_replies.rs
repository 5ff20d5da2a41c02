//! Exactly-once under lost replies: the server applies a push, the answer never reaches the kiosk,
//! the kiosk retries. Every op must be on the server once and every payment in the ledger once.
//! An enrollment whose answer is lost (or a power cut before the kiosk saves it) is finished by a
//! retry, and the counter's queue still reaches the server.

use pvz_chain::network::{client_config, issue, Issued, Network, ORDER_PRICE, POINT};
use pvz_chain::proxy::LossyProxy;
use pvz_kiosk_core::{sync, Kiosk};
use pvz_protocol::sync::{PATH_ENROLL, PATH_PUSH};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_whose_reply_is_lost_is_retried_without_posting_twice() {
    let net = Network::start(4).await;
    let proxy = LossyProxy::start(net.server().addr).await.expect("proxy starts");
    let kiosk = net.enrolled_kiosk(&net.kiosk_path("kiosk"), &proxy.url()).await;

    let mut receipts = Vec::new();
    for n in 0..4 {
        match issue(&kiosk, n) {
            Issued::Done(op_id) => receipts.push(op_id),
            Issued::AlreadyIssued => panic!("order {n} is fresh and must be issued now"),
        }
    }
    let written = kiosk.outbox().expect("outbox").len();

    proxy.lose_replies(PATH_PUSH, 1);
    let lost = sync::sync_until_idle(&kiosk, &client_config()).await;
    assert!(lost.is_err(), "a push without an answer fails the pass: {lost:?}");
    assert_eq!(proxy.lost(), 1, "the proxy lost exactly the one push reply");
    assert_eq!(
        kiosk.sync_status().expect("status").ops_waiting as usize,
        written,
        "without an answer the kiosk cannot know the ops arrived, so all still wait"
    );

    let retried = sync::sync_until_idle(&kiosk, &client_config()).await.expect("the retry goes through");
    assert_eq!(retried.duplicates, written, "the server recognises every retried op as already applied: {retried:?}");
    assert_eq!(kiosk.sync_status().expect("status").ops_waiting, 0, "nothing waits after the retry");

    let admin = net.admin();
    let device = kiosk.view().expect("view").status.device_id;
    let counts = admin.op_counts(&device).expect("op counts");
    assert_eq!(counts.applied as usize, written, "each op is applied exactly once on the server");
    for op_id in &receipts {
        let postings = admin.ledger_for_op(op_id).expect("postings");
        let collected: i64 = postings.iter().map(|p| p.amount.0).filter(|a| *a > 0).sum();
        assert_eq!(collected, ORDER_PRICE.0, "the payment of {op_id} is posted once, not twice: {postings:?}");
    }
    let ledger = admin.ledger_check().expect("ledger check");
    assert_eq!(ledger.transactions as usize, receipts.len(), "one ledger transaction per paid issue: {ledger:?}");
    assert!(ledger.is_ok() && ledger.total == 0, "the ledger balances: {ledger:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_replies_in_a_row_and_a_lost_pull_change_nothing_twice() {
    let net = Network::start(6).await;
    let proxy = LossyProxy::start(net.server().addr).await.expect("proxy starts");
    let kiosk = net.enrolled_kiosk(&net.kiosk_path("kiosk"), &proxy.url()).await;
    for n in 0..6 {
        issue(&kiosk, n);
    }
    let written = kiosk.outbox().expect("outbox").len();

    proxy.lose_replies("/v1/sync/", 3);
    for attempt in 1..=3 {
        let result = sync::sync_until_idle(&kiosk, &client_config()).await;
        assert!(result.is_err(), "attempt {attempt} loses its reply and fails: {result:?}");
    }
    sync::sync_until_idle(&kiosk, &client_config()).await.expect("the fourth attempt goes through");

    let device = kiosk.view().expect("view").status.device_id;
    let admin = net.admin();
    assert_eq!(admin.op_counts(&device).expect("op counts").applied as usize, written, "every op applied once");
    let ledger = admin.ledger_check().expect("ledger check");
    assert_eq!(ledger.transactions, 6, "six paid issues, six ledger transactions, whatever the retries: {ledger:?}");
    assert_eq!(ledger.turnover, 6 * ORDER_PRICE.0, "the money moved is six orders' worth: {ledger:?}");
    assert!(ledger.is_ok() && ledger.total == 0, "the ledger balances: {ledger:?}");

    proxy.lose_replies("/v1/sync/pull", 1);
    assert!(sync::sync_until_idle(&kiosk, &client_config()).await.is_err(), "a lost pull reply fails the pass");
    sync::sync_until_idle(&kiosk, &client_config()).await.expect("the next pull goes through");
    let view = kiosk.view().expect("view");
    assert!(view.screen.order().is_none(), "a repeated pull leaves the counter as it was");
    assert_eq!(admin.ledger_check().expect("ledger").transactions, 6, "pulls never post money");
}

/// A kiosk that pushed one issue and holds a second one unsent, whose enrollment again (say after a
/// revocation) reached the server but whose answer was lost, then lost power: reopened from its
/// store. Returns the kiosk, its store path and its device id.
async fn kiosk_whose_enrollment_reply_was_lost(net: &Network, proxy: &LossyProxy, code: &str) -> (Kiosk, String) {
    let path = net.kiosk_path("kiosk");
    let kiosk = net.enrolled_kiosk(&path, &proxy.url()).await;
    issue(&kiosk, 0);
    sync::sync_until_idle(&kiosk, &client_config()).await.expect("the first issue is pushed");
    issue(&kiosk, 1);
    let device = kiosk.view().expect("view").status.device_id;
    net.admin().revoke_device(&device).expect("the device is revoked");

    proxy.lose_replies(PATH_ENROLL, 1);
    let lost = sync::enroll(&kiosk, &proxy.url(), code, "Касса цепочки").await;
    assert!(lost.is_err(), "an enrollment without an answer fails: {lost:?}");
    assert_eq!(proxy.lost(), 1, "the proxy lost exactly the enrollment's reply");
    drop(kiosk);
    (Kiosk::open(&path).expect("the kiosk reopens after the power cut"), device)
}

/// The queue drains under the continued device: every op of the outbox on the server once.
async fn assert_queue_drains_under(net: &Network, kiosk: &Kiosk, device: &str) {
    sync::sync_until_idle(kiosk, &client_config()).await.expect("the kiosk syncs with the credential it now holds");
    assert_eq!(kiosk.sync_status().expect("status").ops_waiting, 0, "the counter's queue reached the server");
    let counts = net.admin().op_counts(device).expect("op counts");
    assert_eq!(
        counts.applied as usize,
        kiosk.outbox().expect("outbox").len(),
        "every op the counter wrote is on the server once, under its one device"
    );
}

/// Issue 13, finding 1: re-enrollment must be idempotent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_enrollment_whose_reply_was_lost_is_finished_by_retrying_the_same_code() {
    let net = Network::start(2).await;
    let proxy = LossyProxy::start(net.server().addr).await.expect("proxy starts");
    let code = net.admin().issue_enrollment_code(POINT, Duration::from_secs(600)).expect("enrollment code");
    let (kiosk, device) = kiosk_whose_enrollment_reply_was_lost(&net, &proxy, &code).await;

    let again = sync::enroll(&kiosk, &proxy.url(), &code, "Касса цепочки")
        .await
        .expect("retrying the same code after a lost answer must finish the enrollment, not refuse the code as used");
    assert_eq!(again.device_id.as_str(), device, "the retry continues the kiosk's own device");
    assert_queue_drains_under(&net, &kiosk, &device).await;
}

/// Issue 13, finding 1: a fresh code after a lost answer must not be refused forever.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_lost_enrollment_reply_a_fresh_code_continues_the_device() {
    let net = Network::start(2).await;
    let proxy = LossyProxy::start(net.server().addr).await.expect("proxy starts");
    let code = net.admin().issue_enrollment_code(POINT, Duration::from_secs(600)).expect("enrollment code");
    let (kiosk, device) = kiosk_whose_enrollment_reply_was_lost(&net, &proxy, &code).await;

    let fresh = net.admin().issue_enrollment_code(POINT, Duration::from_secs(600)).expect("a fresh code");
    let again = sync::enroll(&kiosk, &proxy.url(), &fresh, "Касса цепочки").await.expect(
        "a fresh code after a lost answer must continue the device, not be refused as a stale credential forever",
    );
    assert_eq!(again.device_id.as_str(), device, "the fresh code continues the kiosk's own device");
    assert_queue_drains_under(&net, &kiosk, &device).await;
}
