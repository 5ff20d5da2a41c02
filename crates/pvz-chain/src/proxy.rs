//! A loopback HTTP/1.1 proxy that can lose replies: it forwards a request, lets the server finish it,
//! then closes the client's connection without a byte of the answer. That is the failure that makes
//! retries dangerous (the server acted, the kiosk does not know), so tests use it to prove that a
//! retried push changes nothing.
//!
//! One request per client connection, and `Connection: close` towards the server, keep the framing
//! trivial: a request is its headers plus `Content-Length` bytes, a response is everything the server
//! sends before it closes.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
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
    upstream: SocketAddr,
    /// Replies still to be lost, for requests whose path starts with `path_prefix`.
    to_lose: AtomicUsize,
    path_prefix: std::sync::Mutex<String>,
    lost: AtomicUsize,
    forwarded: AtomicUsize,
}

impl LossyProxy {
    /// Listens on a free loopback port and forwards to `upstream`.
    pub async fn start(upstream: SocketAddr) -> std::io::Result<LossyProxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State {
            upstream,
            to_lose: AtomicUsize::new(0),
            path_prefix: std::sync::Mutex::new(String::new()),
            lost: AtomicUsize::new(0),
            forwarded: AtomicUsize::new(0),
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
        *self.state.path_prefix.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = path_prefix.to_owned();
        self.state.to_lose.store(count, Ordering::SeqCst);
    }

    /// Replies lost so far.
    pub fn lost(&self) -> usize {
        self.state.lost.load(Ordering::SeqCst)
    }

    /// Requests forwarded to the server so far (lost replies included).
    pub fn forwarded(&self) -> usize {
        self.state.forwarded.load(Ordering::SeqCst)
    }
}

impl Drop for LossyProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve_one(mut client: TcpStream, state: &State) -> std::io::Result<()> {
    let Some(request) = read_request(&mut client).await? else {
        return Ok(());
    };
    let lose = request_path(&request).is_some_and(|path| {
        let prefix = state.path_prefix.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        path.starts_with(prefix.as_str())
            && state.to_lose.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok()
    });

    let mut server = TcpStream::connect(state.upstream).await?;
    server.write_all(&with_connection_close(&request)).await?;
    let mut response = Vec::new();
    server.read_to_end(&mut response).await?;
    state.forwarded.fetch_add(1, Ordering::SeqCst);

    if lose {
        state.lost.fetch_add(1, Ordering::SeqCst);
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
    String::from_utf8_lossy(head)
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0)
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
    }
}
