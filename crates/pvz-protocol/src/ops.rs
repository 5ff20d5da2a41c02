//! Counter operations as they travel in the outbox and in a sync push. `op_id` (UUIDv7) is the
//! business key: the server applies each op once, whatever the retries.

use pvz_domain::{ItemId, Kopecks, OrderId, RefusalReason};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The manager's decision on one item.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ItemDecision {
    HandOver,
    Refuse { reason: RefusalReason, description: Option<String> },
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefusedItem {
    pub item_id: ItemId,
    pub reason: RefusalReason,
    pub description: Option<String>,
    pub fee: Kopecks,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum OpBody {
    /// The order card was opened at the counter.
    IssueOpened { order_id: OrderId },
    /// A decision on one item was recorded (replaces an earlier one).
    ItemDecided { order_id: OrderId, item_id: ItemId, decision: ItemDecision },
    /// A photo of the defect was attached to a refused item; the image travels separately.
    DefectPhotoAttached {
        order_id: OrderId,
        item_id: ItemId,
        photo_id: String,
        sha256: String,
        media_type: String,
        size_bytes: u64,
    },
    /// An earlier decision was taken back before the issue was completed.
    ItemDecisionCleared { order_id: OrderId, item_id: ItemId },
    /// Выдача completed: payment taken (if any), items handed over, refusals final.
    IssueCompleted {
        order_id: OrderId,
        handed_over: Vec<ItemId>,
        refused: Vec<RefusedItem>,
        collected: Kopecks,
        refunded: Kopecks,
        payment_taken: bool,
    },
}

impl OpBody {
    pub fn kind(&self) -> &'static str {
        match self {
            OpBody::IssueOpened { .. } => "issue_opened",
            OpBody::ItemDecided { .. } => "item_decided",
            OpBody::ItemDecisionCleared { .. } => "item_decision_cleared",
            OpBody::DefectPhotoAttached { .. } => "defect_photo_attached",
            OpBody::IssueCompleted { .. } => "issue_completed",
        }
    }
}
