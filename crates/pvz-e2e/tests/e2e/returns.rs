//! End-to-end for everything that flows back through the point, in the real window with a real
//! `pvz-server` on loopback seeded with the demo network: a claim return accepted (the refund lands
//! in the server's ledger once), claims refused for a clear reason (revoked; rerouted to the seller
//! after the buyer got the code), a courier's hand-back with one
//! discrepancy, and a box of returns closed and handed to a driver; couriers and drivers show the
//! signed badges the demo issued them (an old unsigned badge is refused). The claim return and each
//! hand-back item are driven from the keyboard, their keys counted.

use crate::common::Counter;
use pvz_e2e::Key;

/// Every QR code `zbarimg` (Debian's zbar-tools, independent of the encoder) finds in the image.
fn decode_qr(image: &str) -> Vec<String> {
    let output = std::process::Command::new("zbarimg")
        .args(["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", image])
        .output()
        .expect("zbarimg runs (apt install zbar-tools)");
    String::from_utf8_lossy(&output.stdout).lines().map(str::to_owned).collect()
}

/// How the manager gives a courier's item its reason from the keyboard.
enum CourierReason<'a> {
    /// The reason's key (2–5).
    Key(char),
    /// A defect, by typing its description.
    Defect(&'a str),
}

/// What these tests do at the counter, on top of the shared set-up.
impl Counter {
    /// The claim return code the demo printed for `claim_id`.
    fn return_code(&self, claim_id: &str) -> String {
        let claim = self.demo.claims.iter().find(|c| c.claim_id == claim_id);
        claim.and_then(|c| c.return_code.clone()).unwrap_or_else(|| panic!("the demo has a return code for {claim_id}"))
    }

    /// The signed badge the demo issued to `employee_id`.
    fn badge(&self, employee_id: &str) -> String {
        let member = self.demo.staff.iter().find(|s| s.employee_id == employee_id);
        member.map(|s| s.badge.clone()).unwrap_or_else(|| panic!("the demo issued a badge to {employee_id}"))
    }

    /// Ops of `kind` in the kiosk's outbox, with their ids and states.
    fn outbox_ops(&self, kind: &str) -> Vec<(String, String)> {
        let conn =
            rusqlite::Connection::open(self.app.data.path().join("kiosk.sqlite3")).expect("the kiosk store opens");
        let mut stmt = conn.prepare("SELECT op_id, state FROM outbox WHERE kind = ?1 ORDER BY seq").expect("query");
        let rows = stmt.query_map([kind], |r| Ok((r.get(0)?, r.get(1)?))).expect("outbox rows");
        rows.collect::<Result<_, _>>().expect("read the outbox")
    }

    /// Takes the demo's approved refund claim in at the counter and returns its label's QR text.
    async fn accept_refund_claim(&self) -> String {
        let app = &self.app;
        app.scan_burst(&self.return_code("clm-demo-refund")).await;
        app.wait_attr("[data-testid=claim-state]", "data-state", "approved").await;
        app.scan_burst("4607000000014").await;
        app.wait_attr("[data-testid=claim-item-check]", "data-checked", "true").await;
        app.fill("[data-testid=claim-condition]", "Молния сломана, следов носки нет").await;
        app.click("[data-testid=claim-accept]").await;
        app.wait_text("[data-testid=return-label-qr-text]", "PVZR1:").await.trim().to_owned()
    }

    /// Scans a courier's item and records its reason from the keyboard in two key actions: the
    /// reason's key straight after the scan, then Enter; or for a defect, its description typed
    /// straight after the scan, then Ctrl+Enter (typed text followed at once by Enter is what a
    /// scanner sends).
    async fn hand_back_item(&self, barcode: &str, item_id: &str, reason: CourierReason<'_>) {
        let app = &self.app;
        let line = format!("[data-item={item_id}]");
        app.scan_burst(barcode).await;
        app.wait_attr(&line, "data-state", "scanned").await;
        let mut keys = app.keys();
        match reason {
            CourierReason::Defect(description) => {
                keys.type_text_opening(description, "defect-description").await;
                keys.press_with(Key::Control, Key::Enter).await;
            }
            CourierReason::Key(reason_key) => {
                keys.press_char(reason_key).await;
                app.wait_focused("refuse-confirm").await;
                keys.press(Key::Enter).await;
            }
        }
        app.wait_for(&format!("{line} [data-testid^=hand-back-fee-]")).await;
        keys.assert_at_most(2, &format!("a courier's item {item_id} after its scan"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_approved_refund_claim_is_accepted_and_refunded_once() {
    let counter = Counter::start().await;
    // The demo's seller refunded one claim without return when it was seeded.
    let seeded = counter.admin.ledger_check().expect("ledger check").transactions;
    let app = &counter.app;

    // The buyer shows the claim return code; the scanner types it as one burst.
    app.scan_burst(&counter.return_code("clm-demo-refund")).await;
    app.wait_text("[data-testid=claim-item]", "Куртка зимняя").await;
    app.wait_text("[data-testid=claim-compensation]", "Возврат денег").await;
    app.wait_text("[data-testid=claim-amount]", "4 590,00").await;
    // Online, the counter asks the server at once; the state replaces "signature only".
    app.wait_attr("[data-testid=claim-state]", "data-state", "approved").await;
    // The decision and where the item goes, as the marketplace runs the claim.
    app.wait_attr("[data-testid=claim-decision]", "data-decision", "approved").await;
    app.wait_text("[data-testid=claim-decision]", "одобрена").await;
    app.wait_attr("[data-testid=claim-fate]", "data-fate", "to_pickup_point").await;
    app.wait_text("[data-testid=claim-fate]", "покупатель сдаёт в пункт выдачи").await;
    app.wait_attr("[data-testid=claim-item-check]", "data-checked", "false").await;

    // The item's scan puts the keyboard on its condition; F9 accepts.
    app.scan_burst("4607000000014").await;
    app.wait_attr("[data-testid=claim-item-check]", "data-checked", "true").await;
    app.wait_focused("claim-condition").await;
    let mut keys = app.keys();
    keys.type_text("Молния сломана, следов носки нет").await;
    counter.screenshot("claim-return.png").await;
    keys.press(Key::F9).await;

    app.wait_text("[data-testid=return-label-item]", "Куртка зимняя").await;
    keys.assert_at_most(4, "a claim return after its code's scan");
    let qr = app.wait_text("[data-testid=return-label-qr-text]", "PVZR1:").await;
    app.wait_for("[data-testid=return-label-qr]").await;
    app.wait_for("[data-testid=return-label] [data-testid=print-bar]").await;
    counter.screenshot("return-label.png").await;

    app.wait_exact_text("[data-testid=sync-waiting]", "0").await;
    let accepted = counter.outbox_ops("claim_return_accepted");
    assert_eq!(accepted.len(), 1, "one accept op was written: {accepted:?}");
    let (op_id, state) = &accepted[0];
    assert_eq!(state, "applied", "the server applied the accept");
    let postings = counter.admin.ledger_for_op(op_id).expect("the op's postings");
    let moved: Vec<(String, i64)> = postings.iter().map(|p| (p.account.clone(), p.amount.0)).collect();
    assert_eq!(
        moved.iter().filter(|(_, amount)| *amount > 0).map(|(_, amount)| amount).sum::<i64>(),
        459_000,
        "the refund of 4 590,00 ₽ moves once, from the seller to the buyer: {moved:?}"
    );
    assert!(
        moved.iter().any(|(account, amount)| account.starts_with("seller:") && *amount == -459_000),
        "the refund is taken from the seller's balance: {moved:?}"
    );
    let ledger = counter.admin.ledger_check().expect("ledger check");
    assert_eq!(
        (ledger.transactions - seeded, ledger.total),
        (1, 0),
        "one transaction more than the demo seeded, and the ledger balances: {ledger:?}"
    );
    let claim = counter.admin.claim_status("clm-demo-refund").expect("the claim");
    assert_eq!(claim.state.as_str(), "fulfilled", "the claim is fulfilled on the server");
    assert!(qr.trim().len() > "PVZR1:".len(), "the label's QR carries the return id: {qr}");

    app.click("[data-testid=dismiss-return-label]").await;
    app.wait_for("[data-testid=open-returns]").await;
    counter.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_claim_is_refused_with_its_reason() {
    let counter = Counter::start().await;
    let seeded = counter.admin.ledger_check().expect("ledger check").transactions;
    let app = &counter.app;

    // The code's signature is valid; only the server knows the claim was revoked since.
    app.scan_burst(&counter.return_code("clm-demo-revoked")).await;
    app.wait_text("[data-testid=claim-item]", "Платок шёлковый").await;
    app.wait_attr("[data-testid=claim-refusal]", "data-reason", "revoked").await;
    app.wait_text("[data-testid=claim-refusal]", "Претензия отозвана").await;
    app.wait_text("[data-testid=claim-refusal-reason]", "Покупатель отозвал претензию").await;
    assert!(!app.is_present("[data-testid=claim-accept]").await, "a revoked claim offers nothing to accept");
    counter.screenshot("claim-refused.png").await;

    // Scanning the item anyway changes nothing.
    app.scan_burst("4607000000106").await;
    app.wait_for("[data-testid=claim-refusal]").await;
    app.click("[data-testid=claim-cancel]").await;
    app.wait_for("[data-testid=open-returns]").await;

    app.wait_exact_text("[data-testid=sync-waiting]", "0").await;
    assert!(counter.outbox_ops("claim_return_accepted").is_empty(), "nothing was accepted at the counter");
    let ledger = counter.admin.ledger_check().expect("ledger check");
    assert_eq!(ledger.transactions, seeded, "no money moved beyond what the demo seeded: {ledger:?}");
    let claim = counter.admin.claim_status("clm-demo-revoked").expect("the claim");
    assert_eq!(claim.state.as_str(), "revoked", "the claim stays revoked");
    counter.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_rerouted_to_the_seller_refuses_its_old_code_with_the_reason() {
    let counter = Counter::start().await;
    let app = &counter.app;
    let claim_id = "clm-demo-replacement";
    // The buyer got a code to bring the item to a pickup point; then the operator sent it to the
    // seller instead. The code's signature is still valid: only the server knows the new route.
    let code = counter.return_code(claim_id);
    counter
        .claim_act(
            claim_id,
            r#"{"action":"change_route","route":"seller","seller_address":{"address":"Москва, ул. Складская, 5","hours":"пн-пт 10-19"}}"#,
        )
        .await;

    app.scan_burst(&code).await;
    app.wait_attr("[data-testid=claim-refusal]", "data-reason", "to_seller").await;
    app.wait_text("[data-testid=claim-refusal]", "Этот товар возвращается напрямую продавцу — не принимайте его").await;
    app.wait_attr("[data-testid=claim-refusal]", "role", "alert").await;
    app.wait_attr("[data-testid=claim-decision]", "data-decision", "approved").await;
    app.wait_attr("[data-testid=claim-fate]", "data-fate", "to_seller").await;
    assert!(
        !app.is_present("[data-testid=claim-accept]").await,
        "an item going to the seller offers nothing to accept"
    );
    counter.screenshot("claim-to-seller.png").await;

    // Scanning the item (the knitted hat) anyway changes nothing.
    app.scan_burst("4607000000021").await;
    app.wait_attr("[data-testid=claim-refusal]", "data-reason", "to_seller").await;
    assert!(!app.is_present("[data-testid=claim-accept]").await, "still nothing to accept");
    app.click("[data-testid=claim-cancel]").await;
    app.wait_for("[data-testid=open-returns]").await;

    app.wait_exact_text("[data-testid=sync-waiting]", "0").await;
    assert!(counter.outbox_ops("claim_return_accepted").is_empty(), "nothing was accepted at the counter");
    let claim = counter.admin.claim_status(claim_id).expect("the claim");
    assert_eq!(claim.route.map(|r| r.as_str()), Some("seller"), "the claim still goes to the seller");
    let fate = serde_json::to_value(claim.item_fate).expect("the fate serializes");
    assert_eq!(fate, "to_seller", "and its item is still on its way there");
    counter.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_courier_hand_back_shows_the_missing_item_on_the_act() {
    let counter = Counter::start().await;
    let app = &counter.app;

    // A badge anyone could print (the old unsigned kind) starts nothing; the signed one does.
    app.scan_burst("PVZE1:courier-ivan").await;
    app.wait_attr("[data-testid=error-banner]", "data-kind", "unknown_badge").await;
    assert!(!app.is_present("[data-testid=hand-back]").await, "an unsigned badge starts no hand-back");
    app.scan_burst(&counter.badge("courier-ivan")).await;
    app.wait_text("[data-testid=hand-back-courier]", "Иван Петров").await;
    // Online, the courier's manifest arrives right after the badge.
    for item in ["itm-1101-1", "itm-1101-2", "itm-1101-3"] {
        app.wait_attr(&format!("[data-item={item}]"), "data-state", "missing").await;
    }
    app.wait_attr("[data-testid=hand-back-missing]", "data-count", "3").await;

    counter.hand_back_item("4607000000113", "itm-1101-1", CourierReason::Defect("Порвана штанина")).await;
    app.wait_text("[data-item=itm-1101-1]", "брак «Порвана штанина» · брак — без оплаты и без обратной доставки").await;
    counter.hand_back_item("4607000000120", "itm-1101-2", CourierReason::Key('2')).await;
    app.wait_attr("[data-testid=hand-back-missing]", "data-count", "1").await;
    app.fill("[data-testid=hand-back-accepted-by]", "Ольга Смирнова").await;
    counter.screenshot("hand-back.png").await;
    app.click("[data-testid=hand-back-complete]").await;

    app.wait_text("[data-testid=act-courier]", "Иван Петров").await;
    app.wait_text("[data-testid=act-accepted-by]", "Ольга Смирнова").await;
    app.wait_text("[data-testid=act-accepted]", "Джинсы прямые").await;
    app.wait_text("[data-testid=act-accepted]", "Кроссовки беговые").await;
    app.wait_attr("[data-testid=act-discrepancies]", "data-count", "1").await;
    let missing = app.wait_text("[data-testid=act-missing]", "Наушники проводные").await;
    assert!(!missing.contains("Джинсы"), "only the item the courier did not bring is missing: {missing}");
    app.wait_for("[data-testid=hand-back-act] [data-testid=print-bar]").await;
    counter.screenshot("hand-back-act.png").await;

    app.wait_exact_text("[data-testid=sync-waiting]", "0").await;
    let completed = counter.outbox_ops("courier_hand_back_completed");
    assert_eq!(completed.len(), 1, "one hand-back op was written: {completed:?}");
    assert_eq!(completed[0].1, "applied", "the server applied the hand-back");
    app.click("[data-testid=dismiss-hand-back-act]").await;
    app.wait_for("[data-testid=open-returns]").await;
    counter.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_box_is_closed_and_handed_to_the_driver() {
    let counter = Counter::start().await;
    let app = &counter.app;
    let label = counter.accept_refund_claim().await;
    let return_id = label.trim_start_matches("PVZR1:").to_owned();
    app.click("[data-testid=dismiss-return-label]").await;

    app.click("[data-testid=open-returns]").await;
    app.wait_text("[data-testid=returns-waiting]", "Куртка зимняя").await;
    app.click("[data-testid=box-new]").await;
    app.wait_for("[data-testid=box-open]").await;
    // The unit's label, scanned, goes into the open box.
    app.scan_burst(&label).await;
    app.wait_attr("[data-testid=box-items]", "data-count", "1").await;
    app.wait_exact_text("[data-testid=waiting-count]", "0").await;
    app.click("[data-testid=box-close]").await;

    let box_qr = app.wait_text("[data-testid=box-label-qr-text]", "PVZB1:").await;
    assert!(box_qr.trim().ends_with(":1"), "the box label's QR names its one item: {box_qr}");
    app.wait_for("[data-testid=box-label-qr]").await;
    app.wait_exact_text("[data-testid=closed-count]", "1").await;
    // Saved as a file, the label's QR reads back, with an independent reader, as what the screen shows.
    app.click("[data-testid=box-label] [data-testid=export-png]").await;
    let png = app.wait_attr_ending("[data-testid=box-label] [data-testid=print-result]", "data-path", ".png").await;
    assert_eq!(decode_qr(&png), [box_qr.trim()], "the exported label's QR decodes to the box's code");
    app.click("[data-testid=box-label] [data-testid=export-pdf]").await;
    let pdf = app.wait_attr_ending("[data-testid=box-label] [data-testid=print-result]", "data-path", ".pdf").await;
    let head = std::fs::read(&pdf).map(|bytes| bytes[..4].to_vec()).unwrap_or_default();
    assert_eq!(head, b"%PDF", "the label was saved as a PDF at {pdf}");

    app.scan_burst(&counter.badge("driver-oleg")).await;
    app.wait_text("[data-testid=driver-name]", "Олег Смирнов").await;
    counter.screenshot("returns-desk.png").await;
    app.click("[data-testid=hand-over-boxes]").await;
    app.wait_text("[data-testid=handover-driver]", "Олег Смирнов").await;
    app.wait_exact_text("[data-testid=handover-items]", "1").await;
    app.wait_text("[data-testid=handover-boxes]", box_qr.trim()).await;
    counter.screenshot("handover-act.png").await;

    app.wait_exact_text("[data-testid=sync-waiting]", "0").await;
    let custody = counter.admin.custody(&return_id).expect("the unit's custody");
    let unit = custody.first().unwrap_or_else(|| panic!("the server knows unit {return_id}"));
    let holder = format!("{:?}", unit.unit.holder);
    assert!(holder.contains("Driver") && holder.contains("driver-oleg"), "the driver holds the unit now: {holder}");
    let kinds: Vec<&str> = unit.log.iter().map(|e| e.op_kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["claim_return_accepted", "return_box_closed", "boxes_handed_over"],
        "its custody went from the counter into the box, then to the driver"
    );
    app.click("[data-testid=dismiss-handover-act]").await;
    app.wait_for("[data-testid=returns-desk]").await;
    counter.stop().await;
}
