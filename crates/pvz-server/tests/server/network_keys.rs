//! One network, one signing key: servers sharing a database sign with the key it holds (created by
//! whichever starts first, or imported from an older data dir's key file), and `pvz-server
//! rotate-key` moves the network to a new key in two steps without a restart: the feed carries the
//! next key endorsed by the active one, then `--activate` makes every server sign with it.

use crate::common::*;
use ed25519_dalek::SigningKey;
use pvz_protocol::PublicKey;
use std::time::Duration;

async fn enrolled_key(t: &TestServer, server: &pvz_server::RunningServer) -> String {
    let code = t.admin.issue_enrollment_code(POINT, Duration::from_secs(60)).expect("code");
    let reply = t
        .client
        .post(format!("{}/v1/enroll", server.url()))
        .header(pvz_protocol::sync::PROTOCOL_HEADER, pvz_protocol::sync::PROTOCOL_VERSION.to_string())
        .json(&serde_json::json!({"code": code, "device_name": "Касса"}))
        .send()
        .await
        .expect("enrolled");
    let body = reply_body(reply).await;
    body["enrollment"]["server_public_key"].as_str().expect("a pinned key").to_owned()
}

async fn reply_body(response: reqwest::Response) -> serde_json::Value {
    let reply = reply(response).await;
    assert_eq!(reply.status, 200, "the call succeeds: {}", reply.body);
    reply.body
}

#[tokio::test]
async fn servers_started_together_on_one_database_sign_with_one_key() {
    let t = start().await;
    // Another instance on the same database, started while the first runs.
    let second = pvz_server::spawn(config(t.dir.path())).await.expect("a second instance starts");
    let first_key = enrolled_key(&t, &t.server).await;
    let second_key = enrolled_key(&t, &second).await;
    assert_eq!(first_key, second_key, "kiosks of either instance pin the one network key");
    assert_eq!(PublicKey::of(t.admin.signing_key()).to_base64url(), first_key, "and the admin CLI signs with it");
    assert!(!t.dir.path().join(pvz_server::keys::KEY_FILE).exists(), "the key lives in the database");
    second.shutdown().await;

    // Two first starts at once on a fresh database agree too.
    let dir = tempfile::tempdir().expect("temp dir");
    let (a, b) = tokio::join!(pvz_server::spawn(config(dir.path())), pvz_server::spawn(config(dir.path())));
    let (a, b) = (a.expect("one starts"), b.expect("the other starts"));
    let admin = admin(dir.path());
    admin.add_pickup_point(POINT, "ПВЗ", &policy()).expect("a point");
    let fresh = TestServer { server: a, admin, client: reqwest::Client::new(), dir };
    let key_a = enrolled_key(&fresh, &fresh.server).await;
    let key_b = enrolled_key(&fresh, &b).await;
    assert_eq!(key_a, key_b, "concurrent first starts create one key between them");
    b.shutdown().await;
}

#[tokio::test]
async fn an_older_data_dirs_key_file_is_kept_as_the_network_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let old = SigningKey::from_bytes(&[21; 32]);
    let text = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, old.to_bytes());
    std::fs::write(dir.path().join(pvz_server::keys::KEY_FILE), text + "\n").expect("the old release's key file");
    let server = pvz_server::spawn(config(dir.path())).await.expect("starts");
    let admin = admin(dir.path());
    admin.add_pickup_point(POINT, "ПВЗ", &policy()).expect("a point");
    let t = TestServer { server, admin, client: reqwest::Client::new(), dir };
    let pinned = enrolled_key(&t, &t.server).await;
    assert_eq!(pinned, PublicKey::of(&old).to_base64url(), "kiosks enrolled before the upgrade keep verifying");
}

#[tokio::test]
async fn rotate_key_sends_the_endorsed_next_key_and_activate_switches_a_running_server() {
    let t = start().await;
    let kiosk = t.enroll(POINT).await;
    let before = t.pull(&kiosk, &[]).await;
    let cursor = before.body["cursor"].as_str().expect("a cursor").to_owned();
    assert!(
        !before.body["changes"].as_array().expect("changes").iter().any(|c| c["type"] == "set_server_keys"),
        "one key: nothing to send beyond what enrollment pinned"
    );
    let pinned = PublicKey::of(t.admin.signing_key());

    let rotated = pvz_server(t.dir.path(), &["rotate-key"]);
    assert!(rotated.ok, "rotate-key succeeds: {}", rotated.stderr);
    let page = t.pull(&kiosk, &[("cursor", &cursor)]).await;
    let chain = page.body["changes"]
        .as_array()
        .and_then(|changes| changes.iter().find(|c| c["type"] == "set_server_keys"))
        .unwrap_or_else(|| panic!("the feed carries the key chain: {}", page.body))["keys"]
        .clone();
    assert_eq!(chain[0]["public_key"], pinned.to_base64url().as_str(), "the chain starts at the active key");
    let next = PublicKey::parse(chain[1]["public_key"].as_str().expect("a next key")).expect("an ed25519 key");
    let endorsement = chain[1]["endorsement"].as_str().expect("the next key is endorsed");
    assert_eq!(pinned.verify_endorsement(&next, endorsement), Ok(()), "by the key kiosks pinned");
    assert!(rotated.stdout.contains(&next.to_base64url()), "the CLI names the next key: {}", rotated.stdout);
    assert_eq!(enrolled_key(&t, &t.server).await, pinned.to_base64url(), "the active key signs until activation");

    let activated = pvz_server(t.dir.path(), &["rotate-key", "--activate"]);
    assert!(activated.ok, "rotate-key --activate succeeds: {}", activated.stderr);
    assert_eq!(
        enrolled_key(&t, &t.server).await,
        next.to_base64url(),
        "the running server hands out the new key without a restart"
    );
    let again = pvz_server(t.dir.path(), &["rotate-key", "--activate"]);
    assert!(!again.ok, "with no next key waiting there is nothing to activate");
}
