//! Claim actions through `POST /v1/claims/{id}/actions` and the operator's list: each action's
//! checks, the actions each party is offered as the claim moves, disputes, reconsidering, route
//! changes and the codes they replace, the seller's receipt, refunds posted exactly once, and a
//! kiosk's claim return refused off its route, with a replaced code or after the deadline by the
//! kiosk's corrected clock; and the CLI acting as the network operator.

use crate::common::*;
use pvz_domain::{ClaimId, CompensationKind, Kopecks};
use pvz_protocol::sync::PushOp;
use pvz_protocol::{ClaimReturnClaims, OpBody, PublicKey};
use pvz_server::credentials::PartyKind;
use serde_json::{json, Value};

/// The parties' credentials: the sellers of `o1-1` (s-1) and `o1-2` (s-2), the buyer front and an
/// operator.
struct Parties {
    s1: String,
    s2: String,
    front: String,
    operator: String,
}

/// An issued prepaid order `o1` at POINT (clothes 1 000 ₽ from s-1, shoes 2 500 ₽ from s-2) with an
/// open claim on each item, decided by their sellers (paid 20 days ago); the claim ids and the parties.
fn open_claims(t: &TestServer) -> (Vec<String>, Parties) {
    add_order(&t.admin, POINT, "o1", true);
    t.admin.mark_order_issued("o1").expect("issued");
    paid_20_days_ago(&t.admin, "o1");
    let claims = ["o1-1", "o1-2"]
        .iter()
        .map(|item| t.admin.open_claim("o1", item, "шов разошёлся").expect("open").claim_id.to_string())
        .collect();
    let parties = Parties {
        s1: t.admin.issue_seller_credential("s-1").expect("seller credential"),
        s2: t.admin.issue_seller_credential("s-2").expect("seller credential"),
        front: t.admin.issue_party_credential(PartyKind::BuyerFront, "front").expect("buyer-front credential"),
        operator: t.admin.issue_party_credential(PartyKind::Operator, "op-1").expect("operator credential"),
    };
    (claims, parties)
}

/// Makes the claim a marketplace return (the operator decides it), as opening it within 14 days of
/// payment does.
fn decided_by_operator(t: &TestServer, claim: &str) {
    let conn = connect(t.dir.path());
    let changed = conn
        .execute("UPDATE claims SET decided_by = 'operator' WHERE id = ?1", [claim])
        .expect("the claim's decider is set");
    assert_eq!(changed, 1, "one claim is made the operator's");
}

async fn act(t: &TestServer, claim: &str, credential: &str, body: Value) -> Reply {
    t.post_json(&format!("/v1/claims/{claim}/actions"), Some(credential), &body).await
}

/// `act`, which must succeed.
async fn acted(t: &TestServer, claim: &str, credential: &str, body: Value) -> Value {
    let reply = act(t, claim, credential, body.clone()).await;
    assert_eq!(reply.status, 200, "the action {body} is taken: {}", reply.body);
    reply.body
}

fn actions(claim: &Value) -> Vec<&str> {
    claim["actions"].as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
}

fn refund(amount: i64) -> Value {
    json!({"kind": "refund", "amount": amount})
}

fn address() -> Value {
    json!({"address": "Москва, ул. Складская, 5", "hours": "пн-пт 10:00-19:00"})
}

/// A claim return op with the code issue the scanned code carried, and that code.
fn claim_return_issue(t: &TestServer, claim: &str, item: &str, unit: &str, amount: i64, issue: u32) -> OpBody {
    let mut body = claim_return(claim, "o1", item, unit, CompensationKind::Refund, amount);
    if let OpBody::ClaimReturnAccepted { code_issue, .. } = &mut body {
        *code_issue = issue;
    }
    t.proven(body)
}

fn balance(t: &TestServer, account: &str) -> Kopecks {
    t.admin.account_balance(account).expect("balance")
}

const DECIDER: [&str; 4] = ["approve_via_pickup_point", "approve_to_seller", "approve_without_return", "reject"];

#[tokio::test]
async fn each_action_checks_its_fields_and_who_may_take_it() {
    let t = start().await;
    let (claims, p) = open_claims(&t);
    let claim = &claims[0];
    let bad = [
        (json!({"action": "approve_via_pickup_point", "compensation": refund(0)}), "a refund of 0"),
        (json!({"action": "approve_via_pickup_point", "compensation": refund(100_001)}), "a refund above the price"),
        (json!({"action": "reject", "comment": "ё".repeat(9)}), "a comment of 9 characters"),
        (json!({"action": "reject", "comment": "ё".repeat(1001)}), "a comment of 1001 characters"),
        (json!({"action": "reject"}), "a rejection with neither template nor comment"),
        (
            json!({"action": "approve_to_seller", "compensation": refund(1_000),
                   "seller_address": {"address": "  ", "hours": "10-19"}}),
            "an empty seller address",
        ),
        (
            json!({"action": "approve_without_return", "compensation": {"kind": "replacement"}}),
            "a replacement without return",
        ),
    ];
    for (body, what) in bad {
        assert_api_error(&act(&t, claim, &p.s1, body).await, 400, "bad_request", what);
    }
    let no_address = act(&t, claim, &p.s1, json!({"action": "approve_to_seller", "compensation": refund(1)})).await;
    assert_eq!(no_address.status, 422, "the seller address is a required field: {}", no_address.body);
    assert_api_error(
        &act(&t, claim, &p.s2, json!({"action": "reconsider"})).await,
        404,
        "not_found",
        "another seller's claim",
    );
    assert_api_error(&act(&t, "clm-nope", &p.s1, json!({"action": "reconsider"})).await, 404, "not_found", "unknown");
    let anonymous = t.post_json(&format!("/v1/claims/{claim}/actions"), None, &json!({"action": "reconsider"})).await;
    assert_api_error(&anonymous, 401, "unauthorized", "no credential");
    let approve = json!({"action": "approve_via_pickup_point", "compensation": refund(1_000)});
    for (who, credential) in [("the buyer front", &p.front), ("an operator", &p.operator)] {
        let reply = act(&t, claim, credential, approve.clone()).await;
        assert_api_error(&reply, 409, "action_not_available", &format!("{who} does not decide a seller's claim"));
    }
    assert_api_error(
        &act(&t, claim, &p.s1, json!({"action": "confirm_receipt"})).await,
        409,
        "action_not_available",
        "nothing was sent to the seller",
    );
    assert_eq!(t.admin.claim_status(claim).expect("status").state.as_str(), "open", "nothing moved the claim");
    t.server.shutdown().await;
}

#[tokio::test]
async fn each_party_is_offered_its_actions_as_the_claim_moves_and_a_rejection_is_disputed_once() {
    let t = start().await;
    let (claims, p) = open_claims(&t);
    let listed = t.get("/v1/seller/claims", Some(&p.s1)).await;
    assert_eq!(actions(&listed.body[0]), DECIDER, "the seller decides its claim under review: {}", listed.body);

    // The second claim is a marketplace return: the operator decides it, and lists it first.
    decided_by_operator(&t, &claims[1]);
    let listed = t.get("/v1/operator/claims", Some(&p.operator)).await;
    assert_eq!(listed.status, 200, "an operator lists the claims: {}", listed.body);
    assert_eq!(listed.body[0]["claim_id"], claims[1].as_str(), "what the operator decides now comes first");
    assert_eq!(actions(&listed.body[0]), [&DECIDER[..], &["revoke"]].concat(), "the operator decides it");
    assert_eq!(listed.body[1]["claim_id"], claims[0].as_str(), "then the rest");
    assert_eq!(actions(&listed.body[1]), ["revoke"], "a seller's claim the operator only revokes");
    assert_api_error(&t.get("/v1/operator/claims", Some(&p.s1)).await, 403, "forbidden", "a seller");
    assert_api_error(&t.get("/v1/operator/claims", Some(&p.front)).await, 403, "forbidden", "the buyer front");
    assert_api_error(&t.get("/v1/operator/claims", None).await, 401, "unauthorized", "no credential");

    // Rejected by the seller: the buyer disputes, the operator approves.
    let rejected = acted(&t, &claims[0], &p.s1, json!({"action": "reject", "template": "signs_of_use"})).await;
    assert_eq!(
        (rejected["state"].as_str(), rejected["decision"].as_str()),
        (Some("rejected"), Some("rejected")),
        "rejected"
    );
    assert_eq!(rejected["rejection_template"], "signs_of_use", "with its template");
    assert_eq!(actions(&rejected), ["reconsider"], "the seller may reconsider");
    let short = act(&t, &claims[0], &p.front, json!({"action": "dispute", "comment": "не так"})).await;
    assert_api_error(&short, 400, "bad_request", "a dispute's comment of 6 characters");
    let disputed =
        acted(&t, &claims[0], &p.front, json!({"action": "dispute", "comment": "Следов носки нет, бирки на месте"}))
            .await;
    assert_eq!(
        (disputed["state"].as_str(), disputed["decision"].as_str()),
        (Some("open"), Some("disputed")),
        "disputed"
    );
    assert!(actions(&disputed).is_empty(), "the buyer front waits for the operator: {disputed}");
    let listed = t.get("/v1/operator/claims", Some(&p.operator)).await;
    let first_two: Vec<&str> = (0..2).filter_map(|i| listed.body[i]["claim_id"].as_str()).collect();
    assert!(first_two.contains(&claims[0].as_str()), "a dispute is the operator's to decide now: {}", listed.body);
    let approved = acted(
        &t,
        &claims[0],
        &p.operator,
        json!({"action": "approve_via_pickup_point", "compensation": refund(100_000)}),
    )
    .await;
    assert_eq!(approved["decision"], "approved", "the operator approves the disputed claim");
    assert_eq!(
        (approved["route"].as_str(), approved["item_fate"].as_str()),
        (Some("pickup_point"), Some("to_pickup_point")),
        "through a point"
    );
    assert!(approved["return_code"].as_str().is_some_and(|c| c.starts_with("PVZC2.")), "with a return code");
    assert_eq!(actions(&approved), ["revoke"], "the operator may still revoke it");
    let seller_view = t.get("/v1/seller/claims", Some(&p.s1)).await;
    assert_eq!(actions(&seller_view.body[0]), ["change_route"], "the seller may change its route");

    // The operator's own claim: rejected, disputed, the rejection upheld; no second dispute.
    let comment = json!({"action": "reject", "comment": "Повреждение получено после выдачи"});
    acted(&t, &claims[1], &p.operator, comment).await;
    let dispute = json!({"action": "dispute", "comment": "Коробка была помята при выдаче"});
    acted(&t, &claims[1], &p.front, dispute.clone()).await;
    let upheld = acted(&t, &claims[1], &p.operator, json!({"action": "uphold_rejection"})).await;
    assert_eq!((upheld["state"].as_str(), upheld["decision"].as_str()), (Some("rejected"), Some("rejected")), "upheld");
    assert!(actions(&upheld).is_empty(), "an upheld rejection is final for the operator: {upheld}");
    assert_api_error(&act(&t, &claims[1], &p.front, dispute).await, 409, "action_not_available", "a second dispute");
    assert_api_error(
        &act(&t, &claims[1], &p.operator, json!({"action": "reconsider"})).await,
        409,
        "action_not_available",
        "no reconsidering once the dispute is decided",
    );

    // The operator revokes the first claim; a kiosk's return of it is then refused.
    let revoked = acted(&t, &claims[0], &p.operator, json!({"action": "revoke", "comment": "ошибка оформления"})).await;
    assert_eq!(
        (revoked["state"].as_str(), revoked["decision"].as_str()),
        (Some("revoked"), Some("revoked")),
        "revoked"
    );
    let kiosk = t.enroll(POINT).await;
    let back = op(1, claim_return_issue(&t, &claims[0], "o1-1", "ret-1", 100_000, 1));
    assert_eq!(reject_code(&t.push(&kiosk, &[back]).await, 0), "claim_revoked", "a revoked claim's code is refused");
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_rejection_is_reconsidered_from_rejected_or_disputed() {
    let t = start().await;
    let (claims, p) = open_claims(&t);
    let reject = json!({"action": "reject", "comment": "Это не производственный брак"});
    acted(&t, &claims[0], &p.s1, reject.clone()).await;
    let back = acted(&t, &claims[0], &p.s1, json!({"action": "reconsider"})).await;
    assert_eq!(
        (back["state"].as_str(), back["decision"].as_str()),
        (Some("open"), Some("under_review")),
        "back to review"
    );
    assert_eq!(back["reason"], Value::Null, "the rejection's comment is gone");
    assert_eq!(actions(&back), DECIDER, "the seller decides again");
    acted(&t, &claims[0], &p.s1, reject).await;
    acted(&t, &claims[0], &p.front, json!({"action": "dispute", "comment": "Прошу пересмотреть решение"})).await;
    let back = acted(&t, &claims[0], &p.s1, json!({"action": "reconsider"})).await;
    assert_eq!(back["decision"], "under_review", "the seller takes the disputed rejection back to review");
    // Rejecting again after a reconsidered dispute leaves the buyer a dispute: the operator decides
    // every contested rejection, and none is left rejected with a dispute nobody decided.
    let again = acted(&t, &claims[1], &p.s2, json!({"action": "reject", "template": "signs_of_use"})).await;
    assert_eq!(again["decision"], "rejected", "the other claim is rejected");
    acted(&t, &claims[1], &p.front, json!({"action": "dispute", "comment": "Прошу пересмотреть решение"})).await;
    acted(&t, &claims[1], &p.s2, json!({"action": "reconsider"})).await;
    let rejected_again = acted(&t, &claims[1], &p.s2, json!({"action": "reject", "template": "signs_of_use"})).await;
    let listed = t.get("/v1/buyer/claims?buyer_id=buyer-o1", Some(&p.front)).await;
    let offered =
        listed.body.as_array().and_then(|all| all.iter().find(|c| c["claim_id"] == rejected_again["claim_id"]));
    assert_eq!(
        offered.map(actions),
        Some(vec!["dispute"]),
        "the buyer front may dispute the new rejection: {}",
        listed.body
    );
    let approved = acted(
        &t,
        &claims[0],
        &p.s1,
        json!({"action": "approve_via_pickup_point", "compensation": {"kind": "replacement"}}),
    )
    .await;
    assert_eq!(approved["state"], "approved", "and approves a replacement");
    t.server.shutdown().await;
}

#[tokio::test]
async fn the_route_to_the_seller_is_refused_at_a_point_and_the_receipt_pays_once() {
    let t = start().await;
    let (claims, p) = open_claims(&t);
    let approved =
        acted(&t, &claims[0], &p.s1, json!({"action": "approve_via_pickup_point", "compensation": refund(70_000)}))
            .await;
    assert_eq!(approved["code_issue"], 1, "the first code");
    let same = act(&t, &claims[0], &p.s1, json!({"action": "change_route", "route": "pickup_point"})).await;
    assert_api_error(&same, 400, "bad_request", "a change to the route the claim already has");
    let to_seller =
        acted(&t, &claims[0], &p.s1, json!({"action": "change_route", "route": "seller", "seller_address": address()}))
            .await;
    assert_eq!(
        (to_seller["route"].as_str(), to_seller["item_fate"].as_str()),
        (Some("seller"), Some("to_seller")),
        "to the seller"
    );
    assert_eq!(to_seller["return_code"], Value::Null, "no code for a point");
    assert_eq!(to_seller["seller_address"], address(), "where to send it");
    assert_eq!(to_seller["code_issue"], 2, "the first code is replaced");
    assert_eq!(actions(&to_seller), ["change_route", "confirm_receipt", "refuse_receipt"], "the seller's next steps");

    let kiosk = t.enroll(POINT).await;
    let ops = [
        op(1, claim_return_issue(&t, &claims[0], "o1-1", "ret-1", 70_000, 1)),
        op(2, claim_return_issue(&t, &claims[0], "o1-1", "ret-2", 70_000, 2)),
    ];
    let reply = t.push(&kiosk, &ops).await;
    assert_eq!(reject_code(&reply, 0), "claim_to_seller", "a point does not take it back: {}", reply.body);
    assert_eq!(reject_code(&reply, 1), "claim_to_seller", "whatever the code's issue: {}", reply.body);
    assert_eq!(t.admin.custody("ret-1").expect("custody").len(), 1, "the unit brought in is still recorded");
    assert_eq!(balance(&t, "buyer:buyer-o1"), Kopecks::ZERO, "nothing paid at the point");

    let received = acted(&t, &claims[0], &p.s1, json!({"action": "confirm_receipt"})).await;
    assert_eq!(
        (received["state"].as_str(), received["item_fate"].as_str()),
        (Some("fulfilled"), Some("at_seller")),
        "received"
    );
    assert!(actions(&received).is_empty(), "nothing more to do: {received}");
    assert_eq!(balance(&t, "buyer:buyer-o1"), Kopecks(70_000), "the buyer is refunded");
    assert_eq!(balance(&t, "seller:s-1"), Kopecks(-70_000), "by the seller");
    let again = act(&t, &claims[0], &p.s1, json!({"action": "confirm_receipt"})).await;
    assert_api_error(&again, 409, "action_not_available", "a replayed receipt");
    assert_eq!(balance(&t, "buyer:buyer-o1"), Kopecks(70_000), "paid exactly once");
    let report = t.admin.ledger_check().expect("ledger check");
    assert!(report.is_ok() && report.transactions == 1, "one balanced op-less transaction: {report:?}");

    // Refused on receipt: rejected with the item at the seller; the buyer may dispute.
    let second =
        json!({"action": "approve_to_seller", "compensation": {"kind": "replacement"}, "seller_address": address()});
    acted(&t, &claims[1], &p.s2, second).await;
    let refused =
        acted(&t, &claims[1], &p.s2, json!({"action": "refuse_receipt", "comment": "Пришёл другой товар"})).await;
    assert_eq!(
        (refused["decision"].as_str(), refused["item_fate"].as_str()),
        (Some("rejected"), Some("at_seller")),
        "refused"
    );
    let disputed =
        acted(&t, &claims[1], &p.front, json!({"action": "dispute", "comment": "Отправлен именно этот товар"})).await;
    assert_eq!(disputed["decision"], "disputed", "the buyer disputes the refusal");
    let listed = t.get("/v1/operator/claims", Some(&p.operator)).await;
    assert_eq!(
        actions(&listed.body[0]),
        ["approve_without_return", "uphold_rejection", "revoke"],
        "the seller holds the item: it is not sent anywhere again: {}",
        listed.body
    );
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_refund_without_return_is_paid_once_at_the_decision() {
    let t = start().await;
    let (claims, p) = open_claims(&t);
    let partial = json!({"action": "approve_without_return", "compensation": refund(30_000)});
    let paid = acted(&t, &claims[0], &p.s1, partial.clone()).await;
    assert_eq!(
        (paid["state"].as_str(), paid["decision"].as_str()),
        (Some("fulfilled"), Some("approved")),
        "paid and done"
    );
    assert_eq!((paid["route"].as_str(), paid["item_fate"].as_str()), (Some("no_return"), Some("with_buyer")), "kept");
    assert_eq!(balance(&t, "buyer:buyer-o1"), Kopecks(30_000), "refunded at once");
    assert_api_error(&act(&t, &claims[0], &p.s1, partial).await, 409, "action_not_available", "a replayed decision");
    let old_api = t
        .post_json(
            &format!("/v1/seller/claims/{}/decision", claims[0]),
            Some(&p.s1),
            &json!({"decision": "approve", "compensation": refund(30_000)}),
        )
        .await;
    assert_api_error(&old_api, 409, "claim_already_decided", "the first API's decision on it");
    assert_eq!(balance(&t, "buyer:buyer-o1"), Kopecks(30_000), "no double pay");
    let kiosk = t.enroll(POINT).await;
    let back = op(1, claim_return_issue(&t, &claims[0], "o1-1", "ret-1", 30_000, 1));
    assert_eq!(reject_code(&t.push(&kiosk, &[back]).await, 0), "claim_no_return", "nothing is taken back");

    // A route change to no return pays the same way, once.
    acted(&t, &claims[1], &p.s2, json!({"action": "approve_via_pickup_point", "compensation": refund(250_000)})).await;
    let kept = acted(&t, &claims[1], &p.s2, json!({"action": "change_route", "route": "no_return"})).await;
    assert_eq!(kept["state"], "fulfilled", "the refund without return is paid");
    assert_eq!(balance(&t, "buyer:buyer-o1"), Kopecks(280_000), "both refunds, each once");
    assert_eq!(balance(&t, "seller:s-2"), Kopecks(-250_000), "the second by its seller");
    let report = t.admin.ledger_check().expect("ledger check");
    assert!(report.is_ok() && report.transactions == 2, "two balanced transactions: {report:?}");
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_route_change_replaces_the_return_code() {
    let t = start().await;
    let (claims, p) = open_claims(&t);
    let replacement = json!({"action": "approve_via_pickup_point", "compensation": {"kind": "replacement"}});
    acted(&t, &claims[1], &p.s2, replacement).await;
    let no_return = act(&t, &claims[1], &p.s2, json!({"action": "change_route", "route": "no_return"})).await;
    assert_api_error(&no_return, 400, "bad_request", "a replacement without return");
    let to_seller = act(&t, &claims[1], &p.s2, json!({"action": "change_route", "route": "seller"})).await;
    assert_api_error(&to_seller, 400, "bad_request", "the route to the seller without an address");

    acted(&t, &claims[0], &p.s1, json!({"action": "approve_via_pickup_point", "compensation": refund(100_000)})).await;
    acted(&t, &claims[0], &p.s1, json!({"action": "change_route", "route": "seller", "seller_address": address()}))
        .await;
    let back = acted(&t, &claims[0], &p.s1, json!({"action": "change_route", "route": "pickup_point"})).await;
    assert_eq!(back["code_issue"], 3, "each route change issues the next code");
    assert_eq!(back["seller_address"], Value::Null, "no seller address on the way to a point");
    let code = back["return_code"].as_str().expect("a new return code");
    let key = PublicKey::of(t.admin.signing_key());
    let signed = ClaimReturnClaims::verify(code, &key, chrono::Utc::now().timestamp()).expect("the new code verifies");
    assert_eq!(signed.code_issue, 3, "the code carries its issue");
    let deadline = chrono::DateTime::parse_from_rfc3339(back["return_deadline"].as_str().expect("a deadline"))
        .expect("RFC 3339")
        .timestamp();
    assert_eq!(signed.expires_at, deadline, "the code expires at the return deadline");

    let kiosk = t.enroll(OTHER_POINT).await;
    let old = op(1, claim_return_issue(&t, &claims[0], "o1-1", "ret-1", 100_000, 1));
    let reply = t.push(&kiosk, &[old]).await;
    assert_eq!(reject_code(&reply, 0), "claim_code_replaced", "the first code is refused: {}", reply.body);
    let new = op(2, claim_return_issue(&t, &claims[0], "o1-1", "ret-2", 100_000, 3));
    let reply = t.push(&kiosk, &[new]).await;
    assert_eq!(outcome(&reply, 0), "applied", "the valid code is taken back: {}", reply.body);
    let status = t.admin.claim_status(&claims[0]).expect("status");
    assert_eq!(status.item_fate, pvz_domain::ItemFate::AtPickupPoint, "the item is at the point");
    assert_eq!(balance(&t, "buyer:buyer-o1"), Kopecks(100_000), "refunded once");
    t.server.shutdown().await;
}

/// A push with the kiosk's clock saying `now`.
async fn push_at(t: &TestServer, kiosk: &Kiosk, ops: &[PushOp], now: chrono::DateTime<chrono::Utc>) -> Reply {
    let now = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    t.post_json("/v1/sync/push", Some(&kiosk.credential), &json!({"ops": ops, "now": now})).await
}

#[tokio::test]
async fn a_return_after_the_deadline_by_the_corrected_kiosk_clock_is_refused() {
    let t = start().await;
    let (claims, p) = open_claims(&t);
    let approved =
        acted(&t, &claims[0], &p.s1, json!({"action": "approve_via_pickup_point", "compensation": refund(100_000)}))
            .await;
    let deadline = chrono::DateTime::parse_from_rfc3339(approved["return_deadline"].as_str().expect("a deadline"))
        .expect("RFC 3339")
        .with_timezone(&chrono::Utc);
    let days = (deadline - chrono::Utc::now()).num_hours() as f64 / 24.0;
    assert!((13.9..=14.0).contains(&days), "the deadline is 14 days after approval, got {days:.2}");
    // The op is a day before the deadline by the kiosk's clock, which is 10 days behind the server's.
    let late_clock = chrono::Utc::now() - chrono::Duration::days(10);
    let taken = PushOp {
        created_at: (deadline - chrono::Duration::days(1)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        ..op(1, claim_return_issue(&t, &claims[0], "o1-1", "ret-1", 100_000, 1))
    };
    let behind = t.enroll(POINT).await;
    let reply = push_at(&t, &behind, std::slice::from_ref(&taken), late_clock).await;
    assert_eq!(reject_code(&reply, 0), "claim_return_expired", "9 days late by the server's clock: {}", reply.body);
    assert_eq!(balance(&t, "buyer:buyer-o1"), Kopecks::ZERO, "nothing paid");

    // The same moment from a kiosk whose clock is right is in time.
    let right = t.enroll(OTHER_POINT).await;
    let on_time = PushOp {
        op_id: uuid::Uuid::now_v7(),
        body: claim_return_issue(&t, &claims[0], "o1-1", "ret-2", 100_000, 1),
        ..taken
    };
    let reply = push_at(&t, &right, &[on_time], chrono::Utc::now()).await;
    assert_eq!(outcome(&reply, 0), "applied", "a day before the deadline: {}", reply.body);
    assert_eq!(balance(&t, "buyer:buyer-o1"), Kopecks(100_000), "refunded");
    t.server.shutdown().await;
}

#[tokio::test]
async fn the_cli_acts_on_a_claim_as_the_network_operator() {
    let t = start().await;
    let (claims, _) = open_claims(&t);
    let claim = claims[0].as_str();
    let approve = pvz_server(t.dir.path(), &["claim", "approve", claim, "--full-refund"]);
    assert!(approve.ok, "the network approves a seller's claim: {}", approve.stderr);
    assert!(approve.stdout.contains("route: pickup_point"), "through a point: {}", approve.stdout);
    let request = r#"{"action":"change_route","route":"seller","seller_address":{"address":"Москва, ул. Складская, 5","hours":"пн-пт 10-19"}}"#;
    let run = pvz_server(t.dir.path(), &["claim", "act", claim, request]);
    assert!(run.ok, "the route is changed from the command line: {}", run.stderr);
    assert!(run.stdout.contains("route: seller"), "the claim goes to the seller: {}", run.stdout);
    assert!(run.stdout.contains("item: to_seller"), "the item's fate: {}", run.stdout);
    assert!(run.stdout.contains("actions: change_route, confirm_receipt, refuse_receipt, revoke"), "{}", run.stdout);
    let status = t.admin.claim_status(claim).expect("status");
    assert_eq!(status.route, Some(pvz_domain::ReturnRoute::Seller), "stored");
    assert_eq!(status.code_issue, 2, "the code is replaced");
    let show = pvz_server(t.dir.path(), &["claim", "show", claim]);
    assert!(show.ok && show.stdout.contains("decision: approved"), "show prints the decision: {}", show.stdout);
    let bad = pvz_server(t.dir.path(), &["claim", "act", claim, r#"{"action":"fly"}"#]);
    assert!(!bad.ok && bad.stderr.contains("not a claim action request"), "a malformed action: {}", bad.stderr);
    assert!(ClaimId::parse(claim).is_ok(), "the claim id is a claim's");
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_claim_return_racing_a_route_change_either_is_taken_back_or_goes_to_the_seller() {
    let t = start().await;
    let kiosk = t.enroll(POINT).await;
    let dir = t.dir.path().to_owned();
    let to_seller: pvz_protocol::ClaimActionRequest =
        serde_json::from_value(json!({"action": "change_route", "route": "seller", "seller_address": address()}))
            .expect("a route change");
    for round in 0..6 {
        let order = format!("raced-{round}");
        add_order(&t.admin, POINT, &order, true);
        t.admin.mark_order_issued(&order).expect("issued");
        let item = format!("{order}-1");
        let claim = t.admin.open_claim(&order, &item, "брак").expect("open").claim_id.to_string();
        let refund = pvz_domain::Compensation::Refund { amount: Kopecks(50_000) };
        t.admin.decide_claim(&claim, &pvz_protocol::SellerDecision::Approve { compensation: refund }).expect("approve");
        let body = claim_return(&claim, &order, &item, &format!("ret-{round}"), CompensationKind::Refund, 50_000);
        let body = t.proven(body);
        let returned = [op(round + 1, body)];
        let changing = {
            let (dir, claim, request) = (dir.clone(), claim.clone(), to_seller.clone());
            tokio::task::spawn_blocking(move || admin(&dir).act_on_claim(&claim, &request).is_ok())
        };
        let (reply, changed) = tokio::join!(t.push(&kiosk, &returned), changing);
        let changed = changed.expect("the route change ran");
        let applied = outcome(&reply, 0) == "applied";
        assert!(applied != changed, "round {round}: the return or the route change wins, not both: {}", reply.body);
        if changed {
            assert_eq!(reject_code(&reply, 0), "claim_to_seller", "round {round}: refused once it goes to the seller");
        }
        let paid = balance(&t, &format!("buyer:buyer-{order}"));
        assert_eq!(
            paid,
            if applied { Kopecks(50_000) } else { Kopecks::ZERO },
            "round {round}: paid only if taken back"
        );
    }
    assert!(t.admin.ledger_check().expect("ledger check").is_ok(), "the ledger balances");
    t.server.shutdown().await;
}
