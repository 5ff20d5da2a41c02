//! A page in a WebDriver session, as a person meets it: wait for an element, click it, read its
//! text, type into it, take a screenshot. Every wait polls with a deadline ([`WAIT`]) and fails with
//! what it saw and a screenshot of the screen, never after a fixed sleep. The kiosk's window and the
//! seller's browser are both a `Page`.

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use std::path::Path;
use std::time::{Duration, Instant};

pub const WAIT: Duration = Duration::from_secs(15);

/// What a wait expects of what it reads: text containing a needle, exactly a value (trimmed), a
/// value ending with a suffix (a saved file's extension), or a value a test accepts (described).
#[derive(Clone, Copy)]
enum Expect<'a> {
    Contains(&'a str),
    Is(&'a str),
    EndsWith(&'a str),
    Satisfies(&'a str, &'a dyn Fn(&str) -> bool),
}

/// Repaints a transparent 1 px mark every frame for 3 s, so a screenshot request finds a paint.
const KEEP_PAINTING: &str = "const mark = document.createElement('div'); \
    mark.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none;opacity:0'; \
    document.body.appendChild(mark); const until = performance.now() + 3000; \
    const tick = (now) => { mark.style.opacity = mark.style.opacity === '0' ? '0.001' : '0'; \
    if (now < until) requestAnimationFrame(tick); else mark.remove(); }; requestAnimationFrame(tick);";

pub struct Page {
    client: Client,
    /// Text fields to focus before a screenshot: WebKitWebDriver answers one only after the page
    /// paints again, and a focused field's blinking caret keeps it painting.
    caret: &'static str,
    /// Where a failure's screenshot goes: one file per kind of page, so the kiosk's and the
    /// browser's do not overwrite each other.
    name: &'static str,
}

impl Page {
    pub(crate) fn new(client: Client, caret: &'static str, name: &'static str) -> Page {
        Page { client, caret, name }
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Types `text` into the field, replacing what it held.
    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.wait_for(css).await;
        field.clear().await.unwrap_or_else(|e| panic!("{css} should clear: {e}"));
        field.send_keys(text).await.unwrap_or_else(|e| panic!("{css} should take {text:?}: {e}"));
    }

    /// The field's current value (what a person sees typed in it).
    pub async fn value(&self, css: &str) -> String {
        let field = self.wait_for(css).await;
        field.prop("value").await.ok().flatten().unwrap_or_default()
    }

    /// Waits for the element. A re-render can replace it between being found and being handed
    /// back ("stale element"), which a busy machine makes likely; that is looked up again too.
    pub async fn wait_for(&self, css: &str) -> Element {
        let deadline = Instant::now() + WAIT;
        loop {
            let error = match self.client.find(Locator::Css(css)).await {
                Ok(element) => return element,
                Err(e) => e,
            };
            if Instant::now() > deadline {
                let banner = match self
                    .client
                    .find(Locator::Css("[data-testid=error-banner], [data-testid=page-error]"))
                    .await
                {
                    Ok(banner) => banner.text().await.unwrap_or_default(),
                    Err(_) => "none".into(),
                };
                let shot = self.failure_screenshot().await;
                panic!("{css} should appear within {WAIT:?}: {error} (error banner: {banner}; screen: {shot})")
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until `css` matches nothing (a dialog closed, a spinner gone).
    pub async fn wait_gone(&self, css: &str) {
        let deadline = Instant::now() + WAIT;
        while self.is_present(css).await {
            if Instant::now() > deadline {
                let shot = self.failure_screenshot().await;
                panic!("{css} should go away within {WAIT:?} (screen: {shot})");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Clicks the element, retrying while a re-render or a closing dialog is in the way.
    pub async fn click(&self, css: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            // A disabled button takes a click and does nothing, and one that a state update is
            // about to enable (the counter's confirm after the last decision) is disabled for a
            // moment on a busy machine: click only once it is enabled, as a person would.
            let element = self.wait_for(css).await;
            let error = match element.is_enabled().await {
                Ok(false) => format!("{css} is disabled"),
                Ok(true) => match element.click().await {
                    Ok(_) => return,
                    Err(e) => format!("{e:?}"),
                },
                Err(e) => format!("{e:?}"),
            };
            if Instant::now() > deadline {
                let shot = self.failure_screenshot().await;
                panic!("{css} should be clickable: {error} (screen: {shot})");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The element's text as soon as it can be read.
    pub async fn text(&self, css: &str) -> String {
        self.wait_text(css, "").await
    }

    /// Waits until the element's text contains `needle`; returns the text.
    pub async fn wait_text(&self, css: &str, needle: &str) -> String {
        self.wait_until(css, Expect::Contains(needle), |el| async move { el.text().await.ok() }).await
    }

    /// Waits until the element's text, trimmed, is exactly `expected`.
    pub async fn wait_exact_text(&self, css: &str, expected: &str) -> String {
        self.wait_until(css, Expect::Is(expected), |el| async move { el.text().await.ok() }).await
    }

    /// Like `wait_exact_text`, but reads the DOM's `textContent`: WebKitWebDriver's element text is
    /// empty for some visible elements (the header's pickup point name, clipped with an ellipsis).
    pub async fn wait_text_content(&self, css: &str, expected: &str) -> String {
        self.wait_until(css, Expect::Is(expected), |el| async move { el.prop("textContent").await.ok().flatten() })
            .await
    }

    /// Waits until the element's attribute `name` is exactly `expected`.
    pub async fn wait_attr(&self, css: &str, name: &str, expected: &str) -> String {
        self.wait_until(css, Expect::Is(expected), |el| async move { el.attr(name).await.ok().flatten() }).await
    }

    /// Waits until the element's attribute `name` ends with `suffix`; returns the attribute.
    pub async fn wait_attr_ending(&self, css: &str, name: &str, suffix: &str) -> String {
        self.wait_until(css, Expect::EndsWith(suffix), |el| async move { el.attr(name).await.ok().flatten() }).await
    }

    /// Waits until the element's text passes `test`; `what` says what it should be, for the failure.
    pub async fn wait_text_where(&self, css: &str, what: &str, test: impl Fn(&str) -> bool) -> String {
        self.wait_until(css, Expect::Satisfies(what, &test), |el| async move { el.text().await.ok() }).await
    }

    async fn wait_until<F, Fut>(&self, css: &str, expect: Expect<'_>, read: F) -> String
    where
        F: Fn(Element) -> Fut,
        Fut: std::future::Future<Output = Option<String>>,
    {
        let deadline = Instant::now() + WAIT;
        loop {
            // None: the element went stale before it could be read; look it up again.
            let read = read(self.wait_for(css).await).await;
            let met = read.as_deref().is_some_and(|seen| match expect {
                Expect::Contains(needle) => seen.contains(needle),
                Expect::Is(expected) => seen.trim() == expected,
                Expect::EndsWith(suffix) => seen.trim().ends_with(suffix),
                Expect::Satisfies(_, test) => test(seen),
            });
            let seen = read.unwrap_or_default();
            if met {
                return seen;
            }
            if Instant::now() > deadline {
                let shot = self.failure_screenshot().await;
                match expect {
                    Expect::Contains(needle) => {
                        panic!("{css} should contain {needle:?}, but shows {seen:?} (screen: {shot})")
                    }
                    Expect::Is(expected) => {
                        panic!("{css} should read {expected:?}, but reads {seen:?} (screen: {shot})")
                    }
                    Expect::EndsWith(suffix) => {
                        panic!("{css} should end with {suffix:?}, but reads {seen:?} (screen: {shot})")
                    }
                    Expect::Satisfies(what, _) => {
                        panic!("{css} should show {what}, but shows {seen:?} (screen: {shot})")
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until `script` (a function body) returns `true`, and fails saying `what` should hold
    /// with what the script last returned.
    pub async fn wait_script(&self, script: &str, what: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let seen = self.client.execute(script, vec![]).await;
            if matches!(seen, Ok(serde_json::Value::Bool(true))) {
                return;
            }
            if Instant::now() > deadline {
                let shot = self.failure_screenshot().await;
                panic!("{what} within {WAIT:?}, but the page answered {seen:?} (screen: {shot})");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the element with `data-testid` `test_id` has the keyboard, as the next key
    /// a person presses would find it.
    pub async fn wait_focused(&self, test_id: &str) {
        let script = format!("return document.activeElement?.dataset?.testid === {test_id:?};");
        self.wait_script(&script, &format!("[data-testid={test_id}] should have the keyboard")).await;
    }

    /// Runs `script` (a function body) and reads back what it returns.
    pub async fn eval<T: serde::de::DeserializeOwned>(&self, script: &str) -> T {
        let value = self.client.execute(script, vec![]).await.unwrap_or_else(|e| panic!("the page runs {script}: {e}"));
        serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{script} returned {value}: {e}"))
    }

    pub async fn is_present(&self, css: &str) -> bool {
        self.client.find(Locator::Css(css)).await.is_ok()
    }

    /// How many elements match `css` now.
    pub async fn count(&self, css: &str) -> usize {
        self.client.find_all(Locator::Css(css)).await.map(|all| all.len()).unwrap_or(0)
    }

    /// Saves what the page shows to the temp dir and returns the path, for failure messages.
    pub async fn failure_screenshot(&self) -> String {
        let path = std::env::temp_dir().join(format!("pvz-e2e-failure-{}-{}.png", self.name, std::process::id()));
        match self.try_screenshot().await {
            Some(png) if std::fs::write(&path, &png).is_ok() => path.display().to_string(),
            _ => "no screenshot".into(),
        }
    }

    /// Gives up after a while rather than hang the test (see `caret`). A page with no text field
    /// is kept painting for a few seconds by a 1 px mark it flickers between two invisible states.
    async fn try_screenshot(&self) -> Option<Vec<u8>> {
        let focus =
            format!("const f = document.querySelector({:?}); if (f) f.focus({{ preventScroll: true }});", self.caret);
        let _ = tokio::time::timeout(Duration::from_secs(5), self.client.execute(&focus, vec![])).await;
        let _ = tokio::time::timeout(Duration::from_secs(5), self.client.execute(KEEP_PAINTING, vec![])).await;
        for _ in 0..3 {
            if let Ok(Ok(png)) = tokio::time::timeout(Duration::from_secs(5), self.client.screenshot()).await {
                return Some(png);
            }
        }
        None
    }

    pub async fn screenshot(&self, path: &Path) {
        let png = self.try_screenshot().await.expect("the window gives a screenshot");
        std::fs::write(path, png).expect("write the screenshot");
    }

    /// Ends the session.
    pub(crate) async fn close(self) -> Result<(), fantoccini::error::CmdError> {
        self.client.close().await
    }
}
