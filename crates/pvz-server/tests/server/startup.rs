//! Starting on a wrong `database_url`: the real binary's `serve` says what is wrong in one line on
//! stderr and exits non-zero within seconds, whether the URL is malformed, points where nothing
//! listens, or reaches something that accepts the connection and never answers. Nothing is written
//! to the data dir on the way.

use std::io::Read;
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What a `serve` that should not start did.
struct Refused {
    stderr: String,
    took: Duration,
}

/// Runs `pvz-server serve` on `url` with the log level an operator gets by default; kills it and
/// fails the test if it is still running after `limit`.
fn serve_on(url: &str, limit: Duration) -> Refused {
    let dir = tempfile::tempdir().expect("data dir");
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_pvz-server"))
        .arg("--data-dir")
        .arg(dir.path())
        .arg("--database-url")
        .arg(url)
        .arg("serve")
        .env_remove("PVZ_SERVER_DATA_DIR")
        .env_remove("PVZ_SERVER_DATABASE_URL")
        .env_remove("RUST_LOG")
        .env("PVZ_SERVER_BIND", "127.0.0.1:0")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let status = loop {
        if let Some(status) = child.try_wait().expect("the child's status") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("serve on {url:?} should give up within {limit:?}, it was still running");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = started.elapsed();
    let mut stderr = String::new();
    child.stderr.take().expect("stderr").read_to_string(&mut stderr).expect("stderr read");
    assert!(!status.success(), "serve on {url:?} must exit non-zero; stderr: {stderr}");
    let left: Vec<_> = std::fs::read_dir(dir.path()).expect("the data dir").map_while(Result::ok).collect();
    assert!(left.is_empty(), "a server that did not start on {url:?} wrote nothing to its data dir: {left:?}");
    Refused { stderr, took }
}

/// The one line, checked to be one line that names the problem.
fn one_line(refused: &Refused, url: &str, says: &str) {
    let lines: Vec<&str> = refused.stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "serve on {url:?} prints exactly one line on stderr: {:?}", refused.stderr);
    assert!(lines[0].starts_with("pvz-server: "), "the line says who speaks: {:?}", lines[0]);
    assert!(lines[0].contains(says), "the line for {url:?} says {says:?}: {:?}", lines[0]);
}

#[test]
fn a_malformed_or_unreachable_database_url_stops_serve_at_once_with_one_line() {
    let closed_port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
    let missing_socket_dir = tempfile::tempdir().expect("temp dir").path().join("gone");
    let cases = [
        ("postgres://pvz@localhost:notaport/pvz".to_owned(), "not a valid PostgreSQL URL"),
        ("postgres://".to_owned(), "names no host"),
        ("mysql://pvz@localhost/pvz".to_owned(), "neither postgres://"),
        (format!("postgresql://pvz@127.0.0.1:{closed_port}/pvz"), "Connection refused"),
        (format!("postgresql://pvz@/pvz?host={}", missing_socket_dir.display()), "No such file or directory"),
    ];
    for (url, says) in &cases {
        let refused = serve_on(url, Duration::from_secs(10));
        one_line(&refused, url, says);
        assert!(refused.took < Duration::from_secs(3), "serve on {url:?} gives up at once, took {:?}", refused.took);
    }
}

#[test]
fn a_database_that_accepts_and_never_answers_stops_serve_after_the_connect_timeout() {
    // Accepts connections and keeps them open without a byte: a hung server or a wrong port
    // behind a firewall that swallows the handshake.
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback listener");
    let port = listener.local_addr().expect("its address").port();
    std::thread::spawn(move || {
        let held: Vec<_> = listener.incoming().map_while(Result::ok).collect();
        drop(held);
    });
    let url = format!("postgresql://pvz@127.0.0.1:{port}/pvz?connect_timeout=1");
    let refused = serve_on(&url, Duration::from_secs(10));
    one_line(&refused, &url, "no answer from the database");
    assert!(
        refused.took < Duration::from_secs(4),
        "a URL's connect_timeout bounds the whole handshake, took {:?}",
        refused.took
    );
}
