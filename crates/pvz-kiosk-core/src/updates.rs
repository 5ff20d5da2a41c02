//! Taking an update between shifts. The window's updater plugin checks the server and downloads a
//! release (verifying its signature); here the kiosk decides whether it may be applied now (never
//! with an open shift, order, claim return, receiving, courier hand-back or returns handover),
//! verifies the package again with the network's update key, makes sure the store file holds
//! every counter action (the WAL checkpointed, the outbox kept whatever the server has not yet
//! answered), and leaves the package and its signature in the spool, signature last, for the
//! root updater service (`pvz-kiosk-updater`) to install. The service's last outcome is read back
//! for the window.

use crate::error::{KioskError, Result};
use crate::store::{backup, outbox, receivings, settings, shifts};
use crate::Kiosk;
use std::path::{Path, PathBuf};

pub use pvz_kiosk_updater::{Outcome as InstallOutcome, Status as InstallStatus};

/// The spool the installed updater service watches (writable by the `pvz-kiosk` group).
pub const DEFAULT_SPOOL: &str = "/var/spool/pvz-kiosk-updates";
/// The network's update public key, shared with the updater service.
pub const DEFAULT_UPDATE_KEY: &str = "/etc/pvz-kiosk/update-key.pub";
/// Where the updater service records its last outcome.
pub const DEFAULT_INSTALL_STATUS: &str = "/var/lib/pvz-kiosk-updater/status.json";

/// What is on the counter that an update must not interrupt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateBlocker {
    /// Смена is open: updates wait until it is closed.
    OpenShift,
    OpenOrder,
    ClaimReturn,
    Receiving,
    HandBack,
    ReturnsHandover,
}

impl std::fmt::Display for UpdateBlocker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            UpdateBlocker::OpenShift => "a shift is open",
            UpdateBlocker::OpenOrder => "an order is open on the counter",
            UpdateBlocker::ClaimReturn => "a claim return is on the counter",
            UpdateBlocker::Receiving => "a shipment is being received",
            UpdateBlocker::HandBack => "a courier's hand-back is in progress",
            UpdateBlocker::ReturnsHandover => "returns are being handed to a driver",
        })
    }
}

/// A release the updater downloaded: its version, the package's bytes and their signature (as the
/// manifest carried it).
pub struct DownloadedRelease {
    pub version: String,
    pub package: Vec<u8>,
    pub signature: String,
}

/// What became of a downloaded release.
#[derive(Debug, PartialEq, Eq)]
pub enum UpdateDecision {
    /// In the spool for the updater service; `ops_waiting` counter actions are kept in the store
    /// for the server (they sync after the update, as after any restart).
    Spooled { package: PathBuf, ops_waiting: u32 },
    /// Not now: the counter is busy; try again after this is finished.
    Deferred(UpdateBlocker),
    /// Never: the package does not verify; the message says why.
    Refused(String),
}

/// Where and as whom the window's updater checks: the central server's update path with the
/// updater plugin's placeholders, and the headers every kiosk call carries (the device credential,
/// the protocol), which the plugin sends with the check and the download.
pub struct UpdateCheck {
    pub endpoint: String,
    pub headers: Vec<(&'static str, String)>,
}

impl Kiosk {
    /// The update check of an enrolled kiosk; `NotConnected` before enrollment.
    pub fn update_check(&self) -> Result<UpdateCheck> {
        let access = crate::sync::client::server_access(self)?;
        let path = pvz_protocol::updates::PATH_KIOSK_UPDATE
            .replace("{target}", "{{target}}-{{arch}}")
            .replace("{current_version}", "{{current_version}}");
        Ok(UpdateCheck {
            endpoint: format!("{}{path}", access.server_url.trim_end_matches('/')),
            headers: vec![
                ("authorization", format!("Bearer {}", access.credential)),
                (pvz_protocol::sync::PROTOCOL_HEADER, pvz_protocol::sync::PROTOCOL_VERSION.to_string()),
            ],
        })
    }

    /// What on the counter keeps an update from being applied now, if anything.
    pub fn update_blocker(&self) -> Result<Option<UpdateBlocker>> {
        self.store.with_conn(|c| {
            let counter = settings::get_counter_state(c)?;
            Ok::<_, KioskError>(if shifts::get_open_shift(c)?.is_some() {
                Some(UpdateBlocker::OpenShift)
            } else if counter.active_order.is_some() {
                Some(UpdateBlocker::OpenOrder)
            } else if counter.claim.is_some() {
                Some(UpdateBlocker::ClaimReturn)
            } else if receivings::get_open_receiving(c)?.is_some() {
                Some(UpdateBlocker::Receiving)
            } else if counter.hand_back.is_some() {
                Some(UpdateBlocker::HandBack)
            } else if counter.driver.is_some() {
                Some(UpdateBlocker::ReturnsHandover)
            } else {
                None
            })
        })
    }

    /// Leaves `release` in `spool` for the updater service when the counter is between shifts and
    /// the package verifies with `update_key` (the key file's text).
    pub fn spool_update(&self, release: &DownloadedRelease, update_key: &str, spool: &Path) -> Result<UpdateDecision> {
        if let Err(refusal) = pvz_kiosk_updater::verify_package(&release.package, &release.signature, update_key) {
            let message = format!("the update {} is refused: {refusal}", release.version);
            tracing::warn!(%message, "update refused");
            return Ok(UpdateDecision::Refused(message));
        }
        if let Some(blocker) = self.update_blocker()? {
            return Ok(UpdateDecision::Deferred(blocker));
        }
        let ops_waiting = self.store.with_conn(|c| {
            backup::checkpoint(c)?;
            Ok::<_, KioskError>(outbox::count_pending(c)?)
        })?;
        let version: String =
            release.version.chars().filter(|c| c.is_ascii_alphanumeric() || ".-+~".contains(*c)).collect();
        let package = spool.join(format!("pvz-kiosk_{version}.deb"));
        write_whole(&package, &release.package)?;
        let mut signature = package.clone().into_os_string();
        signature.push(".sig");
        write_whole(Path::new(&signature), release.signature.as_bytes())?;
        tracing::info!(version = %release.version, ops_waiting, "update spooled for the updater service");
        Ok(UpdateDecision::Spooled { package, ops_waiting })
    }
}

/// The updater service's last outcome, if it recorded one.
pub fn last_install(status: &Path) -> Option<InstallStatus> {
    InstallStatus::read(status)
}

/// Writes a file under a temporary name and renames it, so the service never reads half of it.
fn write_whole(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    std::fs::write(&partial, bytes).and_then(|()| std::fs::rename(&partial, path)).map_err(KioskError::from)
}

#[cfg(test)]
mod tests;
