//! The web page's session (`/v1/web/session`): a seller's or operator's credential exchanged for an
//! HttpOnly, SameSite=Strict cookie that every instance sharing the database honours, changing
//! requests refused without the session's CSRF token, sign-out, expiry and a replaced credential
//! ending it everywhere, and wrong or unfit credentials refused (a wrong one counted toward the rate
//! limit).

use crate::common::*;
use pvz_server::credentials::PartyKind;
use reqwest::header::{COOKIE, SET_COOKIE};
use serde_json::{json, Value};

/// A signed-in session: the cookie to send back and the CSRF token the body gave.
pub struct Session {
    pub cookie: String,
    pub csrf: String,
    pub set_cookie: String,
    pub body: Value,
}

/// Signs in on `base` (a server's URL) with `credential`; must succeed.
pub async fn sign_in(client: &reqwest::Client, base: &str, credential: &str) -> Session {
    let response = client
        .post(format!("{base}/v1/web/session"))
        .json(&json!({ "credential": credential }))
        .send()
        .await
        .expect("sign-in sent");
    let set_cookie = response.headers().get(SET_COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let reply = reply(response).await;
    assert_eq!(reply.status, 200, "signing in with a valid credential succeeds: {}", reply.body);
    let cookie = set_cookie.split(';').next().unwrap_or_default().to_owned();
    assert!(cookie.starts_with("pvz_session=") && cookie.len() > 20, "a session cookie is set: {set_cookie}");
    let csrf = reply.body["csrf_token"].as_str().unwrap_or_default().to_owned();
    Session { cookie, csrf, set_cookie, body: reply.body }
}

/// A request with the session's cookie, and its CSRF token when `csrf` is given.
pub async fn with_cookie(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    cookie: &str,
    csrf: Option<&str>,
    body: Option<Value>,
) -> Reply {
    let mut req = client.request(method, url).header(COOKIE, cookie);
    if let Some(csrf) = csrf {
        req = req.header("x-csrf-token", csrf);
    }
    if let Some(body) = body {
        req = req.json(&body);
    }
    reply(req.send().await.expect("request sent")).await
}

fn seller_with_claim(t: &TestServer) -> (String, String) {
    add_order(&t.admin, POINT, "o1", true);
    t.admin.mark_order_issued("o1").expect("issued");
    paid_20_days_ago(&t.admin, "o1");
    let claim = t.admin.open_claim("o1", "o1-1", "шов разошёлся").expect("open").claim_id.to_string();
    (t.admin.issue_seller_credential("s-1").expect("seller credential"), claim)
}

#[tokio::test]
async fn a_seller_signs_in_with_an_http_only_cookie_every_instance_honours_until_signing_out() {
    let t = start().await;
    let (credential, _claim) = seller_with_claim(&t);
    let second = pvz_server::spawn(config(t.dir.path())).await.expect("a second instance on the same database");
    let (first_url, second_url) = (t.server.url(), second.url());

    let session = sign_in(&t.client, &first_url, &credential).await;
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
        assert!(session.set_cookie.contains(attribute), "the cookie is {attribute}: {}", session.set_cookie);
    }
    assert!(!session.set_cookie.contains("Secure"), "plain http on loopback: not Secure: {}", session.set_cookie);
    let body = session.body.to_string();
    let token = session.cookie.trim_start_matches("pvz_session=");
    assert!(!body.contains(&credential) && !body.contains(token), "the body carries no credential or token: {body}");
    assert_eq!(session.body["party"], "seller", "a seller's session: {body}");
    assert_eq!(session.body["name"], "s-1", "named by the seller's id: {body}");
    let stored: i64 = connect(t.dir.path())
        .query_row("SELECT COUNT(*) FROM web_sessions WHERE token_sha256 = ?1", [token], |r| r.get(0))
        .expect("count");
    assert_eq!(stored, 0, "the database keys the session by the token's hash, never the token");

    let get = reqwest::Method::GET;
    let again =
        with_cookie(&t.client, get.clone(), format!("{second_url}/v1/web/session"), &session.cookie, None, None).await;
    assert_eq!(again.status, 200, "the other instance knows the session: {}", again.body);
    assert_eq!(again.body["csrf_token"], session.csrf.as_str(), "and gives the same CSRF token after a reload");
    let claims =
        with_cookie(&t.client, get.clone(), format!("{second_url}/v1/seller/claims"), &session.cookie, None, None)
            .await;
    assert_eq!(claims.status, 200, "the cookie authenticates a seller endpoint there: {}", claims.body);
    assert_eq!(claims.body.as_array().map(Vec::len), Some(1), "the seller's one claim: {}", claims.body);

    let unprotected = with_cookie(
        &t.client,
        reqwest::Method::DELETE,
        format!("{first_url}/v1/web/session"),
        &session.cookie,
        None,
        None,
    )
    .await;
    assert_api_error(&unprotected, 403, "csrf_mismatch", "signing out without the CSRF token");
    let out = t
        .client
        .delete(format!("{second_url}/v1/web/session"))
        .header(COOKIE, &session.cookie)
        .header("x-csrf-token", &session.csrf)
        .send()
        .await
        .expect("sign-out sent");
    assert_eq!(out.status(), 204, "signing out with the CSRF token ends the session");
    let cleared = out.headers().get(SET_COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(cleared.starts_with("pvz_session=;") && cleared.contains("Max-Age=0"), "the cookie is cleared: {cleared}");
    for (base, which) in [(&first_url, "first"), (&second_url, "second")] {
        let gone =
            with_cookie(&t.client, get.clone(), format!("{base}/v1/web/session"), &session.cookie, None, None).await;
        assert_api_error(&gone, 401, "unauthorized", &format!("the ended session on the {which} instance"));
        let refused =
            with_cookie(&t.client, get.clone(), format!("{base}/v1/seller/claims"), &session.cookie, None, None).await;
        assert_api_error(&refused, 401, "unauthorized", &format!("a seller endpoint on the {which} instance"));
    }
    second.shutdown().await;
}

#[tokio::test]
async fn a_changing_request_with_the_cookie_needs_the_sessions_csrf_token() {
    let t = start().await;
    let (credential, claim) = seller_with_claim(&t);
    let session = sign_in(&t.client, &t.server.url(), &credential).await;
    let url = t.url(&format!("/v1/claims/{claim}/actions"));
    let approve = json!({"action": "approve_without_return", "compensation": {"kind": "refund", "amount": 40_000}});
    let post = reqwest::Method::POST;
    for (csrf, what) in [(None, "without a CSRF token"), (Some("0".repeat(64)), "with another token")] {
        let refused =
            with_cookie(&t.client, post.clone(), url.clone(), &session.cookie, csrf.as_deref(), Some(approve.clone()))
                .await;
        assert_api_error(&refused, 403, "csrf_mismatch", &format!("an action {what}"));
        let status = t.get("/v1/seller/claims", Some(&credential)).await;
        assert_eq!(status.body[0]["decision"], "under_review", "{what}: nothing changed: {}", status.body);
    }
    assert_eq!(
        t.admin.account_balance("seller:s-1").expect("balance"),
        pvz_domain::Kopecks::ZERO,
        "no refund was posted by a refused request"
    );
    let done = with_cookie(&t.client, post, url, &session.cookie, Some(&session.csrf), Some(approve)).await;
    assert_eq!(done.status, 200, "with its CSRF token the action is taken: {}", done.body);
    assert_eq!(done.body["decision"], "approved", "the claim is approved: {}", done.body);
    let bearer =
        t.post_json(&format!("/v1/claims/{claim}/messages"), Some(&credential), &json!({"text": "Вернули"})).await;
    assert_eq!(bearer.status, 201, "a bearer credential needs no CSRF token: {}", bearer.body);
}

#[tokio::test]
async fn an_operator_signs_in_and_an_expired_session_is_refused() {
    let t = start().await;
    let operator = t.admin.issue_party_credential(PartyKind::Operator, "op-1").expect("operator credential");
    let session = sign_in(&t.client, &t.server.url(), &operator).await;
    assert_eq!(session.body["party"], "operator", "an operator's session: {}", session.body);
    let behind_tls = t
        .client
        .post(t.url("/v1/web/session"))
        .header("x-forwarded-proto", "https")
        .json(&json!({ "credential": operator }))
        .send()
        .await
        .expect("sign-in sent");
    let cookie = behind_tls.headers().get(SET_COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(cookie.ends_with("; Secure"), "a sign-in that came over https gets a Secure cookie: {cookie}");
    assert_eq!(session.body["name"], "op-1", "named by the operator's name: {}", session.body);
    let get = reqwest::Method::GET;
    let fleet = with_cookie(&t.client, get.clone(), t.url("/v1/operator/fleet"), &session.cookie, None, None).await;
    assert_eq!(fleet.status, 200, "the operator's session reads the fleet: {}", fleet.body);
    let as_seller = with_cookie(&t.client, get.clone(), t.url("/v1/seller/inbox"), &session.cookie, None, None).await;
    assert_api_error(&as_seller, 401, "unauthorized", "an operator's session on a seller's endpoint");

    let token = pvz_server::db::sha256_hex(session.cookie.trim_start_matches("pvz_session=").as_bytes());
    let expired = connect(t.dir.path())
        .execute("UPDATE web_sessions SET expires_at = 1 WHERE token_sha256 = ?1", [token.as_str()])
        .expect("expire it");
    assert_eq!(expired, 1, "the session is made expired");
    let refused = with_cookie(&t.client, get.clone(), t.url("/v1/web/session"), &session.cookie, None, None).await;
    assert_api_error(&refused, 401, "unauthorized", "an expired session");

    let live = sign_in(&t.client, &t.server.url(), &operator).await;
    let reissued = t.admin.issue_party_credential(PartyKind::Operator, "op-1").expect("a new operator credential");
    let ended = with_cookie(&t.client, get, t.url("/v1/web/session"), &live.cookie, None, None).await;
    assert_api_error(&ended, 401, "unauthorized", "a session of a credential replaced since");
    sign_in(&t.client, &t.server.url(), &reissued).await;
}

#[tokio::test]
async fn a_wrong_credential_is_401_and_counts_toward_the_rate_limit_and_kiosks_and_the_buyer_front_get_403() {
    let t = start_with(|c| pvz_server::Config { credential_failures_per_minute: 2, ..c }).await;
    let sign_in_with = |credential: String| {
        let t = &t;
        async move { t.post_json("/v1/web/session", None, &json!({ "credential": credential })).await }
    };
    let kiosk = t.enroll(POINT).await;
    let device = sign_in_with(kiosk.credential.clone()).await;
    assert_api_error(&device, 403, "forbidden", "a kiosk's credential");
    let front = t.admin.issue_party_credential(PartyKind::BuyerFront, "front").expect("buyer-front credential");
    let front = sign_in_with(front).await;
    assert_api_error(&front, 403, "forbidden", "the buyer front's credential");

    add_order(&t.admin, POINT, "o1", true);
    let good = t.admin.issue_seller_credential("s-1").expect("seller credential");
    let wrong = "pvzs1.s-1.not-its-secret".to_owned();
    for attempt in 1..=2 {
        let refused = sign_in_with(wrong.clone()).await;
        assert_api_error(&refused, 401, "unauthorized", &format!("wrong secret, attempt {attempt}"));
    }
    let limited = sign_in_with(wrong).await;
    assert_api_error(&limited, 429, "rate_limited", "a third wrong secret within the budget of 2");
    let sessions: i64 =
        connect(t.dir.path()).query_row("SELECT COUNT(*) FROM web_sessions", [], |r| r.get(0)).expect("count");
    assert_eq!(sessions, 0, "no refused sign-in made a session");
    let right = sign_in_with(good).await;
    assert_eq!(right.status, 200, "the right credential is never limited: {}", right.body);
}
