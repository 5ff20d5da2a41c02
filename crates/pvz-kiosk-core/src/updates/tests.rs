//! A downloaded release goes to the spool only between shifts and only when it verifies with the
//! network's update key; a bad signature is refused with a message that says so.

use super::*;
use crate::store::settings;
use minisign::KeyPair;

fn base64(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// A key as `tauri signer generate` writes it, and a release signed as `tauri signer sign` does.
fn signed_release(keys: &KeyPair, version: &str, package: &[u8]) -> DownloadedRelease {
    let comment = format!("timestamp:1765000000\tfile:pvz-kiosk.deb\tversion:{version}");
    let signature = minisign::sign(Some(&keys.pk), &keys.sk, package, Some(&comment), None).expect("signs");
    DownloadedRelease {
        version: version.into(),
        package: package.to_vec(),
        signature: base64(&signature.into_string()),
    }
}

fn key_text(keys: &KeyPair) -> String {
    base64(&keys.pk.to_box().expect("key box").into_string())
}

fn spooled(spool: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(spool)
        .expect("spool")
        .map_while(std::result::Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_release_with_a_bad_signature_is_refused_with_a_clear_message_and_not_spooled() {
    let dir = tempfile::tempdir().expect("dir");
    let kiosk = Kiosk::open(&dir.path().join("kiosk.sqlite3")).expect("kiosk");
    let spool = tempfile::tempdir().expect("spool");
    let network = KeyPair::generate_unencrypted_keypair().expect("network key");
    let stranger = KeyPair::generate_unencrypted_keypair().expect("another key");

    let forged = signed_release(&stranger, "0.2.0", b"package bytes");
    let decision = kiosk.spool_update(&forged, &key_text(&network), spool.path()).expect("decided");
    assert_eq!(
        decision,
        UpdateDecision::Refused(
            "the update 0.2.0 is refused: the package is not signed with the network's update key".into()
        ),
        "a package signed by another key is refused, and the message says why"
    );
    let mut altered = signed_release(&network, "0.2.0", b"package bytes");
    altered.package.push(b'!');
    let decision = kiosk.spool_update(&altered, &key_text(&network), spool.path()).expect("decided");
    assert!(
        matches!(&decision, UpdateDecision::Refused(m) if m.contains("not signed with the network's update key")),
        "a package changed after signing is refused: {decision:?}"
    );
    let garbled = DownloadedRelease { signature: "not a signature".into(), ..signed_release(&network, "0.2.0", b"x") };
    let decision = kiosk.spool_update(&garbled, &key_text(&network), spool.path()).expect("decided");
    assert!(
        matches!(&decision, UpdateDecision::Refused(m) if m.contains("signature cannot be read")),
        "a signature that is not one is refused as such: {decision:?}"
    );
    assert!(spooled(spool.path()).is_empty(), "nothing refused reaches the spool");
}

#[test]
fn a_verified_release_waits_for_the_counter_to_be_free_then_is_spooled_signature_last() {
    let dir = tempfile::tempdir().expect("dir");
    let kiosk = Kiosk::open(&dir.path().join("kiosk.sqlite3")).expect("kiosk");
    let spool = tempfile::tempdir().expect("spool");
    let network = KeyPair::generate_unencrypted_keypair().expect("network key");
    let release = signed_release(&network, "0.2.0", b"package bytes");

    let order = pvz_domain::OrderId::parse("ord-1").expect("order id");
    kiosk
        .store
        .with_tx(|c| Ok::<_, KioskError>(settings::change_counter_state(c, |s| s.active_order = Some(order))?))
        .expect("an order on the counter");
    assert_eq!(
        kiosk.spool_update(&release, &key_text(&network), spool.path()).expect("decided"),
        UpdateDecision::Deferred(UpdateBlocker::OpenOrder),
        "an update waits while an order is open"
    );
    assert!(spooled(spool.path()).is_empty(), "a deferred update is not spooled");

    kiosk
        .store
        .with_tx(|c| Ok::<_, KioskError>(settings::change_counter_state(c, |s| s.active_order = None)?))
        .expect("the order closed");
    let decision = kiosk.spool_update(&release, &key_text(&network), spool.path()).expect("decided");
    let package = spool.path().join("pvz-kiosk_0.2.0.deb");
    assert_eq!(decision, UpdateDecision::Spooled { package: package.clone(), ops_waiting: 0 }, "spooled when free");
    assert_eq!(spooled(spool.path()), ["pvz-kiosk_0.2.0.deb", "pvz-kiosk_0.2.0.deb.sig"], "the package and its .sig");
    assert_eq!(std::fs::read(&package).expect("package"), b"package bytes", "the package as downloaded");
    assert_eq!(
        pvz_kiosk_updater::verify_package(
            &std::fs::read(&package).expect("package"),
            &std::fs::read_to_string(spool.path().join("pvz-kiosk_0.2.0.deb.sig")).expect("sig"),
            &key_text(&network)
        )
        .ok()
        .and_then(|s| s.version),
        Some("0.2.0".into()),
        "what is spooled verifies as the updater service will check it"
    );
}
