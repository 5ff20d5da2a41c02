//! Conflicting ops for the same order or claim, pushed at the same moment by two devices of one
//! point (or racing an admin), many rounds over: exactly one wins each time, the other is refused
//! with its reason, and the ledger stays clean. On SQLite the single writer orders them; on
//! PostgreSQL (`PVZ_TEST_BACKEND=postgres`) they really run at once under READ COMMITTED, and only
//! the guarded state transitions keep a sale from being posted twice.

use crate::common::*;
use pvz_domain::{Compensation, CompensationKind, Kopecks, ReturnId};
use pvz_protocol::sync::PushOp;
use pvz_protocol::{ExpiredItem, OpBody, SellerDecision};

const ROUNDS: i64 = 200;

fn sale(order: &str) -> OpBody {
    completed(order, &[&format!("{order}-1"), &format!("{order}-2")], vec![], 350_000, 0)
}

fn expiry(order: &str, round: i64) -> OpBody {
    let unit = |n: u32| ExpiredItem {
        order_id: order_id(order),
        item_id: item_id(&format!("{order}-{n}")),
        return_id: ReturnId::parse(&format!("unr-{round}-{n}")).expect("return id"),
    };
    OpBody::ShelfExpired { items: vec![unit(1), unit(2)] }
}

/// Pushes one op from each kiosk at the same moment; the two outcomes.
async fn race(t: &TestServer, first: (&Kiosk, PushOp), second: (&Kiosk, PushOp)) -> [(String, String); 2] {
    let (first_ops, second_ops) = ([first.1], [second.1]);
    let (a, b) = tokio::join!(t.push(first.0, &first_ops), t.push(second.0, &second_ops));
    [(outcome(&a, 0), reject_code(&a, 0)), (outcome(&b, 0), reject_code(&b, 0))]
}

/// Exactly one of two outcomes applied, the other rejected with a reason; which one won.
fn one_winner(outcomes: &[(String, String); 2], round: i64, what: &str) -> usize {
    let applied: Vec<usize> = (0..2).filter(|&i| outcomes[i].0 == "applied").collect();
    assert_eq!(applied.len(), 1, "round {round}: exactly one {what} wins: {outcomes:?}");
    let loser = &outcomes[1 - applied[0]];
    assert_eq!(loser.0, "rejected", "round {round}: the other {what} is rejected: {outcomes:?}");
    assert!(!loser.1.is_empty(), "round {round}: with its reason: {outcomes:?}");
    applied[0]
}

/// Whether the op paid a seller: the sale was posted (a refused sale's cash goes only to
/// reconciliation).
fn sold(t: &TestServer, op_id: &str) -> bool {
    t.admin.ledger_for_op(op_id).expect("postings").iter().any(|p| p.account.starts_with("seller:"))
}

fn assert_ledger_clean(t: &TestServer) {
    let report = t.admin.ledger_check().expect("ledger check");
    assert!(report.problems.is_empty(), "the ledger check finds nothing wrong: {:?}", report.problems);
    assert_eq!(report.total, 0, "the ledger sums to zero");
}

#[tokio::test]
async fn two_devices_issuing_one_order_at_once_sell_it_once() {
    let t = start().await;
    let (one, two) = (t.enroll(POINT).await, t.enroll(POINT).await);
    for round in 0..ROUNDS {
        let order = format!("race-{round}");
        add_order(&t.admin, POINT, &order, false);
        let (a, b) = (op(round + 1, sale(&order)), op(round + 1, sale(&order)));
        let ids = [a.op_id.to_string(), b.op_id.to_string()];
        let outcomes = race(&t, (&one, a), (&two, b)).await;
        let winner = one_winner(&outcomes, round, "sale");
        assert!(sold(&t, &ids[winner]), "round {round}: the sale is posted");
        assert!(
            !sold(&t, &ids[1 - winner]),
            "round {round}: the refused sale pays no seller (its cash awaits reconciliation)"
        );
    }
    assert_ledger_clean(&t);
    t.server.shutdown().await;
}

#[tokio::test]
async fn an_issue_racing_a_shelf_expiry_either_sells_or_returns_the_order() {
    let t = start().await;
    let (counter, back_room) = (t.enroll(POINT).await, t.enroll(POINT).await);
    for round in 0..ROUNDS {
        let order = format!("late-{round}");
        add_order(&t.admin, POINT, &order, false);
        let selling = op(round + 1, sale(&order));
        let sold_id = selling.op_id.to_string();
        let outcomes = race(&t, (&counter, selling), (&back_room, op(round + 1, expiry(&order, round)))).await;
        let winner = one_winner(&outcomes, round, "of a sale and a shelf expiry");
        assert_eq!(
            sold(&t, &sold_id),
            winner == 0,
            "round {round}: the sale is posted exactly when it won: {outcomes:?}"
        );
    }
    assert_ledger_clean(&t);
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_claim_return_racing_its_revocation_either_refunds_or_is_refused() {
    let t = start().await;
    let kiosk = t.enroll(POINT).await;
    let dir = t.dir.path().to_owned();
    for round in 0..ROUNDS / 2 {
        let order = format!("claimed-{round}");
        add_order(&t.admin, POINT, &order, true);
        t.admin.mark_order_issued(&order).expect("issued");
        let item = format!("{order}-1");
        let claim = t.admin.open_claim(&order, &item, "брак").expect("open").claim_id.to_string();
        let refund = Compensation::Refund { amount: Kopecks(50_000) };
        t.admin.decide_claim(&claim, &SellerDecision::Approve { compensation: refund }).expect("approve");
        let body =
            t.proven(claim_return(&claim, &order, &item, &format!("ret-{round}"), CompensationKind::Refund, 50_000));
        let returned = op(round + 1, body);
        let returned_id = returned.op_id.to_string();
        let revoking = {
            let (dir, claim) = (dir.clone(), claim.clone());
            tokio::task::spawn_blocking(move || admin(&dir).revoke_claim(&claim, "продавец отозвал").is_ok())
        };
        let pushed = [returned];
        let (reply, revoked) = tokio::join!(t.push(&kiosk, &pushed), revoking);
        let revoked = revoked.expect("the revocation ran");
        let applied = outcome(&reply, 0) == "applied";
        assert!(
            applied != revoked,
            "round {round}: either the return or the revocation wins, not both or neither: {}",
            reply.body
        );
        if revoked {
            assert_eq!(
                outcome(&reply, 0),
                "rejected",
                "round {round}: the return of a revoked claim is refused: {}",
                reply.body
            );
        }
        let posted = !t.admin.ledger_for_op(&returned_id).expect("postings").is_empty();
        assert_eq!(posted, applied, "round {round}: the refund is posted exactly when the return won");
    }
    assert_ledger_clean(&t);
    t.server.shutdown().await;
}
