//! End-to-end: the real built kiosk in a WebKit window (run under xvfb-run, one test at a time).

use pvz_e2e::App;
use pvz_protocol::demo;

fn demo_code(case: &str) -> String {
    demo::code(case).unwrap_or_else(|| panic!("demo code {case:?} exists"))
}

#[tokio::test(flavor = "current_thread")]
async fn a_scanned_order_with_a_defect_refusal_is_issued_and_survives_a_restart() {
    let mut app = App::start().await;

    app.scan_burst(&demo_code("pay at counter, 2 items (QR)")).await;
    app.wait_text("[data-testid=order-card]", "Анна К.").await;

    app.click("[data-testid='refuse-itm-1001-1']").await;
    app.click("[data-testid=reason-defect]").await;
    let description = app.wait_for("[data-testid=defect-description]").await;
    description.send_keys("Разошёлся шов на рукаве").await.expect("type the defect");
    app.click("[data-testid=refuse-confirm]").await;
    let photo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../icons/32x32.png");
    let photo = photo.canonicalize().expect("a PNG to attach as the defect photo");
    let input = app.wait_for("[data-testid='photo-input-itm-1001-1']").await;
    input.send_keys(&photo.display().to_string()).await.expect("choose the photo file");
    app.wait_text("[data-testid='photo-itm-1001-1']", "1").await;
    app.click("[data-testid='hand-over-itm-1001-2']").await;

    let free = app.wait_text("[data-testid='fee-line-itm-1001-1']", "бесплатно").await;
    assert!(free.to_lowercase().contains("брак"), "the defect line says it is a defect and free: {free:?}");
    let amount = app.wait_text("[data-testid=to-collect]", "5").await;
    let digits: String = amount.chars().filter(char::is_ascii_digit).collect();
    assert_eq!(digits, "599000", "only the shoes (5 990,00 ₽) are to be paid, the defective dress is free: {amount:?}");
    if let Some(dir) = std::env::var_os("PVZ_SCREENSHOT_DIR") {
        app.screenshot(&std::path::Path::new(&dir).join("order-card.png")).await;
    }

    app.click("[data-testid=confirm-issue]").await;
    app.wait_for("[data-testid=receipt-qr]").await;
    app.click("[data-testid=dismiss-receipt]").await;

    app.restart().await;
    let row = app.wait_text("[data-testid='recent-ord-1001']", "482137").await;
    assert!(row.to_lowercase().contains("брак"), "after a restart the issue shows its defect refusal: {row:?}");
    app.type_code("482137").await;
    let banner = app.wait_text("[data-testid=error-banner]", "выдан").await;
    assert!(!app.is_present("[data-testid=order-card]").await, "an issued order does not open again: {banner:?}");
    app.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn an_unknown_code_shows_an_error_and_opens_nothing() {
    let app = App::start().await;
    let waiting = app.text("[data-testid=ops-waiting]").await;
    app.type_code(&demo_code("unknown code")).await;
    let banner = app.wait_text("[data-testid=error-banner]", "не распознан").await;
    assert!(banner.contains("Код"), "the manager is told, in Russian, that the code was not recognised: {banner:?}");
    assert!(!app.is_present("[data-testid=order-card]").await, "no order card opens for an unknown code");
    assert_eq!(app.text("[data-testid=ops-waiting]").await, waiting, "an unknown code records nothing");
    app.stop().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_code_typed_under_the_russian_layout_opens_its_order() {
    let app = App::start().await;
    let russian = demo::typed_in_russian_layout(&demo_code("prepaid, 2 items (QR)"));
    assert!(russian.chars().any(|c| ('а'..='я').contains(&c)), "the test types Cyrillic letters");
    app.type_code(&russian).await;
    app.wait_text("[data-testid=order-card]", "Игорь С.").await;

    // A scan while the manual field has focus: the item is found, the field keeps no scan text.
    app.click("[data-testid=manual-input]").await;
    app.scan_burst_into_focus("4600000000008").await;
    let row = app.wait_for("[data-testid='item-itm-1002-1'].item--matched").await;
    assert!(row.text().await.unwrap_or_default().contains("Наушники"), "the scanned headphones are highlighted");
    let field = app.wait_for("[data-testid=manual-input]").await;
    let left = field.prop("value").await.expect("read the field").unwrap_or_default();
    assert_eq!(left, "", "the scanner's characters were taken back out of the focused field");
    app.stop().await;
}
