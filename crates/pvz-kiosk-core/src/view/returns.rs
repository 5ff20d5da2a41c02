//! What the window shows for everything that flows back through the point: a claim return at the
//! counter, a courier's hand-back, the returns desk with its boxes, and the documents each prints.
//! Transport DTOs exported to TypeScript, like the counter's in `view`.

use pvz_domain::{ClaimDecision, ClaimState, CompensationKind, FeeRule, ItemFate, Kopecks, RefusalReason, ReturnRoute};
use pvz_protocol::ReturnSource;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Приём возврата по претензии: the claim a scanned claim return code opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ClaimReturnView {
    pub claim_id: String,
    pub order_id: String,
    pub item_id: String,
    pub item_name: String,
    pub barcode: Option<String>,
    pub compensation: CompensationKind,
    /// The refund the buyer gets (0 for a replacement).
    pub amount: Kopecks,
    /// RFC 3339: the code's expiry.
    pub expires_at: String,
    /// The claim's state as the server said when the kiosk last asked; `None` when not asked
    /// (offline), and the code's signature is all the counter has.
    pub server_state: Option<ClaimState>,
    /// Why the claim was rejected or revoked, in the seller's or network's words.
    pub server_reason: Option<String>,
    /// RFC 3339: when the server was last asked; `None` when it could not be.
    pub status_checked_at: Option<String>,
    /// The claim's decision field as the server last said (`None` offline). The counter sees the
    /// decision and the item's fate, never the buyer's conversation with the seller.
    pub decision: Option<ClaimDecision>,
    /// Where the item is or is to go, as the server last said.
    pub item_fate: Option<ItemFate>,
    /// Where the item goes once approved, as the server last said.
    pub route: Option<ReturnRoute>,
    /// RFC 3339: the last moment the item is taken back here (the server's when it said one, else
    /// the code's).
    pub return_deadline: String,
    /// Set when the claim cannot be taken back here (the server's word, the route, a replaced code,
    /// the deadline): the counter shows it and accepting is refused.
    pub refusal: Option<ClaimRefusal>,
    /// The manager scanned the item and it is the claim's item.
    pub item_checked: bool,
    /// The code carries no barcode: the manager checks the item by eye (`check_claim_item`).
    pub check_by_eye: bool,
    /// The item's condition as the manager noted it.
    pub condition: String,
    pub photos: u32,
}

/// Why a claim return cannot be accepted, for the counter's banner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ClaimRefusal {
    NotApproved,
    Rejected,
    Revoked,
    AlreadyUsed,
    /// The return deadline passed.
    Expired,
    /// The item goes back to the seller directly.
    ToSeller,
    /// The item stays with the buyer.
    NoReturn,
    /// A route change issued a newer code; this one is replaced.
    CodeReplaced,
}

/// The label printed when a returned unit is taken in; its QR is the return id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ReturnLabelView {
    pub return_id: String,
    pub item_name: String,
    pub source: ReturnSource,
    /// For a claim return: the compensation and amount.
    pub compensation: Option<CompensationKind>,
    pub amount: Kopecks,
    pub accepted_at: String,
    /// `PVZR1:<return id>`.
    pub qr_text: String,
    pub qr_data_uri: String,
}

/// One line of a courier's hand-back: a manifest line, scanned or not yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct HandBackLineView {
    /// `None` for an extra item (not on the manifest, or no manifest offline).
    pub item_id: Option<String>,
    pub name: String,
    pub variant: String,
    pub code: Option<String>,
    /// Set once the manager scanned the item: its return unit and the reason recorded.
    pub scanned: Option<HandBackScanView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct HandBackScanView {
    pub return_id: String,
    pub code: String,
    /// `None` until the manager chose a reason.
    pub reason: Option<RefusalReason>,
    pub description: Option<String>,
    /// The fee for a buyer-side reason (0 for a defect: no charge, no return shipping).
    pub fee: Kopecks,
    /// Why the fee is what it is; `None` until a reason is chosen.
    pub fee_rule: Option<FeeRule>,
    /// The item matched no manifest line (an extra, or recorded without the manifest) and its reason
    /// is the buyer's: the server sets the fee when the hand-back syncs (the category's fee if it
    /// finds the item's line by its code, none for an extra), so `fee` is only the counter's guess
    /// and no total counts it.
    pub fee_set_by_server: bool,
}

/// Приём отказов от курьера in progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct HandBackView {
    pub hand_back_id: String,
    pub courier_id: String,
    pub courier_name: String,
    /// The manifest came from the server; `false`: offline, items are recorded ad hoc.
    pub manifest_loaded: bool,
    /// Manifest lines first (in manifest order), then extras in scan order.
    pub lines: Vec<HandBackLineView>,
    /// Manifest lines not scanned yet (they become "missing" on completion).
    pub missing: u32,
    /// Scanned items not on the manifest.
    pub extra: u32,
}

/// The acceptance act of a completed hand-back (акт приёма).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct HandBackActView {
    pub hand_back_id: String,
    pub courier_id: String,
    pub courier_name: String,
    pub accepted_by: String,
    pub completed_at: String,
    pub accepted: Vec<HandBackLineView>,
    /// Names of the manifest lines the courier did not bring.
    pub missing: Vec<String>,
    pub extra: u32,
    /// The fees of the manifest lines: what the ledger charges the buyers. An extra costs nothing
    /// and an item off the manifest gets the server's fee (`fee_set_by_server`), so neither counts.
    pub fees: Kopecks,
}

/// A returned unit waiting at the point or packed in a box.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ReturnItemView {
    pub return_id: String,
    pub item_name: String,
    pub code: Option<String>,
    pub source: ReturnSource,
    pub reason: Option<RefusalReason>,
    pub received_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BoxView {
    pub box_id: String,
    pub items: Vec<ReturnItemView>,
    /// RFC 3339; `None` while open.
    pub closed_at: Option<String>,
    /// `PVZB1:<box id>:<count>` once closed.
    pub label_qr_text: Option<String>,
    pub label_qr_data_uri: Option<String>,
}

/// Отправка возвратов: the returns desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ReturnsView {
    /// Returned units at the point, not in any box.
    pub waiting: Vec<ReturnItemView>,
    /// The box being filled; scans add to it.
    pub open_box: Option<BoxView>,
    /// Closed boxes not handed to a driver yet.
    pub closed_boxes: Vec<BoxView>,
    /// The driver whose badge was scanned at the desk: the closed boxes can be handed to them.
    pub driver: Option<StaffView>,
}

/// A courier or driver as the counter names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct StaffView {
    pub employee_id: String,
    pub name: String,
}

/// The act of a handover of boxes to a logistics driver (акт передачи).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct HandoverActView {
    pub handover_id: String,
    pub driver_id: String,
    pub driver_name: String,
    pub handed_at: String,
    pub boxes: Vec<BoxView>,
    pub items: u32,
}

/// A document the counter can print or export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum DocumentRef {
    Receipt { order_id: String },
    ReturnLabel { return_id: String },
    HandBackAct { hand_back_id: String },
    BoxLabel { box_id: String },
    HandoverAct { handover_id: String },
    ShiftReport { shift_id: String },
}

/// The format of an exported document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DocumentFormat {
    Pdf,
    Png,
    Html,
}
