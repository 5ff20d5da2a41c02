//! Buyers open claims through the buyer front: only the buyer's own item that was handed over, at
//! most one standing claim, and who decides it by the 14-day line, counted in the point's local days
//! from payment (the operator through day 14, the seller from day 15).

use crate::common::*;
use chrono::{DateTime, SecondsFormat, Utc};
use pvz_domain::{RefusalReason, StoragePolicy, UnixSeconds, UtcOffset};
use pvz_server::credentials::PartyKind;
use serde_json::{json, Value};

fn claim_body(order: &str, item: &str) -> Value {
    json!({"buyer_id": format!("buyer-{order}"), "order_id": order, "item_id": item, "description": "шов разошёлся"})
}

fn rfc3339(at: UnixSeconds) -> String {
    DateTime::<Utc>::from_timestamp(at.0, 0).expect("a real time").to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[tokio::test]
async fn the_operator_decides_within_14_local_days_of_payment_and_the_seller_after() {
    let t = start().await;
    t.admin.set_storage_policy(POINT, &StoragePolicy::default(), Some(UtcOffset::MOSCOW)).expect("Moscow time");
    let front = t.admin.issue_party_credential(PartyKind::BuyerFront, "site").expect("buyer-front credential");
    let now = UnixSeconds(Utc::now().timestamp());
    let today = now.local_day(UtcOffset::MOSCOW);
    let day_start = |day: i64| UnixSeconds::start_of_local_day(day, UtcOffset::MOSCOW);
    let cases = [
        ("d13", now.plus_seconds(-13 * 86_400), "operator", "paid 13 days ago"),
        ("d15", now.plus_seconds(-15 * 86_400), "seller", "paid 15 days ago"),
        ("first", day_start(today - 14), "operator", "paid at 00:00 local time 14 days ago: still day 14"),
        ("last", day_start(today - 14).plus_seconds(-1), "seller", "paid at 23:59:59 local time 15 days ago"),
    ];
    for (order, paid, decider, what) in cases {
        add_order(&t.admin, POINT, order, true);
        t.admin.mark_order_issued(order).expect("handed over");
        t.admin.set_order_paid_at(order, &rfc3339(paid)).expect("paid online back then");
        let opened = t.post_json("/v1/claims", Some(&front), &claim_body(order, &format!("{order}-1"))).await;
        assert_eq!(opened.status, 201, "{what}: the claim opens: {}", opened.body);
        assert_eq!(opened.body["decided_by"], decider, "{what}: the {decider} decides it");
        assert_eq!(opened.body["decision"], "under_review", "{what}: a new claim is under review");
        assert_eq!(opened.body["item_fate"], "with_buyer", "{what}: the item stays with the buyer meanwhile");
        let paid_at: DateTime<Utc> =
            opened.body["paid_at"].as_str().expect("paid_at").parse().expect("paid_at is RFC 3339");
        assert_eq!(paid_at.timestamp(), paid.0, "{what}: the claim shows when the item was paid");
    }
    t.server.shutdown().await;
}

#[tokio::test]
async fn only_the_buyer_front_opens_a_claim_on_the_buyers_own_item_that_was_handed_over() {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", false);
    let kiosk = t.enroll(POINT).await;
    let issue = op(1, completed("o1", &["o1-2"], vec![refused("o1-1", RefusalReason::DidNotFit, 14_900)], 264_900, 0));
    assert_eq!(outcome(&t.push(&kiosk, &[issue]).await, 0), "applied", "the issue applies");
    let front = t.admin.issue_party_credential(PartyKind::BuyerFront, "site").expect("buyer-front credential");
    let seller = t.admin.issue_seller_credential("s-2").expect("seller credential");

    let body = claim_body("o1", "o1-2");
    assert_api_error(&t.post_json("/v1/claims", None, &body).await, 401, "unauthorized", "no credential");
    assert_api_error(&t.post_json("/v1/claims", Some(&seller), &body).await, 403, "forbidden", "a seller");
    let forged = front.replace("site.", "site.x");
    assert_api_error(&t.post_json("/v1/claims", Some(&forged), &body).await, 401, "unauthorized", "a wrong secret");
    let theirs = json!({"buyer_id": "buyer-other", "order_id": "o1", "item_id": "o1-2", "description": "брак"});
    assert_api_error(&t.post_json("/v1/claims", Some(&front), &theirs).await, 404, "not_found", "another buyer's item");
    let refused_item = claim_body("o1", "o1-1");
    let refused_reply = t.post_json("/v1/claims", Some(&front), &refused_item).await;
    assert_api_error(&refused_reply, 409, "item_not_claimable", "an item refused at the counter");
    assert!(
        refused_reply.body["message"].as_str().unwrap_or("").contains("refused"),
        "says why: {}",
        refused_reply.body
    );
    let mut many = body.clone();
    many["photos"] = json!(vec!["a"; 11]);
    assert_api_error(&t.post_json("/v1/claims", Some(&front), &many).await, 400, "bad_request", "eleven photos");

    let unknown_photo = json!({"photos": ["0".repeat(64)]});
    let mut with_unknown = body.clone();
    with_unknown["photos"] = unknown_photo["photos"].clone();
    let refused_photo = t.post_json("/v1/claims", Some(&front), &with_unknown).await;
    assert_eq!(refused_photo.status, 400, "a photo never uploaded is refused: {}", refused_photo.body);

    let png = [&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A][..], b"seam photo"].concat();
    let upload = t.client.post(t.url("/v1/attachments")).header("content-type", "image/png").bearer_auth(&front);
    let photo = reply(upload.body(png).send().await.expect("upload sent")).await;
    assert_eq!(photo.status, 201, "the buyer's photo is stored: {}", photo.body);
    let mut with_photo = body.clone();
    with_photo["photos"] = json!([photo.body["id"]]);
    let opened = t.post_json("/v1/claims", Some(&front), &with_photo).await;
    assert_eq!(opened.status, 201, "the buyer's handed-over item is claimed: {}", opened.body);
    let claim_id = opened.body["claim_id"].as_str().expect("claim id");
    let thread = t.get(&format!("/v1/claims/{claim_id}/messages"), Some(&front)).await;
    assert_eq!(thread.status, 200, "the claim's conversation reads: {}", thread.body);
    let first = &thread.body["messages"][0];
    assert_eq!(first["author"], "buyer", "the buyer's description opens the conversation: {}", thread.body);
    assert_eq!(first["text"], "шов разошёлся", "with the description");
    assert_eq!(first["attachments"][0]["id"], photo.body["id"], "and the photo: {}", thread.body);
    assert_eq!(opened.body["decided_by"], "operator", "paid at the counter today: a marketplace return");
    assert!(opened.body["paid_at"].is_string(), "an item paid at the counter counts from its issue: {}", opened.body);
    let again = t.post_json("/v1/claims", Some(&front), &body).await;
    assert_api_error(&again, 409, "item_not_claimable", "a second claim on the same item");

    let listed = t.get("/v1/buyer/claims?buyer_id=buyer-o1", Some(&front)).await;
    assert_eq!(listed.status, 200, "the buyer's claims are listed: {}", listed.body);
    assert_eq!(listed.body.as_array().map(Vec::len), Some(1), "one claim: {}", listed.body);
    assert_eq!(listed.body[0]["claim_id"], opened.body["claim_id"], "the one just opened");
    assert_api_error(&t.get("/v1/buyer/claims", Some(&front)).await, 400, "bad_request", "no buyer named");
    assert_api_error(&t.get("/v1/buyer/claims?buyer_id=buyer-o1", Some(&seller)).await, 403, "forbidden", "a seller");
    t.server.shutdown().await;
}
