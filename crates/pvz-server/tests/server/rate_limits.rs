//! Rate limits on guessing (issue 13): wrong enrollment codes and wrong credentials are slowed with
//! 429 `rate_limited` and `Retry-After`, per address and per code or device, while a genuine kiosk
//! (its credential right) goes on syncing, and its successful calls use up nothing.

use crate::common::*;
use pvz_protocol::sync::{PROTOCOL_HEADER, PROTOCOL_VERSION};
use serde_json::json;
use std::net::IpAddr;
use std::time::Duration;

/// A budget small enough to use up in a test: 3 failures, then one per 20 s.
const BUDGET: u32 = 3;

/// A client whose requests come from another loopback address, as a second machine's would.
fn client_from(address: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder().local_address(IpAddr::from(address)).build().expect("a client")
}

async fn enroll_with(t: &TestServer, client: &reqwest::Client, code: &str) -> Reply {
    let req = client
        .post(t.url("/v1/enroll"))
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
        .json(&json!({"code": code, "device_name": "Касса"}));
    reply(req.send().await.expect("sent")).await
}

async fn pull_with(t: &TestServer, client: &reqwest::Client, credential: &str) -> reqwest::Response {
    let req = client.get(t.url("/v1/sync/pull")).header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string());
    req.bearer_auth(credential).send().await.expect("sent")
}

/// 429 `rate_limited` with a `Retry-After` of whole seconds within the budget's refill time.
async fn assert_limited(response: reqwest::Response, what: &str) {
    let retry_after = response.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let answer = reply(response).await;
    assert_api_error(&answer, 429, "rate_limited", what);
    let secs: u64 = retry_after.as_deref().and_then(|v| v.parse().ok()).unwrap_or(0);
    assert!((1..=20).contains(&secs), "{what}: Retry-After says when to try again, got {retry_after:?}");
}

fn small_budgets() -> impl FnOnce(pvz_server::Config) -> pvz_server::Config {
    |mut c| {
        c.enroll_failures_per_minute = BUDGET;
        c.credential_failures_per_minute = BUDGET;
        c
    }
}

#[tokio::test]
async fn wrong_enrollment_codes_are_slowed_per_address_and_the_right_code_waits_too() {
    let t = start_with(small_budgets()).await;
    let guesser = client_from([127, 0, 0, 1]);
    // A kiosk enrolled from the guesser's address before: a success uses up nothing.
    let kiosk = t.enroll(POINT).await;
    for guess in 0..BUDGET {
        let answer = enroll_with(&t, &guesser, &format!("WRONG-{guess:04}")).await;
        assert_api_error(&answer, 400, "enrollment_code_invalid", "a wrong code within the budget");
    }
    let over = guesser.post(t.url("/v1/enroll")).header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string());
    let over = over.json(&json!({"code": "WRONG-9999", "device_name": "Касса"})).send().await.expect("sent");
    assert_limited(over, "a wrong code over the budget").await;
    let code = t.admin.issue_enrollment_code(POINT, Duration::from_secs(3600)).expect("a fresh code");
    let right = guesser.post(t.url("/v1/enroll")).header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string());
    let right = right.json(&json!({"code": code, "device_name": "Касса"})).send().await.expect("sent");
    assert_limited(right, "even the right code from a blocked address is not looked at").await;

    let elsewhere = enroll_with(&t, &client_from([127, 0, 0, 2]), &code).await;
    assert_eq!(elsewhere.status, 200, "another address enrolls with the unused code: {}", elsewhere.body);
    let synced = pull_with(&t, &guesser, &kiosk.credential).await;
    assert_eq!(synced.status().as_u16(), 200, "the kiosk enrolled from the blocked address still syncs");
    t.server.shutdown().await;
}

#[tokio::test]
async fn wrong_credentials_are_slowed_per_address_and_device_while_the_genuine_kiosk_syncs() {
    let t = start_with(small_budgets()).await;
    add_order(&t.admin, POINT, "o1", false);
    let kiosk = t.enroll(POINT).await;
    let same_address = client_from([127, 0, 0, 1]);
    // Its successful calls use up nothing: many more than the budget, all served.
    for _ in 0..3 * BUDGET {
        assert_eq!(pull_with(&t, &same_address, &kiosk.credential).await.status().as_u16(), 200, "genuine pull");
    }
    let forged = format!(
        "{}AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        &kiosk.credential[..kiosk.credential.rfind('.').expect("a dot") + 1]
    );
    for _ in 0..BUDGET {
        let answer = reply(pull_with(&t, &same_address, &forged).await).await;
        assert_api_error(&answer, 401, "unauthorized", "a wrong secret within the budget");
    }
    assert_limited(pull_with(&t, &same_address, &forged).await, "a wrong secret over the budget").await;
    // The guessed device is blocked for guesses from any address; another address's own guesses
    // at some other device are its own.
    let other = client_from([127, 0, 0, 3]);
    assert_limited(pull_with(&t, &other, &forged).await, "the guessed device, from another address").await;
    let stranger = "pvzd1.dev-unknown.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let fresh = reply(pull_with(&t, &other, stranger).await).await;
    assert_api_error(&fresh, 401, "unauthorized", "another address guessing another device is not blocked");

    // Meanwhile the genuine kiosk, from the blocked address, with its blocked device id: served.
    assert_eq!(pull_with(&t, &same_address, &kiosk.credential).await.status().as_u16(), 200, "the kiosk pulls");
    let pushed = t.push(&kiosk, &[op(1, opened("o1"))]).await;
    assert_eq!(pushed.status, 200, "the kiosk pushes: {}", pushed.body);
    assert_eq!(outcome(&pushed, 0), "applied", "its op is applied");
    t.server.shutdown().await;
}
