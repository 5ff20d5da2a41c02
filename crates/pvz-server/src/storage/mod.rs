//! The storage the HTTP layer talks to, as a trait so a PostgreSQL backend can sit beside SQLite
//! without touching the handlers. Methods return `Send` futures; implementations must not hold a
//! lock across `.await` and must keep anything that can wait (locks, disk, network) off the async
//! workers. `find_device` runs on every sync call, so it should be one cheap indexed read.
//!
//! Every answer reflects what was committed before the call, by any process sharing the database:
//! several servers may sit behind a load balancer and admin commands write directly, so a backend
//! must not answer from a process-local cache that another process's commit could make stale (a
//! revoked device must be refused, and a new change delivered, on the very next call).

mod photos;
mod postgres;
mod sqlite;

pub use postgres::DEFAULT_POOL_SIZE;

use crate::claims::{self, ClaimActor, ClaimCodeIssuer, Decider};
use crate::conversation::{self, Participant};
use crate::credentials::{Party, PartyKind};
use crate::db::devices::{self, DeviceRecord, SyncSeen};
use crate::db::evidence::{self, EvidenceHeld, EvidenceReader, StoredEvidence};
use crate::db::feed::{self, Cursor};
use crate::db::web_sessions::{self, WebSessionRow};
use crate::db::{self, manifests, points, sellers, Connection, Database};
use crate::error::Result;
use crate::push::{self, Pushed, Pusher};
use crate::rules::claims::actions::operator_decides_now;
use crate::signing;
use crate::web;
use postgres::PgBackend;
use pvz_domain::{ClaimId, DeviceId, EmployeeId, ItemId, PickupPointId};
use pvz_protocol::evidence::EvidencePhoto;
use pvz_protocol::sync::{DeviceCredential, ReadOp};
use pvz_protocol::web::{ClaimCase, ClaimInbox, FleetDevice, InboxFilter, RejectedOp, SellerBalance};
use pvz_protocol::{
    AttachmentRef, ClaimActionRequest, ClaimMessage, ClaimStatus, CourierManifest, MessageAuthor, MessagePage,
    NewClaimRequest, NewMessage, PullPage, SellerDecision,
};
use sqlite::SqliteBackend;
use std::future::Future;

/// A device to create, or to continue, when its enrollment code is valid.
#[derive(Debug, Clone)]
pub struct NewDevice {
    pub code_sha256: String,
    /// The id a new device gets.
    pub device_id: DeviceId,
    /// The credential the kiosk held before (it enrolled before). If the server has its device, the
    /// secret matches and the device is at the code's point, that device gets the new credential
    /// instead of a new device being created.
    pub previous_credential: Option<DeviceCredential>,
    /// The point the kiosk is enrolled at now (protocol 4): a code of another point is refused
    /// unused, whether or not this server knows the kiosk's device.
    pub kiosk_point: Option<PickupPointId>,
    pub device_name: String,
    pub secret_sha256: String,
    /// The kiosk made the secret and sent only its hash (protocol 4): the same code and hash again
    /// is the same enrollment retried, and gets the same answer.
    pub retriable: bool,
}

/// What an enrollment attempt came to.
#[derive(Debug, Clone)]
pub enum Enrolled {
    /// The device (new or continued) now holds the new credential.
    /// `server_public_key`: the network's active key, which the kiosk pins.
    Device {
        device_id: DeviceId,
        pickup_point_id: PickupPointId,
        name: String,
        continued: bool,
        server_public_key: String,
    },
    /// The code is unknown, used or expired.
    CodeInvalid,
    /// The device to continue, or the kiosk by its own word, belongs to another pickup point; the
    /// code was not used.
    OtherPointsDevice,
    /// The device to continue exists but the previous credential's secret is not its own (someone
    /// naming a device they do not hold); the code was not used.
    PreviousCredentialRejected,
}

pub trait Storage: Clone + Send + Sync + 'static {
    /// The device row for authentication, with its point's feed head read in the same snapshot (an
    /// up-to-date poll is answered from it alone); the caller compares the secret's hash.
    fn find_device(&self, id: DeviceId) -> impl Future<Output = Result<Option<DeviceRecord>>> + Send;

    /// The pickup point of an unused, unexpired enrollment code, or of one used with
    /// `retry_secret_sha256` (a retry), read without the writer: enrollment is unauthenticated, so a
    /// wrong code must cost an indexed read or two and never wait for (or hold up) a push. `None`:
    /// unknown, used or expired.
    fn find_enrollment_code(
        &self,
        code_sha256: String,
        retry_secret_sha256: Option<String>,
    ) -> impl Future<Output = Result<Option<PickupPointId>>> + Send;

    /// Consumes the enrollment code and creates the device, or continues the device of
    /// `previous_credential` (rotates its credential, clears its revocation, keeps its seq and ops),
    /// atomically, and appends the enrollment to the device's history. The previous secret is
    /// checked in constant time, revoked or not; a mismatch, or another point's device, is refused
    /// and the code left unused. A device the server does not have is created anew under `device_id`.
    fn enroll_device(&self, device: NewDevice) -> impl Future<Output = Result<Enrolled>> + Send;

    /// Applies a batch (already checked for size and seq order) for the device.
    fn push(&self, who: Pusher, ops: Vec<ReadOp>) -> impl Future<Output = Result<Pushed>> + Send;

    /// Records the device's sync call for the fleet view (see [`DeviceRecord::sync_record_due`], which
    /// callers check first so an idle poll stays a pure read).
    fn record_sync(&self, id: DeviceId, seen: SyncSeen) -> impl Future<Output = Result<()>> + Send;

    /// Readiness: a trivial query against the database as a new connection would find it (a missing
    /// or unreadable database is an error, not a new empty one).
    fn ping(&self) -> impl Future<Output = Result<()>> + Send;

    /// The point's feed head as committed now (one indexed read, no writer): a held pull repeats it
    /// to notice changes other processes commit. `None`: no such point.
    fn feed_head(&self, point: PickupPointId) -> impl Future<Output = Result<Option<Cursor>>> + Send;

    /// One page of the point's feed after `cursor`.
    fn pull(
        &self,
        point: PickupPointId,
        cursor: Option<Cursor>,
        limit: u32,
    ) -> impl Future<Output = Result<PullPage>> + Send;

    /// The sha256 of the seller's API secret, for the caller to compare; `None`: no credential.
    fn find_seller_secret(&self, seller_id: String) -> impl Future<Output = Result<Option<String>>> + Send;

    /// The sha256 of a buyer front's or operator's API secret; `None`: no such credential.
    fn find_api_secret(
        &self,
        kind: PartyKind,
        principal: String,
    ) -> impl Future<Output = Result<Option<String>>> + Send;

    /// A claim as it is now, for any point's kiosk (a buyer may return an item anywhere).
    fn claim_status(&self, id: ClaimId) -> impl Future<Output = Result<Option<ClaimStatus>>> + Send;

    /// The claims on an item of `point`, newest first, as a kiosk sees them (no actions); `None`
    /// when the server has no such item or it is another point's.
    fn item_claims(
        &self,
        point: PickupPointId,
        item: ItemId,
    ) -> impl Future<Output = Result<Option<Vec<ClaimStatus>>>> + Send;

    /// A buyer opens a claim through the buyer front `front` (see [`crate::claims::open_buyer_claim`]).
    fn open_buyer_claim(
        &self,
        front: String,
        request: NewClaimRequest,
    ) -> impl Future<Output = Result<ClaimStatus>> + Send;

    /// A buyer's claims, newest first.
    fn buyer_claims(&self, buyer_id: String) -> impl Future<Output = Result<Vec<ClaimStatus>>> + Send;

    /// The seller's claims, newest first, with the seller's actions.
    fn seller_claims(&self, seller_id: String) -> impl Future<Output = Result<Vec<ClaimStatus>>> + Send;

    /// The seller's decision on one of its open claims (see [`crate::claims::decide_claim`]), with the
    /// seller's actions after it and the claim's pickup point, whose feed a decision may move (a part
    /// or replacement sent there).
    fn decide_claim(
        &self,
        seller_id: String,
        id: ClaimId,
        decision: SellerDecision,
        issuer: ClaimCodeIssuer,
    ) -> impl Future<Output = Result<(ClaimStatus, PickupPointId)>> + Send;

    /// One of the claim's actions for `actor` (see [`crate::claims::act_on_claim`]): the claim after,
    /// with the actions the actor has then, and the claim's pickup point, whose feed an action may
    /// move (a part or replacement sent there).
    fn act_on_claim(
        &self,
        actor: ClaimActor,
        id: ClaimId,
        request: ClaimActionRequest,
        issuer: ClaimCodeIssuer,
    ) -> impl Future<Output = Result<(ClaimStatus, PickupPointId)>> + Send;

    /// Every claim with an operator's actions: those an operator decides now first (marketplace
    /// returns under review, disputes), then the rest; newest first within each.
    fn operator_claims(&self) -> impl Future<Output = Result<Vec<ClaimStatus>>> + Send;

    /// A courier's open manifest lines for a kiosk of `point`: not found for an unknown courier,
    /// forbidden for another point's.
    fn courier_manifest(
        &self,
        point: PickupPointId,
        courier: EmployeeId,
    ) -> impl Future<Output = Result<CourierManifest>> + Send;

    /// Records an uploaded attachment whose bytes are in the blob store (kept as it was when the
    /// same bytes were uploaded before).
    fn record_attachment(
        &self,
        attachment: AttachmentRef,
        uploader: Participant,
    ) -> impl Future<Output = Result<()>> + Send;

    /// An uploaded attachment; `None`: no such id.
    fn find_attachment(&self, id: String) -> impl Future<Output = Result<Option<AttachmentRef>>> + Send;

    /// A message by `who` on a claim's thread (see [`conversation::post_message`]).
    fn post_claim_message(
        &self,
        who: Participant,
        claim: ClaimId,
        message: NewMessage,
    ) -> impl Future<Output = Result<ClaimMessage>> + Send;

    /// A page of a claim's thread for `who` (see [`conversation::message_page`]).
    fn claim_messages(
        &self,
        who: Participant,
        claim: ClaimId,
        after: i64,
        limit: u32,
    ) -> impl Future<Output = Result<MessagePage>> + Send;

    /// Stores a web session just made (see [`crate::web`]), and deletes sessions expired a day ago.
    fn create_web_session(&self, session: web::NewSession) -> impl Future<Output = Result<()>> + Send;

    /// The web session of this token hash if it is valid now (not ended, not expired).
    fn find_web_session(&self, token_sha256: String) -> impl Future<Output = Result<Option<WebSessionRow>>> + Send;

    /// Ends a web session on every instance (sign-out).
    fn end_web_session(&self, token_sha256: String) -> impl Future<Output = Result<()>> + Send;

    /// The seller's claims of one inbox folder and every folder's count (see [`web::inbox`]).
    fn seller_inbox(&self, seller_id: String, filter: InboxFilter) -> impl Future<Output = Result<ClaimInbox>> + Send;

    /// A claim's whole case as `viewer` may see it (see [`web::case`]).
    fn claim_case(&self, viewer: ClaimActor, id: ClaimId) -> impl Future<Output = Result<ClaimCase>> + Send;

    /// The seller's balance and ledger lines (see [`web::balance`]).
    fn seller_balance(&self, seller_id: String) -> impl Future<Output = Result<SellerBalance>> + Send;

    /// Rejected ops across points, newest first, at most `limit` (see [`web::fleet`]).
    fn rejected_ops(&self, limit: u32) -> impl Future<Output = Result<Vec<RejectedOp>>> + Send;

    /// Every device as the fleet view shows it.
    fn fleet(&self) -> impl Future<Output = Result<Vec<FleetDevice>>> + Send;

    // Counter photos (evidence): see `crate::evidence` and `pvz_protocol::evidence`.

    /// What the server holds of a photo an op of `point` names; `None` when none does.
    fn evidence_held(
        &self,
        sha256: String,
        point: PickupPointId,
    ) -> impl Future<Output = Result<Option<EvidenceHeld>>> + Send;

    /// Records that the upload of a photo of `total` bytes went from `from` to `to` bytes held (see
    /// [`db::evidence::advance_upload`]); `false`: it was not at `from`.
    fn advance_evidence_upload(
        &self,
        sha256: String,
        total: u64,
        from: u64,
        to: u64,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Forgets an upload in progress (its parts are the caller's to delete).
    fn drop_evidence_upload(&self, sha256: String) -> impl Future<Output = Result<()>> + Send;

    /// Records a photo stored whole in the blob store and ends its upload, together.
    fn record_evidence(&self, sha256: String, stored: StoredEvidence) -> impl Future<Output = Result<()>> + Send;

    /// The stored photo if `reader` may see it; `None` for a photo not stored, or not the reader's.
    fn readable_evidence(
        &self,
        sha256: String,
        reader: EvidenceReader,
    ) -> impl Future<Output = Result<Option<StoredEvidence>>> + Send;

    /// The counter's photos of a claim's item, oldest first, for the claim's seller or an operator;
    /// not found for anyone else.
    fn claim_evidence(&self, who: Party, claim: ClaimId) -> impl Future<Output = Result<Vec<EvidencePhoto>>> + Send;
}

/// The storage over either database: every call is the same query functions, run where the backend
/// runs them (SQLite: its writer or a reader; PostgreSQL: a pooled connection).
#[derive(Clone)]
pub struct DbStorage {
    backend: Backend,
}

#[derive(Clone)]
enum Backend {
    Sqlite(SqliteBackend),
    Postgres(PgBackend),
}

impl DbStorage {
    /// Opens the SQLite file, applying migrations.
    pub fn open(path: &std::path::Path) -> Result<DbStorage> {
        Ok(DbStorage { backend: Backend::Sqlite(SqliteBackend::open(path)?) })
    }

    /// Opens `database`, whose schema the caller has brought up to date.
    pub fn connect(database: &Database, pool_size: u32) -> Result<DbStorage> {
        Ok(match database {
            Database::Sqlite(path) => DbStorage::open(path)?,
            Database::Postgres(url) => DbStorage { backend: Backend::Postgres(PgBackend::open(url, pool_size)) },
        })
    }

    /// PostgreSQL connections open now; `None` on SQLite.
    pub fn pg_connections(&self) -> Option<u32> {
        match &self.backend {
            Backend::Sqlite(_) => None,
            Backend::Postgres(pg) => Some(pg.connections()),
        }
    }

    async fn write<T: Send + 'static>(&self, f: impl FnOnce(&Connection) -> Result<T> + Send + 'static) -> Result<T> {
        match &self.backend {
            Backend::Sqlite(sqlite) => sqlite.write(f).await,
            Backend::Postgres(pg) => pg.run(f).await,
        }
    }

    async fn read<T: Send + 'static>(&self, f: impl FnOnce(&Connection) -> Result<T> + Send + 'static) -> Result<T> {
        match &self.backend {
            Backend::Sqlite(sqlite) => sqlite.read(f).await,
            Backend::Postgres(pg) => pg.run(f).await,
        }
    }

    /// A short read of hot rows; on SQLite it runs right on the async worker (see
    /// [`SqliteBackend::read_quick`]).
    async fn read_quick<T: Send + 'static>(&self, f: impl Fn(&Connection) -> Result<T> + Send + 'static) -> Result<T> {
        match &self.backend {
            Backend::Sqlite(sqlite) => sqlite.read_quick(f).await,
            Backend::Postgres(pg) => pg.run(f).await,
        }
    }
}

impl Storage for DbStorage {
    async fn find_device(&self, id: DeviceId) -> Result<Option<DeviceRecord>> {
        self.read_quick(move |conn| devices::get_device(conn, &id)).await
    }

    async fn find_enrollment_code(
        &self,
        code_sha256: String,
        retry_secret_sha256: Option<String>,
    ) -> Result<Option<PickupPointId>> {
        self.read(move |conn| {
            if let Some(point) = devices::get_usable_code_point(conn, &code_sha256, db::now_unix())? {
                return Ok(Some(point));
            }
            let Some(secret) = retry_secret_sha256 else { return Ok(None) };
            Ok(devices::get_code_used_with(conn, &code_sha256, &secret)?.map(|(point, _)| point))
        })
        .await
    }

    async fn enroll_device(&self, device: NewDevice) -> Result<Enrolled> {
        self.write(move |conn| {
            let tx = conn.transaction()?;
            let now = db::now_text();
            let now_unix = db::now_unix();
            if device.retriable {
                if let Some((point, device_id)) =
                    devices::get_code_used_with(&tx, &device.code_sha256, &device.secret_sha256)?
                {
                    // The same enrollment again (its answer was lost): the same answer, nothing written.
                    let name = points::require_point(&tx, &point)?.name;
                    let server_public_key = signing::active_public_key(&tx)?;
                    return Ok(Enrolled::Device {
                        device_id,
                        pickup_point_id: point,
                        name,
                        continued: true,
                        server_public_key,
                    });
                }
            }
            let Some(code_point) = devices::get_usable_code_point(&tx, &device.code_sha256, now_unix)? else {
                return Ok(Enrolled::CodeInvalid);
            };
            let existing = match &device.previous_credential {
                Some(previous) => devices::get_device(&tx, &previous.device_id)?.map(|d| (previous, d)),
                None => None,
            };
            // Nothing is written on a refusal: the transaction rolls back on drop, the code stays
            // usable. The secret is checked first, so a caller without it learns nothing of the point.
            if let Some((previous, d)) = &existing {
                // An operator's secret reset waives the proof (the device id still names the device).
                if !db::sha256_hex_matches(previous.secret.as_bytes(), &d.secret_sha256) && !d.secret_reset {
                    return Ok(Enrolled::PreviousCredentialRejected);
                }
                if d.pickup_point_id != code_point {
                    return Ok(Enrolled::OtherPointsDevice);
                }
            }
            if device.kiosk_point.as_ref().is_some_and(|point| *point != code_point) {
                return Ok(Enrolled::OtherPointsDevice);
            }
            let existing = existing.map(|(_, d)| d);
            let device_id = existing.as_ref().map_or(&device.device_id, |d| &d.device_id).clone();
            let used = devices::consume_enrollment_code(
                &tx,
                &device.code_sha256,
                &device_id,
                &device.secret_sha256,
                now_unix,
                &now,
            )?;
            if used.is_none() {
                return Ok(Enrolled::CodeInvalid);
            }
            let name = points::require_point(&tx, &code_point)?.name;
            if let Some(previous) = &existing {
                let (name, secret) = (&device.device_name, &device.secret_sha256);
                devices::reenroll_device(&tx, &device_id, name, &previous.secret_sha256, secret, &now)?;
            } else {
                devices::insert_device(&tx, &device_id, &code_point, &device.device_name, &device.secret_sha256, &now)?;
            }
            let server_public_key = signing::active_public_key(&tx)?;
            tx.commit()?;
            Ok(Enrolled::Device {
                device_id,
                pickup_point_id: code_point,
                name,
                continued: existing.is_some(),
                server_public_key,
            })
        })
        .await
    }

    async fn push(&self, who: Pusher, ops: Vec<ReadOp>) -> Result<Pushed> {
        self.write(move |conn| push::push_batch(conn, &who, &ops, &db::now_text())).await
    }

    async fn record_sync(&self, id: DeviceId, seen: SyncSeen) -> Result<()> {
        self.write(move |conn| devices::record_sync(conn, &id, &seen)).await
    }

    async fn ping(&self) -> Result<()> {
        match &self.backend {
            // A fresh connection each time: a pooled one keeps a deleted file's inode open and would
            // answer from it; a probe every few seconds makes the open's cost (tens of µs) irrelevant.
            Backend::Sqlite(sqlite) => {
                let path = sqlite.path();
                tokio::task::spawn_blocking(move || db::ping(&db::open_existing(&path)?)).await?
            }
            // A pooled connection: one the server dropped is discarded, and a database that is down
            // makes the checkout fail.
            Backend::Postgres(pg) => pg.run(db::ping).await,
        }
    }

    async fn feed_head(&self, point: PickupPointId) -> Result<Option<Cursor>> {
        self.read_quick(move |conn| points::get_feed_head(conn, &point)).await
    }

    async fn pull(&self, point: PickupPointId, cursor: Option<Cursor>, limit: u32) -> Result<PullPage> {
        self.read(move |conn| feed::pull_page(conn, &point, cursor, limit)).await
    }

    async fn find_seller_secret(&self, seller_id: String) -> Result<Option<String>> {
        self.read(move |conn| sellers::get_seller_secret_hash(conn, &seller_id)).await
    }

    async fn find_api_secret(&self, kind: PartyKind, principal: String) -> Result<Option<String>> {
        self.read(move |conn| db::api_credentials::get_api_secret_hash(conn, kind, &principal)).await
    }

    async fn claim_status(&self, id: ClaimId) -> Result<Option<ClaimStatus>> {
        self.read(move |conn| Ok(db::claims::get_claim(conn, &id)?.map(|c| c.to_status()))).await
    }

    async fn item_claims(&self, point: PickupPointId, item: ItemId) -> Result<Option<Vec<ClaimStatus>>> {
        self.read(move |conn| {
            let ours = db::orders::get_item(conn, &item)?.is_some_and(|row| row.pickup_point_id == point);
            if !ours {
                return Ok(None);
            }
            Ok(Some(db::claims::list_claims_by_item(conn, &item)?.iter().map(|c| c.to_status()).collect()))
        })
        .await
    }

    async fn open_buyer_claim(&self, front: String, request: NewClaimRequest) -> Result<ClaimStatus> {
        self.write(move |conn| {
            let tx = conn.transaction()?;
            let id = claims::new_claim_id()?;
            let now = db::now_text();
            let r = &request;
            let claim = claims::open_buyer_claim(&tx, &id, &r.buyer_id, &r.order_id, &r.item_id, &r.description, &now)?;
            // The buyer's description and photos open the claim's conversation, in the same transaction.
            crate::conversation::post_message(&tx, &id, MessageAuthor::Buyer, &front, &r.description, &r.photos, &now)?;
            tx.commit()?;
            tracing::info!(claim = %claim.id, front = %front, decided_by = claim.decided_by.as_str(), "claim opened");
            Ok(claim.to_status_with(claims::actions_for(&claim, &ClaimActor::BuyerFront)))
        })
        .await
    }

    async fn buyer_claims(&self, buyer_id: String) -> Result<Vec<ClaimStatus>> {
        self.read(move |conn| {
            let front = ClaimActor::BuyerFront;
            let listed = db::claims::list_claims_by_buyer(conn, &buyer_id)?;
            Ok(listed.iter().map(|c| c.to_status_with(claims::actions_for(c, &front))).collect())
        })
        .await
    }

    async fn seller_claims(&self, seller_id: String) -> Result<Vec<ClaimStatus>> {
        self.read(move |conn| {
            let claims = db::claims::list_claims_by_seller(conn, &seller_id)?;
            let seller = ClaimActor::Seller(seller_id);
            Ok(claims.iter().map(|c| c.to_status_with(claims::actions_for(c, &seller))).collect())
        })
        .await
    }

    async fn decide_claim(
        &self,
        seller_id: String,
        id: ClaimId,
        decision: SellerDecision,
        issuer: ClaimCodeIssuer,
    ) -> Result<(ClaimStatus, PickupPointId)> {
        self.write(move |conn| {
            let tx = conn.transaction()?;
            // Signed with the key active now: another process may have activated a new one.
            let issuer = ClaimCodeIssuer { key: std::sync::Arc::new(signing::active_key(&tx)?), ..issuer };
            let seller = Decider::Seller(&seller_id);
            let claim = claims::decide_claim(&tx, &issuer, &id, seller, &decision, &db::now_text())?;
            tx.commit()?;
            let actions = claims::actions_for(&claim, &ClaimActor::Seller(seller_id));
            Ok((claim.to_status_with(actions), claim.pickup_point_id))
        })
        .await
    }

    async fn act_on_claim(
        &self,
        actor: ClaimActor,
        id: ClaimId,
        request: ClaimActionRequest,
        issuer: ClaimCodeIssuer,
    ) -> Result<(ClaimStatus, PickupPointId)> {
        self.write(move |conn| {
            let tx = conn.transaction()?;
            // Signed with the key active now: another process may have activated a new one.
            let issuer = ClaimCodeIssuer { key: std::sync::Arc::new(signing::active_key(&tx)?), ..issuer };
            let claim = claims::act_on_claim(&tx, &issuer, &id, &actor, &request, &db::now_text())?;
            tx.commit()?;
            Ok((claim.to_status_with(claims::actions_for(&claim, &actor)), claim.pickup_point_id))
        })
        .await
    }

    async fn operator_claims(&self) -> Result<Vec<ClaimStatus>> {
        self.read(move |conn| {
            let operator = ClaimActor::Operator;
            let (mut now, rest): (Vec<_>, Vec<_>) = db::claims::list_claims(conn)?
                .into_iter()
                .map(|c| c.to_status_with(claims::actions_for(&c, &operator)))
                .partition(|c| operator_decides_now(c.decided_by, c.decision));
            now.extend(rest);
            Ok(now)
        })
        .await
    }

    async fn courier_manifest(&self, point: PickupPointId, courier: EmployeeId) -> Result<CourierManifest> {
        self.read(move |conn| manifests::get_courier_manifest(conn, &point, &courier)).await
    }

    async fn record_attachment(&self, attachment: AttachmentRef, uploader: Participant) -> Result<()> {
        self.write(move |conn| {
            let new = db::attachments::NewAttachment {
                id: &attachment.id,
                content_type: &attachment.content_type,
                size: attachment.size,
                uploaded_by_kind: uploader.kind_text(),
                uploaded_by: uploader.name(),
            };
            db::attachments::insert_attachment(conn, &new, &db::now_text())
        })
        .await
    }

    async fn find_attachment(&self, id: String) -> Result<Option<AttachmentRef>> {
        self.read(move |conn| db::attachments::get_attachment(conn, &id)).await
    }

    async fn post_claim_message(&self, who: Participant, claim: ClaimId, message: NewMessage) -> Result<ClaimMessage> {
        self.write(move |conn| {
            let tx = conn.transaction()?;
            let posted = conversation::post_as(&tx, &who, &claim, &message, &db::now_text())?;
            tx.commit()?;
            Ok(posted)
        })
        .await
    }

    async fn claim_messages(&self, who: Participant, claim: ClaimId, after: i64, limit: u32) -> Result<MessagePage> {
        self.read(move |conn| {
            let tx = conn.read_transaction()?;
            conversation::message_page(&tx, &who, &claim, after, limit)
        })
        .await
    }

    async fn create_web_session(&self, session: web::NewSession) -> Result<()> {
        self.write(move |conn| {
            web_sessions::delete_expired_web_sessions(conn, session.created_at - 24 * 3600)?;
            web_sessions::insert_web_session(conn, &session.token_sha256, &session.row, session.created_at)
        })
        .await
    }

    async fn find_web_session(&self, token_sha256: String) -> Result<Option<WebSessionRow>> {
        self.read_quick(move |conn| web_sessions::get_live_web_session(conn, &token_sha256, db::now_unix())).await
    }

    async fn end_web_session(&self, token_sha256: String) -> Result<()> {
        self.write(move |conn| web_sessions::end_web_session(conn, &token_sha256, db::now_unix())).await
    }

    async fn seller_inbox(&self, seller_id: String, filter: InboxFilter) -> Result<ClaimInbox> {
        self.read(move |conn| web::inbox::seller_inbox(conn, &seller_id, filter, chrono::Utc::now())).await
    }

    async fn claim_case(&self, viewer: ClaimActor, id: ClaimId) -> Result<ClaimCase> {
        self.read(move |conn| {
            let tx = conn.read_transaction()?;
            web::case::claim_case(&tx, &id, &viewer)
        })
        .await
    }

    async fn seller_balance(&self, seller_id: String) -> Result<SellerBalance> {
        self.read(move |conn| {
            let tx = conn.read_transaction()?;
            web::balance::seller_balance(&tx, &seller_id)
        })
        .await
    }

    async fn rejected_ops(&self, limit: u32) -> Result<Vec<RejectedOp>> {
        self.read(move |conn| web::fleet::attention(conn, limit)).await
    }

    async fn fleet(&self) -> Result<Vec<FleetDevice>> {
        self.read(web::fleet::fleet).await
    }

    async fn evidence_held(&self, sha256: String, point: PickupPointId) -> Result<Option<EvidenceHeld>> {
        photos::held(self, sha256, point).await
    }

    async fn advance_evidence_upload(&self, sha256: String, total: u64, from: u64, to: u64) -> Result<bool> {
        photos::advance(self, sha256, total, from, to).await
    }

    async fn drop_evidence_upload(&self, sha256: String) -> Result<()> {
        self.write(move |conn| evidence::delete_upload(conn, &sha256)).await
    }

    async fn record_evidence(&self, sha256: String, stored: StoredEvidence) -> Result<()> {
        photos::record(self, sha256, stored).await
    }

    async fn readable_evidence(&self, sha256: String, reader: EvidenceReader) -> Result<Option<StoredEvidence>> {
        photos::readable(self, sha256, reader).await
    }

    async fn claim_evidence(&self, who: Party, claim: ClaimId) -> Result<Vec<EvidencePhoto>> {
        photos::of_claim(self, who, claim).await
    }
}

#[cfg(test)]
#[path = "sqlite_tests.rs"]
mod sqlite_tests;
