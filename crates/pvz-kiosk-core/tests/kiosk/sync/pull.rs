//! Pulling the feed: a long catch-up reports progress, a reset rebuilds only the cache, and a
//! cancellation on the server reaches the counter.
//! A kiosk core on a real SQLite file against the real central server (see `common`).

use crate::support::network::*;
use pvz_kiosk_core::sync::{self, ClientConfig, EngineConfig, PullProgress, SyncEngine};
use pvz_kiosk_core::{ErrorKind, ItemDecision, Kopecks, SyncStatusView};
use std::sync::Arc;

#[tokio::test]
async fn a_long_pull_reports_progress_and_a_reset_rebuilds_the_cache_only() {
    let net = Network::start().await;
    net.admin().add_order(POINT, &order(1, 100_000)).expect("order added");
    net.admin().add_demo_orders(POINT, 240).expect("many orders");
    let kiosk = net.enrolled_kiosk().await;
    let config = ClientConfig { pull_limit: 50, ..fast() };
    let mut seen: Vec<PullProgress> = Vec::new();
    let report = sync::sync_until_idle_with(&kiosk, &config, &mut |p| seen.push(p)).await.expect("catch-up");
    assert!(report.pages >= 5, "241 orders at 50 a page take at least 5 pages: {report:?}");
    assert!(seen.iter().any(|p| p.has_more && p.remaining > 0), "progress tells what remains: {seen:?}");
    let last = seen.last().expect("progress reported");
    assert_eq!((last.has_more, last.remaining), (false, 0), "the last page ends the catch-up");
    assert_eq!(last.changes_done, report.changes, "progress counts every change applied");

    // A decision made at the counter but not yet synced must survive the reset.
    let opened = kiosk.scan("700001").expect("the order opens");
    let order_id = opened.view.screen.order().cloned().expect("card").order_id;
    kiosk.hand_over_rest(&order_id).expect("decided");
    let ops_before = kiosk.outbox().expect("outbox");
    net.admin().reset_feed(POINT).expect("new feed epoch");

    let after = sync::sync_until_idle_with(&kiosk, &config, &mut |_| {}).await.expect("pass after the reset");
    assert!(after.reset, "the server's new epoch makes the pull a reset: {after:?}");
    assert_eq!(kiosk.outbox().expect("outbox").len(), ops_before.len(), "the outbox is never rebuilt");
    let view = kiosk.view().expect("view");
    let card = view.screen.order().expect("the open order card survives the reset");
    assert!(card.items.iter().all(|i| i.decision.is_some()), "the counter's decisions survive the reset");
    let err = kiosk.scan("700001");
    assert!(err.is_ok(), "the rebuilt cache still finds the order: {err:?}");
}

#[tokio::test]
async fn the_engine_publishes_catch_up_progress_page_by_page_and_clears_it_when_done() {
    let net = Network::start().await;
    net.admin().add_demo_orders(POINT, 1_500).expect("many orders");
    let kiosk = Arc::new(net.enrolled_kiosk().await);
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = seen.clone();
    let config = EngineConfig { client: ClientConfig { pull_limit: 100, ..fast() }, ..short_engine() };
    let handle = SyncEngine::spawn(
        kiosk.clone(),
        config,
        Box::new(move |status: &SyncStatusView| {
            if let Some(progress) = status.catch_up {
                record.lock().expect("progress log").push(progress);
            }
        }),
    );
    let done = wait_for(&handle, "the catch-up finishes", |s| s.last_sync_at.is_some() && !s.syncing).await;
    handle.stop();

    assert_eq!(done.catch_up, None, "once the pull is complete the window shows no progress bar");
    let seen = seen.lock().expect("progress log").clone();
    assert!(seen.len() >= 10, "1,500 orders at 100 a page publish progress after most pages: {seen:?}");
    assert!(seen.windows(2).all(|w| w[1].changes_done >= w[0].changes_done), "progress only moves forward: {seen:?}");
    let first = seen.first().expect("some progress");
    assert!(
        first.changes_remaining >= 1_300 && first.changes_done + first.changes_remaining >= 1_500,
        "the first page already tells how much is left, so the bar has a total: {first:?}"
    );
}

#[tokio::test]
async fn a_cancel_on_the_server_reaches_the_counter_and_its_scan_writes_nothing() {
    let net = Network::start().await;
    net.admin().add_orders(POINT, &[order(1, 100_000), order(2, 200_000)]).expect("orders added");
    let kiosk = net.enrolled_kiosk().await;
    sync::sync_until_idle(&kiosk, &fast()).await.expect("pull the orders");

    net.admin().cancel_order("ord-sync-1").expect("the network cancels the order");
    let report = sync::sync_until_idle(&kiosk, &fast()).await.expect("the pass pulls the cancellation");
    assert_eq!(report.changes, 1, "exactly the cancellation arrives: {report:?}");

    let outbox_before = kiosk.outbox().expect("outbox");
    assert_cancelled(kiosk.scan("700001"), "the short code of the cancelled order");
    assert_cancelled(kiosk.scan(&pickup_qr(&net.admin(), 1)), "the pickup QR of the cancelled order");
    let error = kiosk.scan("700001").expect_err("still refused");
    assert_eq!(error.to_view().kind, ErrorKind::OrderCancelled, "the window gets the order_cancelled kind");
    assert_eq!(kiosk.outbox().expect("outbox"), outbox_before, "a refused scan writes no op");
    let view = kiosk.view().expect("view");
    assert!(view.screen.order().is_none(), "no order card opens for a cancelled order: {:?}", view.screen.order());

    let other = kiosk.scan("700002").expect("an order that was not cancelled still opens");
    assert_eq!(other.view.screen.order().map(|o| o.order_id.as_str()), Some("ord-sync-2"), "the other order's card");
}

#[tokio::test]
async fn an_order_open_on_the_card_when_its_cancel_arrives_cannot_be_confirmed() {
    let net = Network::start().await;
    net.admin().add_order(POINT, &order(1, 100_000)).expect("order added");
    let kiosk = net.enrolled_kiosk().await;
    sync::sync_until_idle(&kiosk, &fast()).await.expect("pull the order");
    let card = kiosk.scan("700001").expect("the order opens").view.screen.order().cloned().expect("a card");
    kiosk.hand_over_rest(&card.order_id).expect("every item to hand over");
    sync::sync_until_idle(&kiosk, &fast()).await.expect("the counter's ops are pushed");

    net.admin().cancel_order("ord-sync-1").expect("the network cancels it while the card is open");
    sync::sync_until_idle(&kiosk, &fast()).await.expect("the cancellation is pulled");
    let outbox_before = kiosk.outbox().expect("outbox");
    let status_before = kiosk.sync_status().expect("status");
    let view = kiosk.view().expect("view");
    assert_eq!(
        view.screen.order().map(|o| o.order_id.as_str()),
        Some("ord-sync-1"),
        "the card stays on screen so the manager sees what happened"
    );

    assert_cancelled(kiosk.confirm_issue(&card.order_id, Kopecks(100_000), true), "confirming the cancelled order");
    let item = &card.items[0].item_id;
    assert_cancelled(kiosk.decide_item(&card.order_id, item, ItemDecision::HandOver), "a decision on it");
    assert_cancelled(kiosk.clear_decision(&card.order_id, item), "taking a decision back");
    assert_eq!(kiosk.outbox().expect("outbox"), outbox_before, "nothing is written: no op, no issue");
    let view = kiosk.view().expect("view");
    assert!(view.recent.is_empty(), "no issue recorded: {view:?}");
    assert_eq!(kiosk.sync_status().expect("status").ops_waiting, status_before.ops_waiting, "no op waits to sync");

    let aside = kiosk.set_aside().expect("the manager can set the card aside");
    assert!(aside.screen.order().is_none(), "the card is closed after setting it aside");
    // The card was in front of any receipt until now.
    assert!(aside.screen.receipt().is_none(), "and no receipt behind it: the issue was not recorded: {aside:?}");
    assert_cancelled(kiosk.scan("700001"), "scanning it again");
    assert_eq!(kiosk.outbox().expect("outbox"), outbox_before, "setting aside and rescanning write nothing either");
}

#[tokio::test]
async fn an_issue_that_crossed_the_cancel_stays_issued_and_is_rejected_by_the_server() {
    let net = Network::start().await;
    net.admin().add_order(POINT, &order(1, 100_000)).expect("order added");
    let kiosk = net.enrolled_kiosk().await;
    sync::sync_until_idle(&kiosk, &fast()).await.expect("pull the order");
    // Issued at the counter before this kiosk heard of the cancellation.
    issue(&kiosk, 1, 100_000);
    let outbox_before = kiosk.outbox().expect("outbox");
    net.admin().cancel_order("ord-sync-1").expect("cancelled on the server meanwhile");

    let report = sync::sync_until_idle(&kiosk, &fast()).await.expect("the pass pushes and pulls");
    assert!(report.rejected >= 1, "the issue of a cancelled order is rejected: {report:?}");
    let ops: Vec<_> = kiosk.outbox().expect("outbox").into_iter().map(|o| o.op_id).collect();
    let before: Vec<_> = outbox_before.into_iter().map(|o| o.op_id).collect();
    assert_eq!(ops, before, "the cancellation neither drops nor adds ops");
    let status = kiosk.sync_status().expect("status");
    assert!(
        status.attention.iter().any(|a| a.kind == "issue_completed" && a.code == "order_closed"),
        "the manager is told the issue was rejected: {:?}",
        status.attention
    );
    let error = kiosk.scan("700001").expect_err("the order cannot be opened again");
    assert_eq!(error.kind(), ErrorKind::AlreadyIssued, "the kiosk's own issue is the truer answer: {error}");
}
