//! Counter photos (evidence) on their way to the network: uploaded by the kiosk after the op that
//! names them has synced, content-addressed by their sha256, resumable part by part, idempotent
//! (a hash the server already stores is never sent again), and read back by whoever may see them.
//!
//! The wire, all under a device's credential and `X-Pvz-Protocol` unless said otherwise:
//! - `GET` [`PATH_EVIDENCE_UPLOAD`]: how much of the photo the server holds ([`EvidenceUpload`]).
//!   404 `evidence_unknown` when no op of the device's point names this hash.
//! - `PUT` [`PATH_EVIDENCE`]: one part of the bytes, `Content-Type` the photo's type and
//!   `Content-Range: bytes <first>-<last>/<total>` (absent: the whole photo at once). Answers
//!   200 [`EvidenceUpload`] `stored` when the server had it already (the body is ignored), 201
//!   `stored` when this part completed it, 202 `partial` with `received` when more is wanted;
//!   409 `upload_offset_mismatch` when `<first>` is not what the server holds (read the status again
//!   and continue from its `received`); 400 for a type that is not an image, bytes that are not
//!   the declared type or a bad range; 413 when `<total>` is over [`MAX_EVIDENCE_BYTES`] or a part
//!   over [`MAX_EVIDENCE_PART_BYTES`]; 422 `evidence_hash_mismatch` when the whole bytes do not hash
//!   to the path's sha256 (the parts are dropped, start again); 404 `evidence_unknown` as above.
//! - `GET` [`PATH_EVIDENCE`]: the bytes, with their type. A device of the point whose op names the
//!   photo, the seller of the item it shows (its claim, or its item refused at the counter), or an
//!   operator; anyone else, and a photo not uploaded yet, 404.
//! - `GET` [`PATH_CLAIM_EVIDENCE`], seller, operator or web session: the counter's photos of the
//!   claim's item, oldest first ([`EvidencePhoto`]); 404 for another seller's claim.

use pvz_domain::{ItemId, OrderId};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `GET` the bytes, `PUT` one part of them.
pub const PATH_EVIDENCE: &str = "/v1/evidence/{sha256}";
/// `GET`: how much of the photo the server holds.
pub const PATH_EVIDENCE_UPLOAD: &str = "/v1/evidence/{sha256}/upload";
/// `GET`: the counter's photos of a claim's item.
pub const PATH_CLAIM_EVIDENCE: &str = "/v1/claims/{claim_id}/evidence";

/// One counter photo at most (the kiosk refuses larger ones when they are taken).
pub const MAX_EVIDENCE_BYTES: u64 = 10 * 1024 * 1024;
/// One part at most; the kiosk sends [`UPLOAD_PART_BYTES`].
pub const MAX_EVIDENCE_PART_BYTES: u64 = 1024 * 1024;
/// What the kiosk sends per request: a cut connection costs at most this much again.
pub const UPLOAD_PART_BYTES: u64 = 256 * 1024;
/// The types a counter photo may have (sniffed from the bytes, never trusted from a name).
pub const EVIDENCE_MEDIA_TYPES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];

/// Where an upload stands on the server.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceUploadState {
    /// No byte yet.
    Missing,
    /// `received` bytes from the start are held; send the rest from there.
    Partial,
    /// Stored whole and checked against its hash: never send it again.
    Stored,
}

/// The answer of the status read and of each part.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EvidenceUpload {
    pub sha256: String,
    pub state: EvidenceUploadState,
    /// Bytes held from the start (the whole size once stored).
    pub received: u64,
}

/// Why the counter took a photo.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// A defect found at the counter before payment (брак при выдаче).
    DefectRefusal,
    /// An item that arrived damaged, at receiving.
    DamagedAtReceiving,
    /// The item's condition when a claim return was accepted.
    ClaimReturn,
}

/// A counter photo as the network knows it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EvidencePhoto {
    pub sha256: String,
    pub media_type: String,
    pub size_bytes: u64,
    pub kind: EvidenceKind,
    pub pickup_point_id: String,
    pub order_id: OrderId,
    pub item_id: ItemId,
    /// The op that named it.
    pub op_id: String,
    /// RFC 3339: when the counter recorded the op.
    pub taken_at: String,
    /// Whether the bytes have reached the server (`GET` [`PATH_EVIDENCE`] answers them).
    pub uploaded: bool,
}

/// The `Content-Range` of one part of `len` bytes from `first`: `bytes <first>-<last>/<total>`.
pub fn content_range(first: u64, len: u64, total: u64) -> String {
    format!("bytes {first}-{}/{total}", first + len.saturating_sub(1))
}

/// `(first, last, total)` of a `Content-Range` header of one upload part; `None` when malformed
/// (a `*`, last before first, last at or past total).
pub fn parse_content_range(raw: &str) -> Option<(u64, u64, u64)> {
    let (range, total) = raw.trim().strip_prefix("bytes ")?.split_once('/')?;
    let (first, last) = range.split_once('-')?;
    let digits = |s: &str| (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u64>().ok())?;
    let (first, last, total) = (digits(first)?, digits(last)?, digits(total)?);
    (first <= last && last < total).then_some((first, last, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_content_range_reads_back_what_was_written() {
        let header = content_range(262_144, 1000, 300_000);
        assert_eq!(header, "bytes 262144-263143/300000", "first and last byte inclusive, then the total");
        assert_eq!(parse_content_range(&header), Some((262_144, 263_143, 300_000)), "read back");
        for bad in ["bytes */300", "bytes 5-4/10", "bytes 0-10/10", "items 0-1/2", "bytes -1-2/3", "bytes 0-1/"] {
            assert_eq!(parse_content_range(bad), None, "{bad:?} is not a part's range");
        }
    }
}
