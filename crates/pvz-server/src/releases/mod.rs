//! Kiosk releases the operator offers: files, not rows. The releases directory holds one
//! subdirectory per version, each with the kiosk's package, its minisign signature (`<package>.sig`,
//! as `tauri signer sign` writes it) and a `release.toml` (see [`ReleaseFile`]). The directory is read
//! on each check, so a release is staged, widened or rolled back by editing its file, without a
//! restart. [`choose`] decides what one kiosk is offered.

mod choose;

pub use choose::{choose, rollout_bucket, Offer, Running};

use semver::Version;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The file in each release's directory that describes it.
pub const RELEASE_FILE: &str = "release.toml";

/// `release.toml`, as the operator writes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseFile {
    /// The release's version (semver); must be the directory's name.
    pub version: String,
    /// The package's file name in the directory, e.g. `pvz-kiosk_0.2.0_amd64.deb`.
    pub package: String,
    /// Shown to the manager before the update is applied.
    #[serde(default)]
    pub notes: String,
    /// RFC 3339, e.g. `2026-12-07T10:00:00Z`.
    pub pub_date: String,
    /// The updater targets this package installs on (`linux-x86_64`).
    pub targets: Vec<String>,
    /// The sync protocol versions the release's kiosk speaks: offered only by a server that speaks
    /// one of them.
    pub protocols: Vec<u32>,
    /// The share of pickup points (0-100 %) offered it, chosen stably by device id (see
    /// [`rollout_bucket`]): raising the share keeps the points that already have it.
    #[serde(default = "full_rollout")]
    pub rollout_percent: u8,
    /// A rolled-back release is offered to nobody; a point already on it may be offered the
    /// release before it (see [`choose`]).
    #[serde(default)]
    pub rolled_back: bool,
    /// The kiosk store's schema version (its number of migrations) this release brings the store
    /// to. A point leaves a rolled-back release for an older one only when the older one's is not
    /// lower: an older kiosk cannot open a store migrated past what it knows.
    pub store_schema: u32,
}

fn full_rollout() -> u8 {
    100
}

/// A release read from its directory, checked.
#[derive(Debug, Clone)]
pub struct Release {
    pub version: Version,
    pub file: ReleaseFile,
    /// The package's path.
    pub package_path: PathBuf,
    /// The package's signature, as the manifest carries it.
    pub signature: String,
}

/// The releases directory; `None` offers nothing (every check is answered 204).
#[derive(Debug, Clone, Default)]
pub struct Releases {
    pub dir: Option<PathBuf>,
    /// The server's address as kiosks reach it (`https://pvz.example.net`), for the manifest's
    /// download URL; unset: taken from the check's own `Host` header.
    pub public_url: Option<String>,
}

impl Releases {
    /// Every release that reads and checks; one that does not is logged and left out, so a
    /// half-copied release offers nothing rather than stopping every update.
    pub fn list(&self) -> Vec<Release> {
        let Some(dir) = &self.dir else { return Vec::new() };
        let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
        let mut releases: Vec<Release> = entries
            .map_while(Result::ok)
            .filter(|entry| entry.path().is_dir())
            .filter_map(|entry| match read_release(&entry.path()) {
                Ok(release) => Some(release),
                Err(problem) => {
                    tracing::warn!(dir = %entry.path().display(), %problem, "release left out");
                    None
                }
            })
            .collect();
        releases.sort_by(|a, b| a.version.cmp(&b.version));
        releases
    }

    /// The release of this version, if it is listed.
    pub fn find(&self, version: &str) -> Option<Release> {
        let version = Version::parse(version).ok()?;
        self.list().into_iter().find(|r| r.version == version)
    }
}

/// Reads and checks one release directory.
pub fn read_release(dir: &Path) -> Result<Release, String> {
    let text =
        std::fs::read_to_string(dir.join(RELEASE_FILE)).map_err(|e| format!("no readable {RELEASE_FILE}: {e}"))?;
    let file: ReleaseFile = toml::from_str(&text).map_err(|e| format!("{RELEASE_FILE} is invalid: {e}"))?;
    let version =
        Version::parse(&file.version).map_err(|e| format!("version {:?} is not semver: {e}", file.version))?;
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    if name != file.version {
        return Err(format!("the directory {name:?} must be named after the version {:?}", file.version));
    }
    if file.rollout_percent > 100 {
        return Err(format!("rollout_percent {} is above 100", file.rollout_percent));
    }
    let plain = |s: &str| !s.is_empty() && !s.starts_with('.') && !s.contains(['/', '\\']);
    if !plain(&file.package) {
        return Err(format!("package {:?} must be a file name in the release's directory", file.package));
    }
    let package_path = dir.join(&file.package);
    if !package_path.is_file() {
        return Err(format!("the package {} is missing", file.package));
    }
    let signature = std::fs::read_to_string(dir.join(format!("{}.sig", file.package)))
        .map_err(|e| format!("the package's signature {}.sig is missing: {e}", file.package))?
        .trim()
        .to_owned();
    Ok(Release { version, file, package_path, signature })
}
