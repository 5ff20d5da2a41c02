//! The kiosk without a window: local SQLite store, counter operations with their outbox (выдача,
//! claim returns, courier hand-backs, return boxes, receiving into cells, storage expiry), the views the window renders, and sync with
//! the central server. The Tauri shell only adapts these calls.

mod audit;
mod badge;
mod boxes;
mod cells;
mod claim_return;
mod codes;
mod counter;
mod dispatch;
mod documents;
mod error;
mod evidence;
mod evidence_bundle;
mod expiry;
mod found;
mod hand_back;
mod hand_back_view;
mod issue_view;
mod paper;
mod pull;
pub mod receipt;
mod receiving;
mod receiving_scan;
mod returns_view;
mod scan_record;
mod shelf_view;
mod shift;
mod shift_export;
mod staff;
mod staff_view;
pub mod store;
pub mod sync;
mod view;

pub use boxes::box_label_qr_text;
pub use claim_return::return_label_qr_text;
pub use counter::{Clock, Kiosk};
pub use documents::PrinterView;
pub use error::{BadgeRefusal, ErrorKind, ErrorView, KioskError, Result};
pub use returns_view::{
    BoxView, ClaimRefusal, ClaimReturnView, DocumentFormat, DocumentRef, HandBackActView, HandBackLineView,
    HandBackScanView, HandBackView, HandoverActView, ReturnItemView, ReturnLabelView, ReturnsView, StaffView,
};
pub use shelf_view::{
    CellProposalView, CellView, ExpiredItemView, ExpiryView, FoundItemStatus, FoundItemView, ReceivingCounts,
    ReceivingItemState, ReceivingItemView, ReceivingView,
};
pub use staff_view::{
    ItemEventKind, ItemEventView, ItemHistoryView, ManagerChoice, OpenShiftView, PhotoRefView, ScanRecordView,
    SessionLock, SessionView, ShiftReportView,
};
pub use sync::{AttentionItem, CatchUpView, SyncStatusView};
pub use view::{
    CounterView, ItemView, KioskStatus, OrderView, ReceiptView, RecentIssue, ScanNotice, ScanOutcome, SettlementView,
};

pub use pvz_domain::Kopecks;
pub use pvz_print::Document;
pub use pvz_protocol::{DemoSeed, ItemDecision};
