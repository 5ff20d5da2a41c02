//! The photo part of a pass, after push and pull: every counter photo whose op the server has
//! answered (applied or rejected) is uploaded by `pvz_protocol::evidence`'s wire — the server's
//! status read first, then parts from the offset it holds, so a cut connection costs one part and
//! a photo the server has is never sent again. A pass sends at most `upload_bytes_per_pass`; the
//! rest waits for the next. Then the files of photos confirmed longer ago than the retention
//! period are deleted. File reads and store writes go through the pass's `StoreWork`.

use super::client::{server_access, ClientConfig, EvidenceAnswer, ServerClient};
use super::pass::{StoreWork, SyncReport};
use crate::error::{KioskError, Result};
use crate::evidence::{self, PhotoFile};
use crate::kiosk::timestamp;
use crate::store::outbox;
use crate::store::photo_uploads::{self, WaitingPhoto};
use crate::Kiosk;
use pvz_protocol::evidence::{EvidenceUpload, EvidenceUploadState, MAX_EVIDENCE_PART_BYTES};
use sha2::{Digest, Sha256};

/// Photos looked at per pass, at most.
const PHOTOS_PER_PASS: usize = 200;
/// Offset mismatches in a row on one photo before it is left for the next pass (two kiosks of one
/// point sending the same bytes at once move each other's offset).
const MISMATCHES_PER_PHOTO: u32 = 3;

/// What to do after an answer about a photo of `size` bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    /// The server holds it whole: mark it uploaded, never send it again.
    Confirmed { size: u64 },
    /// Send the part from `from` (what the server holds).
    SendFrom { from: u64 },
    /// Read the server's status again and continue from its offset.
    ReadStatus,
    /// Leave it waiting for another pass, with this reason; from byte 0 when the server dropped its
    /// parts.
    Later { why: String, from_zero: bool },
    /// Refused for good: mark it failed with this reason.
    Fail { why: String },
}

/// The state transition of one answer (pure: the unit tests below walk every case).
pub(crate) fn next_step(answer: EvidenceAnswer, size: u64) -> Step {
    match answer {
        EvidenceAnswer::Held(EvidenceUpload { state: EvidenceUploadState::Stored, received, .. }) => {
            Step::Confirmed { size: received }
        }
        // The server holds a start of other bytes under this hash (an upload of another size):
        // sending from 0 lets it drop them and say so.
        EvidenceAnswer::Held(EvidenceUpload { received, .. }) if received >= size => Step::SendFrom { from: 0 },
        EvidenceAnswer::Held(EvidenceUpload { received, .. }) => Step::SendFrom { from: received },
        EvidenceAnswer::OffsetMismatch(_) => Step::ReadStatus,
        EvidenceAnswer::HashMismatch(why) => Step::Later { why, from_zero: true },
        EvidenceAnswer::Unknown(why) => Step::Later { why, from_zero: false },
        EvidenceAnswer::Refused(why) => Step::Fail { why },
    }
}

pub(crate) async fn upload_photos(
    store: StoreWork<'_>,
    client: &ServerClient,
    credential: &str,
    report: &mut SyncReport,
) -> Result<()> {
    let config = client.config();
    let part_bytes = config.upload_part_bytes.clamp(1, MAX_EVIDENCE_PART_BYTES);
    let mut budget = config.upload_bytes_per_pass;
    let (ready, waiting) = store
        .run(|kiosk| {
            kiosk.store.with_conn(|c| {
                Ok::<_, KioskError>((photo_uploads::list_ready_photos(c, PHOTOS_PER_PASS)?, outbox::count_pending(c)?))
            })
        })
        .await?;
    let call = Call { client, credential, waiting };
    for photo in ready {
        if budget == 0 {
            report.photos_left = true;
            return Ok(());
        }
        upload_one(store, &call, &photo, part_bytes, &mut budget, report).await?;
    }
    Ok(())
}

/// The server, the credential and the outbox count every upload call carries.
struct Call<'a> {
    client: &'a ServerClient,
    credential: &'a str,
    waiting: u32,
}

/// Uploads one photo as far as the budget goes. A transport failure ends the pass (the server's
/// offset is read again next time); every other outcome is recorded on the photo.
async fn upload_one(
    store: StoreWork<'_>,
    call: &Call<'_>,
    photo: &WaitingPhoto,
    part_bytes: u64,
    budget: &mut u64,
    report: &mut SyncReport,
) -> Result<()> {
    let sha256 = photo.sha256.clone();
    let file = {
        let sha256 = sha256.clone();
        store.run(move |kiosk| evidence::check_photo_file(kiosk.evidence_dir(), &sha256)).await?
    };
    let status = call.client.evidence_status(call.credential, &sha256, call.waiting).await?;
    let (media_type, size) = match file {
        PhotoFile::Intact { media_type, size } => (media_type, size),
        // Without the file only the server's copy (another counter of the point sent the same
        // bytes) can settle it; otherwise it can never be sent.
        lost => {
            let step = match next_step(status, u64::MAX) {
                confirmed @ Step::Confirmed { .. } => confirmed,
                _ if lost == PhotoFile::Missing => {
                    Step::Fail { why: "the photo's file is missing on this kiosk".into() }
                }
                _ => Step::Fail {
                    why: "the photo's file on this kiosk is no longer the photo taken (its bytes changed)".into(),
                },
            };
            return settle(store, &sha256, step, report).await;
        }
    };
    let mut step = next_step(status, size);
    let mut mismatches = 0;
    loop {
        match step {
            Step::SendFrom { from } => {
                record_offset(store, &sha256, from).await?;
                if *budget == 0 {
                    report.photos_left = true;
                    return Ok(());
                }
                let len = part_bytes.min(*budget).min(size - from);
                let part = {
                    let sha256 = sha256.clone();
                    store.run(move |kiosk| evidence::read_photo_part(kiosk.evidence_dir(), &sha256, from, len)).await?
                };
                *budget -= part.len() as u64;
                report.photo_bytes_sent += part.len() as u64;
                let answer = call
                    .client
                    .put_evidence_part(call.credential, &sha256, media_type, from, size, part, call.waiting)
                    .await?;
                step = next_step(answer, size);
            }
            Step::ReadStatus if mismatches < MISMATCHES_PER_PHOTO => {
                mismatches += 1;
                step = next_step(call.client.evidence_status(call.credential, &sha256, call.waiting).await?, size);
            }
            Step::ReadStatus => {
                let why = "the server's offset kept moving (another upload of the same photo?)".to_owned();
                return settle(store, &sha256, Step::Later { why, from_zero: false }, report).await;
            }
            done => return settle(store, &sha256, done, report).await,
        }
    }
}

async fn record_offset(store: StoreWork<'_>, sha256: &str, from: u64) -> Result<()> {
    let sha256 = sha256.to_owned();
    store
        .run(move |kiosk| Ok(kiosk.store.with_tx(|tx| photo_uploads::set_acknowledged_bytes(tx, &sha256, from))?))
        .await
}

/// Records a photo's final step of this pass.
async fn settle(store: StoreWork<'_>, sha256: &str, step: Step, report: &mut SyncReport) -> Result<()> {
    match &step {
        Step::Confirmed { .. } => report.photos_uploaded += 1,
        Step::Fail { why } => {
            tracing::warn!(photo = %sha256, %why, "counter photo refused for good");
            report.photos_failed += 1;
        }
        Step::Later { why, .. } => tracing::info!(photo = %sha256, %why, "counter photo left for the next pass"),
        Step::SendFrom { .. } | Step::ReadStatus => {}
    }
    let sha256 = sha256.to_owned();
    store
        .run(move |kiosk| {
            let at = timestamp(kiosk.now());
            kiosk.store.with_tx(|tx| {
                match step {
                    Step::Confirmed { size } => photo_uploads::mark_photo_uploaded(tx, &sha256, size, &at)?,
                    Step::Fail { why } => photo_uploads::mark_photo_failed(tx, &sha256, &why)?,
                    Step::Later { why, from_zero } => photo_uploads::note_photo_error(tx, &sha256, &why, from_zero)?,
                    Step::SendFrom { .. } | Step::ReadStatus => {}
                }
                Ok::<_, KioskError>(())
            })
        })
        .await
}

/// Deletes the files of photos the server confirmed more than `retention` ago (a hundred per pass).
pub(crate) async fn prune_photos(store: StoreWork<'_>, retention: std::time::Duration) -> Result<usize> {
    store
        .run(move |kiosk| {
            let now = kiosk.now();
            let cutoff = chrono::Duration::from_std(retention).ok().and_then(|r| now.checked_sub_signed(r));
            let Some(cutoff) = cutoff else { return Ok(0) };
            let cutoff = timestamp(cutoff);
            let due = kiosk
                .store
                .with_conn(|c| Ok::<_, KioskError>(photo_uploads::list_photos_to_prune(c, &cutoff, 100)?))?;
            let at = timestamp(now);
            for sha256 in &due {
                // The row first: a file left behind by a crash is only space, a row saying "kept"
                // about a deleted file would send a reader to a file that is not there.
                kiosk.store.with_tx(|tx| Ok::<_, KioskError>(photo_uploads::mark_photo_pruned(tx, sha256, &at)?))?;
                evidence::delete_photo_file(kiosk.evidence_dir(), sha256)?;
            }
            Ok(due.len())
        })
        .await
}

/// The bytes of a photo whose file was pruned, read back from the server (under the device's
/// credential) and checked against their hash; a server that cannot be reached is an error, so the
/// caller never goes on without the photo.
pub(crate) async fn fetch_evidence(kiosk: &Kiosk, sha256: &str) -> Result<Vec<u8>> {
    let access = server_access(kiosk)?;
    let waiting = kiosk.store.with_conn(|c| Ok::<_, KioskError>(outbox::count_pending(c)?))?;
    let client = ServerClient::new(&access.server_url, &ClientConfig::default())?;
    let bytes = client.get_evidence(&access.credential, sha256, waiting).await?;
    let got: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    if got != sha256.to_ascii_lowercase() {
        return Err(KioskError::SyncRefused {
            code: "bad_response".into(),
            message: format!("the server's copy of photo {sha256:.16}… does not hash to its name"),
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(state: EvidenceUploadState, received: u64) -> EvidenceAnswer {
        EvidenceAnswer::Held(EvidenceUpload { sha256: "ab".repeat(32), state, received })
    }

    #[test]
    fn each_answer_moves_the_photo_as_the_wire_says() {
        let size = 1000;
        assert_eq!(
            next_step(held(EvidenceUploadState::Missing, 0), size),
            Step::SendFrom { from: 0 },
            "nothing held: from 0"
        );
        assert_eq!(
            next_step(held(EvidenceUploadState::Partial, 512), size),
            Step::SendFrom { from: 512 },
            "a partial upload (202, or a status after a cut connection) continues from the server's offset"
        );
        assert_eq!(
            next_step(held(EvidenceUploadState::Stored, size), size),
            Step::Confirmed { size },
            "stored (200 already, 201 just now): confirmed, never sent again"
        );
        assert_eq!(
            next_step(held(EvidenceUploadState::Partial, 4000), size),
            Step::SendFrom { from: 0 },
            "an offset past our size is another upload's: start from 0 and let the server drop it"
        );
        assert_eq!(
            next_step(EvidenceAnswer::OffsetMismatch("409".into()), size),
            Step::ReadStatus,
            "409: read the offset again"
        );
        assert_eq!(
            next_step(EvidenceAnswer::HashMismatch("422".into()), size),
            Step::Later { why: "422".into(), from_zero: true },
            "422: the server dropped the parts; from 0 next pass"
        );
        assert_eq!(
            next_step(EvidenceAnswer::Unknown("404".into()), size),
            Step::Later { why: "404".into(), from_zero: false },
            "404: the server does not know the op yet; keep waiting"
        );
        assert_eq!(
            next_step(EvidenceAnswer::Refused("413".into()), size),
            Step::Fail { why: "413".into() },
            "400/413: refused for good"
        );
    }
}
