//! What the window shows for the shelves: a receiving session (приёмка) with its proposal awaiting
//! the cell scan, an item found by any code, and the items past their storage period. Transport DTOs
//! exported to TypeScript, like the counter's in `view`.

use pvz_protocol::ReturnSource;
use serde::Serialize;
use ts_rs::TS;

/// Приёмка: the open receiving session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ReceivingView {
    pub receiving_id: String,
    pub shipment_id: String,
    /// The code on the shipment's label that opened it (scanning it again brings it back).
    pub shipment_code: String,
    /// RFC 3339, as the server announced it.
    pub expected_at: Option<String>,
    /// RFC 3339.
    pub opened_at: String,
    /// Every expected item, in the shipment's order.
    pub items: Vec<ReceivingItemView>,
    /// An item scanned and matched: the cell label scan it waits for.
    pub pending: Option<CellProposalView>,
    /// Codes scanned that matched no expected item, in scan order (each once).
    pub unexpected: Vec<String>,
    pub counts: ReceivingCounts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ReceivingItemView {
    pub item_id: String,
    pub order_id: String,
    /// Empty when the order is not in the kiosk's cache (then the item matches only by its id).
    pub short_code: String,
    pub buyer: String,
    pub name: String,
    pub variant: String,
    pub barcode: Option<String>,
    pub state: ReceivingItemState,
}

/// Where an expected item stands in the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
#[ts(export)]
pub enum ReceivingItemState {
    /// Not scanned yet (missing if the session closes now).
    Waiting,
    /// In `cell`, as scanned; `proposed_cell` is what the kiosk proposed (they differ when the
    /// manager chose another cell).
    Placed { cell: String, proposed_cell: String },
    /// Arrived damaged: recorded with a description and photos, not placed.
    Damaged { description: String, photos: u32 },
}

/// The cell the kiosk proposes for the item just scanned; the manager confirms by scanning a cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CellProposalView {
    pub item_id: String,
    pub name: String,
    pub proposed_cell: String,
    /// The cell already holds this buyer's items (else it is the emptiest cell with room).
    pub with_buyers_items: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ReceivingCounts {
    pub expected: u32,
    pub placed: u32,
    pub damaged: u32,
    pub waiting: u32,
    pub unexpected: u32,
}

/// An item found by one of its codes (barcode, mark, return label, item id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FoundItemView {
    /// `None` only for a returned unit that matched no known item (a courier's extra).
    pub item_id: Option<String>,
    pub order_id: Option<String>,
    pub short_code: Option<String>,
    pub buyer: Option<String>,
    pub name: String,
    pub variant: String,
    /// The cell it is in now (the kiosk's own placement first, then the server's).
    pub cell: Option<String>,
    pub status: FoundItemStatus,
    /// RFC 3339: when it arrived at the point, if known.
    pub arrived_at: Option<String>,
    /// Other items carrying the same code (a popular product's barcode is in many orders).
    pub other_matches: u32,
}

/// Where a found item is in its life at the point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "status", rename_all = "snake_case")]
#[ts(export)]
pub enum FoundItemStatus {
    /// Not at the point yet: expected in a shipment not received (`shipment_id`), or missing when
    /// its shipment was received.
    Expected { shipment_id: Option<String> },
    /// Arrived damaged at receiving and not placed.
    Damaged { description: String },
    /// In its cell, waiting for the buyer (it may be moved).
    OnShelf,
    /// Handed to the buyer.
    Issued { issued_at: Option<String> },
    /// Its order was issued without it: recorded missing at receiving, it never reached the point.
    NotArrived { issued_at: Option<String> },
    /// The network cancelled the order.
    Cancelled,
    /// A returned unit at the point or gone in a box.
    InReturns { return_id: String, source: ReturnSource, box_id: Option<String> },
}

/// Невостребованные: items still on the shelf past their storage period. Moving any item of an order
/// to returns moves the whole order (it is issued whole, and taken back whole).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ExpiryView {
    /// No storage policy pulled yet: nothing can be counted as past its period.
    pub policy_loaded: bool,
    /// Longest expired first.
    pub items: Vec<ExpiredItemView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ExpiredItemView {
    pub item_id: String,
    pub order_id: String,
    pub short_code: String,
    pub buyer: String,
    pub name: String,
    pub cell: String,
    /// RFC 3339: arrival (the kiosk's receiving, else the server's).
    pub arrived_at: String,
    /// RFC 3339: the local midnight from which it is past its period.
    pub expires_at: String,
    /// 1 on the first morning it is listed.
    pub days_over: u32,
}

/// One cell of the point and what it holds now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CellView {
    pub label: String,
    /// 0: out of use.
    pub capacity: u32,
    pub items: u32,
}
