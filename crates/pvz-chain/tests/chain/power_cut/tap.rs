//! A loopback proxy between the kiosk and the server that writes down every op the server
//! acknowledged: each push answered 200 is parsed and its results' op ids kept. That is the
//! server's word to the kiosk, whatever the kiosk manages to store of it before its own power goes.
//! One request per connection with `Connection: close` towards the server, as in `pvz_chain::proxy`.

use pvz_protocol::sync::{PushResponse, PATH_PUSH};
use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use uuid::Uuid;

pub struct AckTap {
    addr: SocketAddr,
    seen: Arc<Seen>,
    task: JoinHandle<()>,
}

#[derive(Default)]
struct Seen {
    acked: Mutex<BTreeSet<Uuid>>,
    /// Push answers by status, to show how many pushes a cut caught.
    pushes: Mutex<BTreeMap<u16, usize>>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl AckTap {
    /// Listens on a free loopback port and forwards to `upstream` (a server restarted on the same
    /// address is reached again).
    pub async fn start(upstream: SocketAddr) -> AckTap {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("the tap listens");
        let addr = listener.local_addr().expect("the tap's address");
        let seen = Arc::new(Seen::default());
        let shared = seen.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let seen = shared.clone();
                // A connection broken by a cut server only ends that one exchange.
                tokio::spawn(async move {
                    let _ = forward(client, upstream, &seen).await;
                });
            }
        });
        AckTap { addr, seen, task }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every op id the server has acknowledged in a push answer so far.
    pub fn acked(&self) -> BTreeSet<Uuid> {
        lock(&self.seen.acked).clone()
    }

    /// Push answers so far, by status code (a server losing its power answers 500 or nothing).
    pub fn pushes(&self) -> BTreeMap<u16, usize> {
        lock(&self.seen.pushes).clone()
    }
}

impl Drop for AckTap {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn forward(mut client: TcpStream, upstream: SocketAddr, seen: &Seen) -> std::io::Result<()> {
    let request = read_request(&mut client).await?;
    let is_push = request.split(|b| *b == b'\n').next().is_some_and(|line| {
        String::from_utf8_lossy(line).split(' ').nth(1).is_some_and(|path| path.starts_with(PATH_PUSH))
    });
    let mut server = TcpStream::connect(upstream).await?;
    server.write_all(&with_connection_close(&request)).await?;
    let mut response = Vec::new();
    server.read_to_end(&mut response).await?;
    let status =
        String::from_utf8_lossy(&response[..response.len().min(12)]).split(' ').nth(1).and_then(|s| s.parse().ok());
    if is_push {
        *lock(&seen.pushes).entry(status.unwrap_or(0)).or_default() += 1;
    }
    if is_push && status == Some(200) {
        // Written down before the kiosk sees the answer: from here on the server has said it.
        let answer: PushResponse =
            serde_json::from_slice(&body(&response)).expect("a 200 push answer is a PushResponse");
        lock(&seen.acked).extend(answer.results.iter().map(|result| result.op_id));
    }
    client.write_all(&response).await?;
    client.shutdown().await
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn head_value(head: &str, name: &str) -> Option<String> {
    head.lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(header, _)| header.trim().eq_ignore_ascii_case(name))
        .map(|(_, value)| value.trim().to_ascii_lowercase())
}

async fn read_request(client: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = find(&buf, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            let len: usize = head_value(&head, "content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
            if buf.len() >= end + 4 + len {
                buf.truncate(end + 4 + len);
                return Ok(buf);
            }
        }
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn with_connection_close(request: &[u8]) -> Vec<u8> {
    let end = find(request, b"\r\n\r\n").expect("a whole request head");
    let head = String::from_utf8_lossy(&request[..end]);
    let mut out: String = head
        .split("\r\n")
        .filter(|line| !line.split_once(':').is_some_and(|(name, _)| name.trim().eq_ignore_ascii_case("connection")))
        .map(|line| format!("{line}\r\n"))
        .collect();
    out.push_str("connection: close\r\n\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(&request[end + 4..]);
    bytes
}

/// A response's body, de-chunked if the server sent it in chunks.
fn body(response: &[u8]) -> Vec<u8> {
    let end = find(response, b"\r\n\r\n").expect("a whole response head");
    let head = String::from_utf8_lossy(&response[..end]);
    let mut rest = &response[end + 4..];
    if head_value(&head, "transfer-encoding").as_deref() != Some("chunked") {
        return rest.to_vec();
    }
    let mut out = Vec::new();
    while let Some(line_end) = find(rest, b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&rest[..line_end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&rest[line_end + 2..line_end + 2 + size]);
        rest = &rest[line_end + 2 + size + 2..];
    }
    out
}
