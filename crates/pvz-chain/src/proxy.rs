//! A loopback HTTP/1.1 proxy that can lose replies: it forwards a request, lets the server finish it,
//! then closes the client's connection without a byte of the answer. That is the failure that makes
//! retries dangerous (the server acted, the kiosk does not know), so tests use it to prove that a
//! retried push changes nothing.
//!
//! In front of several servers it is a round-robin load balancer, and a client's first request
//! after a lost reply goes to another server than the one that acted, so a retry is judged by an
//! instance that did not apply the original. It tallies the status of every answer it saw.
//!
//! One request per client connection, and `Connection: close` towards the server, keep the framing
//! trivial: a request is its headers plus `Content-Length` bytes, a response is everything the server
//! sends before it closes.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// Largest request the proxy buffers; sync pushes are far smaller.
const MAX_REQUEST_BYTES: usize = 16 * 1024 * 1024;

pub struct LossyProxy {
    addr: SocketAddr,
    state: Arc<State>,
    task: JoinHandle<()>,
}

struct State {
    upstreams: Vec<SocketAddr>,
    /// The round-robin position.
    next: AtomicUsize,
    /// Which requests lose their replies: those whose path starts with `prefix`, while `to_lose`
    /// lasts, and every `one_in`-th of them (0: none that way).
    losing: Mutex<Losing>,
    lost: AtomicUsize,
    forwarded: AtomicUsize,
    /// Requests forwarded to each upstream.
    per_upstream: Vec<AtomicUsize>,
    /// The upstream that acted on a client's lost request, by the client's `Authorization`.
    lost_on: Mutex<HashMap<String, usize>>,
    /// Requests after a lost reply that went to another upstream than the one that acted.
    moved: AtomicUsize,
    /// Answers seen (lost ones included), by status code.
    statuses: Mutex<BTreeMap<u16, usize>>,
}

#[derive(Default)]
struct Losing {
    prefix: String,
    to_lose: usize,
    one_in: usize,
    matched: usize,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl LossyProxy {
    /// Listens on a free loopback port and forwards to `upstream`.
    pub async fn start(upstream: SocketAddr) -> std::io::Result<LossyProxy> {
        LossyProxy::round_robin(vec![upstream]).await
    }

    /// Listens on a free loopback port and forwards each request to the next of `upstreams`.
    pub async fn round_robin(upstreams: Vec<SocketAddr>) -> std::io::Result<LossyProxy> {
        assert!(!upstreams.is_empty(), "a proxy needs a server to forward to");
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State {
            per_upstream: upstreams.iter().map(|_| AtomicUsize::new(0)).collect(),
            upstreams,
            next: AtomicUsize::new(0),
            losing: Mutex::new(Losing::default()),
            lost: AtomicUsize::new(0),
            forwarded: AtomicUsize::new(0),
            lost_on: Mutex::new(HashMap::new()),
            moved: AtomicUsize::new(0),
            statuses: Mutex::new(BTreeMap::new()),
        });
        let accept_state = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let state = accept_state.clone();
                tokio::spawn(async move {
                    // A broken client or server connection only ends that one exchange.
                    let _ = serve_one(client, &state).await;
                });
            }
        });
        Ok(LossyProxy { addr, state, task })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The next `count` requests whose path starts with `path_prefix` reach the server, but their
    /// replies never reach the client.
    pub fn lose_replies(&self, path_prefix: &str, count: usize) {
        *lock(&self.state.losing) = Losing { prefix: path_prefix.to_owned(), to_lose: count, ..Losing::default() };
    }

    /// From now on every `n`-th request whose path starts with `path_prefix` reaches the server, but
    /// its reply never reaches the client.
    pub fn lose_one_in(&self, path_prefix: &str, n: usize) {
        *lock(&self.state.losing) = Losing { prefix: path_prefix.to_owned(), one_in: n, ..Losing::default() };
    }

    /// Loses no more replies.
    pub fn stop_losing(&self) {
        *lock(&self.state.losing) = Losing::default();
    }

    /// Replies lost so far.
    pub fn lost(&self) -> usize {
        self.state.lost.load(Ordering::SeqCst)
    }

    /// Requests forwarded to the server so far (lost replies included).
    pub fn forwarded(&self) -> usize {
        self.state.forwarded.load(Ordering::SeqCst)
    }

    /// Requests forwarded to each upstream, in the order given.
    pub fn forwarded_per_upstream(&self) -> Vec<usize> {
        self.state.per_upstream.iter().map(|n| n.load(Ordering::SeqCst)).collect()
    }

    /// Clients' requests after a lost reply that another upstream than the one that acted answered.
    pub fn moved_after_loss(&self) -> usize {
        self.state.moved.load(Ordering::SeqCst)
    }

    /// Every answer the servers gave through the proxy, by status code.
    pub fn statuses(&self) -> BTreeMap<u16, usize> {
        lock(&self.state.statuses).clone()
    }
}

impl Drop for LossyProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl State {
    fn should_lose(&self, path: &str) -> bool {
        let mut losing = lock(&self.losing);
        if losing.prefix.is_empty() || !path.starts_with(losing.prefix.as_str()) {
            return false;
        }
        losing.matched += 1;
        if losing.to_lose > 0 {
            losing.to_lose -= 1;
            return true;
        }
        losing.one_in > 0 && losing.matched.is_multiple_of(losing.one_in)
    }

    /// The next upstream in turn, but never the one that acted on this client's lost request.
    fn pick_upstream(&self, client: Option<&str>) -> usize {
        let count = self.upstreams.len();
        let mut index = self.next.fetch_add(1, Ordering::SeqCst) % count;
        if let Some(acted) = client.and_then(|client| lock(&self.lost_on).remove(client)) {
            if index == acted && count > 1 {
                index = (index + 1) % count;
            }
            if index != acted {
                self.moved.fetch_add(1, Ordering::SeqCst);
            }
        }
        index
    }
}

async fn serve_one(mut client: TcpStream, state: &State) -> std::io::Result<()> {
    let Some(request) = read_request(&mut client).await? else {
        return Ok(());
    };
    let lose = request_path(&request).is_some_and(|path| state.should_lose(&path));
    let authorization = header(&request, "authorization");
    let upstream = state.pick_upstream(authorization.as_deref());

    let mut server = TcpStream::connect(state.upstreams[upstream]).await?;
    server.write_all(&with_connection_close(&request)).await?;
    let mut response = Vec::new();
    server.read_to_end(&mut response).await?;
    state.forwarded.fetch_add(1, Ordering::SeqCst);
    state.per_upstream[upstream].fetch_add(1, Ordering::SeqCst);
    if let Some(status) = response_status(&response) {
        *lock(&state.statuses).entry(status).or_default() += 1;
    }

    if lose {
        state.lost.fetch_add(1, Ordering::SeqCst);
        if let Some(authorization) = authorization {
            lock(&state.lost_on).insert(authorization, upstream);
        }
        // The server has answered, so it has acted; the client sees its connection drop.
        return client.shutdown().await;
    }
    client.write_all(&response).await?;
    client.shutdown().await
}

/// Reads one request: headers up to the blank line, then `Content-Length` bytes of body.
async fn read_request(client: &mut TcpStream) -> std::io::Result<Option<Vec<u8>>> {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = find(&buf, b"\r\n\r\n") {
            let head_len = end + 4;
            let body_len = content_length(&buf[..head_len]);
            while buf.len() < head_len + body_len {
                let n = client.read(&mut chunk).await?;
                if n == 0 {
                    return Ok(None);
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            buf.truncate(head_len + body_len);
            return Ok(Some(buf));
        }
        if buf.len() > MAX_REQUEST_BYTES {
            return Ok(None);
        }
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn content_length(head: &[u8]) -> usize {
    header(head, "content-length").and_then(|value| value.parse().ok()).unwrap_or(0)
}

/// A header's value (the first of that name) in a request's head.
fn header(request: &[u8], name: &str) -> Option<String> {
    let head_end = find(request, b"\r\n\r\n").unwrap_or(request.len());
    String::from_utf8_lossy(&request[..head_end])
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(header, _)| header.trim().eq_ignore_ascii_case(name))
        .map(|(_, value)| value.trim().to_owned())
}

/// `HTTP/1.1 503 Service Unavailable` -> 503.
fn response_status(response: &[u8]) -> Option<u16> {
    let line_end = find(response, b"\r\n")?;
    String::from_utf8_lossy(&response[..line_end]).split(' ').nth(1)?.parse().ok()
}

fn request_path(request: &[u8]) -> Option<String> {
    let line_end = find(request, b"\r\n")?;
    let line = String::from_utf8_lossy(&request[..line_end]).into_owned();
    line.split(' ').nth(1).map(str::to_owned)
}

/// Replaces any `Connection` header with `Connection: close`, so the server ends the response by
/// closing and the proxy needs no response framing.
fn with_connection_close(request: &[u8]) -> Vec<u8> {
    let head_end = find(request, b"\r\n\r\n").map_or(request.len(), |end| end + 2);
    let head = String::from_utf8_lossy(&request[..head_end]);
    let mut out = String::with_capacity(head.len() + 24);
    for line in head.split("\r\n").filter(|line| !line.is_empty()) {
        let is_connection =
            line.split_once(':').is_some_and(|(name, _)| name.trim().eq_ignore_ascii_case("connection"));
        if !is_connection {
            out.push_str(line);
            out.push_str("\r\n");
        }
    }
    out.push_str("connection: close\r\n\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(request.get(head_end + 2..).unwrap_or_default());
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_connection_header_is_replaced_and_the_body_kept() {
        let request =
            b"POST /v1/sync/push HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n{}";
        let rewritten = String::from_utf8(with_connection_close(request)).expect("ascii");
        assert_eq!(
            rewritten, "POST /v1/sync/push HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nconnection: close\r\n\r\n{}",
            "exactly one Connection header, set to close, and the body untouched"
        );
        assert_eq!(request_path(request).as_deref(), Some("/v1/sync/push"), "the path is read from the request line");
        assert_eq!(content_length(request), 2, "Content-Length is read case-insensitively");
        assert_eq!(header(request, "host").as_deref(), Some("x"), "a header is read by its name, trimmed");
        assert_eq!(header(request, "authorization"), None, "a header the request lacks is none");
        let answer = b"HTTP/1.1 503 Service Unavailable\r\nretry-after: 2\r\n\r\n";
        assert_eq!(response_status(answer), Some(503), "the status is read from the response's first line");
    }
}
