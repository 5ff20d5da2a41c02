//! End-to-end drivers: the real built kiosk window through tauri-driver ([`App`]) and a plain web
//! page in WebKitGTK's MiniBrowser through WebKitWebDriver ([`Browser`]), both a [`Page`] to wait
//! on, click and read, and to count the keys a flow takes ([`Keys`]). Need an X display (run under `xvfb-run`).

mod browser;
mod keys;
mod kiosk;
mod page;

pub use browser::Browser;
pub use fantoccini::key::Key;
pub use keys::Keys;
pub use kiosk::{app_binary, demo_seed, App};
pub use page::{Page, WAIT};

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command};

/// A binary built in the same target directory and profile as the running test or bench (the
/// test binary sits in `<target>/debug/deps`, a bench binary in `<target>/release`).
pub fn sibling_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the running executable's path");
    exe.ancestors()
        .skip(1)
        .take(2)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.exists())
        .unwrap_or_else(|| panic!("build {name} first (`cargo build -p {name}`): not found beside {}", exe.display()))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap_or(4444)
}

/// Ends a process started in its own process group (a driver, an app), and everything it started.
pub fn stop_process_group(driver: &mut Child) {
    let group = format!("-{}", driver.id());
    let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
    let _ = driver.kill();
    let _ = driver.wait();
}
