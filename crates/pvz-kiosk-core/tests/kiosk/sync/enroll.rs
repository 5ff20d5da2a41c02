//! Enrollment and the device credential: clear refusals that store nothing, and a revoked device
//! told its credential is not accepted. A kiosk enrolls only with the server its code names, never
//! uses up a code it would refuse, and a page of the feed fetched before enrolling again is never
//! applied after it.
//! A kiosk core on a real SQLite file against the real central server (see `common`).

use crate::support::network::*;
use pvz_domain::FeePolicy;
use pvz_kiosk_core::sync::{self, EngineConfig, SyncEngine};
use pvz_kiosk_core::{ErrorKind, KioskError};
use std::sync::Arc;
use std::time::Duration;

#[tokio::test]
async fn a_revoked_device_is_told_its_credential_is_not_accepted() {
    let net = Network::start().await;
    let kiosk = Arc::new(net.enrolled_kiosk().await);
    sync::sync_until_idle(&kiosk, &fast()).await.expect("a first good pass");
    net.admin().revoke_device(&device_of(&kiosk)).expect("device revoked");

    let err = sync::sync_until_idle(&kiosk, &fast()).await.expect_err("a revoked device cannot sync");
    assert!(matches!(err, KioskError::CredentialRejected), "a 401 is a rejected credential: {err:?}");
    let stored = kiosk.sync_status().expect("status");
    assert!(
        stored.last_error.as_deref().is_some_and(|e| e.contains("device credential not accepted")),
        "the status says the credential is not accepted: {stored:?}"
    );

    let handle = SyncEngine::spawn(kiosk.clone(), short_engine(), Box::new(|_| {}));
    let status = wait_for(&handle, "the engine reports the refusal", |s| s.last_error_kind.is_some()).await;
    assert_eq!(
        status.last_error_kind,
        Some(pvz_kiosk_core::ErrorKind::CredentialRejected),
        "the window can translate the refusal by kind"
    );
    handle.stop();
}

#[tokio::test]
async fn enrollment_errors_are_clear_and_store_nothing() {
    let mut net = Network::start().await;
    let kiosk = net.kiosk();
    let unknown = format!("AAAA-BBBB-CCCC-{}", "A".repeat(28));
    let err = sync::enroll(&kiosk, &net.url(), &unknown, "Касса 1").await.expect_err("an unknown code");
    assert!(
        matches!(err, KioskError::EnrollmentRefused(_)),
        "a bad code is refused with the server's message: {err:?}"
    );
    assert!(!kiosk.sync_status().expect("status").configured, "a refused enrollment stores nothing");

    let admin = net.admin();
    admin.add_pickup_point("pp-sync-2", "ПВЗ Другая, 2", &FeePolicy::default()).expect("second point");
    let other = admin.issue_enrollment_code("pp-sync-2", Duration::from_secs(600)).expect("code");
    drop(kiosk);
    let enrolled = net.enrolled_kiosk().await;
    let err = sync::enroll(&enrolled, &net.url(), &other, "Касса 1").await.expect_err("another point");
    assert!(matches!(err, KioskError::EnrolledElsewhere { .. }), "one kiosk, one pickup point: {err:?}");
    // One process per store: the store is opened again below.
    drop(enrolled);

    let old = sync::enroll(&net.kiosk(), &net.url(), "AAAA-BBBB-CCCC", "x").await.expect_err("an old-format code");
    assert!(
        matches!(&old, KioskError::EnrollmentRefused(m) if m.contains("old format") && m.contains("fresh code")),
        "a code without the server's fingerprint is refused before it is sent, saying what to do: {old:?}"
    );
    let addr = net.stop_server().await;
    let code = &format!("AAAA-BBBB-CCCC-{}", "A".repeat(28));
    let err = sync::enroll(&net.kiosk(), &format!("http://{addr}"), code, "x").await.expect_err("server down");
    assert!(matches!(err, KioskError::ServerUnreachable(_)), "a down server is unreachable: {err:?}");
}

/// A kiosk that took the demo seed, and the seed's pickup point created on the server (its id).
fn demo_seeded_kiosk_with_its_point_on_the_server(net: &Network) -> (pvz_kiosk_core::Kiosk, String) {
    let (seed, _) = pvz_protocol::demo::seed();
    let point = seed.enrollment.pickup_point_id.to_string();
    net.admin().add_pickup_point(&point, "ПВЗ Демо", &FeePolicy::default()).expect("the seed's point on the server");
    let kiosk = net.kiosk();
    assert!(kiosk.import_seed(&seed).expect("the seed imports"), "a fresh kiosk takes the demo seed");
    (kiosk, point)
}

#[tokio::test]
async fn a_demo_seeded_kiosk_with_no_ops_enrolls_and_drops_the_cached_orders_the_server_does_not_have() {
    let net = Network::start().await;
    let (kiosk, point) = demo_seeded_kiosk_with_its_point_on_the_server(&net);
    assert!(kiosk.outbox().expect("outbox").is_empty(), "the seed itself holds no ops");

    net.enroll_at(&kiosk, &point).await;
    sync::sync_until_idle(&kiosk, &fast()).await.expect("the first pass after enrolling");

    let err = kiosk.scan("482137").expect_err("an order the server never had must not open");
    assert_eq!(err.kind(), ErrorKind::OrderNotFound, "the demo order is gone from the cache: {err}");
}

#[tokio::test]
async fn a_demo_seeded_kiosk_holding_practice_ops_is_refused_before_the_server_is_asked() {
    let net = Network::start().await;
    let (kiosk, point) = demo_seeded_kiosk_with_its_point_on_the_server(&net);
    kiosk.scan("482137").expect("a practice scan of the demo order");
    let practice = kiosk.outbox().expect("outbox");
    assert!(!practice.is_empty(), "the practice scan is an op in the outbox");

    let code = net.admin().issue_enrollment_code(&point, Duration::from_secs(600)).expect("code");
    let err = sync::enroll(&kiosk, &net.url(), &code, "Касса 1").await.expect_err("practice ops must not be pushed");
    assert!(
        matches!(&err, KioskError::InvalidInput(m) if m.contains("practice operations") && m.contains("fresh store")),
        "the refusal says why and what to do: {err:?}"
    );
    assert!(!kiosk.sync_status().expect("status").configured, "a refused enrollment stores nothing");
    assert_eq!(kiosk.outbox().expect("outbox").len(), practice.len(), "the practice ops are left as they were");

    let dir = tempfile::tempdir().expect("temp dir");
    let fresh = pvz_kiosk_core::Kiosk::open(&dir.path().join("fresh.sqlite3")).expect("a fresh store");
    let enrollment = sync::enroll(&fresh, &net.url(), &code, "Касса 1").await.expect("the code was never sent");
    assert_eq!(enrollment.pickup_point_id.as_str(), point, "a fresh store enrolls with the same code");
}

#[tokio::test]
async fn a_revoked_kiosk_enrolled_again_continues_its_device_and_its_outbox_drains() {
    let net = Network::start().await;
    net.admin().add_orders(POINT, &[order(1, 100_000), order(2, 200_000)]).expect("orders added");
    let kiosk = net.enrolled_kiosk().await;
    sync::sync_until_idle(&kiosk, &fast()).await.expect("pull the orders");
    issue(&kiosk, 1, 100_000);
    sync::sync_until_idle(&kiosk, &fast()).await.expect("the first issue is pushed");
    let device = device_of(&kiosk);
    net.admin().revoke_device(&device).expect("device revoked");

    net.enroll_at(&kiosk, POINT).await;
    assert_eq!(device_of(&kiosk), device, "enrolling again continues the same device");
    sync::sync_until_idle(&kiosk, &fast()).await.expect("the new credential pulls");
    issue(&kiosk, 2, 200_000);
    let report = sync::sync_until_idle(&kiosk, &fast()).await.expect("the ops after re-enrolling are pushed");
    assert_eq!(report.rejected, 0, "nothing is rejected: {report:?}");
    assert_eq!(kiosk.sync_status().expect("status").ops_waiting, 0, "nothing waits: the seq numbering continued");
    let counts = net.admin().op_counts(&device).expect("op counts");
    assert_eq!(
        counts.applied,
        kiosk.outbox().expect("outbox").len() as u64,
        "the server holds every op of the outbox once, under the one device"
    );
}

/// Issue 13, finding 3: enrolling again while the engine holds a pull. The held pull's page was
/// asked for with the cursor from before the enrollment cleared the cache; applied after it, it
/// would move the cursor past everything the cache lost.
#[tokio::test]
async fn a_page_fetched_before_enrolling_again_is_not_applied_after_it() {
    let net = Network::start().await;
    net.admin().add_orders(POINT, &[order(1, 100_000)]).expect("an order for the point");
    let kiosk = Arc::new(net.enrolled_kiosk().await);
    let engine = EngineConfig { client: fast(), ..EngineConfig::default() };
    let handle = SyncEngine::spawn(kiosk.clone(), engine, Box::new(|_| {}));
    let first =
        wait_for(&handle, "the first pass succeeds", |s| s.online && !s.syncing && s.last_sync_at.is_some()).await;
    net.until_holding(1).await;

    net.enroll_at(&kiosk, POINT).await;
    net.admin().add_orders(POINT, &[order(2, 200_000)]).expect("a change that answers the held pull");
    wait_for(&handle, "a sync after enrolling again", |s| {
        s.last_sync_at.is_some() && s.last_sync_at != first.last_sync_at && !s.syncing
    })
    .await;
    handle.stop();

    let before = kiosk.scan("700001");
    assert!(
        before.is_ok(),
        "the order the server had before the kiosk enrolled again must be at the counter, not lost with a stale \
         page's cursor: {:?}",
        before.err()
    );
}

/// Issue 13, finding 6: the enrollment code binds the server. A server at the given address that
/// knows the code but holds another key must not get its key pinned.
#[tokio::test]
async fn a_server_whose_key_the_code_does_not_name_is_refused_and_nothing_is_stored() {
    let real = Network::start().await;
    let impostor = Network::start().await;
    let code = real.admin().issue_enrollment_code(POINT, Duration::from_secs(600)).expect("code");
    impostor.accept_code_issued_elsewhere(POINT, &code);

    let kiosk = real.kiosk();
    let refused = sync::enroll(&kiosk, &impostor.url(), &code, "Касса 1").await;
    assert!(
        matches!(refused, Err(KioskError::ServerKeyMismatch)),
        "a server whose key is not the one the code names must be refused: {refused:?}"
    );
    assert!(!kiosk.sync_status().expect("status").configured, "nothing of the impostor's answer is stored");
    assert!(kiosk.view().expect("view").status.device_id.is_empty(), "no enrollment is stored");

    let enrollment = sync::enroll(&kiosk, &real.url(), &code, "Касса 1").await.expect("the real server enrolls");
    assert_eq!(enrollment.pickup_point_id.as_str(), POINT, "the kiosk is enrolled with the server the code names");
}

/// Issue 13, finding 6: plain http is refused for anything but loopback, before any request.
#[tokio::test]
async fn plain_http_to_a_server_beyond_this_machine_is_refused_before_connecting() {
    let net = Network::start().await;
    let kiosk = net.kiosk();
    let code = net.admin().issue_enrollment_code(POINT, Duration::from_secs(600)).expect("code");
    let refused = sync::enroll_with(&kiosk, "http://192.0.2.10:8787", &code, "Касса 1", &fast()).await;
    let err = refused.expect_err("plain http to another machine must be refused");
    let kind = serde_json::to_value(err.kind()).expect("a kind serialises");
    assert_eq!(
        kind, "insecure_server_address",
        "a server beyond this machine needs https, and the window says so: {err}"
    );
}

/// Issue 13, finding 7: a kiosk enrolled at one point that is given another point's code (of another
/// server, which does not know its device) refuses it without the code being used or a device made.
#[tokio::test]
async fn a_code_of_another_point_is_refused_without_using_it_or_making_a_device() {
    let home = Network::start().await;
    let kiosk = home.enrolled_kiosk().await;
    let other = Network::start().await;
    other.admin().add_pickup_point("pp-sync-2", "ПВЗ Другая, 2", &FeePolicy::default()).expect("other point");
    let code = other.admin().issue_enrollment_code("pp-sync-2", Duration::from_secs(600)).expect("code");

    let err = sync::enroll(&kiosk, &other.url(), &code, "Касса 1").await.expect_err("one kiosk, one pickup point");
    assert!(
        matches!(err, KioskError::EnrolledElsewhere { .. }),
        "the refusal says the kiosk belongs elsewhere: {err:?}"
    );
    assert!(
        other.admin().devices(None).expect("fleet").is_empty(),
        "the other server made no device for a kiosk that refuses its code"
    );
    let fresh = other.kiosk();
    let enrollment = sync::enroll(&fresh, &other.url(), &code, "Касса 2")
        .await
        .expect("the refused code was never used: the counter it was meant for still enrolls with it");
    assert_eq!(enrollment.pickup_point_id.as_str(), "pp-sync-2", "at the code's point");
}
