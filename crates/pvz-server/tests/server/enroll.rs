//! Enrollment again with `previous_credential`: the server continues the kiosk's device (new
//! credential, same seq numbering) at the code's point only for a caller that proves it held the
//! device's credential, refuses a wrong secret or another point's device without using the code,
//! treats a device it never issued as a fresh enrollment, and keeps each enrollment in the history.

use crate::common::*;
use pvz_protocol::sync::EnrollResponse;
use serde_json::json;
use std::time::Duration;

async fn enroll_again(t: &TestServer, point: &str, previous_credential: &str) -> Reply {
    let code = t.admin.issue_enrollment_code(point, Duration::from_secs(3600)).expect("issue code");
    enroll_with(t, &code, Some(previous_credential)).await
}

async fn enroll_with(t: &TestServer, code: &str, previous_credential: Option<&str>) -> Reply {
    let mut body = json!({"code": code, "device_name": "Касса 1 (снова)"});
    if let Some(credential) = previous_credential {
        body["previous_credential"] = json!(credential);
    }
    t.post_json("/v1/enroll", None, &body).await
}

fn kiosk_of(reply: &Reply) -> Kiosk {
    let response: EnrollResponse = serde_json::from_value(reply.body.clone()).expect("an EnrollResponse");
    Kiosk {
        credential: response.credential.expect("a server-made credential"),
        device_id: response.enrollment.device_id.to_string(),
    }
}

/// A credential of the same device with a secret that is not its own.
fn forged(device_id: &str) -> String {
    format!("pvzd1.{device_id}.{}", "A".repeat(43))
}

#[tokio::test]
async fn a_revoked_device_enrolled_again_continues_its_seq_and_the_old_credential_stops_working() {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", false);
    let old = t.enroll(POINT).await;
    let first = t.push(&old, &[op(1, opened("o1")), op(2, opened("o1")), op(3, opened("o1"))]).await;
    assert_eq!(first.body["last_seq"], 3, "seqs 1..3 are applied: {}", first.body);
    t.admin.revoke_device(&old.device_id).expect("revoke");

    let reply = enroll_again(&t, POINT, &old.credential).await;
    assert_eq!(reply.status, 200, "enrolling again with the revoked credential succeeds: {}", reply.body);
    let new = kiosk_of(&reply);
    assert_eq!(new.device_id, old.device_id, "the same device is continued");
    assert_ne!(new.credential, old.credential, "with a new credential");

    let next = t.push(&new, &[op(4, opened("o1"))]).await;
    assert_eq!(next.status, 200, "the new credential pushes: {}", next.body);
    assert_eq!(outcome(&next, 0), "applied", "seq 4 follows seq 3 with no gap: {}", next.body);
    assert_eq!(next.body["gap"], serde_json::Value::Null, "no gap");
    let counts = t.admin.op_counts(&new.device_id).expect("counts");
    assert_eq!((counts.applied, counts.last_seq), (4, 4), "the device keeps its ops and seq");
    assert_api_error(&t.push(&old, &[op(5, opened("o1"))]).await, 401, "unauthorized", "the old credential");

    let history = t.admin.device_enrollments(&new.device_id).expect("history");
    assert_eq!(history.len(), 2, "two enrollments recorded: {history:?}");
    assert!(!history[0].continued && history[0].cleared_revoked_at.is_none(), "the first made the device: {history:?}");
    assert!(history[1].continued, "the second continued it: {history:?}");
    assert!(history[1].cleared_revoked_at.is_some(), "and records the revocation it cleared: {history:?}");
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_code_holder_naming_a_device_without_its_secret_is_refused_and_the_device_keeps_working() {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", false);
    let victim = t.enroll(POINT).await;
    let code = t.admin.issue_enrollment_code(POINT, Duration::from_secs(3600)).expect("code");

    let refused = enroll_with(&t, &code, Some(&forged(&victim.device_id))).await;
    assert_api_error(&refused, 403, "previous_credential_rejected", "a wrong secret for a known device");
    let message = refused.body["message"].as_str().unwrap_or("");
    assert!(message.contains("does not match") && message.contains("not used"), "says why: {message}");

    // The device is revoked now: the check is the same, a revoked device is no easier to take.
    t.admin.revoke_device(&victim.device_id).expect("revoke");
    let refused = enroll_with(&t, &code, Some(&forged(&victim.device_id))).await;
    assert_api_error(&refused, 403, "previous_credential_rejected", "a wrong secret for a revoked device");
    let malformed = enroll_with(&t, &code, Some(&victim.device_id)).await;
    assert_api_error(&malformed, 400, "bad_request", "a bare device id is no credential");

    let back = enroll_with(&t, &code, Some(&victim.credential)).await;
    assert_eq!(back.status, 200, "the refusals left the code usable for the real kiosk: {}", back.body);
    let back = kiosk_of(&back);
    assert_eq!(back.device_id, victim.device_id, "the real kiosk continues its device");
    let pushed = t.push(&back, &[op(1, opened("o1"))]).await;
    assert_eq!(outcome(&pushed, 0), "applied", "its seq 1 was never taken: {}", pushed.body);
    let history = t.admin.device_enrollments(&victim.device_id).expect("history");
    assert_eq!(history.len(), 2, "refusals leave no history rows: {history:?}");
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_wrong_secret_does_not_rotate_a_working_device() {
    let t = start().await;
    let victim = t.enroll(POINT).await;
    let code = t.admin.issue_enrollment_code(POINT, Duration::from_secs(3600)).expect("code");
    let refused = enroll_with(&t, &code, Some(&forged(&victim.device_id))).await;
    assert_api_error(&refused, 403, "previous_credential_rejected", "a takeover attempt");
    assert_eq!(t.pull(&victim, &[]).await.status, 200, "the device's credential still works");
    let fresh = enroll_with(&t, &code, None).await;
    assert_eq!(fresh.status, 200, "the code was not used up by the refusal: {}", fresh.body);
    assert_ne!(kiosk_of(&fresh).device_id, victim.device_id, "without a credential the caller gets a new device");
    assert_eq!(t.pull(&victim, &[]).await.status, 200, "and the device's credential still works");
    t.server.shutdown().await;
}

#[tokio::test]
async fn another_points_device_is_refused_and_the_code_stays_usable() {
    let t = start().await;
    let kiosk = t.enroll(POINT).await;
    let code = t.admin.issue_enrollment_code(OTHER_POINT, Duration::from_secs(3600)).expect("code");
    let refused = enroll_with(&t, &code, Some(&kiosk.credential)).await;
    assert_api_error(&refused, 403, "forbidden", "continuing another point's device");
    let message = refused.body["message"].as_str().unwrap_or("");
    assert!(message.contains("another pickup point") && message.contains("not used"), "says why: {message}");
    assert_eq!(t.pull(&kiosk, &[]).await.status, 200, "the device's credential was not rotated");
    let fresh = enroll_with(&t, &code, None).await;
    assert_eq!(fresh.status, 200, "the code was not used up by the refusal: {}", fresh.body);
    assert_ne!(kiosk_of(&fresh).device_id, kiosk.device_id, "a new device for the other point");
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_device_the_server_never_issued_enrolls_as_a_new_device() {
    let t = start().await;
    let reply = enroll_again(&t, POINT, &forged("demo-device-1")).await;
    assert_eq!(reply.status, 200, "an unknown device is a fresh enrollment: {}", reply.body);
    let kiosk = kiosk_of(&reply);
    assert_ne!(kiosk.device_id, "demo-device-1", "the server names the new device itself");
    assert_eq!(t.admin.op_counts(&kiosk.device_id).expect("counts").last_seq, 0, "starting from seq 1");
    let history = t.admin.device_enrollments(&kiosk.device_id).expect("history");
    assert_eq!(history.len(), 1, "a new device's enrollment is recorded: {history:?}");
    assert!(!history[0].continued, "as a new device: {history:?}");
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_kiosk_saying_it_belongs_to_another_point_is_refused_before_the_code_is_used() {
    let t = start().await;
    let code = t.admin.issue_enrollment_code(OTHER_POINT, Duration::from_secs(3600)).expect("code");
    let body = json!({"code": code, "device_name": "Касса 1", "current_pickup_point": POINT});
    let refused = t.post_json("/v1/enroll", None, &body).await;
    assert_api_error(&refused, 403, "forbidden", "a code of another point than the kiosk's own");
    assert!(t.admin.devices(None).expect("fleet").is_empty(), "no device is made for a refused code");
    let junk = json!({"code": code, "device_name": "Касса 1", "current_pickup_point": "pp a/b"});
    assert_api_error(&t.post_json("/v1/enroll", None, &junk).await, 400, "bad_request", "a malformed point id");
    let own = json!({"code": code, "device_name": "Касса 1", "current_pickup_point": OTHER_POINT});
    let reply = t.post_json("/v1/enroll", None, &own).await;
    assert_eq!(reply.status, 200, "the code was left unused, and its own point's kiosk enrolls: {}", reply.body);
    t.server.shutdown().await;
}

fn kiosk_made(code: &str, secret: &str, previous_credential: Option<&str>) -> serde_json::Value {
    let hash = pvz_server::db::sha256_hex(secret.as_bytes());
    let mut body = json!({"code": code, "device_name": "Касса 1", "secret_sha256": hash});
    if let Some(credential) = previous_credential {
        body["previous_credential"] = json!(credential);
    }
    body
}

#[tokio::test]
async fn the_same_code_and_secret_hash_again_get_the_same_answer_and_another_hash_does_not() {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", false);
    let code = t.admin.issue_enrollment_code(POINT, Duration::from_secs(3600)).expect("code");
    let secret = "k".repeat(43);
    let first = t.post_json("/v1/enroll", None, &kiosk_made(&code, &secret, None)).await;
    assert_eq!(first.status, 200, "a kiosk-made secret enrolls: {}", first.body);
    assert!(
        first.body.get("credential").is_none(),
        "the server does not know the secret, so sends none: {}",
        first.body
    );
    let again = t.post_json("/v1/enroll", None, &kiosk_made(&code, &secret, None)).await;
    assert_eq!(again.status, 200, "the answer was lost: asking again succeeds: {}", again.body);
    assert_eq!(again.body, first.body, "with the same answer");
    assert_eq!(t.admin.devices(None).expect("fleet").len(), 1, "and no second device");

    let device_id = first.body["enrollment"]["device_id"].as_str().expect("device id").to_owned();
    let kiosk = Kiosk { credential: format!("pvzd1.{device_id}.{secret}"), device_id };
    assert_eq!(outcome(&t.push(&kiosk, &[op(1, opened("o1"))]).await, 0), "applied", "the kiosk's credential works");

    let other = t.post_json("/v1/enroll", None, &kiosk_made(&code, &"x".repeat(43), None)).await;
    assert_api_error(&other, 400, "enrollment_code_invalid", "the used code with another hash");
    let bad = json!({"code": code, "device_name": "Касса 1", "secret_sha256": "not-hex"});
    assert_api_error(&t.post_json("/v1/enroll", None, &bad).await, 400, "bad_request", "a hash that is no sha256");
    t.server.shutdown().await;
}

#[tokio::test]
async fn after_a_secret_reset_a_fresh_code_continues_the_device_without_the_old_secret() {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", false);
    let lost = t.enroll(POINT).await;
    assert_eq!(outcome(&t.push(&lost, &[op(1, opened("o1"))]).await, 0), "applied", "seq 1 applied");
    let code = t.admin.issue_enrollment_code(POINT, Duration::from_secs(3600)).expect("code");
    let refused =
        t.post_json("/v1/enroll", None, &kiosk_made(&code, &"n".repeat(43), Some(&forged(&lost.device_id)))).await;
    assert_api_error(&refused, 403, "previous_credential_rejected", "without the secret and without a reset");

    t.admin.reset_device_secret(&lost.device_id).expect("the operator resets the device's secret");
    let secret = "n".repeat(43);
    let reply = t.post_json("/v1/enroll", None, &kiosk_made(&code, &secret, Some(&forged(&lost.device_id)))).await;
    assert_eq!(reply.status, 200, "after the reset the device is continued without its old secret: {}", reply.body);
    assert_eq!(reply.body["enrollment"]["device_id"], lost.device_id.as_str(), "the same device");
    let kiosk = Kiosk { credential: format!("pvzd1.{}.{secret}", lost.device_id), device_id: lost.device_id.clone() };
    assert_eq!(outcome(&t.push(&kiosk, &[op(2, opened("o1"))]).await, 0), "applied", "its seq continues at 2");

    let code = t.admin.issue_enrollment_code(POINT, Duration::from_secs(3600)).expect("code");
    let again =
        t.post_json("/v1/enroll", None, &kiosk_made(&code, &"z".repeat(43), Some(&forged(&lost.device_id)))).await;
    assert_api_error(&again, 403, "previous_credential_rejected", "the reset ends with the enrollment it allowed");
    assert!(t.admin.reset_device_secret("no-such-device").is_err(), "an unknown device cannot be reset");
    t.server.shutdown().await;
}
