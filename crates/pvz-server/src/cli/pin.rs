//! Where `add-employee` and `set-pin` take the PIN from: the first line of standard input
//! (`--pin-stdin`), or `--pin` on the command line for scripts, else the environment's
//! `PVZ_SERVER_PIN`. A PIN in the arguments shows in the process list and the shell's history;
//! one on stdin or in the environment does not (the environment is readable only by the same user).

use crate::error::{Result, ServerError};
use clap::Args;
use std::io::BufRead;

/// The environment variable a PIN is taken from when neither flag gives one.
pub const PIN_ENV: &str = "PVZ_SERVER_PIN";

const HOW: &str = "give the PIN on stdin with --pin-stdin, in PVZ_SERVER_PIN, or (scripts) with --pin";

#[derive(Debug, Args)]
pub struct PinArgs {
    /// The PIN itself, for scripts: it shows in the process list and the shell's history, so prefer
    /// --pin-stdin or PVZ_SERVER_PIN.
    #[arg(long, conflicts_with = "pin_stdin")]
    pin: Option<String>,
    /// Read the PIN from the first line of standard input (a pipe or a file: typed at a terminal it
    /// shows on the screen).
    #[arg(long)]
    pin_stdin: bool,
}

impl PinArgs {
    /// The PIN the flags name, else the one in `env` (the value of [`PIN_ENV`]); `stdin` is read only
    /// for `--pin-stdin`. Surrounding whitespace (the line end) is dropped; whether the PIN is valid
    /// is the admin's to check.
    pub fn read(self, env: Option<String>, mut stdin: impl BufRead) -> Result<String> {
        let missing = |why: &str| ServerError::BadRequest(format!("{why}: {HOW}"));
        if let Some(pin) = self.pin {
            return Ok(pin);
        }
        if self.pin_stdin {
            let mut line = String::new();
            stdin.read_line(&mut line).map_err(|e| missing(&format!("standard input could not be read ({e})")))?;
            let pin = line.trim();
            if pin.is_empty() {
                return Err(missing("--pin-stdin found no PIN on standard input"));
            }
            return Ok(pin.to_owned());
        }
        match env.as_deref().map(str::trim) {
            Some(pin) if !pin.is_empty() => Ok(pin.to_owned()),
            Some(_) => Err(missing("PVZ_SERVER_PIN is empty")),
            None => Err(missing("no PIN was given")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(pin: Option<&str>, pin_stdin: bool) -> PinArgs {
        PinArgs { pin: pin.map(str::to_owned), pin_stdin }
    }

    fn env(pin: &str) -> Option<String> {
        Some(pin.to_owned())
    }

    #[test]
    fn a_flag_names_the_pin_before_the_environment() {
        let read = |a: PinArgs, e: Option<String>, input: &str| a.read(e, input.as_bytes()).ok();
        assert_eq!(read(args(Some("6284"), false), env("5917"), ""), Some("6284".into()), "--pin wins");
        assert_eq!(read(args(None, true), env("5917"), "3728\r\n"), Some("3728".into()), "then stdin's first line");
        assert_eq!(read(args(None, true), None, "3728\n4826\n"), Some("3728".into()), "only its first line");
        assert_eq!(read(args(None, false), env(" 5917\n"), "4826\n"), Some("5917".into()), "then the env, not stdin");
    }

    #[test]
    fn no_pin_is_an_error_that_says_how_to_give_one() {
        for (a, e, input, what) in [
            (args(None, false), None, "4826\n", "nothing, stdin unasked"),
            (args(None, false), env("  "), "", "a blank PVZ_SERVER_PIN"),
            (args(None, true), env("5917"), "", "--pin-stdin at the end of input"),
            (args(None, true), None, " \n4826\n", "--pin-stdin with a blank first line"),
        ] {
            let err = a.read(e, input.as_bytes()).expect_err(what).to_string();
            assert!(err.contains("--pin-stdin") && err.contains(PIN_ENV), "{what}: says how: {err}");
        }
    }
}
