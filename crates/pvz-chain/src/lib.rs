//! Tools for testing the kiosk ↔ server chain under the failures real pickup points see: a proxy
//! that loses replies after the server has acted on the request, and a load generator.

pub mod load;
pub mod network;
pub mod proxy;
