//! Courier hand-backs: the manifest a kiosk of the courier's point gets, the items matched by id or
//! (offline) by code, fees per the point's policy and refunds of prepaid items posted once, defects
//! free, discrepancies recorded with missing lines left open, and every unit in custody whatever the
//! op's fate.

use crate::common::*;
use pvz_domain::{Kopecks, RefusalReason};
use pvz_server::admin::Role;
use pvz_server::db::custody::Holder;
use pvz_server::db::hand_backs::LineOutcome;
use pvz_server::db::manifests;
use pvz_server::rules::Posting;
use pvz_server::ServerError;

const MANIFEST: &str = "/v1/couriers/courier-1/manifest";

fn manifest_items(reply: &Reply) -> Vec<String> {
    reply.body["lines"]
        .as_array()
        .map(|l| l.iter().filter_map(|l| l["item_id"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_manifest_goes_only_to_the_couriers_point() {
    let t = start().await;
    add_courier_with_refusals(&t.admin);
    let manager = t.admin.add_employee(POINT, "Анна", Role::Manager, "4826").expect("a manager");
    let here = t.enroll(POINT).await;
    let reply = t.get(MANIFEST, Some(&here.credential)).await;
    assert_eq!(reply.status, 200, "the courier's point gets the manifest: {}", reply.body);
    assert_eq!(reply.body["courier"]["name"], "Иван Петров", "with the courier's name");
    assert_eq!(reply.body["courier"]["role"], "courier", "and role");
    assert_eq!(manifest_items(&reply), ["door-1", "door-2", "door-3"], "every refused item, in order");
    assert_eq!(reply.body["lines"][0]["barcode"], "4607000000113", "with the codes to scan");
    assert_eq!(reply.body["lines"][1]["prepaid"], true, "and whether it was paid for");

    let there = t.enroll(OTHER_POINT).await;
    assert_api_error(&t.get(MANIFEST, Some(&there.credential)).await, 403, "forbidden", "another point's courier");
    let unknown = "/v1/couriers/nobody/manifest";
    assert_api_error(&t.get(unknown, Some(&here.credential)).await, 404, "not_found", "an unknown courier");
    let not_courier = format!("/v1/couriers/{manager}/manifest");
    assert_api_error(&t.get(&not_courier, Some(&here.credential)).await, 404, "not_found", "a manager is no courier");
    assert_api_error(&t.get(MANIFEST, None).await, 401, "unauthorized", "a device credential is needed");

    // Retired with lines still open: the push would refuse their hand-back, so there is no manifest.
    t.admin.retire_employee("courier-1").expect("retired");
    let retired = t.get(MANIFEST, Some(&here.credential)).await;
    assert_api_error(&retired, 404, "not_found", "a retired courier is answered like an unknown one");
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_hand_back_charges_the_policy_fee_refunds_prepaid_items_and_records_discrepancies() {
    let t = start().await;
    add_courier_with_refusals(&t.admin);
    let kiosk = t.enroll(POINT).await;
    let items = vec![
        handed_back("ret-1", Some("door-1"), "4607000000113", RefusalReason::DidNotFit, 14_900),
        handed_back("ret-2", Some("door-2"), "4607000000120", RefusalReason::Defect, 0),
        handed_back("ret-x", None, "4600000000008", RefusalReason::ChangedMind, 0),
    ];
    let ops = [op(1, hand_back("hb-1", "courier-1", items))];
    let reply = t.push(&kiosk, &ops).await;
    assert_eq!(outcome(&reply, 0), "applied", "the hand-back applies: {}", reply.body);
    let p = |account: &str, amount: i64| Posting { account: account.into(), amount: Kopecks(amount) };
    assert_eq!(
        t.admin.ledger_for_op(&ops[0].op_id.to_string()).expect("postings"),
        vec![
            p("buyer:buyer-door", -14_900),
            p("network:fees", 14_900),
            p("seller:s-1", -100_000),
            p("buyer:buyer-door", 100_000),
            p("seller:s-2", -250_000),
            p("buyer:buyer-door", 250_000),
        ],
        "the clothes fee to the network, each prepaid price back to the buyer; the defect costs nothing"
    );
    assert_eq!(outcome(&t.push(&kiosk, &ops).await, 0), "duplicate", "a retry is a duplicate");
    assert_eq!(t.admin.ledger_check().expect("check").transactions, 1, "posted once");

    let lines = t.admin.hand_back_lines("hb-1").expect("lines");
    let outcomes: Vec<_> = lines.iter().map(|l| (l.outcome, l.item_id.as_deref())).collect();
    assert_eq!(
        outcomes,
        [
            (LineOutcome::Accepted, Some("door-1")),
            (LineOutcome::Accepted, Some("door-2")),
            (LineOutcome::Extra, None),
            (LineOutcome::Missing, Some("door-3")),
        ],
        "accepted items, the extra and the missing line are recorded with the hand-back"
    );
    let reply = t.get(MANIFEST, Some(&kiosk.credential)).await;
    assert_eq!(manifest_items(&reply), ["door-3"], "the missing line stays open on the manifest");
    for unit in ["ret-1", "ret-2", "ret-x"] {
        let chain = t.admin.custody(unit).expect("custody");
        assert_eq!(chain.len(), 1, "{unit} is in custody: {chain:?}");
        assert_eq!(chain[0].unit.holder, Holder::Point, "{unit} is held at the point");
        assert_eq!(chain[0].unit.source, "courier", "{unit} came from the courier");
    }
    assert!(t.admin.ledger_check().expect("check").is_ok(), "the ledger balances");
    t.server.shutdown().await;
}

#[tokio::test]
async fn an_offline_hand_back_is_matched_by_the_scanned_code() {
    let t = start().await;
    add_courier_with_refusals(&t.admin);
    let kiosk = t.enroll(POINT).await;
    let items = vec![
        handed_back("ret-1", None, "4607000000137", RefusalReason::ChangedMind, 0),
        handed_back("ret-2", None, "4607000000113", RefusalReason::WrongItem, 0),
    ];
    let ops = [op(1, hand_back("hb-off", "courier-1", items))];
    let reply = t.push(&kiosk, &ops).await;
    assert_eq!(outcome(&reply, 0), "applied", "a hand-back recorded offline applies: {}", reply.body);
    let lines = t.admin.hand_back_lines("hb-off").expect("lines");
    let accepted: Vec<_> =
        lines.iter().filter(|l| l.outcome == LineOutcome::Accepted).filter_map(|l| l.item_id.as_deref()).collect();
    assert_eq!(accepted, ["door-3", "door-1"], "each code found its manifest line");
    assert_eq!(t.admin.custody("door-3").expect("by item").len(), 1, "the unit is recorded under the matched item");
    let reply = t.get(MANIFEST, Some(&kiosk.credential)).await;
    assert_eq!(manifest_items(&reply), ["door-2"], "only the line nobody brought stays open");
    assert_eq!(
        t.admin.account_balance("buyer:buyer-door").expect("balance"),
        Kopecks(150_000),
        "both prepaid items refunded (books carry no fee; a wrong item is the seller's fault)"
    );
    t.server.shutdown().await;
}

#[tokio::test]
async fn each_recorded_line_carries_the_fee_the_ledger_charged() {
    let t = start().await;
    add_courier_with_refusals(&t.admin);
    let kiosk = t.enroll(POINT).await;
    // Offline the counter guessed the default fee for the clothes; it also put a fee on an extra.
    let items = vec![
        handed_back("ret-1", None, "4607000000113", RefusalReason::DidNotFit, 9_900),
        handed_back("ret-2", Some("door-2"), "4607000000120", RefusalReason::DidNotFit, 9_900),
        handed_back("ret-x", None, "4600000000008", RefusalReason::DidNotFit, 9_900),
    ];
    let reply = t.push(&kiosk, &[op(1, hand_back("hb-fees", "courier-1", items))]).await;
    assert_eq!(outcome(&reply, 0), "applied", "the hand-back applies: {}", reply.body);
    let lines = t.admin.hand_back_lines("hb-fees").expect("lines");
    let fees: Vec<_> = lines.iter().map(|l| (l.outcome, l.return_id.as_deref(), l.fee)).collect();
    assert_eq!(
        fees,
        [
            (LineOutcome::Accepted, Some("ret-1"), Kopecks(14_900)),
            (LineOutcome::Accepted, Some("ret-2"), Kopecks(9_900)),
            (LineOutcome::Extra, Some("ret-x"), Kopecks::ZERO),
            (LineOutcome::Missing, None, Kopecks::ZERO),
        ],
        "the clothes matched by code carry the category's fee the server charged, not the counter's guess; \
         an extra carries none"
    );
    let recorded: i64 = lines.iter().map(|l| l.fee.0).sum();
    assert_eq!(
        t.admin.account_balance("network:fees").expect("balance"),
        Kopecks(recorded),
        "the hand-back's recorded fees add up to what the network was paid"
    );
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_manifest_line_is_closed_by_one_hand_back_only() {
    let t = start().await;
    add_courier_with_refusals(&t.admin);
    // Two hand-backs that both read the line open (two devices under PostgreSQL's READ COMMITTED).
    let conn = crate::common::connect(t.dir.path());
    let (item, now) = (item_id("door-1"), pvz_server::db::now_text());
    manifests::close_line(&conn, &item, "hb-1", &now).expect("the first hand-back closes the open line");
    let err = manifests::close_line(&conn, &item, "hb-2", &now).expect_err("the second finds the line taken");
    assert!(
        matches!(err, ServerError::Conflict(_)),
        "a line taken meanwhile is a conflict: the push judges the hand-back again, with the item as an extra: {err:?}"
    );
    let closed_by: String = conn
        .query_row("SELECT hand_back_id FROM courier_manifest_lines WHERE item_id = 'door-1'", [], |r| r.get(0))
        .expect("the line");
    assert_eq!(closed_by, "hb-1", "the line stays closed by the hand-back that took it first");
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_wrong_fee_or_an_unknown_courier_is_rejected_but_the_items_stay_in_custody() {
    let t = start().await;
    add_courier_with_refusals(&t.admin);
    t.admin.add_employee_as("courier-b", OTHER_POINT, "Чужой", Role::Courier, "1111").expect("another point's courier");
    t.admin.add_employee_as("courier-old", POINT, "Ушёл", Role::Courier, "1111").expect("a courier");
    t.admin.retire_employee("courier-old").expect("retired");
    let kiosk = t.enroll(POINT).await;
    let one = |unit: &str, reason, fee| vec![handed_back(unit, Some("door-1"), "4607000000113", reason, fee)];
    let ops = [
        op(1, hand_back("hb-1", "courier-1", one("ret-1", RefusalReason::DidNotFit, 9_900))),
        op(2, hand_back("hb-2", "courier-1", one("ret-2", RefusalReason::Defect, 500))),
        op(3, hand_back("hb-3", "nobody", one("ret-3", RefusalReason::Defect, 0))),
        op(4, hand_back("hb-4", "courier-b", one("ret-4", RefusalReason::Defect, 0))),
        op(5, hand_back("hb-5", "courier-old", one("ret-5", RefusalReason::Defect, 0))),
    ];
    let reply = t.push(&kiosk, &ops).await;
    assert_eq!(reject_code(&reply, 0), "amount_mismatch", "not the clothes fee of any policy: {}", reply.body);
    assert_eq!(reject_code(&reply, 1), "invalid_op", "a defect is free: {}", reply.body);
    for (i, who) in [(2, "an unknown courier"), (3, "another point's courier"), (4, "a retired courier")] {
        assert_eq!(reject_code(&reply, i), "unknown_employee", "{who} is refused: {}", reply.body);
    }
    assert_eq!(t.admin.ledger_check().expect("check").transactions, 0, "nothing is posted");
    let manifest = t.get(MANIFEST, Some(&kiosk.credential)).await;
    assert_eq!(manifest_items(&manifest), ["door-1", "door-2", "door-3"], "no line was closed");
    for unit in ["ret-1", "ret-2", "ret-3", "ret-4", "ret-5"] {
        let chain = t.admin.custody(unit).expect("custody");
        assert_eq!(chain.len(), 1, "{unit} is recorded at the point though its hand-back was rejected");
    }
    t.server.shutdown().await;
}
