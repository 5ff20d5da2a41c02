//! A plain web page in a real browser: WebKitWebDriver driving WebKitGTK's MiniBrowser (both from
//! Debian: webkit2gtk-driver, libwebkit2gtk-4.1-0), the engine the kiosk's window runs on. Full
//! screen, so no toolbar sets a minimum width: the viewport is exactly the window, down to a
//! phone's 390 px. A `Browser` is its tab's [`Page`]; it adds going to an address, the viewport's
//! size, and the keyboard (Tab, Enter, typing) for what a person does without a mouse.

use crate::page::{Page, WAIT};
use crate::{free_port, stop_process_group};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::ClientBuilder;
use std::ops::Deref;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The web page's text fields that keep it painting for a screenshot.
const CARET: &str = "[data-testid=reply-text], [data-testid=signin-credential]";

/// How many Tab presses may pass before the element a test tabs to must have focus.
const MAX_TABS: usize = 80;

/// WebKitGTK's MiniBrowser: `PVZ_MINIBROWSER`, else where Debian's libwebkit2gtk-4.1-0 puts it.
pub fn minibrowser() -> PathBuf {
    if let Some(path) = std::env::var_os("PVZ_MINIBROWSER") {
        return PathBuf::from(path);
    }
    let installed = std::fs::read_dir("/usr/lib").into_iter().flatten().flatten().find_map(|dir| {
        let candidate = dir.path().join("webkit2gtk-4.1/MiniBrowser");
        candidate.exists().then_some(candidate)
    });
    installed.expect("MiniBrowser is installed (apt install libwebkit2gtk-4.1-0) or named by PVZ_MINIBROWSER")
}

pub struct Browser {
    page: Page,
    driver: Child,
}

impl Deref for Browser {
    type Target = Page;

    fn deref(&self) -> &Page {
        &self.page
    }
}

impl Browser {
    /// Starts WebKitWebDriver and a MiniBrowser window of `width` x `height` CSS pixels.
    pub async fn start(width: u32, height: u32) -> Browser {
        let port = free_port();
        let driver = Command::new("WebKitWebDriver")
            .arg(format!("--port={port}"))
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group, so that the browser and WebKit's helpers go down with it.
            .process_group(0)
            .spawn()
            .expect("WebKitWebDriver runs (apt install webkit2gtk-driver)");
        let caps = serde_json::json!({
            "browserName": "MiniBrowser",
            "webkitgtk:browserOptions": {
                "binary": minibrowser(),
                "args": ["--automation", "--full-screen"],
            },
        });
        let caps = caps.as_object().cloned().expect("capabilities are an object");
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + WAIT;
        let client = loop {
            let mut builder = ClientBuilder::native();
            builder.capabilities(caps.clone());
            match builder.connect(&url).await {
                Ok(client) => break client,
                // The driver is still starting: its port does not answer yet.
                Err(_) if Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(100)).await,
                Err(e) => panic!("no WebDriver session with MiniBrowser on port {port}: {e}"),
            }
        };
        let browser = Browser { page: Page::new(client, CARET, "browser"), driver };
        browser.resize(width, height).await;
        browser
    }

    /// Makes the viewport `width` x `height` and waits until the page lays out at that width.
    pub async fn resize(&self, width: u32, height: u32) {
        self.client()
            .set_window_rect(0, 0, width, height)
            .await
            .unwrap_or_else(|e| panic!("the window takes the size {width}x{height}: {e}"));
        self.wait_script(
            &format!("return window.innerWidth === {width};"),
            &format!("the viewport is {width} px wide"),
        )
        .await;
    }

    pub async fn goto(&self, url: &str) {
        self.client().goto(url).await.unwrap_or_else(|e| panic!("the browser opens {url}: {e}"));
    }

    /// Loads the page again, as a person pressing F5.
    pub async fn reload(&self) {
        self.client().refresh().await.unwrap_or_else(|e| panic!("the page reloads: {e}"));
    }

    /// Fails unless the page fits its viewport's width: nothing to scroll sideways.
    pub async fn assert_no_horizontal_scroll(&self, what: &str) {
        let (scroll, client): (u32, u32) =
            self.eval("const d = document.documentElement; return [d.scrollWidth, d.clientWidth];").await;
        assert!(scroll <= client, "{what}: the page fits its width, {scroll} px of content in {client} px");
    }

    /// Presses keys one after another (characters type themselves; `Key`s are Tab, Enter…).
    pub async fn press(&self, keys: &[char]) {
        let mut actions = KeyActions::new("keyboard".into());
        for &key in keys {
            actions = actions.then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key });
        }
        self.client().perform_actions(actions).await.unwrap_or_else(|e| panic!("the keys {keys:?} are pressed: {e}"));
    }

    /// Types `text` into whatever has focus.
    pub async fn type_text(&self, text: &str) {
        self.press(&text.chars().collect::<Vec<_>>()).await;
    }

    /// Replaces the focused field's text with `text`: Ctrl+A, then typing.
    pub async fn retype(&self, text: &str) {
        let control = char::from(Key::Control);
        let select_all = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: control })
            .then(KeyAction::Down { value: 'a' })
            .then(KeyAction::Up { value: 'a' })
            .then(KeyAction::Up { value: control });
        self.client().perform_actions(select_all).await.unwrap_or_else(|e| panic!("Ctrl+A selects the text: {e}"));
        self.type_text(text).await;
    }

    /// Presses Tab until the element `css` has focus, as a person moving through the page with the
    /// keyboard; fails when it is not reached within [`MAX_TABS`] presses.
    pub async fn tab_to(&self, css: &str) {
        let focused = format!("return !!document.activeElement && document.activeElement.matches({css:?});");
        for _ in 0..MAX_TABS {
            if self.eval::<bool>(&focused).await {
                return;
            }
            self.press(&[char::from(Key::Tab)]).await;
        }
        let now: String =
            self.eval("const a = document.activeElement; return a ? a.outerHTML.slice(0, 200) : 'nothing';").await;
        let shot = self.failure_screenshot().await;
        panic!("{css} should take the focus within {MAX_TABS} Tab presses; focus is on {now} (screen: {shot})");
    }

    /// Presses Enter on whatever has focus.
    pub async fn enter(&self) {
        self.press(&[char::from(Key::Enter)]).await;
    }

    /// Ends the session, which closes the browser.
    pub async fn stop(self) {
        let _ = self.page.client().clone().close().await;
    }
}

impl Drop for Browser {
    /// Ends WebKitWebDriver and everything it started (MiniBrowser, WebKit's helpers).
    fn drop(&mut self) {
        stop_process_group(&mut self.driver);
    }
}
