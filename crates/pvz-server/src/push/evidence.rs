//! The photos a stored op names, linked in the op's own transaction whatever its outcome (a
//! rejected op's photos are evidence too): one `evidence_refs` row per op and photo, so the kiosk
//! may upload them and their point's devices, the item's seller and operators may read them. The op
//! is stored once per device seq, and a row once per op and photo, so a retried push adds nothing.

use super::{op_time, Pusher};
use crate::db::evidence::{self, EvidenceRef};
use crate::db::sql::Connection;
use crate::error::Result;
use pvz_domain::{ItemId, OrderId};
use pvz_protocol::evidence::EvidenceKind;
use pvz_protocol::sync::PushOp;
use pvz_protocol::{OpBody, PhotoRef};

/// One photo of the op, with what it shows.
struct Named<'a> {
    photo_id: &'a str,
    sha256: &'a str,
    media_type: &'a str,
    size_bytes: u64,
    order_id: &'a OrderId,
    item_id: &'a ItemId,
    claim_id: Option<&'a str>,
    kind: EvidenceKind,
}

fn from_ref<'a>(
    photo: &'a PhotoRef,
    order_id: &'a OrderId,
    item_id: &'a ItemId,
    claim_id: Option<&'a str>,
    kind: EvidenceKind,
) -> Named<'a> {
    let PhotoRef { photo_id, sha256, media_type, size_bytes } = photo;
    Named { photo_id, sha256, media_type, size_bytes: *size_bytes, order_id, item_id, claim_id, kind }
}

/// The photos `body` names: a defect refusal's, a receiving's damaged items', a claim return's.
fn named_photos(body: &OpBody) -> Vec<Named<'_>> {
    match body {
        OpBody::DefectPhotoAttached { order_id, item_id, photo_id, sha256, media_type, size_bytes } => vec![Named {
            photo_id,
            sha256,
            media_type,
            size_bytes: *size_bytes,
            order_id,
            item_id,
            claim_id: None,
            kind: EvidenceKind::DefectRefusal,
        }],
        OpBody::ShipmentReceived { damaged, .. } => damaged
            .iter()
            .flat_map(|d| {
                d.photos.iter().map(|p| from_ref(p, &d.order_id, &d.item_id, None, EvidenceKind::DamagedAtReceiving))
            })
            .collect(),
        OpBody::ClaimReturnAccepted { claim_id, order_id, item_id, photos, .. } => photos
            .iter()
            .map(|p| from_ref(p, order_id, item_id, Some(claim_id.as_str()), EvidenceKind::ClaimReturn))
            .collect(),
        _ => Vec::new(),
    }
}

/// Links every photo `op` names to it; call it in the transaction that stores the op.
pub(super) fn link_photos(conn: &Connection, who: &Pusher, op: &PushOp) -> Result<()> {
    let named = named_photos(&op.body);
    if named.is_empty() {
        return Ok(());
    }
    let (op_id, taken_at) = (op.op_id.to_string(), op_time(op));
    for photo in &named {
        // Stored as the blob store names bytes: lowercase hex.
        let sha256 = photo.sha256.to_ascii_lowercase();
        evidence::insert_evidence_ref(
            conn,
            &EvidenceRef {
                op_id: &op_id,
                photo_id: photo.photo_id,
                sha256: &sha256,
                device_id: who.device_id.as_str(),
                pickup_point_id: who.pickup_point_id.as_str(),
                order_id: photo.order_id,
                item_id: photo.item_id,
                claim_id: photo.claim_id,
                kind: photo.kind,
                media_type: photo.media_type,
                size_bytes: photo.size_bytes,
                taken_at: &taken_at,
            },
        )?;
    }
    Ok(())
}
