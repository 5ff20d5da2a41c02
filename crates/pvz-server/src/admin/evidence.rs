//! Admin side of counter photos and claim photos: store one as a kiosk's op and upload would have,
//! and a buyer's message with photos as the buyer front would have sent it. The demo seeds its claim
//! with photos through these; a real network gets them from kiosks and the buyer front.

use super::{parse_id, Admin};
use crate::db::attachments::{self, NewAttachment};
use crate::db::evidence::{self, EvidenceRef, StoredEvidence};
use crate::error::{Result, ServerError};
use bytes::Bytes;
use pvz_domain::{ClaimId, ItemId, OrderId};
use pvz_protocol::evidence::EvidenceKind;
use pvz_protocol::MessageAuthor;

/// A photo the counter took, with what it shows and the op that named it.
#[derive(Debug, Clone)]
pub struct CounterPhoto<'a> {
    pub pickup_point_id: &'a str,
    pub order_id: &'a str,
    pub item_id: &'a str,
    pub kind: EvidenceKind,
    /// The op that named it (the demo's stand in for a kiosk's).
    pub op_id: &'a str,
    /// RFC 3339.
    pub taken_at: &'a str,
}

/// Who recorded a photo through the admin rather than a kiosk.
const ADMIN_DEVICE: &str = "admin";

impl Admin {
    /// Stores `bytes` (a JPEG, PNG or WebP) as a counter photo linked to its op, uploaded: its
    /// point's devices, the item's seller and operators may read it. Answers its sha256.
    pub fn record_counter_photo(&self, photo: &CounterPhoto<'_>, bytes: Vec<u8>) -> Result<String> {
        let media_type = crate::evidence::sniff(&bytes)
            .ok_or_else(|| ServerError::BadRequest("a counter photo is a JPEG, PNG or WebP".into()))?;
        let (order_id, item_id) = (parse_id(OrderId::parse, photo.order_id)?, parse_id(ItemId::parse, photo.item_id)?);
        let size_bytes = bytes.len() as u64;
        let sha256 = self.blobs.put_blocking(Bytes::from(bytes))?;
        let now = crate::db::now_text();
        let tx = self.conn.transaction()?;
        evidence::insert_evidence_ref(
            &tx,
            &EvidenceRef {
                op_id: photo.op_id,
                photo_id: &format!("photo-{}", &sha256[..12]),
                sha256: &sha256,
                device_id: ADMIN_DEVICE,
                pickup_point_id: photo.pickup_point_id,
                order_id: &order_id,
                item_id: &item_id,
                claim_id: None,
                kind: photo.kind,
                media_type,
                size_bytes,
                taken_at: photo.taken_at,
            },
        )?;
        evidence::insert_evidence(
            &tx,
            &sha256,
            &StoredEvidence { media_type: media_type.to_owned(), size_bytes },
            &now,
        )?;
        tx.commit()?;
        Ok(sha256)
    }

    /// The buyer's message on a claim with `photos` (JPEG or PNG) attached, as the buyer front
    /// `front` sends it.
    pub fn post_buyer_photos(&self, claim: &str, front: &str, text: &str, photos: Vec<Vec<u8>>) -> Result<()> {
        let claim = parse_id(ClaimId::parse, claim)?;
        let now = crate::db::now_text();
        let mut ids = Vec::with_capacity(photos.len());
        for bytes in photos {
            let content_type = crate::evidence::sniff(&bytes)
                .filter(|t| *t != "image/webp")
                .ok_or_else(|| ServerError::BadRequest("a claim photo is a JPEG or PNG".into()))?;
            let size = bytes.len() as u64;
            let id = self.blobs.put_blocking(Bytes::from(bytes))?;
            let new =
                NewAttachment { id: &id, content_type, size, uploaded_by_kind: "buyer_front", uploaded_by: front };
            attachments::insert_attachment(&self.conn, &new, &now)?;
            ids.push(id);
        }
        let tx = self.conn.transaction()?;
        crate::conversation::post_message(&tx, &claim, MessageAuthor::Buyer, front, text, &ids, &now)?;
        tx.commit()?;
        Ok(())
    }
}
