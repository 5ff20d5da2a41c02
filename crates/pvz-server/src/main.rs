//! `pvz-server`: parse the command line, set up logging, run the command.

use clap::Parser;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,tower_http=info"));
    // Logs go to stderr so admin commands can print machine-readable output on stdout.
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
    let cli = pvz_server::cli::Cli::parse();
    match pvz_server::cli::run(cli).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("pvz-server: {e}");
            ExitCode::FAILURE
        }
    }
}
