//! The last update's outcome, written by the service where the kiosk can read it (the service's
//! state directory; the kiosk user may read, not write, it).

use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Installed,
    /// Not the kiosk's package, or not signed with the update key: nothing was installed.
    Refused,
    /// Signed and the kiosk's, but the package tool failed; its output is in the message.
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    /// The spooled file's name.
    pub file: String,
    /// The package's version, when it could be read.
    pub version: Option<String>,
    pub outcome: Outcome,
    /// For a person: what happened and, when refused or failed, why.
    pub message: String,
    /// Seconds since the Unix epoch.
    pub at: u64,
}

impl Status {
    /// The recorded status, if any.
    pub fn read(path: &Path) -> Option<Status> {
        serde_json::from_slice(&std::fs::read(path).ok()?).ok()
    }

    /// Writes the status whole (a temporary file renamed over the old one), so a reader never sees half.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let partial = path.with_extension("partial");
        std::fs::write(&partial, serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?)?;
        std::fs::rename(partial, path)
    }
}
