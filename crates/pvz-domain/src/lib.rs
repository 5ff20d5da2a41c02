//! Pure counter rules of a pickup point (ПВЗ): money, ids, item and order states, refusal fees
//! and scan-code classification. Nothing here does IO; every other crate builds on these types.

pub mod claim;
pub mod ids;
pub mod money;
pub mod order;
pub mod policy;
pub mod refusal;
pub mod scan;
pub mod settlement;

pub use claim::{ClaimState, ClaimTransitionError, Compensation, CompensationKind};
pub use ids::{ClaimId, DeviceId, EmployeeId, ItemId, OrderId, PickupPointId, ReturnBoxId, ReturnId, ShortCode};
pub use money::Kopecks;
pub use order::{ItemState, OrderStatus, TransitionError};
pub use policy::{FeeDecision, FeePolicy, FeeRule};
pub use refusal::{Refusal, RefusalError, RefusalReason};
pub use scan::{classify, Scan};
pub use settlement::{settle, ItemLine, Settlement};
