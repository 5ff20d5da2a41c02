//! Counter photos arriving: what an upload request may be (its `Content-Range`, size and type,
//! checked before a byte of the body is read), and taking one part or the whole photo. Parts wait
//! in the blob store's staging folder and the upload's progress in the database, so any server
//! instance takes the next part; the last part joins them, and the whole bytes must hash to the
//! photo's sha256 and be a JPEG, PNG or WebP (sniffed, never trusted from a header) before they are
//! stored as evidence. The wire is `pvz_protocol::evidence`'s.

use crate::blobs::BlobStore;
use crate::db::evidence::{EvidenceHeld, StoredEvidence};
use crate::db::sha256_hex;
use crate::error::{Result, ServerError};
use crate::storage::Storage;
use axum::body::Bytes;
use axum::http::StatusCode;
use pvz_protocol::evidence::{
    parse_content_range, EvidenceUpload, EvidenceUploadState, EVIDENCE_MEDIA_TYPES, MAX_EVIDENCE_BYTES,
    MAX_EVIDENCE_PART_BYTES,
};

/// The bytes one request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    /// The whole photo (no `Content-Range`, or one covering every byte).
    Whole { total: Option<u64> },
    /// Bytes `first..=last` of `total`.
    Part { first: u64, last: u64, total: u64 },
}

impl Sent {
    /// What a request's `Content-Range`, `Content-Length` and `Content-Type` say it sends: 400 for
    /// a malformed range or a type that is no photo's, 413 for a photo or part over the limits.
    pub fn read(range: Option<&str>, length: Option<u64>, declared: Option<&str>) -> Result<Sent> {
        if let Some(declared) = declared {
            let essence = declared.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
            if !EVIDENCE_MEDIA_TYPES.contains(&essence.as_str()) {
                return Err(ServerError::BadRequest(format!(
                    "a counter photo is image/jpeg, image/png or image/webp; got {declared:.64}"
                )));
            }
        }
        let sent = match range {
            None => Sent::Whole { total: None },
            Some(raw) => {
                let (first, last, total) = parse_content_range(raw).ok_or_else(|| {
                    ServerError::BadRequest(format!(
                        "Content-Range must be `bytes <first>-<last>/<total>` with first <= last < total; got {raw:.64}"
                    ))
                })?;
                if first == 0 && last + 1 == total {
                    Sent::Whole { total: Some(total) }
                } else {
                    Sent::Part { first, last, total }
                }
            }
        };
        let (total, part) = match sent {
            Sent::Whole { total } => (total.or(length).unwrap_or(0), 0),
            Sent::Part { first, last, total } => (total, last - first + 1),
        };
        if total > MAX_EVIDENCE_BYTES || part > MAX_EVIDENCE_PART_BYTES {
            return Err(ServerError::PayloadTooLarge);
        }
        if let (Some(length), Some(expected)) = (length, sent.len()) {
            if length != expected {
                return Err(ServerError::BadRequest(format!(
                    "Content-Length is {length} but the range is {expected} bytes"
                )));
            }
        }
        Ok(sent)
    }

    /// How many bytes the body must have, when the range says.
    fn len(self) -> Option<u64> {
        match self {
            Sent::Whole { total } => total,
            Sent::Part { first, last, .. } => Some(last - first + 1),
        }
    }
}

/// The photo type `bytes` start as: JPEG, PNG or WebP; `None` for anything else.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// The answer of a photo `received` bytes into its upload.
pub fn answer(sha256: &str, held: &EvidenceHeld) -> EvidenceUpload {
    let (state, received) = match (&held.stored, &held.upload) {
        (Some(stored), _) => (EvidenceUploadState::Stored, stored.size_bytes),
        (None, Some(upload)) => (EvidenceUploadState::Partial, upload.received),
        (None, None) => (EvidenceUploadState::Missing, 0),
    };
    EvidenceUpload { sha256: sha256.to_owned(), state, received }
}

fn stored_answer(sha256: &str, size: u64) -> EvidenceUpload {
    EvidenceUpload { sha256: sha256.to_owned(), state: EvidenceUploadState::Stored, received: size }
}

/// 400 unless the bytes are a photo of the declared type (when one was declared).
fn check_type(bytes: &[u8], declared: Option<&str>) -> Result<&'static str> {
    let sniffed = sniff(bytes).ok_or_else(|| {
        ServerError::BadRequest("the bytes are not a JPEG, PNG or WebP photo; a counter photo is one of those".into())
    })?;
    let declared = declared.map(|d| d.split(';').next().unwrap_or_default().trim().to_ascii_lowercase());
    if declared.as_deref().is_some_and(|d| d != sniffed) {
        return Err(ServerError::BadRequest(format!("the bytes are {sniffed}, not the declared type")));
    }
    Ok(sniffed)
}

/// Takes what one request sent of the photo `sha256` (an op of the caller's point names it, and
/// `held` is what the server held when the request came): 200 when the photo was stored already,
/// 201 when these bytes completed it, 202 when more is wanted.
pub async fn receive<S: Storage>(
    storage: &S,
    blobs: &BlobStore,
    sha256: &str,
    held: &EvidenceHeld,
    sent: Sent,
    declared: Option<&str>,
    bytes: Bytes,
) -> Result<(StatusCode, EvidenceUpload)> {
    if let Some(stored) = &held.stored {
        return Ok((StatusCode::OK, stored_answer(sha256, stored.size_bytes)));
    }
    if sent.len().is_some_and(|len| len != bytes.len() as u64) {
        return Err(ServerError::BadRequest(format!(
            "the body has {} bytes, not the {} its Content-Range says",
            bytes.len(),
            sent.len().unwrap_or_default()
        )));
    }
    if bytes.is_empty() {
        return Err(ServerError::BadRequest("the body is empty; send the photo's bytes".into()));
    }
    let Sent::Part { first, last, total } = sent else {
        let size = bytes.len() as u64;
        store_whole(storage, blobs, sha256, bytes, declared).await?;
        if held.upload.is_some() {
            blobs.delete_parts(sha256).await?;
        }
        return Ok((StatusCode::CREATED, stored_answer(sha256, size)));
    };
    let received = match held.upload {
        Some(upload) if upload.total != total => {
            drop_upload(storage, blobs, sha256).await?;
            return Err(ServerError::BadRequest(format!(
                "the upload in progress is of {} bytes, not {total}; it was dropped: start again from byte 0",
                upload.total
            )));
        }
        Some(upload) => upload.received,
        None => 0,
    };
    let offset_mismatch = |held: u64| {
        ServerError::UploadOffsetMismatch(format!(
            "the server holds {held} bytes of this photo; the part starts at {first}: continue from {held}"
        ))
    };
    if first != received {
        return Err(offset_mismatch(received));
    }
    if first == 0 {
        check_type(&bytes, declared)?;
    }
    blobs.put_part(sha256, first, bytes).await?;
    if !storage.advance_evidence_upload(sha256.to_owned(), total, first, last + 1).await? {
        // Another request moved the upload meanwhile. Had both written this offset, the part kept
        // may be either's: the hash check at the end catches parts that differed.
        return Err(ServerError::UploadOffsetMismatch(
            "another part of this photo arrived meanwhile: read the upload's status and continue from its `received`"
                .into(),
        ));
    }
    if last + 1 < total {
        let partial =
            EvidenceUpload { sha256: sha256.to_owned(), state: EvidenceUploadState::Partial, received: last + 1 };
        return Ok((StatusCode::ACCEPTED, partial));
    }
    let Some(whole) = blobs.join_parts(sha256, total).await? else {
        drop_upload(storage, blobs, sha256).await?;
        return Err(offset_mismatch(0));
    };
    if let Err(refused) = store_whole(storage, blobs, sha256, whole, declared).await {
        drop_upload(storage, blobs, sha256).await?;
        return Err(refused);
    }
    blobs.delete_parts(sha256).await?;
    Ok((StatusCode::CREATED, stored_answer(sha256, total)))
}

/// Checks the whole bytes (hash, then type) and stores them as the photo's evidence.
async fn store_whole<S: Storage>(
    storage: &S,
    blobs: &BlobStore,
    sha256: &str,
    bytes: Bytes,
    declared: Option<&str>,
) -> Result<()> {
    if sha256_hex(&bytes) != sha256 {
        return Err(ServerError::EvidenceHashMismatch(format!(
            "the {} bytes sent do not hash to {sha256}; the parts were dropped: start again from byte 0",
            bytes.len()
        )));
    }
    let media_type = check_type(&bytes, declared)?;
    let size_bytes = bytes.len() as u64;
    blobs.put(bytes).await?;
    storage
        .record_evidence(sha256.to_owned(), StoredEvidence { media_type: media_type.to_owned(), size_bytes })
        .await?;
    tracing::info!(evidence = %sha256, size_bytes, media_type, "counter photo stored");
    Ok(())
}

/// Forgets an upload and deletes its parts (the row first: a part left behind is only space).
async fn drop_upload<S: Storage>(storage: &S, blobs: &BlobStore, sha256: &str) -> Result<()> {
    storage.drop_evidence_upload(sha256.to_owned()).await?;
    blobs.delete_parts(sha256).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_photo_is_sniffed_from_its_bytes() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0]), Some("image/jpeg"), "a JPEG");
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Some("image/png"), "a PNG");
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Some("image/webp"), "a WebP");
        assert_eq!(sniff(b"%PDF-1.7\n"), None, "a PDF is no photo");
        assert_eq!(sniff(b"RIFF\x10\0\0\0WAVE"), None, "a RIFF that is not WebP");
    }

    #[test]
    fn a_request_says_what_it_sends_before_its_body_is_read() {
        assert_eq!(Sent::read(None, Some(10), Some("image/png")).ok(), Some(Sent::Whole { total: None }), "whole");
        assert_eq!(
            Sent::read(Some("bytes 0-9/10"), Some(10), None).ok(),
            Some(Sent::Whole { total: Some(10) }),
            "a range of every byte is the whole photo"
        );
        assert_eq!(
            Sent::read(Some("bytes 10-19/30"), Some(10), Some("image/jpeg")).ok(),
            Some(Sent::Part { first: 10, last: 19, total: 30 }),
            "a part"
        );
        let too_big = format!("bytes 0-9/{}", MAX_EVIDENCE_BYTES + 1);
        assert!(matches!(Sent::read(Some(&too_big), Some(10), None), Err(ServerError::PayloadTooLarge)), "413 total");
        let big_part = format!("bytes 0-{}/{}", MAX_EVIDENCE_PART_BYTES, MAX_EVIDENCE_BYTES);
        assert!(matches!(Sent::read(Some(&big_part), None, None), Err(ServerError::PayloadTooLarge)), "413 part");
        for (range, length, declared, what) in [
            (Some("bytes 5-4/10"), None, None, "a backwards range"),
            (None, Some(10), Some("application/pdf"), "a PDF"),
            (Some("bytes 0-9/20"), Some(11), None, "a length other than the range's"),
        ] {
            assert!(matches!(Sent::read(range, length, declared), Err(ServerError::BadRequest(_))), "{what} is 400");
        }
    }
}
