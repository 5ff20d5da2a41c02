//! Wire types shared by the kiosk and the central server: the sync API (enrollment, push, pull), and the
//! ed25519-signed tokens (buyer pickup code) that a kiosk verifies offline with the pinned key.

pub mod demo;
pub mod ops;
pub mod pull;
pub mod sync;
pub mod token;

pub use ops::{ItemDecision, OpBody, RefusedItem};
pub use pull::{Change, DemoSeed, Enrollment, ItemWire, OrderWire, PullPage};
pub use token::{PickupClaims, PublicKey, TokenError};
