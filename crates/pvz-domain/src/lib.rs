//! Pure counter rules of a pickup point (ПВЗ): money, ids, item and order states, refusal fees,
//! scan-code classification, cells, storage periods, staff login and shifts. Nothing here does IO
//! or reads a clock (times come in as arguments); every other crate builds on these types.

pub mod cells;
pub mod claim;
pub mod ids;
pub mod money;
pub mod order;
pub mod policy;
pub mod refusal;
pub mod scan;
pub mod settlement;
pub mod shift;
pub mod staff;
pub mod storage;
pub mod text;
pub mod timestamp;

pub use cells::{check_move, propose_cell, Cell, CellError, CellLabel, CellLabelError, CellProposal, Placement};
pub use claim::{
    ClaimDecision, ClaimState, ClaimTransitionError, Compensation, CompensationKind, Decider, ItemFate, ReturnRoute,
    MARKETPLACE_RETURN_DAYS,
};
pub use ids::{ClaimId, DeviceId, EmployeeId, ItemId, OrderId, PickupPointId, ReturnBoxId, ReturnId, ShortCode};
pub use money::Kopecks;
pub use order::{ItemState, OrderStatus, TransitionError};
pub use policy::{FeeDecision, FeePolicy, FeeRule};
pub use refusal::{Refusal, RefusalError, RefusalReason};
pub use scan::{classify, gtin14, Scan};
pub use settlement::{settle, ItemLine, Settlement};
pub use shift::{
    shift_report, ClosedShift, OpenShift, RefusalCount, RefusedItem, ShiftError, ShiftEvent, ShiftReport, ShiftState,
};
pub use staff::{
    AttemptOutcome, CounterAct, EmployeeRole, Identification, LoginPolicy, OnDuty, Pin, PinAttempts, PinError, Session,
    SessionError, StaffError, StaffMember,
};
pub use storage::{overdue_items, Overdue, ShelfState, StorageDays, StorageDaysError, StoragePolicy, StoredItem};
pub use text::{TextError, TextLimit};
pub use timestamp::{UnixSeconds, UtcOffset, UtcOffsetError};
