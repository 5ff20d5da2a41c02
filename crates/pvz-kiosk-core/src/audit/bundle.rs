//! Пакет доказательств: for an item (and optionally one of its events), a zip a pickup point attaches
//! to a dispute with the marketplace: `events.json` (the item's event records), `photos/<id>.<ext>`
//! (the stored images), `scans.json` (the item's scans with their times) and `manifest.json` (device,
//! pickup point, when it was made, the event it is for, and the SHA-256 of every other file). Files
//! are stored uncompressed; the zip is written into `documents/` beside the store.
//!
//! A photo's bytes are checked against the SHA-256 recorded when it was taken: the manifest gives both
//! hashes and `sha256_matches_record`, so a file changed since (or damaged on disk) is marked, not
//! silently hashed anew. The bundle is still written: it is the point's evidence, mismatch and all.
//!
//! A photo whose file was pruned (the server confirmed it longer ago than the retention period) is
//! read back from the server; offline, the bundle waits for the network rather than leave it out.

use crate::audit::history::item_history;
use crate::error::{KioskError, Result};
use crate::evidence;
use crate::kiosk::timestamp;
use crate::store::settings;
use crate::sync::fetch_evidence;
use crate::view::staff::ItemHistoryView;
use crate::Kiosk;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::PathBuf;
use zip::write::SimpleFileOptions;

#[derive(Serialize)]
struct Manifest<'a> {
    format: &'static str,
    item_id: &'a str,
    /// The event the bundle was made for; `None` for the whole history.
    event_id: Option<&'a str>,
    device_id: String,
    pickup_point_id: String,
    pickup_point: String,
    generated_at: String,
    /// `path` → lowercase hex SHA-256 of the file's bytes.
    files: Vec<ManifestFile>,
}

#[derive(Serialize)]
struct ManifestFile {
    path: String,
    /// Of the bytes in the bundle.
    sha256: String,
    bytes: u64,
    /// For a photo: the SHA-256 recorded when it was taken, and whether the bytes still have it.
    #[serde(skip_serializing_if = "Option::is_none")]
    recorded_sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sha256_matches_record: Option<bool>,
}

/// One file of the bundle, with the hash recorded for it where there is one (photos).
struct BundleFile {
    path: String,
    bytes: Vec<u8>,
    recorded_sha256: Option<String>,
}

impl BundleFile {
    fn manifest_entry(&self) -> ManifestFile {
        let sha256 = hex_sha256(&self.bytes);
        ManifestFile {
            path: self.path.clone(),
            sha256_matches_record: self.recorded_sha256.as_ref().map(|recorded| *recorded == sha256),
            recorded_sha256: self.recorded_sha256.clone(),
            sha256,
            bytes: self.bytes.len() as u64,
        }
    }
}

fn extension(media_type: &str) -> &'static str {
    match media_type {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        _ => "bin",
    }
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn json(value: &impl Serialize) -> Result<Vec<u8>> {
    serde_json::to_vec_pretty(value).map_err(|e| KioskError::Internal(format!("json: {e}")))
}

/// The bundle's files (except the manifest), in the order they are written.
async fn bundle_files(kiosk: &Kiosk, history: &ItemHistoryView) -> Result<Vec<BundleFile>> {
    let generated = |path: &str, bytes| BundleFile { path: path.to_owned(), bytes, recorded_sha256: None };
    let mut files =
        vec![generated("events.json", json(&history.events)?), generated("scans.json", json(&history.scans)?)];
    let mut seen = std::collections::BTreeSet::new();
    for photo in history.events.iter().flat_map(|e| &e.photos) {
        if !seen.insert(photo.photo_id.clone()) {
            continue;
        }
        // Photos are kept by their SHA-256; only a hex name is ever joined to the folder.
        if photo.sha256.len() != 64 || !photo.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(KioskError::Internal(format!("photo {} has a damaged hash", photo.photo_id)));
        }
        let bytes = match evidence::read_photo(kiosk.evidence_dir(), &photo.sha256)? {
            Some(bytes) => bytes,
            None => fetch_evidence(kiosk, &photo.sha256).await?,
        };
        let id: String = photo.photo_id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
        files.push(BundleFile {
            path: format!("photos/{id}.{}", extension(&photo.media_type)),
            bytes,
            recorded_sha256: Some(photo.sha256.to_ascii_lowercase()),
        });
    }
    Ok(files)
}

impl Kiosk {
    /// Writes the evidence bundle of the item `item` names (see `item_history`), for its event
    /// `event_id` when given, and returns the zip's path.
    pub async fn export_evidence_bundle(&self, item: &str, event_id: Option<&str>) -> Result<PathBuf> {
        let (history, enrollment) =
            self.store.with_conn(|c| Ok::<_, KioskError>((item_history(c, item)?, settings::get_enrollment(c)?)))?;
        if let Some(event_id) = event_id {
            if !history.events.iter().any(|e| e.event_id == event_id) {
                return Err(KioskError::DocumentNotFound(format!("no event {event_id} of item {}", history.item_id)));
            }
        }
        let files = bundle_files(self, &history).await?;
        let manifest = Manifest {
            format: "pvz-evidence-bundle/1",
            item_id: &history.item_id,
            event_id,
            device_id: enrollment.as_ref().map(|e| e.device_id.to_string()).unwrap_or_default(),
            pickup_point_id: enrollment.as_ref().map(|e| e.pickup_point_id.to_string()).unwrap_or_default(),
            pickup_point: enrollment.as_ref().map(|e| e.pickup_point_name.clone()).unwrap_or_default(),
            generated_at: timestamp(self.now()),
            files: files.iter().map(BundleFile::manifest_entry).collect(),
        };
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        let fail = |e: zip::result::ZipError| KioskError::Internal(format!("zip: {e}"));
        let manifest = json(&manifest)?;
        for (path, bytes) in files.iter().map(|f| (f.path.as_str(), &f.bytes)).chain([("manifest.json", &manifest)]) {
            zip.start_file(path, options).map_err(fail)?;
            zip.write_all(bytes)?;
        }
        let bytes = zip.finish().map_err(fail)?.into_inner();
        let item: String = history.item_id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
        let suffix = event_id
            .map(|e| format!("-{}", e.chars().filter(char::is_ascii_alphanumeric).collect::<String>()))
            .unwrap_or_default();
        self.write_document(&format!("evidence-{item}{suffix}.zip"), &bytes)
    }
}
