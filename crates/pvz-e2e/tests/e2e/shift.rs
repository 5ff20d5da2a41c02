//! End-to-end for a manager's day, in the real window with a real `pvz-server` on loopback seeded
//! with the demo network: log in by PIN, open the shift, receive the demo shipment into the proposed
//! cells with two items missing (the lamp, an order of its own, and the boots of a two-item order),
//! issue an order with a refusal that carries a fee, issue the partly received order without its
//! missing boots (not charged), close the shift and check its report on screen and on the server; and an item's history after a defect refusal with a
//! photo, exported as an evidence bundle whose zip holds the events, the photo and the scans; and the
//! morning's items past their storage period sent to returns, and an item moved to another cell.
//! The keyboard paths are counted ([`pvz_e2e::Keys`]): the PIN and Enter after choosing the name,
//! a whole order in F2 and F9, a defect refusal with the rest handed over in four keys.

use crate::common::{Counter, MANAGER, MANAGER_PIN as PIN, POINT};
use pvz_e2e::Key;
use std::io::Read;

/// The demo shipment expected at the point (its items are received all but the last and the boots).
const SHIPMENT: &str = "SHP-0042-001";
/// Order 358102 of the shipment: its jacket (4 590 ₽, paid at the counter) arrives, its boots do not.
const JACKET: &str = "itm-1201-1";
const BOOTS: &str = "itm-1201-2";
/// The dress of order 482137 and its barcode; the shoes are the order's other item.
const DRESS: (&str, &str) = ("itm-1001-1", "4601234567893");
const SHOES: &str = "itm-1001-2";
/// The demo's item that arrived 10 days before seeding (order 806142), past the 7-day period.
const EXPIRED_ITEM: &str = "itm-1301-1";

/// Kopecks in an amount as the window shows it ("1 234,50 ₽" -> 123450).
fn kopecks(shown: &str) -> i64 {
    shown
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or_else(|_| panic!("an amount: {shown:?}"))
}

/// The bytes of the zip's entry `name`.
fn entry(zip: &mut zip::ZipArchive<std::fs::File>, name: &str) -> Vec<u8> {
    let mut entry = zip.by_name(name).unwrap_or_else(|e| panic!("the bundle has {name}: {e}"));
    let mut bytes = Vec::new();
    entry.read_to_end(&mut bytes).unwrap_or_else(|e| panic!("{name} reads: {e}"));
    bytes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shift_receives_a_shipment_issues_an_order_and_closes_with_its_report() {
    let counter = Counter::start_online().await;
    let app = &counter.app;

    // The network has a manager with a PIN: the counter asks for it before anything else.
    app.wait_for("[data-testid=login-screen]").await;
    assert!(!app.is_present("[data-testid=manual-input]").await, "nothing can be scanned before login");
    app.click(&format!("[data-testid=login-manager-{MANAGER}]")).await;
    for digit in "1357".chars() {
        app.click(&format!("[data-testid=pin-key-{digit}]")).await;
    }
    app.click("[data-testid=pin-submit]").await;
    app.wait_attr("[data-testid=login-error]", "data-kind", "wrong_pin").await;
    app.wait_text("[data-testid=login-error]", "Осталось попыток: 4").await;
    counter.screenshot("login.png").await;
    // Her name again, then the PIN from the keyboard: Enter logs in, it does not press the name.
    app.click(&format!("[data-testid=login-manager-{MANAGER}]")).await;
    app.wait_focused("pin-input").await;
    let mut keys = app.keys();
    keys.type_text(PIN).await;
    keys.press(Key::Enter).await;
    app.open_shift().await;
    keys.assert_at_most(2, "logging in after choosing the name");
    app.wait_text("[data-testid=header-manager]", "Анна Смирнова").await;

    // An order of the shipment cannot be issued before its приёмка: the banner says what to do.
    app.type_code("358102").await;
    app.wait_text("[data-testid=error-banner]", "Заказ ещё не принят на пункт").await;
    assert!(!app.is_present("[data-testid=order-card]").await, "no card opens for an order not received yet");

    // Приёмка: the shipment's label opens it; each item goes into the cell the kiosk proposes, all
    // but the last (the lamp) and the boots, which did not come.
    let shipment = counter.demo.shipments.iter().find(|s| s.shipment_id == SHIPMENT);
    let shipment = shipment.unwrap_or_else(|| panic!("the demo expects {SHIPMENT}: {:?}", counter.demo.shipments));
    let lamp = shipment.items.last().map(|i| i.item_id.clone()).unwrap_or_default();
    let (missing, arrived): (Vec<_>, Vec<_>) =
        shipment.items.iter().partition(|i| i.item_id == BOOTS || i.item_id == lamp);
    assert_eq!(missing.len(), 2, "the demo shipment brings the boots and the lamp: {shipment:?}");
    assert!(arrived.iter().any(|i| i.item_id == JACKET), "and the jacket, to receive: {shipment:?}");
    app.scan_burst(&shipment.code).await;
    app.wait_text("[data-testid=receiving]", &shipment.code).await;
    for (n, item) in arrived.iter().enumerate() {
        let barcode = item.barcode.as_deref().unwrap_or_else(|| panic!("{} has a barcode", item.item_id));
        app.scan_burst(barcode).await;
        app.wait_attr("[data-testid=receiving-proposal]", "data-item", &item.item_id).await;
        let cell = app.wait_for("[data-testid=receiving-proposal]").await.attr("data-cell").await.ok().flatten();
        let cell = cell.unwrap_or_else(|| panic!("a cell is proposed for {}", item.item_id));
        app.wait_text("[data-testid=receiving-proposal]", &format!("Положите в ячейку {cell}")).await;
        if n == 0 {
            counter.screenshot("receiving.png").await;
        }
        // The cell's shelf label, scanned, confirms where the item went.
        app.scan_burst(&format!("PVZL1:{cell}")).await;
        app.wait_attr(&format!("[data-testid=receiving-item-{}]", item.item_id), "data-cell", &cell).await;
    }
    app.wait_attr("[data-testid=receiving-counts]", "data-placed", &arrived.len().to_string()).await;
    app.click("[data-testid=receiving-close]").await;
    app.wait_attr("[data-testid=receiving-missing]", "data-count", "2").await;
    for item in &missing {
        app.wait_text("[data-testid=receiving-missing-items]", &item.name).await;
    }
    counter.screenshot("receiving-close.png").await;
    app.click("[data-testid=close-receiving-confirm]").await;
    app.wait_for("[data-testid=shift-panel]").await;
    // The lamp's order had only the lamp, recorded missing: the banner says so, not «receive it».
    app.type_code("419263").await;
    app.wait_text("[data-testid=error-banner]", "отмечены как недостающие").await;
    assert!(!app.is_present("[data-testid=order-card]").await, "no card opens for an order whose goods are missing");

    // Выдача: the shoes did not fit (a fee by the policy), the dress is handed over and paid.
    app.type_code("482137").await;
    app.wait_text("[data-testid=order-card]", "Анна К.").await;
    app.click(&format!("[data-testid=refuse-{SHOES}]")).await;
    app.click("[data-testid=reason-did_not_fit]").await;
    app.click("[data-testid=refuse-confirm]").await;
    app.wait_for(&format!("[data-testid=fee-line-{SHOES}]")).await;
    app.click(&format!("[data-testid=hand-over-{}]", DRESS.0)).await;
    app.wait_text("[data-testid=undecided]", "✓").await;
    let fees = kopecks(&app.text("[data-testid=fees]").await);
    let to_collect = kopecks(&app.text("[data-testid=to-collect]").await);
    assert!(fees > 0, "a refusal that did not fit carries the return-shipping fee");
    assert_eq!(to_collect, 249_900 + fees, "the dress plus the fee are taken");
    app.click("[data-testid=confirm-issue]").await;
    app.wait_for("[data-testid=receipt-qr]").await;
    app.click("[data-testid=dismiss-receipt]").await;

    // The partly received order: its card says the boots were recorded missing, and «выдать
    // остальные» hands over the jacket and leaves the boots out, so only the jacket is paid for.
    app.type_code("358102").await;
    app.wait_text(&format!("[data-testid=missing-{BOOTS}]"), "при приёмке отмечен недостающим").await;
    assert!(!app.is_present(&format!("[data-testid=missing-{JACKET}]")).await, "the jacket is on the shelf");
    // Nothing to decide item by item: F2 hands over the rest, F9 confirms.
    let mut keys = app.keys();
    keys.press(Key::F2).await;
    app.wait_attr(&format!("[data-testid=item-{BOOTS}]"), "data-decision", "not-arrived").await;
    app.wait_attr(&format!("[data-testid=item-{JACKET}]"), "data-decision", "handed").await;
    let jacket_paid = kopecks(&app.text("[data-testid=to-collect]").await);
    assert_eq!(jacket_paid, 459_000, "the jacket is paid for; the boots that never came are not");
    counter.screenshot("order-not-arrived.png").await;
    keys.press(Key::F9).await;
    app.wait_text("[data-testid=receipt-not-arrived]", "Ботинки").await;
    keys.assert_at_most(2, "handing over the whole order after its scan");
    app.click("[data-testid=dismiss-receipt]").await;
    let money_taken = to_collect + jacket_paid;

    // Закрыть смену: the report shows what the shift did.
    app.click("[data-testid=close-shift]").await;
    app.click("[data-testid=close-shift-confirm]").await;
    app.wait_for("[data-testid=shift-report]").await;
    let figure = |id: &'static str| async move {
        app.wait_for(&format!("[data-testid=report-{id}]")).await.attr("data-value").await.ok().flatten()
    };
    assert_eq!(figure("orders-issued").await.as_deref(), Some("2"), "two orders issued");
    assert_eq!(figure("items-handed-over").await.as_deref(), Some("2"), "the dress and the jacket handed over");
    assert_eq!(figure("items-refused").await.as_deref(), Some("1"), "the shoes refused");
    assert_eq!(figure("items-not-arrived").await.as_deref(), Some("1"), "358102 issued without its boots");
    assert_eq!(figure("fees").await, Some(fees.to_string()), "the fee taken");
    assert_eq!(figure("money-taken").await, Some(money_taken.to_string()), "the money taken");
    app.wait_attr("[data-testid=report-refusal-did_not_fit]", "data-counter", "1").await;
    app.wait_attr("[data-testid=report-refusal-defect]", "data-counter", "0").await;
    app.wait_text("[data-testid=report-closed]", "Анна Смирнова").await;
    counter.screenshot("shift-report.png").await;
    app.click("[data-testid=shift-report] [data-testid=export-csv]").await;
    let csv = app.wait_attr_ending("[data-testid=shift-report] [data-testid=print-result]", "data-path", ".csv").await;
    let csv = std::fs::read_to_string(&csv).unwrap_or_else(|e| panic!("the CSV at {csv} reads: {e}"));
    assert!(
        csv.contains(&money_taken.to_string()) || csv.contains(&format!("{},", money_taken / 100)),
        "the CSV has the money taken: {csv}"
    );
    app.click("[data-testid=shift-report] [data-testid=export-pdf]").await;
    let pdf = app.wait_attr_ending("[data-testid=shift-report] [data-testid=print-result]", "data-path", ".pdf").await;
    let head = std::fs::read(&pdf).map(|bytes| bytes[..4].to_vec()).unwrap_or_default();
    assert_eq!(head, b"%PDF", "the report was saved as a PDF at {pdf}");

    // The server has the shift, its report as the counter closed it, and the shipment's discrepancy.
    app.wait_exact_text("[data-testid=sync-waiting]", "0").await;
    let shifts = counter.admin.shifts(POINT).expect("the point's shifts");
    let shift = shifts.first().unwrap_or_else(|| panic!("the server stored the shift: {shifts:?}"));
    assert_eq!(shift.opened_by.as_deref(), Some(MANAGER), "Anna opened it: {shift:?}");
    assert_eq!(shift.closed_by.as_deref(), Some(MANAGER), "Anna closed it: {shift:?}");
    let report = shift.report.as_ref().unwrap_or_else(|| panic!("the closed shift has its report: {shift:?}"));
    assert_eq!(
        (report.orders_issued, report.items_refused, report.items_not_arrived, report.fees.0, report.money_taken.0),
        (2, 1, 1, fees, money_taken),
        "the server's report has the screen's figures: {report:?}"
    );
    let discrepancies = counter.admin.shipment_discrepancies(SHIPMENT).expect("the shipment's discrepancies");
    assert_eq!(discrepancies.len(), 2, "two items are missing from the shipment on the server: {discrepancies:?}");
    for item in &missing {
        assert!(
            format!("{discrepancies:?}").contains(&item.item_id),
            "{} was not scanned and is missing: {discrepancies:?}",
            item.item_id
        );
    }
    let boots = counter.admin.item(BOOTS).expect("read").unwrap_or_else(|| panic!("the server knows {BOOTS}"));
    assert_eq!(
        boots.refusal_reason.as_deref(),
        Some("not_arrived"),
        "the server issued order 358102 without the boots, which never reached the point: {boots:?}"
    );

    app.click("[data-testid=dismiss-shift-report]").await;
    app.wait_for("[data-testid=shift-start]").await;
    counter.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_items_history_after_a_defect_refusal_exports_its_evidence() {
    let counter = Counter::start().await;
    let app = &counter.app;

    // The dress is refused as a defect with a photo; its barcode was scanned with the order open.
    app.type_code("482137").await;
    app.wait_text("[data-testid=order-card]", "Анна К.").await;
    app.scan_burst(DRESS.1).await;
    app.wait_for(&format!("[data-testid='item-{}'].item--matched", DRESS.0)).await;
    // The scan put the dress's «Выдать» on the keyboard, and the window shows where the keyboard is.
    app.wait_focused(&format!("hand-over-{}", DRESS.0)).await;
    app.wait_script(
        "return getComputedStyle(document.activeElement).outlineStyle === 'solid';",
        "the focused button should show its outline",
    )
    .await;
    // From the keyboard: 1 (a defect) on the scanned dress, its description, F2 to record it and
    // hand the shoes over, F9 to confirm.
    let mut keys = app.keys();
    keys.press_char('1').await;
    app.wait_focused("defect-description").await;
    keys.type_text("Разошёлся шов на рукаве").await;
    keys.press(Key::F2).await;
    app.wait_attr(&format!("[data-testid=item-{SHOES}]"), "data-decision", "handed").await;
    app.wait_attr(&format!("[data-testid=item-{}]", DRESS.0), "data-decision", "refused").await;
    app.wait_text(&format!("[data-testid=item-{}]", DRESS.0), "Разошёлся шов на рукаве").await;
    app.wait_text(&format!("[data-testid=fee-line-{}]", DRESS.0), "брак — возврат бесплатно").await;
    assert_eq!(kopecks(&app.text("[data-testid=fees]").await), 0, "a defect carries no return shipping fee");
    let photo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../icons/32x32.png");
    let photo = photo.canonicalize().expect("a PNG to attach as the defect photo");
    let input = app.wait_for(&format!("[data-testid='photo-input-{}']", DRESS.0)).await;
    input.send_keys(&photo.display().to_string()).await.expect("choose the photo file");
    app.wait_text(&format!("[data-testid='photo-{}']", DRESS.0), "1").await;
    keys.press(Key::F9).await;
    app.wait_for("[data-testid=receipt-qr]").await;
    keys.assert_at_most(4, "a defect refusal with its description, the rest handed over and confirmed");
    app.click("[data-testid=dismiss-receipt]").await;

    // История товара: found by its barcode from home.
    app.click("[data-testid=find-item]").await;
    app.fill("[data-testid=find-input]", DRESS.1).await;
    app.click("[data-testid=find-submit]").await;
    app.wait_attr("[data-testid=found-item]", "data-item", DRESS.0).await;
    app.wait_attr("[data-testid=found-status]", "data-status", "in_returns").await;
    let refused = app.wait_for("[data-testid=item-history] [data-event=refused]").await;
    let refused_text = refused.text().await.unwrap_or_default();
    assert!(refused_text.contains("Анна Смирнова"), "the refusal names its operator: {refused_text:?}");
    assert!(refused_text.contains("Разошёлся шов"), "and the defect: {refused_text:?}");
    app.wait_for("[data-testid=item-history] [data-event=photo_attached] [data-testid=history-photos]").await;
    counter.screenshot("item-history.png").await;

    app.click("[data-testid=export-evidence]").await;
    let zip_path = app.wait_attr_ending("[data-testid=evidence-result]", "data-path", ".zip").await;
    let file = std::fs::File::open(&zip_path).unwrap_or_else(|e| panic!("the bundle {zip_path} opens: {e}"));
    let mut zip = zip::ZipArchive::new(file).expect("the bundle is a zip");
    let events: serde_json::Value =
        serde_json::from_slice(&entry(&mut zip, "events.json")).expect("events.json is JSON");
    let events = events.as_array().expect("events.json is a list");
    let refusal = events
        .iter()
        .find(|e| e["event"] == "refused")
        .unwrap_or_else(|| panic!("the refusal is among the events: {events:?}"));
    assert_eq!(refusal["operator"]["employee_id"], MANAGER, "the refusal's operator: {refusal}");
    assert_eq!(refusal["reason"], "defect", "a defect: {refusal}");
    let photo_event = events
        .iter()
        .find(|e| e["photos"].as_array().is_some_and(|p| !p.is_empty()))
        .unwrap_or_else(|| panic!("an event carries the photo: {events:?}"));
    let photo_id = photo_event["photos"][0]["photo_id"].as_str().expect("the photo's id").to_owned();
    let scans: serde_json::Value = serde_json::from_slice(&entry(&mut zip, "scans.json")).expect("scans.json is JSON");
    let scanned = scans.as_array().expect("scans.json is a list");
    assert!(
        scanned.iter().any(|s| s["text"] == DRESS.1 && s["scanned_at"].as_str().is_some_and(|t| !t.is_empty())),
        "the dress's barcode scan is there with its time: {scanned:?}"
    );
    let names: Vec<String> = zip
        .file_names()
        .collect::<Result<Vec<_>, _>>()
        .expect("the bundle's entries")
        .into_iter()
        .map(String::from)
        .collect();
    let photo_name = names
        .iter()
        .find(|n| n.starts_with("photos/") && n.contains(&photo_id))
        .unwrap_or_else(|| panic!("the photo {photo_id} is in the bundle: {names:?}"))
        .clone();
    assert_eq!(
        entry(&mut zip, &photo_name),
        std::fs::read(&photo).expect("the original photo"),
        "the photo is the one attached"
    );
    counter.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_item_past_its_storage_period_goes_to_returns_and_a_shelved_item_moves() {
    let counter = Counter::start().await;
    let app = &counter.app;

    // The morning reminder: the demo's order that arrived 10 days ago is past the 7-day period.
    app.wait_attr("[data-testid=expiry-reminder]", "data-count", "1").await;
    app.click("[data-testid=expiry-reminder]").await;
    let row = app.wait_text(&format!("[data-testid=expiry-item-{EXPIRED_ITEM}]"), "806142").await;
    let days = app.wait_for(&format!("[data-testid=expiry-days-{EXPIRED_ITEM}]")).await.attr("data-days").await;
    let days: u32 = days.ok().flatten().and_then(|d| d.parse().ok()).unwrap_or_default();
    assert!((2..=3).contains(&days), "10 days after arrival a 7-day period is 2 or 3 days over: {days} ({row:?})");
    counter.screenshot("expiry.png").await;
    app.click("[data-testid=expiry-confirm]").await;
    app.wait_for("[data-testid=shift-panel]").await;
    assert!(!app.is_present("[data-testid=expiry-reminder]").await, "nothing is past its period any more");
    app.type_code("806142").await;
    app.wait_for("[data-testid=error-banner]").await;
    assert!(!app.is_present("[data-testid=order-card]").await, "an unredeemed order is not handed over");

    // Перемещение: the dress waits in its cell; found by its barcode, it moves to A-02.
    app.click("[data-testid=find-item]").await;
    app.fill("[data-testid=find-input]", DRESS.1).await;
    app.click("[data-testid=find-submit]").await;
    app.wait_attr("[data-testid=found-status]", "data-status", "on_shelf").await;
    let from = app.text("[data-testid=found-cell]").await;
    let to = if from.trim() == "A-02" { "A-03" } else { "A-02" };
    app.click("[data-testid=move-item]").await;
    app.scan_burst(&format!("PVZL1:{to}")).await;
    app.wait_exact_text("[data-testid=found-cell]", to).await;
    app.wait_text("[data-testid=found-moved]", &format!("{} → {to}", from.trim())).await;
    app.wait_for("[data-testid=item-history] [data-event=moved]").await;
    counter.screenshot("found-item.png").await;

    app.wait_exact_text("[data-testid=sync-waiting]", "0").await;
    let ops = counter.admin.ops(POINT, 20).expect("the point's ops");
    for kind in ["shelf_expired", "item_moved"] {
        let op =
            ops.iter().find(|op| op.kind == kind).unwrap_or_else(|| panic!("the server has a {kind} op: {ops:#?}"));
        assert_eq!(
            (op.status.as_str(), op.operator.as_deref()),
            ("applied", Some(MANAGER)),
            "the {kind} op is applied, by Anna: {op:?}"
        );
    }
    counter.stop().await;
}
