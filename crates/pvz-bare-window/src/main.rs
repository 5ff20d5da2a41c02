//! A bare Tauri 2 window with one command, `ready`, called after the first paint. It prints the
//! start-up time and, with `PVZ_EXIT_WHEN_READY=1`, exits — the same protocol as the kiosk.

use std::time::Instant;

#[tauri::command]
fn ready(app: tauri::AppHandle, started: tauri::State<'_, Started>) {
    println!("PVZ_UI_READY_MS={}", started.0.elapsed().as_millis());
    if std::env::var_os("PVZ_EXIT_WHEN_READY").is_some() {
        app.exit(0);
    }
}

struct Started(Instant);

fn main() {
    let started = Started(Instant::now());
    let result = tauri::Builder::default()
        .manage(started)
        .invoke_handler(tauri::generate_handler![ready])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("bare window failed: {error}");
        std::process::exit(1);
    }
}
