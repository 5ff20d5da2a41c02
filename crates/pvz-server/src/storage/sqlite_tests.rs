//! Tests of the SQLite backend: fresh reads on the quick path, panics and failed rollbacks on the
//! writer, and enrollment kept off the writer.

use super::sqlite::end_open_transaction;
use super::*;
use crate::db::DB_FILE;
use crate::error::ServerError;
use pvz_domain::FeePolicy;
use std::sync::{Arc, Mutex};

fn storage_with_device() -> (tempfile::TempDir, DbStorage, DeviceId) {
    let dir = tempfile::tempdir().expect("temp dir");
    let storage = DbStorage::open(&dir.path().join(DB_FILE)).expect("storage opens");
    let point = PickupPointId::parse("pp-a").expect("point id");
    let device = DeviceId::parse("dev-1").expect("device id");
    let conn = db::open(&dir.path().join(DB_FILE)).expect("second connection");
    points::insert_point(&conn, &point, "A", &FeePolicy::default(), &db::now_text()).expect("point");
    devices::insert_device(&conn, &device, &point, "Касса", "hash", &db::now_text()).expect("device");
    (dir, storage, device)
}

/// The quick path reuses pooled connections; each lookup must still see what any other
/// connection (another server process, an admin command) committed before it.
#[tokio::test]
async fn the_device_lookup_sees_every_commit_made_before_it() {
    let (dir, storage, device) = storage_with_device();
    let first = storage.find_device(device.clone()).await.expect("lookup").expect("the device exists");
    assert!(!first.revoked, "a new device is not revoked");
    let again = storage.find_device(device.clone()).await.expect("lookup").expect("the device exists");
    assert_eq!(again.feed_head, first.feed_head, "nothing committed, same head");

    let other = db::open(&dir.path().join(DB_FILE)).expect("another connection");
    points::bump_version(&other, &first.pickup_point_id, 1).expect("a committed feed change");
    let after_change = storage.find_device(device.clone()).await.expect("lookup").expect("the device exists");
    assert_eq!(
        after_change.feed_head.version,
        first.feed_head.version + 1,
        "a feed change committed elsewhere shows on the very next lookup, so an empty poll is never wrong"
    );
    devices::revoke_device(&other, &device, &db::now_text()).expect("revoke");
    let after_revoke = storage.find_device(device).await.expect("lookup").expect("the device exists");
    assert!(after_revoke.revoked, "a revocation committed elsewhere shows on the very next lookup");
}

/// When SQLite answers busy to the quick path (which may not wait on an async worker), the read is
/// redone on the blocking pool, where the connection waits for the lock, instead of failing the
/// request with 503.
#[tokio::test(flavor = "current_thread")]
async fn a_busy_answer_on_the_quick_path_is_retried_on_the_blocking_pool() {
    let (_dir, storage, device) = storage_with_device();
    storage.find_device(device).await.expect("a first lookup fills the quick pool");
    let worker = std::thread::current().id();
    let calls = Arc::new(Mutex::new(Vec::new()));
    let seen = calls.clone();
    let answer = storage
        .read_quick(move |_conn| {
            let mut seen = seen.lock().expect("calls");
            seen.push(std::thread::current().id());
            if seen.len() == 1 {
                Err(ServerError::Unavailable)
            } else {
                Ok("read")
            }
        })
        .await;
    assert_eq!(answer.ok(), Some("read"), "the retried read answers");
    let calls = calls.lock().expect("calls").clone();
    assert_eq!(calls.len(), 2, "one quick try, one retry");
    assert_eq!(calls[0], worker, "the quick try runs on the async worker, without a thread hop");
    assert_ne!(calls[1], worker, "the retry runs on the blocking pool, where waiting is allowed");
}

/// A panic inside a write (a bug) fails that call only: the writer is not poisoned for good, and
/// what the panicking closure wrote is rolled back.
#[tokio::test]
async fn a_panicking_write_does_not_break_later_writes() {
    let (_dir, storage, device) = storage_with_device();
    let failed = storage
        .write(|conn| -> Result<()> {
            conn.execute_batch("BEGIN IMMEDIATE; UPDATE devices SET last_seq = 99;")?;
            panic!("a bug inside a write");
        })
        .await;
    assert!(matches!(failed, Err(ServerError::Internal(_))), "the panicking call fails with a 500: {failed:?}");
    let who = Pusher {
        device_id: device.clone(),
        pickup_point_id: PickupPointId::parse("pp-a").expect("id"),
        kiosk_now: None,
        arrived_unix: crate::db::now_unix(),
    };
    let after = storage.push(who, vec![]).await;
    assert_eq!(
        after.map(|r| r.response.last_seq).ok(),
        Some(0),
        "a later push works, and the panicking write's change was rolled back"
    );
}

/// If the ROLLBACK after a panicked write fails, the writer is not left inside that transaction
/// (which would fail every later write until a restart): a fresh connection replaces it, and the
/// old one's uncommitted change is gone.
#[tokio::test]
async fn a_failed_rollback_replaces_the_writer_connection() {
    let (dir, storage, device) = storage_with_device();
    let path = dir.path().join(DB_FILE);
    let mut conn = db::open(&path).expect("a writer connection");
    conn.execute_batch("BEGIN IMMEDIATE; UPDATE devices SET last_seq = 99;").expect("an open write");
    let failing: fn(&Connection) -> db::SqlResult<()> = |_| Err(rusqlite::Error::InvalidQuery.into());
    end_open_transaction(&mut conn, &path, failing).expect("the connection is replaced");
    assert!(conn.is_autocommit(), "the writer is no longer inside a transaction");
    let seq: i64 = conn.query_row("SELECT last_seq FROM devices", [], |r| r.get(0)).expect("read back");
    assert_eq!(seq, 0, "the stuck transaction's change was rolled back with the old connection");
    conn.execute_batch("UPDATE devices SET last_seq = 1").expect("the fresh connection writes");

    let who = Pusher {
        device_id: device,
        pickup_point_id: PickupPointId::parse("pp-a").expect("id"),
        kiosk_now: None,
        arrived_unix: crate::db::now_unix(),
    };
    let pushed = storage.push(who, vec![]).await;
    assert_eq!(
        pushed.map(|r| r.response.last_seq).ok(),
        Some(1),
        "and other writers are not locked out by the old one"
    );
}

/// Enrollment is open to anyone: a wrong code is answered from a reader, so a flood of guesses
/// never queues behind (or in front of) pushes on the writer.
#[tokio::test]
async fn a_wrong_enrollment_code_is_refused_without_the_writer() {
    use tower::ServiceExt;
    let (_dir, storage, _device) = storage_with_device();
    let (held, release) = (std::sync::mpsc::channel::<()>(), std::sync::mpsc::channel::<()>());
    let Backend::Sqlite(sqlite) = &storage.backend else { unreachable!("a SQLite storage") };
    let inner = sqlite.inner();
    let holder = std::thread::spawn(move || {
        let _writer = inner.writer.lock().expect("writer");
        held.0.send(()).expect("signal");
        let _ = release.1.recv_timeout(std::time::Duration::from_secs(10));
    });
    held.1.recv().expect("the writer is held");
    let app = crate::api::router(crate::AppState::new(
        storage,
        std::sync::Arc::new(ed25519_dalek::SigningKey::from_bytes(&[1; 32])),
        1 << 20,
    ));
    let request = axum::http::Request::post(pvz_protocol::sync::PATH_ENROLL)
        .header("content-type", "application/json")
        .header(pvz_protocol::sync::PROTOCOL_HEADER, pvz_protocol::sync::PROTOCOL_VERSION.to_string())
        .body(axum::body::Body::from(r#"{"code": "NOPE-NOPE-NOPE", "device_name": "x"}"#))
        .expect("request");
    let answer = tokio::time::timeout(std::time::Duration::from_secs(3), app.oneshot(request)).await;
    release.0.send(()).expect("release the writer");
    holder.join().expect("holder thread");
    let response = answer.expect("a wrong code is answered while the writer is busy").expect("response");
    assert_eq!(response.status(), axum::http::StatusCode::BAD_REQUEST, "a wrong code is a 400");
}
