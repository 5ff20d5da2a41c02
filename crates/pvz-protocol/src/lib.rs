//! Wire types shared by the kiosk and the central server: the sync API (enrollment, push, pull), and the
//! ed25519-signed tokens (buyer pickup code, claim return code, staff badge) that a kiosk verifies
//! offline with the pinned key.

pub mod badge;
pub mod bounds;
pub mod claims;
pub mod compact;
pub mod demo;
pub mod enrollment_code;
pub mod evidence;
pub mod key;
pub mod ops;
pub mod pull;
pub mod sync;
pub mod token;
pub mod updates;
pub mod web;

#[cfg(test)]
mod outside_input;
#[cfg(test)]
mod qr_budget;

pub use badge::BadgeClaims;
pub use claims::{
    AttachmentRef, ClaimAction, ClaimActionRequest, ClaimMessage, ClaimStatus, CourierManifest, ManifestLine,
    MessageAuthor, MessagePage, NewClaimRequest, NewMessage, RejectionTemplate, SellerAddress, SellerDecision,
};
pub use enrollment_code::{EnrollmentCode, EnrollmentCodeError};
pub use ops::{
    BoxedItem, DamagedItem, ExpiredItem, HandBackItem, ItemDecision, OpBody, PhotoRef, PlacedItem, RefusedItem,
    ReturnSource,
};
pub use pull::{
    CellWire, Change, DemoSeed, EmployeeRole, EmployeeWire, Enrollment, ItemWire, OrderWire, PullPage, ServerKeyWire,
    ShipmentItemWire, ShipmentWire,
};
pub use token::{ClaimReturnClaims, PickupClaims, PublicKey, TokenError};
