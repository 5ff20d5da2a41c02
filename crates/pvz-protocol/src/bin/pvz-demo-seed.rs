//! Writes the demo seed (`demo/seed.json`) and the list of demo codes (`demo/CODES.md`).
//! Usage: `cargo run -p pvz-protocol --bin pvz-demo-seed -- <dir>` (default `demo`).

use pvz_protocol::demo;
use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "demo".into()));
    std::fs::create_dir_all(&dir)?;
    let (seed, codes) = demo::seed();
    let json = serde_json::to_string_pretty(&seed).map_err(std::io::Error::other)?;
    std::fs::write(dir.join("seed.json"), json + "\n")?;
    std::fs::write(dir.join("CODES.md"), demo::codes_markdown(&codes))?;
    println!("wrote {} and {}", dir.join("seed.json").display(), dir.join("CODES.md").display());
    Ok(())
}
