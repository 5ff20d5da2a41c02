//! Running the server: liveness and readiness probes, `/metrics`, explicit migration, online backups
//! and what a restore from one does to the kiosks' feeds, and the operator's fleet view.

use crate::common::*;
use pvz_protocol::sync::{PROTOCOL_HEADER, PROTOCOL_VERSION};
use pvz_server::Config;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

const DB_FILE: &str = pvz_server::db::DB_FILE;

/// Removes the database with its WAL and shared-memory files.
fn remove_database(dir: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("{DB_FILE}{suffix}")));
    }
}

#[tokio::test]
async fn health_is_live_without_the_database_and_ready_only_while_it_answers() {
    let t = start().await;
    let health = reply(t.client.get(t.url("/v1/health")).send().await.expect("sent")).await;
    assert_eq!((health.status, health.body["status"].as_str()), (200, Some("ok")), "health answers: {}", health.body);
    let ready = reply(t.client.get(t.url("/v1/ready")).send().await.expect("sent")).await;
    assert_eq!(
        (ready.status, ready.body["status"].as_str()),
        (200, Some("ok")),
        "ready with a database: {}",
        ready.body
    );

    if pvz_testdb::postgres_selected() {
        // PostgreSQL going away is the chain's database-fault test; here only SQLite's file can go.
        t.server.shutdown().await;
        return;
    }
    remove_database(t.dir.path());
    let ready = reply(t.client.get(t.url("/v1/ready")).send().await.expect("sent")).await;
    assert_api_error(&ready, 503, "unavailable", "ready once the database file is gone");
    let health = reply(t.client.get(t.url("/v1/health")).send().await.expect("sent")).await;
    assert_eq!(health.status, 200, "health stays live: it never touches the database");
    assert!(!t.dir.path().join(DB_FILE).exists(), "the probe did not create an empty database in its place");
    t.server.shutdown().await;
}

#[tokio::test]
async fn metrics_count_pushed_ops_and_time_the_push_route() {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", false);
    let kiosk = t.enroll(POINT).await;
    let ops = vec![op(1, opened("o1")), op(2, completed("o1", &["o1-1", "o1-2"], vec![], 350_000, 0))];
    assert_eq!(t.push(&kiosk, &ops).await.status, 200, "the push applies");
    assert_eq!(t.push(&kiosk, &ops).await.status, 200, "its retry answers with duplicates");
    assert_eq!(t.pull(&kiosk, &[]).await.status, 200, "a pull");

    let response = t.client.get(t.url("/metrics")).send().await.expect("sent");
    assert_eq!(response.status().as_u16(), 200, "/metrics answers");
    let text = response.text().await.expect("body");
    for line in [
        r#"pvz_ops_total{outcome="applied"} 2"#,
        r#"pvz_ops_total{outcome="duplicate"} 2"#,
        "pvz_pull_pages_total 1",
        r#"pvz_http_request_duration_seconds_count{route="/v1/sync/push",method="POST",status="200"} 2"#,
    ] {
        assert!(text.lines().any(|l| l == line), "/metrics must have `{line}`:\n{text}");
    }
    let turnover: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("pvz_ledger_turnover_kopecks_total "))
        .and_then(|v| v.parse().ok())
        .expect("a turnover counter");
    let ledger = t.admin.ledger_check().expect("ledger");
    assert_eq!(turnover as i64, ledger.turnover, "the counter is what the push posted to the ledger, once");
    assert!(turnover > 0, "an issue with payment moves money");
    t.server.shutdown().await;
}

/// The real binary as `serve` on a free port; `None` when it exits instead of listening.
fn start_binary(dir: &std::path::Path, extra: &[&str]) -> (std::process::Child, Option<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pvz-server"))
        .arg("--data-dir")
        .arg(dir)
        .arg("serve")
        .args(extra)
        .env_remove("PVZ_SERVER_DATA_DIR")
        .env("PVZ_SERVER_DATABASE_URL", database_url(dir).unwrap_or_default())
        .env("PVZ_SERVER_BIND", "127.0.0.1:0")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let url = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find_map(|line| line.strip_prefix("pvz-server listening on ").map(str::to_owned));
    (child, url)
}

#[tokio::test]
async fn serve_refuses_an_unmigrated_database_until_it_is_migrated() {
    let dir = tempfile::tempdir().expect("data dir");
    let (child, url) = start_binary(dir.path(), &[]);
    let out = child.wait_with_output().expect("the refused server exits");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(url.is_none() && !out.status.success(), "serve must refuse a missing schema; stderr: {stderr}");
    assert!(stderr.contains("run `pvz-server migrate` or start with --migrate"), "and say what to do: {stderr}");

    let migrate = pvz_server(dir.path(), &["migrate"]);
    assert!(migrate.ok, "migrate succeeds: {}", migrate.stderr);
    let first =
        if pvz_testdb::postgres_selected() { "applied V1__schema" } else { "applied 20261201_0001_initial.sql" };
    assert!(migrate.stdout.contains(first), "it prints what it applied: {}", migrate.stdout);
    let again = pvz_server(dir.path(), &["migrate"]);
    assert!(again.stdout.contains("up to date"), "a second migrate has nothing to apply: {}", again.stdout);

    let (mut child, url) = start_binary(dir.path(), &[]);
    let url = url.expect("serve starts on a migrated database");
    let ready = reqwest::get(format!("{url}/v1/ready")).await.expect("sent");
    assert_eq!(ready.status().as_u16(), 200, "and is ready");
    child.kill().expect("stop the server");
    let _ = child.wait();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_pushes_run_holds_every_op_committed_before_it() {
    if pvz_testdb::postgres_selected() {
        return; // `backup` copies SQLite; PostgreSQL is backed up with pg_dump.
    }
    let t = start().await;
    let orders = t.admin.add_demo_orders(POINT, 600).expect("orders");
    let kiosk = t.enroll(POINT).await;
    let ops = demo_sales(&orders);
    let acked = Arc::new(AtomicI64::new(0));
    let pusher = {
        let acked = acked.clone();
        let (client, url, credential) = (t.client.clone(), t.url("/v1/sync/push"), kiosk.credential.clone());
        tokio::spawn(async move {
            for batch in ops.chunks(20) {
                let request = client
                    .post(&url)
                    .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
                    .bearer_auth(&credential)
                    .json(&serde_json::json!({ "ops": batch }));
                let reply = reply(request.send().await.expect("sent")).await;
                assert_eq!(reply.status, 200, "every push applies: {}", reply.body);
                acked.store(reply.body["last_seq"].as_i64().expect("last_seq"), Ordering::SeqCst);
            }
        })
    };
    let mut copies = Vec::new();
    while !pusher.is_finished() || copies.is_empty() {
        let before = acked.load(Ordering::SeqCst);
        let file = t.dir.path().join(format!("backup-{}.sqlite3", copies.len()));
        let dir = t.dir.path().to_owned();
        let arg = file.to_str().expect("utf-8 path").to_owned();
        let run = tokio::task::spawn_blocking(move || pvz_server(&dir, &["backup", &arg])).await.expect("joined");
        assert!(run.ok, "the backup succeeds while pushes run: {}", run.stderr);
        copies.push((file, before, acked.load(Ordering::SeqCst)));
    }
    pusher.await.expect("the pusher finishes");
    assert!(copies.iter().any(|(_, before, _)| *before < 600), "a backup started before the pushes ended");

    for (file, before, after) in &copies {
        let conn = rusqlite::Connection::open(file).expect("the copy opens");
        let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("check runs");
        assert_eq!(check, "ok", "{} is a valid database", file.display());
        let (count, max): (i64, i64) = conn
            .query_row("SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM ops", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("ops");
        assert_eq!(count, max, "{}: the copy's ops are gap-free, a snapshot of whole batches", file.display());
        assert!(
            (*before..=*after).contains(&count),
            "{}: every op acknowledged before the backup ({before}) is in it, none after it ended ({after}); has {count}",
            file.display()
        );
        let (entries, sum): (i64, i64) = conn
            .query_row("SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM ledger_entries", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .expect("ledger");
        assert!(entries > 0 || count == 0, "the copy carries the ledger of its ops");
        assert_eq!(sum, 0, "the copy's ledger balances");
    }
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_server_started_on_a_restored_backup_tells_kiosks_to_reset() {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", false);
    let kiosk = t.enroll(POINT).await;
    let first = t.pull(&kiosk, &[]).await;
    let cursor = first.body["cursor"].as_str().expect("cursor").to_owned();
    if pvz_testdb::postgres_selected() {
        // PostgreSQL is restored with pg_restore; `restored` then starts the new epochs.
        let run = pvz_server(t.dir.path(), &["restored"]);
        assert!(run.ok && run.stdout.contains("2 points"), "restored bumps every point: {} {}", run.stdout, run.stderr);
        let after = t.pull(&kiosk, &[("cursor", cursor.as_str())]).await;
        assert_eq!(after.body["reset"], true, "a kiosk at its old cursor is told to reset: {}", after.body);
        t.server.shutdown().await;
        return;
    }
    let backup = t.dir.path().join("backup.sqlite3");
    let run = pvz_server(t.dir.path(), &["backup", backup.to_str().expect("utf-8")]);
    assert!(run.ok, "backup: {}", run.stderr);
    // Changes the kiosk pulls after the backup: lost by the restore.
    add_order(&t.admin, POINT, "o2", false);
    let later = t.pull(&kiosk, &[("cursor", cursor.as_str())]).await;
    assert!(pulled_order(&later, "o2").is_some(), "the kiosk pulls the change made after the backup");

    // Restore as the README says: stop, put the copy in place of the database, start.
    let TestServer { server, admin, dir, .. } = t;
    server.shutdown().await;
    drop(admin);
    remove_database(dir.path());
    std::fs::copy(&backup, dir.path().join(DB_FILE)).expect("restore the copy");
    let server = pvz_server::spawn(Config::for_data_dir(dir.path())).await.expect("the server starts on the copy");
    let client = reqwest::Client::new();
    let pull = |cursor: String| {
        client
            .get(format!("{}/v1/sync/pull", server.url()))
            .query(&[("cursor", cursor)])
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .bearer_auth(&kiosk.credential)
            .send()
    };
    // The restored head is the cursor the kiosk had at the backup: without a new epoch it would
    // count as up to date, and a new change would reuse the version of the lost `o2`.
    let page = reply(pull(cursor.clone()).await.expect("sent")).await;
    assert_eq!(page.status, 200, "the pull is answered: {}", page.body);
    assert_eq!(page.body["reset"], true, "a kiosk whose cursor predates the restore must reset: {}", page.body);
    let new_cursor = page.body["cursor"].as_str().expect("cursor");
    assert!(new_cursor.starts_with("2."), "the feed is at a new epoch: {new_cursor}");
    assert!(pulled_order(&page, "o1").is_some(), "the reset page carries the restored orders: {}", page.body);
    server.shutdown().await;

    let server = pvz_server::spawn(Config::for_data_dir(dir.path())).await.expect("the server starts again");
    let admin = pvz_server::admin::Admin::open(dir.path()).expect("admin");
    assert_eq!(admin.reset_feed(POINT).expect("bump"), 3, "a second start did not bump the epoch again");
    server.shutdown().await;
}

#[tokio::test]
async fn devices_lists_each_device_with_its_last_sync_app_and_protocol() {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", false);
    let kiosk = t.enroll(POINT).await;
    let before = pvz_server(t.dir.path(), &["devices", "--point", POINT]);
    assert!(before.ok, "devices runs: {}", before.stderr);
    let line = before.stdout.lines().find(|l| l.starts_with(&kiosk.device_id)).expect("the device is listed");
    assert!(line.contains("never"), "an enrolled device that has not synced shows `never`: {line}");

    let pushed = t
        .client
        .post(t.url("/v1/sync/push"))
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
        .header("user-agent", "pvz-kiosk/9.8.7 (test)")
        .bearer_auth(&kiosk.credential)
        .json(&serde_json::json!({ "ops": [op(1, opened("o1"))] }))
        .send()
        .await
        .expect("sent");
    assert_eq!(pushed.status().as_u16(), 200, "the push applies");

    let after = pvz_server(t.dir.path(), &["devices", "--pickup-point", POINT]);
    let line = after.stdout.lines().find(|l| l.starts_with(&kiosk.device_id)).expect("the device is listed");
    let fields: Vec<&str> = line.split('\t').collect();
    assert_eq!(fields[1], POINT, "its point: {line}");
    assert_eq!(fields[2], "Касса 1", "its name: {line}");
    assert_ne!(fields[3], "never", "its last sync is recorded: {line}");
    assert_eq!(fields[4], "1", "one op received: {line}");
    assert_eq!(fields[5], "pvz-kiosk/9.8.7", "the app from its User-Agent: {line}");
    assert_eq!(fields[6], PROTOCOL_VERSION.to_string(), "the protocol it spoke: {line}");
    assert_eq!(fields[7], "active", "not revoked: {line}");

    t.admin.revoke_device(&kiosk.device_id).expect("revoke");
    let other = pvz_server(t.dir.path(), &["devices", "--point", OTHER_POINT]);
    assert!(other.stdout.contains("no devices at pp-b"), "another point's view is empty: {}", other.stdout);
    let all = pvz_server(t.dir.path(), &["devices"]);
    assert!(all.stdout.contains("\trevoked "), "a revoked device says so: {}", all.stdout);
    t.server.shutdown().await;
}
