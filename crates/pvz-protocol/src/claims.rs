//! Wire types of claims (претензии), courier manifests and the seller's API. A kiosk asks a claim's
//! current status when online (a claim return code alone is verified offline), and a courier's
//! manifest of refused items when the courier shows a badge; a seller decides its claims.

use crate::pull::EmployeeWire;
use pvz_domain::{
    ClaimDecision, ClaimId, ClaimState, Compensation, Decider, ItemFate, ItemId, Kopecks, OrderId, ReturnRoute,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `GET`, device credential: the claim's state now (decision, item fate, deadline), without its return
/// code (protocol 4): a kiosk has the code only from the buyer. 404 `not_found` for a claim the
/// server lacks.
pub const PATH_CLAIM_STATUS: &str = "/v1/claims/{claim_id}";
/// `GET`, device credential: the claims on an item of the device's own point, newest first
/// (`Vec<ClaimStatus>`), each with its decision and compensation but without its return code
/// (protocol 4). A refund without return has no code to scan: this is how the counter learns of it.
/// 404 `not_found` for an item the server lacks or one of another point.
pub const PATH_ITEM_CLAIMS: &str = "/v1/items/{item_id}/claims";
/// `GET`, device credential: refused items a courier is bringing to this point. 404 for an unknown
/// courier, 403 for a courier of another point.
pub const PATH_COURIER_MANIFEST: &str = "/v1/couriers/{courier_id}/manifest";
/// `GET`, seller credential: the seller's claims, newest first.
pub const PATH_SELLER_CLAIMS: &str = "/v1/seller/claims";
/// `POST` [`SellerDecision`], seller credential: approve or reject an open claim of this seller.
/// 409 `claim_already_decided` for a claim decided before.
pub const PATH_SELLER_CLAIM_DECISION: &str = "/v1/seller/claims/{claim_id}/decision";
/// `POST` [`NewClaimRequest`], buyer-front credential: a buyer opens a claim (201 [`ClaimStatus`]).
pub const PATH_CLAIMS: &str = "/v1/claims";
/// `GET ?buyer_id=`, buyer-front credential: that buyer's claims, newest first.
pub const PATH_BUYER_CLAIMS: &str = "/v1/buyer/claims";
/// `GET`, operator credential: claims the operator decides now (marketplace returns under review,
/// disputes), then every other, newest first.
pub const PATH_OPERATOR_CLAIMS: &str = "/v1/operator/claims";
/// `POST` [`ClaimActionRequest`], seller, operator or buyer-front credential: one of the claim's
/// `actions` for that caller. 409 `action_not_available` for any other.
pub const PATH_CLAIM_ACTIONS: &str = "/v1/claims/{claim_id}/actions";
/// `GET ?after=<next>` ([`MessagePage`]) / `POST` [`NewMessage`]: the claim's conversation between
/// the buyer (through the buyer front) and the seller; the operator reads and writes it too.
pub const PATH_CLAIM_MESSAGES: &str = "/v1/claims/{claim_id}/messages";
/// `POST` raw bytes with `Content-Type` (JPEG, PNG or PDF, at most [`MAX_ATTACHMENT_BYTES`]),
/// any party credential: stores a blob, answers its [`AttachmentRef`] to name in a claim or message.
pub const PATH_ATTACHMENTS: &str = "/v1/attachments";
/// `GET`, any party credential: an attachment's bytes.
pub const PATH_ATTACHMENT: &str = "/v1/attachments/{attachment_id}";

/// At most this many photos when a claim is opened.
pub const MAX_CLAIM_PHOTOS: usize = 10;
/// One attachment (photo or document) at most.
pub const MAX_ATTACHMENT_BYTES: u64 = 5 * 1024 * 1024;
/// All attachments of one message at most.
pub const MAX_MESSAGE_ATTACHMENT_BYTES: u64 = 30 * 1024 * 1024;
/// A message's text at most, in characters.
pub const MAX_MESSAGE_CHARS: usize = 1000;
/// A custom rejection comment: at least / at most, in characters.
pub const MIN_COMMENT_CHARS: usize = 10;
pub const MAX_COMMENT_CHARS: usize = 1000;

/// A claim as the server holds it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClaimStatus {
    pub claim_id: ClaimId,
    pub order_id: OrderId,
    pub item_id: ItemId,
    pub item_name: String,
    pub state: ClaimState,
    /// Set once approved.
    pub compensation: Option<Compensation>,
    /// Why it was rejected or revoked, in the seller's or network's words.
    pub reason: Option<String>,
    /// The buyer's description of the defect.
    pub description: String,
    /// A claim return code (`PVZC2.`; earlier ones `PVZC1.`), issued on approval with a refund or a replacement. Protocol 4:
    /// never sent to a device (it proves the buyer brought the item); the buyer front, the seller
    /// and the operator see it.
    pub return_code: Option<String>,
    /// The delivery of the missing part, created on approval with a missing part.
    pub part_order_id: Option<OrderId>,
    /// RFC 3339: when a pickup point took the item back.
    pub fulfilled_at: Option<String>,
    /// The decision field (under review, approved, rejected, disputed, revoked).
    #[serde(default)]
    pub decision: ClaimDecision,
    /// The item fate field: with the buyer, to or at a pickup point, to or at the seller.
    #[serde(default)]
    pub item_fate: ItemFate,
    /// Set once approved: where the item goes.
    #[serde(default)]
    pub route: Option<ReturnRoute>,
    /// Who decides: the operator (a marketplace return, within 14 days of payment) or the seller.
    #[serde(default)]
    pub decided_by: Decider,
    /// RFC 3339: when the buyer paid for the item (what the 14-day line counts from).
    #[serde(default)]
    pub paid_at: Option<String>,
    /// RFC 3339: when the claim was opened.
    #[serde(default)]
    pub opened_at: Option<String>,
    /// RFC 3339: the last moment the item is taken back through a pickup point.
    #[serde(default)]
    pub return_deadline: Option<String>,
    /// Where the buyer sends the item on the route to the seller.
    #[serde(default)]
    pub seller_address: Option<SellerAddress>,
    /// The template reason of a rejection, when one was chosen (the comment is `reason`).
    #[serde(default)]
    pub rejection_template: Option<RejectionTemplate>,
    /// The issue number of the claim's valid return code: a code with a lower one was replaced by a
    /// route change and is refused.
    #[serde(default = "crate::token::first_code_issue")]
    pub code_issue: u32,
    /// What the caller may do now; empty: read-only (always empty for a kiosk).
    #[serde(default)]
    pub actions: Vec<ClaimAction>,
}

/// The seller's own address for a return straight to it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SellerAddress {
    pub address: String,
    /// Opening hours, as the seller writes them ("пн-пт 10:00-19:00").
    pub hours: String,
}

/// A reason the marketplace offers for a rejection, beside a custom comment.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RejectionTemplate {
    /// The item was used or worn.
    SignsOfUse,
    /// The described flaw is not a manufacturing defect.
    NotADefect,
    /// The damage came from handling after delivery.
    DamagedAfterDelivery,
    /// The item is not the one the seller sent.
    NotOurItem,
}

/// What a caller may do with a claim now, as listed in [`ClaimStatus::actions`].
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClaimAction {
    /// Approve; the item comes back through a pickup point (refund or replacement).
    ApproveViaPickupPoint,
    /// Approve; the item goes to the seller directly (refund or replacement on receipt).
    ApproveToSeller,
    /// Approve; the item stays with the buyer (refund now, or a missing part sent).
    ApproveWithoutReturn,
    Reject,
    /// Take a rejection back to review (before any dispute about it is decided).
    Reconsider,
    /// Change an approved claim's route before the item was returned.
    ChangeRoute,
    /// The seller received the item sent to it: the refund is posted, or the replacement sent.
    ConfirmReceipt,
    /// The seller received the item and refuses the claim on it, with a reason.
    RefuseReceipt,
    /// The buyer contests a rejection (once); the operator then decides.
    Dispute,
    /// The operator keeps a disputed rejection.
    UpholdRejection,
    /// The network withdraws an open or approved claim; codes issued for it are refused.
    Revoke,
}

/// One action on a claim: `{"action": "<name>", ...}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ClaimActionRequest {
    /// `compensation`: a refund (full or partial) or a replacement.
    ApproveViaPickupPoint {
        compensation: Compensation,
    },
    /// `compensation`: a refund or a replacement, given when the seller confirms receipt.
    ApproveToSeller {
        compensation: Compensation,
        seller_address: SellerAddress,
    },
    /// `compensation`: a refund (posted at once) or a missing part (sent as its own delivery).
    ApproveWithoutReturn {
        compensation: Compensation,
    },
    /// A template reason, a custom comment of 10-1000 characters, or both.
    Reject {
        #[serde(default)]
        template: Option<RejectionTemplate>,
        #[serde(default)]
        comment: Option<String>,
    },
    Reconsider,
    /// The new route: `pickup_point` (a new return code), `seller` (with `seller_address`) or
    /// `no_return` (a refund is then posted at once).
    ChangeRoute {
        route: ReturnRoute,
        #[serde(default)]
        seller_address: Option<SellerAddress>,
    },
    ConfirmReceipt,
    RefuseReceipt {
        comment: String,
    },
    Dispute {
        comment: String,
    },
    UpholdRejection {
        #[serde(default)]
        comment: Option<String>,
    },
    Revoke {
        comment: String,
    },
}

impl ClaimActionRequest {
    /// The action this request asks for.
    pub fn action(&self) -> ClaimAction {
        match self {
            ClaimActionRequest::ApproveViaPickupPoint { .. } => ClaimAction::ApproveViaPickupPoint,
            ClaimActionRequest::ApproveToSeller { .. } => ClaimAction::ApproveToSeller,
            ClaimActionRequest::ApproveWithoutReturn { .. } => ClaimAction::ApproveWithoutReturn,
            ClaimActionRequest::Reject { .. } => ClaimAction::Reject,
            ClaimActionRequest::Reconsider => ClaimAction::Reconsider,
            ClaimActionRequest::ChangeRoute { .. } => ClaimAction::ChangeRoute,
            ClaimActionRequest::ConfirmReceipt => ClaimAction::ConfirmReceipt,
            ClaimActionRequest::RefuseReceipt { .. } => ClaimAction::RefuseReceipt,
            ClaimActionRequest::Dispute { .. } => ClaimAction::Dispute,
            ClaimActionRequest::UpholdRejection { .. } => ClaimAction::UpholdRejection,
            ClaimActionRequest::Revoke { .. } => ClaimAction::Revoke,
        }
    }
}

/// `POST /v1/claims`: a buyer's claim about an item of theirs that was issued and handed over.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewClaimRequest {
    pub buyer_id: String,
    pub order_id: OrderId,
    pub item_id: ItemId,
    /// The defect in the buyer's words (1-1000 characters).
    pub description: String,
    /// Up to [`MAX_CLAIM_PHOTOS`] attachment ids from `POST /v1/attachments` (400 for more).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 10))]
    pub photos: Vec<String>,
}

/// A stored attachment: its id is the sha256 of its bytes (hex).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AttachmentRef {
    pub id: String,
    /// `image/jpeg`, `image/png` or `application/pdf`.
    pub content_type: String,
    pub size: u64,
}

/// Who wrote a message.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MessageAuthor {
    Buyer,
    Seller,
    Operator,
}

/// `POST /v1/claims/{claim_id}/messages`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewMessage {
    /// At most [`MAX_MESSAGE_CHARS`] characters; may be empty when attachments are sent.
    #[serde(default)]
    pub text: String,
    /// Attachment ids from `POST /v1/attachments`: JPEG, PNG or PDF, [`MAX_ATTACHMENT_BYTES`] each,
    /// [`MAX_MESSAGE_ATTACHMENT_BYTES`] together.
    #[serde(default)]
    pub attachments: Vec<String>,
}

/// One message of a claim's conversation; never edited after it was sent.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ClaimMessage {
    /// Its place in the conversation, from 1.
    pub seq: i64,
    pub author: MessageAuthor,
    pub text: String,
    pub attachments: Vec<AttachmentRef>,
    /// RFC 3339.
    pub sent_at: String,
}

/// `GET /v1/claims/{claim_id}/messages?after=<next>`: the messages after the cursor, oldest first.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MessagePage {
    pub messages: Vec<ClaimMessage>,
    /// The cursor to ask from next time (the last message's seq, or the one sent when none came).
    pub next: i64,
    /// More messages wait after `next` (the page was full).
    pub more: bool,
}

/// The seller's decision on an open claim.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum SellerDecision {
    /// A refund may not exceed what the buyer paid for the item.
    Approve {
        compensation: Compensation,
    },
    Reject {
        reason: String,
    },
}

/// One refused item a courier is bringing back.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestLine {
    pub item_id: ItemId,
    pub order_id: OrderId,
    pub name: String,
    pub variant: String,
    pub barcode: Option<String>,
    pub mark: Option<String>,
    pub category: String,
    pub price: Kopecks,
    pub prepaid: bool,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourierManifest {
    pub courier: EmployeeWire,
    /// Items the courier carries that no point has accepted yet.
    pub lines: Vec<ManifestLine>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seller_decision_is_tagged_by_decision() {
        let approve = SellerDecision::Approve { compensation: Compensation::Refund { amount: Kopecks(100) } };
        assert_eq!(
            serde_json::to_value(&approve).expect("serializes"),
            serde_json::json!({"decision": "approve", "compensation": {"kind": "refund", "amount": 100}}),
            "the seller API's body shape is fixed"
        );
        let reject: SellerDecision =
            serde_json::from_str(r#"{"decision":"reject","reason":"следы носки"}"#).expect("parses");
        assert_eq!(reject, SellerDecision::Reject { reason: "следы носки".into() }, "a rejection carries its reason");
    }
}
