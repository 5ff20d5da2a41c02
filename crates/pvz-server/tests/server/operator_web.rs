//! The operator's views behind the web page: the attention list of rejected ops across points with
//! their reasons, and the fleet with each device's last sync, app version, ops waiting as the kiosk
//! reported them and its clock offset; and the web page's static files with their security headers.

use crate::common::*;
use pvz_protocol::sync::{PROTOCOL_HEADER, PROTOCOL_VERSION};
use pvz_protocol::web::OUTBOX_WAITING_HEADER;
use pvz_server::credentials::PartyKind;
use serde_json::json;

#[tokio::test]
async fn the_attention_list_shows_a_rejected_op_of_any_point_with_its_reason() {
    let t = start().await;
    add_order(&t.admin, OTHER_POINT, "x1", true);
    let kiosk = t.enroll(POINT).await;
    let rejected = op(1, completed("x1", &["x1-1", "x1-2"], vec![], 0, 0));
    let reply = t.push(&kiosk, std::slice::from_ref(&rejected)).await;
    assert_eq!(reject_code(&reply, 0), "other_point", "another point's order is rejected: {}", reply.body);

    let operator = t.admin.issue_party_credential(PartyKind::Operator, "op-1").expect("operator credential");
    let list = t.get("/v1/operator/attention", Some(&operator)).await;
    assert_eq!(list.status, 200, "the operator reads the attention list: {}", list.body);
    let first = &list.body[0];
    assert_eq!(first["op_id"], rejected.op_id.to_string(), "the rejected op is listed: {}", list.body);
    assert_eq!(first["op_type"], "issue_completed", "with its type");
    assert_eq!(first["reason"], "other_point", "and its reason");
    assert!(first["message"].as_str().is_some_and(|m| !m.is_empty()), "and the reason's words: {first}");
    assert_eq!(
        (&first["device_id"], &first["pickup_point_id"], &first["seq"]),
        (&json!(kiosk.device_id), &json!(POINT), &json!(1))
    );
    let one = t.get("/v1/operator/attention?limit=1", Some(&operator)).await;
    assert_eq!(one.body.as_array().map(Vec::len), Some(1), "a limit bounds the list: {}", one.body);

    add_order(&t.admin, POINT, "o1", true);
    let seller = t.admin.issue_seller_credential("s-1").expect("seller credential");
    let refused = t.get("/v1/operator/attention", Some(&seller)).await;
    assert_api_error(&refused, 403, "forbidden", "a seller reading the attention list");
}

#[tokio::test]
async fn the_fleet_shows_each_devices_last_sync_app_outbox_and_clock_offset() {
    let t = start().await;
    let kiosk = t.enroll(POINT).await;
    let idle = t.enroll(OTHER_POINT).await;
    let kiosk_now = (chrono::Utc::now() - chrono::Duration::seconds(600)).to_rfc3339();
    let reply = t
        .client
        .post(t.url("/v1/sync/push"))
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
        .header("user-agent", "pvz-kiosk/9.9.9")
        .header(OUTBOX_WAITING_HEADER, "4")
        .bearer_auth(&kiosk.credential)
        .json(&json!({ "ops": [op(1, opened("o-none"))], "now": kiosk_now }))
        .send()
        .await
        .expect("push sent");
    assert_eq!(reply.status(), 200, "the push is answered");
    // A later call that does not report the count (a claim lookup at the counter) keeps it.
    let lookup = t
        .client
        .get(t.url("/v1/claims/clm-none"))
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
        .header("user-agent", "pvz-kiosk/9.9.9")
        .bearer_auth(&kiosk.credential)
        .send()
        .await
        .expect("claim lookup sent");
    assert_eq!(lookup.status(), 404, "an unknown claim is not found");

    let operator = t.admin.issue_party_credential(PartyKind::Operator, "op-1").expect("operator credential");
    let fleet = t.get("/v1/operator/fleet", Some(&operator)).await;
    assert_eq!(fleet.status, 200, "the operator reads the fleet: {}", fleet.body);
    let devices = fleet.body.as_array().cloned().unwrap_or_default();
    let device = devices.iter().find(|d| d["device_id"] == kiosk.device_id.as_str()).expect("the pushing kiosk");
    assert!(device["last_sync_at"].as_str().is_some_and(|at| at.starts_with("20")), "its last sync: {device}");
    assert_eq!(device["app_version"], "pvz-kiosk/9.9.9", "its app version: {device}");
    assert_eq!(device["ops_waiting"], 4, "the ops waiting it last reported, kept by a call that said none: {device}");
    assert_eq!(device["ops_received"], 1, "the ops the server has: {device}");
    let offset = device["clock_offset_seconds"].as_i64().expect("a measured clock offset");
    assert!((-610..=-590).contains(&offset), "its clock runs 10 minutes behind the server's: {device}");
    assert_eq!(device["pickup_point_id"], POINT, "at its point: {device}");
    let other = devices.iter().find(|d| d["device_id"] == idle.device_id.as_str()).expect("the idle kiosk");
    assert_eq!((&other["ops_waiting"], &other["clock_offset_seconds"]), (&json!(null), &json!(null)), "never reported");

    let seller_dir = t.admin.issue_party_credential(PartyKind::BuyerFront, "front").expect("buyer-front credential");
    let refused = t.get("/v1/operator/fleet", Some(&seller_dir)).await;
    assert_api_error(&refused, 403, "forbidden", "the buyer front reading the fleet");
}

#[tokio::test]
async fn the_web_page_is_served_with_its_security_headers_and_says_when_it_is_not_built() {
    let page = tempfile::tempdir().expect("a page dir");
    std::fs::write(page.path().join("index.html"), "<!doctype html><title>ПВЗ</title>").expect("index.html");
    std::fs::create_dir(page.path().join("assets")).expect("assets dir");
    std::fs::write(page.path().join("assets/app.js"), "console.log(1)").expect("a script");
    let dir = page.path().to_owned();
    let t = start_with(move |c| pvz_server::Config { web_dir: Some(dir), ..c }).await;
    for (path, body) in [
        ("/seller/", "<title>ПВЗ</title>"),
        ("/seller/claims/c-1", "<title>ПВЗ</title>"),
        ("/seller/assets/app.js", "console.log(1)"),
    ] {
        let response = t.client.get(t.url(path)).send().await.expect("request sent");
        assert_eq!(response.status(), 200, "{path} is served");
        let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        let csp = header("content-security-policy");
        assert!(csp.contains("default-src 'self'") && csp.contains("script-src 'self'"), "{path}: a strict CSP: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: no inline script or style: {csp}");
        assert_eq!(header("x-frame-options"), "DENY", "{path}: never framed");
        assert_eq!(header("referrer-policy"), "same-origin", "{path}: no referrer to other sites");
        let text = response.text().await.expect("body");
        assert!(text.contains(body), "{path}: the file, or index.html for a page route: {text}");
    }
    let root = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let redirect = root.get(t.url("/")).send().await.expect("request sent");
    assert_eq!(
        redirect.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/seller/"),
        "/ leads to the page"
    );

    let missing = tempfile::tempdir().expect("an empty dir");
    let empty = missing.path().to_owned();
    let unbuilt = start_with(move |c| pvz_server::Config { web_dir: Some(empty), ..c }).await;
    let response = unbuilt.client.get(unbuilt.url("/seller/")).send().await.expect("request sent");
    assert_eq!(response.status(), 404, "no built page: 404");
    let text = response.text().await.expect("body");
    assert!(text.contains("npm --prefix ui run build:web"), "the page says how to build it: {text}");
}
