//! Pushing the outbox: every counter op reaches the server ledger exactly once, a queue built while
//! offline drains, a poison op waits on the attention list without blocking the rest until the
//! manager marks it resolved.
//! A kiosk core on a real SQLite file against the real central server (see `common`).

use crate::support::network::*;
use pvz_kiosk_core::sync::{self, SyncEngine};
use pvz_kiosk_core::{ErrorKind, KioskError};
use std::sync::Arc;

#[tokio::test]
async fn an_issue_at_the_counter_reaches_the_server_ledger_once() {
    let net = Network::start().await;
    net.admin().add_order(POINT, &order(1, 150_000)).expect("order added");
    let kiosk = net.enrolled_kiosk().await;
    assert!(kiosk.sync_status().expect("status").configured, "an enrolled kiosk is configured for sync");

    let first = sync::sync_until_idle(&kiosk, &fast()).await.expect("the first pass pulls the orders");
    assert!(first.changes >= 1, "the first pull brings the order: {first:?}");
    let op_id = issue(&kiosk, 1, 150_000);
    assert!(kiosk.sync_status().expect("status").ops_waiting >= 3, "open, decide and complete wait for sync");

    let report = sync::sync_until_idle(&kiosk, &fast()).await.expect("the pass pushes the ops");
    assert_eq!(report.rejected, 0, "nothing is rejected: {report:?}");
    let status = kiosk.sync_status().expect("status");
    assert_eq!(status.ops_waiting, 0, "nothing waits after a successful pass");
    assert!(status.last_sync_at.is_some() && status.last_error.is_none(), "the pass is recorded as good: {status:?}");

    let admin = net.admin();
    let counts = admin.op_counts(&device_of(&kiosk)).expect("op counts");
    assert_eq!((counts.applied, counts.rejected), (report.applied as u64, 0), "the server applied every op pushed");
    assert!(!admin.ledger_for_op(&op_id).expect("postings").is_empty(), "the payment is in the server's ledger");
    assert_eq!(admin.ledger_check().expect("ledger").total, 0, "the ledger sums to zero");

    let again = sync::sync_until_idle(&kiosk, &fast()).await.expect("a pass with nothing to do");
    assert_eq!(again.pushed, 0, "an idle pass pushes nothing");
    assert_eq!(
        admin.op_counts(&device_of(&kiosk)).expect("op counts").applied,
        counts.applied,
        "a second pass posts nothing again"
    );
}

#[tokio::test]
async fn ops_queue_while_the_server_is_down_and_drain_when_it_returns() {
    let mut net = Network::start().await;
    net.admin().add_orders(POINT, &[order(1, 100_000), order(2, 200_000)]).expect("orders added");
    let kiosk = Arc::new(net.enrolled_kiosk().await);
    let handle = SyncEngine::spawn(kiosk.clone(), short_engine(), Box::new(|_| {}));
    wait_for(&handle, "the first pass succeeds", |s| s.online && s.last_sync_at.is_some()).await;

    let addr = net.stop_server().await;
    issue(&kiosk, 1, 100_000);
    issue(&kiosk, 2, 200_000);
    handle.nudge();
    let offline = wait_for(&handle, "the engine sees the server gone", |s| !s.online && s.ops_waiting >= 6).await;
    assert!(offline.last_error.is_some(), "offline shows why: {offline:?}");
    assert_eq!(kiosk.outbox().expect("outbox").len() as u32, offline.ops_waiting, "every op waits, none is lost");

    net.restart_server(addr).await;
    let drained = wait_for(&handle, "the queue drains", |s| s.online && s.ops_waiting == 0 && !s.syncing).await;
    assert!(drained.last_error.is_none(), "the error clears once synced: {drained:?}");
    let counts = net.admin().op_counts(&device_of(&kiosk)).expect("counts");
    assert_eq!(counts.applied, kiosk.outbox().expect("outbox").len() as u64, "the server applied every op once");
    assert_eq!(net.admin().ledger_check().expect("ledger").total, 0, "the ledger still sums to zero");
    handle.stop();
}

#[tokio::test]
async fn a_poison_op_goes_to_the_attention_list_and_later_ops_still_sync() {
    let net = Network::start().await;
    net.admin().add_orders(POINT, &[order(1, 100_000), order(2, 200_000)]).expect("orders added");
    let kiosk = net.enrolled_kiosk().await;
    sync::sync_until_idle(&kiosk, &fast()).await.expect("pull the orders");

    issue(&kiosk, 1, 100_000);
    // Another counter issued the same order while this kiosk had not synced yet.
    net.admin().mark_order_issued("ord-sync-1").expect("issued elsewhere");
    issue(&kiosk, 2, 200_000);
    let report = sync::sync_until_idle(&kiosk, &fast()).await.expect("a rejection does not fail the pass");
    assert!(report.rejected >= 1, "the op on the closed order is rejected: {report:?}");

    let status = kiosk.sync_status().expect("status");
    assert_eq!(status.ops_waiting, 0, "rejected ops do not block: nothing waits");
    let completed = status
        .attention
        .iter()
        .find(|item| item.kind == "issue_completed")
        .unwrap_or_else(|| panic!("the completed issue needs attention: {:?}", status.attention));
    assert_eq!(completed.code, "order_closed", "the server's reason code is kept");
    assert!(completed.message.contains("issued"), "the server's message says why: {:?}", completed.message);
    assert_eq!(completed.order_short_code.as_deref(), Some("700001"), "the list names the order");
    assert!(completed.rejected_at.is_some(), "the list says when the rejection arrived");
    let counts = net.admin().op_counts(&device_of(&kiosk)).expect("counts");
    assert!(counts.applied >= 3, "the second order's ops were applied after the rejection: {counts:?}");

    // The manager has dealt with it ("Разобрано"): it leaves the list, the outbox keeps the op.
    kiosk.acknowledge_attention(completed.seq).expect("a rejected op can be acknowledged");
    let after = kiosk.sync_status().expect("status");
    assert!(
        after.attention.iter().all(|item| item.seq != completed.seq),
        "the acknowledged op is off the list: {:?}",
        after.attention
    );
    assert_eq!(after.attention_total, status.attention_total - 1, "the count drops by one");
    assert!(
        kiosk.outbox().expect("outbox").iter().any(|op| op.seq == completed.seq),
        "the outbox still holds the acknowledged op"
    );
    sync::sync_until_idle(&kiosk, &fast()).await.expect("a later pass");
    assert!(
        kiosk.sync_status().expect("status").attention.iter().all(|item| item.seq != completed.seq),
        "a later pass does not bring it back"
    );
}

#[tokio::test]
async fn ops_over_the_server_body_limit_go_in_smaller_batches() {
    let net = Network::start_with_body_limit(Some(24 * 1024)).await;
    let orders: Vec<_> = (1..=6).map(|n| order(n, 100_000)).collect();
    net.admin().add_orders(POINT, &orders).expect("orders added");
    let kiosk = net.enrolled_kiosk().await;
    sync::sync_until_idle(&kiosk, &fast()).await.expect("pull the orders");
    for n in 1..=6 {
        refuse_with_long_defect(&kiosk, n);
    }

    let report = sync::sync_until_idle(&kiosk, &fast()).await.expect("a 413 halves the batch instead of failing");
    assert_eq!(report.rejected, 0, "nothing is rejected: {report:?}");
    assert_eq!(kiosk.sync_status().expect("status").ops_waiting, 0, "every op got through in smaller batches");
    let counts = net.admin().op_counts(&device_of(&kiosk)).expect("op counts");
    assert_eq!(counts.applied, kiosk.outbox().expect("outbox").len() as u64, "the server applied every op once");
}

#[tokio::test]
async fn a_single_op_over_the_body_limit_is_reported_and_the_ops_before_it_sync() {
    let net = Network::start_with_body_limit(Some(2 * 1024)).await;
    net.admin().add_order(POINT, &order(1, 100_000)).expect("order added");
    let kiosk = net.enrolled_kiosk().await;
    sync::sync_until_idle(&kiosk, &fast()).await.expect("pull the order");
    refuse_with_long_defect(&kiosk, 1);

    let err = sync::sync_until_idle(&kiosk, &fast()).await.expect_err("an op larger than the limit cannot go");
    match &err {
        KioskError::SyncRefused { code, message } => {
            assert_eq!(code, "payload_too_large", "the refusal names the body limit: {err}");
            assert!(message.contains("seq 2"), "the message names the op that does not fit: {message}");
        }
        other => panic!("a single op over the limit must be a sync refusal, got {other:?}"),
    }
    let counts = net.admin().op_counts(&device_of(&kiosk)).expect("op counts");
    assert_eq!(counts.applied, 1, "the small op before it (opening the issue) was pushed on its own");
    assert_eq!(kiosk.sync_status().expect("status").ops_waiting, 2, "the large op and the one after it wait");
}

/// Answers every request on `addr` with a 500 and the server's error body: a server that is up and
/// failing, as opposed to one that cannot be reached.
async fn serve_500s(addr: std::net::SocketAddr) -> tokio::task::JoinHandle<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind(addr).await.expect("the stub takes the server's port");
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut request = [0u8; 16 * 1024];
            let _ = stream.read(&mut request).await;
            let body = r#"{"code":"internal","message":"internal error"}"#;
            let answer = format!(
                "HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes()).await;
        }
    })
}

#[tokio::test]
async fn a_server_failing_with_500_is_online_with_a_server_error_and_not_offline() {
    let mut net = Network::start().await;
    let kiosk = Arc::new(net.enrolled_kiosk().await);
    let addr = net.stop_server().await;
    let stub = serve_500s(addr).await;

    let handle = SyncEngine::spawn(kiosk.clone(), short_engine(), Box::new(|_| {}));
    let status = wait_for(&handle, "the engine reports the failure", |s| s.last_error.is_some() && !s.syncing).await;
    handle.stop();
    stub.abort();
    assert_eq!(status.last_error_kind, Some(ErrorKind::ServerError), "a 500 is a server error: {status:?}");
    assert!(status.online, "the server answered, so the counter is not shown offline: {status:?}");
    assert!(
        status.last_error.as_deref().is_some_and(|e| e.contains("server failed")),
        "the message says the server failed, not the network: {status:?}"
    );
}

/// Takes the first request on `addr`, hands its body over, and answers it with a 500: what the kiosk
/// sent, with nothing applied.
async fn capture_one_request(addr: std::net::SocketAddr) -> tokio::sync::oneshot::Receiver<(String, Vec<u8>)> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind(addr).await.expect("the stub takes the server's port");
    let (tx, rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let Ok((mut stream, _)) = listener.accept().await else { return };
        let mut request = Vec::new();
        let mut chunk = [0u8; 16 * 1024];
        // Headers, then as many body bytes as content-length says.
        let (head, body_len) = loop {
            let Ok(n) = stream.read(&mut chunk).await else { return };
            if n == 0 {
                return;
            }
            request.extend_from_slice(&chunk[..n]);
            if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&request[..end]).to_string();
                let length = head
                    .lines()
                    .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(0);
                request.drain(..end + 4);
                break (head, length);
            }
        };
        while request.len() < body_len {
            let Ok(n) = stream.read(&mut chunk).await else { return };
            if n == 0 {
                break;
            }
            request.extend_from_slice(&chunk[..n]);
        }
        let body = r#"{"code":"internal","message":"internal error"}"#;
        let answer = format!(
            "HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = stream.write_all(answer.as_bytes()).await;
        let _ = tx.send((head, request));
    });
    rx
}

#[tokio::test]
async fn the_push_carries_the_kiosks_clock() {
    let mut net = Network::start().await;
    net.admin().add_order(POINT, &order(1, 150_000)).expect("order added");
    let kiosk = net.enrolled_kiosk().await;
    sync::sync_until_idle(&kiosk, &fast()).await.expect("the first pass pulls the order");
    issue(&kiosk, 1, 150_000);
    let addr = net.stop_server().await;
    let captured = capture_one_request(addr).await;

    let before = chrono::Utc::now() - chrono::Duration::seconds(1);
    let pass = sync::sync_until_idle(&kiosk, &fast()).await;
    let after = chrono::Utc::now() + chrono::Duration::seconds(1);
    assert!(pass.is_err(), "the stub fails the pass: {pass:?}");
    let (head, body) = tokio::time::timeout(std::time::Duration::from_secs(10), captured)
        .await
        .expect("the kiosk sent a request")
        .expect("the stub captured it");
    assert!(head.starts_with("POST /v1/sync/push"), "a pass pushes before it pulls: {head}");
    let request: pvz_protocol::sync::PushRequest = serde_json::from_slice(&body).expect("the body is a push request");
    assert!(!request.ops.is_empty(), "the push carries the issue's ops");
    let now = request.now.expect("the push carries the kiosk's clock");
    let now = chrono::DateTime::parse_from_rfc3339(&now).expect("the clock is RFC 3339");
    assert!(before <= now && now <= after, "the clock is the kiosk's at the push: {now} not in {before}..{after}");
}
