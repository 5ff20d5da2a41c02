//! Evidence files (defect photos) beside the store: content-addressed by SHA-256, written to a
//! temporary name, synced and renamed, so a crash never leaves a half-written photo under its name.

use crate::error::{KioskError, Result};
use pvz_protocol::PhotoRef;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;

/// Larger files are refused: a phone photo is a few megabytes.
pub const MAX_PHOTO_BYTES: usize = 10 * 1024 * 1024;

/// The image type, from the file's first bytes (never from a name the browser sent).
pub fn sniff_media_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

pub struct StoredPhoto {
    pub sha256: String,
    pub media_type: &'static str,
}

/// Checks and stores a photo; the same bytes stored twice are one file.
pub fn store_photo(dir: &Path, bytes: &[u8]) -> Result<StoredPhoto> {
    if bytes.is_empty() || bytes.len() > MAX_PHOTO_BYTES {
        return Err(KioskError::InvalidInput(format!(
            "a photo must be between 1 byte and {} MiB, this one is {} bytes",
            MAX_PHOTO_BYTES / (1024 * 1024),
            bytes.len()
        )));
    }
    let media_type = sniff_media_type(bytes)
        .ok_or_else(|| KioskError::InvalidInput("the photo is not a JPEG, PNG or WebP image".into()))?;
    let sha256: String = Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
    std::fs::create_dir_all(dir)?;
    let path = dir.join(&sha256);
    if !path.exists() {
        let tmp = dir.join(format!("{sha256}.partial"));
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, &path)?;
    }
    Ok(StoredPhoto { sha256, media_type })
}

/// Stores a photo taken for an op (a damaged item at receiving, a claim return's condition) and
/// names it: a fresh id, its hash, type and size, as the op carries it.
pub fn store_photo_ref(dir: &Path, bytes: &[u8]) -> Result<PhotoRef> {
    let stored = store_photo(dir, bytes)?;
    Ok(PhotoRef {
        photo_id: uuid::Uuid::now_v7().to_string(),
        sha256: stored.sha256,
        media_type: stored.media_type.to_owned(),
        size_bytes: bytes.len() as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG_1X1: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    #[test]
    fn a_photo_is_stored_once_under_its_hash() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = store_photo(dir.path(), PNG_1X1).expect("a PNG is accepted");
        let again = store_photo(dir.path(), PNG_1X1).expect("the same photo again is fine");
        assert_eq!(first.sha256, again.sha256, "the same bytes land in the same file");
        let stored = std::fs::read(dir.path().join(&first.sha256)).expect("read back");
        assert_eq!(stored, PNG_1X1, "the file, named by its hash, holds the bytes");
        assert_eq!(std::fs::read_dir(dir.path()).map(|d| d.count()).unwrap_or(0), 1, "one file for both");
        assert_eq!(first.media_type, "image/png", "the type comes from the bytes");
    }

    #[test]
    fn non_images_and_oversized_files_are_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(store_photo(dir.path(), b"%PDF-1.7").is_err(), "a PDF is not a photo");
        assert!(store_photo(dir.path(), b"").is_err(), "an empty file is not a photo");
        let mut huge = PNG_1X1.to_vec();
        huge.resize(MAX_PHOTO_BYTES + 1, 0);
        assert!(store_photo(dir.path(), &huge).is_err(), "a file over the limit is refused");
        assert_eq!(std::fs::read_dir(dir.path()).map(|d| d.count()).unwrap_or(0), 0, "nothing was written");
    }
}
