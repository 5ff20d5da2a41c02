//! The one error type of the kiosk core. The UI gets `{kind, message, detail}` and translates by `kind`.

use crate::store::StoreError;
use pvz_domain::TextError;
use pvz_protocol::bounds::BoundsError;
use serde::Serialize;
use ts_rs::TS;

/// Why a signed badge (or an old unsigned one) is not accepted: the banner says it in the manager's
/// language from this, while the message keeps the ids and numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadgeRefusal {
    /// Nobody the feed cached for this point (or the holder of a badge picked earlier is gone).
    NotStaff,
    /// The network never issued this person a badge.
    NeverIssued,
    /// A newer badge was issued (a lost badge is revoked so).
    Replaced,
    /// Issued after this counter's last pull: syncing first will tell it.
    NewerThanKnown,
    /// The old `PVZE1:` badge, which anyone could print.
    Unsigned,
}

impl BadgeRefusal {
    pub fn as_str(self) -> &'static str {
        match self {
            BadgeRefusal::NotStaff => "not_staff",
            BadgeRefusal::NeverIssued => "never_issued",
            BadgeRefusal::Replaced => "replaced",
            BadgeRefusal::NewerThanKnown => "newer_than_known",
            BadgeRefusal::Unsigned => "unsigned",
        }
    }
}

/// Why an order is not at the point: the banner says what to do from this. Still expected, the
/// shipment is to be received (maybe another counter did and this one has not synced yet); recorded
/// missing, no receiving will bring it: the network marks it arrived once the goods turn up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotArrived {
    /// Its shipment is not received, as far as this counter knows.
    Expected,
    /// Its shipment was received (here, or the feed says so) and every item of it was missing.
    RecordedMissing,
}

impl NotArrived {
    /// The error's detail: none for an order still expected (the plain text says it).
    pub fn detail(self) -> Option<&'static str> {
        match self {
            NotArrived::Expected => None,
            NotArrived::RecordedMissing => Some("recorded_missing"),
        }
    }
}

impl std::fmt::Display for NotArrived {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            NotArrived::Expected => "receive its shipment first",
            NotArrived::RecordedMissing => {
                "its items were all recorded missing at receiving; if they turned up, the network marks it arrived"
            }
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KioskError {
    #[error("this code is not a buyer code or an item code: {why}")]
    UnknownCode { why: String },
    #[error("this code belongs to another pickup point")]
    ForeignCode,
    #[error("this code is not signed by our network")]
    BadSignature,
    #[error("this code expired at {expired_at}")]
    TokenExpired { expired_at: String },
    #[error("no order with this code is waiting at this pickup point")]
    OrderNotFound,
    #[error("this order was already issued at {issued_at}")]
    AlreadyIssued { issued_at: String },
    /// The network cancelled the order (learnt from the pull feed): nothing may be handed over.
    #[error("this order was cancelled by the network; do not hand it over")]
    OrderCancelled,
    #[error("this item is not part of the open order")]
    ItemNotInOrder,
    /// Честный ЗНАК: the product is in the order, but the order expects the unit with another mark
    /// (same GTIN, other serial): possibly a swapped unit, so it is not handed over.
    #[error("another unit of this product: its marking code is not the one the order expects")]
    OtherUnitOfItem,
    #[error("open an order first")]
    NoActiveOrder,
    #[error("describe the defect before refusing the item as defective")]
    DefectNeedsDescription,
    /// A buyer-side refusal needs the point's fee policy, and none has been pulled yet (a fresh
    /// enrollment or a reset): the refusal is not recorded rather than fixed with a made-up fee.
    #[error("the fee policy is not loaded yet; wait for sync")]
    FeePolicyMissing,
    #[error("{0} item(s) still need a decision")]
    UndecidedItems(usize),
    #[error("confirm that the payment was taken")]
    PaymentNotConfirmed,
    #[error("the amount due changed from {shown} to {due}; check it with the buyer")]
    AmountChanged { shown: pvz_domain::Kopecks, due: pvz_domain::Kopecks },
    #[error("this kiosk is not enrolled to a pickup point yet")]
    NotEnrolled,
    #[error("invalid input: {0}")]
    InvalidInput(String),
    #[error("the central server cannot be reached: {0}")]
    ServerUnreachable(String),
    /// The server was reached but failed (a 500): the network is fine, the server is not. Retried
    /// with backoff like an unreachable server, but not shown as offline.
    #[error("the central server failed: {0}")]
    ServerError(String),
    #[error("the server refused the enrollment code: {0}")]
    EnrollmentRefused(String),
    #[error("this kiosk is already enrolled to pickup point {current}; it cannot join {requested}")]
    EnrolledElsewhere { current: String, requested: String },
    /// The server at the address does not hold the network key the enrollment code names: maybe an
    /// impostor, maybe a wrong address. Nothing of its answer was stored.
    #[error("the server at this address does not hold the key the enrollment code names; nothing was stored")]
    ServerKeyMismatch,
    /// Plain http to a server beyond this machine, not allowed by `PVZ_ALLOW_PLAIN_HTTP=1`.
    #[error(
        "plain http to {0} is refused: use https, or allow plain http on a trusted network (PVZ_ALLOW_PLAIN_HTTP=1)"
    )]
    InsecureServerAddress(String),
    #[error("this kiosk is not connected to a central server")]
    NotConnected,
    #[error("device credential not accepted by the server; enroll the kiosk again")]
    CredentialRejected,
    #[error("the server needs a newer kiosk: update the kiosk")]
    UpgradeRequired,
    /// Any other refusal of a sync call; `message` is the server's text for people.
    #[error("the server refused the sync ({code}): {message}")]
    SyncRefused { code: String, message: String },
    /// The server says the claim waits for the seller's decision (or does not know it): nothing to take back yet.
    #[error("this claim is not approved by the seller; the item cannot be taken back")]
    ClaimNotApproved,
    #[error("the seller rejected this claim: {reason}")]
    ClaimRejected { reason: String },
    #[error("this claim was revoked: {reason}")]
    ClaimRevoked { reason: String },
    #[error("the item of this claim was already taken back")]
    ClaimAlreadyUsed,
    /// The claim's route sends the item to the seller directly: a pickup point must not take it.
    #[error("this item goes back to the seller directly; do not accept it")]
    ClaimToSeller,
    /// The claim was approved without a return: the buyer keeps the item.
    #[error("the item stays with the buyer; no return through a pickup point is needed")]
    ClaimNoReturn,
    /// A route change issued a newer code for this claim; the scanned one is refused.
    #[error("this code was replaced; ask the buyer for the new code")]
    ClaimCodeReplaced,
    /// The claim's return deadline (RFC 3339) passed: the signed code says so even offline.
    #[error("the return deadline of this claim passed at {deadline}")]
    ClaimReturnExpired { deadline: String },
    #[error("this is another item, not the one the claim is about")]
    ClaimOtherItem,
    /// A missing-part claim: the part travels to the buyer as its own order, the item stays with them.
    #[error("this claim needs no item back (a missing part is delivered to the buyer); nothing to accept")]
    ClaimNothingToReturn,
    #[error("scan the claim's item first, to check it is the right one")]
    ClaimItemNotChecked,
    #[error("note the item's condition before accepting it")]
    ClaimConditionMissing,
    #[error("scan a claim return code first")]
    NoActiveClaim,
    /// No badge of anyone working with this point now; `why` says which case: nobody known, a
    /// badge replaced by a newer one (a lost badge is revoked so), or an old unsigned badge.
    #[error("this badge is not accepted here: {why}")]
    UnknownBadge { refusal: BadgeRefusal, why: String },
    #[error("this badge belongs to someone who no longer works with the network")]
    RetiredBadge,
    /// A badge of the wrong kind for what was asked: `expected` is the role needed.
    #[error("this badge is not a {expected}'s")]
    WrongRole { expected: String },
    #[error("a courier's hand-back is in progress: complete it or cancel it first")]
    HandBackInProgress,
    #[error("scan a courier's badge to start a hand-back first")]
    NoActiveHandBack,
    #[error("no item was scanned into the hand-back")]
    HandBackEmpty,
    #[error("{0} handed-back item(s) still need a reason")]
    ReasonsMissing(usize),
    #[error("open a box first")]
    NoOpenBox,
    #[error("a box is already being filled: close it first")]
    BoxAlreadyOpen,
    #[error("the box is empty; put items in before closing it")]
    EmptyBox,
    #[error("this item is not among the returns waiting at this point: {why}")]
    NotAmongWaitingReturns { why: String },
    #[error("no closed box is waiting for a driver")]
    NoBoxesToHandOver,
    /// Boxes go only to the driver whose badge was scanned at the desk (the one the act names).
    #[error("scan the badge of the driver taking the boxes: they go only to the driver identified at the desk")]
    DriverNotIdentified,
    #[error("no such document: {0}")]
    DocumentNotFound(String),
    /// `kind` is the printing crate's name of the failure (e.g. `cups_not_running`), for the window.
    #[error("printing failed: {message}")]
    PrintingFailed { kind: String, message: String },
    #[error("scan a shipment's code to start receiving first")]
    NoReceivingSession,
    /// Only one receiving session is open at a time; `shipment_code` names the open one.
    #[error("shipment {shipment_code} is being received: close or cancel it first")]
    ReceivingInProgress { shipment_code: String },
    #[error("this shipment was already received")]
    ShipmentAlreadyReceived,
    #[error("{0} item(s) are already in cells: close the receiving instead of cancelling it")]
    ReceivingHasPlacements(usize),
    #[error("this item is not expected in the shipment being received")]
    NotInShipment,
    #[error("this item was already placed in cell {cell} in this receiving")]
    AlreadyPlaced { cell: String },
    #[error("scan the cell label for the item just scanned (proposed: {proposed})")]
    CellExpected { proposed: String },
    #[error("a cell label: scan an item first")]
    ItemExpected,
    #[error("cell {cell} is full ({capacity} items)")]
    CellFull { cell: String, capacity: u32 },
    #[error("the item is already in cell {cell}")]
    SameCell { cell: String },
    #[error("cell {cell} is not a cell of this point")]
    UnknownCell { cell: String },
    #[error("no cell has room for another item")]
    NoFreeCell,
    #[error("no item carries this code at this point")]
    ItemNotFound,
    /// Only an item waiting in a cell may move or expire; `why` says where it is instead.
    #[error("this item is not on a shelf: {why}")]
    NotOnShelf { why: String },
    #[error("the storage period is not loaded yet; wait for sync")]
    StoragePolicyMissing,
    #[error("this item is not past its storage period yet")]
    NotExpired,
    /// The order's items went back to returns as not collected in time (невостребованный).
    #[error("this order was not collected in time and went to returns; do not hand it over")]
    OrderUnredeemed,
    /// The order's goods have not reached the point (приёмка not done): it is expected in a shipment
    /// no counter of the point has received yet, or every item of it was missing at receiving.
    #[error("this order has not arrived at the point yet: {0}")]
    OrderNotArrived(NotArrived),
    /// A network that set up staff: a manager logs in by PIN before any counter work.
    #[error("log in with your PIN first")]
    LoginRequired,
    #[error("wrong PIN; {tries_left} tries left before a lockout")]
    WrongPin { tries_left: u32 },
    /// Too many wrong PINs: this manager is locked out until `until` (RFC 3339).
    #[error("too many wrong PINs; try again after {until}")]
    PinLocked { until: String },
    #[error("the counter locked after idle time; enter your PIN to continue")]
    IdleLocked,
    #[error("open a shift first")]
    ShiftNotOpen,
    /// `opened_at` (RFC 3339) of the shift already open on this device.
    #[error("a shift is already open on this counter since {opened_at}")]
    ShiftAlreadyOpen { opened_at: String },
    /// Only an active manager of the point logs in at the counter.
    #[error("only an active manager of this pickup point logs in at the counter")]
    NotAManager,
    #[error("this manager has no PIN yet; the network sets it")]
    PinNotSet,
    /// A bug caught before it took more down with it (a panic in the sync engine's store work).
    #[error("internal error: {0}")]
    Internal(String),
    /// A text the manager typed or a list gathered for one op is past its bound: nothing was
    /// recorded or queued (see `pvz_protocol::bounds`).
    #[error("{0}")]
    OutOfBounds(BoundsError),
    #[error(transparent)]
    Store(StoreError),
    #[error("cannot save a file: {0}")]
    Io(#[from] std::io::Error),
    /// Another process (a second window, a CLI tool, a test) has the store open: one at a time,
    /// or two would write the same outbox.
    #[error("the kiosk store in {} is already open in another process{}; close that one first", .dir.display(), holder_text(*.holder))]
    StoreInUse { dir: std::path::PathBuf, holder: Option<u32> },
}

fn holder_text(holder: Option<u32>) -> String {
    holder.map(|pid| format!(" (pid {pid})")).unwrap_or_default()
}

/// What kind of failure it was; the window translates by this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorKind {
    UnknownCode,
    ForeignCode,
    BadSignature,
    TokenExpired,
    OrderNotFound,
    AlreadyIssued,
    OrderCancelled,
    ItemNotInOrder,
    OtherUnitOfItem,
    NoActiveOrder,
    DefectNeedsDescription,
    FeePolicyMissing,
    UndecidedItems,
    PaymentNotConfirmed,
    AmountChanged,
    NotEnrolled,
    InvalidInput,
    ServerUnreachable,
    ServerError,
    EnrollmentRefused,
    EnrolledElsewhere,
    ServerKeyMismatch,
    InsecureServerAddress,
    NotConnected,
    CredentialRejected,
    UpgradeRequired,
    SyncRefused,
    ClaimNotApproved,
    ClaimRejected,
    ClaimRevoked,
    ClaimAlreadyUsed,
    ClaimToSeller,
    ClaimNoReturn,
    ClaimCodeReplaced,
    ClaimReturnExpired,
    ClaimOtherItem,
    ClaimNothingToReturn,
    ClaimItemNotChecked,
    ClaimConditionMissing,
    NoActiveClaim,
    UnknownBadge,
    RetiredBadge,
    WrongRole,
    HandBackInProgress,
    NoActiveHandBack,
    HandBackEmpty,
    ReasonsMissing,
    NoOpenBox,
    BoxAlreadyOpen,
    EmptyBox,
    NotAmongWaitingReturns,
    NoBoxesToHandOver,
    DriverNotIdentified,
    DocumentNotFound,
    PrintingFailed,
    NoReceivingSession,
    ReceivingInProgress,
    ShipmentAlreadyReceived,
    ReceivingHasPlacements,
    NotInShipment,
    AlreadyPlaced,
    CellExpected,
    ItemExpected,
    CellFull,
    SameCell,
    UnknownCell,
    NoFreeCell,
    ItemNotFound,
    NotOnShelf,
    StoragePolicyMissing,
    NotExpired,
    OrderUnredeemed,
    OrderNotArrived,
    LoginRequired,
    WrongPin,
    PinLocked,
    IdleLocked,
    ShiftNotOpen,
    ShiftAlreadyOpen,
    NotAManager,
    PinNotSet,
    TextTooLong,
    TooManyEntries,
    Internal,
}

/// What the window receives when a command fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, rename = "KioskError")]
pub struct ErrorView {
    pub kind: ErrorKind,
    pub message: String,
    pub detail: Option<String>,
}

impl From<pvz_print::PrintError> for KioskError {
    fn from(e: pvz_print::PrintError) -> Self {
        KioskError::PrintingFailed { kind: e.kind().to_owned(), message: e.to_string() }
    }
}

impl KioskError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            KioskError::UnknownCode { .. } => ErrorKind::UnknownCode,
            KioskError::ForeignCode => ErrorKind::ForeignCode,
            KioskError::BadSignature => ErrorKind::BadSignature,
            KioskError::TokenExpired { .. } => ErrorKind::TokenExpired,
            KioskError::OrderNotFound => ErrorKind::OrderNotFound,
            KioskError::AlreadyIssued { .. } => ErrorKind::AlreadyIssued,
            KioskError::OrderCancelled => ErrorKind::OrderCancelled,
            KioskError::ItemNotInOrder => ErrorKind::ItemNotInOrder,
            KioskError::OtherUnitOfItem => ErrorKind::OtherUnitOfItem,
            KioskError::NoActiveOrder => ErrorKind::NoActiveOrder,
            KioskError::DefectNeedsDescription => ErrorKind::DefectNeedsDescription,
            KioskError::FeePolicyMissing => ErrorKind::FeePolicyMissing,
            KioskError::UndecidedItems(_) => ErrorKind::UndecidedItems,
            KioskError::PaymentNotConfirmed => ErrorKind::PaymentNotConfirmed,
            KioskError::AmountChanged { .. } => ErrorKind::AmountChanged,
            KioskError::NotEnrolled => ErrorKind::NotEnrolled,
            KioskError::InvalidInput(_) => ErrorKind::InvalidInput,
            KioskError::ServerUnreachable(_) => ErrorKind::ServerUnreachable,
            KioskError::ServerError(_) => ErrorKind::ServerError,
            KioskError::EnrollmentRefused(_) => ErrorKind::EnrollmentRefused,
            KioskError::EnrolledElsewhere { .. } => ErrorKind::EnrolledElsewhere,
            KioskError::ServerKeyMismatch => ErrorKind::ServerKeyMismatch,
            KioskError::InsecureServerAddress(_) => ErrorKind::InsecureServerAddress,
            KioskError::NotConnected => ErrorKind::NotConnected,
            KioskError::CredentialRejected => ErrorKind::CredentialRejected,
            KioskError::UpgradeRequired => ErrorKind::UpgradeRequired,
            KioskError::SyncRefused { .. } => ErrorKind::SyncRefused,
            KioskError::ClaimNotApproved => ErrorKind::ClaimNotApproved,
            KioskError::ClaimRejected { .. } => ErrorKind::ClaimRejected,
            KioskError::ClaimRevoked { .. } => ErrorKind::ClaimRevoked,
            KioskError::ClaimAlreadyUsed => ErrorKind::ClaimAlreadyUsed,
            KioskError::ClaimToSeller => ErrorKind::ClaimToSeller,
            KioskError::ClaimNoReturn => ErrorKind::ClaimNoReturn,
            KioskError::ClaimCodeReplaced => ErrorKind::ClaimCodeReplaced,
            KioskError::ClaimReturnExpired { .. } => ErrorKind::ClaimReturnExpired,
            KioskError::ClaimOtherItem => ErrorKind::ClaimOtherItem,
            KioskError::ClaimNothingToReturn => ErrorKind::ClaimNothingToReturn,
            KioskError::ClaimItemNotChecked => ErrorKind::ClaimItemNotChecked,
            KioskError::ClaimConditionMissing => ErrorKind::ClaimConditionMissing,
            KioskError::NoActiveClaim => ErrorKind::NoActiveClaim,
            KioskError::UnknownBadge { .. } => ErrorKind::UnknownBadge,
            KioskError::RetiredBadge => ErrorKind::RetiredBadge,
            KioskError::WrongRole { .. } => ErrorKind::WrongRole,
            KioskError::HandBackInProgress => ErrorKind::HandBackInProgress,
            KioskError::NoActiveHandBack => ErrorKind::NoActiveHandBack,
            KioskError::HandBackEmpty => ErrorKind::HandBackEmpty,
            KioskError::ReasonsMissing(_) => ErrorKind::ReasonsMissing,
            KioskError::NoOpenBox => ErrorKind::NoOpenBox,
            KioskError::BoxAlreadyOpen => ErrorKind::BoxAlreadyOpen,
            KioskError::EmptyBox => ErrorKind::EmptyBox,
            KioskError::NotAmongWaitingReturns { .. } => ErrorKind::NotAmongWaitingReturns,
            KioskError::NoBoxesToHandOver => ErrorKind::NoBoxesToHandOver,
            KioskError::DriverNotIdentified => ErrorKind::DriverNotIdentified,
            KioskError::DocumentNotFound(_) => ErrorKind::DocumentNotFound,
            KioskError::PrintingFailed { .. } => ErrorKind::PrintingFailed,
            KioskError::NoReceivingSession => ErrorKind::NoReceivingSession,
            KioskError::ReceivingInProgress { .. } => ErrorKind::ReceivingInProgress,
            KioskError::ShipmentAlreadyReceived => ErrorKind::ShipmentAlreadyReceived,
            KioskError::ReceivingHasPlacements(_) => ErrorKind::ReceivingHasPlacements,
            KioskError::NotInShipment => ErrorKind::NotInShipment,
            KioskError::AlreadyPlaced { .. } => ErrorKind::AlreadyPlaced,
            KioskError::CellExpected { .. } => ErrorKind::CellExpected,
            KioskError::ItemExpected => ErrorKind::ItemExpected,
            KioskError::CellFull { .. } => ErrorKind::CellFull,
            KioskError::SameCell { .. } => ErrorKind::SameCell,
            KioskError::UnknownCell { .. } => ErrorKind::UnknownCell,
            KioskError::NoFreeCell => ErrorKind::NoFreeCell,
            KioskError::ItemNotFound => ErrorKind::ItemNotFound,
            KioskError::NotOnShelf { .. } => ErrorKind::NotOnShelf,
            KioskError::StoragePolicyMissing => ErrorKind::StoragePolicyMissing,
            KioskError::NotExpired => ErrorKind::NotExpired,
            KioskError::OrderUnredeemed => ErrorKind::OrderUnredeemed,
            KioskError::OrderNotArrived(_) => ErrorKind::OrderNotArrived,
            KioskError::LoginRequired => ErrorKind::LoginRequired,
            KioskError::WrongPin { .. } => ErrorKind::WrongPin,
            KioskError::PinLocked { .. } => ErrorKind::PinLocked,
            KioskError::IdleLocked => ErrorKind::IdleLocked,
            KioskError::ShiftNotOpen => ErrorKind::ShiftNotOpen,
            KioskError::ShiftAlreadyOpen { .. } => ErrorKind::ShiftAlreadyOpen,
            KioskError::NotAManager => ErrorKind::NotAManager,
            KioskError::PinNotSet => ErrorKind::PinNotSet,
            KioskError::OutOfBounds(BoundsError::Text(TextError::TooLong { .. })) => ErrorKind::TextTooLong,
            KioskError::OutOfBounds(BoundsError::TooMany { .. }) => ErrorKind::TooManyEntries,
            KioskError::OutOfBounds(BoundsError::Text(_)) => ErrorKind::InvalidInput,
            KioskError::Internal(_) | KioskError::Store(_) | KioskError::Io(_) | KioskError::StoreInUse { .. } => {
                ErrorKind::Internal
            }
        }
    }

    pub fn detail(&self) -> Option<String> {
        match self {
            KioskError::TokenExpired { expired_at } => Some(expired_at.clone()),
            KioskError::ClaimReturnExpired { deadline } => Some(deadline.clone()),
            KioskError::AlreadyIssued { issued_at } => Some(issued_at.clone()),
            KioskError::UndecidedItems(n) => Some(n.to_string()),
            // The bound the text or list went past, for the window to say.
            KioskError::OutOfBounds(bound) => bound_max(bound).map(|max| max.to_string()),
            // The amount now due, in kopecks, for the window to format.
            KioskError::AmountChanged { due, .. } => Some(due.0.to_string()),
            KioskError::UnknownCode { why } => Some(why.clone()),
            KioskError::ClaimRejected { reason } | KioskError::ClaimRevoked { reason } => Some(reason.clone()),
            KioskError::ReasonsMissing(n) => Some(n.to_string()),
            // The role the badge should have had: courier or driver.
            KioskError::WrongRole { expected } => Some(expected.clone()),
            KioskError::NotAmongWaitingReturns { why } => Some(why.clone()),
            // Which printing failure: no printer chosen, CUPS not running, a printer that is gone…
            KioskError::PrintingFailed { kind, .. } => Some(kind.clone()),
            KioskError::WrongPin { tries_left } => Some(tries_left.to_string()),
            // RFC 3339 times, for the window to count down or format.
            KioskError::PinLocked { until } => Some(until.clone()),
            KioskError::ShiftAlreadyOpen { opened_at } => Some(opened_at.clone()),
            // The cell the message is about (or the shipment being received), for the window to show.
            KioskError::ReceivingInProgress { shipment_code } => Some(shipment_code.clone()),
            KioskError::ReceivingHasPlacements(n) => Some(n.to_string()),
            KioskError::AlreadyPlaced { cell }
            | KioskError::CellExpected { proposed: cell }
            | KioskError::CellFull { cell, .. }
            | KioskError::SameCell { cell }
            | KioskError::UnknownCell { cell } => Some(cell.clone()),
            KioskError::NotOnShelf { why } => Some(why.clone()),
            KioskError::UnknownBadge { refusal, .. } => Some(refusal.as_str().to_owned()),
            KioskError::OrderNotArrived(why) => why.detail().map(str::to_owned),
            _ => None,
        }
    }

    /// Whether trying again soon may help (the network or the server is down), as opposed to a refusal
    /// that needs a person (a revoked credential, an old kiosk).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            KioskError::ServerUnreachable(_)
                | KioskError::ServerError(_)
                | KioskError::Internal(_)
                | KioskError::Store(_)
                | KioskError::Io(_)
        )
    }

    pub fn to_view(&self) -> ErrorView {
        // Storage errors are logged by the caller; the counter sees no SQL.
        let message = match self {
            KioskError::Internal(_) | KioskError::Store(_) | KioskError::Io(_) => {
                "internal storage error; the action was not recorded".to_owned()
            }
            other => other.to_string(),
        };
        ErrorView { kind: self.kind(), message, detail: self.detail() }
    }
}

impl From<StoreError> for KioskError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::OutOfBounds(bound) => KioskError::OutOfBounds(bound),
            other => KioskError::Store(other),
        }
    }
}

fn bound_max(bound: &BoundsError) -> Option<usize> {
    match bound {
        BoundsError::Text(TextError::TooLong { max, .. }) | BoundsError::TooMany { max, .. } => Some(*max),
        BoundsError::Text(TextError::TooShort { .. } | TextError::BadCharacter { .. }) => None,
    }
}

pub type Result<T, E = KioskError> = std::result::Result<T, E>;
