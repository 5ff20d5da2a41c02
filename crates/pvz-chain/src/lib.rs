//! Tools for testing the kiosk ↔ server chain under the failures real pickup points see: a proxy
//! that loses replies after the server has acted on the request, load generators, and a fleet of
//! simulated kiosks against the real server process.

pub mod fleet;
pub mod http;
pub mod load;
pub mod network;
pub mod processes;
pub mod proxy;
