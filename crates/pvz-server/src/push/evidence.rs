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

#[cfg(test)]
mod tests {
    use super::*;
    use pvz_domain::{ClaimId, CompensationKind, Kopecks, ReturnId};
    use pvz_protocol::DamagedItem;

    fn photo(n: u8) -> PhotoRef {
        PhotoRef {
            photo_id: format!("photo-{n}"),
            sha256: format!("{n:02x}").repeat(32),
            media_type: "image/jpeg".into(),
            size_bytes: 1000 + u64::from(n),
        }
    }

    fn id<T>(parse: fn(&str) -> std::result::Result<T, pvz_domain::ids::IdError>, raw: &str) -> T {
        parse(raw).expect("an id")
    }

    #[test]
    fn every_photo_an_op_names_is_found_with_what_it_shows() {
        let damaged = |item: &str, photos| DamagedItem {
            order_id: id(OrderId::parse, "o1"),
            item_id: id(ItemId::parse, item),
            description: "мятая коробка".into(),
            photos,
        };
        let receiving = OpBody::ShipmentReceived {
            shipment_id: "shp-1".into(),
            placed: vec![],
            missing: vec![],
            unexpected: vec![],
            damaged: vec![damaged("o1-1", vec![photo(1), photo(2)]), damaged("o1-2", vec![photo(3)])],
        };
        let found: Vec<_> = named_photos(&receiving).iter().map(|n| (n.photo_id, n.item_id.as_str(), n.kind)).collect();
        assert_eq!(
            found,
            [
                ("photo-1", "o1-1", EvidenceKind::DamagedAtReceiving),
                ("photo-2", "o1-1", EvidenceKind::DamagedAtReceiving),
                ("photo-3", "o1-2", EvidenceKind::DamagedAtReceiving)
            ],
            "each damaged item's photos, with that item"
        );
        let claim_return = OpBody::ClaimReturnAccepted {
            claim_id: id(ClaimId::parse, "clm-1"),
            order_id: id(OrderId::parse, "o1"),
            item_id: id(ItemId::parse, "o1-1"),
            return_id: id(ReturnId::parse, "RET-1"),
            compensation: CompensationKind::Refund,
            amount: Kopecks(1000),
            condition: "без следов носки".into(),
            photos: vec![photo(4)],
            code_issue: 1,
            return_code: None,
        };
        let found: Vec<_> = named_photos(&claim_return).iter().map(|n| (n.photo_id, n.claim_id, n.kind)).collect();
        assert_eq!(found, [("photo-4", Some("clm-1"), EvidenceKind::ClaimReturn)], "linked to its claim too");
        let opened = OpBody::IssueOpened { order_id: id(OrderId::parse, "o1") };
        assert!(named_photos(&opened).is_empty(), "an op without photos names none");
    }
}
