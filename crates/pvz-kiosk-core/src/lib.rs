//! The kiosk without a window: local SQLite store, counter operations with their outbox, and the
//! views the window renders, and sync with the central server. The Tauri shell only adapts these calls.

mod counter;
mod error;
mod evidence;
mod issue_view;
mod pull;
pub mod receipt;
mod returns_view;
pub mod store;
pub mod sync;
mod view;

pub use counter::{Clock, Kiosk};
pub use error::{ErrorKind, ErrorView, KioskError, Result};
pub use returns_view::{
    BoxView, ClaimRefusal, ClaimReturnView, DocumentFormat, DocumentRef, HandBackActView, HandBackLineView,
    HandBackScanView, HandBackView, HandoverActView, ReturnItemView, ReturnLabelView, ReturnsView,
};
pub use sync::{AttentionItem, CatchUpView, SyncStatusView};
pub use view::{
    CounterView, ItemView, KioskStatus, OrderView, ReceiptView, RecentIssue, ScanNotice, ScanOutcome, SettlementView,
};

pub use pvz_domain::Kopecks;
pub use pvz_protocol::{DemoSeed, ItemDecision};
