//! Building the app from a config and running it: the shared state from the data dir, `spawn` for
//! tests and benches (a real server on its own port, stoppable), and `serve` for the binary (until
//! Ctrl-C / SIGTERM).

use crate::api::AppState;
use crate::config::Config;
use crate::db::Database;
use crate::error::{Result, ServerError};
use crate::feed_signal::{HeldPulls, LocalFeedSignal, POSTGRES_RECHECK};
use crate::storage::DbStorage;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Creates the data dir and the signing key for `config`, and gets its database ready (see
/// [`crate::upkeep::prepare_for_serving`]: refused when behind unless `config.migrate`).
pub async fn build_state(config: &Config) -> Result<AppState<DbStorage>> {
    let config = config.clone();
    let (mut state, database) = tokio::task::spawn_blocking(move || {
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|e| ServerError::Setup(format!("cannot create data dir {}: {e}", config.data_dir.display())))?;
        // The database first: a wrong URL stops the start before anything is written (a new key).
        let database = config.database()?;
        let setup = crate::upkeep::setup_lock(&database)?;
        crate::upkeep::prepare_for_serving(&database, config.migrate)?;
        let key = Arc::new(crate::signing::load_or_create(&database.connect()?, &config.data_dir)?);
        drop(setup);
        let storage = DbStorage::connect(&database, config.db_pool_size)?;
        let mut state = AppState::new(storage, key, config.max_body_bytes);
        state.claim_codes.ttl = config.claim_code_ttl();
        state.held_pulls.max_wait = config.max_pull_wait();
        state.blobs = config.blob_store()?;
        state.limits = config.rate_limits()?;
        state.web = config.web_page();
        state.releases = config.releases();
        Ok::<_, ServerError>((state, database))
    })
    .await??;
    if let Database::Postgres(url) = database {
        // Every instance's commits notify; held pulls wake on them, the head re-read is a safety net.
        let signal = Arc::new(LocalFeedSignal::new(state.storage.clone(), POSTGRES_RECHECK));
        crate::feed_signal::listen_postgres(url, signal.clone());
        state.held_pulls = HeldPulls::new(signal, state.held_pulls.max_wait);
    }
    Ok(state)
}

/// A server running in a tokio task.
pub struct RunningServer {
    pub addr: SocketAddr,
    held_pulls: HeldPulls,
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The server's held pulls (tests wait until one is held before changing the feed).
    pub fn held_pulls(&self) -> &HeldPulls {
        &self.held_pulls
    }

    /// Stops accepting connections and waits for requests in flight to finish.
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        match self.task.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "server stopped with an error"),
            Err(e) => tracing::warn!(error = %e, "server task failed"),
        }
    }
}

/// Binds `config.bind`, serves in a background task, and returns once listening.
pub async fn spawn(config: Config) -> Result<RunningServer> {
    let state = build_state(&config).await?;
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .map_err(|e| ServerError::Setup(format!("cannot listen on {}: {e}", config.bind)))?;
    let addr = listener.local_addr().map_err(|e| ServerError::Setup(format!("listener address: {e}")))?;
    let (stop, stopped) = oneshot::channel::<()>();
    let held_pulls = state.held_pulls.clone();
    let stop_holding = held_pulls.clone();
    // The peer's address reaches the handlers for the rate limits (`api::limits`).
    let app = crate::api::router(state).into_make_service_with_connect_info::<SocketAddr>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
                // Shutdown waits for requests in flight; a held pull is answered now, not in 25 s.
                stop_holding.stop();
            })
            .await
    });
    tracing::info!(%addr, data_dir = %config.data_dir.display(), "pvz-server listening");
    Ok(RunningServer { addr, held_pulls, stop, task })
}

/// Runs until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> Result<()> {
    let server = spawn(config).await?;
    println!("pvz-server listening on {}", server.url());
    shutdown_signal().await;
    tracing::info!("shutting down");
    server.shutdown().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
