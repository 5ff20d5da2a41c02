//! Exactly-once refunds under lost replies: the server applies a claim return, the answer never
//! reaches the kiosk, the kiosk retries. The refund must be in the ledger once, keyed by the op.

use pvz_chain::network::{client_config, issue, Issued, Network, ORDER_PRICE};
use pvz_chain::proxy::LossyProxy;
use pvz_domain::ClaimState;
use pvz_kiosk_core::sync;
use pvz_protocol::sync::PATH_PUSH;
use pvz_protocol::SellerDecision;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_return_whose_push_reply_is_lost_refunds_the_buyer_once() {
    let net = Network::start(1).await;
    let proxy = LossyProxy::start(net.server().addr).await.expect("proxy starts");
    let kiosk = net.enrolled_kiosk(&net.kiosk_path("kiosk"), &proxy.url()).await;
    assert!(matches!(issue(&kiosk, 0), Issued::Done(_)), "the order is issued at the counter");
    sync::sync_until_idle(&kiosk, &client_config()).await.expect("the issue reaches the server");

    let admin = net.admin();
    let claim = admin.open_claim("ord-chain-0", "itm-chain-0", "молния сломалась").expect("claim opened");
    let id = claim.claim_id.to_string();
    let refund = admin.full_refund(&id).expect("the item's price");
    let code = admin
        .decide_claim(&id, &SellerDecision::Approve { compensation: refund })
        .expect("approved")
        .return_code
        .expect("a refund carries a return code");

    kiosk.scan(&code).expect("the claim code opens the claim");
    kiosk.refresh_claim_status_with(&client_config()).await.expect("the server says approved");
    kiosk.check_claim_item().expect("checked by eye");
    kiosk.set_claim_condition("молния не застёгивается").expect("noted");
    kiosk.accept_claim_return().expect("accepted");
    let op_id = kiosk.outbox().expect("outbox").last().expect("the accept op").op_id.to_string();
    let before = admin.ledger_check().expect("ledger").transactions;

    proxy.lose_replies(PATH_PUSH, 1);
    let lost = sync::sync_until_idle(&kiosk, &client_config()).await;
    assert!(lost.is_err(), "a push without an answer fails the pass: {lost:?}");
    assert_eq!(proxy.lost(), 1, "the proxy lost exactly the push reply");
    assert_eq!(admin.claim_status(&id).expect("status").state, ClaimState::Fulfilled, "the server applied it");
    assert_eq!(kiosk.sync_status().expect("status").ops_waiting, 1, "the kiosk cannot know: the op still waits");

    let retried = sync::sync_until_idle(&kiosk, &client_config()).await.expect("the retry goes through");
    assert_eq!((retried.duplicates, retried.rejected), (1, 0), "the retry is recognised as applied: {retried:?}");
    assert_eq!(kiosk.sync_status().expect("status").ops_waiting, 0, "nothing waits after the retry");
    let postings = admin.ledger_for_op(&op_id).expect("postings");
    let refunded: i64 = postings.iter().map(|p| p.amount.0).filter(|a| *a > 0).sum();
    assert_eq!(refunded, ORDER_PRICE.0, "the buyer is refunded the price once, not twice: {postings:?}");
    let ledger = admin.ledger_check().expect("ledger");
    assert_eq!(ledger.transactions, before + 1, "exactly one refund transaction: {ledger:?}");
    assert!(ledger.is_ok() && ledger.total == 0, "the ledger balances: {ledger:?}");
}
