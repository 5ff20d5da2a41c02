//! Wire types of the seller and operator web page (`/seller/`, served by `pvz-server`): signing in
//! (a seller's or operator's credential exchanged for an HttpOnly session cookie), the seller's
//! inbox, a claim's whole case, the seller's balance, and the operator's attention list and fleet.
//!
//! A web session is a cookie ([`SESSION_COOKIE`]: HttpOnly, SameSite=Strict, Secure over https)
//! naming a session row in the database, so every server instance honours it. Every request that
//! changes something also carries [`CSRF_HEADER`] with the session's `csrf_token` (403
//! `csrf_mismatch` without it). With the cookie, the page calls the same endpoints a seller's or
//! operator's bearer credential does (claims, actions, messages, attachments, evidence).

use crate::claims::{AttachmentRef, ClaimStatus};
use pvz_domain::{ClaimId, ItemId, Kopecks, OrderId};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `POST` [`WebSignIn`] → [`WebSession`] and the cookie; `GET` → the current [`WebSession`] (401
/// without a valid cookie); `DELETE` (with [`CSRF_HEADER`]) → 204, the session ended everywhere.
pub const PATH_WEB_SESSION: &str = "/v1/web/session";
/// `GET ?filter=<InboxFilter>`, seller: the claims of one folder, newest first, and every folder's count.
pub const PATH_SELLER_INBOX: &str = "/v1/seller/inbox";
/// `GET`, seller or operator: a claim's whole case ([`ClaimCase`]); 404 for another seller's claim.
pub const PATH_CLAIM_CASE: &str = "/v1/claims/{claim_id}/case";
/// `GET`, seller: its balance and the ledger lines of its claims ([`SellerBalance`]).
pub const PATH_SELLER_BALANCE: &str = "/v1/seller/balance";
/// `GET`, operator: ops the server rejected, across points, newest first ([`RejectedOp`]).
pub const PATH_OPERATOR_ATTENTION: &str = "/v1/operator/attention";
/// `GET`, operator: every device's last sync as it reported it ([`FleetDevice`]).
pub const PATH_OPERATOR_FLEET: &str = "/v1/operator/fleet";

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "pvz_session";
/// The header a session's changing request carries its `csrf_token` in.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Sent by a kiosk on its sync calls: ops in its outbox not yet answered (for the fleet view).
pub const OUTBOX_WAITING_HEADER: &str = "x-pvz-outbox-waiting";

/// `POST` [`PATH_WEB_SESSION`]: the credential as the seller or operator was given it
/// (`pvzs1.…` or `pvzo1.…`); never stored by the page.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WebSignIn {
    pub credential: String,
}

/// Who a web session is.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WebParty {
    Seller,
    Operator,
}

/// A signed-in session as the page sees it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WebSession {
    pub party: WebParty,
    /// The seller's id or the operator's name.
    pub name: String,
    /// Sent back in [`CSRF_HEADER`] on every changing request; kept in memory only.
    pub csrf_token: String,
    /// RFC 3339.
    pub expires_at: String,
}

/// The seller's inbox folders.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum InboxFilter {
    /// Under review, waiting for the seller's decision.
    New,
    /// Approved with a return; the item is not back yet.
    AwaitingItem,
    /// Decided and settled or rejected, within the last 30 days.
    Decided,
    /// The buyer disputed a rejection; the network decides.
    Disputed,
    /// Everything older.
    Archive,
}

/// How many claims each folder holds.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct InboxCounts {
    pub new: u32,
    pub awaiting_item: u32,
    pub decided: u32,
    pub disputed: u32,
    pub archive: u32,
}

/// `GET` [`PATH_SELLER_INBOX`].
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClaimInbox {
    pub filter: InboxFilter,
    pub counts: InboxCounts,
    pub claims: Vec<ClaimStatus>,
}

/// The claimed item as it was sold.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CaseItem {
    pub item_id: ItemId,
    pub name: String,
    pub price: Kopecks,
    pub barcode: Option<String>,
}

/// The order the item came in.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CaseOrder {
    pub order_id: OrderId,
    pub pickup_point_id: String,
}

/// What happened to the item at a counter.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CounterEventKind {
    /// Received into a cell from a shipment.
    Received,
    /// Recorded damaged at receiving.
    DamagedAtReceiving,
    /// Handed over to the buyer.
    Issued,
    /// Refused by the buyer at the counter.
    Refused,
    /// Taken back on the claim.
    Returned,
}

/// One counter event of the claimed item, oldest first.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CounterEvent {
    /// RFC 3339, the counter's time of the op.
    pub at: String,
    pub kind: CounterEventKind,
    pub pickup_point_id: String,
    /// The refusal's reason and description, the damage, or the returned item's condition.
    pub detail: Option<String>,
}

/// `GET` [`PATH_CLAIM_CASE`]: everything the claim page shows but the conversation and the photos
/// (`GET /v1/claims/{id}/messages`, `GET /v1/claims/{id}/evidence`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClaimCase {
    /// With `actions`: what this caller may do now.
    pub claim: ClaimStatus,
    pub item: CaseItem,
    pub order: CaseOrder,
    /// The buyer's photos sent with the claim.
    pub buyer_photos: Vec<AttachmentRef>,
    pub counter_events: Vec<CounterEvent>,
}

/// One ledger line of the seller's account.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LedgerLine {
    /// RFC 3339.
    pub at: String,
    /// Negative: debited from the seller.
    pub amount: Kopecks,
    pub claim_id: Option<ClaimId>,
    pub order_id: Option<OrderId>,
    /// What it was, in the ledger's words (e.g. `claim refund`).
    pub description: String,
}

/// `GET` [`PATH_SELLER_BALANCE`].
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SellerBalance {
    pub balance: Kopecks,
    /// Newest first.
    pub lines: Vec<LedgerLine>,
}

/// An op the server rejected: the network-wide attention list.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RejectedOp {
    pub op_id: String,
    pub op_type: String,
    pub device_id: String,
    pub pickup_point_id: String,
    pub seq: i64,
    /// The reject code (`other_point`, `claim_code_invalid`, …).
    pub reason: String,
    pub message: String,
    /// RFC 3339, when the server got it.
    pub received_at: String,
}

/// One device of the fleet.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FleetDevice {
    pub device_id: String,
    pub pickup_point_id: String,
    pub name: String,
    /// RFC 3339; `None`: never synced.
    pub last_sync_at: Option<String>,
    /// Ops the server has received (its last seq).
    pub ops_received: i64,
    /// Ops waiting in its outbox, as it last reported ([`OUTBOX_WAITING_HEADER`]).
    pub ops_waiting: Option<i64>,
    pub app_version: Option<String>,
    pub protocol: Option<i64>,
    /// Its clock minus the server's, in seconds, as measured at its last push.
    pub clock_offset_seconds: Option<i64>,
    pub revoked: bool,
}
