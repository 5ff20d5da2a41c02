//! Evidence files (counter photos) beside the store: content-addressed by SHA-256, written to a
//! temporary name, synced and renamed, so a crash never leaves a half-written photo under its name.
//! Read back part by part for upload, checked against their name first, and deleted once the
//! server has kept them for the retention period.

use crate::error::{KioskError, Result};
use pvz_protocol::PhotoRef;
use sha2::{Digest, Sha256};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Larger files are refused: a phone photo is a few megabytes. The server takes no more either.
pub const MAX_PHOTO_BYTES: usize = pvz_protocol::evidence::MAX_EVIDENCE_BYTES as usize;

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
    let sha256 = hex_sha256(bytes);
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

/// The file of the photo `sha256`; `None` for a name that is not a SHA-256 in hex (only such a name
/// is ever joined to the folder).
fn photo_path(dir: &Path, sha256: &str) -> Option<PathBuf> {
    (sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit())).then(|| dir.join(sha256.to_ascii_lowercase()))
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// A photo's file as it is now, before it is uploaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PhotoFile {
    /// The bytes hash to the file's name and are a photo.
    Intact { media_type: &'static str, size: u64 },
    /// No such file (deleted behind the kiosk's back).
    Missing,
    /// The bytes no longer hash to the name, or are no photo: they are not the photo taken.
    Changed,
}

pub(crate) fn check_photo_file(dir: &Path, sha256: &str) -> Result<PhotoFile> {
    let Some(path) = photo_path(dir, sha256) else { return Ok(PhotoFile::Changed) };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(PhotoFile::Missing),
        Err(e) => return Err(e.into()),
    };
    Ok(match sniff_media_type(&bytes) {
        Some(media_type) if hex_sha256(&bytes) == sha256.to_ascii_lowercase() => {
            PhotoFile::Intact { media_type, size: bytes.len() as u64 }
        }
        _ => PhotoFile::Changed,
    })
}

/// Bytes `first..first + len` of the photo `sha256` (fewer at its end).
pub(crate) fn read_photo_part(dir: &Path, sha256: &str, first: u64, len: u64) -> Result<Vec<u8>> {
    let path =
        photo_path(dir, sha256).ok_or_else(|| KioskError::Internal(format!("{sha256:.70} is not a photo's hash")))?;
    let mut file = std::fs::File::open(path)?;
    file.seek(SeekFrom::Start(first))?;
    let mut part = Vec::with_capacity(len.min(pvz_protocol::evidence::MAX_EVIDENCE_PART_BYTES) as usize);
    file.take(len).read_to_end(&mut part)?;
    Ok(part)
}

/// The bytes of the photo `sha256`; `None` when its file is gone (pruned after upload).
pub(crate) fn read_photo(dir: &Path, sha256: &str) -> Result<Option<Vec<u8>>> {
    let path =
        photo_path(dir, sha256).ok_or_else(|| KioskError::Internal(format!("{sha256:.70} is not a photo's hash")))?;
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Deletes the photo's file (the server keeps its bytes); one already gone is fine.
pub(crate) fn delete_photo_file(dir: &Path, sha256: &str) -> Result<()> {
    let Some(path) = photo_path(dir, sha256) else { return Ok(()) };
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
        _ => Ok(()),
    }
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
    fn a_photo_file_is_checked_against_its_name_and_read_in_parts() {
        let dir = tempfile::tempdir().expect("temp dir");
        let stored = store_photo(dir.path(), PNG_1X1).expect("stored");
        let size = PNG_1X1.len() as u64;
        assert_eq!(
            check_photo_file(dir.path(), &stored.sha256).ok(),
            Some(PhotoFile::Intact { media_type: "image/png", size }),
            "the file as taken is intact"
        );
        assert_eq!(
            read_photo_part(dir.path(), &stored.sha256, 4, 100).ok(),
            Some(PNG_1X1[4..].to_vec()),
            "a part to the end"
        );
        std::fs::write(dir.path().join(&stored.sha256), b"\x89PNG\r\n\x1a\nedited").expect("edited behind our back");
        assert_eq!(
            check_photo_file(dir.path(), &stored.sha256).ok(),
            Some(PhotoFile::Changed),
            "an edited file is not the photo"
        );
        delete_photo_file(dir.path(), &stored.sha256).expect("deleted");
        delete_photo_file(dir.path(), &stored.sha256).expect("deleting it again is fine");
        assert_eq!(
            check_photo_file(dir.path(), &stored.sha256).ok(),
            Some(PhotoFile::Missing),
            "a deleted file is missing"
        );
        assert_eq!(read_photo(dir.path(), &stored.sha256).ok(), Some(None), "and reads as gone, not as an error");
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
