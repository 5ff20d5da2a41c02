//! «Диагностика»: the zip built from an enrolled store with managers' PINs, whose logs met signed
//! codes and the device credential, holds the logs, versions, sync state and integrity check, and
//! none of the secrets: not in any entry, whether the log line was redacted when written or came
//! from a log file written before redaction existed.

use crate::support::counter::EARLIER_CLAIM_CODE;
use crate::support::network::{pickup_qr, Network};
use crate::support::staff::{add_managers, pin_hash, ANNA_PIN, BORIS_PIN};
use pvz_kiosk_core::logs::{logs_dir, LogFiles};
use pvz_kiosk_core::DiagnosticsRequest;
use std::io::{Read, Write};

fn stored_credential(path: &std::path::Path) -> String {
    let conn = rusqlite::Connection::open(path).expect("the store file opens for reading");
    conn.query_row("SELECT device_credential FROM sync_settings", [], |r| r.get(0)).expect("the credential")
}

/// Every entry of the zip at `path`, by name, as text.
fn entries(path: &std::path::Path) -> Vec<(String, String)> {
    let file = std::fs::File::open(path).expect("the zip opens");
    let mut zip = zip::ZipArchive::new(file).expect("a readable zip");
    (0..zip.len())
        .map(|i| {
            let mut entry = zip.by_index(i).expect("an entry");
            let name = entry.name().expect("the entry's name").into_owned();
            let mut text = String::new();
            entry.read_to_string(&mut text).expect("a text entry");
            (name, text)
        })
        .collect()
}

#[tokio::test]
async fn the_diagnostics_zip_holds_logs_versions_sync_and_integrity_and_no_secret() {
    let net = Network::start().await;
    let kiosk = net.enrolled_kiosk().await;
    add_managers(&kiosk);
    let data_dir = net.kiosk_path().parent().expect("the store's directory").to_path_buf();
    let credential = stored_credential(net.kiosk_path());
    let device_secret = credential.rsplit_once('.').expect("pvzd1.<device>.<secret>").1.to_owned();
    let pickup = pickup_qr(&net.admin(), 1);
    let secrets = [
        ("the device credential", credential.clone()),
        ("the device secret", device_secret),
        ("Anna's PIN hash", pin_hash(ANNA_PIN)),
        ("Boris's PIN hash", pin_hash(BORIS_PIN)),
        ("a buyer's pickup code", pickup.clone()),
        ("the pickup code's signature", pickup[pickup.len() - 40..].to_owned()),
        ("a claim return code", EARLIER_CLAIM_CODE.to_owned()),
        ("the claim code's signature", EARLIER_CLAIM_CODE.rsplit_once('.').expect("signed").1.to_owned()),
    ];

    // Lines through the kiosk's own log files, redacted as they are written…
    let logs = LogFiles::open(&data_dir).expect("the log files open");
    (&logs)
        .write_all(
            format!("INFO scanned code={pickup} claim={EARLIER_CLAIM_CODE} auth=Bearer {credential}\n").as_bytes(),
        )
        .expect("a line is logged");
    // …and a file an earlier release left with everything in it.
    let older = format!(
        "WARN pushing with {credential}\nDEBUG pin hash {} and {}\nINFO code {pickup} / {EARLIER_CLAIM_CODE}\n",
        pin_hash(ANNA_PIN),
        pin_hash(BORIS_PIN)
    );
    std::fs::write(logs_dir(&data_dir).join("kiosk.log.1"), older).expect("an older log file");

    let request = DiagnosticsRequest { app_version: "9.9.9-test".into(), logs_dir: logs_dir(&data_dir), sync: None };
    let path = kiosk.save_diagnostics(&request).expect("the diagnostics zip is saved");
    assert!(path.starts_with(kiosk.documents_dir()), "saved among the documents: {}", path.display());
    let entries = entries(&path);
    let names: Vec<&str> = entries.iter().map(|(name, _)| name.as_str()).collect();
    for expected in ["about.json", "sync.json", "integrity_check.txt", "logs/kiosk.log", "logs/kiosk.log.1"] {
        assert!(names.contains(&expected), "the zip holds {expected}: {names:?}");
    }
    for (name, text) in &entries {
        for (what, secret) in &secrets {
            assert!(!text.contains(secret.as_str()), "{name} must not hold {what}:\n{text}");
        }
    }
    let text = |name: &str| entries.iter().find(|(n, _)| n == name).map(|(_, t)| t.as_str()).unwrap_or_default();
    assert_eq!(text("integrity_check.txt"), "ok\n", "SQLite finds the store sound");
    let about: serde_json::Value = serde_json::from_str(text("about.json")).expect("about.json is JSON");
    assert_eq!(about["app_version"], "9.9.9-test", "the window's version: {about}");
    assert!(about["store_schema_version"].as_i64().unwrap_or(0) >= 19, "the store's schema version: {about}");
    assert!(about["device_id"].as_str().is_some_and(|d| credential.contains(d)), "which device: {about}");
    let sync: serde_json::Value = serde_json::from_str(text("sync.json")).expect("sync.json is JSON");
    assert_eq!(sync["configured"], true, "the sync state says the kiosk is enrolled: {sync}");
    assert_eq!(sync["server_url"], net.url().as_str(), "and with which server: {sync}");
    assert!(
        text("logs/kiosk.log").contains("INFO scanned code=PVZ") && text("logs/kiosk.log.1").contains("WARN pushing"),
        "the log lines are there, only their secrets withheld:\n{}\n{}",
        text("logs/kiosk.log"),
        text("logs/kiosk.log.1")
    );
}
