//! Printing through CUPS with the system's `lp` and `lpstat` (Debian package cups-client): list the
//! printers and send a PDF to one chosen by name. The only module of this crate that does IO.
//!
//! `PVZ_CUPS_SERVER` (`host:port`) points the commands at another scheduler (passed as `-h`), and
//! `PVZ_CUPS_BIN_DIR` at another folder holding `lp` and `lpstat`; tests use both to reach a private
//! `cupsd` without touching the machine's own.

use crate::PrintError;
use std::io::{ErrorKind, Write};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// A print queue the scheduler knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printer {
    pub name: String,
    /// The scheduler's (or the user's lpoptions') default destination.
    pub is_default: bool,
}

/// Where the CUPS commands are and which scheduler they ask; the default is `lp`/`lpstat` on `PATH`
/// and the scheduler the system is configured for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cups {
    server: Option<String>,
    bin_dir: Option<PathBuf>,
}

/// The printers of the scheduler set by the environment (see the module notes).
pub fn list_printers() -> Result<Vec<Printer>, PrintError> {
    Cups::from_env().list_printers()
}

/// Prints `pdf` on `printer` as a job named `title`; returns the scheduler's job id (`printer-42`).
pub fn print_pdf(printer: &str, title: &str, pdf: &[u8]) -> Result<String, PrintError> {
    Cups::from_env().print_pdf(printer, title, pdf)
}

impl Cups {
    /// Reads `PVZ_CUPS_SERVER` and `PVZ_CUPS_BIN_DIR`; unset or empty means the system default.
    pub fn from_env() -> Cups {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        Cups { server: var("PVZ_CUPS_SERVER"), bin_dir: var("PVZ_CUPS_BIN_DIR").map(PathBuf::from) }
    }

    /// Ask the scheduler at `host:port` instead of the system's.
    pub fn with_server(mut self, server: impl Into<String>) -> Cups {
        self.server = Some(server.into());
        self
    }

    /// Run `lp` and `lpstat` from `dir` instead of `PATH`.
    pub fn with_bin_dir(mut self, dir: impl Into<PathBuf>) -> Cups {
        self.bin_dir = Some(dir.into());
        self
    }

    /// Every destination, with the default marked. An empty list means CUPS runs but has no printer.
    pub fn list_printers(&self) -> Result<Vec<Printer>, PrintError> {
        // lpstat lists nothing, successfully, when the scheduler is down: ask first.
        self.ensure_running()?;
        let names = self.run_ok("lpstat", &["-e"], None)?;
        let default = self.run_ok("lpstat", &["-d"], None)?;
        let default = default.trim().strip_prefix("system default destination:").map(str::trim);
        Ok(names
            .lines()
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(|name| Printer { name: name.to_string(), is_default: Some(name) == default })
            .collect())
    }

    /// Sends `pdf` to `printer` as one copy of a job named `title`; the scheduler converts it for the
    /// printer. Returns the job id that `lpstat -o` shows.
    pub fn print_pdf(&self, printer: &str, title: &str, pdf: &[u8]) -> Result<String, PrintError> {
        if printer.trim().is_empty() {
            return Err(PrintError::NoPrinterChosen);
        }
        let output = self.run("lp", &["-d", printer, "-t", title, "-n", "1"], Some(pdf))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        if output.status.success() {
            // "request id is pvz-test-3 (0 file(s))"; the job exists whatever the wording, so never
            // report it as failed (the manager would print it again).
            let id = stdout.split("request id is ").nth(1).and_then(|rest| rest.split_whitespace().next());
            return Ok(id.unwrap_or(stdout.trim()).to_string());
        }
        let stderr = String::from_utf8_lossy(&output.stderr).trim().to_string();
        if stderr.contains("does not exist") {
            // lp says the same of every printer when it cannot reach the scheduler.
            self.ensure_running()?;
            return Err(PrintError::PrinterNotFound { printer: printer.to_string() });
        }
        Err(failure("lp", stderr))
    }

    fn ensure_running(&self) -> Result<(), PrintError> {
        let status = self.run_ok("lpstat", &["-r"], None)?;
        if status.trim() == "scheduler is running" {
            Ok(())
        } else {
            Err(PrintError::CupsNotRunning)
        }
    }

    /// Runs a command and returns its standard output, or the failure as a [`PrintError`].
    fn run_ok(&self, command: &str, args: &[&str], input: Option<&[u8]>) -> Result<String, PrintError> {
        let output = self.run(command, args, input)?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            Err(failure(command, String::from_utf8_lossy(&output.stderr).trim().to_string()))
        }
    }

    fn run(&self, command: &str, args: &[&str], input: Option<&[u8]>) -> Result<Output, PrintError> {
        let program = self.bin_dir.as_ref().map_or_else(|| PathBuf::from(command), |dir| dir.join(command));
        let mut cmd = Command::new(program);
        if let Some(server) = &self.server {
            cmd.args(["-h", server]);
        }
        // English messages, to tell the failures apart; job titles stay UTF-8 either way.
        cmd.args(args).env("LC_ALL", "C").env("LANG", "C");
        cmd.stdin(if input.is_some() { Stdio::piped() } else { Stdio::null() });
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| match e.kind() {
            ErrorKind::NotFound => PrintError::CupsNotInstalled { command: command.to_string() },
            _ => PrintError::Io(e),
        })?;
        if let (Some(bytes), Some(mut stdin)) = (input, child.stdin.take()) {
            // A command that fails before reading its input closes the pipe; its exit status and
            // message tell why, so a broken pipe here is not the error to report.
            if let Err(e) = stdin.write_all(bytes) {
                if e.kind() != ErrorKind::BrokenPipe {
                    return Err(PrintError::Io(e));
                }
            }
        }
        Ok(child.wait_with_output()?)
    }
}

fn failure(command: &str, stderr: String) -> PrintError {
    let unreachable = ["Scheduler is not running", "Unable to connect", "Connection refused", "Bad file descriptor"];
    if unreachable.iter().any(|sign| stderr.contains(sign)) {
        PrintError::CupsNotRunning
    } else {
        PrintError::CupsFailed { command: command.to_string(), stderr }
    }
}
