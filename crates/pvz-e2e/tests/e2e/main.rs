//! End-to-end tests in the real built kiosk window (tauri-driver + WebKitWebDriver under Xvfb), one
//! binary: the counter's window, returns, the shift, sync with a real server, and taking an update. Run with
//! `--test-threads=1`: one WebDriver session at a time.

mod common;
mod instance;
mod kiosk_mode;
mod returns;
mod seller_web;
mod shift;
mod sync;
mod updates;
mod window;
