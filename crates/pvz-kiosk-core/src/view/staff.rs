//! What the window shows for staff and the audit trail: who works the counter and whether it is
//! locked, the shift and its report, and an item's history with its scans. Transport DTOs exported
//! to TypeScript, like the counter's in `view`.

use crate::view::returns::StaffView;
use pvz_domain::{RefusalReason, ShiftReport};
use serde::Serialize;
use ts_rs::TS;

/// The counter's login state. When `login_required` is false (no manager with a PIN was ever cached,
/// e.g. a demo kiosk) the counter works without anyone logged in and without a shift, as before staff
/// login. Once true it stays true.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SessionView {
    pub login_required: bool,
    /// Login is required but no manager who can log in is cached (a reset is rebuilding the employee
    /// list, or the point's managers were retired): the PIN screen says to wait for sync, and the
    /// counter refuses work until a manager arrives.
    pub waiting_for_sync: bool,
    /// The managers to pick from on the PIN screen (active, with a PIN), by name.
    pub managers: Vec<ManagerChoice>,
    /// The manager logged in and not idle-locked.
    pub logged_in: Option<StaffView>,
    /// Why the PIN screen shows although someone logged in: idle lock.
    pub lock: Option<SessionLock>,
    /// RFC 3339: when the session locks if nothing happens before (for a countdown).
    pub idle_lock_at: Option<String>,
    /// This device's open shift.
    pub shift: Option<OpenShiftView>,
}

/// One manager on the PIN screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ManagerChoice {
    pub employee_id: String,
    pub name: String,
    /// RFC 3339: set while this manager is locked out after wrong PINs.
    pub locked_until: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum SessionLock {
    /// No activity for the idle time: the same or another manager enters a PIN to go on.
    Idle { manager: StaffView },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct OpenShiftView {
    pub shift_id: String,
    /// RFC 3339.
    pub opened_at: String,
    /// `None` on a counter that works without login.
    pub opened_by: Option<StaffView>,
}

/// Отчёт за смену: the running report of the open shift, or the report fixed at closing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ShiftReportView {
    pub shift_id: String,
    pub pickup_point: String,
    pub device_id: String,
    pub opened_at: String,
    pub opened_by: Option<StaffView>,
    /// `None` while the shift is open (the figures are so far).
    pub closed_at: Option<String>,
    pub closed_by: Option<StaffView>,
    /// Ops the server rejected are left out of the money figures (their counts stay: the counter did
    /// the work); a closed shift's report keeps what it held at closing.
    pub report: ShiftReport,
    /// The shift's counter ops (its own opening and closing aside) the server has not answered yet:
    /// until it does, the money figures may change.
    pub ops_pending: u32,
    /// The shift's counter ops the server rejected.
    pub ops_rejected: u32,
}

/// История товара: every event of one item, newest last, and every scan of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ItemHistoryView {
    pub item_id: String,
    pub order_id: Option<String>,
    pub name: Option<String>,
    pub barcode: Option<String>,
    /// The item's cell as the cache last said.
    pub cell: Option<String>,
    pub events: Vec<ItemEventView>,
    pub scans: Vec<ScanRecordView>,
    /// Other items the same code matched (the same product in several orders): look them up by id.
    pub also_matches: Vec<String>,
}

/// What happened to an item in one counter operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ItemEventKind {
    /// The order card was opened at the counter.
    Opened,
    /// Decided to hand over.
    DecidedHandOver,
    /// Refused (reason, and description for a defect).
    Refused,
    /// Left out as not arrived (recorded missing at receiving, not at the point).
    DecidedNotArrived,
    DecisionCleared,
    PhotoAttached,
    /// Выдача completed with the item handed over.
    Issued,
    /// Выдача completed with the item refused (a returned unit now).
    IssuedRefused,
    /// Выдача completed without the item: it never reached the point.
    IssuedNotArrived,
    ClaimReturn,
    HandedBackByCourier,
    /// A courier's manifest line the courier did not bring.
    MissingFromHandBack,
    Boxed,
    HandedToDriver,
    ReceivedIntoCell,
    MissingAtReceiving,
    DamagedAtReceiving,
    Moved,
    /// Past the storage period: moved to returns as unredeemed.
    Expired,
    /// An op of a kind this kiosk version does not describe.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ItemEventView {
    /// The op id: what an evidence bundle is exported for.
    pub event_id: String,
    pub seq: i64,
    /// RFC 3339.
    pub at: String,
    pub event: ItemEventKind,
    /// The op's wire kind, e.g. `item_decided`.
    pub op_kind: String,
    /// The manager on duty; `None` where login was not required.
    pub operator: Option<StaffView>,
    pub device_id: String,
    pub reason: Option<RefusalReason>,
    /// A defect description, a claim item's condition, a cell move `A-1 → B-2`, or a damage note.
    pub note: Option<String>,
    pub cell: Option<String>,
    pub photos: Vec<PhotoRefView>,
    /// `pending`, `applied` or `rejected` (the server's verdict on the op).
    pub sync_state: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PhotoRefView {
    pub photo_id: String,
    pub sha256: String,
    pub media_type: String,
}

/// One line of the scan log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ScanRecordView {
    /// RFC 3339.
    pub scanned_at: String,
    /// The code as the counter read it (normalized).
    pub text: String,
    /// What it was classified as, e.g. `ean13`, `pickup_token`, `unknown`.
    pub kind: String,
    pub operator: Option<StaffView>,
    /// What it did: the notice (`item_matched`, `order_opened`…) or the error kind that refused it.
    pub outcome: String,
}
