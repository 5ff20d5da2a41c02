//! What the stories share: a demo kiosk on a temp file with a movable clock and signed codes
//! (`counter`), the shelves' shipment and policy (`shelf`), managers with PINs (`staff`), and the
//! real server beside a kiosk (`network`) and a relay before it that cuts or refuses (`relay`).

pub mod counter;
pub mod network;
pub mod relay;
pub mod shelf;
pub mod staff;
