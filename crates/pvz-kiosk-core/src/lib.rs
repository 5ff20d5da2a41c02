//! The kiosk without a window: local SQLite store, counter operations with their outbox (выдача,
//! claim returns, courier hand-backs, return boxes, receiving into cells, storage expiry), the views
//! the window renders, and sync with the central server. The Tauri shell only adapts these calls.
//!
//! Modules by capability, each using only those before it (`scripts/check-layout.py` checks):
//! the leaves `redact` (what a record outside the store may say of a signed code) and `logs` (the
//! log files), `store` (one file per table; the only module that sees SQL) and `view` (DTOs only)
//! <- `error` <- `store_lock` (one process per store) <- `kiosk` (the kiosk, its clock, ids, timestamps), `evidence`, `desk` (what is on the counter) <-
//! `codes` <- `issue`, `staff` <- `sync`, `shelves`, `audit` <- `returns` <- `documents` and the two
//! routers on top: `scan` (every scan routed from one place) and `screen` (the whole `CounterView`);
//! `diagnostics` («Диагностика», the zip for support) sits on top too.
//! `updates` (taking a downloaded release between shifts) beside them.

mod audit;
mod codes;
pub mod config;
mod desk;
mod diagnostics;
mod documents;
mod error;
mod evidence;
mod issue;
mod kiosk;
pub mod logs;
pub mod redact;
mod returns;
mod scan;
mod screen;
mod shelves;
mod staff;
pub mod store;
pub mod store_lock;
pub mod sync;
pub mod updates;
mod view;

pub use diagnostics::DiagnosticsRequest;
pub use documents::PrinterView;
pub use error::{BadgeRefusal, ErrorKind, ErrorView, KioskError, Result};
pub use kiosk::{Clock, Kiosk};
pub use returns::{box_label_qr_text, return_label_qr_text};
pub use sync::{AttentionItem, CatchUpView, SyncStatusView};
pub use view::{
    BoxView, CellProposalView, CellView, ClaimRefusal, ClaimReturnView, CounterView, DocumentFormat, DocumentRef,
    ExpiredItemView, ExpiryView, FoundItemStatus, FoundItemView, HandBackActView, HandBackLineView, HandBackScanView,
    HandBackView, HandoverActView, ItemEventKind, ItemEventView, ItemHistoryView, ItemView, KioskStatus, ManagerChoice,
    OpenShiftView, OrderView, PhotoRefView, ReceiptView, ReceivingCounts, ReceivingItemState, ReceivingItemView,
    ReceivingView, RecentIssue, ReturnItemView, ReturnLabelView, ReturnsView, ScanNotice, ScanOutcome, ScanRecordView,
    SessionLock, SessionView, SettlementView, ShiftReportView, StaffView,
};

pub use pvz_domain::Kopecks;
pub use pvz_print::Document;
pub use pvz_protocol::{ClaimStatus, DemoSeed, ItemDecision};
