//! `pvz-kiosk-updater once [--spool DIR] [--key FILE] [--work DIR] [--status FILE] [--package NAME]`:
//! one pass over the spool, as the systemd service runs it when the spool changes (and as a script
//! or a test runs it by hand). Prints each package's outcome; exits 1 when one was refused or failed.

use pvz_kiosk_updater::{process_spool, Outcome, Settings};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str =
    "usage: pvz-kiosk-updater once [--spool DIR] [--key FILE] [--work DIR] [--status FILE] [--package NAME]";

fn main() -> ExitCode {
    let settings = match parse(std::env::args().skip(1).collect()) {
        Ok(settings) => settings,
        Err(message) => {
            eprintln!("pvz-kiosk-updater: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match process_spool(&settings) {
        Ok(statuses) => {
            for status in &statuses {
                println!("{}: {}", status.file, status.message);
            }
            if statuses.iter().all(|s| s.outcome == Outcome::Installed) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(error) => {
            eprintln!("pvz-kiosk-updater: the spool {} cannot be read: {error}", settings.spool.display());
            ExitCode::FAILURE
        }
    }
}

fn parse(args: Vec<String>) -> Result<Settings, String> {
    let mut args = args.into_iter();
    if args.next().as_deref() != Some("once") {
        return Err("the only command is `once`".into());
    }
    let mut settings = Settings::standard();
    let mut status = None;
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--spool" => settings.spool = PathBuf::from(value),
            "--key" => settings.key = PathBuf::from(value),
            "--work" => settings.work = PathBuf::from(value),
            "--status" => status = Some(PathBuf::from(value)),
            "--package" => settings.package = value,
            other => return Err(format!("unknown option {other}")),
        }
    }
    settings.status = status.unwrap_or_else(|| settings.work.join("status.json"));
    Ok(settings)
}
