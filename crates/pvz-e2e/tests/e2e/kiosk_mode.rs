//! The configuration and kiosk mode in the real window: a wrong kiosk.toml is one message per wrong
//! value in the window while the counter still opens (in the language the user's file asks for);
//! in kiosk mode the window is fullscreen without decorations, and a close request keeps it open
//! until a manager's PIN allows it.

use crate::common::{Counter, MANAGER, MANAGER_PIN};
use pvz_e2e::App;

#[tokio::test(flavor = "current_thread")]
async fn a_wrong_configuration_is_shown_in_the_window_and_the_counter_still_opens() {
    let system = "server_url = \"pvz.example.ru\"\nkiosk_mode = \"yes\"\n";
    let app = App::start_configured(system, "language = \"en\"\n").await;
    let banner = app.wait_text("[data-testid=config-problems]", "kiosk.toml").await;
    assert!(banner.contains("configuration"), "the banner is in the user file's language, English: {banner:?}");
    let problems = app.count("[data-testid=config-problem]").await;
    assert_eq!(problems, 2, "one message per wrong value: {banner:?}");
    let file = app.data.path().join("etc-pvz-kiosk.toml").display().to_string();
    for key in ["server_url", "kiosk_mode"] {
        assert!(banner.contains(&format!("{file}: {key}: ")), "the message names the file and {key}: {banner:?}");
    }
    assert!(banner.contains("https://") && banner.contains("boolean"), "each says what is allowed: {banner:?}");
    app.wait_for("[data-testid=manual-input]").await;
    assert_eq!(app.window_mode().await, (false, true), "kiosk mode set wrong stays off: a normal window");
    assert_eq!(app.text("[data-testid=lang-switch]").await, "RU", "the window opened in English");
    app.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn in_kiosk_mode_the_window_fills_the_screen_and_closes_only_with_a_managers_pin() {
    let counter = Counter::start_online_configured("kiosk_mode = true\n").await;
    let app = &counter.app;
    assert_eq!(app.window_mode().await, (true, false), "kiosk mode: fullscreen, no decorations");
    let (_, _, width, height) = app.client().get_window_rect().await.expect("the window's rectangle");
    let screen: (u64, u64) = app.eval("return [screen.width, screen.height];").await;
    assert_eq!((width, height), screen, "the window covers the whole screen");
    app.wait_for("[data-testid=login-screen]").await;

    app.click("[data-testid=close-counter]").await;
    app.wait_for("[data-testid=close-screen]").await;
    app.click(&format!("[data-testid=login-manager-{MANAGER}]")).await;
    for digit in "0000".chars() {
        app.click(&format!("[data-testid=pin-key-{digit}]")).await;
    }
    app.click("[data-testid=pin-submit]").await;
    app.wait_attr("[data-testid=login-error]", "data-kind", "wrong_pin").await;
    assert_eq!(app.window_mode().await, (true, false), "a wrong PIN leaves the window open, still fullscreen");

    app.click("[data-testid=close-cancel]").await;
    app.wait_for("[data-testid=login-screen]").await;
    app.click("[data-testid=close-counter]").await;
    app.click(&format!("[data-testid=login-manager-{MANAGER}]")).await;
    for digit in MANAGER_PIN.chars() {
        app.click(&format!("[data-testid=pin-key-{digit}]")).await;
    }
    app.click("[data-testid=pin-submit]").await;
    app.wait_closed().await;
    counter.server.shutdown().await;
}

/// Runs `pvz-kiosk --autostart` (what the session's autostart entry and the user unit run) on a
/// fresh demo store with `config` as the PC's kiosk.toml, until it ends by itself; returns its
/// exit status and what it printed. `PVZ_EXIT_WHEN_READY`: a counter that starts ends once its
/// window shows the counter's data.
async fn run_autostart(config: &str) -> (std::process::ExitStatus, String) {
    let data = tempfile::tempdir().expect("temp data dir");
    let system = data.path().join("kiosk.toml");
    std::fs::write(&system, config).expect("write kiosk.toml");
    let run = tokio::process::Command::new(pvz_e2e::app_binary())
        .arg("--autostart")
        .env("PVZ_SYSTEM_CONFIG", &system)
        .env("PVZ_CONFIG_DIR", data.path().join("user"))
        .env("PVZ_DATA_DIR", data.path())
        .env("PVZ_DEMO_SEED", pvz_e2e::demo_seed())
        .env("PVZ_EXIT_WHEN_READY", "1")
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(std::time::Duration::from_secs(120), run)
        .await
        .expect("pvz-kiosk --autostart ends by itself")
        .expect("pvz-kiosk runs");
    let printed = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    (output.status, printed)
}

#[tokio::test(flavor = "current_thread")]
async fn the_autostart_entry_starts_the_counter_only_when_the_configuration_asks() {
    let (status, printed) = run_autostart("kiosk_mode = false\n").await;
    assert!(status.success(), "autostart off: ends at once, successfully (no restart): {printed}");
    assert!(printed.contains("autostart is off"), "and says why: {printed}");
    assert!(!printed.contains("PVZ_UI_READY_MS"), "no window opened: {printed}");

    let (status, printed) = run_autostart("kiosk_mode = false\nautostart = true\n").await;
    assert!(status.success(), "autostart on: the counter runs until it is done: {printed}");
    assert!(printed.contains("PVZ_UI_READY_MS="), "its window showed the counter: {printed}");
}
