//! [`DbStorage`]'s counter photos (the trait's last section): what the server holds of a photo, an
//! upload's guarded progress, a photo stored whole, and who may read which.

use super::DbStorage;
use crate::credentials::Party;
use crate::db::evidence::{self, EvidenceHeld, EvidenceReader, StoredEvidence};
use crate::db::{self, claims};
use crate::error::{Result, ServerError};
use pvz_domain::{ClaimId, PickupPointId};
use pvz_protocol::evidence::EvidencePhoto;

pub(super) async fn held(storage: &DbStorage, sha256: String, point: PickupPointId) -> Result<Option<EvidenceHeld>> {
    storage
        .read(move |conn| {
            if !evidence::is_named_at_point(conn, &sha256, &point)? {
                return Ok(None);
            }
            let stored = evidence::get_evidence(conn, &sha256)?;
            let upload = if stored.is_some() { None } else { evidence::get_upload(conn, &sha256)? };
            Ok(Some(EvidenceHeld { stored, upload }))
        })
        .await
}

pub(super) async fn advance(storage: &DbStorage, sha256: String, total: u64, from: u64, to: u64) -> Result<bool> {
    storage.write(move |conn| evidence::advance_upload(conn, &sha256, total, from, to, &db::now_text())).await
}

pub(super) async fn record(storage: &DbStorage, sha256: String, stored: StoredEvidence) -> Result<()> {
    storage
        .write(move |conn| {
            let tx = conn.transaction()?;
            evidence::insert_evidence(&tx, &sha256, &stored, &db::now_text())?;
            evidence::delete_upload(&tx, &sha256)?;
            tx.commit()?;
            Ok(())
        })
        .await
}

pub(super) async fn readable(
    storage: &DbStorage,
    sha256: String,
    reader: EvidenceReader,
) -> Result<Option<StoredEvidence>> {
    storage
        .read(move |conn| {
            if !evidence::may_read(conn, &sha256, &reader)? {
                return Ok(None);
            }
            evidence::get_evidence(conn, &sha256)
        })
        .await
}

/// A claim's photos for its seller or an operator; anyone else is told there is no such claim.
pub(super) async fn of_claim(storage: &DbStorage, who: Party, claim: ClaimId) -> Result<Vec<EvidencePhoto>> {
    storage
        .read(move |conn| {
            let missing = || ServerError::NotFound(format!("claim {claim} does not exist"));
            let row = claims::get_claim(conn, &claim)?.ok_or_else(missing)?;
            let allowed = match &who {
                Party::Seller(seller) => *seller == row.seller_id,
                Party::Operator(_) => true,
                Party::BuyerFront(_) => false,
            };
            if !allowed {
                return Err(missing());
            }
            evidence::list_item_evidence(conn, &row.item_id)
        })
        .await
}
