//! The root service unattended, as systemd runs it: a tiny package built here with `dpkg-deb`
//! (under a test name given by `--package`) and signed with a key made here is installed from the
//! spool; one signed by another key, one whose bytes changed after signing, and a signed package
//! of another name are refused with a message saying why, and none of them is installed. Needs
//! root (it installs packages); without root it says so and checks nothing.

use minisign::KeyPair;
use pvz_kiosk_updater::{Outcome, Status};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A package name no real system has, so the test installs and removes only its own.
const PACKAGE: &str = "pvz-updater-selftest";

fn running_as_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A `.deb` of `name` at `version` holding one file, built in `dir`.
fn build_deb(dir: &Path, name: &str, version: &str) -> PathBuf {
    let root = dir.join(format!("{name}-{version}"));
    std::fs::create_dir_all(root.join("DEBIAN")).expect("DEBIAN dir");
    std::fs::create_dir_all(root.join("usr/share").join(name)).expect("payload dir");
    std::fs::write(root.join("usr/share").join(name).join("version"), version).expect("payload");
    let control = format!(
        "Package: {name}\nVersion: {version}\nArchitecture: all\nMaintainer: PVZ tests <tests@pvz.invalid>\nDescription: updater self-test package\n"
    );
    std::fs::write(root.join("DEBIAN/control"), control).expect("control");
    let deb = dir.join(format!("{name}_{version}_all.deb"));
    let built = Command::new("dpkg-deb")
        .args(["--build", "--root-owner-group"])
        .arg(&root)
        .arg(&deb)
        .output()
        .expect("dpkg-deb runs");
    assert!(built.status.success(), "dpkg-deb builds the test package: {}", String::from_utf8_lossy(&built.stderr));
    deb
}

/// The signature `tauri signer sign` would write: base64 of minisign's text, version in the trusted comment.
fn sign(keys: &KeyPair, bytes: &[u8], version: &str) -> String {
    let comment = format!("timestamp:1765000000\tfile:package.deb\tversion:{version}");
    let signature = minisign::sign(Some(&keys.pk), &keys.sk, bytes, Some(&comment), None).expect("signs");
    base64(&signature.into_string())
}

fn base64(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}

struct Service {
    dir: tempfile::TempDir,
}

impl Service {
    /// A spool, a work dir and the update key (as `tauri signer generate` writes it).
    fn new(keys: &KeyPair) -> Service {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("spool")).expect("spool");
        let key = keys.pk.to_box().expect("key box").into_string();
        std::fs::write(dir.path().join("update-key.pub"), base64(&key)).expect("key file");
        Service { dir }
    }

    /// Puts a package and its signature into the spool, as the kiosk does (signature last).
    fn spool(&self, deb: &Path, signature: &str) {
        let name = deb.file_name().expect("file name").to_string_lossy().into_owned();
        std::fs::copy(deb, self.dir.path().join("spool").join(&name)).expect("spool the package");
        std::fs::write(self.dir.path().join("spool").join(format!("{name}.sig")), signature).expect("spool the sig");
    }

    /// `pvz-kiosk-updater once` with this service's paths; its exit success and the status it wrote.
    fn run_once(&self) -> (bool, Status, String) {
        let path = |p: &str| self.dir.path().join(p);
        let output = Command::new(env!("CARGO_BIN_EXE_pvz-kiosk-updater"))
            .arg("once")
            .args(["--spool".as_ref(), path("spool").as_os_str()])
            .args(["--key".as_ref(), path("update-key.pub").as_os_str()])
            .args(["--work".as_ref(), path("work").as_os_str()])
            .args(["--package", PACKAGE])
            .output()
            .expect("the service runs");
        let status = Status::read(&path("work/status.json")).expect("the service records its outcome");
        let spool_left: Vec<_> = std::fs::read_dir(path("spool")).expect("spool").map_while(Result::ok).collect();
        assert!(spool_left.is_empty(), "the service empties the spool of what it handled: {spool_left:?}");
        (output.status.success(), status, String::from_utf8_lossy(&output.stdout).into_owned())
    }
}

fn installed_version(name: &str) -> Option<String> {
    let output =
        Command::new("dpkg-query").args(["--show", "--showformat=${Status} ${Version}", name]).output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.strip_prefix("install ok installed ").map(str::to_owned)
}

/// Removes the test package whatever the test's outcome.
struct Purge;

impl Drop for Purge {
    fn drop(&mut self) {
        let _ = Command::new("dpkg").args(["--purge", PACKAGE]).output();
    }
}

#[test]
fn the_service_installs_a_package_signed_with_the_update_key_and_refuses_any_other() {
    if !running_as_root() {
        eprintln!("SKIPPED: the updater service installs packages, which needs root; run this test as root");
        return;
    }
    let _purge = Purge;
    let _ = Command::new("dpkg").args(["--purge", PACKAGE]).output();
    let keys = KeyPair::generate_unencrypted_keypair().expect("update key");
    let service = Service::new(&keys);
    let build = tempfile::tempdir().expect("build dir");

    let deb = build_deb(build.path(), PACKAGE, "1.0.0");
    let bytes = std::fs::read(&deb).expect("deb bytes");
    let foreign = KeyPair::generate_unencrypted_keypair().expect("another key");
    service.spool(&deb, &sign(&foreign, &bytes, "1.0.0"));
    let (ok, status, _) = service.run_once();
    assert!(!ok, "a refused package makes the pass fail, so systemd shows it");
    assert_eq!(status.outcome, Outcome::Refused, "a package signed by another key is refused: {status:?}");
    assert!(
        status.message.contains("not signed with the network's update key"),
        "the refusal says why: {}",
        status.message
    );
    assert_eq!(installed_version(PACKAGE), None, "a package signed by another key is not installed");

    let mut tampered = bytes.clone();
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    let tampered_deb = build.path().join("tampered.deb");
    std::fs::write(&tampered_deb, &tampered).expect("tampered deb");
    service.spool(&tampered_deb, &sign(&keys, &bytes, "1.0.0"));
    let (_, status, _) = service.run_once();
    assert_eq!(status.outcome, Outcome::Refused, "a package changed after signing is refused: {status:?}");
    assert!(
        status.message.contains("not signed with the network's update key"),
        "the refusal says why: {}",
        status.message
    );
    assert_eq!(installed_version(PACKAGE), None, "a package changed after signing is not installed");

    let other = build_deb(build.path(), "pvz-updater-other", "1.0.0");
    let other_bytes = std::fs::read(&other).expect("other bytes");
    service.spool(&other, &sign(&keys, &other_bytes, "1.0.0"));
    let (_, status, _) = service.run_once();
    assert_eq!(status.outcome, Outcome::Refused, "a signed package of another name is refused: {status:?}");
    assert!(status.message.contains("installs only"), "the refusal names the package it installs: {}", status.message);
    assert_eq!(installed_version("pvz-updater-other"), None, "a package of another name is not installed");

    service.spool(&deb, &sign(&keys, &bytes, "0.9.0"));
    let (_, status, _) = service.run_once();
    assert_eq!(status.outcome, Outcome::Refused, "a signature for another version is refused: {status:?}");
    assert!(status.message.contains("signature is for version 0.9.0"), "the refusal says which: {}", status.message);

    service.spool(&deb, &sign(&keys, &bytes, "1.0.0"));
    let (ok, status, stdout) = service.run_once();
    assert!(ok, "a pass that installed everything succeeds: {stdout}");
    assert_eq!(status.outcome, Outcome::Installed, "a package signed with the update key is installed: {status:?}");
    assert_eq!(status.version.as_deref(), Some("1.0.0"), "the status names the installed version");
    assert_eq!(installed_version(PACKAGE).as_deref(), Some("1.0.0"), "dpkg lists the package as installed");

    let older = build_deb(build.path(), PACKAGE, "0.9.0");
    let older_bytes = std::fs::read(&older).expect("older bytes");
    service.spool(&older, &sign(&keys, &older_bytes, "0.9.0"));
    let (_, status, _) = service.run_once();
    assert_eq!(status.outcome, Outcome::Installed, "a signed older release (a rollback) installs: {status:?}");
    assert_eq!(installed_version(PACKAGE).as_deref(), Some("0.9.0"), "the rollback's version is installed");
}
