//! Printing through a real, private CUPS scheduler: a `cupsd` of its own (temp config, spool and
//! logs, a free loopback port) with a raw queue whose device is a socket this test listens on, so
//! the bytes that reach the "printer" can be compared with the PDF. The system's CUPS is not touched.

use crate::common::{sample, tool, RETURN_PAYLOAD};
use pvz_print::cups::{Cups, Printer};
use pvz_print::{render_pdf, Paper};
use std::io::Read;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The private scheduler; killed when the test ends, however it ends.
struct PrivateCupsd {
    child: Child,
    address: String,
}

impl Drop for PrivateCupsd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port can be bound");
    listener.local_addr().expect("a bound port has an address").port()
}

fn start_cupsd(dir: &Path) -> PrivateCupsd {
    let cupsd = tool("cupsd", "cups");
    // Filters and backends run as the unprivileged `lp` user and must reach the spool below here.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).expect("the temp dir can be opened up");
    }
    for sub in ["spool/tmp", "cache", "state", "log"] {
        std::fs::create_dir_all(dir.join(sub)).expect("the scheduler's folders can be made");
    }
    let port = free_port();
    let address = format!("127.0.0.1:{port}");
    let conf = format!(
        "Listen {address}\nLogLevel debug\nWebInterface No\nDefaultAuthType None\n\
         <Location />\n  Order allow,deny\n  Allow all\n</Location>\n\
         <Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n\
         <Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
    );
    let d = dir.display();
    let files = format!(
        "ServerRoot {d}\nRequestRoot {d}/spool\nTempDir {d}/spool/tmp\nCacheDir {d}/cache\n\
         StateDir {d}/state\nErrorLog {d}/log/error_log\nAccessLog {d}/log/access_log\nPageLog {d}/log/page_log\n\
         ServerBin /usr/lib/cups\nDataDir /usr/share/cups\n"
    );
    std::fs::write(dir.join("cupsd.conf"), conf).expect("cupsd.conf can be written");
    std::fs::write(dir.join("cups-files.conf"), files).expect("cups-files.conf can be written");
    let child = Command::new(cupsd)
        .arg("-f")
        .arg("-c")
        .arg(dir.join("cupsd.conf"))
        .arg("-s")
        .arg(dir.join("cups-files.conf"))
        .spawn()
        .expect("cupsd starts");
    let scheduler = PrivateCupsd { child, address };
    let deadline = Instant::now() + Duration::from_secs(15);
    while Cups::default().with_server(&scheduler.address).list_printers().is_err() {
        assert!(
            Instant::now() < deadline,
            "the private cupsd should answer on {} within 15 s; its log:\n{}",
            scheduler.address,
            std::fs::read_to_string(dir.join("log/error_log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    scheduler
}

fn lpadmin(address: &str, args: &[&str]) {
    let output = Command::new(tool("lpadmin", "cups-client")).args(["-h", address]).args(args).output();
    let output = output.expect("lpadmin runs");
    assert!(output.status.success(), "lpadmin {args:?} should succeed: {}", String::from_utf8_lossy(&output.stderr));
}

/// Accepts one connection (the socket backend delivering a job) and hands over everything it sent.
fn capture_one_job() -> (u16, mpsc::Receiver<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port can be bound");
    let port = listener.local_addr().expect("a bound port has an address").port();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut bytes = Vec::new();
            let _ = stream.read_to_end(&mut bytes);
            let _ = sender.send(bytes);
        }
    });
    (port, receiver)
}

#[test]
fn a_private_cupsd_lists_its_queues_and_delivers_the_pdf() {
    let dir = tempfile::tempdir().expect("a temp dir can be made");
    let scheduler = start_cupsd(dir.path());
    let cups = Cups::default().with_server(&scheduler.address);
    assert_eq!(
        cups.list_printers().expect("an empty scheduler lists"),
        vec![],
        "a fresh cupsd should have no printers"
    );

    let (printer_port, delivered) = capture_one_job();
    // No model: a raw queue, so the printer receives the PDF exactly as sent.
    lpadmin(&scheduler.address, &["-p", "pvz-test", "-E", "-v", &format!("socket://127.0.0.1:{printer_port}")]);
    lpadmin(&scheduler.address, &["-p", "pvz-spare", "-E", "-v", "socket://127.0.0.1:9"]);
    lpadmin(&scheduler.address, &["-d", "pvz-test"]);

    let mut printers = cups.list_printers().expect("the scheduler lists its printers");
    printers.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(
        printers,
        vec![
            Printer { name: "pvz-spare".into(), is_default: false },
            Printer { name: "pvz-test".into(), is_default: true },
        ],
        "both queues should be listed, pvz-test as the default"
    );

    let pdf = render_pdf(&sample(Paper::Label58x60mm, RETURN_PAYLOAD)).expect("a label renders");
    let job = cups.print_pdf("pvz-test", "Возврат R-000417", &pdf).expect("the job is accepted");
    assert!(job.starts_with("pvz-test-"), "the job id should name the queue, got {job:?}");

    let received = delivered.recv_timeout(Duration::from_secs(30)).unwrap_or_else(|_| {
        panic!("the job should reach the printer within 30 s; cupsd log:\n{}", log_tail(dir.path()))
    });
    let out = dir.path().join("out.prn");
    std::fs::write(&out, &received).expect("the received job can be saved");
    assert_eq!(std::fs::read(&out).expect("out.prn reads back"), pdf, "the printer should receive the PDF unchanged");

    let missing = cups.print_pdf("no-such-printer", "Тест", &pdf).expect_err("an unknown queue cannot print");
    assert_eq!(missing.kind(), "printer_not_found", "an unknown printer should be named as such: {missing}");
    drop(scheduler);
}

fn log_tail(dir: &Path) -> String {
    let log = std::fs::read_to_string(dir.join("log/error_log")).unwrap_or_default();
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}

#[test]
fn a_scheduler_that_is_not_there_is_reported_as_not_running() {
    let cups = Cups::default().with_server(format!("127.0.0.1:{}", free_port()));
    let err = cups.list_printers().expect_err("nothing listens on a freed port");
    assert_eq!(err.kind(), "cups_not_running", "listing should say CUPS is not running: {err}");
    let err = cups.print_pdf("pvz-test", "Тест", b"%PDF-1.7").expect_err("nothing listens on a freed port");
    assert_eq!(err.kind(), "cups_not_running", "printing should say CUPS is not running: {err}");
}

#[test]
fn missing_commands_and_an_unchosen_printer_are_named() {
    let empty = tempfile::tempdir().expect("a temp dir can be made");
    let cups = Cups::default().with_bin_dir(empty.path());
    let err = cups.list_printers().expect_err("there is no lpstat in an empty folder");
    assert_eq!(err.kind(), "cups_not_installed", "a missing lpstat should be reported as not installed: {err}");
    assert!(err.to_string().contains("cups-client"), "the message should name the package to install: {err}");
    let err = cups.print_pdf("  ", "Тест", b"%PDF-1.7").expect_err("a blank printer name cannot print");
    assert_eq!(err.kind(), "no_printer_chosen", "a blank printer should ask to choose one: {err}");
}
