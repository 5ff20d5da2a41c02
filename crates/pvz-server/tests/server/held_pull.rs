//! Held pulls (`wait`): an up-to-date pull is answered when its point's feed moves — at once for a
//! push this server applies, within the re-check interval for a write by another process (the admin
//! CLI) — and not for another point's change; shutdown answers it at once. Each test changes the
//! feed only once the server reports the pull held, so the answer proves the wake; the timeouts
//! are upper bounds only.

use crate::common::*;
use pvz_protocol::sync::{PROTOCOL_HEADER, PROTOCOL_VERSION};
use pvz_server::admin::Role;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

/// Drives `pull` until the server holds `count` pulls; a pull answered before that is a failure.
async fn until_held(t: &TestServer, pull: Pin<&mut impl Future<Output = Reply>>, count: usize) {
    let held = async {
        tokio::select! {
            early = pull => panic!("the pull was answered before anything changed: {}", early.body),
            () = t.server.held_pulls().until_holding(count) => {}
        }
    };
    tokio::time::timeout(Duration::from_secs(10), held).await.expect("the server holds the pull");
}

async fn cursor_at_head(t: &TestServer, kiosk: &Kiosk) -> String {
    let page = t.pull(kiosk, &[]).await;
    assert_eq!(page.status, 200, "the first pull succeeds: {}", page.body);
    assert_eq!(page.body["max_wait_seconds"], 25, "the server offers to hold pulls: {}", page.body);
    page.body["cursor"].as_str().expect("a cursor").to_owned()
}

#[tokio::test]
async fn a_held_pull_is_answered_within_a_second_of_a_push_by_another_counter_of_the_point() {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", false);
    let watcher = t.enroll(POINT).await;
    let counter = t.enroll(POINT).await;
    let cursor = cursor_at_head(&t, &watcher).await;

    let query = [("cursor", cursor.as_str()), ("wait", "20")];
    let held = t.pull(&watcher, &query);
    tokio::pin!(held);
    until_held(&t, held.as_mut(), 1).await;
    let ops = [op(1, opened("o1")), op(2, completed("o1", &["o1-1", "o1-2"], vec![], 350_000, 0))];
    let pushed = t.push(&counter, &ops).await;
    assert_eq!(outcome(&pushed, 1), "applied", "the other counter issues o1: {}", pushed.body);
    let pushed_at = Instant::now();

    let page = tokio::time::timeout(Duration::from_secs(5), held).await.expect("the held pull is answered");
    let latency = pushed_at.elapsed();
    assert!(latency < Duration::from_secs(1), "answered {latency:?} after the push, within a second");
    assert_eq!(page.status, 200, "the held pull succeeds: {}", page.body);
    let order = pulled_order(&page, "o1").expect("the answer carries the issued order");
    assert_eq!(order["status"], "issued", "in its new state: {order}");
    assert_ne!(page.body["cursor"], cursor.as_str(), "the cursor moved on");
}

#[tokio::test]
async fn another_points_change_does_not_answer_a_held_pull() {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", false);
    let watcher = t.enroll(POINT).await;
    let counter = t.enroll(POINT).await;
    let elsewhere = t.enroll(OTHER_POINT).await;
    let cursor = cursor_at_head(&t, &watcher).await;
    let other_cursor = cursor_at_head(&t, &elsewhere).await;

    let query = [("cursor", cursor.as_str()), ("wait", "20")];
    let held = t.pull(&watcher, &query);
    let other_started = Instant::now();
    let other_query = [("cursor", other_cursor.as_str()), ("wait", "2")];
    let other = t.pull(&elsewhere, &other_query);
    tokio::pin!(held, other);
    until_held(&t, held.as_mut(), 1).await;
    until_held(&t, other.as_mut(), 2).await;
    let pushed =
        t.push(&counter, &[op(1, opened("o1")), op(2, completed("o1", &["o1-1", "o1-2"], vec![], 350_000, 0))]).await;
    assert_eq!(outcome(&pushed, 1), "applied", "a counter of the first point issues o1: {}", pushed.body);

    let (page, other_page) = tokio::time::timeout(Duration::from_secs(10), async { tokio::join!(held, other) })
        .await
        .expect("both held pulls are answered");
    assert!(pulled_order(&page, "o1").is_some(), "the point's pull gets its change: {}", page.body);
    assert_eq!(other_page.status, 200, "the other point's pull succeeds: {}", other_page.body);
    assert_eq!(other_page.body["changes"], serde_json::json!([]), "the other point has nothing new");
    assert_eq!(other_page.body["cursor"], other_cursor.as_str(), "its cursor stays");
    assert!(
        other_started.elapsed() >= Duration::from_millis(1900),
        "the other point's pull was held to the end of its wait, not woken by the push"
    );
}

#[tokio::test]
async fn a_write_by_another_process_answers_a_held_pull_within_the_recheck_interval() {
    let t = start().await;
    let courier = t.admin.add_employee(POINT, "Иван", Role::Courier, "1111").expect("a courier");
    let watcher = t.enroll(POINT).await;
    let cursor = cursor_at_head(&t, &watcher).await;

    let query = [("cursor", cursor.as_str()), ("wait", "20")];
    let held = t.pull(&watcher, &query);
    tokio::pin!(held);
    until_held(&t, held.as_mut(), 1).await;
    // The admin CLI writes the database directly; this server never hears of it.
    let dir = t.dir.path().to_owned();
    let retire = tokio::task::spawn_blocking(move || pvz_server(&dir, &["retire-employee", "--employee", &courier]));
    let run = retire.await.expect("the CLI ran");
    assert!(run.ok, "retire-employee succeeds: {}", run.stderr);
    let written_at = Instant::now();

    let page = tokio::time::timeout(Duration::from_secs(10), held).await.expect("the held pull is answered");
    let latency = written_at.elapsed();
    assert!(latency < Duration::from_millis(1500), "answered {latency:?} after the write, within the 1 s re-check");
    let retired = page.body["changes"]
        .as_array()
        .and_then(|changes| changes.iter().find(|c| c["type"] == "upsert_employee"))
        .unwrap_or_else(|| panic!("the answer carries the employee: {}", page.body));
    assert_eq!(retired["retired"], true, "retired: {retired}");
}

#[tokio::test]
async fn shutdown_answers_a_held_pull_at_once() {
    let TestServer { server, admin, client, dir } = start().await;
    let code = admin.issue_enrollment_code(POINT, Duration::from_secs(60)).expect("code");
    let enrolled = client
        .post(format!("{}/v1/enroll", server.url()))
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
        .json(&serde_json::json!({"code": code, "device_name": "Касса 1"}))
        .send()
        .await
        .expect("enrolled");
    let credential = reply(enrolled).await.body["credential"].as_str().expect("a credential").to_owned();
    let pull = |query: Vec<(&'static str, String)>| {
        client
            .get(format!("{}/v1/sync/pull", server.url()))
            .query(&query)
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .bearer_auth(&credential)
            .send()
    };
    let first = reply(pull(vec![]).await.expect("pulled")).await;
    let cursor = first.body["cursor"].as_str().expect("a cursor").to_owned();

    let held = pull(vec![("cursor", cursor.clone()), ("wait", "20".into())]);
    tokio::pin!(held);
    tokio::select! {
        early = held.as_mut() => panic!("answered before anything changed: {:?}", early.map(|r| r.status())),
        () = server.held_pulls().until_holding(1) => {}
    }
    let stopped = async {
        let (answer, ()) = tokio::join!(held, server.shutdown());
        answer
    };
    let answer =
        tokio::time::timeout(Duration::from_secs(5), stopped).await.expect("shutdown does not wait out the hold");
    let page = reply(answer.expect("the held pull is answered")).await;
    assert_eq!(page.status, 200, "an ordinary empty page: {}", page.body);
    assert_eq!(page.body["cursor"], cursor.as_str(), "at the same cursor");
    drop(dir);
}
