//! `evidence_refs`, `evidence` and `evidence_uploads`: the counter photos ops name (one row per op
//! and photo, whatever the op's outcome), the photos stored whole, and uploads in progress. Who may
//! read a photo is answered here from the refs: a device of a point whose op names it, the seller of
//! the item it shows, any operator.

use crate::db::sql::{params, Connection, OptionalExtension, Row, SqlError, SqlResult};
use crate::error::Result;
use pvz_domain::{ItemId, OrderId, PickupPointId};
use pvz_protocol::evidence::{EvidenceKind, EvidencePhoto};

/// Who asks to read a photo.
#[derive(Debug, Clone)]
pub enum EvidenceReader {
    /// A device of this point.
    Device(PickupPointId),
    Seller(String),
    Operator,
    /// The buyer front, or anyone else a photo is never shown to.
    Nobody,
}

/// One photo as an op names it.
#[derive(Debug, Clone)]
pub struct EvidenceRef<'a> {
    pub op_id: &'a str,
    pub photo_id: &'a str,
    pub sha256: &'a str,
    pub device_id: &'a str,
    pub pickup_point_id: &'a str,
    pub order_id: &'a OrderId,
    pub item_id: &'a ItemId,
    pub claim_id: Option<&'a str>,
    pub kind: EvidenceKind,
    pub media_type: &'a str,
    pub size_bytes: u64,
    pub taken_at: &'a str,
}

/// A photo stored whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvidence {
    pub media_type: String,
    pub size_bytes: u64,
}

/// An upload in progress: `received` of `total` bytes held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadProgress {
    pub total: u64,
    pub received: u64,
}

/// What the server holds of a photo.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EvidenceHeld {
    pub stored: Option<StoredEvidence>,
    pub upload: Option<UploadProgress>,
}

pub fn kind_text(kind: EvidenceKind) -> &'static str {
    match kind {
        EvidenceKind::DefectRefusal => "defect_refusal",
        EvidenceKind::DamagedAtReceiving => "damaged_at_receiving",
        EvidenceKind::ClaimReturn => "claim_return",
    }
}

fn parse_kind(raw: &str) -> Option<EvidenceKind> {
    [EvidenceKind::DefectRefusal, EvidenceKind::DamagedAtReceiving, EvidenceKind::ClaimReturn]
        .into_iter()
        .find(|k| kind_text(*k) == raw)
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// Records the photo an op names; the same op and photo again adds nothing.
pub fn insert_evidence_ref(conn: &Connection, r: &EvidenceRef<'_>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO evidence_refs (op_id, photo_id, sha256, device_id, pickup_point_id, order_id, item_id,
                                    claim_id, kind, media_type, size_bytes, taken_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (op_id, photo_id) DO NOTHING",
    )?
    .execute(params![
        r.op_id,
        r.photo_id,
        r.sha256,
        r.device_id,
        r.pickup_point_id,
        r.order_id.as_str(),
        r.item_id.as_str(),
        r.claim_id,
        kind_text(r.kind),
        r.media_type,
        to_i64(r.size_bytes),
        r.taken_at,
    ])?;
    Ok(())
}

/// Whether an op of `point` names the photo: what a device may upload and read.
pub fn is_named_at_point(conn: &Connection, sha256: &str, point: &PickupPointId) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM evidence_refs WHERE sha256 = ?1 AND pickup_point_id = ?2")?
        .exists(params![sha256, point.as_str()])?)
}

/// Whether `reader` may see the photo (it need not be uploaded yet).
pub fn may_read(conn: &Connection, sha256: &str, reader: &EvidenceReader) -> Result<bool> {
    Ok(match reader {
        EvidenceReader::Device(point) => is_named_at_point(conn, sha256, point)?,
        EvidenceReader::Operator => {
            conn.prepare_cached("SELECT 1 FROM evidence_refs WHERE sha256 = ?1")?.exists([sha256])?
        }
        // The seller of the item it shows: a claim's item, an item refused at the counter or
        // photographed at receiving are all that seller's items.
        EvidenceReader::Seller(seller) => conn
            .prepare_cached(
                "SELECT 1 FROM evidence_refs r JOIN order_items i ON i.id = r.item_id
                 WHERE r.sha256 = ?1 AND i.seller_id = ?2",
            )?
            .exists(params![sha256, seller])?,
        EvidenceReader::Nobody => false,
    })
}

pub fn get_evidence(conn: &Connection, sha256: &str) -> Result<Option<StoredEvidence>> {
    let found = conn
        .prepare_cached("SELECT media_type, size_bytes FROM evidence WHERE sha256 = ?1")?
        .query_row([sha256], |r| Ok(StoredEvidence { media_type: r.get(0)?, size_bytes: to_u64(r.get(1)?) }))
        .optional()?;
    Ok(found)
}

/// Records a photo stored whole (a second record of the same hash keeps the first).
pub fn insert_evidence(conn: &Connection, sha256: &str, stored: &StoredEvidence, now: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO evidence (sha256, media_type, size_bytes, stored_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (sha256) DO NOTHING",
    )?
    .execute(params![sha256, stored.media_type, to_i64(stored.size_bytes), now])?;
    Ok(())
}

pub fn get_upload(conn: &Connection, sha256: &str) -> Result<Option<UploadProgress>> {
    let found = conn
        .prepare_cached("SELECT total_bytes, received FROM evidence_uploads WHERE sha256 = ?1")?
        .query_row([sha256], |r| Ok(UploadProgress { total: to_u64(r.get(0)?), received: to_u64(r.get(1)?) }))
        .optional()?;
    Ok(found)
}

/// Moves an upload from `from` to `to` bytes received: starts it when `from` is 0 and none is in
/// progress, else a guarded update that lands only if the upload still holds `from` bytes of
/// `total`. `false`: another part got there first, or the upload is not where the caller read it.
pub fn advance_upload(conn: &Connection, sha256: &str, total: u64, from: u64, to: u64, now: &str) -> Result<bool> {
    let changed = if from == 0 {
        conn.prepare_cached(
            "INSERT INTO evidence_uploads (sha256, total_bytes, received, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (sha256) DO NOTHING",
        )?
        .execute(params![sha256, to_i64(total), to_i64(to), now])?
    } else {
        conn.prepare_cached(
            "UPDATE evidence_uploads SET received = ?4, updated_at = ?5
             WHERE sha256 = ?1 AND total_bytes = ?2 AND received = ?3",
        )?
        .execute(params![sha256, to_i64(total), to_i64(from), to_i64(to), now])?
    };
    Ok(changed == 1)
}

pub fn delete_upload(conn: &Connection, sha256: &str) -> Result<()> {
    conn.execute("DELETE FROM evidence_uploads WHERE sha256 = ?1", [sha256])?;
    Ok(())
}

fn photo_row(r: &Row<'_>) -> SqlResult<EvidencePhoto> {
    let text = |i: usize| r.get::<String>(i);
    let kind = text(4)?;
    Ok(EvidencePhoto {
        sha256: text(0)?,
        media_type: text(1)?,
        size_bytes: to_u64(r.get(2)?),
        pickup_point_id: text(3)?,
        kind: parse_kind(&kind).ok_or_else(|| SqlError::bad_column(4, format!("evidence kind {kind:?}")))?,
        order_id: OrderId::parse(&text(5)?).map_err(|e| SqlError::bad_column(5, e.to_string()))?,
        item_id: ItemId::parse(&text(6)?).map_err(|e| SqlError::bad_column(6, e.to_string()))?,
        op_id: text(7)?,
        taken_at: text(8)?,
        uploaded: r.get::<Option<String>>(9)?.is_some(),
    })
}

/// The counter's photos of an item, oldest first (each photo of each op that named it).
pub fn list_item_evidence(conn: &Connection, item: &ItemId) -> Result<Vec<EvidencePhoto>> {
    let photos = conn
        .prepare_cached(
            "SELECT r.sha256, COALESCE(e.media_type, r.media_type), COALESCE(e.size_bytes, r.size_bytes),
                    r.pickup_point_id, r.kind, r.order_id, r.item_id, r.op_id, r.taken_at, e.sha256
             FROM evidence_refs r LEFT JOIN evidence e ON e.sha256 = r.sha256
             WHERE r.item_id = ?1
             ORDER BY r.taken_at, r.op_id, r.photo_id",
        )?
        .query_map([item.as_str()], photo_row)?
        .collect::<SqlResult<Vec<_>>>()?;
    Ok(photos)
}

/// Whether the photo is stored as evidence: retention keeps a blob that is, whatever else named it.
pub fn is_evidence(conn: &Connection, sha256: &str) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT 1 FROM evidence WHERE sha256 = ?1")?.exists([sha256])?)
}
