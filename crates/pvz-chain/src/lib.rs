//! Tools for testing the kiosk ↔ server chain under the failures real pickup points see: a proxy
//! that loses replies after the server has acted on the request (in front of one server or several),
//! a proxy that drops, delays and resets traffic both ways, the chaos benchmark's runs (kiosk and
//! server processes SIGKILLed behind it), real server processes sharing one database, load
//! generators, and a fleet of simulated kiosks against the real server process.

pub mod chaos;
pub mod faults;
pub mod fleet;
pub mod http;
pub mod instances;
pub mod load;
pub mod network;
pub mod processes;
pub mod proxy;
