//! The kiosk–server chain under stress, one binary: a reply lost on the way back, refunds of
//! claims through the chain, and a kiosk killed at random points.

mod claim_refunds;
mod kill;
mod lost_replies;
