//! The sync API between a kiosk and the central server: enrollment, push of outbox ops in per-device
//! `seq` order, and the error body every non-2xx answer carries. Paths live here so both sides agree.
//!
//! Exactly-once rests on two keys: the per-device `seq` (the server applies each seq once, in order,
//! and answers an already-applied seq with the stored result) and the `op_id` (the ledger posts at most
//! one transaction per op id).

use crate::ops::OpBody;
use crate::pull::Enrollment;
use pvz_domain::{DeviceId, EmployeeId};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Sent by the kiosk on every call as `X-Pvz-Protocol`; a server answers an older one with 426.
pub const PROTOCOL_HEADER: &str = "x-pvz-protocol";
/// The protocol this build speaks. Bump when a change is not backward compatible.
/// 3: an item decision and an issue may say an item never arrived (`not_arrived`), which a server
/// of protocol 2 cannot read; the feed says which shipment items a receiving recorded missing.
/// 4 (wave 2's wire changes, moved once together): per-op `invalid_input` and `other_point`
/// rejections, 429 `rate_limited`; each further change says "protocol 4" where it is declared.
pub const PROTOCOL_VERSION: u32 = 4;
/// The oldest protocol a server of this build still serves: a kiosk of protocol 2 sends nothing a
/// server of 3 cannot read, and ignores the feed's new `missing` field.
pub const OLDEST_SUPPORTED_PROTOCOL: u32 = 2;

pub const PATH_HEALTH: &str = "/v1/health";
pub const PATH_ENROLL: &str = "/v1/enroll";
pub const PATH_PUSH: &str = "/v1/sync/push";
/// `GET` with query `cursor` (absent on the first pull), `limit`, and optionally `pickup_point`, which
/// must be the device's own (another point's id is a 403). An op of a push naming another point's
/// order is rejected `other_point` for itself alone (protocol 4; it was a 403 for the whole batch).
///
/// A held pull adds `wait=<seconds>`: when nothing follows the cursor, the server holds the answer
/// until the point's feed moves (then answers with the new page) or the wait ends (an empty page).
/// Only a server whose pages carry `max_wait_seconds` holds; an older one ignores the parameter and
/// answers at once, so a kiosk sends it only to a server that said it would honour it. No protocol
/// bump: both sides of every pairing read what the other sends.
pub const PATH_PULL: &str = "/v1/sync/pull";
pub const PATH_OPENAPI: &str = "/v1/openapi.json";

/// Most ops one push may carry; the kiosk sends at most this many per request.
pub const MAX_PUSH_OPS: usize = 500;
/// Largest pull page a server hands out, whatever `limit` asks for.
pub const MAX_PULL_LIMIT: u32 = 2000;
/// Longest a server of this build holds a pull (`wait`), in seconds: under the 30 s that proxies and
/// load balancers commonly allow an idle request.
pub const MAX_PULL_WAIT_SECONDS: u32 = 25;

/// `POST /v1/enroll`: a one-time code, bound to one pickup point, exchanged for a device credential.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollRequest {
    pub code: String,
    /// Shown to admins, e.g. "Касса 1": 1-100 characters once trimmed, so at least one that is not
    /// white space (422 otherwise).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100, pattern = r"\S"))]
    pub device_name: String,
    /// The credential (`pvzd1.<device>.<secret>`) of a kiosk that was enrolled before and enrolls
    /// again, say after it was revoked. It proves the kiosk is that device: device ids are not
    /// secret, so naming one is not enough. When its secret matches, the server continues the
    /// device at the same pickup point with a new credential and its per-device `seq` intact, so the
    /// kiosk's outbox keeps its numbering. A secret that does not match, or another point's device,
    /// is refused (403) without using up the code; a device the server does not know enrolls anew.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = r"^pvzd1\.[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{16,128}$"))]
    pub previous_credential: Option<String>,
    /// Protocol 4: the pickup point the kiosk is enrolled at now, if any. A kiosk belongs to one
    /// point (its outbox is that point's), so a code of another point is refused (403 `forbidden`)
    /// before it is used or a device made, even by a server that does not know the kiosk's device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_pickup_point: Option<String>,
    /// Protocol 4: the sha256 (64 lowercase hex digits) of the device secret the kiosk made itself
    /// and stored, with the code, before asking. The answer then carries no `credential` (the
    /// kiosk has the secret), and asking again with the same code and hash, after a lost answer,
    /// gets the same answer instead of "code used". Without it (protocol 3) the server makes the
    /// secret and sends it in `credential`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_sha256: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollResponse {
    pub enrollment: Enrollment,
    /// Sent back as `Authorization: Bearer <credential>` on every sync call. The server keeps only a
    /// hash of its secret part. Protocol 4: absent when the kiosk sent `secret_sha256` (it builds
    /// the credential from the enrollment's device id and its own secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
}

/// A device credential as text: `pvzd1.<device id>.<secret, base64url>`. The device id lets the server
/// find the row without scanning; only the secret's hash is stored.
#[derive(Clone, PartialEq, Eq)]
pub struct DeviceCredential {
    pub device_id: DeviceId,
    pub secret: String,
}

impl DeviceCredential {
    const PREFIX: &'static str = "pvzd1.";

    pub fn parse(raw: &str) -> Option<Self> {
        let rest = raw.strip_prefix(Self::PREFIX)?;
        let (device, secret) = rest.split_once('.')?;
        let secret_ok = (16..=128).contains(&secret.len())
            && secret.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !secret_ok {
            return None;
        }
        Some(Self { device_id: DeviceId::parse(device).ok()?, secret: secret.to_owned() })
    }

    pub fn to_text(&self) -> String {
        format!("{}{}.{}", Self::PREFIX, self.device_id, self.secret)
    }
}

impl std::fmt::Debug for DeviceCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceCredential").field("device_id", &self.device_id).field("secret", &"…").finish()
    }
}

/// One outbox op as pushed. `seq` is gap-free per device, starting at 1.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushOp {
    /// From 1 (400 otherwise), strictly ascending within a push.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub seq: i64,
    pub op_id: Uuid,
    /// When the counter did it (RFC 3339, the kiosk's clock).
    pub created_at: String,
    /// The manager logged in when it was done; `None` for ops from before staff login existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<EmployeeId>,
    pub body: OpBody,
}

/// `POST /v1/sync/push`: ops in ascending `seq`, at most [`MAX_PUSH_OPS`].
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    /// At most [`MAX_PUSH_OPS`] (400 otherwise).
    #[cfg_attr(feature = "openapi", schema(max_items = 500))]
    pub ops: Vec<PushOp>,
    /// The kiosk's clock when it sent the push (RFC 3339). The server keeps the device's clock offset
    /// from it and judges time-bound ops (a claim's return deadline) by the op's time corrected by
    /// that offset, not by the kiosk's clock alone. Absent from kiosks before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<String>,
}

/// How a server reads a push (protocol 4): the envelope strictly, each op's `seq` and `op_id` with it
/// (what the exactly-once machinery needs: one missing or mistyped refuses the whole request), and the
/// rest of each op on its own through [`EnvelopeOp::read`], so an op that does not parse (an id or a
/// text out of bounds, an unknown op type, a missing field) is rejected `invalid_input` alone. Its
/// wire form is [`PushRequest`]'s.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PushEnvelope {
    pub ops: Vec<EnvelopeOp>,
    #[serde(default)]
    pub now: Option<String>,
}

/// One op of a [`PushEnvelope`], its fields other than `seq` and `op_id` not read yet.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EnvelopeOp {
    pub seq: i64,
    pub op_id: Uuid,
    #[serde(flatten)]
    pub rest: serde_json::Map<String, serde_json::Value>,
}

/// A pushed op as read: its place in the device's sequence, and the op itself or why it does not
/// parse (the message of an `invalid_input` rejection).
#[derive(Debug, Clone, PartialEq)]
pub struct ReadOp {
    pub seq: i64,
    pub op_id: Uuid,
    pub op: Result<PushOp, String>,
}

/// Longest reason a server gives for an op that does not parse.
const MAX_INVALID_MESSAGE: usize = 300;

impl EnvelopeOp {
    /// Parses the op's fields, every id through its parser, and checks its texts and lists against
    /// their bounds (see [`crate::bounds`]).
    pub fn read(self) -> ReadOp {
        let EnvelopeOp { seq, op_id, mut rest } = self;
        rest.insert("seq".into(), seq.into());
        rest.insert("op_id".into(), op_id.to_string().into());
        let op = serde_json::from_value::<PushOp>(serde_json::Value::Object(rest))
            .map_err(|e| e.to_string())
            .and_then(|op| {
                pvz_domain::text::TIMESTAMP.check(&op.created_at).map_err(|e| e.to_string())?;
                op.body.check_bounds().map_err(|e| e.to_string())?;
                Ok(op)
            })
            .map_err(|why| {
                let why: String = why.chars().take(MAX_INVALID_MESSAGE).collect();
                format!("op seq {seq} is not valid: {why}")
            });
        ReadOp { seq, op_id, op }
    }
}

impl From<PushOp> for ReadOp {
    fn from(op: PushOp) -> Self {
        ReadOp { seq: op.seq, op_id: op.op_id, op: Ok(op) }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    /// One result per op handled, in order. Ops after a gap are not handled and get no result.
    pub results: Vec<OpResult>,
    /// Set when an op's seq was ahead of the next one the server expects: the batch stopped there and
    /// the kiosk resends from `expected_seq` (its outbox keeps every op).
    pub gap: Option<SeqGap>,
    /// The highest seq the server has applied or rejected for this device after this push.
    pub last_seq: i64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeqGap {
    pub expected_seq: i64,
    pub got_seq: i64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpResult {
    pub seq: i64,
    pub op_id: Uuid,
    pub outcome: OpOutcome,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum OpOutcome {
    /// Applied now, with its money effect (if any) posted to the ledger.
    Applied,
    /// This seq was handled before; `original` is what happened then. Nothing was applied again.
    Duplicate { original: StoredOutcome },
    /// Permanently refused; stored, the device's seq advanced, later ops are not blocked.
    Rejected { code: String, message: String },
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum StoredOutcome {
    Applied,
    Rejected { code: String, message: String },
}

impl From<StoredOutcome> for OpOutcome {
    fn from(stored: StoredOutcome) -> Self {
        match stored {
            StoredOutcome::Applied => OpOutcome::Applied,
            StoredOutcome::Rejected { code, message } => OpOutcome::Rejected { code, message },
        }
    }
}

/// Why an op was permanently rejected; `code` in [`OpOutcome::Rejected`].
pub mod reject {
    pub const ORDER_NOT_FOUND: &str = "order_not_found";
    pub const ITEM_NOT_IN_ORDER: &str = "item_not_in_order";
    /// The order was issued (or cancelled) by the time the op arrived.
    pub const ORDER_CLOSED: &str = "order_closed";
    /// An issue of an order whose goods have not reached the point: it is expected in a shipment
    /// not received yet, or every item of it was missing at receiving. Nothing was there to hand over.
    pub const ORDER_NOT_ARRIVED: &str = "order_not_arrived";
    /// The amounts in the op do not match the server's prices and the op's own fees.
    pub const AMOUNT_MISMATCH: &str = "amount_mismatch";
    /// Any other rule the op breaks; the message says which.
    pub const INVALID_OP: &str = "invalid_op";
    /// A claim return names a claim the server does not have.
    pub const CLAIM_NOT_FOUND: &str = "claim_not_found";
    /// A claim return for a claim that is open or rejected (never approved).
    pub const CLAIM_NOT_APPROVED: &str = "claim_not_approved";
    /// The claim was revoked (perhaps while the kiosk was offline): nothing is paid; the item is
    /// at the point and a person settles it.
    pub const CLAIM_REVOKED: &str = "claim_revoked";
    /// The item of this claim was already taken back (by another op or another point).
    pub const CLAIM_ALREADY_USED: &str = "claim_already_used";
    /// The op's order, item or compensation is not the claim's.
    pub const CLAIM_MISMATCH: &str = "claim_mismatch";
    /// The claim's item now goes to the seller directly: a pickup point must not take it.
    pub const CLAIM_TO_SELLER: &str = "claim_to_seller";
    /// The claim's item now stays with the buyer: no return through a pickup point is needed.
    pub const CLAIM_NO_RETURN: &str = "claim_no_return";
    /// The claim's route changed after this code was issued; only the newest code is valid.
    pub const CLAIM_CODE_REPLACED: &str = "claim_code_replaced";
    /// The item came after the claim's return deadline (judged by the kiosk's clock corrected by
    /// its offset from the server's).
    pub const CLAIM_RETURN_EXPIRED: &str = "claim_return_expired";
    /// Protocol 4: a claim return without the claim return code the counter scanned (an op queued
    /// by a kiosk before protocol 4): nothing is paid; the item is at the point and a person settles
    /// it.
    pub const CLAIM_CODE_MISSING: &str = "claim_code_missing";
    /// Protocol 4: the claim return's code is not one the network signed (malformed, or a signature
    /// none of the network's keys made): nothing is paid.
    pub const CLAIM_CODE_INVALID: &str = "claim_code_invalid";
    /// Protocol 4: the claim return's code is the network's, but names another claim, order, item,
    /// compensation or code issue than the op: nothing is paid.
    pub const CLAIM_CODE_MISMATCH: &str = "claim_code_mismatch";
    /// A badge (courier, driver) the server does not know for this point.
    pub const UNKNOWN_EMPLOYEE: &str = "unknown_employee";
    /// A box op names a box or a returned unit the server cannot place.
    pub const UNKNOWN_BOX: &str = "unknown_box";
    /// A receiving names a shipment this point does not expect (unknown, or another point's).
    pub const UNKNOWN_SHIPMENT: &str = "unknown_shipment";
    /// The shipment was received before (by this or another device of the point).
    pub const SHIPMENT_ALREADY_RECEIVED: &str = "shipment_already_received";
    /// A receiving places, misses or damages an item the shipment does not bring.
    pub const ITEM_NOT_IN_SHIPMENT: &str = "item_not_in_shipment";
    /// A move names a cell the item is not in (it was moved meanwhile, or never placed there).
    pub const ITEM_NOT_IN_CELL: &str = "item_not_in_cell";
    /// An issue says an item never arrived, but no receiving recorded it missing.
    pub const ITEM_NOT_MISSING: &str = "item_not_missing";
    /// The op does not parse: an id, a free-text field or a number out of its bounds, an unknown op
    /// type, or a field missing. The message says which; nothing of it was stored.
    pub const INVALID_INPUT: &str = "invalid_input";
    /// The op names another pickup point's order, shipment or claim: refused for that op alone.
    pub const OTHER_POINT: &str = "other_point";
    /// A shift close names a shift not opened on this device.
    pub const UNKNOWN_SHIFT: &str = "unknown_shift";
    /// The shift was closed before.
    pub const SHIFT_ALREADY_CLOSED: &str = "shift_already_closed";
}

/// The body of every 4xx/5xx answer. `code` is stable and machine-readable; `message` is for people
/// and never contains internals.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: String,
    pub message: String,
}

/// `code` values of [`ApiError`].
pub mod error_code {
    pub const BAD_REQUEST: &str = "bad_request";
    pub const UNAUTHORIZED: &str = "unauthorized";
    pub const FORBIDDEN: &str = "forbidden";
    pub const NOT_FOUND: &str = "not_found";
    pub const PAYLOAD_TOO_LARGE: &str = "payload_too_large";
    pub const UPGRADE_REQUIRED: &str = "upgrade_required";
    /// `seq` reused with a different op id: the device's store was replaced or cloned.
    pub const SEQ_CONFLICT: &str = "seq_conflict";
    pub const ENROLLMENT_CODE_INVALID: &str = "enrollment_code_invalid";
    /// 403 on enrollment: `previous_credential` names a device this server has, but its secret is
    /// not that device's. The code was not used.
    pub const PREVIOUS_CREDENTIAL_REJECTED: &str = "previous_credential_rejected";
    pub const UNAVAILABLE: &str = "unavailable";
    /// 429: too many enrollment attempts or failed credentials from this address, code or device;
    /// `Retry-After` says when to try again.
    pub const RATE_LIMITED: &str = "rate_limited";
    pub const INTERNAL: &str = "internal";
    /// The seller already decided this claim.
    pub const CLAIM_ALREADY_DECIDED: &str = "claim_already_decided";
    /// 409: the item cannot be claimed (refused at the counter, never arrived, not issued, or under
    /// an open claim already); the message says which.
    pub const ITEM_NOT_CLAIMABLE: &str = "item_not_claimable";
    /// 409: the action is not among the claim's `actions` for this caller now.
    pub const ACTION_NOT_AVAILABLE: &str = "action_not_available";
    /// 404: no op of the caller's point names this photo, or the caller may not see it, or (reading
    /// the bytes) it is not uploaded yet: the same answer as no such photo.
    pub const EVIDENCE_UNKNOWN: &str = "evidence_unknown";
    /// 409: an upload part does not start where the server's bytes end; read the upload's status
    /// and continue from its `received`.
    pub const UPLOAD_OFFSET_MISMATCH: &str = "upload_offset_mismatch";
    /// 422: the whole bytes do not hash to the photo's sha256; the parts were dropped, start again.
    pub const EVIDENCE_HASH_MISMATCH: &str = "evidence_hash_mismatch";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_round_trips_and_rejects_malformed_text() {
        let cred = DeviceCredential {
            device_id: DeviceId::parse("dev-1").expect("valid id"),
            secret: "abcdefghijklmnopqrstuvwxyz012345".into(),
        };
        assert_eq!(DeviceCredential::parse(&cred.to_text()), Some(cred.clone()), "text form must round-trip");
        for bad in ["", "pvzd1.", "pvzd1.dev-1", "pvzd1.dev-1.short", "pvzd2.dev-1.abcdefghijklmnopqrstuvwxyz", "x"] {
            assert_eq!(DeviceCredential::parse(bad), None, "{bad:?} must not parse as a credential");
        }
        assert!(!format!("{cred:?}").contains("abcdef"), "Debug must not print the secret");
    }

    #[test]
    fn outcomes_are_tagged_by_status() {
        let dup = OpOutcome::Duplicate { original: StoredOutcome::Applied };
        let json = serde_json::to_value(&dup).expect("serializes");
        assert_eq!(json, serde_json::json!({"status": "duplicate", "original": {"status": "applied"}}));
    }
}
