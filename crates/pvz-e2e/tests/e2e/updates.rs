//! An update end to end up to the root service: the real built kiosk, enrolled to a real
//! `pvz-server` whose releases directory offers 0.2.0 signed with the network's update key, checks
//! once its first frame is up, downloads the release through Tauri's updater plugin (which
//! verifies the signature), and, with no shift open, leaves the package and its signature in the
//! spool, exactly as the updater service will verify them.

use minisign::KeyPair;
use pvz_e2e::App;
use pvz_protocol::sync::PROTOCOL_VERSION;
use pvz_server::admin::Admin;
use pvz_server::Config;
use std::path::Path;
use std::time::{Duration, Instant};

const POINT: &str = "pp-msk-0042";

fn base64(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// Publishes `version` in the server's releases directory, signed as `tauri signer sign` signs.
fn publish(data_dir: &Path, keys: &KeyPair, version: &str, package: &[u8]) {
    let dir = data_dir.join("releases").join(version);
    std::fs::create_dir_all(&dir).expect("release dir");
    let file = format!("pvz-kiosk_{version}_amd64.deb");
    std::fs::write(dir.join(&file), package).expect("package");
    let comment = format!("timestamp:1765000000\tfile:{file}\tversion:{version}");
    let signature = minisign::sign(Some(&keys.pk), &keys.sk, package, Some(&comment), None).expect("signs");
    std::fs::write(dir.join(format!("{file}.sig")), base64(&signature.into_string())).expect("sig");
    let release = format!(
        "version = \"{version}\"\npackage = \"{file}\"\nnotes = \"e2e\"\npub_date = \"2026-12-07T10:00:00Z\"\n\
         targets = [\"linux-x86_64\"]\nprotocols = [{PROTOCOL_VERSION}]\nstore_schema = 19\n"
    );
    std::fs::write(dir.join("release.toml"), release).expect("release.toml");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_downloads_an_offered_release_and_spools_it_for_the_updater_service() {
    let dir = tempfile::tempdir().expect("server data dir");
    let admin = Admin::open(dir.path()).expect("the server's data dir opens");
    admin.seed_demo().expect("the demo network is seeded");
    let code = admin.issue_enrollment_code(POINT, Duration::from_secs(600)).expect("an enrollment code");
    let keys = KeyPair::generate_unencrypted_keypair().expect("the network's update key");
    let package = b"the 0.2.0 package".to_vec();
    publish(dir.path(), &keys, "0.2.0", &package);
    let server = pvz_server::spawn(Config::for_data_dir(dir.path())).await.expect("the server starts");

    let local = tempfile::tempdir().expect("the PC's key and spool");
    let key_file = local.path().join("update-key.pub");
    std::fs::write(&key_file, base64(&keys.pk.to_box().expect("key box").into_string())).expect("key file");
    let spool = local.path().join("spool");
    std::fs::create_dir_all(&spool).expect("spool");
    let env =
        [("PVZ_UPDATE_KEY", key_file.clone().into_os_string()), ("PVZ_UPDATE_SPOOL", spool.clone().into_os_string())];
    let app = App::start_connected_with(&server.url(), &code, &env).await;
    app.wait_attr("[data-testid=sync-online]", "data-state", "online").await;

    // The spool is a directory, not a page: watched until the signature (written last) is there.
    let signature_file = spool.join("pvz-kiosk_0.2.0.deb.sig");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !signature_file.exists() {
        assert!(Instant::now() < deadline, "the offered 0.2.0 reaches the spool within 30 s of the window opening");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let spooled = std::fs::read(spool.join("pvz-kiosk_0.2.0.deb")).expect("the package is in the spool");
    assert_eq!(spooled, package, "the spooled package is the release's, byte for byte");
    let signature = std::fs::read_to_string(&signature_file).expect("the signature");
    let key = std::fs::read_to_string(&key_file).expect("key");
    let signed =
        pvz_kiosk_updater::verify_package(&spooled, &signature, &key).expect("it verifies as the service checks it");
    assert_eq!(signed.version.as_deref(), Some("0.2.0"), "the signature names the version spooled");
    server.shutdown().await;
}
