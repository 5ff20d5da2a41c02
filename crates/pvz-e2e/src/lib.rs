//! Drives the real built kiosk binary through tauri-driver + WebKitWebDriver. Each `App` has its
//! own data directory; `restart` ends the WebDriver session (closing the app) and starts a new
//! one on the same data. Needs an X display (run under `xvfb-run`) and a built `pvz-kiosk`.

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const WAIT: Duration = Duration::from_secs(15);

/// How long WebKitWebDriver may take to start the kiosk for a new session.
const SESSION_START: Duration = Duration::from_secs(60);

/// What the window shows once it is up: the manual-entry field, or what takes its place on a kiosk
/// not enrolled yet (the connect form) or with nobody on duty (the PIN screen).
const WINDOW_READY: &str = "[data-testid=manual-input], [data-testid=enroll-form], [data-testid=login-screen]";

/// A binary built in the same target directory and profile as the running test or bench (the
/// test binary sits in `<target>/debug/deps`, a bench binary in `<target>/release`).
pub fn sibling_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the running executable's path");
    exe.ancestors()
        .skip(1)
        .take(2)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.exists())
        .unwrap_or_else(|| panic!("build {name} first (`cargo build -p {name}`): not found beside {}", exe.display()))
}

/// The kiosk binary of this build (or `PVZ_APP`).
pub fn app_binary() -> PathBuf {
    match std::env::var_os("PVZ_APP") {
        Some(app) => PathBuf::from(app),
        None => sibling_binary("pvz-kiosk"),
    }
}

pub fn demo_seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo/seed.json")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap_or(4444)
}

/// What a wait expects of what it reads: text containing a needle, exactly a value (trimmed), or a
/// value ending with a suffix (a saved file's extension).
#[derive(Clone, Copy)]
enum Expect<'a> {
    Contains(&'a str),
    Is(&'a str),
    EndsWith(&'a str),
}

pub struct App {
    session: Option<Client>,
    driver: Child,
    port: u16,
    binary: PathBuf,
    pub data: tempfile::TempDir,
}

async fn connect(port: u16, binary: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert("tauri:options".into(), serde_json::json!({ "application": binary }));
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + WAIT;
    loop {
        // WebKitWebDriver has been seen to hang on a new session whose app never started; a test
        // then fails here instead of holding CI until its time limit.
        let mut builder = ClientBuilder::native();
        builder.capabilities(caps.clone());
        match tokio::time::timeout(SESSION_START, builder.connect(&url)).await {
            Ok(Ok(client)) => return client,
            Ok(Err(_)) if Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(200)).await,
            Ok(Err(e)) => panic!("no WebDriver session with the kiosk on port {port}: {e}"),
            Err(_) => panic!("the WebDriver session with the kiosk did not start within {SESSION_START:?}"),
        }
    }
}

impl App {
    /// Starts tauri-driver and the kiosk on a fresh data directory seeded with the demo data.
    pub async fn start() -> App {
        App::start_with(app_binary()).await
    }

    /// Like `start`, with a given kiosk binary (e.g. a release build for benchmarks).
    pub async fn start_with(binary: PathBuf) -> App {
        App::launch(binary, &[("PVZ_DEMO_SEED", demo_seed().into_os_string())]).await
    }

    /// Starts the kiosk enrolled to a real server with a one-time code, syncing with short
    /// intervals so a test sees the queue drain within seconds.
    pub async fn start_connected(server_url: &str, enrollment_code: &str) -> App {
        let env = [
            ("PVZ_SERVER_URL", server_url.into()),
            ("PVZ_ENROLL_CODE", enrollment_code.into()),
            ("PVZ_DEVICE_NAME", "e2e counter".into()),
            ("PVZ_SYNC_POLL_MS", "300".into()),
            ("PVZ_SYNC_BACKOFF_MAX_MS", "800".into()),
        ];
        App::launch(app_binary(), &env).await
    }

    /// Starts the kiosk with neither a demo seed nor a server: it shows the connect form. Once it is
    /// connected from there, it syncs with the same short intervals as `start_connected`.
    pub async fn start_blank() -> App {
        let env = [("PVZ_SYNC_POLL_MS", "300".into()), ("PVZ_SYNC_BACKOFF_MAX_MS", "800".into())];
        App::launch(app_binary(), &env).await
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

    /// tauri-driver passes its environment on to the app it starts.
    async fn launch(binary: PathBuf, env: &[(&str, std::ffi::OsString)]) -> App {
        let data = tempfile::tempdir().expect("temp data dir");
        let port = free_port();
        let native_port = free_port();
        let driver = Command::new("tauri-driver")
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("PVZ_DATA_DIR", data.path())
            .envs(env.iter().map(|(name, value)| (name, value)))
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group, so that WebKitWebDriver and the app go down with it.
            .process_group(0)
            .spawn()
            .expect("tauri-driver runs (cargo install tauri-driver --locked)");
        let session = Some(connect(port, &binary).await);
        let app = App { session, driver, port, binary, data };
        app.wait_for(WINDOW_READY).await;
        app
    }

    /// Closes the window (ending the app process) and opens the app again on the same data.
    pub async fn restart(&mut self) {
        if let Some(old) = self.session.take() {
            old.close().await.expect("the session closes");
        }
        self.session = Some(connect(self.port, &self.binary).await);
        self.wait_for(WINDOW_READY).await;
    }

    pub fn client(&self) -> &Client {
        self.session.as_ref().expect("a WebDriver session is open")
    }

    /// Waits for the element. A re-render can replace it between being found and being handed
    /// back ("stale element"), which a busy machine makes likely; that is looked up again too.
    pub async fn wait_for(&self, css: &str) -> Element {
        let deadline = Instant::now() + WAIT;
        loop {
            let error = match self.client().find(Locator::Css(css)).await {
                Ok(element) => return element,
                Err(e) => e,
            };
            if Instant::now() > deadline {
                let banner = match self.client().find(Locator::Css("[data-testid=error-banner]")).await {
                    Ok(banner) => banner.text().await.unwrap_or_default(),
                    Err(_) => "none".into(),
                };
                let shot = self.failure_screenshot().await;
                panic!("{css} should appear within {WAIT:?}: {error} (error banner: {banner}; screen: {shot})")
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Clicks the element, retrying while a re-render or a closing dialog is in the way.
    pub async fn click(&self, css: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let error = match self.wait_for(css).await.click().await {
                Ok(_) => return,
                Err(e) => e,
            };
            if Instant::now() > deadline {
                let shot = self.failure_screenshot().await;
                panic!("{css} should be clickable: {error:?} (screen: {shot})");
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
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn is_present(&self, css: &str) -> bool {
        self.client().find(Locator::Css(css)).await.is_ok()
    }

    /// Logs `manager_id` in on the PIN screen (picked by name, the PIN on the on-screen keypad) and
    /// opens the shift when none is open; returns once the home screen shows. A kiosk connected to
    /// a network with managers shows the PIN screen after its first pull.
    pub async fn log_in_and_open_shift(&self, manager_id: &str, pin: &str) {
        self.wait_for("[data-testid=login-screen]").await;
        self.click(&format!("[data-testid=login-manager-{manager_id}]")).await;
        for digit in pin.chars() {
            self.click(&format!("[data-testid=pin-key-{digit}]")).await;
        }
        self.click("[data-testid=pin-submit]").await;
        self.wait_for("[data-testid=shift-start], [data-testid=shift-panel]").await;
        if self.is_present("[data-testid=shift-start]").await {
            self.click("[data-testid=open-shift]").await;
        }
        self.wait_attr("[data-testid=shift-panel]", "data-state", "open").await;
    }

    /// Types `text` into the manual-entry field and presses Enter, as a person would.
    pub async fn type_code(&self, text: &str) {
        let input = self.wait_for("[data-testid=manual-input]").await;
        input.clear().await.expect("clear the field");
        input.send_keys(text).await.expect("type into the manual field");
        input.send_keys("\u{E007}").await.expect("press Enter");
    }

    /// Sends `text` + Enter as one burst of key events, with nothing focused, like a wedge scanner.
    /// WebDriver types a key every few milliseconds, but a busy machine can stall it for longer than
    /// the kiosk lets a scan pause; such a burst is not what a scanner sends, so it is sent again.
    pub async fn scan_burst(&self, text: &str) {
        for attempt in 1..=3 {
            self.client().execute("document.activeElement && document.activeElement.blur()", vec![]).await.ok();
            match self.timed_burst(text).await {
                None => return,
                Some(pause) => eprintln!("scan burst {attempt} of {text:?} not sent at scanner speed: {pause}"),
            }
        }
    }

    /// Like `scan_burst`, but into whatever has focus now (a text field, say), and sent only once:
    /// what a broken burst typed stays in the field.
    pub async fn scan_burst_into_focus(&self, text: &str) {
        if let Some(pause) = self.timed_burst(text).await {
            eprintln!("scan burst of {text:?} into the focused field not sent at scanner speed: {pause}");
        }
    }

    /// Sends the burst; returns the pause that made it unlike a scanner's, by the page's own key
    /// stamps and the kiosk's rules (ui/src/scanner/wedge.ts): the first keys of a scan come
    /// within `maxGapMs` of each other, the rest within `silenceMs`.
    async fn timed_burst(&self, text: &str) -> Option<String> {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        const START_KEYS: usize = 6;
        const START_GAP_MS: f64 = 35.0;
        const SILENCE_MS: f64 = 150.0;
        let record = "if (!window.__pvzKeyTimes) { window.__pvzKeyTimes = []; \
            window.addEventListener('keydown', (e) => window.__pvzKeyTimes.push(e.timeStamp), { capture: true }); } \
            window.__pvzKeyTimes.length = 0;";
        self.client().execute(record, vec![]).await.expect("the page records key times");
        let mut keys = KeyActions::new("scanner".into());
        for ch in text.chars().chain(std::iter::once('\u{E007}')) {
            keys = keys.then(KeyAction::Down { value: ch }).then(KeyAction::Up { value: ch });
        }
        self.client().perform_actions(keys).await.expect("the key burst is delivered");
        let stamps = self.client().execute("return window.__pvzKeyTimes || [];", vec![]).await;
        let stamps: Vec<f64> =
            stamps.ok().and_then(|value| serde_json::from_value(value).ok()).expect("the page reports its key times");
        stamps.windows(2).enumerate().find_map(|(i, pair)| {
            let gap = pair[1] - pair[0];
            let limit_ms = if i + 1 < START_KEYS { START_GAP_MS } else { SILENCE_MS };
            let too_long = if i + 1 < START_KEYS { gap > limit_ms } else { gap >= limit_ms };
            too_long.then(|| format!("{gap:.0} ms after key {} (at most {limit_ms} ms)", i + 1))
        })
    }

    /// Saves what the window shows to the temp dir and returns the path, for failure messages.
    pub async fn failure_screenshot(&self) -> String {
        let path = std::env::temp_dir().join(format!("pvz-e2e-failure-{}.png", std::process::id()));
        match self.try_screenshot().await {
            Some(png) if std::fs::write(&path, &png).is_ok() => path.display().to_string(),
            _ => "no screenshot".into(),
        }
    }

    /// WebKitWebDriver answers a screenshot only after the page paints again; a focused text field's
    /// blinking caret keeps it painting. Gives up after a while rather than hang the test.
    async fn try_screenshot(&self) -> Option<Vec<u8>> {
        let focus = "const f = document.querySelector('[data-testid=manual-input], [data-testid=enroll-url]'); if (f) f.focus();";
        let _ = tokio::time::timeout(Duration::from_secs(5), self.client().execute(focus, vec![])).await;
        for _ in 0..3 {
            if let Ok(Ok(png)) = tokio::time::timeout(Duration::from_secs(5), self.client().screenshot()).await {
                return Some(png);
            }
        }
        None
    }

    pub async fn screenshot(&self, path: &Path) {
        let png = self.try_screenshot().await.expect("the window gives a screenshot");
        std::fs::write(path, png).expect("write the screenshot");
    }

    /// Ends the session, which closes the app.
    pub async fn stop(mut self) {
        if let Some(client) = self.session.take() {
            let _ = client.close().await;
        }
    }
}

impl Drop for App {
    /// Ends tauri-driver and everything it started (WebKitWebDriver, the app, WebKit's helpers).
    fn drop(&mut self) {
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
