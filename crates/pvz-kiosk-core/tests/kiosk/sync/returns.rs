//! Claim returns against the real central server: the counter asks the claim's state when online,
//! keeps the signed code's word when offline, and a claim accepted offline that the network revoked
//! meanwhile lands on the attention list with the server's reason and pays nothing; an item's claims
//! (a refund without return has no code to scan) are read online only.

use crate::support::counter::refused;
use crate::support::network::*;
use pvz_domain::{ClaimDecision, ClaimState, Compensation, CompensationKind, Kopecks, ReturnRoute};
use pvz_kiosk_core::{ClaimRefusal, ErrorKind, Kiosk};
use pvz_protocol::{ClaimActionRequest, ClaimReturnClaims, SellerDecision};
use pvz_server::admin::Admin;

/// Order `n` issued at the counter and synced, then a claim on its item approved with a full
/// refund: returns the claim id and its return code.
async fn approved_claim(net: &Network, kiosk: &Kiosk, n: u32) -> (String, String) {
    pvz_kiosk_core::sync::sync_until_idle(kiosk, &fast()).await.expect("pull the order");
    issue(kiosk, n, 150_000);
    pvz_kiosk_core::sync::sync_until_idle(kiosk, &fast()).await.expect("the issue reaches the server");
    let admin = net.admin();
    let claim = admin.open_claim(&format!("ord-sync-{n}"), &format!("itm-sync-{n}-1"), "шов разошёлся").expect("open");
    let id = claim.claim_id.to_string();
    let refund = admin.full_refund(&id).expect("the item's price");
    let approved = admin.decide_claim(&id, &SellerDecision::Approve { compensation: refund }).expect("approved");
    (id, approved.return_code.expect("a refund carries a return code"))
}

/// Scans the code, checks the item (the demo orders carry no barcode: by eye) and notes its state.
fn take_back(kiosk: &Kiosk, code: &str) {
    kiosk.scan(code).expect("the claim code opens the claim");
    kiosk.check_claim_item().expect("checked by eye: the code carries no barcode");
    kiosk.set_claim_condition("шов разошёлся, следов носки нет").expect("condition noted");
}

fn refund_amount(admin: &Admin, code: &str) -> i64 {
    let key = pvz_protocol::PublicKey::of(admin.signing_key());
    ClaimReturnClaims::verify(code, &key, 0).expect("the server's code verifies").amount.0
}

#[tokio::test]
async fn the_counter_asks_the_server_and_an_approved_claim_is_refunded_once() {
    let net = Network::start().await;
    net.admin().add_order(POINT, &order(1, 150_000)).expect("order added");
    let kiosk = net.enrolled_kiosk().await;
    let (claim, code) = approved_claim(&net, &kiosk, 1).await;
    take_back(&kiosk, &code);

    let view = kiosk.refresh_claim_status_with(&fast()).await.expect("the server answers");
    let shown = view.screen.claim_return().expect("the claim is on the counter");
    assert_eq!(shown.server_state, Some(ClaimState::Approved), "the server's state is shown");
    assert!(shown.status_checked_at.is_some(), "with when it was asked");
    assert_eq!((shown.compensation, shown.refusal), (CompensationKind::Refund, None), "a refund, not refused");
    let label = kiosk.accept_claim_return().expect("accepted").screen.return_label().cloned().expect("label");

    let report = pvz_kiosk_core::sync::sync_until_idle(&kiosk, &fast()).await.expect("the return is pushed");
    assert_eq!(report.rejected, 0, "the server applies the claim return: {report:?}");
    let admin = net.admin();
    assert_eq!(admin.claim_status(&claim).expect("status").state, ClaimState::Fulfilled, "the claim is fulfilled");
    let op_id = kiosk.outbox().expect("outbox").last().expect("the accept op").op_id.to_string();
    let postings = admin.ledger_for_op(&op_id).expect("postings");
    let paid: i64 = postings.iter().map(|p| p.amount.0).filter(|a| *a > 0).sum();
    assert_eq!(paid, refund_amount(&admin, &code), "the refund is posted once: {postings:?}");
    let custody = admin.custody(&label.return_id).expect("custody");
    assert_eq!(custody.len(), 1, "the server tracks the returned unit under the label's id");

    refused(kiosk.scan(&code), ErrorKind::ClaimAlreadyUsed, "the code again at this counter");
    assert_eq!(admin.ledger_check().expect("ledger").total, 0, "the ledger balances");
}

#[tokio::test]
async fn a_claim_accepted_offline_and_revoked_meanwhile_needs_attention_and_pays_nothing() {
    let mut net = Network::start().await;
    net.admin().add_order(POINT, &order(2, 150_000)).expect("order added");
    let kiosk = net.enrolled_kiosk().await;
    let (claim, code) = approved_claim(&net, &kiosk, 2).await;
    let addr = net.stop_server().await;

    take_back(&kiosk, &code);
    let view = kiosk.refresh_claim_status_with(&fast()).await.expect("offline the counter goes on");
    let shown = view.screen.claim_return().expect("claim on the counter");
    assert_eq!((shown.server_state, shown.refusal), (None, None), "offline: the signed code is the authority");
    kiosk.accept_claim_return().expect("accepted offline");
    let transactions = net.admin().ledger_check().expect("ledger").transactions;
    net.admin().revoke_claim(&claim, "покупатель отозвал претензию").expect("the network revokes it meanwhile");
    net.restart_server(addr).await;

    let report = pvz_kiosk_core::sync::sync_until_idle(&kiosk, &fast()).await.expect("the pass goes through");
    assert_eq!(report.rejected, 1, "the claim return is rejected: {report:?}");
    let status = kiosk.sync_status().expect("status");
    let item = status.attention.first().expect("the rejection needs attention");
    assert_eq!((item.kind.as_str(), item.code.as_str()), ("claim_return_accepted", "claim_revoked"), "{item:?}");
    assert!(!item.message.is_empty(), "with the server's reason for people");
    assert_eq!(item.claim_item_name.as_deref(), Some("Платье летнее"), "naming the item taken back");
    let op_id = kiosk.outbox().expect("outbox").last().expect("the accept op").op_id.to_string();
    assert!(net.admin().ledger_for_op(&op_id).expect("postings").is_empty(), "no refund is posted");
    let ledger = net.admin().ledger_check().expect("ledger");
    assert_eq!(ledger.transactions, transactions, "no money moved for the revoked claim: {ledger:?}");
    assert_eq!(net.admin().claim_status(&claim).expect("status").state, ClaimState::Revoked, "still revoked");
}

#[tokio::test]
async fn a_revoked_or_unknown_claim_is_refused_at_the_counter_when_online() {
    let net = Network::start().await;
    net.admin().add_order(POINT, &order(3, 150_000)).expect("order added");
    let kiosk = net.enrolled_kiosk().await;
    let (claim, code) = approved_claim(&net, &kiosk, 3).await;
    net.admin().revoke_claim(&claim, "продавец заменил товар").expect("revoked");
    take_back(&kiosk, &code);
    let view = kiosk.refresh_claim_status_with(&fast()).await.expect("the server answers");
    let shown = view.screen.claim_return().expect("claim shown");
    assert_eq!(shown.refusal, Some(ClaimRefusal::Revoked), "the banner says revoked");
    assert_eq!(shown.server_reason.as_deref(), Some("продавец заменил товар"), "with the network's reason");
    let e = refused(kiosk.accept_claim_return(), ErrorKind::ClaimRevoked, "accepting a revoked claim");
    assert_eq!(e.to_view().detail.as_deref(), Some("продавец заменил товар"), "the reason reaches the window");
    kiosk.cancel_claim_return().expect("cancelled");

    // A code signed by the server for a claim it does not hold (its data was restored, say).
    let mut unknown =
        ClaimReturnClaims::verify(&code, &pvz_protocol::PublicKey::of(net.admin().signing_key()), 0).expect("verifies");
    unknown.claim_id = pvz_domain::ClaimId::parse("clm-unknown").expect("id");
    take_back(&kiosk, &unknown.sign(net.admin().signing_key()));
    let view = kiosk.refresh_claim_status_with(&fast()).await.expect("a 404 is an answer");
    assert_eq!(
        view.screen.claim_return().and_then(|c| c.refusal),
        Some(ClaimRefusal::NotApproved),
        "not approved there"
    );
    refused(kiosk.accept_claim_return(), ErrorKind::ClaimNotApproved, "accepting an unknown claim");
}

#[tokio::test]
async fn the_counter_sees_a_refund_without_return_on_the_item_and_says_so_when_offline() {
    let mut net = Network::start().await;
    net.admin().add_order(POINT, &order(3, 150_000)).expect("order added");
    let kiosk = net.enrolled_kiosk().await;
    pvz_kiosk_core::sync::sync_until_idle(&kiosk, &fast()).await.expect("pull the order");
    issue(&kiosk, 3, 150_000);
    pvz_kiosk_core::sync::sync_until_idle(&kiosk, &fast()).await.expect("the issue reaches the server");
    let none = kiosk.item_claims_with("itm-sync-3-1", &fast()).await.expect("the server answers");
    assert!(none.is_empty(), "an item nobody claimed lists no claim: {none:?}");

    let admin = net.admin();
    let claim = admin.open_claim("ord-sync-3", "itm-sync-3-1", "пятно на ткани").expect("open").claim_id;
    let partial = Compensation::Refund { amount: Kopecks(60_000) };
    let request = ClaimActionRequest::ApproveWithoutReturn { compensation: partial.clone() };
    admin.act_on_claim(claim.as_str(), &request).expect("approved: a partial refund, the item stays with the buyer");

    let listed = kiosk.item_claims_with("itm-sync-3-1", &fast()).await.expect("the server answers");
    let [shown] = listed.as_slice() else { panic!("the one claim on the item is listed: {listed:?}") };
    assert_eq!(shown.claim_id, claim, "the claim on the item");
    assert_eq!(
        (shown.decision, shown.route, shown.compensation.clone()),
        (ClaimDecision::Approved, Some(ReturnRoute::NoReturn), Some(partial)),
        "the counter sees the approval, its route and its refund"
    );
    assert_eq!(shown.return_code, None, "never its return code: only the buyer has it");

    refused(kiosk.item_claims_with("itm-sync-0-1", &fast()).await, ErrorKind::SyncRefused, "an item the server lacks");
    let _addr = net.stop_server().await;
    refused(
        kiosk.item_claims_with("itm-sync-3-1", &fast()).await,
        ErrorKind::ServerUnreachable,
        "offline, the counter says there is no connection rather than showing no claims",
    );
}
