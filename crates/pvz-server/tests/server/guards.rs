//! Guarded state moves: every write that moves a state names the state it was judged in, so two
//! server instances (PostgreSQL, READ COMMITTED) that both read an order ready cannot both sell it,
//! or sell and cancel it; and the network's operator cannot cancel an order already sold.

use crate::common::*;
use pvz_domain::{Kopecks, PickupPointId};
use pvz_server::db::orders::{self, OrderState};
use pvz_server::db::{self, ledger, shelf};
use pvz_server::rules::Posting;
use pvz_server::ServerError;

fn sale() -> Vec<Posting> {
    vec![
        Posting { account: "buyer:buyer-o1".into(), amount: Kopecks(-350_000) },
        Posting { account: "seller:s-1".into(), amount: Kopecks(350_000) },
    ]
}

/// Two counters both read the order ready and both complete its issue, their writes after both
/// reads (nothing orders them under READ COMMITTED): the second guarded write finds the order
/// issued and is refused, so the sale is posted once.
#[tokio::test]
async fn a_second_issue_of_one_order_is_refused_by_its_guard_and_the_sale_is_posted_once() {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", false);
    let conn = connect(t.dir.path());
    let (point, order) = (PickupPointId::parse(POINT).expect("point id"), order_id("o1"));
    let read = orders::get_order_facts(&conn, &order).expect("read").expect("the order exists");
    assert_eq!(read.state, OrderState::Ready, "both counters judged the order waiting");

    let mut moves = Vec::new();
    for op_id in ["op-counter-1", "op-counter-2"] {
        let tx = conn.transaction().expect("transaction");
        let at = Some("2026-12-01T10:00:00.000Z");
        let moved = orders::set_order_state(&tx, &point, &order, OrderState::Ready, OrderState::Issued, at);
        if moved.is_ok() {
            ledger::post_transaction(&tx, op_id, "issue_completed", &point, &sale(), "now").expect("post the sale");
        }
        tx.commit().expect("commit");
        moves.push(moved);
    }

    assert!(moves[0].is_ok(), "the first issue moves the ready order: {:?}", moves[0]);
    match &moves[1] {
        Err(ServerError::Conflict(m)) => {
            assert!(m.contains("issued") && m.contains("ready"), "the refusal says what the order is now: {m}")
        }
        other => panic!("the second issue of one order must be refused as a conflict, got {other:?}"),
    }
    let report = t.admin.ledger_check().expect("ledger check");
    assert_eq!(report.transactions, 1, "the sale is posted once, not once per counter: {report:?}");
    assert!(report.is_ok() && report.total == 0, "the ledger balances: {report:?}");
    assert!(t.admin.ledger_for_op("op-counter-2").expect("postings").is_empty(), "the refused issue posts nothing");
    let now = orders::get_order_facts(&conn, &order).expect("read").expect("the order exists");
    assert_eq!(now.state, OrderState::Issued, "the order stays issued");
    t.server.shutdown().await;
}

/// A counter issues the order while another moves it off the shelf as unredeemed: whichever writes
/// second is refused, so an order is never both sold and sent back.
#[tokio::test]
async fn an_order_issued_meanwhile_is_not_cancelled_as_unredeemed_nor_issued_once_cancelled() {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", false);
    add_order(&t.admin, POINT, "o2", false);
    let conn = connect(t.dir.path());
    let point = PickupPointId::parse(POINT).expect("point id");
    let (o1, o2) = (order_id("o1"), order_id("o2"));

    orders::set_order_state(&conn, &point, &o1, OrderState::Ready, OrderState::Issued, Some("then")).expect("issue o1");
    let expired = shelf::cancel_unredeemed(&conn, &point, &o1, "op-expiry");
    assert!(
        matches!(&expired, Err(ServerError::Conflict(m)) if m.contains("issued")),
        "an issued order is not cancelled as unredeemed: {expired:?}"
    );
    let o1_now = orders::get_order_facts(&conn, &o1).expect("read").expect("o1");
    assert_eq!(o1_now.state, OrderState::Issued, "o1 stays issued");

    shelf::cancel_unredeemed(&conn, &point, &o2, "op-expiry").expect("o2 leaves the shelf");
    let issued = orders::set_order_state(&conn, &point, &o2, OrderState::Ready, OrderState::Issued, Some("then"));
    assert!(
        matches!(&issued, Err(ServerError::Conflict(m)) if m.contains("cancelled")),
        "an order cancelled as unredeemed is not issued: {issued:?}"
    );
    let elsewhere = PickupPointId::parse(OTHER_POINT).expect("point id");
    let foreign = orders::set_order_state(&conn, &elsewhere, &o2, OrderState::Ready, OrderState::Cancelled, None);
    assert!(matches!(foreign, Err(ServerError::NotFound(_))), "another point's order is not found: {foreign:?}");
    t.server.shutdown().await;
}

/// Cancelling is for an order still waiting: an issued order's money was taken at the counter, and
/// undoing a sale is a return. The admin API and the CLI refuse it and the order stays issued.
#[tokio::test]
async fn the_admin_cannot_cancel_an_issued_order() {
    let t = start().await;
    for id in ["sold", "waiting"] {
        add_order(&t.admin, POINT, id, false);
    }
    let kiosk = t.enroll(POINT).await;
    let sold = t.push(&kiosk, &[op(1, completed("sold", &["sold-1", "sold-2"], vec![], 350_000, 0))]).await;
    assert_eq!(outcome(&sold, 0), "applied", "the counter sells the order: {}", sold.body);

    let refused = t.admin.cancel_order("sold").expect_err("an issued order is not cancelled");
    assert!(
        matches!(&refused, ServerError::Conflict(m) if m.contains("issued") && m.contains("return")),
        "the refusal says the order was issued and points to the returns: {refused:?}"
    );
    let cli = pvz_server(t.dir.path(), &["cancel-order", "--order", "sold"]);
    assert!(!cli.ok, "the CLI exits non-zero: {}", cli.stdout);
    assert!(cli.stderr.contains("was issued"), "the CLI prints why: {}", cli.stderr);

    let conn = connect(t.dir.path());
    let state = |id: &str| orders::get_order_facts(&conn, &order_id(id)).expect("read").expect("order").state;
    assert_eq!(state("sold"), OrderState::Issued, "the sold order stays issued");
    let page = t.pull(&kiosk, &[]).await;
    let pulled = pulled_order(&page, "sold").expect("the sold order is in the feed, not a tombstone");
    assert_eq!(pulled["status"], "issued", "kiosks keep seeing it issued: {pulled}");

    let cancelled = pvz_server(t.dir.path(), &["cancel-order", "--order", "waiting"]);
    assert!(cancelled.ok, "a waiting order is cancelled: {}", cancelled.stderr);
    assert_eq!(state("waiting"), OrderState::Cancelled, "the waiting order is cancelled");
    let again = t.admin.cancel_order("waiting").expect_err("a cancelled order is not cancelled twice");
    assert!(
        matches!(&again, ServerError::Conflict(m) if m.contains("cancelled already")),
        "a repeated cancel says so rather than passing in silence: {again:?}"
    );
    let report = t.admin.ledger_check().expect("ledger check");
    assert_eq!(report.transactions, 1, "only the sale is in the ledger; refusals post nothing: {report:?}");
    t.server.shutdown().await;
}

/// A guarded write that finds its state moved under a push rolls back what the op wrote and judges
/// it again; a state that moves again rolls the batch back as busy, leaving nothing half-applied,
/// and the kiosk's retry applies the op once. (SQLite's single writer never lets a state move
/// between an op's read and its write; a trigger that ignores the order's update stands in for the
/// other instance that commits in between under PostgreSQL.)
#[tokio::test]
async fn a_push_whose_guarded_write_keeps_failing_is_rolled_back_whole_and_retried() {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", false);
    let kiosk = t.enroll(POINT).await;
    let conn = connect(t.dir.path());
    let (create, drop) = match conn.dialect() {
        db::Dialect::Sqlite => (
            "CREATE TRIGGER another_instance BEFORE UPDATE OF status ON orders WHEN OLD.id = 'o1'
             BEGIN SELECT RAISE(IGNORE); END",
            "DROP TRIGGER another_instance",
        ),
        db::Dialect::Postgres => (
            "CREATE FUNCTION another_instance() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NULL; END';
             CREATE TRIGGER another_instance BEFORE UPDATE OF status ON orders
                 FOR EACH ROW WHEN (OLD.id = 'o1') EXECUTE FUNCTION another_instance()",
            "DROP TRIGGER another_instance ON orders",
        ),
    };
    conn.execute_batch(create).expect("the stand-in for a concurrent commit");
    let ops = [op(1, completed("o1", &["o1-1", "o1-2"], vec![], 350_000, 0))];

    let busy = t.push(&kiosk, &ops).await;
    assert_api_error(&busy, 503, "unavailable", "a state that keeps moving under the op");
    let report = t.admin.ledger_check().expect("ledger check");
    assert_eq!(report.transactions, 0, "nothing of the op is posted: {report:?}");
    assert_eq!(t.admin.op_counts(&kiosk.device_id).expect("counts").last_seq, 0, "nor is the op stored");

    conn.execute_batch(drop).expect("the other instance is done");
    let retried = t.push(&kiosk, &ops).await;
    assert_eq!(outcome(&retried, 0), "applied", "the kiosk's retry applies the op: {}", retried.body);
    assert_eq!(t.admin.ledger_check().expect("ledger check").transactions, 1, "and its sale is posted once");
    t.server.shutdown().await;
}
