//! The seller's views behind the web page: the inbox's folders and counts for claims in every state,
//! a claim's case with the counter's events from real pushed ops (and 404 for another seller), and
//! the balance moving once on an approval with a partial refund, its ledger line naming the claim.

use crate::common::*;
use crate::web_session::{sign_in, with_cookie};
use pvz_domain::CompensationKind;
use pvz_protocol::sync::PushOp;
use pvz_server::credentials::PartyKind;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// An issued prepaid order `id` paid 20 days ago with an open claim on its s-1 item; the claim id.
fn claimed_order(t: &TestServer, id: &str) -> String {
    add_order(&t.admin, POINT, id, true);
    t.admin.mark_order_issued(id).expect("issued");
    paid_20_days_ago(&t.admin, id);
    t.admin.open_claim(id, &format!("{id}-1"), "шов разошёлся").expect("open").claim_id.to_string()
}

async fn act(t: &TestServer, claim: &str, credential: &str, body: Value) {
    let reply = t.post_json(&format!("/v1/claims/{claim}/actions"), Some(credential), &body).await;
    assert_eq!(reply.status, 200, "the action {body} is taken: {}", reply.body);
}

fn ids(inbox: &Value) -> BTreeSet<String> {
    inbox["claims"].as_array().into_iter().flatten().filter_map(|c| c["claim_id"].as_str().map(str::to_owned)).collect()
}

#[tokio::test]
async fn the_inbox_sorts_claims_into_folders_by_decision_and_item_fate_with_counts() {
    let t = start().await;
    let claims: Vec<String> = (1..=6).map(|n| claimed_order(&t, &format!("o{n}"))).collect();
    let s1 = t.admin.issue_seller_credential("s-1").expect("seller credential");
    let front = t.admin.issue_party_credential(PartyKind::BuyerFront, "front").expect("buyer-front credential");
    let refund = json!({"kind": "refund", "amount": 1_000});
    act(&t, &claims[1], &s1, json!({"action": "approve_via_pickup_point", "compensation": refund})).await;
    act(&t, &claims[2], &s1, json!({"action": "reject", "template": "signs_of_use"})).await;
    act(&t, &claims[3], &s1, json!({"action": "reject", "template": "signs_of_use"})).await;
    act(&t, &claims[3], &front, json!({"action": "dispute", "comment": "Брак был с самого начала"})).await;
    act(&t, &claims[4], &s1, json!({"action": "approve_without_return", "compensation": refund})).await;
    act(&t, &claims[5], &s1, json!({"action": "reject", "template": "signs_of_use"})).await;
    let long_ago = (chrono::Utc::now() - chrono::Duration::days(40)).to_rfc3339();
    let moved = connect(t.dir.path())
        .execute("UPDATE claims SET decided_at = ?1 WHERE id = ?2", [long_ago.as_str(), claims[5].as_str()])
        .expect("decided 40 days ago");
    assert_eq!(moved, 1, "one claim is made old");
    // Another seller's claim is in none of s-1's folders.
    t.admin.open_claim("o1", "o1-2", "не работает").expect("a claim of s-2");

    let expected = [
        ("new", vec![&claims[0]]),
        ("awaiting_item", vec![&claims[1]]),
        ("decided", vec![&claims[2], &claims[4]]),
        ("disputed", vec![&claims[3]]),
        ("archive", vec![&claims[5]]),
    ];
    for (filter, want) in &expected {
        let inbox = t.get(&format!("/v1/seller/inbox?filter={filter}"), Some(&s1)).await;
        assert_eq!(inbox.status, 200, "the {filter} folder is listed: {}", inbox.body);
        assert_eq!(inbox.body["filter"], *filter, "the answer names its folder");
        let want: BTreeSet<String> = want.iter().map(|c| (*c).clone()).collect();
        assert_eq!(ids(&inbox.body), want, "the {filter} folder holds exactly its claims: {}", inbox.body);
        let counts = &inbox.body["counts"];
        assert_eq!(
            (&counts["new"], &counts["awaiting_item"], &counts["decided"], &counts["disputed"], &counts["archive"]),
            (&json!(1), &json!(1), &json!(2), &json!(1), &json!(1)),
            "every folder's count, whichever is listed: {counts}"
        );
    }
    let new = t.get("/v1/seller/inbox", Some(&s1)).await;
    assert_eq!(new.body["filter"], "new", "no filter lists the new claims");
    let actions = new.body["claims"][0]["actions"].as_array().cloned().unwrap_or_default();
    assert!(
        actions.contains(&json!("approve_via_pickup_point")),
        "a new claim carries the seller's actions: {actions:?}"
    );
    let bad = t.get("/v1/seller/inbox?filter=everything", Some(&s1)).await;
    assert_api_error(&bad, 400, "bad_request", "a filter that is no folder");
}

/// `op` as the counter did it at `time`.
fn at(time: &str, op: PushOp) -> PushOp {
    PushOp { created_at: time.into(), ..op }
}

#[tokio::test]
async fn a_claims_case_shows_the_item_order_and_the_counters_events_from_pushed_ops() {
    let t = start().await;
    let orders = [expected_order("in1", "111111", 1), expected_order("in2", "222222", 1)];
    t.admin.add_shipment(POINT, Some("shp-1"), "SHP1", None, &orders).expect("shipment");
    let kiosk = t.enroll(POINT).await;
    let received = pvz_protocol::OpBody::ShipmentReceived {
        shipment_id: "shp-1".into(),
        placed: vec![placed("in1", "in1-1", "A-01")],
        missing: vec![],
        unexpected: vec![],
        damaged: vec![damaged("in2", "in2-1", "вмятина на коробке")],
    };
    let issue = completed("in1", &["in1-1"], vec![], 100_000, 0);
    let ops = [at("2026-12-01T09:00:00.000Z", op(1, received)), at("2026-12-01T10:00:00.000Z", op(2, issue))];
    let pushed = t.push(&kiosk, &ops).await;
    assert_eq!((outcome(&pushed, 0), outcome(&pushed, 1)), ("applied".into(), "applied".into()), "{}", pushed.body);
    // Paid at the counter 6 days before: a marketplace return, which the operator decides.
    let claim = t.admin.open_claim("in1", "in1-1", "молния сломалась").expect("open").claim_id.to_string();
    let s1 = t.admin.issue_seller_credential("s-1").expect("seller credential");
    let operator = t.admin.issue_party_credential(PartyKind::Operator, "op-1").expect("operator credential");
    let refund = json!({"kind": "refund", "amount": 100_000});
    act(&t, &claim, &operator, json!({"action": "approve_via_pickup_point", "compensation": refund})).await;
    let back = claim_return(&claim, "in1", "in1-1", "ret-1", CompensationKind::Refund, 100_000);
    let returned = t.push(&kiosk, &[at("2026-12-01T11:00:00.000Z", op(3, t.proven(back)))]).await;
    assert_eq!(outcome(&returned, 0), "applied", "the claim return applies: {}", returned.body);

    let case = t.get(&format!("/v1/claims/{claim}/case"), Some(&s1)).await;
    assert_eq!(case.status, 200, "the seller reads its claim's case: {}", case.body);
    assert_eq!(case.body["claim"]["claim_id"], claim.as_str(), "the claim: {}", case.body);
    assert_eq!(case.body["item"]["item_id"], "in1-1", "the item: {}", case.body);
    assert_eq!(case.body["item"]["price"], 100_000, "as sold: {}", case.body);
    assert_eq!(case.body["order"], json!({"order_id": "in1", "pickup_point_id": POINT}), "its order and point");
    let events: Vec<(String, String, String, Value)> = case.body["counter_events"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            let text = |k: &str| e[k].as_str().unwrap_or_default().to_owned();
            (text("at"), text("kind"), text("pickup_point_id"), e["detail"].clone())
        })
        .collect();
    let event = |time: &str, kind: &str, detail: Value| {
        (format!("2026-12-01T{time}:00:00.000Z"), kind.into(), POINT.into(), detail)
    };
    assert_eq!(
        events,
        [
            event("09", "received", json!("cell A-01")),
            event("10", "issued", Value::Null),
            event("11", "returned", json!("без следов носки")),
        ],
        "the item's counter events, oldest first, none of another item's: {}",
        case.body
    );

    add_order(&t.admin, POINT, "o9", true);
    let s2 = t.admin.issue_seller_credential("s-2").expect("another seller's credential");
    let other = t.get(&format!("/v1/claims/{claim}/case"), Some(&s2)).await;
    assert_api_error(&other, 404, "not_found", "another seller's claim case");
    let seen = t.get(&format!("/v1/claims/{claim}/case"), Some(&operator)).await;
    assert_eq!(seen.status, 200, "an operator reads any claim's case: {}", seen.body);
    let front = t.admin.issue_party_credential(PartyKind::BuyerFront, "front").expect("buyer-front credential");
    let refused = t.get(&format!("/v1/claims/{claim}/case"), Some(&front)).await;
    assert_api_error(&refused, 403, "forbidden", "the buyer front's credential");
}

#[tokio::test]
async fn the_balance_moves_once_on_an_approval_with_a_partial_refund_and_its_line_names_the_claim() {
    let t = start().await;
    let claim = claimed_order(&t, "o1");
    let s1 = t.admin.issue_seller_credential("s-1").expect("seller credential");
    let before = t.get("/v1/seller/balance", Some(&s1)).await;
    assert_eq!(before.status, 200, "the balance is read: {}", before.body);
    let start_balance = before.body["balance"].as_i64().expect("a balance in kopecks");
    let lines_before = before.body["lines"].as_array().map_or(0, Vec::len);

    let session = sign_in(&t.client, &t.server.url(), &s1).await;
    let approve = json!({"action": "approve_without_return", "compensation": {"kind": "refund", "amount": 40_000}});
    let url = t.url(&format!("/v1/claims/{claim}/actions"));
    let post = reqwest::Method::POST;
    let done =
        with_cookie(&t.client, post.clone(), url.clone(), &session.cookie, Some(&session.csrf), Some(approve.clone()))
            .await;
    assert_eq!(done.status, 200, "the page approves without return with a partial refund: {}", done.body);
    let again = with_cookie(&t.client, post, url, &session.cookie, Some(&session.csrf), Some(approve)).await;
    assert_eq!(again.status, 409, "the same approval again is refused: {}", again.body);

    let get = reqwest::Method::GET;
    let after = with_cookie(&t.client, get, t.url("/v1/seller/balance"), &session.cookie, None, None).await;
    assert_eq!(after.status, 200, "the page reads the balance: {}", after.body);
    assert_eq!(after.body["balance"].as_i64(), Some(start_balance - 40_000), "debited once: {}", after.body);
    let lines = after.body["lines"].as_array().cloned().unwrap_or_default();
    assert_eq!(lines.len(), lines_before + 1, "one new ledger line: {}", after.body);
    assert_eq!(lines[0]["amount"], -40_000, "the newest line is the refund debited: {}", after.body);
    assert_eq!(lines[0]["claim_id"], claim.as_str(), "naming the claim: {}", after.body);
    assert_eq!(lines[0]["order_id"], "o1", "and its order: {}", after.body);
    assert_eq!(lines[0]["description"], "claim refund", "in the ledger's words: {}", after.body);
}
