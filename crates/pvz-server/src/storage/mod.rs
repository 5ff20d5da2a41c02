//! The storage the HTTP layer talks to, as a trait so a PostgreSQL backend can sit beside SQLite
//! without touching the handlers. Methods return `Send` futures; implementations must not hold a
//! lock across `.await` and must keep anything that can wait (locks, disk, network) off the async
//! workers. `find_device` runs on every sync call, so it should be one cheap indexed read.
//!
//! Every answer reflects what was committed before the call, by any process sharing the database:
//! several servers may sit behind a load balancer and admin commands write directly, so a backend
//! must not answer from a process-local cache that another process's commit could make stale (a
//! revoked device must be refused, and a new change delivered, on the very next call).

mod sqlite;

pub use sqlite::SqliteStorage;

use crate::claims::ClaimCodeIssuer;
use crate::db::devices::DeviceRecord;
use crate::db::feed::Cursor;
use crate::error::Result;
use crate::push::Pusher;
use pvz_domain::{ClaimId, DeviceId, EmployeeId, PickupPointId};
use pvz_protocol::sync::{DeviceCredential, PushOp, PushResponse};
use pvz_protocol::{ClaimStatus, CourierManifest, PullPage, SellerDecision};
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
    pub device_name: String,
    pub secret_sha256: String,
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
    /// The device to continue belongs to another pickup point; the code was not used.
    OtherPointsDevice,
    /// The device to continue exists but the previous credential's secret is not its own (someone
    /// naming a device they do not hold); the code was not used.
    PreviousCredentialRejected,
}

pub trait Storage: Clone + Send + Sync + 'static {
    /// The device row for authentication, with its point's feed head read in the same snapshot (an
    /// up-to-date poll is answered from it alone); the caller compares the secret's hash.
    fn find_device(&self, id: DeviceId) -> impl Future<Output = Result<Option<DeviceRecord>>> + Send;

    /// The pickup point of an unused, unexpired enrollment code, read without the writer: enrollment
    /// is unauthenticated, so a wrong code must cost one indexed read and never wait for (or hold up)
    /// a push. `None`: unknown, used or expired.
    fn find_enrollment_code(&self, code_sha256: String) -> impl Future<Output = Result<Option<PickupPointId>>> + Send;

    /// Consumes the enrollment code and creates the device, or continues the device of
    /// `previous_credential` (rotates its credential, clears its revocation, keeps its seq and ops),
    /// atomically, and appends the enrollment to the device's history. The previous secret is
    /// checked in constant time, revoked or not; a mismatch, or another point's device, is refused
    /// and the code left unused. A device the server does not have is created anew under `device_id`.
    fn enroll_device(&self, device: NewDevice) -> impl Future<Output = Result<Enrolled>> + Send;

    /// Applies a batch (already checked for size and seq order) for the device.
    fn push(&self, who: Pusher, ops: Vec<PushOp>) -> impl Future<Output = Result<PushResponse>> + Send;

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

    /// A claim as it is now, for any point's kiosk (a buyer may return an item anywhere).
    fn claim_status(&self, id: ClaimId) -> impl Future<Output = Result<Option<ClaimStatus>>> + Send;

    /// The seller's claims, newest first.
    fn seller_claims(&self, seller_id: String) -> impl Future<Output = Result<Vec<ClaimStatus>>> + Send;

    /// The seller's decision on one of its open claims (see [`crate::claims::decide_claim`]), with the
    /// claim's pickup point, whose feed a decision may move (a part or replacement sent there).
    fn decide_claim(
        &self,
        seller_id: String,
        id: ClaimId,
        decision: SellerDecision,
        issuer: ClaimCodeIssuer,
    ) -> impl Future<Output = Result<(ClaimStatus, PickupPointId)>> + Send;

    /// A courier's open manifest lines for a kiosk of `point`: not found for an unknown courier,
    /// forbidden for another point's.
    fn courier_manifest(
        &self,
        point: PickupPointId,
        courier: EmployeeId,
    ) -> impl Future<Output = Result<CourierManifest>> + Send;
}
