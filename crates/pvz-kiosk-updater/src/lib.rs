//! The kiosk's updates, installed by root: the kiosk (an ordinary user) downloads a release its
//! updater verified and leaves it in a spool directory between shifts; this service, started by
//! systemd when the spool changes, checks the package's minisign signature again with the
//! network's update key, checks the package is the kiosk's, installs it with the system's package
//! tool, and records the outcome where the kiosk reads it. It installs nothing else.

pub mod signature;
pub mod spool;
pub mod status;

pub use signature::{verify_package, SignatureError, Signed};
pub use spool::{process_spool, Settings};
pub use status::{Outcome, Status};
