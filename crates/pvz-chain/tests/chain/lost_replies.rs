//! Exactly-once under lost replies: the server applies a push, the answer never reaches the kiosk,
//! the kiosk retries. Every op must be on the server once and every payment in the ledger once.

use pvz_chain::network::{client_config, issue, Issued, Network, ORDER_PRICE};
use pvz_chain::proxy::LossyProxy;
use pvz_kiosk_core::sync;
use pvz_protocol::sync::PATH_PUSH;

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
