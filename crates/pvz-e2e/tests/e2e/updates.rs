//! An update end to end: the real built kiosk, enrolled to a real `pvz-server` whose releases
//! directory offers 0.2.0 (a tiny .deb built here) signed with the network's update key, checks
//! once its first frame is up, downloads the release through Tauri's updater plugin (which
//! verifies the signature), and, with no shift open, leaves the package and its signature in the
//! spool; the root service's one pass (`pvz-kiosk-updater once`, built beside the tests) then
//! installs it. The install needs root: without it, the test stops at the spool and says so.

use minisign::KeyPair;
use pvz_e2e::App;
use pvz_protocol::sync::PROTOCOL_VERSION;
use pvz_server::admin::Admin;
use pvz_server::Config;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const POINT: &str = "pp-msk-0042";
/// The test package's name: the updater service is told to install this one (`--package`).
const PACKAGE: &str = "pvz-updater-e2e";

/// A `.deb` of [`PACKAGE`] at `version`, holding one file, built with `dpkg-deb` in `dir`.
fn build_deb(dir: &Path, version: &str) -> PathBuf {
    let root = dir.join("root");
    std::fs::create_dir_all(root.join("DEBIAN")).expect("DEBIAN dir");
    std::fs::create_dir_all(root.join("usr/share").join(PACKAGE)).expect("payload dir");
    std::fs::write(root.join("usr/share").join(PACKAGE).join("version"), version).expect("payload");
    let control = format!(
        "Package: {PACKAGE}\nVersion: {version}\nArchitecture: all\nMaintainer: PVZ tests <tests@pvz.invalid>\nDescription: e2e update package\n"
    );
    std::fs::write(root.join("DEBIAN/control"), control).expect("control");
    let deb = dir.join(format!("{PACKAGE}_{version}_all.deb"));
    let built = Command::new("dpkg-deb").args(["--build", "--root-owner-group"]).arg(&root).arg(&deb).output();
    let built = built.expect("dpkg-deb runs");
    assert!(built.status.success(), "dpkg-deb builds the package: {}", String::from_utf8_lossy(&built.stderr));
    deb
}

fn installed_version() -> Option<String> {
    let output =
        Command::new("dpkg-query").args(["--show", "--showformat=${Status} ${Version}", PACKAGE]).output().ok()?;
    String::from_utf8_lossy(&output.stdout).strip_prefix("install ok installed ").map(str::to_owned)
}

fn running_as_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Removes the test package whatever the test's outcome.
struct Purge;

impl Drop for Purge {
    fn drop(&mut self) {
        let _ = Command::new("dpkg").args(["--purge", PACKAGE]).output();
    }
}

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
async fn the_window_takes_an_offered_release_between_shifts_and_the_root_service_installs_it() {
    let dir = tempfile::tempdir().expect("server data dir");
    let admin = Admin::open(dir.path()).expect("the server's data dir opens");
    admin.seed_demo().expect("the demo network is seeded");
    let code = admin.issue_enrollment_code(POINT, Duration::from_secs(600)).expect("an enrollment code");
    let keys = KeyPair::generate_unencrypted_keypair().expect("the network's update key");
    let build = tempfile::tempdir().expect("package build dir");
    let package = std::fs::read(build_deb(build.path(), "0.2.0")).expect("the package's bytes");
    publish(dir.path(), &keys, "0.2.0", &package);
    let server = pvz_server::spawn(Config::for_data_dir(dir.path())).await.expect("the server starts");

    let local = tempfile::tempdir().expect("the PC's key and spool");
    let key_file = local.path().join("update-key.pub");
    std::fs::write(&key_file, base64(&keys.pk.to_box().expect("key box").into_string())).expect("key file");
    let spool = local.path().join("spool");
    std::fs::create_dir_all(&spool).expect("spool");
    let env =
        [("PVZ_UPDATE_KEY", key_file.clone().into_os_string()), ("PVZ_UPDATE_SPOOL", spool.clone().into_os_string())];
    let app = App::start_connected_with(&server.url(), &code, "", &env).await;
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

    if !running_as_root() {
        eprintln!("SKIPPED the install: the updater service installs packages, which needs root");
        return;
    }
    let _purge = Purge;
    let _ = Command::new("dpkg").args(["--purge", PACKAGE]).output();
    let work = local.path().join("work");
    let service = Command::new(pvz_e2e::sibling_binary("pvz-kiosk-updater"))
        .arg("once")
        .args(["--spool".as_ref(), spool.as_os_str()])
        .args(["--key".as_ref(), key_file.as_os_str()])
        .args(["--work".as_ref(), work.as_os_str()])
        .args(["--package", PACKAGE])
        .output()
        .expect("the updater service runs");
    assert!(
        service.status.success(),
        "the service installs what the window spooled: {}{}",
        String::from_utf8_lossy(&service.stdout),
        String::from_utf8_lossy(&service.stderr)
    );
    assert_eq!(installed_version().as_deref(), Some("0.2.0"), "dpkg lists the release the window took as installed");
    assert_eq!(std::fs::read_dir(&spool).expect("spool").count(), 0, "the service emptied the spool");
}
