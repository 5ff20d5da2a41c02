//! One process per store: a second process of any kind (here the headless kiosk, the CLI the chaos
//! runs use) is refused a store another process has open, with the directory and the holder's pid,
//! and gets in once the holder is gone.

use pvz_kiosk_core::{Kiosk, KioskError};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

fn headless(data_dir: &Path, command: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pvz-kiosk-headless"));
    cmd.arg(command).env("PVZ_DATA_DIR", data_dir).env_remove("PVZ_SERVER_URL").env_remove("PVZ_ENROLL_CODE");
    cmd
}

#[test]
fn a_second_process_is_refused_the_open_store_and_told_who_holds_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("kiosk.sqlite3");
    let kiosk = Kiosk::open(&store).expect("this process opens the store");

    let second = headless(dir.path(), "sync").output().expect("the headless kiosk runs");
    let said = String::from_utf8_lossy(&second.stderr);
    assert!(!second.status.success(), "the second process must not run on the open store: {said}");
    assert!(said.contains(&dir.path().display().to_string()), "the refusal names the store directory: {said}");
    assert!(said.contains(&format!("pid {}", std::process::id())), "and the pid of the process holding it: {said}");

    drop(kiosk);
    let after = headless(dir.path(), "sync").output().expect("the headless kiosk runs");
    let said = String::from_utf8_lossy(&after.stderr);
    assert!(!said.contains("already open"), "once the holder closed the store, the next one opens it: {said}");
}

#[test]
fn while_another_process_holds_the_store_this_one_is_refused_until_it_ends() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("kiosk.sqlite3");
    let mut holder = headless(dir.path(), "run")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the headless kiosk starts");
    // Its engine reports a status as soon as it runs, and it runs only on an open store.
    let mut first = String::new();
    BufReader::new(holder.stdout.take().expect("its stdout")).read_line(&mut first).expect("a status line");
    assert!(first.contains("\"configured\""), "the holder reports its sync status: {first}");

    match Kiosk::open(&store) {
        Err(KioskError::StoreInUse { dir: refused, holder: pid }) => {
            assert_eq!(refused, dir.path(), "the refusal names the store directory");
            assert_eq!(pid, Some(holder.id()), "and the holder's pid");
        }
        Err(other) => panic!("the store held by another process must be refused as in use, not: {other}"),
        Ok(_) => panic!("a store held by another process must not open here"),
    }

    drop(holder.stdin.take());
    let ended = holder.wait().expect("the holder ends once its stdin closes");
    assert!(ended.success(), "the holder ends cleanly: {ended}");
    Kiosk::open(&store).expect("with the holder gone, the store opens here");
}
