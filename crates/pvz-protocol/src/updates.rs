//! Kiosk updates: the paths a kiosk checks and downloads a release on, and the manifest the server
//! answers with, in the shape Tauri's updater plugin reads (its "dynamic server" manifest). A check
//! with nothing to offer is answered 204 with no body. Both calls carry the device credential and the
//! protocol header, as every kiosk call does.

use serde::{Deserialize, Serialize};

/// `GET`: the release this kiosk should run, or 204. `target` is the updater's `{{target}}-{{arch}}`
/// (e.g. `linux-x86_64`), `current_version` the running version (semver).
pub const PATH_KIOSK_UPDATE: &str = "/v1/kiosk/update/{target}/{current_version}";
/// `GET`: a release's package, by its version and file name (the manifest's `url` names it).
pub const PATH_KIOSK_RELEASE_FILE: &str = "/v1/kiosk/releases/{version}/{file}";

/// What the updater plugin reads from a check: the release to run and its package's minisign
/// signature (the `.sig` file `tauri signer sign` writes: base64 of the minisign signature text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateManifest {
    /// The release's version (semver); lower than the running one when the running release was
    /// rolled back and this one can read its store.
    pub version: String,
    pub notes: String,
    /// RFC 3339.
    pub pub_date: String,
    /// Where to download the package (absolute).
    pub url: String,
    pub signature: String,
}

/// The path of a release's package file on a server.
pub fn release_file_path(version: &str, file: &str) -> String {
    PATH_KIOSK_RELEASE_FILE.replace("{version}", version).replace("{file}", file)
}
