//! Push: exactly-once by seq, stored results, gaps, permanent rejections, seq conflicts, concurrent
//! retries, and the ledger postings of completed issues.

use crate::common::*;
use pvz_domain::{Kopecks, RefusalReason};
use pvz_server::rules::Posting;

#[tokio::test]
async fn ops_apply_once_and_a_retry_gets_the_stored_results() {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", false);
    let kiosk = t.enroll(POINT).await;
    let ops = vec![op(1, opened("o1")), op(2, completed("o1", &["o1-1", "o1-2"], vec![], 350_000, 0))];
    let first = t.push(&kiosk, &ops).await;
    assert_eq!(first.status, 200, "push succeeds: {}", first.body);
    assert_eq!((outcome(&first, 0), outcome(&first, 1)), ("applied".into(), "applied".into()), "both ops applied");
    assert_eq!(first.body["last_seq"], 2, "last_seq is the highest handled seq");

    let again = t.push(&kiosk, &ops).await;
    assert_eq!(again.status, 200, "a retried push succeeds: {}", again.body);
    assert_eq!(outcome(&again, 1), "duplicate", "a retried seq is a duplicate");
    assert_eq!(again.body["results"][1]["outcome"]["original"]["status"], "applied", "with the stored original");
    let counts = t.admin.op_counts(&kiosk.device_id).expect("counts");
    assert_eq!((counts.applied, counts.last_seq), (2, 2), "nothing was applied twice");
    let report = t.admin.ledger_check().expect("ledger check");
    assert!(report.is_ok() && report.transactions == 1, "one ledger transaction, balanced: {report:?}");
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_gap_stops_the_batch_and_names_the_expected_seq() {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", false);
    let kiosk = t.enroll(POINT).await;
    let reply = t.push(&kiosk, &[op(1, opened("o1")), op(3, opened("o1")), op(4, opened("o1"))]).await;
    assert_eq!(reply.status, 200, "a gap is not an error: {}", reply.body);
    assert_eq!(reply.body["results"].as_array().map(Vec::len), Some(1), "only the op before the gap has a result");
    assert_eq!(reply.body["gap"], serde_json::json!({"expected_seq": 2, "got_seq": 3}), "the gap says where to resume");
    assert_eq!(t.admin.op_counts(&kiosk.device_id).expect("counts").last_seq, 1, "nothing after the gap is stored");
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_rejected_op_is_stored_and_later_ops_still_apply() {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", false);
    let kiosk = t.enroll(POINT).await;
    let reply = t
        .push(
            &kiosk,
            &[
                op(1, opened("no-such-order")),
                op(2, pvz_protocol::OpBody::ItemDecisionCleared { order_id: order_id("o1"), item_id: item_id("zzz") }),
                op(3, opened("o1")),
            ],
        )
        .await;
    assert_eq!(reply.status, 200, "push succeeds: {}", reply.body);
    assert_eq!(reply.body["results"][0]["outcome"]["code"], "order_not_found", "unknown order is rejected");
    assert_eq!(reply.body["results"][1]["outcome"]["code"], "item_not_in_order", "foreign item is rejected");
    assert_eq!(outcome(&reply, 2), "applied", "a rejection does not block later ops");
    let again = t.push(&kiosk, &[]).await;
    assert_eq!(again.body["last_seq"], 3, "rejections advance the seq");
    let counts = t.admin.op_counts(&kiosk.device_id).expect("counts");
    assert_eq!((counts.applied, counts.rejected), (1, 2), "rejections are stored");
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_seq_reused_with_another_op_id_is_a_conflict() {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", false);
    let kiosk = t.enroll(POINT).await;
    assert_eq!(t.push(&kiosk, &[op(1, opened("o1"))]).await.status, 200, "first push");
    let reply = t.push(&kiosk, &[op(1, opened("o1")), op(2, opened("o1"))]).await;
    assert_api_error(&reply, 409, "seq_conflict", "same seq, new op id");
    assert_eq!(t.admin.op_counts(&kiosk.device_id).expect("counts").last_seq, 1, "nothing of the batch was kept");
    t.server.shutdown().await;
}

#[tokio::test]
async fn the_same_batch_pushed_twice_at_once_applies_each_op_once() {
    let t = start().await;
    let kiosk = t.enroll(POINT).await;
    let orders: Vec<String> = (0..40).map(|i| format!("c{i}")).collect();
    for id in &orders {
        add_order(&t.admin, POINT, id, false);
    }
    let ops: Vec<_> = orders
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let handed = [format!("{id}-1"), format!("{id}-2")];
            op(i as i64 + 1, completed(id, &[&handed[0], &handed[1]], vec![], 350_000, 0))
        })
        .collect();
    let (a, b) = tokio::join!(t.push(&kiosk, &ops), t.push(&kiosk, &ops));
    assert_eq!((a.status, b.status), (200, 200), "both pushes succeed: {} / {}", a.body, b.body);
    let applied = |r: &Reply| (0..ops.len()).filter(|i| outcome(r, *i) == "applied").count();
    assert_eq!(applied(&a) + applied(&b), ops.len(), "each op is applied by exactly one of the two pushes");
    let report = t.admin.ledger_check().expect("ledger check");
    assert_eq!(report.transactions, ops.len() as u64, "one ledger transaction per op: {report:?}");
    assert!(report.is_ok(), "the ledger balances: {report:?}");
    t.server.shutdown().await;
}

#[tokio::test]
async fn completed_issues_post_the_servers_figures_to_the_ledger() {
    let t = start().await;
    for (id, prepaid) in [("pay", false), ("pre", true), ("fee", false), ("def", false)] {
        add_order(&t.admin, POINT, id, prepaid);
    }
    let kiosk = t.enroll(POINT).await;
    let ops = vec![
        // Pay on pickup, everything handed over: buyer pays both sellers.
        op(1, completed("pay", &["pay-1", "pay-2"], vec![], 350_000, 0)),
        // Prepaid, shoes refused (did not fit, 99 ₽ fee): the fee is collected, the shoes refunded.
        op(2, completed("pre", &["pre-1"], vec![refused("pre-2", RefusalReason::DidNotFit, 9_900)], 9_900, 250_000)),
        // Pay on pickup, clothes refused for a non-defect reason with the clothes fee.
        op(3, completed("fee", &["fee-2"], vec![refused("fee-1", RefusalReason::ChangedMind, 14_900)], 264_900, 0)),
        // Defect refusal: free.
        op(4, completed("def", &["def-2"], vec![refused("def-1", RefusalReason::Defect, 0)], 250_000, 0)),
    ];
    let reply = t.push(&kiosk, &ops).await;
    assert_eq!(reply.status, 200, "push succeeds: {}", reply.body);
    for i in 0..4 {
        assert_eq!(outcome(&reply, i), "applied", "op {i} applies: {}", reply.body);
    }
    let p = |account: &str, amount: i64| Posting { account: account.into(), amount: Kopecks(amount) };
    let ledger = |i: usize| t.admin.ledger_for_op(&ops[i].op_id.to_string()).expect("postings");
    assert_eq!(
        ledger(0),
        vec![
            p("buyer:buyer-pay", -100_000),
            p("seller:s-1", 100_000),
            p("buyer:buyer-pay", -250_000),
            p("seller:s-2", 250_000)
        ],
        "goods paid at the counter go from the buyer to each seller"
    );
    assert_eq!(
        ledger(1),
        vec![
            p("buyer:buyer-pre", -9_900),
            p("network:fees", 9_900),
            p("seller:s-2", -250_000),
            p("buyer:buyer-pre", 250_000)
        ],
        "a prepaid refusal: fee to the network, refund from the seller"
    );
    assert_eq!(
        ledger(2),
        vec![
            p("buyer:buyer-fee", -250_000),
            p("seller:s-2", 250_000),
            p("buyer:buyer-fee", -14_900),
            p("network:fees", 14_900)
        ],
        "a non-defect refusal carries its fee"
    );
    assert_eq!(
        ledger(3),
        vec![p("buyer:buyer-def", -250_000), p("seller:s-2", 250_000)],
        "a defect refusal costs nothing"
    );
    assert_eq!(t.admin.account_balance("network:fees").expect("balance"), Kopecks(24_800), "fees add up");
    let report = t.admin.ledger_check().expect("check");
    assert!(report.is_ok() && report.total == 0, "the ledger sums to zero: {report:?}");

    // The issued order reaches the kiosk as issued, with the op's time.
    let page = t.pull(&kiosk, &[]).await;
    let pay = page.body["changes"].as_array().and_then(|c| c.iter().find(|c| c["order_id"] == "pay")).cloned();
    let pay = pay.expect("the issued order is in the feed");
    assert_eq!(pay["status"], "issued", "pull carries the new status");
    assert_eq!(pay["issued_at"], "2026-12-01T10:00:00.000Z", "issued_at is the op's created_at");
    t.server.shutdown().await;
}

#[tokio::test]
async fn wrong_amounts_and_closed_orders_are_rejected_without_postings() {
    let t = start().await;
    for id in ["mis", "done", "gone"] {
        add_order(&t.admin, POINT, id, false);
    }
    let kiosk = t.enroll(POINT).await;
    t.admin.mark_order_issued("done").expect("issue elsewhere");
    t.admin.cancel_order("gone").expect("cancel");
    let ops = vec![
        op(1, completed("mis", &["mis-1", "mis-2"], vec![], 349_999, 0)),
        op(2, completed("done", &["done-1", "done-2"], vec![], 350_000, 0)),
        op(3, completed("gone", &["gone-1", "gone-2"], vec![], 350_000, 0)),
        op(4, completed("mis", &["mis-1"], vec![refused("mis-2", RefusalReason::Defect, 500)], 100_500, 0)),
    ];
    let reply = t.push(&kiosk, &ops).await;
    assert_eq!(reply.status, 200, "push succeeds: {}", reply.body);
    let code = |i: usize| reply.body["results"][i]["outcome"]["code"].as_str().unwrap_or("none").to_owned();
    assert_eq!(code(0), "amount_mismatch", "a wrong total is an amount mismatch");
    let message = reply.body["results"][0]["outcome"]["message"].as_str().unwrap_or("");
    assert!(message.contains("3\u{a0}499,99") && message.contains("3\u{a0}500,00"), "both figures: {message}");
    assert_eq!(code(1), "order_closed", "an order issued elsewhere is closed");
    assert_eq!(code(2), "order_closed", "a cancelled order is closed");
    assert_eq!(code(3), "invalid_op", "a charged defect is invalid");
    for (i, op) in ops.iter().enumerate() {
        let postings = t.admin.ledger_for_op(&op.op_id.to_string()).expect("postings");
        assert!(
            postings.iter().all(|p| p.account.starts_with("point_cash:") || p.account == "network:unreconciled"),
            "rejected op {i} moves no buyer, seller or fee money, only the cash held at the counter: {postings:?}"
        );
    }
    t.server.shutdown().await;
}

/// A rejected issue whose cash was taken at the counter still shows in the ledger: the point holds the
/// money, awaiting reconciliation, exactly once per op.
#[tokio::test]
async fn cash_taken_for_a_rejected_issue_is_held_at_the_point_awaiting_reconciliation() {
    let t = start().await;
    for id in ["gone", "mis", "free"] {
        add_order(&t.admin, POINT, id, false);
    }
    let kiosk = t.enroll(POINT).await;
    t.admin.cancel_order("gone").expect("cancelled while the kiosk was offline");
    t.admin.cancel_order("free").expect("cancelled");
    let mut unpaid = completed("free", &["free-1", "free-2"], vec![], 350_000, 0);
    if let pvz_protocol::OpBody::IssueCompleted { payment_taken, .. } = &mut unpaid {
        *payment_taken = false;
    }
    let ops = vec![
        op(1, completed("gone", &["gone-1", "gone-2"], vec![], 350_000, 0)),
        op(2, completed("mis", &["mis-1", "mis-2"], vec![], 349_999, 0)),
        op(3, unpaid),
    ];
    let reply = t.push(&kiosk, &ops).await;
    let code = |i: usize| reply.body["results"][i]["outcome"]["code"].as_str().unwrap_or("none").to_owned();
    assert_eq!((code(0), code(1)), ("order_closed".into(), "amount_mismatch".into()), "both are rejected");
    let p = |account: &str, amount: i64| Posting { account: account.into(), amount: Kopecks(amount) };
    let ledger = |i: usize| t.admin.ledger_for_op(&ops[i].op_id.to_string()).expect("postings");
    assert_eq!(
        ledger(0),
        vec![p("point_cash:pp-a", 350_000), p("network:unreconciled", -350_000)],
        "the cash taken for a cancelled order is held at the point"
    );
    assert_eq!(
        ledger(1),
        vec![p("point_cash:pp-a", 349_999), p("network:unreconciled", -349_999)],
        "the cash taken for a mismatched issue is held at the point"
    );
    assert!(ledger(2).is_empty(), "no cash taken, nothing held");
    let again = t.push(&kiosk, &ops).await;
    assert_eq!(outcome(&again, 0), "duplicate", "a retry is a duplicate: {}", again.body);
    let report = t.admin.ledger_check().expect("check");
    assert_eq!(report.transactions, 2, "one held-cash transaction per rejected paid op, not again on retry");
    assert!(report.is_ok() && report.total == 0, "the ledger balances: {report:?}");
    assert_eq!(report.unreconciled_cash, 699_999, "ledger check reports the cash awaiting reconciliation");
    t.server.shutdown().await;
}

/// The server is the authority for refusal fees: a buyer-side refusal must charge what the point's
/// fee policy says for the item's category, now or at an earlier policy the kiosk may have fixed the
/// fee under while offline.
#[tokio::test]
async fn refusal_fees_must_match_the_points_current_or_an_earlier_policy() {
    let t = start().await;
    for id in ["honest", "older", "inflated"] {
        add_order(&t.admin, POINT, id, false);
    }
    let kiosk = t.enroll(POINT).await;
    // The clothes fee is 149 ₽ when the kiosk records the first two refusals offline; then it changes.
    let honest = op(
        1,
        completed("honest", &["honest-2"], vec![refused("honest-1", RefusalReason::DidNotFit, 14_900)], 264_900, 0),
    );
    let older =
        op(2, completed("older", &["older-2"], vec![refused("older-1", RefusalReason::DidNotFit, 14_900)], 264_900, 0));
    let mut cheaper = policy();
    cheaper.per_category.insert("clothes".into(), Kopecks(12_900));
    t.admin.set_fee_policy(POINT, &cheaper).expect("the point's fee policy changes");
    let inflated = op(
        3,
        completed(
            "inflated",
            &["inflated-2"],
            vec![refused("inflated-1", RefusalReason::DidNotFit, 99_900)],
            349_900,
            0,
        ),
    );
    let reply = t.push(&kiosk, &[honest.clone(), older.clone(), inflated.clone()]).await;
    assert_eq!(reply.status, 200, "push succeeds: {}", reply.body);
    assert_eq!(outcome(&reply, 0), "applied", "the fee of the policy in force applies: {}", reply.body);
    assert_eq!(outcome(&reply, 1), "applied", "a fee fixed under an earlier policy still applies: {}", reply.body);
    assert_eq!(outcome(&reply, 2), "rejected", "a fee no policy of the point ever had is refused: {}", reply.body);
    let rejection = &reply.body["results"][2]["outcome"];
    assert_eq!(rejection["code"], "amount_mismatch", "an inflated fee is an amount mismatch: {rejection}");
    let message = rejection["message"].as_str().unwrap_or("");
    assert!(
        message.contains("inflated-1") && message.contains("999,00") && message.contains("129,00"),
        "the message names the item, the fee sent and the policy's fee: {message}"
    );
    let postings = t.admin.ledger_for_op(&inflated.op_id.to_string()).expect("postings");
    assert!(
        postings.iter().all(|p| p.account.starts_with("point_cash:") || p.account == "network:unreconciled"),
        "no fee or goods are posted for the refused op, only the cash the counter holds: {postings:?}"
    );
    assert_eq!(t.admin.account_balance("network:fees").expect("balance"), Kopecks(29_800), "only honest fees posted");
    t.server.shutdown().await;
}

/// Amounts past the server's cap are refused as invalid ops, nothing is posted, and the server keeps
/// serving (an overflow used to panic while holding the writer, answering 500 until a restart).
#[tokio::test]
async fn huge_amounts_are_rejected_and_the_server_keeps_serving() {
    let t = start().await;
    for id in ["huge", "fine"] {
        add_order(&t.admin, POINT, id, false);
    }
    let kiosk = t.enroll(POINT).await;
    let fee = i64::MAX / 2 + 1;
    let huge = op(
        1,
        completed(
            "huge",
            &[],
            vec![refused("huge-1", RefusalReason::DidNotFit, fee), refused("huge-2", RefusalReason::ChangedMind, fee)],
            i64::MAX,
            0,
        ),
    );
    let reply = t.push(&kiosk, &[huge]).await;
    assert_eq!(reply.status, 200, "push succeeds: {}", reply.body);
    assert_eq!(reply.body["results"][0]["outcome"]["code"], "invalid_op", "a huge fee is invalid: {}", reply.body);
    let fine = t.push(&kiosk, &[op(2, completed("fine", &["fine-1", "fine-2"], vec![], 350_000, 0))]).await;
    assert_eq!(outcome(&fine, 0), "applied", "later pushes still apply: {}", fine.body);
    assert!(t.admin.ledger_check().expect("check").is_ok(), "the ledger stays sound");
    let mut greedy = policy();
    greedy.default_fee = Kopecks(1_000_000_000_001);
    assert!(t.admin.set_fee_policy(POINT, &greedy).is_err(), "a fee above the cap cannot enter a policy");
    t.server.shutdown().await;
}

/// An op id already pushed by another device is a conflict, and the answer does not tell this device
/// which other device holds it.
#[tokio::test]
async fn an_op_id_of_another_device_is_a_conflict_that_names_no_other_device() {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", false);
    let first = t.enroll(POINT).await;
    let second = t.enroll(POINT).await;
    let shared = op(1, opened("o1"));
    assert_eq!(
        outcome(&t.push(&first, std::slice::from_ref(&shared)).await, 0),
        "applied",
        "the first device applies it"
    );
    let reply = t.push(&second, &[shared]).await;
    assert_api_error(&reply, 409, "seq_conflict", "the same op id from another device");
    let message = reply.body["message"].as_str().unwrap_or("");
    assert!(!message.contains(&first.device_id), "the message must not name another device's id: {message}");
    t.server.shutdown().await;
}
