//! Kiosk updates from the releases directory: a check answers the release a kiosk should run (the
//! updater plugin's manifest) or 204, the package downloads with the device credential, a staged
//! release reaches only its share of points (the same points each time), a rolled-back release is
//! offered to nobody and its points go back when the release before it reads their store, and a
//! release whose kiosk speaks no protocol of this server's is never offered.

use crate::common::{self, TestServer, POINT};
use pvz_domain::DeviceId;
use pvz_protocol::sync::PROTOCOL_VERSION;
use pvz_server::releases::rollout_bucket;
use std::path::PathBuf;

const TARGET: &str = "linux-x86_64";

/// A release's directory in the server's releases directory, with a package of `bytes`.
struct Release<'a> {
    version: &'a str,
    percent: u8,
    rolled_back: bool,
    protocols: Vec<u32>,
    store_schema: u32,
}

impl Release<'_> {
    fn new(version: &str) -> Release<'_> {
        Release { version, percent: 100, rolled_back: false, protocols: vec![PROTOCOL_VERSION], store_schema: 30 }
    }

    /// Writes (or rewrites) the release into the server's releases directory; returns the package's bytes.
    fn write(&self, server: &TestServer) -> Vec<u8> {
        let dir = releases_dir(server).join(self.version);
        std::fs::create_dir_all(&dir).expect("release dir");
        let package = format!("pvz-kiosk_{}_amd64.deb", self.version);
        let bytes = format!("package {}", self.version).into_bytes();
        std::fs::write(dir.join(&package), &bytes).expect("package");
        std::fs::write(dir.join(format!("{package}.sig")), format!("signature of {}\n", self.version)).expect("sig");
        let release = format!(
            "version = \"{v}\"\npackage = \"{package}\"\nnotes = \"Версия {v}\"\npub_date = \"2026-12-07T10:00:00Z\"\n\
             targets = [\"{TARGET}\"]\nprotocols = {p:?}\nrollout_percent = {r}\nrolled_back = {b}\nstore_schema = {s}\n",
            v = self.version,
            p = self.protocols,
            r = self.percent,
            b = self.rolled_back,
            s = self.store_schema,
        );
        std::fs::write(dir.join("release.toml"), release).expect("release.toml");
        bytes
    }
}

fn releases_dir(server: &TestServer) -> PathBuf {
    server.dir.path().join("releases")
}

/// The version offered to a kiosk running `current`, or `None` on 204.
async fn offered(server: &TestServer, credential: &str, current: &str) -> Option<String> {
    let reply = server.get(&format!("/v1/kiosk/update/{TARGET}/{current}"), Some(credential)).await;
    match reply.status {
        204 => None,
        200 => Some(reply.body["version"].as_str().expect("a version in the manifest").to_owned()),
        other => panic!("a check answers 200 or 204, not {other}: {}", reply.body),
    }
}

#[tokio::test]
async fn a_kiosk_is_offered_the_newer_release_with_its_signature_and_downloads_its_package() {
    let server = common::start().await;
    let kiosk = server.enroll(POINT).await;
    let bytes = Release::new("0.2.0").write(&server);

    let reply = server.get(&format!("/v1/kiosk/update/{TARGET}/0.1.0"), Some(&kiosk.credential)).await;
    assert_eq!(reply.status, 200, "a kiosk on 0.1.0 is offered 0.2.0: {}", reply.body);
    assert_eq!(reply.body["version"], "0.2.0", "the manifest names the release");
    assert_eq!(reply.body["signature"], "signature of 0.2.0", "the manifest carries the package's .sig as written");
    assert_eq!(reply.body["notes"], "Версия 0.2.0", "the release's notes are shown to the manager");
    assert_eq!(reply.body["pub_date"], "2026-12-07T10:00:00Z", "the release date is passed on");
    let url = reply.body["url"].as_str().expect("a download url");
    assert!(url.starts_with(&server.server.url()), "the url is absolute on the address the kiosk used: {url}");

    let download = server.client.get(url).bearer_auth(&kiosk.credential).header("x-pvz-protocol", "4").send().await;
    let download = download.expect("download sent");
    assert_eq!(download.status().as_u16(), 200, "the package downloads with the device credential");
    assert_eq!(download.bytes().await.expect("package bytes").as_ref(), bytes.as_slice(), "the package's bytes");
    let anonymous = server.client.get(url).header("x-pvz-protocol", "4").send().await.expect("sent");
    assert_eq!(anonymous.status().as_u16(), 401, "nobody downloads a package without a device credential");

    assert_eq!(offered(&server, &kiosk.credential, "0.2.0").await, None, "a kiosk on 0.2.0 has nothing to install");
    assert_eq!(
        offered(&server, &kiosk.credential, "0.3.0").await,
        None,
        "a kiosk ahead of every release is not downgraded"
    );
    let bad = server.get(&format!("/v1/kiosk/update/{TARGET}/latest"), Some(&kiosk.credential)).await;
    common::assert_api_error(&bad, 400, "bad_request", "a current version that is not semver");
    let other_target = server.get("/v1/kiosk/update/windows-x86_64/0.1.0", Some(&kiosk.credential)).await;
    assert_eq!(other_target.status, 204, "a package for Linux is not offered to another target");
    let unauthenticated = server.get(&format!("/v1/kiosk/update/{TARGET}/0.1.0"), None).await;
    common::assert_api_error(&unauthenticated, 401, "unauthorized", "a check without a credential");
}

#[tokio::test]
async fn a_staged_release_reaches_its_share_of_points_and_widening_it_keeps_them() {
    let server = common::start().await;
    let mut kiosks = Vec::new();
    // Enough points that both sides of a 50 % rollout have one (each point is on either side with
    // probability one half; 40 points all on one side is a one-in-10^11 run).
    while kiosks.len() < 40 {
        kiosks.push(server.enroll(POINT).await);
    }
    let bucket = |device: &str| rollout_bucket(&DeviceId::parse(device).expect("device id"));
    assert!(
        kiosks.iter().any(|k| bucket(&k.device_id) < 50) && kiosks.iter().any(|k| bucket(&k.device_id) >= 50),
        "both sides of a 50 % rollout have a point"
    );

    Release { percent: 0, ..Release::new("0.2.0") }.write(&server);
    for kiosk in &kiosks {
        assert_eq!(offered(&server, &kiosk.credential, "0.1.0").await, None, "a release at 0 % reaches no point");
    }
    Release { percent: 50, ..Release::new("0.2.0") }.write(&server);
    let mut reached = Vec::new();
    for kiosk in &kiosks {
        let got = offered(&server, &kiosk.credential, "0.1.0").await;
        let expected = bucket(&kiosk.device_id) < 50;
        assert_eq!(got.is_some(), expected, "at 50 % a point is offered the release when its bucket is below 50");
        assert_eq!(offered(&server, &kiosk.credential, "0.1.0").await, got, "a point's answer is the same each time");
        if expected {
            reached.push(kiosk);
        }
    }
    assert!(reached.len() < kiosks.len(), "a 50 % rollout leaves some points out");
    Release { percent: 80, ..Release::new("0.2.0") }.write(&server);
    for kiosk in reached {
        assert_eq!(
            offered(&server, &kiosk.credential, "0.1.0").await.as_deref(),
            Some("0.2.0"),
            "widening the rollout keeps every point that already had the release"
        );
    }
    Release::new("0.2.0").write(&server);
    for kiosk in &kiosks {
        assert_eq!(
            offered(&server, &kiosk.credential, "0.1.0").await.as_deref(),
            Some("0.2.0"),
            "at 100 % every point"
        );
    }
}

#[tokio::test]
async fn a_rolled_back_release_is_offered_to_nobody_and_its_points_go_back_when_the_store_allows() {
    let server = common::start().await;
    let kiosk = server.enroll(POINT).await;
    Release::new("0.1.0").write(&server);
    Release { rolled_back: true, ..Release::new("0.2.0") }.write(&server);

    assert_eq!(offered(&server, &kiosk.credential, "0.1.0").await, None, "a rolled-back release is not offered");
    assert_eq!(
        offered(&server, &kiosk.credential, "0.2.0").await.as_deref(),
        Some("0.1.0"),
        "a point on the rolled-back release goes back to the one before, which opens the same store"
    );
    let download = server.get("/v1/kiosk/releases/0.2.0/pvz-kiosk_0.2.0_amd64.deb", Some(&kiosk.credential)).await;
    common::assert_api_error(&download, 404, "not_found", "a rolled-back release's package");

    Release { rolled_back: true, store_schema: 31, ..Release::new("0.2.0") }.write(&server);
    assert_eq!(
        offered(&server, &kiosk.credential, "0.2.0").await,
        None,
        "a point whose store the rolled-back release migrated stays on it: the release before cannot open it"
    );
    Release { store_schema: 31, ..Release::new("0.2.1") }.write(&server);
    assert_eq!(
        offered(&server, &kiosk.credential, "0.2.0").await.as_deref(),
        Some("0.2.1"),
        "a fixed release takes the point off the rolled-back one"
    );
}

#[tokio::test]
async fn a_release_is_offered_only_when_this_server_speaks_its_protocol() {
    let server = common::start().await;
    let kiosk = server.enroll(POINT).await;
    Release { protocols: vec![PROTOCOL_VERSION + 1], ..Release::new("0.3.0") }.write(&server);
    assert_eq!(
        offered(&server, &kiosk.credential, "0.1.0").await,
        None,
        "a release whose kiosk speaks only a protocol newer than this server's is not offered"
    );
    Release { protocols: vec![PROTOCOL_VERSION, PROTOCOL_VERSION + 1], ..Release::new("0.2.0") }.write(&server);
    assert_eq!(
        offered(&server, &kiosk.credential, "0.1.0").await.as_deref(),
        Some("0.2.0"),
        "a release that still speaks this server's protocol is offered, the newer one is skipped"
    );
    std::fs::write(releases_dir(&server).join("0.2.0").join("release.toml"), "version = 2").expect("broken file");
    assert_eq!(
        offered(&server, &kiosk.credential, "0.1.0").await,
        None,
        "a release whose file does not read is left out, not offered half-described"
    );
}
