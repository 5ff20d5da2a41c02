//! One pass over the spool: each `<name>.deb` with its `<name>.deb.sig` (the kiosk writes the
//! signature last, so its presence says the package is complete) is taken out of the spool into
//! the service's own directory, where the kiosk's user cannot change it between check and install,
//! then verified, checked to be the kiosk's package, and installed.

use crate::signature::verify_package;
use crate::status::{Outcome, Status};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the service reads and writes, and what it installs.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Written by the kiosk's group: `/var/spool/pvz-kiosk-updates`.
    pub spool: PathBuf,
    /// The network's update public key: `/etc/pvz-kiosk/update-key.pub`.
    pub key: PathBuf,
    /// Root's own: a package is moved here before it is checked, `/var/lib/pvz-kiosk-updater`.
    pub work: PathBuf,
    /// The last outcome, readable by the kiosk: `<work>/status.json`.
    pub status: PathBuf,
    /// The only package name installed: `pvz-kiosk` (tests give their own).
    pub package: String,
}

impl Settings {
    /// The installed service's paths.
    pub fn standard() -> Settings {
        let work = PathBuf::from("/var/lib/pvz-kiosk-updater");
        Settings {
            spool: PathBuf::from("/var/spool/pvz-kiosk-updates"),
            key: PathBuf::from("/etc/pvz-kiosk/update-key.pub"),
            status: work.join("status.json"),
            work,
            package: "pvz-kiosk".to_owned(),
        }
    }
}

/// Handles every complete package in the spool; returns each one's status (the last is also
/// written to `settings.status`). An unreadable spool is an error; a bad package is a status.
pub fn process_spool(settings: &Settings) -> std::io::Result<Vec<Status>> {
    std::fs::create_dir_all(&settings.work)?;
    let mut requests: Vec<PathBuf> = std::fs::read_dir(&settings.spool)?
        .map_while(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "deb") && signature_path(path).is_file())
        .collect();
    requests.sort();
    let mut statuses = Vec::new();
    for package in requests {
        let status = process_one(settings, &package);
        status.write(&settings.status)?;
        statuses.push(status);
    }
    Ok(statuses)
}

fn signature_path(package: &Path) -> PathBuf {
    let mut name = package.as_os_str().to_owned();
    name.push(".sig");
    PathBuf::from(name)
}

fn process_one(settings: &Settings, spooled: &Path) -> Status {
    let file = spooled.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let at = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let status = |version: Option<String>, outcome, message: String| Status {
        file: file.clone(),
        version,
        outcome,
        message,
        at,
    };
    let taken = settings.work.join("pending.deb");
    let signature = match take(spooled, &taken) {
        Ok(signature) => signature,
        Err(error) => return status(None, Outcome::Failed, format!("could not take {file} from the spool: {error}")),
    };
    let result = check_and_install(settings, &taken, &signature);
    let _ = std::fs::remove_file(&taken);
    match result {
        Ok(version) => {
            status(Some(version.clone()), Outcome::Installed, format!("{} {version} installed", settings.package))
        }
        Err((outcome, version, message)) => status(version, outcome, message),
    }
}

/// Moves the package out of the spool (copy, then remove: the spool may be another file system)
/// and returns its signature's text; both spool files are gone afterwards, whatever they held.
fn take(spooled: &Path, taken: &Path) -> std::io::Result<String> {
    let signature_file = signature_path(spooled);
    let result = std::fs::read_to_string(&signature_file).and_then(|signature| {
        std::fs::copy(spooled, taken)?;
        Ok(signature)
    });
    let _ = std::fs::remove_file(spooled);
    let _ = std::fs::remove_file(signature_file);
    result
}

type Refusal = (Outcome, Option<String>, String);

fn check_and_install(settings: &Settings, package: &Path, signature: &str) -> Result<String, Refusal> {
    let refused = |message: String| (Outcome::Refused, None, message);
    let key = std::fs::read_to_string(&settings.key)
        .map_err(|e| refused(format!("the update key {} cannot be read: {e}", settings.key.display())))?;
    let bytes =
        std::fs::read(package).map_err(|e| (Outcome::Failed, None, format!("the package cannot be read: {e}")))?;
    let signed = verify_package(&bytes, signature, &key).map_err(|e| refused(format!("refused: {e}")))?;
    let name = deb_field(package, "Package").map_err(refused)?;
    let version = deb_field(package, "Version").map_err(refused)?;
    if name != settings.package {
        return Err(refused(format!(
            "refused: the package is {name:?}, this service installs only {:?}",
            settings.package
        )));
    }
    if let Some(signed_for) = signed.version.filter(|v| v.trim_start_matches('v') != version) {
        return Err(refused(format!("refused: the signature is for version {signed_for}, the package is {version}")));
    }
    install(package).map_err(|message| (Outcome::Failed, Some(version.clone()), message))?;
    Ok(version)
}

/// A control field of a .deb, read by `dpkg-deb`.
fn deb_field(package: &Path, field: &str) -> Result<String, String> {
    let output = Command::new("dpkg-deb")
        .arg("--field")
        .arg(package)
        .arg(field)
        .output()
        .map_err(|e| format!("dpkg-deb cannot be run: {e}"))?;
    let value = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    if !output.status.success() || value.is_empty() {
        return Err(format!(
            "refused: not a Debian package with a {field} ({})",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(value)
}

/// `apt-get install` of the local file: it installs the package's dependencies too, and allows the
/// lower version of a rollback. Nothing prompts.
fn install(package: &Path) -> Result<(), String> {
    let output = Command::new("apt-get")
        .args(["install", "--yes", "--allow-downgrades", "--no-install-recommends"])
        .arg(package)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .output()
        .map_err(|e| format!("apt-get cannot be run: {e}"))?;
    if output.status.success() {
        return Ok(());
    }
    let tail: String = String::from_utf8_lossy(&output.stderr).lines().rev().take(5).collect::<Vec<_>>().join(" / ");
    Err(format!("apt-get install failed ({}): {tail}", output.status))
}
