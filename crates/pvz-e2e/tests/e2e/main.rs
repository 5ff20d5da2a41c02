//! End-to-end tests in the real built kiosk window (tauri-driver + WebKitWebDriver under Xvfb), one
//! binary: the counter's window, returns, the shift, and sync with a real server. Run with
//! `--test-threads=1`: one WebDriver session at a time.

mod common;
mod kiosk_mode;
mod instance;
mod returns;
mod seller_web;
mod shift;
mod sync;
mod window;
