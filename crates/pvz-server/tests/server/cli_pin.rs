//! The PIN commands of the real `pvz-server` binary: `add-employee` and `set-pin` take the PIN from
//! standard input (`--pin-stdin`) or the environment (`PVZ_SERVER_PIN`), so it need not show in the
//! process list or the shell's history, and still from `--pin` for scripts.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
}

/// Runs the binary on `dir` with `args`, `stdin` written to it and `env` set (nothing inherited that
/// would choose a PIN or a data dir).
fn pvz_server(dir: &Path, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pvz-server"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("PVZ_SERVER_PIN")
        .env_remove("PVZ_SERVER_DATA_DIR")
        .env("PVZ_SERVER_DATABASE_URL", crate::common::database_url(dir).unwrap_or_default())
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // A command that does not read stdin may have ended already: its closed pipe is not a failure.
    match child.stdin.take().expect("stdin").write_all(stdin.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => panic!("write stdin: {e}"),
        _ => {}
    }
    let out = child.wait_with_output().expect("the binary ends");
    Run {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn pin_is(dir: &Path, pin: &str) -> bool {
    crate::common::admin(dir).verify_employee_pin("anna", pin).expect("anna exists")
}

#[test]
fn a_pin_comes_from_stdin_the_environment_or_the_command_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dir = dir.path();
    let point = pvz_server(dir, &["add-pickup-point", "--id", "pp-1", "--name", "ПВЗ"], "", &[]);
    assert!(point.ok, "the point is added: {}", point.stderr);

    let add = ["add-employee", "--id", "anna", "--pickup-point", "pp-1", "--name", "Анна", "--role", "manager"];
    let added = pvz_server(dir, &[&add[..], &["--pin-stdin"]].concat(), "4826\n", &[]);
    assert!(added.ok, "add-employee reads the PIN from stdin: {}", added.stderr);
    assert_eq!(added.stdout.trim(), "anna", "and prints the employee id");
    assert!(pin_is(dir, "4826"), "the PIN read from stdin is the one stored");

    let set = ["set-pin", "--employee", "anna"];
    let from_env = pvz_server(dir, &set, "", &[("PVZ_SERVER_PIN", "5917")]);
    assert!(from_env.ok, "set-pin takes PVZ_SERVER_PIN: {}", from_env.stderr);
    assert!(pin_is(dir, "5917"), "the PIN from the environment is stored");

    let piped = pvz_server(dir, &[&set[..], &["--pin-stdin"]].concat(), "3728\r\n", &[("PVZ_SERVER_PIN", "5917")]);
    assert!(piped.ok, "set-pin reads stdin: {}", piped.stderr);
    assert!(pin_is(dir, "3728"), "--pin-stdin wins over the environment, the line end dropped");

    let scripted = pvz_server(dir, &[&set[..], &["--pin", "6284"]].concat(), "", &[("PVZ_SERVER_PIN", "5917")]);
    assert!(scripted.ok, "--pin still works for scripts: {}", scripted.stderr);
    assert!(pin_is(dir, "6284"), "and wins over the environment");

    for (args, stdin, what) in [
        (vec!["--pin", "7391", "--pin-stdin"], "7391\n", "--pin and --pin-stdin together"),
        (vec![], "", "no PIN anywhere"),
        (vec!["--pin-stdin"], "", "--pin-stdin with nothing on stdin"),
        (vec!["--pin-stdin"], "\n", "--pin-stdin with an empty line"),
    ] {
        let refused = pvz_server(dir, &[&set[..], &args].concat(), stdin, &[]);
        assert!(!refused.ok, "{what} is refused");
        assert!(
            refused.stderr.contains("--pin-stdin"),
            "{what}: the error names the way to give a PIN: {}",
            refused.stderr
        );
        assert!(pin_is(dir, "6284"), "{what}: the PIN is unchanged");
    }
    let no_pin = pvz_server(dir, &set, "", &[]);
    assert!(no_pin.stderr.contains("PVZ_SERVER_PIN"), "the environment variable is named too: {}", no_pin.stderr);
}
