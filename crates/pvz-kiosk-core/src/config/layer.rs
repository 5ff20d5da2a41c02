//! One layer of the configuration (a file, or the environment), read into checked values. A wrong
//! key is reported and left out; the layer's other keys still count.

use super::{ConfigProblem, KioskConfig, Language};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The keys a file may hold, as written there. `deny_unknown_fields`: a misspelt key is an error
/// that lists the allowed ones, not a setting silently ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileKeys {
    server_url: Option<String>,
    enroll_code: Option<String>,
    device_name: Option<String>,
    kiosk_mode: Option<bool>,
    autostart: Option<bool>,
    default_printer: Option<String>,
    language: Option<String>,
    data_dir: Option<String>,
}

/// A layer's checked values; `None`: not set in this layer (or set wrong, and reported).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layer {
    pub server_url: Option<String>,
    pub enroll_code: Option<String>,
    pub device_name: Option<String>,
    pub kiosk_mode: Option<bool>,
    pub autostart: Option<bool>,
    pub default_printer: Option<String>,
    pub language: Option<Language>,
    pub data_dir: Option<PathBuf>,
}

impl Layer {
    /// This layer with `later`'s keys where `later` sets them.
    pub(super) fn overridden_by(self, later: Layer) -> Layer {
        Layer {
            server_url: later.server_url.or(self.server_url),
            enroll_code: later.enroll_code.or(self.enroll_code),
            device_name: later.device_name.or(self.device_name),
            kiosk_mode: later.kiosk_mode.or(self.kiosk_mode),
            autostart: later.autostart.or(self.autostart),
            default_printer: later.default_printer.or(self.default_printer),
            language: later.language.or(self.language),
            data_dir: later.data_dir.or(self.data_dir),
        }
    }

    pub(super) fn into_config(self) -> KioskConfig {
        KioskConfig {
            server_url: self.server_url,
            enroll_code: self.enroll_code,
            device_name: self.device_name,
            kiosk_mode: self.kiosk_mode.unwrap_or(false),
            autostart: self.autostart,
            default_printer: self.default_printer,
            language: self.language,
            data_dir: self.data_dir,
        }
    }
}

/// Checks each value of a layer, reporting a wrong one against its key and leaving it out.
struct Checker<'a> {
    origin: String,
    problems: &'a mut Vec<ConfigProblem>,
}

impl Checker<'_> {
    fn report(&mut self, key: &str, message: String) {
        self.problems.push(ConfigProblem { origin: self.origin.clone(), key: Some(key.to_owned()), message });
    }

    fn check<T>(
        &mut self,
        key: &str,
        value: Option<String>,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let value = value?;
        match parse(value.trim()) {
            Ok(parsed) => Some(parsed),
            Err(message) => {
                self.report(key, message);
                None
            }
        }
    }
}

fn server_url(text: &str) -> Result<String, String> {
    let wrong = || format!("{text:?} is not a server address; write it as https://host or http://host:port");
    let url = reqwest::Url::parse(text).map_err(|_| wrong())?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(wrong());
    }
    Ok(text.to_owned())
}

fn not_empty(text: &str) -> Result<String, String> {
    if text.is_empty() {
        return Err("is empty; leave the key out instead".into());
    }
    Ok(text.to_owned())
}

fn language(text: &str) -> Result<Language, String> {
    Language::parse(text).ok_or_else(|| format!("{text:?} is not a language of the counter; allowed: \"ru\", \"en\""))
}

fn absolute_dir(text: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(text);
    if !path.is_absolute() {
        return Err(format!("{text:?} is not an absolute path; write the whole path, e.g. /var/lib/pvz-kiosk"));
    }
    Ok(path)
}

fn bool_from_env(text: &str) -> Result<bool, String> {
    match text {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(format!("{text:?} is not on or off; allowed: 1, true, 0, false")),
    }
}

impl Checker<'_> {
    fn layer(&mut self, keys: FileKeys) -> Layer {
        Layer {
            server_url: self.check("server_url", keys.server_url, server_url),
            enroll_code: self.check("enroll_code", keys.enroll_code, not_empty),
            device_name: self.check("device_name", keys.device_name, not_empty),
            kiosk_mode: keys.kiosk_mode,
            autostart: keys.autostart,
            default_printer: self.check("default_printer", keys.default_printer, not_empty),
            language: self.check("language", keys.language, language),
            data_dir: self.check("data_dir", keys.data_dir, absolute_dir),
        }
    }
}

/// The key on the line where a TOML error's span starts: the text before `=` (an unknown key's
/// span is the key itself, a wrong type's the value after it).
fn key_at(text: &str, span: Option<std::ops::Range<usize>>) -> Option<String> {
    let start = span?.start.min(text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or_default();
    let key = line.split('=').next()?.trim().trim_matches(|c| c == '"' || c == '\'');
    (!key.is_empty() && !key.starts_with('[')).then(|| key.to_owned())
}

/// Reads one file's text. A syntax error leaves the whole file out (which key was meant cannot be
/// told); an unknown key or a wrong type leaves out that key only, and the rest is read again
/// without it.
pub fn parse_file(path: &Path, text: &str, problems: &mut Vec<ConfigProblem>) -> Layer {
    let origin = path.display().to_string();
    let mut table = match text.parse::<toml::Table>() {
        Ok(table) => table,
        Err(error) => {
            let line = error.span().map(|span| text[..span.start.min(text.len())].lines().count().max(1));
            let at = line.map(|line| format!(" at line {line}")).unwrap_or_default();
            let message = format!("is not valid TOML{at} ({}); none of its settings are used", error.message().trim());
            problems.push(ConfigProblem { origin, key: None, message });
            return Layer::default();
        }
    };
    let mut current = text.to_owned();
    let mut checker = Checker { origin, problems };
    // Each round leaves out one wrong key, so there are at most as many rounds as keys.
    for _ in 0..=table.len() {
        match toml::from_str::<FileKeys>(&current) {
            Ok(keys) => return checker.layer(keys),
            Err(error) => {
                let key = key_at(&current, error.span()).filter(|key| table.contains_key(key));
                let Some(key) = key else {
                    let message = format!("{}; none of its settings are used", error.message().trim());
                    checker.problems.push(ConfigProblem { origin: checker.origin.clone(), key: None, message });
                    return Layer::default();
                };
                checker.report(&key, error.message().trim().to_owned());
                table.remove(&key);
                current = toml::to_string(&table).unwrap_or_default();
            }
        }
    }
    Layer::default()
}

/// The environment's layer: the `PVZ_*` variables the kiosk has always read. An empty variable is
/// not set.
pub fn env_layer(env: &dyn Fn(&str) -> Option<String>, problems: &mut Vec<ConfigProblem>) -> Layer {
    let var = |name: &str| env(name).filter(|value| !value.trim().is_empty());
    let mut checker = Checker { origin: "the environment".into(), problems };
    Layer {
        server_url: checker.check("PVZ_SERVER_URL", var("PVZ_SERVER_URL"), server_url),
        enroll_code: var("PVZ_ENROLL_CODE").map(|code| code.trim().to_owned()),
        device_name: var("PVZ_DEVICE_NAME").map(|name| name.trim().to_owned()),
        kiosk_mode: checker.check("PVZ_KIOSK_MODE", var("PVZ_KIOSK_MODE"), bool_from_env),
        autostart: None,
        default_printer: var("PVZ_PRINTER").map(|name| name.trim().to_owned()),
        language: checker.check("PVZ_LANG", var("PVZ_LANG"), language),
        // As before the files existed, any path: a relative one is the working directory's.
        data_dir: var("PVZ_DATA_DIR").map(PathBuf::from),
    }
}
