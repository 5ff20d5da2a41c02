//! Настройки кассы: the kiosk's configuration. The system file (`/etc/pvz-kiosk/kiosk.toml`), then the
//! user's (`$XDG_CONFIG_HOME/pvz-kiosk/kiosk.toml`), then the environment (`PVZ_SERVER_URL`, ...)
//! each override the one before, key by key. Reading never fails: a wrong value (bad syntax, an
//! unknown key, a wrong type, a value out of range) becomes one [`ConfigProblem`] naming where it
//! came from, the key and what is allowed, and that key keeps the value of the layer before it (or
//! the default), so the counter still opens. Kiosk mode switched on in the system file stays on
//! whatever the user's file or the environment say: the operator's choice for the PC, not the
//! counter user's. Parsing and merging are pure ([`parse_file`], [`env_layer`], [`merge`]);
//! [`load`] only adds reading the files.

mod layer;

pub use layer::{env_layer, parse_file, Layer};

use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// The file's name in the system's and the user's configuration directories.
pub const FILE_NAME: &str = "kiosk.toml";

/// A language the counter's window speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Language {
    Ru,
    En,
}

impl Language {
    /// `ru` or `en`, as written in the file; `None` for anything else.
    pub fn parse(text: &str) -> Option<Language> {
        match text {
            "ru" => Some(Language::Ru),
            "en" => Some(Language::En),
            _ => None,
        }
    }
}

/// The merged configuration: what the window starts with. Every key is documented in the example
/// file `packaging/kiosk/kiosk.toml` and the README.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KioskConfig {
    /// The central server to enroll with (`http://` or `https://`); with `enroll_code`, the kiosk
    /// enrolls at start when it has no server yet.
    pub server_url: Option<String>,
    /// The one-time enrollment code the server issued for this pickup point.
    pub enroll_code: Option<String>,
    /// The name the server lists for this device; the host name when unset.
    pub device_name: Option<String>,
    /// Fullscreen, no window decorations, closing needs a manager's PIN.
    pub kiosk_mode: bool,
    /// Whether the session's autostart entry starts the counter; follows `kiosk_mode` when unset.
    pub autostart: Option<bool>,
    /// The printer the print bar picks first, when the system offers it.
    pub default_printer: Option<String>,
    /// The language the window opens in; the manager's last choice when unset.
    pub language: Option<Language>,
    /// Where the store lives; the platform's application data directory when unset.
    pub data_dir: Option<PathBuf>,
}

impl KioskConfig {
    /// Whether `pvz-kiosk --autostart` starts the counter.
    pub fn autostart(&self) -> bool {
        self.autostart.unwrap_or(self.kiosk_mode)
    }
}

/// A wrong value: where it came from (a file's path, or the environment), the key (or variable),
/// and what is allowed. Shown in the window and written to the log as one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub origin: String,
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            Some(key) => write!(f, "{}: {key}: {}", self.origin, self.message),
            None => write!(f, "{}: {}", self.origin, self.message),
        }
    }
}

/// What the window shows of the configuration: kiosk mode, the language to open in, and every
/// problem found (empty when all is well).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ConfigView {
    pub kiosk_mode: bool,
    pub language: Option<Language>,
    pub problems: Vec<String>,
}

/// The configuration with the problems found while reading it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadedConfig {
    pub config: KioskConfig,
    pub problems: Vec<ConfigProblem>,
}

impl LoadedConfig {
    pub fn view(&self) -> ConfigView {
        ConfigView {
            kiosk_mode: self.config.kiosk_mode,
            language: self.config.language,
            problems: self.problems.iter().map(ToString::to_string).collect(),
        }
    }
}

/// Where the two files are: `PVZ_SYSTEM_CONFIG` and `PVZ_CONFIG_DIR` move them (tests, a second
/// kiosk on one PC); otherwise the platform's places.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigPaths {
    pub system: PathBuf,
    pub user: Option<PathBuf>,
}

impl ConfigPaths {
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> ConfigPaths {
        let set = |name: &str| env(name).filter(|value| !value.is_empty());
        let system = set("PVZ_SYSTEM_CONFIG").map(PathBuf::from).unwrap_or_else(|| system_dir(&set).join(FILE_NAME));
        let user_dir = set("PVZ_CONFIG_DIR").map(PathBuf::from).or_else(|| user_dir(&set));
        ConfigPaths { system, user: user_dir.map(|dir| dir.join(FILE_NAME)) }
    }
}

#[cfg(not(windows))]
fn system_dir(_env: &dyn Fn(&str) -> Option<String>) -> PathBuf {
    PathBuf::from("/etc/pvz-kiosk")
}

#[cfg(windows)]
fn system_dir(env: &dyn Fn(&str) -> Option<String>) -> PathBuf {
    PathBuf::from(env("PROGRAMDATA").unwrap_or_else(|| r"C:\ProgramData".into())).join("pvz-kiosk")
}

#[cfg(not(windows))]
fn user_dir(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let config_home = env("XDG_CONFIG_HOME").map(PathBuf::from);
    config_home.or_else(|| env("HOME").map(|home| Path::new(&home).join(".config"))).map(|dir| dir.join("pvz-kiosk"))
}

#[cfg(windows)]
fn user_dir(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    env("APPDATA").map(|dir| Path::new(&dir).join("pvz-kiosk"))
}

/// Reads both files (a missing one is no problem; an unreadable one is) and the environment, and
/// merges them.
pub fn load(paths: &ConfigPaths, env: &dyn Fn(&str) -> Option<String>) -> LoadedConfig {
    let mut problems = Vec::new();
    let mut read = |path: &Path| match std::fs::read_to_string(path) {
        Ok(text) => parse_file(path, &text, &mut problems),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Layer::default(),
        Err(error) => {
            problems.push(ConfigProblem {
                origin: path.display().to_string(),
                key: None,
                message: format!("cannot be read ({error}); its settings are not used"),
            });
            Layer::default()
        }
    };
    let system = read(&paths.system);
    let user = paths.user.as_deref().map(&mut read).unwrap_or_default();
    let env = env_layer(env, &mut problems);
    let config = merge(&paths.system, system, [(paths.user.as_deref(), user), (None, env)], &mut problems);
    LoadedConfig { config, problems }
}

/// The layers over the system file's, in order; each later one wins key by key. Kiosk mode set by
/// the system file stays on: a later layer switching it off is a problem, not an override.
pub fn merge<'a>(
    system_path: &Path,
    system: Layer,
    overrides: impl IntoIterator<Item = (Option<&'a Path>, Layer)>,
    problems: &mut Vec<ConfigProblem>,
) -> KioskConfig {
    let locked_on = system.kiosk_mode == Some(true);
    let mut merged = system;
    for (path, layer) in overrides {
        if locked_on && layer.kiosk_mode == Some(false) {
            problems.push(ConfigProblem {
                origin: path.map_or_else(|| "the environment".to_owned(), |p| p.display().to_string()),
                key: Some("kiosk_mode".into()),
                message: format!(
                    "kiosk mode is switched on for this PC in {}; only that file can switch it off",
                    system_path.display()
                ),
            });
        }
        merged = merged.overridden_by(layer);
    }
    if locked_on {
        merged.kiosk_mode = Some(true);
    }
    merged.into_config()
}

#[cfg(test)]
mod tests;
