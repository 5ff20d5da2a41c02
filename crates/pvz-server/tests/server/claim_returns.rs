//! Push of `ClaimReturnAccepted`: the refund posted exactly once whatever the retries and repeats,
//! each refusal with its code and no money, the replacement and missing part as orders at the
//! buyer's point, and the unit's custody recorded even when the claim is refused.

use crate::common::*;
use pvz_domain::{Compensation, CompensationKind, Kopecks};
use pvz_protocol::SellerDecision;
use pvz_server::db::custody::Holder;
use pvz_server::rules::Posting;

/// An issued order `o1` at POINT (prepaid: clothes 1 000 ₽ from s-1, shoes 2 500 ₽ from s-2) with
/// a claim on each item, approved as given; returns the claim ids.
fn approved_claims(t: &TestServer, compensations: [Compensation; 2]) -> Vec<String> {
    add_order(&t.admin, POINT, "o1", true);
    t.admin.mark_order_issued("o1").expect("issued");
    ["o1-1", "o1-2"]
        .iter()
        .zip(compensations)
        .map(|(item, compensation)| {
            let id = t.admin.open_claim("o1", item, "брак").expect("open").claim_id.to_string();
            t.admin.decide_claim(&id, &SellerDecision::Approve { compensation }).expect("approve");
            id
        })
        .collect()
}

fn refund(amount: i64) -> Compensation {
    Compensation::Refund { amount: Kopecks(amount) }
}

#[tokio::test]
async fn a_refund_is_posted_once_under_retries_and_a_second_op_for_the_claim() {
    let t = start().await;
    let claims = approved_claims(&t, [refund(70_000), refund(250_000)]);
    // The buyer brings it to another point: any point may take it back.
    let kiosk = t.enroll(OTHER_POINT).await;
    let first = op(1, t.proven(claim_return(&claims[0], "o1", "o1-1", "ret-1", CompensationKind::Refund, 70_000)));
    let reply = t.push(&kiosk, std::slice::from_ref(&first)).await;
    assert_eq!(outcome(&reply, 0), "applied", "the claim return applies: {}", reply.body);
    let expected = vec![
        Posting { account: "seller:s-1".into(), amount: Kopecks(-70_000) },
        Posting { account: "buyer:buyer-o1".into(), amount: Kopecks(70_000) },
    ];
    assert_eq!(t.admin.ledger_for_op(&first.op_id.to_string()).expect("postings"), expected, "seller pays the buyer");

    let again = t.push(&kiosk, std::slice::from_ref(&first)).await;
    assert_eq!(outcome(&again, 0), "duplicate", "the same batch pushed again is a duplicate: {}", again.body);
    let second = op(2, t.proven(claim_return(&claims[0], "o1", "o1-1", "ret-2", CompensationKind::Refund, 70_000)));
    let reply = t.push(&kiosk, std::slice::from_ref(&second)).await;
    assert_eq!(reject_code(&reply, 0), "claim_already_used", "a second op for the claim is refused: {}", reply.body);
    assert!(t.admin.ledger_for_op(&second.op_id.to_string()).expect("postings").is_empty(), "and posts nothing");
    let other_kiosk = t.enroll(POINT).await;
    let third = op(1, t.proven(claim_return(&claims[0], "o1", "o1-1", "ret-3", CompensationKind::Refund, 70_000)));
    assert_eq!(reject_code(&t.push(&other_kiosk, &[third]).await, 0), "claim_already_used", "from any device");
    assert_eq!(t.admin.account_balance("buyer:buyer-o1").expect("balance"), Kopecks(70_000), "paid exactly once");

    let status = t.admin.claim_status(&claims[0]).expect("status");
    assert_eq!(status.state, pvz_domain::ClaimState::Fulfilled, "the claim is fulfilled");
    assert_eq!(status.fulfilled_at.as_deref(), Some("2026-12-01T10:00:00.000Z"), "when the counter took it back");

    // The kiosk's amount must be the approved one; the server pays its own figure.
    let more = op(3, t.proven(claim_return(&claims[1], "o1", "o1-2", "ret-4", CompensationKind::Refund, 250_001)));
    let reply = t.push(&kiosk, std::slice::from_ref(&more)).await;
    assert_eq!(reject_code(&reply, 0), "claim_mismatch", "another amount is a mismatch: {}", reply.body);
    let replacement =
        op(4, t.proven(claim_return(&claims[1], "o1", "o1-2", "ret-5", CompensationKind::Replacement, 0)));
    assert_eq!(reject_code(&t.push(&kiosk, &[replacement]).await, 0), "claim_mismatch", "another compensation");
    let wrong_item =
        op(5, t.proven(claim_return(&claims[1], "o1", "o1-1", "ret-6", CompensationKind::Refund, 250_000)));
    assert_eq!(reject_code(&t.push(&kiosk, &[wrong_item]).await, 0), "claim_mismatch", "another item");
    let unknown = op(6, t.proven(claim_return("clm-nope", "o1", "o1-1", "ret-7", CompensationKind::Refund, 1)));
    assert_eq!(reject_code(&t.push(&kiosk, &[unknown]).await, 0), "claim_not_found", "an unknown claim");
    let report = t.admin.ledger_check().expect("ledger check");
    assert!(report.is_ok() && report.transactions == 1, "one balanced transaction in all: {report:?}");
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_revoked_or_undecided_claim_pays_nothing_but_the_item_stays_in_custody() {
    let t = start().await;
    let claims = approved_claims(&t, [refund(100_000), refund(10_000)]);
    t.admin.revoke_claim(&claims[0], "отозвана").expect("revoke");
    add_order(&t.admin, POINT, "o2", false);
    t.admin.mark_order_issued("o2").expect("issued");
    let open = t.admin.open_claim("o2", "o2-1", "брак").expect("open").claim_id.to_string();
    let kiosk = t.enroll(POINT).await;
    let revoked = op(1, t.proven(claim_return(&claims[0], "o1", "o1-1", "ret-r", CompensationKind::Refund, 100_000)));
    let undecided = op(2, t.proven(claim_return(&open, "o2", "o2-1", "ret-o", CompensationKind::Refund, 100_000)));
    let reply = t.push(&kiosk, &[revoked.clone(), undecided.clone()]).await;
    assert_eq!(reject_code(&reply, 0), "claim_revoked", "a revoked claim is refused: {}", reply.body);
    assert_eq!(reject_code(&reply, 1), "claim_not_approved", "an open claim is refused: {}", reply.body);
    assert!(t.admin.ledger_for_op(&revoked.op_id.to_string()).expect("postings").is_empty(), "nothing is paid");
    for (unit, item, op) in [("ret-r", "o1-1", &revoked), ("ret-o", "o2-1", &undecided)] {
        let chain = t.admin.custody(unit).expect("custody");
        assert_eq!(chain.len(), 1, "the unit {unit} is recorded though the op was rejected: {chain:?}");
        assert_eq!(chain[0].unit.holder, Holder::Point, "{unit} is held at the point");
        assert_eq!(chain[0].unit.pickup_point_id, POINT, "{unit} at the accepting point");
        assert_eq!(chain[0].unit.item_id.as_deref(), Some(item), "{unit} is that item");
        assert_eq!(chain[0].log[0].op_id, op.op_id.to_string(), "{unit} is logged with the op that took it in");
    }
    assert_eq!(t.admin.custody("o1-1").expect("by item").len(), 1, "the chain is found by item id too");
    assert_eq!(
        t.admin.claim_status(&claims[0]).expect("status").state,
        pvz_domain::ClaimState::Revoked,
        "still revoked"
    );
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_replacement_and_a_missing_part_become_orders_at_the_buyers_point() {
    let t = start().await;
    let part = Compensation::MissingPart { part: "пуговица".into() };
    let claims = approved_claims(&t, [Compensation::Replacement, part]);
    let home = t.enroll(POINT).await;
    let before = t.pull(&home, &[]).await;
    let cursor = before.body["cursor"].as_str().unwrap_or("").to_owned();

    let part_order = t.admin.claim_status(&claims[1]).expect("status").part_order_id.expect("a part order");
    let page = pulled_order(&before, part_order.as_str()).expect("the part order is in the buyer's point feed");
    assert_eq!(page["items"][0]["name"], "пуговица", "the part is the item");
    assert_eq!(page["items"][0]["price"], 0, "free");
    assert_eq!(page["items"][0]["prepaid"], true, "and prepaid");
    assert_eq!(page["buyer"], "Анна К.", "to the claim's buyer");

    let elsewhere = t.enroll(OTHER_POINT).await;
    let ops = [
        op(1, t.proven(claim_return(&claims[0], "o1", "o1-1", "ret-1", CompensationKind::Replacement, 0))),
        op(2, t.proven(claim_return(&claims[1], "o1", "o1-2", "ret-2", CompensationKind::MissingPart, 0))),
    ];
    let reply = t.push(&elsewhere, &ops).await;
    assert_eq!(outcome(&reply, 0), "applied", "the replacement's item is taken back at another point: {}", reply.body);
    assert_eq!(reject_code(&reply, 1), "claim_mismatch", "a missing part takes no item back: {}", reply.body);
    assert!(
        t.admin.ledger_for_op(&ops[0].op_id.to_string()).expect("postings").is_empty(),
        "a replacement moves no money"
    );

    let after = t.pull(&home, &[("cursor", &cursor)]).await;
    let replacement = after.body["changes"].as_array().and_then(|c| c.iter().find(|c| c["type"] == "upsert_order"));
    let replacement = replacement.expect("the replacement order reaches the buyer's original point");
    assert_eq!(replacement["items"][0]["name"], "Товар 1", "the same item");
    assert_eq!(replacement["items"][0]["price"], 100_000, "at its price");
    assert_eq!(replacement["items"][0]["prepaid"], true, "already paid for");
    assert_eq!(replacement["status"], "ready", "ready to be issued");
    let nothing_there = t.pull(&elsewhere, &[]).await;
    assert!(
        pulled_order(&nothing_there, replacement["order_id"].as_str().unwrap_or("")).is_none(),
        "not at the point that took the item back"
    );
    assert!(t.admin.ledger_check().expect("check").is_ok(), "the ledger balances");
    t.server.shutdown().await;
}
