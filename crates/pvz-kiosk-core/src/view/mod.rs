//! What the counter window shows: transport DTOs built from the store, exported to TypeScript.

pub(crate) mod returns;
pub(crate) mod shelves;
pub(crate) mod staff;

pub use returns::*;
pub use shelves::*;
pub use staff::*;

use pvz_domain::{FeeRule, Kopecks, OrderStatus, RefusalReason};
use pvz_protocol::ItemDecision;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ItemView {
    pub item_id: String,
    pub name: String,
    pub variant: String,
    pub cell: String,
    pub price: Kopecks,
    pub prepaid: bool,
    pub category: String,
    pub barcode: Option<String>,
    pub decision: Option<ItemDecision>,
    /// Set for refused items: the return-logistics fee and why it is what it is.
    pub fee: Option<Kopecks>,
    pub fee_rule: Option<FeeRule>,
    /// Defect photos attached to this item.
    pub photos: u32,
    /// This counter's receiving recorded it missing and it was put in no cell since: it is not at
    /// the point, and the buyer may take the rest of the order without it (decision `not_arrived`).
    pub missing_at_receiving: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SettlementView {
    pub to_collect: Kopecks,
    pub to_refund: Kopecks,
    pub goods_to_collect: Kopecks,
    pub fees: Kopecks,
    pub undecided: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct OrderView {
    pub order_id: String,
    pub short_code: String,
    pub buyer: String,
    pub status: OrderStatus,
    pub issued_at: Option<String>,
    pub items: Vec<ItemView>,
    pub settlement: SettlementView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ReceiptView {
    pub op_id: String,
    pub order_id: String,
    pub short_code: String,
    pub issued_at: String,
    pub handed_over: Vec<ItemView>,
    pub refused: Vec<ItemView>,
    /// Recorded missing at receiving and not at the point when the buyer came: not handed over,
    /// not paid for, refunded when prepaid.
    pub not_arrived: Vec<ItemView>,
    pub collected: Kopecks,
    pub refunded: Kopecks,
    /// The receipt's QR code (operation id) as an SVG data URI.
    pub qr_data_uri: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RecentIssue {
    pub order_id: String,
    pub short_code: String,
    pub buyer: String,
    pub issued_at: String,
    pub handed_over: u32,
    pub refused: u32,
    pub not_arrived: u32,
    pub refusal_reasons: Vec<RefusalReason>,
    pub collected: Kopecks,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct KioskStatus {
    pub enrolled: bool,
    pub pickup_point: String,
    pub device_id: String,
    pub ops_waiting: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CounterView {
    pub status: KioskStatus,
    /// What is in front on the counter: one screen at a time.
    pub screen: Screen,
    pub recent: Vec<RecentIssue>,
    /// The open receiving session (приёмка), if any. It takes item scans when no other work is on
    /// the counter, stays open (kept in the store) behind any screen, and shows when it is `Home`.
    pub receiving: Option<ReceivingView>,
    /// How many items are past their storage period now: the morning reminder, always counted.
    pub overdue_items: u32,
    /// Who works the counter (PIN login), whether it is locked, and the open shift.
    pub session: SessionView,
    /// The open shift's running report, or the closed shift's report until it is dismissed.
    pub shift_report: Option<ShiftReportView>,
}

/// The counter's foreground. Several pieces of work may be open at once (the returns desk behind
/// the handover act just done); the first in this order is in front, the next comes back when it is
/// set aside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", content = "view", rename_all = "snake_case")]
#[ts(export)]
pub enum Screen {
    /// Nothing in front: the scan prompt, the shift, today's issues (or the receiving in progress).
    Home,
    /// The open order card.
    Order(OrderView),
    /// The receipt of the issue just confirmed.
    Receipt(ReceiptView),
    /// A claim return code was scanned: the claim on the counter.
    ClaimReturn(ClaimReturnView),
    /// The label of the unit just taken in (after a claim return).
    ReturnLabel(ReturnLabelView),
    /// A courier's hand-back in progress.
    HandBack(HandBackView),
    /// The act of the hand-back just completed.
    HandBackAct(HandBackActView),
    /// The act of the handover just done.
    HandoverAct(HandoverActView),
    /// The returns desk is open (boxes).
    ReturnsDesk(ReturnsView),
    /// The item `find_item` found; a cell label scanned now moves it there.
    FoundItem(FoundItemView),
    /// The list of items past their storage period, while it is open (`open_expiry`).
    Expiry(ExpiryView),
}

impl Screen {
    /// The order card, when it is in front.
    pub fn order(&self) -> Option<&OrderView> {
        match self {
            Self::Order(v) => Some(v),
            _ => None,
        }
    }

    /// The receipt, when it is in front.
    pub fn receipt(&self) -> Option<&ReceiptView> {
        match self {
            Self::Receipt(v) => Some(v),
            _ => None,
        }
    }

    /// The claim return, when it is in front.
    pub fn claim_return(&self) -> Option<&ClaimReturnView> {
        match self {
            Self::ClaimReturn(v) => Some(v),
            _ => None,
        }
    }

    /// The return label, when it is in front.
    pub fn return_label(&self) -> Option<&ReturnLabelView> {
        match self {
            Self::ReturnLabel(v) => Some(v),
            _ => None,
        }
    }

    /// The hand-back in progress, when it is in front.
    pub fn hand_back(&self) -> Option<&HandBackView> {
        match self {
            Self::HandBack(v) => Some(v),
            _ => None,
        }
    }

    /// The hand-back act, when it is in front.
    pub fn hand_back_act(&self) -> Option<&HandBackActView> {
        match self {
            Self::HandBackAct(v) => Some(v),
            _ => None,
        }
    }

    /// The handover act, when it is in front.
    pub fn handover_act(&self) -> Option<&HandoverActView> {
        match self {
            Self::HandoverAct(v) => Some(v),
            _ => None,
        }
    }

    /// The returns desk, when it is in front.
    pub fn returns_desk(&self) -> Option<&ReturnsView> {
        match self {
            Self::ReturnsDesk(v) => Some(v),
            _ => None,
        }
    }

    /// The found item, when it is in front.
    pub fn found_item(&self) -> Option<&FoundItemView> {
        match self {
            Self::FoundItem(v) => Some(v),
            _ => None,
        }
    }

    /// The expiry list, when it is in front.
    pub fn expiry(&self) -> Option<&ExpiryView> {
        match self {
            Self::Expiry(v) => Some(v),
            _ => None,
        }
    }

    /// Nothing is in front.
    pub fn is_home(&self) -> bool {
        matches!(self, Self::Home)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum ScanNotice {
    OrderOpened,
    ItemMatched {
        item_id: String,
    },
    ClaimOpened,
    ClaimItemChecked,
    HandBackStarted,
    /// An item scanned into the hand-back; it needs a reason next.
    HandBackItemScanned {
        return_id: String,
    },
    BoxItemAdded {
        return_id: String,
    },
    /// A driver's badge: the closed boxes are ready to hand over.
    DriverIdentified {
        driver_id: String,
        driver_name: String,
    },
    /// A shipment's code opened receiving (or brought the open session back to the counter).
    ShipmentOpened {
        shipment_id: String,
    },
    /// An item of the shipment was scanned: the kiosk proposes a cell and waits for its label.
    ReceivingItemMatched {
        item_id: String,
        proposed_cell: String,
    },
    /// A cell label confirmed where the item went.
    ItemPlaced {
        item_id: String,
        cell: String,
    },
    /// A code matching no expected item was recorded as a discrepancy (`new`: not recorded before).
    UnexpectedRecorded {
        code: String,
        new: bool,
    },
    /// An item code scanned while a found item is shown: this one is shown now.
    ItemFound {
        item_id: Option<String>,
    },
    /// The found item moved to another cell.
    ItemMoved {
        item_id: String,
        from: String,
        to: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ScanOutcome {
    pub view: CounterView,
    pub notice: Option<ScanNotice>,
}
