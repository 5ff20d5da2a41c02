//! The kiosk–server chain under stress, one binary: a reply lost on the way back, refunds of
//! claims through the chain, a kiosk killed at random points, three server instances on one
//! PostgreSQL database, that database stopped and started under a burst of pushes, and power cuts
//! that lose every write not yet fsynced at the kiosk and the server.

mod common;

mod claim_refunds;
mod database_faults;
mod instances;
mod kill;
mod lost_replies;
mod power_cut;
