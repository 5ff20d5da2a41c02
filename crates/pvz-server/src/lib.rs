//! PVZ central server: enrollment, sync push/pull of kiosk ops, and the double-entry ledger. The
//! protocol lives in `pvz_protocol::sync`; this crate is its authority side.

pub mod admin;
pub mod api;
pub mod blobs;
pub mod claims;
pub mod cli;
pub mod config;
pub mod conversation;
pub mod credentials;
pub mod db;
pub mod demo;
pub mod error;
pub mod evidence;
pub mod feed_signal;
pub mod keys;
pub mod metrics;
pub mod push;
pub mod releases;
pub mod retention;
pub mod rules;
pub mod signing;
pub mod startup;
pub mod storage;
pub mod upkeep;
pub mod web;

pub use api::{router, AppState};
pub use config::Config;
pub use error::ServerError;
pub use startup::{spawn, RunningServer};
