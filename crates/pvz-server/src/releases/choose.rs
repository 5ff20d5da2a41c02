//! What one kiosk is offered: the newest release above the one it runs that is not rolled back,
//! installs on its target, speaks a protocol this server speaks, and has reached the kiosk's share
//! of the rollout. A kiosk on a rolled-back release with nothing newer gets the newest release
//! below it that can open its store (a downgrade), whatever that release's share; when none can, it
//! stays where it is until a newer release comes.

use super::Release;
use pvz_domain::DeviceId;
use semver::Version;
use sha2::{Digest, Sha256};
use std::ops::RangeInclusive;

/// The kiosk that asks.
pub struct Running<'a> {
    pub device: &'a DeviceId,
    pub target: &'a str,
    pub version: &'a Version,
}

/// What the kiosk should install.
#[derive(Debug)]
pub enum Offer<'a> {
    Upgrade(&'a Release),
    /// Off a rolled-back release, to one that reads the same store.
    Downgrade(&'a Release),
}

impl<'a> Offer<'a> {
    pub fn release(&self) -> &'a Release {
        match self {
            Offer::Upgrade(release) | Offer::Downgrade(release) => release,
        }
    }
}

/// The device's place in every rollout, 0-99: a release at `rollout_percent` = N reaches the
/// devices below N. The same for every release, so the points that try a release first are the
/// same each time (a pilot group), and widening a rollout never takes a release from a point.
pub fn rollout_bucket(device: &DeviceId) -> u8 {
    let digest = Sha256::digest(device.as_str().as_bytes());
    let head =
        u64::from_be_bytes([digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7]]);
    u8::try_from(head % 100).unwrap_or(0)
}

/// `releases` sorted by version, oldest first (as [`super::Releases::list`] gives them);
/// `server_speaks` the protocols this server serves.
pub fn choose<'a>(
    releases: &'a [Release],
    running: &Running<'_>,
    server_speaks: RangeInclusive<u32>,
) -> Option<Offer<'a>> {
    let installable = |r: &&Release| {
        !r.file.rolled_back
            && r.file.targets.iter().any(|t| t == running.target)
            && r.file.protocols.iter().any(|p| server_speaks.contains(p))
    };
    let bucket = rollout_bucket(running.device);
    let upgrade = releases
        .iter()
        .filter(installable)
        .filter(|r| bucket < r.file.rollout_percent)
        .rfind(|r| &r.version > running.version);
    if let Some(release) = upgrade {
        return Some(Offer::Upgrade(release));
    }
    let on = releases.iter().find(|r| &r.version == running.version).filter(|r| r.file.rolled_back)?;
    let back = releases.iter().filter(installable).rfind(|r| r.version < on.version)?;
    if back.file.store_schema < on.file.store_schema {
        tracing::warn!(
            device = running.device.as_str(),
            on = %on.version,
            back = %back.version,
            "a rolled-back release stays: the release before it cannot open the store it migrated"
        );
        return None;
    }
    Some(Offer::Downgrade(back))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::releases::ReleaseFile;

    fn release(version: &str, percent: u8, rolled_back: bool, schema: u32) -> Release {
        Release {
            version: Version::parse(version).expect("semver"),
            file: ReleaseFile {
                version: version.into(),
                package: format!("pvz-kiosk_{version}_amd64.deb"),
                notes: String::new(),
                pub_date: "2026-12-07T10:00:00Z".into(),
                targets: vec!["linux-x86_64".into()],
                protocols: vec![4],
                rollout_percent: percent,
                rolled_back,
                store_schema: schema,
            },
            package_path: "/dev/null".into(),
            signature: "sig".into(),
        }
    }

    /// What is offered, as `("upgrade" | "downgrade", version)`.
    fn offered(releases: &[Release], device: &DeviceId, version: &str) -> Option<(&'static str, String)> {
        let version = Version::parse(version).expect("semver");
        choose(releases, &Running { device, target: "linux-x86_64", version: &version }, 2..=4).map(|offer| match offer
        {
            Offer::Upgrade(r) => ("upgrade", r.version.to_string()),
            Offer::Downgrade(r) => ("downgrade", r.version.to_string()),
        })
    }

    #[test]
    fn a_point_on_a_rolled_back_release_goes_back_only_to_one_that_reads_its_store() {
        let device = DeviceId::parse("dev-1").expect("device id");
        let same_schema = [release("0.1.0", 100, false, 10), release("0.2.0", 100, true, 10)];
        assert_eq!(
            offered(&same_schema, &device, "0.2.0"),
            Some(("downgrade", "0.1.0".into())),
            "a point on the rolled-back 0.2.0 is offered 0.1.0, which opens the same store"
        );
        assert_eq!(
            offered(&same_schema, &device, "0.1.0"),
            None,
            "a point on 0.1.0 is not offered the rolled-back 0.2.0"
        );
        let migrated = [release("0.1.0", 100, false, 10), release("0.2.0", 100, true, 11)];
        assert_eq!(
            offered(&migrated, &device, "0.2.0"),
            None,
            "0.1.0 cannot open a store 0.2.0 migrated, so the point stays on 0.2.0 until a newer release"
        );
        let fixed =
            [release("0.1.0", 100, false, 10), release("0.2.0", 100, true, 11), release("0.2.1", 100, false, 11)];
        assert_eq!(
            offered(&fixed, &device, "0.2.0"),
            Some(("upgrade", "0.2.1".into())),
            "a fixed release above the rolled-back one is an ordinary upgrade"
        );
    }
}
