//! The seller's web page end to end, in a real browser (WebKitGTK's MiniBrowser through
//! WebKitWebDriver) against a real `pvz-server` with the demo network, beside the real kiosk window
//! enrolled to the same server: the seller signs in with the credential the server's admin issued,
//! opens the jeans claim from the inbox and sees the counter's photo and the buyer's, answers in the
//! thread, approves without return with a partial refund, and the balance moves by it once; the
//! kiosk's item history of the jeans, found by their barcode, then shows that decision (no return
//! code will ever be scanned for it). A second claim is approved for return through a pickup point
//! with the keyboard alone, and the kiosk shows that decision when the buyer's return code is scanned. The inbox and the claim page fit a laptop
//! (1280x800) and a phone (390 px) without sideways scrolling; `PVZ_UPDATE_SCREENSHOTS=1` saves them
//! to docs/screenshots for the README.

use crate::common::{web_page_dir, Counter, POINT};
use pvz_e2e::Browser;
use pvz_server::credentials::PartyKind;
use pvz_server::db::orders::{NewItem, NewOrder};
use std::path::{Path, PathBuf};

/// The demo's seller of clothes and shoes, and its claim left to decide with photos (the jeans).
const SELLER: &str = "seller-modnitsa";
const JEANS_CLAIM: &str = "clm-demo-photos";
const JEANS_PRICE: i64 = 399_000;
/// The partial refund the seller agrees: 1 500,50 ₽ of the jeans' 3 990,00 ₽.
const PARTIAL_REFUND: i64 = 150_050;
const PARTIAL_REFUND_TYPED: &str = "1500,50";
/// The jeans' item and the barcode on their tag (demo/CODES.md).
const JEANS_ITEM: &str = "itm-1008-3";
const JEANS_BARCODE: &str = "4607000000175";
const _: () = assert!(0 < PARTIAL_REFUND && PARTIAL_REFUND < JEANS_PRICE, "the refund is partial");

const LAPTOP: (u32, u32) = (1280, 800);
const PHONE: (u32, u32) = (390, 844);

/// Kopecks in an amount as the page shows it ("-1 500,50 ₽", "−1 500,50 ₽").
fn kopecks(shown: &str) -> Option<i64> {
    let digits: String = shown.chars().filter(char::is_ascii_digit).collect();
    let value: i64 = digits.parse().ok()?;
    Some(if shown.contains(['-', '\u{2212}']) { -value } else { value })
}

/// An amount with its spaces made plain (the page groups thousands with a no-break space).
fn plain_spaces(text: &str) -> String {
    text.replace(['\u{a0}', '\u{202f}'], " ")
}

/// The built web page the server serves at `/seller/` (the checkout's `ui/dist-web`).
fn built_web_page() -> PathBuf {
    let dir = web_page_dir();
    assert!(
        dir.join("index.html").exists(),
        "the seller web page is built into {} (npm --prefix ui run build:web)",
        dir.display()
    );
    dir
}

/// Saves what the browser shows as `name`: into docs/screenshots with `PVZ_UPDATE_SCREENSHOTS=1`
/// (the README shows them), else into `PVZ_SCREENSHOT_DIR` when it is set.
async fn screenshot(browser: &Browser, name: &str) {
    let dir = if std::env::var_os("PVZ_UPDATE_SCREENSHOTS").is_some_and(|v| v == "1") {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots")
    } else if let Some(dir) = std::env::var_os("PVZ_SCREENSHOT_DIR") {
        PathBuf::from(dir)
    } else {
        return;
    };
    // From the top of the page, as a person opening it sees it.
    browser.eval::<serde_json::Value>("window.scrollTo(0, 0); return null;").await;
    browser.screenshot(&dir.join(name)).await;
}

/// What the seller does in the web page, on top of the shared set-up.
struct Seller {
    browser: Browser,
    /// `http://<server>/seller/`
    page: String,
}

impl Seller {
    /// Opens the page at a laptop's size and signs in with a fresh credential for `SELLER`.
    async fn sign_in(counter: &Counter) -> Seller {
        let credential = counter.admin.issue_seller_credential(SELLER).expect("a seller credential");
        let browser = Browser::start(LAPTOP.0, LAPTOP.1).await;
        let page = format!("{}/seller/", counter.server.url());
        browser.goto(&page).await;
        browser.fill("[data-testid=signin-credential]", &credential).await;
        browser.click("[data-testid=signin-submit]").await;
        browser.wait_text("[data-testid=whoami]", SELLER).await;
        assert!(
            !browser.is_present("[data-testid=signin-credential]").await,
            "the sign-in form is gone once signed in"
        );
        Seller { browser, page }
    }

    async fn open(&self, route: &str) {
        self.browser.goto(&format!("{}#/{route}", self.page)).await;
    }

    /// The balance as the balance page shows it, in kopecks.
    async fn balance(&self) -> i64 {
        self.browser.click("[data-testid=nav-balance]").await;
        let shown = self.browser.text("[data-testid=balance-amount]").await;
        kopecks(&shown).unwrap_or_else(|| panic!("the balance reads as an amount: {shown:?}"))
    }

    /// Waits until every image `css` matches has loaded and shows something (naturalWidth > 0),
    /// and there are `count` of them.
    async fn wait_images(&self, css: &str, count: usize) {
        let script = format!(
            "const imgs = [...document.querySelectorAll({css:?})]; \
             return imgs.length === {count} && imgs.every((img) => img.complete && img.naturalWidth > 0);"
        );
        self.browser.wait_script(&script, &format!("{count} images {css} should be shown")).await;
    }
}

/// An issued order of `SELLER`'s dress, paid online 20 days ago (so the seller decides its claims).
fn add_issued_dress_order(counter: &Counter) -> (String, String, String) {
    let (id, short_code, stem) = counter.admin.fresh_order_ids(POINT).expect("fresh order ids");
    let item = NewItem {
        id: pvz_domain::ItemId::parse(&format!("itm-{stem}-1")).expect("an item id"),
        seller_id: SELLER.into(),
        seller_name: "ООО «Модница»".into(),
        name: "Платье летнее".into(),
        variant: "44, голубое".into(),
        cell: "A-15".into(),
        price: pvz_domain::Kopecks(259_000),
        prepaid: true,
        category: "clothes".into(),
        barcode: None,
        mark: None,
    };
    let item_id = item.id.as_str().to_owned();
    let buyer = format!("buyer-{stem}");
    let order =
        NewOrder { id, short_code, buyer_id: buyer.clone(), buyer_name: "Ольга Н.".into(), items: vec![item] };
    counter.admin.add_order(POINT, &order).expect("the order is added");
    let order_id = order.id.as_str().to_owned();
    counter.admin.mark_order_issued(&order_id).expect("the order was handed over");
    let paid = chrono::Utc::now() - chrono::Duration::days(20);
    counter.admin.set_order_paid_at(&order_id, &paid.to_rfc3339()).expect("paid 20 days ago");
    (order_id, item_id, buyer)
}

/// Opens a claim on the item as the marketplace's buyer front does (`POST /v1/claims`).
async fn open_claim_as_buyer(http: &reqwest::Client, url: &str, front: &str, body: serde_json::Value) -> String {
    let reply = http.post(format!("{url}/v1/claims")).bearer_auth(front).json(&body).send().await.expect("POST");
    let status = reply.status();
    let claim: serde_json::Value = reply.json().await.expect("a JSON reply");
    assert_eq!(status, 201, "the buyer front opens the claim: {claim}");
    assert_eq!(claim["decided_by"], "seller", "past 14 days from payment the seller decides: {claim}");
    claim["claim_id"].as_str().expect("the claim's id").to_owned()
}

/// The buyer's return code for the claim, as the buyer front reads it to show the buyer.
async fn buyer_return_code(http: &reqwest::Client, url: &str, front: &str, buyer: &str, claim_id: &str) -> String {
    let reply = http
        .get(format!("{url}/v1/buyer/claims"))
        .query(&[("buyer_id", buyer)])
        .bearer_auth(front)
        .send()
        .await
        .expect("GET the buyer's claims");
    let claims: Vec<serde_json::Value> = reply.json().await.expect("the buyer's claims");
    let claim = claims.iter().find(|c| c["claim_id"] == claim_id).expect("the buyer front lists the claim");
    claim["return_code"].as_str().unwrap_or_else(|| panic!("an approved return has a code: {claim}")).to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seller_decides_claims_in_the_web_page_and_the_counter_sees_the_decision() {
    built_web_page();
    let counter = Counter::start().await;
    let seller_account = format!("seller:{SELLER}");
    let server_balance = counter.admin.account_balance(&seller_account).expect("the seller's balance").0;
    let ledger_before = counter.admin.ledger_check().expect("ledger check");

    let seller = Seller::sign_in(&counter).await;
    let browser = &seller.browser;
    let balance_before = seller.balance().await;
    assert_eq!(balance_before, server_balance, "the page shows the seller's balance as the server's ledger has it");

    // The jeans wait in the inbox's new folder; the claim opens from its row.
    browser.click("[data-testid=nav-inbox]").await;
    browser.wait_for(&format!("[data-testid=inbox-row-{JEANS_CLAIM}]")).await;
    browser.assert_no_horizontal_scroll("the inbox at 1280x800").await;
    screenshot(browser, "seller-inbox.png").await;
    browser.click(&format!("[data-testid=inbox-row-{JEANS_CLAIM}]")).await;
    browser.wait_attr("[data-testid=claim-page]", "data-claim-id", JEANS_CLAIM).await;
    browser.wait_text("[data-testid=claim-item]", "Джинсы прямые").await;
    // The counter's photo of the jeans and the buyer's two are shown, not just linked.
    seller.wait_images("[data-testid=counter-photo]", 1).await;
    seller.wait_images("[data-testid=buyer-photo]", 2).await;
    assert!(!browser.is_present("[data-testid=counter-photo-missing]").await, "no counter photo is missing");

    // The buyer's message with the photos is in the thread; the answer goes below it.
    browser.wait_text("[data-testid=message]", "Вот пятно крупно и бирка").await;
    let reply = "Здравствуйте! Пятно видно и на фото пункта выдачи — вернём часть стоимости.";
    browser.fill("[data-testid=reply-text]", reply).await;
    browser.click("[data-testid=reply-send]").await;
    let in_thread = format!(
        "return [...document.querySelectorAll('[data-testid=message]')].some((m) => m.textContent.includes({}));",
        serde_json::to_string(reply).expect("a JS string")
    );
    browser.wait_script(&in_thread, "the seller's answer should show in the thread").await;
    browser.assert_no_horizontal_scroll("the claim page at 1280x800").await;
    screenshot(browser, "seller-claim.png").await;

    // On a phone: the same claim page and the inbox, nothing to scroll sideways.
    browser.resize(PHONE.0, PHONE.1).await;
    seller.wait_images("[data-testid=buyer-photo]", 2).await;
    browser.assert_no_horizontal_scroll("the claim page 390 px wide").await;
    screenshot(browser, "seller-claim-phone.png").await;
    seller.open("inbox/new").await;
    browser.wait_for(&format!("[data-testid=inbox-row-{JEANS_CLAIM}]")).await;
    browser.assert_no_horizontal_scroll("the inbox 390 px wide").await;
    browser.resize(LAPTOP.0, LAPTOP.1).await;

    // Approved without return, with a partial refund: paid at once from the seller's balance.
    seller.open(&format!("claims/{JEANS_CLAIM}")).await;
    // The photos above the actions load first: once they are in, nothing moves the button.
    seller.wait_images("[data-testid=counter-photo]", 1).await;
    seller.wait_images("[data-testid=buyer-photo]", 2).await;
    browser.click("[data-testid=action-approve_without_return]").await;
    browser.wait_attr("[data-testid=action-approve_without_return]", "aria-expanded", "true").await;
    assert_eq!(browser.value("[data-testid=action-compensation-kind]").await, "refund", "a refund is offered first");
    browser.fill("[data-testid=action-amount]", PARTIAL_REFUND_TYPED).await;
    browser.click("[data-testid=action-submit]").await;
    browser.wait_text("[data-testid=claim-decision]", "одобрена").await;
    let decision = plain_spaces(&browser.text("[data-testid=claim-decision]").await);
    assert!(decision.contains("1 500,50"), "the decision shows the partial refund of 1 500,50 ₽: {decision:?}");
    assert!(!browser.is_present("[data-testid=action-approve_without_return]").await, "the claim is decided");
    let claim = counter.admin.claim_status(JEANS_CLAIM).expect("the jeans claim");
    assert_eq!(claim.state.as_str(), "fulfilled", "a refund without return is paid at once");

    // The balance moved once by the refund, and stays so after a reload.
    let expected = balance_before - PARTIAL_REFUND;
    browser.click("[data-testid=nav-balance]").await;
    browser
        .wait_text_where("[data-testid=balance-amount]", &format!("{expected} kopecks"), |t| {
            kopecks(t) == Some(expected)
        })
        .await;
    let line = format!("[data-testid=ledger-line][data-claim-id={JEANS_CLAIM}]");
    for when in ["after the decision", "after a reload"] {
        if when == "after a reload" {
            browser.reload().await;
        }
        let shown = browser.text("[data-testid=balance-amount]").await;
        assert_eq!(kopecks(&shown), Some(expected), "{when}: the balance moved once by 1 500,50 ₽: {shown:?}");
        assert_eq!(browser.count(&line).await, 1, "{when}: one ledger line for the jeans claim");
        let text = plain_spaces(&browser.text(&line).await);
        assert!(text.contains("1 500,50"), "{when}: the ledger line shows the refund: {text:?}");
    }
    let moved = counter.admin.account_balance(&seller_account).expect("the seller's balance").0 - server_balance;
    assert_eq!(moved, -PARTIAL_REFUND, "the server's ledger took the refund from the seller once");
    let ledger = counter.admin.ledger_check().expect("ledger check");
    assert_eq!(
        (ledger.transactions - ledger_before.transactions, ledger.total),
        (1, 0),
        "one transaction for the refund, and the ledger balances: {ledger:?}"
    );

    // A second claim, opened by a buyer through the marketplace, decided with the keyboard alone.
    let http = reqwest::Client::new();
    let url = counter.server.url();
    let front = counter.admin.issue_party_credential(PartyKind::BuyerFront, "e2e-front").expect("a buyer front");
    let (order_id, item_id, buyer) = add_issued_dress_order(&counter);
    let body = serde_json::json!({
        "buyer_id": buyer, "order_id": order_id, "item_id": item_id,
        "description": "Разошёлся боковой шов после первой носки",
    });
    let dress_claim = open_claim_as_buyer(&http, &url, &front, body).await;
    seller.open("inbox/new").await;
    let row = format!("[data-testid=inbox-row-{dress_claim}]");
    browser.wait_for(&row).await;
    browser.tab_to(&row).await;
    browser.enter().await;
    browser.wait_attr("[data-testid=claim-page]", "data-claim-id", &dress_claim).await;
    browser.tab_to("[data-testid=action-approve_via_pickup_point]").await;
    browser.enter().await;
    browser.tab_to("[data-testid=action-amount]").await;
    browser.retype("2000").await;
    browser.tab_to("[data-testid=action-submit]").await;
    browser.enter().await;
    browser.wait_text("[data-testid=claim-decision]", "одобрена").await;
    let claim = counter.admin.claim_status(&dress_claim).expect("the dress claim");
    assert_eq!(claim.route.map(|r| r.as_str()), Some("pickup_point"), "the dress comes back through a pickup point");

    // The buyer brings the dress to the counter with the code; the kiosk asks the server and shows
    // the seller's decision.
    let code = buyer_return_code(&http, &url, &front, &buyer, &dress_claim).await;
    let app = &counter.app;
    app.scan_burst(&code).await;
    app.wait_text("[data-testid=claim-item]", "Платье летнее").await;
    app.wait_attr("[data-testid=claim-state]", "data-state", "approved").await;
    app.wait_attr("[data-testid=claim-decision]", "data-decision", "approved").await;
    app.wait_text("[data-testid=claim-decision]", "одобрена").await;
    app.wait_text("[data-testid=claim-amount]", "2 000,00").await;
    app.wait_attr("[data-testid=claim-fate]", "data-fate", "to_pickup_point").await;
    app.click("[data-testid=claim-cancel]").await;

    // The jeans were refunded without return: no code will ever be scanned for them. The manager
    // finds them by their barcode, and their history shows the seller's decision from the server.
    app.click("[data-testid=find-item]").await;
    app.fill("[data-testid=find-input]", JEANS_BARCODE).await;
    app.click("[data-testid=find-submit]").await;
    app.wait_attr("[data-testid=found-item]", "data-item", JEANS_ITEM).await;
    let jeans = format!("[data-testid=item-claim-{JEANS_CLAIM}]");
    app.wait_attr(&jeans, "data-decision", "approved").await;
    let shown = plain_spaces(&app.wait_text(&format!("{jeans} [data-testid=item-claim-decision]"), "Одобрена").await);
    assert_eq!(
        shown, "Одобрена: возврат 1 500,50 ₽ без возврата товара",
        "the kiosk shows the seller's partial refund of the jeans, without return"
    );

    seller.browser.stop().await;
    counter.stop().await;
}
