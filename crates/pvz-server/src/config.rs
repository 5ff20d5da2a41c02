//! Server configuration: an optional TOML file, then environment overrides (`PVZ_SERVER_DATA_DIR`,
//! `PVZ_SERVER_DATABASE_URL`, `PVZ_SERVER_BIND`, `PVZ_SERVER_MAX_BODY_BYTES`, `PVZ_SERVER_CLAIM_CODE_TTL_DAYS`,
//! `PVZ_SERVER_MAX_PULL_WAIT_SECONDS`, `PVZ_SERVER_BLOB_STORE_URL`,
//! `PVZ_SERVER_PERSONAL_DATA_RETENTION_DAYS`, `PVZ_SERVER_ENROLL_FAILURES_PER_MINUTE`,
//! `PVZ_SERVER_CREDENTIAL_FAILURES_PER_MINUTE`, `PVZ_SERVER_CLIENT_ADDRESS_HEADER`, `PVZ_WEB_DIR`,
//! `PVZ_SERVER_SECURE_COOKIES`, `PVZ_SERVER_RELEASES_DIR`, `PVZ_SERVER_PUBLIC_URL`; logging reads
//! `RUST_LOG`). Parsed once at start-up.

use crate::error::{Result, ServerError};
use pvz_protocol::sync::MAX_PULL_WAIT_SECONDS;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Holds `server.sqlite3` (unless `database_url` names another database) and the signing key.
    pub data_dir: PathBuf,
    /// `postgres://user@host/db` for a PostgreSQL database shared by several instances, or a SQLite
    /// file path; unset: `server.sqlite3` in the data dir.
    pub database_url: Option<String>,
    /// PostgreSQL connections one instance keeps at most.
    pub db_pool_size: u32,
    pub bind: SocketAddr,
    /// Larger request bodies are answered 413 without being read.
    pub max_body_bytes: usize,
    /// How long a claim return code stays valid after the seller's approval.
    pub claim_code_ttl_days: u64,
    /// Migrate a database that is behind at start-up instead of refusing it (`serve --migrate`).
    pub migrate: bool,
    /// The longest a pull that is up to date is held open waiting for a change (at most
    /// `MAX_PULL_WAIT_SECONDS`); 0: never held, kiosks poll. Lower it behind a proxy that cuts idle
    /// requests sooner.
    pub max_pull_wait_seconds: u32,
    /// Where attachments' bytes are kept: unset, `<data_dir>/blobs`; `s3://bucket/prefix` for an
    /// S3-compatible bucket (credentials, region and endpoint from the `AWS_*` environment, see
    /// [`crate::blobs::BlobStore::open`]); `file:///dir` or a path for another directory. Every
    /// instance sharing a database must name the same store.
    pub blob_store_url: Option<String>,
    /// How long a finished claim's messages, attachments and description are kept
    /// (`pvz-server purge-personal-data` deletes older ones).
    pub personal_data_retention_days: u32,
    /// Failed enrollments (wrong code, wrong previous credential) one client address or one code
    /// may make at once, then one per 60/N s; more answer 429 (see [`crate::api::limits`]). 0: no limit.
    pub enroll_failures_per_minute: u32,
    /// Credentials that do not verify one client address or one credential holder may present at
    /// once, then one per 60/N s; more answer 429. A credential that verifies is never limited. 0: no limit.
    pub credential_failures_per_minute: u32,
    /// Behind a reverse proxy: the header it sets to the client's address (`x-forwarded-for`: its
    /// last entry, the one the proxy appended; or `x-real-ip`). Unset: the TCP peer's address, which
    /// behind a proxy is the proxy's, so every client would share one budget. Trust only a header
    /// your proxy overwrites: a client can send any header itself.
    pub client_address_header: Option<String>,
    /// The built seller web page served at `/seller/` (env `PVZ_WEB_DIR`); unset:
    /// `<exe dir>/../share/pvz-server/web`, else the checkout's `ui/dist-web`, whichever exists.
    pub web_dir: Option<PathBuf>,
    /// Mark the web session cookie `Secure` on every sign-in (TLS ends at a proxy that does not send
    /// `X-Forwarded-Proto: https`, which marks it too).
    pub secure_cookies: bool,
    /// The kiosk releases offered to kiosks, one subdirectory per version (see
    /// [`crate::releases`]); unset: `<data_dir>/releases`.
    pub releases_dir: Option<PathBuf>,
    /// The server's address as kiosks reach it (`https://pvz.example.net`), for the download URL in
    /// an update's manifest; unset: the scheme and `Host` of the kiosk's own check.
    pub public_url: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("pvz-server-data"),
            database_url: None,
            db_pool_size: crate::storage::DEFAULT_POOL_SIZE,
            bind: SocketAddr::from(([127, 0, 0, 1], 8700)),
            max_body_bytes: 1024 * 1024,
            claim_code_ttl_days: 14,
            migrate: false,
            max_pull_wait_seconds: MAX_PULL_WAIT_SECONDS,
            blob_store_url: None,
            personal_data_retention_days: crate::retention::DEFAULT_RETENTION_DAYS,
            enroll_failures_per_minute: crate::api::limits::DEFAULT_ENROLL_FAILURES_PER_MINUTE,
            credential_failures_per_minute: crate::api::limits::DEFAULT_CREDENTIAL_FAILURES_PER_MINUTE,
            client_address_header: None,
            web_dir: None,
            secure_cookies: false,
            releases_dir: None,
            public_url: None,
        }
    }
}

impl Config {
    /// For tests and benches: this data dir, a free port on loopback, default limits, and the
    /// database created or migrated at start (each test's data dir is new).
    pub fn for_data_dir(data_dir: impl Into<PathBuf>) -> Config {
        Config {
            data_dir: data_dir.into(),
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            migrate: true,
            ..Config::default()
        }
    }

    /// Reads the TOML file if given, then applies the environment.
    pub fn load(file: Option<&Path>) -> Result<Config> {
        let mut config = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| ServerError::Setup(format!("cannot read config {}: {e}", path.display())))?;
                toml::from_str(&text)
                    .map_err(|e| ServerError::Setup(format!("config {} is invalid: {e}", path.display())))?
            }
            None => Config::default(),
        };
        config.apply_env(|name| std::env::var(name).ok())?;
        Ok(config)
    }

    fn apply_env(&mut self, var: impl Fn(&str) -> Option<String>) -> Result<()> {
        let bad = |name: &str, value: &str| ServerError::Setup(format!("{name}={value:?} is invalid"));
        if let Some(dir) = var("PVZ_SERVER_DATA_DIR").filter(|d| !d.is_empty()) {
            self.data_dir = PathBuf::from(dir);
        }
        if let Some(url) = var("PVZ_SERVER_DATABASE_URL").filter(|u| !u.is_empty()) {
            self.database_url = Some(url);
        }
        if let Some(bind) = var("PVZ_SERVER_BIND").filter(|b| !b.is_empty()) {
            self.bind = bind.parse().map_err(|_| bad("PVZ_SERVER_BIND", &bind))?;
        }
        if let Some(max) = var("PVZ_SERVER_MAX_BODY_BYTES").filter(|m| !m.is_empty()) {
            self.max_body_bytes = max.parse().map_err(|_| bad("PVZ_SERVER_MAX_BODY_BYTES", &max))?;
        }
        if let Some(days) = var("PVZ_SERVER_CLAIM_CODE_TTL_DAYS").filter(|d| !d.is_empty()) {
            self.claim_code_ttl_days = days
                .parse()
                .ok()
                .filter(|d| (1..=3650).contains(d))
                .ok_or_else(|| bad("PVZ_SERVER_CLAIM_CODE_TTL_DAYS", &days))?;
        }
        if let Some(wait) = var("PVZ_SERVER_MAX_PULL_WAIT_SECONDS").filter(|w| !w.is_empty()) {
            self.max_pull_wait_seconds = wait.parse().map_err(|_| bad("PVZ_SERVER_MAX_PULL_WAIT_SECONDS", &wait))?;
        }
        if let Some(url) = var("PVZ_SERVER_BLOB_STORE_URL").filter(|u| !u.is_empty()) {
            self.blob_store_url = Some(url);
        }
        if let Some(days) = var("PVZ_SERVER_PERSONAL_DATA_RETENTION_DAYS").filter(|d| !d.is_empty()) {
            self.personal_data_retention_days =
                days.parse().map_err(|_| bad("PVZ_SERVER_PERSONAL_DATA_RETENTION_DAYS", &days))?;
        }
        if let Some(n) = var("PVZ_SERVER_ENROLL_FAILURES_PER_MINUTE").filter(|n| !n.is_empty()) {
            self.enroll_failures_per_minute =
                n.parse().map_err(|_| bad("PVZ_SERVER_ENROLL_FAILURES_PER_MINUTE", &n))?;
        }
        if let Some(n) = var("PVZ_SERVER_CREDENTIAL_FAILURES_PER_MINUTE").filter(|n| !n.is_empty()) {
            self.credential_failures_per_minute =
                n.parse().map_err(|_| bad("PVZ_SERVER_CREDENTIAL_FAILURES_PER_MINUTE", &n))?;
        }
        if let Some(header) = var("PVZ_SERVER_CLIENT_ADDRESS_HEADER").filter(|h| !h.is_empty()) {
            self.client_address_header = Some(header);
        }
        if let Some(dir) = var("PVZ_WEB_DIR").filter(|d| !d.is_empty()) {
            self.web_dir = Some(PathBuf::from(dir));
        }
        if let Some(secure) = var("PVZ_SERVER_SECURE_COOKIES").filter(|s| !s.is_empty()) {
            self.secure_cookies = secure.parse().map_err(|_| bad("PVZ_SERVER_SECURE_COOKIES", &secure))?;
        }
        if let Some(dir) = var("PVZ_SERVER_RELEASES_DIR").filter(|d| !d.is_empty()) {
            self.releases_dir = Some(PathBuf::from(dir));
        }
        if let Some(url) = var("PVZ_SERVER_PUBLIC_URL").filter(|u| !u.is_empty()) {
            self.public_url = Some(url);
        }
        Ok(())
    }

    /// The kiosk releases: `releases_dir`, or the data dir's `releases`.
    pub fn releases(&self) -> crate::releases::Releases {
        crate::releases::Releases {
            dir: Some(self.releases_dir.clone().unwrap_or_else(|| self.data_dir.join("releases"))),
            public_url: self.public_url.clone(),
        }
    }

    pub fn db_path(&self) -> PathBuf {
        self.data_dir.join(crate::db::DB_FILE)
    }

    /// The database `database_url` names, or the SQLite file in the data dir.
    pub fn database(&self) -> Result<crate::db::Database> {
        match &self.database_url {
            Some(url) => crate::db::Database::parse(url),
            None => Ok(crate::db::Database::Sqlite(self.db_path())),
        }
    }

    pub fn claim_code_ttl(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.claim_code_ttl_days.saturating_mul(24 * 3600))
    }

    /// The blob store `blob_store_url` names, or the data dir's `blobs` directory.
    pub fn blob_store(&self) -> Result<crate::blobs::BlobStore> {
        crate::blobs::BlobStore::open(self.blob_store_url.as_deref(), &self.data_dir)
    }

    /// The rate limits on failed enrollments and credentials; a header name that is not one is refused.
    pub fn rate_limits(&self) -> Result<crate::api::limits::RateLimits> {
        let header =
            match &self.client_address_header {
                Some(name) => Some(axum::http::HeaderName::try_from(name.trim()).map_err(|_| {
                    ServerError::Setup(format!("client_address_header = {name:?} is not a header name"))
                })?),
                None => None,
            };
        Ok(crate::api::limits::RateLimits::new(
            self.enroll_failures_per_minute,
            self.credential_failures_per_minute,
            header,
        ))
    }

    /// The web page's settings: `web_dir`, or the default directory when there is one.
    pub fn web_page(&self) -> crate::api::web_page::WebPage {
        crate::api::web_page::WebPage {
            dir: self.web_dir.clone().or_else(crate::api::web_page::default_dir),
            secure_cookies: self.secure_cookies,
        }
    }

    /// How long a pull may be held, capped at what the protocol allows.
    pub fn max_pull_wait(&self) -> std::time::Duration {
        std::time::Duration::from_secs(u64::from(self.max_pull_wait_seconds.min(MAX_PULL_WAIT_SECONDS)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_overrides_the_file() {
        let mut config: Config = toml::from_str("data_dir = \"/srv/pvz\"\nmax_body_bytes = 10").expect("valid toml");
        assert_eq!(config.data_dir, PathBuf::from("/srv/pvz"), "the file sets the data dir");
        config
            .apply_env(|name| match name {
                "PVZ_SERVER_BIND" => Some("0.0.0.0:9000".into()),
                "PVZ_SERVER_MAX_BODY_BYTES" => Some("2048".into()),
                "PVZ_SERVER_CLAIM_CODE_TTL_DAYS" => Some("30".into()),
                "PVZ_SERVER_MAX_PULL_WAIT_SECONDS" => Some("90".into()),
                "PVZ_SERVER_BLOB_STORE_URL" => Some("s3://claims/pvz".into()),
                "PVZ_SERVER_PERSONAL_DATA_RETENTION_DAYS" => Some("30".into()),
                _ => None,
            })
            .expect("valid env");
        assert_eq!(config.bind, SocketAddr::from(([0, 0, 0, 0], 9000)), "env overrides the bind address");
        assert_eq!(config.max_body_bytes, 2048, "env overrides the body limit");
        assert_eq!(config.claim_code_ttl().as_secs(), 30 * 24 * 3600, "env sets how long claim return codes last");
        assert_eq!(config.max_pull_wait().as_secs(), 25, "a held pull waits no longer than the protocol allows");
        assert_eq!(config.blob_store_url.as_deref(), Some("s3://claims/pvz"), "env names the blob store");
        assert_eq!(config.personal_data_retention_days, 30, "env sets how long personal data is kept");
        assert!(config.apply_env(|_| Some("nope".into())).is_err(), "an unparsable override is an error");
        assert!(toml::from_str::<Config>("colour = 1").is_err(), "unknown keys are refused, not ignored");
    }
}
