//! End-to-end with the central server: the real built kiosk, enrolled to a real `pvz-server` on
//! loopback with the demo network, issues an order that lands in the server's ledger; with the server
//! stopped it keeps working offline and shows what waits; when the server returns the queue drains.

use pvz_e2e::App;
use pvz_server::admin::Admin;
use pvz_server::Config;
use std::time::Duration;

const POINT: &str = "pp-msk-0042";
/// The demo point's manager and her PIN: a kiosk of a network with managers needs one logged in.
const MANAGER: &str = "mgr-anna";
const MANAGER_PIN: &str = "4826";

/// Ops the kiosk has not synced yet, read from its own store: what the window must show.
fn pending_in_store(app: &App) -> u32 {
    let conn = rusqlite::Connection::open(app.data.path().join("kiosk.sqlite3")).expect("the kiosk store opens");
    conn.query_row("SELECT count(*) FROM outbox WHERE state = 'pending'", [], |r| r.get(0)).expect("count pending")
}

/// Hands every item over and confirms; returns the amount the card asked for, in kopecks.
async fn issue_open_order(app: &App) -> i64 {
    app.click("[data-testid=hand-over-all]").await;
    app.wait_text("[data-testid=undecided]", "✓").await;
    let amount = app.text("[data-testid=to-collect]").await;
    let kopecks: i64 = amount.chars().filter(char::is_ascii_digit).collect::<String>().parse().expect("an amount");
    app.click("[data-testid=confirm-issue]").await;
    app.wait_for("[data-testid=receipt-qr]").await;
    app.click("[data-testid=dismiss-receipt]").await;
    kopecks
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_issue_reaches_the_ledger_and_one_made_offline_catches_up() {
    let dir = tempfile::tempdir().expect("server data dir");
    let admin = Admin::open(dir.path()).expect("the server's data dir opens");
    admin.seed_demo().expect("the demo network is seeded");
    // The demo's seller refunded one claim without return when it was seeded.
    let seeded = admin.ledger_check().expect("ledger check");
    let code = admin.issue_enrollment_code(POINT, Duration::from_secs(600)).expect("an enrollment code");
    let server = pvz_server::spawn(Config::for_data_dir(dir.path())).await.expect("the server starts");
    let addr = server.addr;

    let app = App::start_connected(&server.url(), &code).await;
    app.wait_attr("[data-testid=sync-online]", "data-state", "online").await;
    app.log_in_and_open_shift(MANAGER, MANAGER_PIN).await;

    app.type_code("482137").await;
    app.wait_text("[data-testid=order-card]", "Анна К.").await;
    let paid = issue_open_order(&app).await;
    assert_eq!(paid, 848_900, "the dress and the shoes are paid at the counter: 8 489,00 ₽");
    app.wait_exact_text("[data-testid=sync-waiting]", "0").await;
    let ledger = admin.ledger_check().expect("ledger check");
    assert_eq!(
        (ledger.transactions - seeded.transactions, ledger.turnover - seeded.turnover),
        (1, paid),
        "the server's ledger has the one payment taken at the counter beside what the demo seeded: {ledger:?}"
    );

    server.shutdown().await;
    app.type_code("730518").await;
    app.wait_text("[data-testid=order-card]", "Мария П.").await;
    let offline_paid = issue_open_order(&app).await;
    app.wait_attr("[data-testid=sync-online]", "data-state", "offline").await;
    let waiting = pending_in_store(&app);
    assert!(waiting > 0, "the offline issue is queued in the kiosk's outbox");
    app.wait_exact_text("[data-testid=sync-waiting]", &waiting.to_string()).await;
    if let Some(dir) = std::env::var_os("PVZ_SCREENSHOT_DIR") {
        app.screenshot(&std::path::Path::new(&dir).join("offline.png")).await;
    }
    assert_eq!(
        admin.ledger_check().expect("ledger").transactions - seeded.transactions,
        1,
        "nothing reaches the ledger while offline"
    );

    let mut config = Config::for_data_dir(dir.path());
    config.bind = addr;
    let server = pvz_server::spawn(config).await.expect("the server starts again on the same port");
    app.wait_exact_text("[data-testid=sync-waiting]", "0").await;
    app.wait_attr("[data-testid=sync-online]", "data-state", "online").await;
    let ledger = admin.ledger_check().expect("ledger check");
    assert_eq!(
        (ledger.transactions - seeded.transactions, ledger.turnover - seeded.turnover, ledger.total),
        (2, paid + offline_paid, 0),
        "after catching up the ledger has both payments once and balances: {ledger:?}"
    );
    assert_eq!(pending_in_store(&app), 0, "the kiosk's outbox has nothing pending");
    app.stop().await;
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blank_kiosk_is_connected_from_the_window() {
    let dir = tempfile::tempdir().expect("server data dir");
    let admin = Admin::open(dir.path()).expect("the server's data dir opens");
    admin.seed_demo().expect("the demo network is seeded");
    let code = admin.issue_enrollment_code(POINT, Duration::from_secs(600)).expect("an enrollment code");
    let server = pvz_server::spawn(Config::for_data_dir(dir.path())).await.expect("the server starts");

    let app = App::start_blank().await;
    app.wait_for("[data-testid=enroll-form]").await;
    assert!(!app.is_present("[data-testid=manual-input]").await, "a kiosk that is not enrolled has nothing to scan");
    app.wait_attr("[data-testid=sync-online]", "data-state", "off").await;

    app.fill("[data-testid=enroll-url]", &server.url()).await;
    app.fill("[data-testid=enroll-code]", "WRNG-CODE-0000").await;
    app.fill("[data-testid=enroll-name]", "e2e counter").await;
    app.click("[data-testid=enroll-submit]").await;
    app.wait_text("[data-testid=enroll-error]", "Сервер не принял код").await;
    assert_eq!(app.value("[data-testid=enroll-url]").await, server.url(), "the address stays after a refusal");
    assert_eq!(app.value("[data-testid=enroll-code]").await, "WRNG-CODE-0000", "the code stays after a refusal");
    assert_eq!(app.value("[data-testid=enroll-name]").await, "e2e counter", "the name stays after a refusal");
    if let Some(dir) = std::env::var_os("PVZ_SCREENSHOT_DIR") {
        app.screenshot(&std::path::Path::new(&dir).join("connect-refused.png")).await;
    }

    // As a manager might type it: lower case, no dashes; the server normalises the code.
    let typed = code.replace('-', "").to_lowercase();
    app.fill("[data-testid=enroll-code]", &typed).await;
    app.click("[data-testid=enroll-submit]").await;
    app.wait_text_content("[data-testid=pickup-point]", "ПВЗ Москва, Тверская 7").await;
    assert!(!app.is_present("[data-testid=enroll-form]").await, "the form is gone once connected");
    app.wait_attr("[data-testid=sync-online]", "data-state", "online").await;
    app.log_in_and_open_shift(MANAGER, MANAGER_PIN).await;

    app.type_code("482137").await;
    app.wait_text("[data-testid=order-card]", "Анна К.").await;
    if let Some(dir) = std::env::var_os("PVZ_SCREENSHOT_DIR") {
        app.screenshot(&std::path::Path::new(&dir).join("connected-from-window.png")).await;
    }
    app.stop().await;
    server.shutdown().await;
}
