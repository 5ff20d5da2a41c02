//! Claim returns need proof (issue 13, finding 5): a refund is paid only for a claim return that
//! carries the claim return code the network signed for that claim and item, and no device reads a
//! claim's code from the server; one compromised device must not be able to trigger any refund.

use crate::common::*;
use ed25519_dalek::SigningKey;
use pvz_domain::{ClaimId, CompensationKind, ItemId, Kopecks, OrderId};
use pvz_protocol::{ClaimReturnClaims, SellerDecision};
use serde_json::Value;

/// Issued order `o1` at POINT with both items' claims approved as full refunds (1 000 ₽ and 2 500 ₽);
/// returns the claim ids and their return codes.
fn refunded_claims(t: &TestServer) -> Vec<(String, String)> {
    add_order(&t.admin, POINT, "o1", true);
    t.admin.mark_order_issued("o1").expect("issued");
    ["o1-1", "o1-2"]
        .iter()
        .map(|item| {
            let id = t.admin.open_claim("o1", item, "брак").expect("open").claim_id.to_string();
            let refund = t.admin.full_refund(&id).expect("refund");
            let approved = t.admin.decide_claim(&id, &SellerDecision::Approve { compensation: refund }).expect("ok");
            (id, approved.return_code.expect("a refund has a return code"))
        })
        .collect()
}

/// A claim return of `claim` (item `o1-1`, 1 000 ₽) as a kiosk pushes it, carrying `code` if any.
fn with_code(seq: i64, claim: &str, unit: &str, code: Option<&str>) -> Value {
    of_item(seq, claim, ("o1-1", 100_000), unit, code)
}

/// [`with_code`] for another item of `o1` and its refund.
fn of_item(seq: i64, claim: &str, (item, amount): (&str, i64), unit: &str, code: Option<&str>) -> Value {
    let op = op(seq, claim_return(claim, "o1", item, unit, CompensationKind::Refund, amount));
    let mut op = serde_json::to_value(op).expect("an op is JSON");
    if let Some(code) = code {
        op["body"]["return_code"] = Value::from(code);
    }
    op
}

async fn push_json(t: &TestServer, kiosk: &Kiosk, ops: &[Value]) -> Reply {
    t.post_json("/v1/sync/push", Some(&kiosk.credential), &serde_json::json!({ "ops": ops })).await
}

#[tokio::test]
async fn a_claim_return_without_the_claims_own_signed_code_pays_nothing_and_no_device_reads_the_code() {
    let t = start().await;
    let claims = refunded_claims(&t);
    let (claim, _code) = &claims[0];
    let stranger = t.enroll(OTHER_POINT).await;

    let status = t.get(&format!("/v1/claims/{claim}"), Some(&stranger.credential)).await;
    assert_eq!(status.status, 200, "any point's kiosk reads the claim: {}", status.body);
    assert_eq!(status.body["decision"], "approved", "with its decision: {}", status.body);
    assert_eq!(status.body["item_fate"], "to_pickup_point", "its item's fate: {}", status.body);
    assert!(status.body["return_deadline"].is_string(), "and its deadline: {}", status.body);
    assert!(status.body["return_code"].is_null(), "but a device never reads the claim's code: {}", status.body);

    let forged = ClaimReturnClaims {
        claim_id: ClaimId::parse(claim).expect("id"),
        order_id: OrderId::parse("o1").expect("id"),
        item_id: ItemId::parse("o1-1").expect("id"),
        item_name: None,
        barcode: None,
        compensation: CompensationKind::Refund,
        amount: Kopecks(100_000),
        expires_at: 4_102_444_800,
        code_issue: 1,
    }
    .sign(&SigningKey::from_bytes(&[9; 32]));
    let other_claims_code = claims[1].1.as_str();
    let ops = [
        with_code(1, claim, "ret-1", None),
        with_code(2, claim, "ret-2", Some(&forged)),
        with_code(3, claim, "ret-3", Some(other_claims_code)),
    ];
    let reply = push_json(&t, &stranger, &ops).await;
    assert_eq!(reply.status, 200, "the push is answered op by op: {}", reply.body);
    let codes: Vec<String> = (0..3).map(|i| reject_code(&reply, i)).collect();
    assert_eq!(
        codes,
        ["claim_code_missing", "claim_code_invalid", "claim_code_mismatch"],
        "no code, a code the network never signed, and another claim's code are each refused: {}",
        reply.body
    );
    assert_eq!(reply.body["last_seq"], 3, "and none of them blocks the queue: {}", reply.body);
    assert_eq!(t.admin.account_balance("buyer:buyer-o1").expect("balance"), Kopecks::ZERO, "no refund was paid");
    assert_eq!(
        t.admin.claim_status(claim).expect("status").state,
        pvz_domain::ClaimState::Approved,
        "the claim still waits for its item with its real code"
    );
    t.server.shutdown().await;
}

#[tokio::test]
async fn the_claims_own_code_pays_once_at_any_point_after_a_key_rotation_but_not_once_expired() {
    let t = start().await;
    let claims = refunded_claims(&t);
    // The network moves to its next key: codes the first one signed still prove their claim.
    t.admin.rotate_key().expect("rotates");
    t.admin.activate_next_key().expect("activates").expect("a next key");
    let elsewhere = t.enroll(OTHER_POINT).await;
    let expired = ClaimReturnClaims {
        claim_id: ClaimId::parse(&claims[1].0).expect("id"),
        order_id: OrderId::parse("o1").expect("id"),
        item_id: ItemId::parse("o1-2").expect("id"),
        item_name: None,
        barcode: None,
        compensation: CompensationKind::Refund,
        amount: Kopecks(250_000),
        // A day before the op's time (2026-12-01 10:00 UTC, the kiosk's clock is right).
        expires_at: 1_796_032_800,
        code_issue: 1,
    }
    .sign(t.admin.signing_key());
    let ops = [
        with_code(1, &claims[0].0, "ret-1", Some(&claims[0].1)),
        with_code(2, &claims[0].0, "ret-2", Some(&claims[0].1)),
        of_item(3, &claims[1].0, ("o1-2", 250_000), "ret-3", Some(&expired)),
    ];
    let reply = push_json(&t, &elsewhere, &ops).await;
    let outcomes: Vec<String> = (0..3).map(|i| outcome(&reply, i)).collect();
    assert_eq!(outcomes[0], "applied", "the buyer's code takes the item back at another point: {}", reply.body);
    assert_eq!(
        [reject_code(&reply, 1), reject_code(&reply, 2)],
        ["claim_already_used".to_owned(), "claim_return_expired".to_owned()],
        "the same code once more, and a code past its expiry at the op's time: {}",
        reply.body
    );
    assert_eq!(t.admin.account_balance("buyer:buyer-o1").expect("balance"), Kopecks(100_000), "paid once");
    assert!(t.admin.ledger_check().expect("ledger").is_ok(), "the ledger balances");
    t.server.shutdown().await;
}
