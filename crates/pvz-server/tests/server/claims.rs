//! Claims (претензии) through the seller API and the admin: who may open and decide them, each
//! state transition once, refunds within the price, the signed claim return code, and the status a
//! kiosk of any point reads.

use crate::common::*;
use pvz_domain::{ClaimState, CompensationKind, Kopecks, RefusalReason};
use pvz_protocol::{ClaimReturnClaims, OpBody, PublicKey};
use pvz_server::ServerError;
use serde_json::json;

fn decision_path(claim: &str) -> String {
    format!("/v1/seller/claims/{claim}/decision")
}

/// An `item_not_claimable` refusal (409) whose message says `why`.
fn not_claimable(err: &ServerError, why: &str) -> bool {
    matches!(err, ServerError::Refused { code, message } if *code == "item_not_claimable" && message.contains(why))
}

fn refund(amount: i64) -> serde_json::Value {
    json!({"decision": "approve", "compensation": {"kind": "refund", "amount": amount}})
}

#[tokio::test]
async fn only_a_paid_item_handed_over_can_be_claimed_once() {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", false);
    let err = t.admin.open_claim("o1", "o1-1", "молния сломалась").expect_err("the order is not issued yet");
    assert!(not_claimable(&err, "not issued"), "a ready order: {err:?}");

    let kiosk = t.enroll(POINT).await;
    let issue = op(1, completed("o1", &["o1-2"], vec![refused("o1-1", RefusalReason::DidNotFit, 14_900)], 264_900, 0));
    assert_eq!(outcome(&t.push(&kiosk, &[issue]).await, 0), "applied", "the issue applies");
    let err = t.admin.open_claim("o1", "o1-1", "не подошло").expect_err("a refused item was never paid for");
    assert!(not_claimable(&err, "refused"), "a refused item: {err:?}");
    let err = t.admin.open_claim("o1", "nope", "брак").expect_err("an unknown item");
    assert!(matches!(err, ServerError::NotFound(_)), "an unknown item is not found: {err:?}");
    let err = t.admin.open_claim("o2", "o1-2", "брак").expect_err("the item is not in that order");
    assert!(matches!(err, ServerError::BadRequest(_)), "another order's item: {err:?}");

    let claim = t.admin.open_claim("o1", "o1-2", "подошва отклеилась").expect("the shoes handed over can be claimed");
    assert_eq!(claim.state, ClaimState::Open, "a new claim is open");
    let err = t.admin.open_claim("o1", "o1-2", "ещё раз").expect_err("one standing claim per item");
    assert!(not_claimable(&err, "already has claim"), "a second claim: {err:?}");
    t.admin
        .decide_claim(claim.claim_id.as_str(), &pvz_protocol::SellerDecision::Reject { reason: "износ".into() })
        .expect("the network rejects it");
    t.admin.open_claim("o1", "o1-2", "всё-таки брак").expect("after a rejection a new claim may be opened");
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_seller_decides_only_its_own_open_claims_once_within_the_price() {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", true);
    paid_20_days_ago(&t.admin, "o1");
    t.admin.mark_order_issued("o1").expect("issued");
    let claim = t.admin.open_claim("o1", "o1-1", "молния сломалась").expect("open").claim_id.to_string();
    let s1 = t.admin.issue_seller_credential("s-1").expect("credential of the item's seller");
    let s2 = t.admin.issue_seller_credential("s-2").expect("credential of another seller");
    assert!(t.admin.issue_seller_credential("nobody").is_err(), "no credential for an unknown seller");

    let listed = t.get("/v1/seller/claims", Some(&s1)).await;
    assert_eq!(listed.status, 200, "the seller lists its claims: {}", listed.body);
    assert_eq!(listed.body[0]["claim_id"], claim.as_str(), "with this claim");
    assert_eq!(listed.body[0]["state"], "open", "open");
    assert_eq!(t.get("/v1/seller/claims", Some(&s2)).await.body, json!([]), "another seller sees none of it");
    assert_api_error(&t.get("/v1/seller/claims", None).await, 401, "unauthorized", "no credential");
    let forged = format!("{}x", &s1[..s1.len() - 1]);
    assert_api_error(&t.get("/v1/seller/claims", Some(&forged)).await, 401, "unauthorized", "a wrong secret");

    let path = decision_path(&claim);
    assert_api_error(&t.post_json(&path, Some(&s2), &refund(1_000)).await, 404, "not_found", "another seller's claim");
    assert_api_error(
        &t.post_json(&path, Some(&s1), &refund(100_001)).await,
        400,
        "bad_request",
        "a refund above the price",
    );
    assert_api_error(&t.post_json(&path, Some(&s1), &refund(0)).await, 400, "bad_request", "a refund of nothing");
    let unknown = decision_path("clm-nope");
    assert_api_error(&t.post_json(&unknown, Some(&s1), &refund(1)).await, 404, "not_found", "an unknown claim");
    let not_json = t.post_json(&path, Some(&s1), &json!({"decision": "maybe"})).await;
    assert_eq!(not_json.status, 422, "not a decision: {}", not_json.body);

    let approved = t.post_json(&path, Some(&s1), &refund(60_000)).await;
    assert_eq!(approved.status, 200, "the seller approves a partial refund: {}", approved.body);
    assert_eq!(approved.body["state"], "approved", "the claim is approved");
    assert_eq!(approved.body["compensation"], json!({"kind": "refund", "amount": 60_000}), "with the refund");
    let again = t.post_json(&path, Some(&s1), &json!({"decision": "reject", "reason": "передумал"})).await;
    assert_api_error(&again, 409, "claim_already_decided", "a second decision");
    let err = t
        .admin
        .decide_claim(&claim, &pvz_protocol::SellerDecision::Reject { reason: "нет".into() })
        .expect_err("the admin cannot decide it again either");
    assert!(matches!(err, ServerError::ClaimAlreadyDecided(_)), "decided once: {err:?}");

    // The claim return code: signed by the server's key, naming this claim, item and refund.
    let code = approved.body["return_code"].as_str().expect("a refund carries a claim return code").to_owned();
    let key = PublicKey::of(t.admin.signing_key());
    let now = chrono::Utc::now().timestamp();
    let claims = ClaimReturnClaims::verify(&code, &key, now).expect("the code verifies with the server's public key");
    assert_eq!(claims.claim_id.as_str(), claim, "the code names the claim");
    assert_eq!((claims.order_id.as_str(), claims.item_id.as_str()), ("o1", "o1-1"), "and its item");
    assert_eq!((claims.compensation, claims.amount), (CompensationKind::Refund, Kopecks(60_000)), "and the refund");
    let days = (claims.expires_at - now) as f64 / 86_400.0;
    assert!((13.9..=14.0).contains(&days), "the code lasts 14 days by default, got {days:.2}");

    // Any point's kiosk reads the status; the seller's changes show there.
    let elsewhere = t.enroll(OTHER_POINT).await;
    let status = t.get(&format!("/v1/claims/{claim}"), Some(&elsewhere.credential)).await;
    assert_eq!(status.status, 200, "a kiosk of another point reads the claim: {}", status.body);
    assert!(status.body["return_code"].is_null(), "never with its code: only the buyer has it: {}", status.body);
    assert_api_error(&t.get("/v1/claims/clm-nope", Some(&elsewhere.credential)).await, 404, "not_found", "unknown");
    assert_api_error(
        &t.get(&format!("/v1/claims/{claim}"), None).await,
        401,
        "unauthorized",
        "a kiosk credential is needed",
    );

    let revoked = t.admin.revoke_claim(&claim, "покупатель передумал").expect("an approved claim can be revoked");
    assert_eq!(
        (revoked.state, revoked.reason.as_deref()),
        (ClaimState::Revoked, Some("покупатель передумал")),
        "revoked"
    );
    assert!(t.admin.revoke_claim(&claim, "ещё раз").is_err(), "a revoked claim is closed");
    let status = t.get(&format!("/v1/claims/{claim}"), Some(&elsewhere.credential)).await;
    assert_eq!(status.body["state"], "revoked", "the kiosk sees the revocation");
    t.server.shutdown().await;
}

#[tokio::test]
async fn the_admin_approves_each_compensation_and_revokes_an_open_claim() {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", true);
    add_order(&t.admin, POINT, "o2", true);
    for order in ["o1", "o2"] {
        t.admin.mark_order_issued(order).expect("issued");
    }
    let open = |item: &str| t.admin.open_claim(&item[..2], item, "брак").expect("open").claim_id.to_string();
    let full = open("o1-1");
    let refund = t.admin.full_refund(&full).expect("the full price");
    let approved = t
        .admin
        .decide_claim(&full, &pvz_protocol::SellerDecision::Approve { compensation: refund })
        .expect("a full refund");
    assert_eq!(approved.compensation, Some(pvz_domain::Compensation::Refund { amount: Kopecks(100_000) }), "the price");
    let replacement = open("o1-2");
    let approved = t
        .admin
        .decide_claim(
            &replacement,
            &pvz_protocol::SellerDecision::Approve { compensation: pvz_domain::Compensation::Replacement },
        )
        .expect("a replacement");
    assert!(approved.return_code.is_some(), "a replacement needs the item back: it has a return code");
    let part = open("o2-1");
    let part_compensation = pvz_domain::Compensation::MissingPart { part: "пуговица".into() };
    let approved = t
        .admin
        .decide_claim(&part, &pvz_protocol::SellerDecision::Approve { compensation: part_compensation })
        .expect("a missing part");
    assert!(approved.return_code.is_none(), "a missing part needs no item back: no return code");
    assert!(approved.part_order_id.is_some(), "the part is delivered as an order");
    let waiting = open("o2-2");
    let revoked = t.admin.revoke_claim(&waiting, "дубль").expect("an open claim can be revoked");
    assert_eq!(revoked.state, ClaimState::Revoked, "revoked before any decision");
    let err = t.admin.decide_claim(&waiting, &pvz_protocol::SellerDecision::Reject { reason: "x".into() });
    assert!(matches!(err, Err(ServerError::ClaimAlreadyDecided(_))), "a revoked claim is not decided: {err:?}");
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_decision_waits_for_a_push_holding_the_database_instead_of_failing() {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", false);
    t.admin.mark_order_issued("o1").expect("issued");
    let claim = t.admin.open_claim("o1", "o1-1", "молния сломалась").expect("open").claim_id.to_string();

    // Another writer (a push, say) holds the database while an admin decides.
    let admin = crate::common::admin(t.dir.path());
    let push = crate::common::connect(t.dir.path());
    // The write lock on SQLite; on PostgreSQL the claim's row, which the decision updates.
    let held = push.transaction().expect("the push takes the write lock");
    held.execute("UPDATE claims SET state = state WHERE id = ?1", [claim.as_str()]).expect("the push writes the claim");
    let deciding = std::thread::spawn(move || {
        let decision = pvz_protocol::SellerDecision::Approve {
            compensation: pvz_domain::Compensation::MissingPart { part: "бегунок".into() },
        };
        admin.decide_claim(&claim, &decision)
    });
    std::thread::sleep(std::time::Duration::from_millis(300));
    held.commit().expect("the push commits");
    let decided = deciding.join().expect("the deciding thread").expect("the decision waits for the push, then applies");
    assert_eq!(decided.state, ClaimState::Approved, "the claim is approved once the push is done");
    assert!(decided.part_order_id.is_some(), "with its part order");
    t.server.shutdown().await;
}

/// An issued prepaid order `o1` at POINT with an approved missing-part claim on `o1-1`; returns the
/// claim id, the part order's id and item id as a kiosk of POINT pulled them, and the id of the
/// shipment the part comes in (its label code starts `DLV-`).
async fn approved_missing_part(t: &TestServer, kiosk: &Kiosk) -> (String, String, String, String) {
    add_order(&t.admin, POINT, "o1", true);
    t.admin.mark_order_issued("o1").expect("issued");
    let claim = t.admin.open_claim("o1", "o1-1", "нет пуговицы").expect("open").claim_id.to_string();
    let part = pvz_domain::Compensation::MissingPart { part: "пуговица".into() };
    let approved = t
        .admin
        .decide_claim(&claim, &pvz_protocol::SellerDecision::Approve { compensation: part })
        .expect("a missing part");
    let part_order = approved.part_order_id.expect("the part is delivered as an order").to_string();
    let page = t.pull(kiosk, &[]).await;
    let pulled = pulled_order(&page, &part_order).expect("the part order waits at the buyer's point");
    let part_item = pulled["items"][0]["item_id"].as_str().expect("the part's item id").to_owned();
    assert!(pulled.get("arrived_at").is_none(), "the part is on its way, not on the shelf: {pulled}");
    let changes = page.body["changes"].as_array().cloned().unwrap_or_default();
    let shipment = changes
        .iter()
        .find(|c| {
            c["type"] == "upsert_shipment"
                && c["items"].as_array().is_some_and(|i| i.iter().any(|i| i["order_id"] == part_order))
        })
        .unwrap_or_else(|| panic!("the part comes in a shipment of its own: {changes:?}"));
    assert!(shipment["code"].as_str().is_some_and(|c| c.starts_with("DLV-")), "labelled DLV-…: {shipment}");
    let shipment_id = shipment["shipment_id"].as_str().expect("the shipment's id").to_owned();
    (claim, part_order, part_item, shipment_id)
}

#[tokio::test]
async fn revoking_a_missing_part_claim_cancels_its_waiting_part_order() {
    let t = start().await;
    let kiosk = t.enroll(POINT).await;
    let (claim, part_order, part_item, _) = approved_missing_part(&t, &kiosk).await;
    let cursor = t.pull(&kiosk, &[]).await.body["cursor"].as_str().unwrap_or("").to_owned();

    let revoked = t.admin.revoke_claim(&claim, "покупатель отказался").expect("an approved claim can be revoked");
    assert_eq!(revoked.state, ClaimState::Revoked, "revoked");
    let page = t.pull(&kiosk, &[("cursor", &cursor)]).await;
    let changes = page.body["changes"].as_array().cloned().unwrap_or_default();
    assert!(
        changes.contains(&json!({"type": "cancel_order", "order_id": part_order})),
        "the part order is cancelled with the claim and the point's kiosks are told: {changes:?}"
    );
    let issue = op(1, completed(&part_order, &[&part_item], vec![], 0, 0));
    let reply = t.push(&kiosk, &[issue]).await;
    assert_eq!(reject_code(&reply, 0), "order_closed", "the revoked part is no longer issued: {}", reply.body);
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_missing_part_claim_is_fulfilled_when_its_part_is_issued() {
    let t = start().await;
    let kiosk = t.enroll(POINT).await;
    let (claim, part_order, part_item, shipment) = approved_missing_part(&t, &kiosk).await;

    let early = op(1, completed(&part_order, &[&part_item], vec![], 0, 0));
    let reply = t.push(&kiosk, &[early]).await;
    assert_eq!(reject_code(&reply, 0), "order_not_arrived", "the part is not issued before it comes: {}", reply.body);
    let received = OpBody::ShipmentReceived {
        shipment_id: shipment,
        placed: vec![placed(&part_order, &part_item, "A-01")],
        missing: vec![],
        unexpected: vec![],
        damaged: vec![],
    };
    assert_eq!(outcome(&t.push(&kiosk, &[op(2, received)]).await, 0), "applied", "the part's shipment is received");
    let issue = op(3, completed(&part_order, &[&part_item], vec![], 0, 0));
    let reply = t.push(&kiosk, std::slice::from_ref(&issue)).await;
    assert_eq!(outcome(&reply, 0), "applied", "the part is handed over: {}", reply.body);
    let status = t.admin.claim_status(&claim).expect("status");
    assert_eq!(status.state, ClaimState::Fulfilled, "handing the part over fulfils the claim");
    assert_eq!(status.fulfilled_at.as_deref(), Some(issue.created_at.as_str()), "when the counter issued the part");
    let err = t.admin.revoke_claim(&claim, "поздно").expect_err("a part handed over is not taken back");
    assert!(matches!(err, ServerError::BadRequest(_)), "a fulfilled claim cannot be revoked: {err:?}");
    t.admin.open_claim("o1", "o1-1", "сломалась молния").expect("the buyer kept the item: a later claim may be opened");

    // A claim fulfilled by taking the item back still stands: the item is gone.
    let refund = t.admin.open_claim("o1", "o1-2", "брак").expect("open").claim_id.to_string();
    let compensation = pvz_domain::Compensation::Refund { amount: Kopecks(250_000) };
    t.admin.decide_claim(&refund, &pvz_protocol::SellerDecision::Approve { compensation }).expect("approve");
    let taken_back = op(4, t.proven(claim_return(&refund, "o1", "o1-2", "ret-1", CompensationKind::Refund, 250_000)));
    assert_eq!(outcome(&t.push(&kiosk, &[taken_back]).await, 0), "applied", "the item comes back");
    let err = t.admin.open_claim("o1", "o1-2", "ещё").expect_err("the item went back with its claim");
    assert!(not_claimable(&err, "already has claim"), "claimed once: {err:?}");
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_kiosk_lists_the_claims_on_an_item_of_its_point_with_their_decision_and_no_code() {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", true);
    paid_20_days_ago(&t.admin, "o1");
    t.admin.mark_order_issued("o1").expect("issued");
    let here = t.enroll(POINT).await;
    let none = t.get("/v1/items/o1-1/claims", Some(&here.credential)).await;
    assert_eq!((none.status, none.body.clone()), (200, json!([])), "an item with no claim lists none: {}", none.body);

    let rejected = t.admin.open_claim("o1", "o1-1", "молния сломалась").expect("open").claim_id.to_string();
    t.admin
        .decide_claim(&rejected, &pvz_protocol::SellerDecision::Reject { reason: "износ".into() })
        .expect("the first claim is rejected");
    let approved = t.admin.open_claim("o1", "o1-1", "всё-таки брак").expect("a second claim").claim_id.to_string();
    let seller = t.admin.issue_seller_credential("s-1").expect("credential of the item's seller");
    let action = json!({"action": "approve_without_return", "compensation": {"kind": "refund", "amount": 60_000}});
    let decided = t.post_json(&format!("/v1/claims/{approved}/actions"), Some(&seller), &action).await;
    assert_eq!(decided.status, 200, "the seller refunds part without return: {}", decided.body);

    let listed = t.get("/v1/items/o1-1/claims", Some(&here.credential)).await;
    assert_eq!(listed.status, 200, "the point's kiosk lists the item's claims: {}", listed.body);
    let ids: Vec<&str> =
        listed.body.as_array().expect("a list").iter().filter_map(|c| c["claim_id"].as_str()).collect();
    assert_eq!(ids, [approved.as_str(), rejected.as_str()], "both claims, newest first: {}", listed.body);
    let newest = &listed.body[0];
    assert_eq!(
        (&newest["decision"], &newest["route"], &newest["compensation"]),
        (&json!("approved"), &json!("no_return"), &json!({"kind": "refund", "amount": 60_000})),
        "the newest is approved with a partial refund and no return: {newest}"
    );
    assert!(newest["return_code"].is_null(), "a device never gets a return code: {newest}");
    assert_eq!(newest["actions"], json!([]), "and may take no action: {newest}");
    assert_eq!(listed.body[1]["decision"], "rejected", "the older one is rejected: {}", listed.body);

    let elsewhere = t.enroll(OTHER_POINT).await;
    let foreign = t.get("/v1/items/o1-1/claims", Some(&elsewhere.credential)).await;
    assert_api_error(&foreign, 404, "not_found", "another point's kiosk cannot list this item's claims");
    let unknown = t.get("/v1/items/nope-9/claims", Some(&here.credential)).await;
    assert_api_error(&unknown, 404, "not_found", "an item the server lacks");
    assert_api_error(&t.get("/v1/items/o1-1/claims", None).await, 401, "unauthorized", "a kiosk credential is needed");
    t.server.shutdown().await;
}
