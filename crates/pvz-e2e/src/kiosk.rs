//! The real built kiosk binary, driven through tauri-driver + WebKitWebDriver. Each `App` has its
//! own data directory; `restart` ends the WebDriver session (closing the app) and starts a new
//! one on the same data. Needs an X display (run under `xvfb-run`) and a built `pvz-kiosk`. An
//! `App` is its window's [`Page`]: every wait, click and read is the page's. Each app reads its
//! configuration files (kiosk.toml) from its own data directory, never the machine's, so a test
//! sees only the configuration it wrote.

use crate::page::{Page, WAIT};
use crate::{free_port, stop_process_group};
use fantoccini::ClientBuilder;
use std::ops::Deref;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long WebKitWebDriver may take to start the kiosk for a new session.
const SESSION_START: Duration = Duration::from_secs(60);

/// What the window shows once it is up: the manual-entry field, or what takes its place on a kiosk
/// not enrolled yet (the connect form) or with nobody on duty (the PIN screen).
const WINDOW_READY: &str = "[data-testid=manual-input], [data-testid=enroll-form], [data-testid=login-screen]";

/// The kiosk's text fields that keep the window painting for a screenshot.
const CARET: &str = "[data-testid=manual-input], [data-testid=enroll-url]";

/// The kiosk binary of this build (or `PVZ_APP`).
pub fn app_binary() -> PathBuf {
    match std::env::var_os("PVZ_APP") {
        Some(app) => PathBuf::from(app),
        None => crate::sibling_binary("pvz-kiosk"),
    }
}

pub fn demo_seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo/seed.json")
}

pub struct App {
    page: Option<Page>,
    driver: Child,
    port: u16,
    binary: PathBuf,
    pub data: tempfile::TempDir,
}

async fn connect(port: u16, binary: &Path) -> Page {
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
            Ok(Ok(client)) => return Page::new(client, CARET, "kiosk"),
            Ok(Err(_)) if Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(200)).await,
            Ok(Err(e)) => panic!("no WebDriver session with the kiosk on port {port}: {e}"),
            Err(_) => panic!("the WebDriver session with the kiosk did not start within {SESSION_START:?}"),
        }
    }
}

/// The PC's kiosk.toml of an app with data directory `data`.
fn system_config(data: &tempfile::TempDir) -> PathBuf {
    data.path().join("etc-pvz-kiosk.toml")
}

/// The directory of the counter user's kiosk.toml of an app with data directory `data`.
fn user_config_dir(data: &tempfile::TempDir) -> PathBuf {
    data.path().join("user-config")
}

/// Writes the two configuration files (an empty text: no file).
fn write_config(data: &tempfile::TempDir, system: &str, user: &str) {
    if !system.is_empty() {
        std::fs::write(system_config(data), system).expect("write the system kiosk.toml");
    }
    if !user.is_empty() {
        std::fs::create_dir_all(user_config_dir(data)).expect("the user's config dir");
        std::fs::write(user_config_dir(data).join("kiosk.toml"), user).expect("write the user's kiosk.toml");
    }
}

impl Deref for App {
    type Target = Page;

    fn deref(&self) -> &Page {
        self.page.as_ref().expect("a WebDriver session is open")
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

    /// Starts the kiosk on a copy of a prepared store file (e.g. the window bench's million items):
    /// the copy is its `kiosk.sqlite3`, so the prepared file stays as it was.
    pub async fn start_on_store(binary: PathBuf, store: &Path) -> App {
        let data = tempfile::tempdir().expect("temp data dir");
        std::fs::copy(store, data.path().join("kiosk.sqlite3"))
            .unwrap_or_else(|e| panic!("copy the store {} for the app: {e}", store.display()));
        App::launch_in(binary, data, &[]).await
    }

    /// Starts the kiosk enrolled to a real server with a one-time code, syncing with short
    /// intervals so a test sees the queue drain within seconds.
    pub async fn start_connected(server_url: &str, enrollment_code: &str) -> App {
        App::start_connected_with(server_url, enrollment_code, "", &[]).await
    }

    /// Like `start_connected`, with `system_config` as the PC's kiosk.toml.
    pub async fn start_connected_configured(server_url: &str, enrollment_code: &str, system_config: &str) -> App {
        App::start_connected_with(server_url, enrollment_code, system_config, &[]).await
    }

    /// Like `start_connected`, with `system_config` as the PC's kiosk.toml and more of the app's
    /// environment (e.g. the update key and spool).
    pub async fn start_connected_with(
        server_url: &str,
        enrollment_code: &str,
        system_config: &str,
        more: &[(&str, std::ffi::OsString)],
    ) -> App {
        let mut env = vec![
            ("PVZ_SERVER_URL", server_url.into()),
            ("PVZ_ENROLL_CODE", enrollment_code.into()),
            ("PVZ_DEVICE_NAME", "e2e counter".into()),
            ("PVZ_SYNC_POLL_MS", "300".into()),
            ("PVZ_SYNC_BACKOFF_MAX_MS", "800".into()),
        ];
        env.extend(more.iter().cloned());
        let data = tempfile::tempdir().expect("temp data dir");
        write_config(&data, system_config, "");
        App::launch_in(app_binary(), data, &env).await
    }

    /// The demo counter with `system` as the PC's kiosk.toml and `user` as the counter user's.
    pub async fn start_configured(system: &str, user: &str) -> App {
        let data = tempfile::tempdir().expect("temp data dir");
        write_config(&data, system, user);
        App::launch_in(app_binary(), data, &[("PVZ_DEMO_SEED", demo_seed().into_os_string())]).await
    }

    /// Starts the kiosk with neither a demo seed nor a server: it shows the connect form. Once it is
    /// connected from there, it syncs with the same short intervals as `start_connected`.
    pub async fn start_blank() -> App {
        let env = [("PVZ_SYNC_POLL_MS", "300".into()), ("PVZ_SYNC_BACKOFF_MAX_MS", "800".into())];
        App::launch(app_binary(), &env).await
    }

    /// tauri-driver passes its environment on to the app it starts.
    async fn launch(binary: PathBuf, env: &[(&str, std::ffi::OsString)]) -> App {
        App::launch_in(binary, tempfile::tempdir().expect("temp data dir"), env).await
    }

    async fn launch_in(binary: PathBuf, data: tempfile::TempDir, env: &[(&str, std::ffi::OsString)]) -> App {
        let port = free_port();
        let native_port = free_port();
        let driver = Command::new("tauri-driver")
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("PVZ_DATA_DIR", data.path())
            .env("PVZ_SYSTEM_CONFIG", system_config(&data))
            .env("PVZ_CONFIG_DIR", user_config_dir(&data))
            .envs(env.iter().map(|(name, value)| (name, value)))
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group, so that WebKitWebDriver and the app go down with it.
            .process_group(0)
            .spawn()
            .expect("tauri-driver runs (cargo install tauri-driver --locked)");
        let page = Some(connect(port, &binary).await);
        let app = App { page, driver, port, binary, data };
        app.wait_for(WINDOW_READY).await;
        app
    }

    /// What the window system says of the window: (fullscreen, decorated), asked through the
    /// kiosk's own `window_mode` command.
    pub async fn window_mode(&self) -> (bool, bool) {
        let script = "const done = arguments[arguments.length - 1]; \
            window.__TAURI_INTERNALS__.invoke('window_mode').then(done, (e) => done({ error: String(e) }));";
        let answer = self.client().execute_async(script, vec![]).await.expect("the page asks the window");
        let flag = |name: &str| {
            answer.get(name).and_then(serde_json::Value::as_bool).unwrap_or_else(|| panic!("window_mode: {answer}"))
        };
        (flag("fullscreen"), flag("decorated"))
    }

    /// Waits until the app has ended (its WebDriver session answers no more), and fails with a
    /// screenshot when the window is still there after [`WAIT`].
    pub async fn wait_closed(&self) {
        let deadline = Instant::now() + WAIT;
        while self.client().execute("return 1;", vec![]).await.is_ok() {
            if Instant::now() > deadline {
                let shot = self.failure_screenshot().await;
                panic!("the kiosk should have closed within {WAIT:?} (screen: {shot})");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Closes the window (ending the app process) and opens the app again on the same data.
    pub async fn restart(&mut self) {
        if let Some(old) = self.page.take() {
            old.close().await.expect("the session closes");
        }
        // The old process holds the store's lock until it has exited, and a new one started
        // before that would be refused the store: wait for the lock, as the kernel releases it.
        wait_for_store_released(self.data.path()).await;
        self.page = Some(connect(self.port, &self.binary).await);
        self.wait_for(WINDOW_READY).await;
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
        self.open_shift().await;
    }

    /// Right after a login: opens the shift when none is open; returns once the home screen shows.
    pub async fn open_shift(&self) {
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

    /// Ends the session, which closes the app.
    pub async fn stop(mut self) {
        if let Some(page) = self.page.take() {
            let _ = page.close().await;
        }
    }
}

impl Drop for App {
    /// Ends tauri-driver and everything it started (WebKitWebDriver, the app, WebKit's helpers).
    fn drop(&mut self) {
        stop_process_group(&mut self.driver);
    }
}

/// Returns once no process holds the store lock in `dir` (taking it and letting it go at once).
async fn wait_for_store_released(dir: &Path) {
    let path = dir.join(pvz_kiosk_core::store_lock::LOCK_FILE);
    let taken = tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        let file = std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path)?;
        // Blocks until the holder's process has ended (or dropped its kiosk).
        file.lock()?;
        file.unlock()
    });
    match tokio::time::timeout(WAIT, taken).await {
        Ok(Ok(Ok(()))) => {}
        Ok(Ok(Err(error))) => panic!("the store lock in {} cannot be taken: {error}", dir.display()),
        Ok(Err(error)) => panic!("waiting for the store lock failed: {error}"),
        Err(_) => panic!("the old kiosk still holds its store in {} after {WAIT:?}", dir.display()),
    }
}
