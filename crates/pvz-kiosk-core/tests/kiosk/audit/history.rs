//! An item's history and its evidence bundle on a temp SQLite file: after an issue in which the item
//! was refused as defective with a photo, its history (from its barcode or its id) lists each event
//! with time, operator, device and photo, and its scans; the evidence zip holds the event records,
//! the photo, the scans and a manifest whose hashes match the files (a photo file changed since it
//! was taken is marked there); a scan names its operator only while a manager is on duty.

use crate::support::counter::*;
use crate::support::staff::*;
use pvz_domain::{Kopecks, RefusalReason};
use pvz_kiosk_core::{ErrorKind, ItemDecision, ItemEventKind};
use sha2::{Digest, Sha256};
use std::io::Read;

const HEADPHONES: &str = "itm-1002-1";
const HEADPHONES_BARCODE: &str = "4600000000008";

fn refused_with_photo(dir: &tempfile::TempDir) -> pvz_kiosk_core::Kiosk {
    let (kiosk, _clock) = staffed(dir);
    on_duty(&kiosk);
    let card = kiosk.scan("615204").expect("order opens").view.screen.order().cloned().expect("card");
    kiosk.scan(HEADPHONES_BARCODE).expect("the headphones scanned");
    let defect =
        ItemDecision::Refuse { reason: RefusalReason::Defect, description: Some("не включаются".into()) };
    kiosk.decide_item(&card.order_id, HEADPHONES, defect).expect("refused");
    kiosk.attach_defect_photo(&card.order_id, HEADPHONES, PNG).expect("photo attached");
    kiosk.hand_over_rest(&card.order_id).expect("the case handed over");
    kiosk.confirm_issue(&card.order_id, Kopecks(0), false).expect("issued");
    // Scanned again with no order open: whatever the counter answers, the scan is on record.
    let _ = kiosk.scan(HEADPHONES_BARCODE);
    kiosk
}

#[test]
fn an_items_history_names_every_event_with_its_operator_and_photo() {
    let dir = tempfile::tempdir().expect("temp dir");
    let kiosk = refused_with_photo(&dir);
    let history = kiosk.item_history(HEADPHONES_BARCODE).expect("history by barcode");
    assert_eq!(history.item_id, HEADPHONES, "the barcode finds the item");
    assert_eq!(history.name.as_deref(), Some("Наушники беспроводные"), "named from the cache");
    let events: Vec<ItemEventKind> = history.events.iter().map(|e| e.event).collect();
    assert_eq!(
        events,
        [ItemEventKind::Opened, ItemEventKind::Refused, ItemEventKind::PhotoAttached, ItemEventKind::IssuedRefused],
        "opened, refused, photographed, issued as refused; the other item's decision is not listed"
    );
    let device = kiosk.view().expect("view").status.device_id;
    for event in &history.events {
        assert_eq!(event.operator.as_ref().map(|o| o.name.as_str()), Some(ANNA_NAME), "{event:?}: Anna did it");
        assert_eq!(event.device_id, device, "{event:?}: on this device");
        assert_eq!(event.at, "2026-11-26T10:00:00.000Z", "{event:?}: at the counter's time");
        assert_eq!(event.sync_state, "pending", "{event:?}: not synced yet");
    }
    let refusal = &history.events[1];
    assert_eq!(refusal.reason, Some(RefusalReason::Defect), "the reason");
    assert_eq!(refusal.note.as_deref(), Some("не включаются"), "the defect's description");
    assert_eq!(history.events[2].photos.len(), 1, "the photo is on its event");
    let scans: Vec<(&str, &str)> = history.scans.iter().map(|s| (s.text.as_str(), s.outcome.as_str())).collect();
    assert_eq!(scans.len(), 2, "both scans of the item are on record: {scans:?}");
    assert_eq!(scans[0], (HEADPHONES_BARCODE, "item_matched"), "the first matched the open order's item");
    assert!(scans[1].0 == HEADPHONES_BARCODE && !scans[1].1.is_empty(), "the second says what it did: {scans:?}");
    assert_eq!(history.scans[0].operator.as_ref().map(|o| o.name.as_str()), Some(ANNA_NAME), "scanned by Anna");
    assert_eq!(kiosk.item_history(HEADPHONES).expect("by id").events, history.events, "the id finds the same");
    refused(kiosk.item_history("4607000000991"), ErrorKind::ItemNotFound, "a code no item carries");
}

#[tokio::test]
async fn the_evidence_bundle_holds_events_photo_scans_and_a_manifest_of_their_hashes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let kiosk = refused_with_photo(&dir);
    let history = kiosk.item_history(HEADPHONES).expect("history");
    let photo_event = history.events.iter().find(|e| e.event == ItemEventKind::PhotoAttached).expect("photo event");
    let photo_id = photo_event.photos[0].photo_id.clone();
    refused(
        kiosk.export_evidence_bundle(HEADPHONES, Some("no-such-event")).await,
        ErrorKind::DocumentNotFound,
        "event",
    );
    let path = kiosk.export_evidence_bundle(HEADPHONES, Some(&photo_event.event_id)).await.expect("bundle written");
    assert!(path.starts_with(kiosk.documents_dir()), "written beside the other documents: {}", path.display());

    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).expect("open zip")).expect("a zip");
    let mut files = std::collections::BTreeMap::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).expect("entry");
        let name = file.name().expect("a UTF-8 name").into_owned();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).expect("read entry");
        files.insert(name, bytes);
    }
    let photo_path = format!("photos/{photo_id}.png");
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(names, ["events.json", "manifest.json", photo_path.as_str(), "scans.json"], "the bundle's files");
    assert_eq!(files[&photo_path], PNG, "the stored photo, byte for byte");
    let events: serde_json::Value = serde_json::from_slice(&files["events.json"]).expect("events JSON");
    assert_eq!(events.as_array().map(Vec::len), Some(4), "the item's four events");
    assert_eq!(events[1]["reason"], "defect", "with the refusal's reason");
    let scans: serde_json::Value = serde_json::from_slice(&files["scans.json"]).expect("scans JSON");
    assert_eq!(scans[0]["scanned_at"], "2026-11-26T10:00:00.000Z", "scans carry their time");

    let manifest: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).expect("manifest JSON");
    assert_eq!(manifest["item_id"], HEADPHONES, "the manifest names the item");
    assert_eq!(manifest["event_id"], photo_event.event_id.as_str(), "and the event it was made for");
    assert_eq!(manifest["pickup_point"], "ПВЗ Москва, Тверская 7", "and the pickup point");
    assert_eq!(manifest["device_id"], kiosk.view().expect("view").status.device_id.as_str(), "and the device");
    let listed = manifest["files"].as_array().expect("files listed");
    assert_eq!(listed.len(), 3, "every file but the manifest itself");
    for entry in listed {
        let name = entry["path"].as_str().expect("path");
        let digest: String = Sha256::digest(&files[name]).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(entry["sha256"], digest.as_str(), "{name}: the manifest's hash is the file's");
    }
    let photo = listed.iter().find(|e| e["path"] == photo_path.as_str()).expect("the photo is listed");
    assert_eq!(photo["sha256_matches_record"], true, "the photo's bytes are the ones recorded: {photo}");
    assert_eq!(photo["recorded_sha256"], photo["sha256"], "the recorded hash is in the manifest too: {photo}");
}

/// Reads the manifest of the evidence zip at `path`.
fn manifest_of(path: &std::path::Path) -> serde_json::Value {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).expect("open zip")).expect("a zip");
    let mut bytes = Vec::new();
    zip.by_name("manifest.json").expect("a manifest").read_to_end(&mut bytes).expect("read manifest");
    serde_json::from_slice(&bytes).expect("manifest JSON")
}

#[tokio::test]
async fn a_photo_file_changed_since_it_was_recorded_is_marked_in_the_manifest() {
    let dir = tempfile::tempdir().expect("temp dir");
    let kiosk = refused_with_photo(&dir);
    let recorded: String = Sha256::digest(PNG).iter().map(|b| format!("{b:02x}")).collect();
    let stored = dir.path().join("evidence").join(&recorded);
    assert!(stored.exists(), "the photo is kept under its hash: {}", stored.display());
    let tampered = [PNG, b"edited"].concat();
    std::fs::write(&stored, &tampered).expect("the file is changed behind the kiosk's back");

    let manifest =
        manifest_of(&kiosk.export_evidence_bundle(HEADPHONES, None).await.expect("the bundle is still written"));
    let files = manifest["files"].as_array().expect("files listed");
    let photo = files
        .iter()
        .find(|e| e["path"].as_str().is_some_and(|p| p.starts_with("photos/")))
        .expect("the photo is listed");
    let actual: String = Sha256::digest(&tampered).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(photo["sha256"], actual.as_str(), "the manifest hashes the bytes in the bundle: {photo}");
    assert_eq!(photo["recorded_sha256"], recorded.as_str(), "and names the hash recorded at the counter: {photo}");
    assert_eq!(photo["sha256_matches_record"], false, "the mismatch is marked, not hidden: {photo}");
    let events = files.iter().find(|e| e["path"] == "events.json").expect("events listed");
    assert!(events.get("sha256_matches_record").is_none(), "only photos have a recorded hash: {events}");
}

#[test]
fn a_scan_names_its_operator_only_while_a_manager_is_on_duty() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, clock) = staffed(&dir);
    on_duty(&kiosk);
    let _ = kiosk.scan(HEADPHONES_BARCODE);
    clock.advance_seconds(10 * 60);
    refused(kiosk.scan(HEADPHONES_BARCODE), ErrorKind::IdleLocked, "ten idle minutes");
    kiosk.log_in(ANNA, ANNA_PIN).expect("Anna again");
    kiosk.log_out().expect("Anna logs out");
    refused(kiosk.scan(HEADPHONES_BARCODE), ErrorKind::LoginRequired, "after log out");
    let scans = kiosk.item_history(HEADPHONES_BARCODE).expect("history").scans;
    let operators: Vec<(&str, Option<&str>)> =
        scans.iter().map(|s| (s.outcome.as_str(), s.operator.as_ref().map(|o| o.name.as_str()))).collect();
    assert_eq!(
        operators,
        [("no_active_order", Some(ANNA_NAME)), ("idle_locked", None), ("login_required", None)],
        "the scan on duty names Anna; the idle-locked and logged-out ones name nobody"
    );
}
