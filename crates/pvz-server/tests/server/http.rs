//! The HTTP boundary: every failure is an ApiError body with the right status, and nothing is stored
//! for a refused request. Credentials, protocol version, body shape and size, tenants, enrollment.

use crate::common::*;
use pvz_protocol::sync::{PROTOCOL_HEADER, PROTOCOL_VERSION};
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn bad_revoked_or_missing_credentials_are_401() {
    let t = start().await;
    let kiosk = t.enroll(POINT).await;
    let ops = [op(1, opened("x"))];
    let missing = t.post_json("/v1/sync/push", None, &json!({ "ops": ops })).await;
    assert_api_error(&missing, 401, "unauthorized", "no credential");
    let forged = format!("{}x", &kiosk.credential[..kiosk.credential.len() - 1]);
    let bad = t.post_json("/v1/sync/push", Some(&forged), &json!({ "ops": ops })).await;
    assert_api_error(&bad, 401, "unauthorized", "a wrong secret");
    let garbage = t.post_json("/v1/sync/push", Some("hello"), &json!({ "ops": ops })).await;
    assert_api_error(&garbage, 401, "unauthorized", "not a credential");
    t.admin.revoke_device(&kiosk.device_id).expect("revoke");
    let revoked = t.pull(&kiosk, &[]).await;
    assert_api_error(&revoked, 401, "unauthorized", "a revoked device");
    assert_eq!(t.admin.op_counts(&kiosk.device_id).expect("counts").last_seq, 0, "nothing stored");
    t.server.shutdown().await;
}

#[tokio::test]
async fn an_old_protocol_header_is_426_and_a_missing_one_400() {
    let t = start().await;
    let kiosk = t.enroll(POINT).await;
    for header in ["0", "1"] {
        let req = t.client.get(t.url("/v1/sync/pull")).bearer_auth(&kiosk.credential).header(PROTOCOL_HEADER, header);
        let reply = reply(req.send().await.expect("sent")).await;
        assert_api_error(&reply, 426, "upgrade_required", &format!("protocol header {header:?}"));
        let message = reply.body["message"].as_str().unwrap_or("");
        assert!(message.contains("too old, update it"), "the message tells the kiosk to update: {message}");
    }
    let enroll = t.client.post(t.url("/v1/enroll")).json(&json!({"code": "x", "device_name": "y"}));
    assert_eq!(reply(enroll.send().await.expect("sent")).await.status, 400, "enroll needs the header too");
    let health = t.client.get(t.url("/v1/health")).send().await.expect("sent");
    assert_eq!(health.status().as_u16(), 200, "health is exempt from the protocol header");
    t.server.shutdown().await;
}

#[tokio::test]
async fn malformed_wrong_typed_unknown_and_oversized_bodies_are_refused_with_nothing_stored() {
    let t = start_with(|mut c| {
        c.max_body_bytes = 4096;
        c
    })
    .await;
    add_order(&t.admin, POINT, "o1", false);
    let kiosk = t.enroll(POINT).await;
    let cred = Some(kiosk.credential.as_str());
    let r = t.post_raw("/v1/sync/push", cred, b"{\"ops\": [".to_vec()).await;
    assert_api_error(&r, 400, "bad_request", "malformed JSON");
    let r = t.post_json("/v1/sync/push", cred, &json!({"ops": [{"seq": "one"}]})).await;
    assert_api_error(&r, 422, "bad_request", "wrong types");
    // An unknown op type is that op's `invalid_input` rejection since protocol 4 (see `edge`).
    let big: Vec<_> = (1..=60).map(|s| op(s, opened("o1"))).collect();
    let r = t.push(&kiosk, &big).await;
    assert_api_error(&r, 413, "payload_too_large", "a body over the limit");
    let r = t.push(&kiosk, &[op(2, opened("o1")), op(1, opened("o1"))]).await;
    assert_api_error(&r, 400, "bad_request", "seqs out of order");
    let r = t.push(&kiosk, &[op(1, opened("o1")), op(1, opened("o1"))]).await;
    assert_api_error(&r, 400, "bad_request", "a repeated seq");
    assert_eq!(t.admin.op_counts(&kiosk.device_id).expect("counts").last_seq, 0, "nothing was stored");
    t.server.shutdown().await;
}

#[tokio::test]
async fn more_than_max_push_ops_is_400() {
    let t = start().await;
    let kiosk = t.enroll(POINT).await;
    let ops: Vec<_> = (1..=501).map(|s| op(s, opened("o1"))).collect();
    assert_api_error(&t.push(&kiosk, &ops).await, 400, "bad_request", "501 ops in one push");
    assert_eq!(t.admin.op_counts(&kiosk.device_id).expect("counts").last_seq, 0, "nothing was stored");
    t.server.shutdown().await;
}

#[tokio::test]
async fn another_points_orders_are_refused_per_op_and_its_feed_for_the_whole_call() {
    let t = start().await;
    add_order(&t.admin, POINT, "mine", false);
    add_order(&t.admin, OTHER_POINT, "theirs", false);
    let kiosk = t.enroll(POINT).await;
    let reply = t
        .push(
            &kiosk,
            &[op(1, opened("mine")), op(2, completed("theirs", &["theirs-1", "theirs-2"], vec![], 350_000, 0))],
        )
        .await;
    assert_eq!(reply.status, 200, "another point's order is the op's fault, not the push's: {}", reply.body);
    assert_eq!(outcome(&reply, 0), "applied", "the own op applies: {}", reply.body);
    assert_eq!(reject_code(&reply, 1), "other_point", "the other point's op is refused alone: {}", reply.body);
    assert_eq!(t.admin.ledger_check().expect("check").transactions, 0, "no money moved");
    let pull = t.pull(&kiosk, &[("pickup_point", OTHER_POINT)]).await;
    assert_api_error(&pull, 403, "forbidden", "a pull of another point");
    let own = t.pull(&kiosk, &[("pickup_point", POINT)]).await;
    assert_eq!(own.status, 200, "naming the own point is fine: {}", own.body);
    t.server.shutdown().await;
}

#[tokio::test]
async fn an_enrollment_code_works_once_and_not_after_expiry() {
    let t = start().await;
    let code = t.admin.issue_enrollment_code(POINT, Duration::from_secs(3600)).expect("code");
    let body = json!({"code": code.to_lowercase(), "device_name": "Касса 1"});
    let first = t.post_json("/v1/enroll", None, &body).await;
    assert_eq!(first.status, 200, "a fresh code enrolls (case-insensitive): {}", first.body);
    assert_eq!(first.body["enrollment"]["pickup_point_id"], POINT, "bound to its point");
    let key = first.body["enrollment"]["server_public_key"].as_str().unwrap_or("");
    assert!(pvz_protocol::PublicKey::parse(key).is_ok(), "the server key is base64url ed25519: {key}");
    let second = t.post_json("/v1/enroll", None, &body).await;
    assert_api_error(&second, 400, "enrollment_code_invalid", "a used code");
    let expired = t.admin.issue_enrollment_code(POINT, Duration::ZERO).expect("code");
    let reply = t.post_json("/v1/enroll", None, &json!({"code": expired, "device_name": "Касса 2"})).await;
    assert_api_error(&reply, 400, "enrollment_code_invalid", "an expired code");
    let reply = t.post_json("/v1/enroll", None, &json!({"code": "NOPE-NOPE-NOPE", "device_name": "Касса 3"})).await;
    assert_api_error(&reply, 400, "enrollment_code_invalid", "an unknown code");
    t.server.shutdown().await;
}

#[tokio::test]
async fn unknown_paths_and_methods_answer_with_api_errors() {
    let t = start().await;
    let r = reply(t.client.get(t.url("/v1/nope")).send().await.expect("sent")).await;
    assert_api_error(&r, 404, "not_found", "an unknown path");
    let r = reply(
        t.client
            .delete(t.url("/v1/health"))
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(r.status, 405, "a wrong method is 405: {}", r.body);
    assert!(r.body["code"].is_string(), "with an ApiError body: {}", r.body);
    t.server.shutdown().await;
}

/// A kiosk of the previous protocol (2) is still served: it sends nothing this server cannot read.
#[tokio::test]
async fn a_kiosk_of_the_previous_protocol_still_syncs() {
    let t = start().await;
    let kiosk = t.enroll(POINT).await;
    let previous = (PROTOCOL_VERSION - 1).to_string();
    let req = t.client.get(t.url("/v1/sync/pull")).bearer_auth(&kiosk.credential).header(PROTOCOL_HEADER, &previous);
    let pulled = reply(req.send().await.expect("sent")).await;
    assert_eq!(pulled.status, 200, "a protocol-2 kiosk pulls as before: {}", pulled.body);
    let older = (pvz_protocol::sync::OLDEST_SUPPORTED_PROTOCOL - 1).to_string();
    let req = t.client.get(t.url("/v1/sync/pull")).bearer_auth(&kiosk.credential).header(PROTOCOL_HEADER, &older);
    let refused = reply(req.send().await.expect("sent")).await;
    assert_api_error(&refused, 426, "upgrade_required", "a kiosk older than the oldest served must be updated");
    t.server.shutdown().await;
}

/// A kiosk newer than this server may send op types the server cannot read: it is told to wait for
/// a server update instead of having its batch refused as malformed.
#[tokio::test]
async fn a_newer_protocol_than_the_server_knows_is_refused_as_server_too_old() {
    let t = start().await;
    let kiosk = t.enroll(POINT).await;
    let newer = (PROTOCOL_VERSION + 1).to_string();
    let req = t.client.get(t.url("/v1/sync/pull")).bearer_auth(&kiosk.credential).header(PROTOCOL_HEADER, &newer);
    let reply = reply(req.send().await.expect("sent")).await;
    assert_api_error(&reply, 400, "server_too_old", "a kiosk speaking a newer protocol");
    let message = reply.body["message"].as_str().unwrap_or("");
    assert!(message.contains("older than the kiosk; update the server"), "the message says what to do: {message}");
    t.server.shutdown().await;
}
