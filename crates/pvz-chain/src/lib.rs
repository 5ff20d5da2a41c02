//! Tools for testing the kiosk ↔ server chain under the failures real pickup points see: a proxy
//! that loses replies after the server has acted on the request (in front of one server or several),
//! real server processes sharing one database, and a load generator.

pub mod instances;
pub mod load;
pub mod network;
pub mod proxy;
