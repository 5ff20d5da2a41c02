//! What the end-to-end tests against a real server share: a `pvz-server` on loopback seeded with the
//! demo network, and the real kiosk window enrolled to it, online; the demo point's manager and PIN.

use pvz_e2e::App;
use pvz_server::admin::Admin;
use pvz_server::demo::DemoReport;
use pvz_server::{Config, RunningServer};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// This checkout's built seller web page (`npm --prefix ui run build:web`).
pub fn web_page_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/dist-web")
}

pub const POINT: &str = "pp-msk-0042";
/// The demo point's manager and her PIN: a kiosk of a network with managers needs one logged in.
pub const MANAGER: &str = "mgr-anna";
pub const MANAGER_PIN: &str = "4826";

/// A server with the demo network and a kiosk enrolled to it.
pub struct Counter {
    pub app: App,
    pub admin: Admin,
    pub demo: DemoReport,
    pub server: RunningServer,
    /// The server's data dir (its SQLite file and signing key), removed when the counter is dropped.
    server_data: tempfile::TempDir,
}

impl Counter {
    /// Online, with the manager logged in and the shift open: ready for counter work.
    pub async fn start() -> Counter {
        let counter = Counter::start_online().await;
        counter.app.log_in_and_open_shift(MANAGER, MANAGER_PIN).await;
        counter
    }

    /// Online, nobody logged in yet (the PIN screen shows once the managers are pulled).
    pub async fn start_online() -> Counter {
        Counter::start_online_configured("").await
    }

    /// Like `start_online`, with `system_config` as the PC's kiosk.toml.
    pub async fn start_online_configured(system_config: &str) -> Counter {
        let data = tempfile::tempdir().expect("server data dir");
        let admin = Admin::open(data.path()).expect("the server's data dir opens");
        let demo = admin.seed_demo().expect("the demo network is seeded");
        let code = admin.issue_enrollment_code(POINT, Duration::from_secs(600)).expect("an enrollment code");
        let mut config = Config::for_data_dir(data.path());
        // This checkout's built web page, named here: the server's own default is the checkout that
        // compiled its library, which a target directory shared between checkouts may keep.
        let web_page = web_page_dir();
        config.web_dir = web_page.join("index.html").is_file().then_some(web_page);
        let server = pvz_server::spawn(config).await.expect("the server starts");
        let app = App::start_connected_configured(&server.url(), &code, system_config).await;
        app.wait_attr("[data-testid=sync-online]", "data-state", "online").await;
        Counter { app, admin, demo, server, server_data: data }
    }

    /// Runs `pvz-server claim act <claim_id> '<request>'` on the server's data dir, as the operator at
    /// the command line would: one of the claim's actions (a route change, say) taken for the network.
    pub async fn claim_act(&self, claim_id: &str, request: &str) {
        use clap::Parser;
        let data_dir = self.server_data.path().to_str().expect("a UTF-8 temp path");
        let args = ["pvz-server", "--data-dir", data_dir, "claim", "act", claim_id, request];
        let cli = pvz_server::cli::Cli::try_parse_from(args)
            .unwrap_or_else(|e| panic!("`pvz-server claim act` parses (the server's claim actions are built): {e}"));
        let code = pvz_server::cli::run(cli).await.unwrap_or_else(|e| panic!("claim act {claim_id} {request}: {e}"));
        assert_eq!(code, std::process::ExitCode::SUCCESS, "claim act {claim_id} {request} succeeds");
    }

    /// Saves what the window shows as `name` in `PVZ_SCREENSHOT_DIR`, when it is set.
    pub async fn screenshot(&self, name: &str) {
        if let Some(dir) = std::env::var_os("PVZ_SCREENSHOT_DIR") {
            self.app.screenshot(&std::path::Path::new(&dir).join(name)).await;
        }
    }

    pub async fn stop(self) {
        self.app.stop().await;
        self.server.shutdown().await;
    }
}
