//! A loopback TCP relay between the kiosk and the real server that counts the bytes the kiosk
//! sends, can cut the connection after a given number of them (a network dropping mid-upload), and
//! can answer photo uploads itself with a 413 page, as a reverse proxy with a body limit below one
//! part does. Requests on a connection follow each other (HTTP/1.1, no pipelining), so each one
//! starts a read.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

const UPLOAD_START: &[u8] = b"PUT /v1/evidence/";
const PAGE_413: &[u8] = b"HTTP/1.1 413 Request Entity Too Large\r\ncontent-type: text/html\r\ncontent-length: 60\r\nconnection: close\r\n\r\n<html><body><h1>413 Request Entity Too Large</h1></body></html>";

pub struct Relay {
    addr: SocketAddr,
    state: Arc<State>,
    task: JoinHandle<()>,
}

struct State {
    upstream: SocketAddr,
    /// Bytes the kiosk sent through the relay so far (forwarded or not).
    sent: AtomicU64,
    /// The `sent` count at which the connection carrying it is cut.
    cut_at: Mutex<Option<u64>>,
    cuts: AtomicUsize,
    refuse_uploads: AtomicBool,
    refused: AtomicUsize,
}

impl Relay {
    pub async fn start(upstream: SocketAddr) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("the relay listens on loopback");
        let addr = listener.local_addr().expect("the relay's address");
        let state = Arc::new(State {
            upstream,
            sent: AtomicU64::new(0),
            cut_at: Mutex::new(None),
            cuts: AtomicUsize::new(0),
            refuse_uploads: AtomicBool::new(false),
            refused: AtomicUsize::new(0),
        });
        let accepting = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let state = accepting.clone();
                // A broken connection ends only that exchange.
                tokio::spawn(async move {
                    let _ = relay(client, &state).await;
                });
            }
        });
        Relay { addr, state, task }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Bytes the kiosk has sent so far.
    pub fn sent(&self) -> u64 {
        self.state.sent.load(Ordering::SeqCst)
    }

    /// The connection carrying the kiosk's `n`-th byte from now is cut right after that byte.
    pub fn cut_after(&self, n: u64) {
        *self.state.cut_at.lock().expect("relay state") = Some(self.sent() + n);
    }

    /// Connections cut so far.
    pub fn cuts(&self) -> usize {
        self.state.cuts.load(Ordering::SeqCst)
    }

    /// From now on every photo upload is answered 413 by the relay, never reaching the server.
    pub fn refuse_photo_uploads(&self) {
        self.state.refuse_uploads.store(true, Ordering::SeqCst);
    }

    /// Uploads the relay answered 413.
    pub fn refused(&self) -> usize {
        self.state.refused.load(Ordering::SeqCst)
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn relay(client: TcpStream, state: &State) -> std::io::Result<()> {
    let upstream = TcpStream::connect(state.upstream).await?;
    let (mut from_client, mut to_client) = client.into_split();
    let (mut from_server, mut to_server) = upstream.into_split();
    let mut up = vec![0u8; 64 * 1024];
    let mut down = vec![0u8; 64 * 1024];
    loop {
        tokio::select! {
            read = from_client.read(&mut up) => {
                let n = read?;
                if n == 0 {
                    return Ok(());
                }
                let chunk = &up[..n];
                if state.refuse_uploads.load(Ordering::SeqCst) && chunk.starts_with(UPLOAD_START) {
                    let body_left = body_left_after(chunk);
                    discard(&mut from_client, body_left, &mut up).await?;
                    state.refused.fetch_add(1, Ordering::SeqCst);
                    to_client.write_all(PAGE_413).await?;
                    return Ok(());
                }
                let before = state.sent.fetch_add(n as u64, Ordering::SeqCst);
                let cut = {
                    let mut cut_at = state.cut_at.lock().expect("relay state");
                    match *cut_at {
                        Some(at) if before + n as u64 >= at => {
                            *cut_at = None;
                            Some((at - before) as usize)
                        }
                        _ => None,
                    }
                };
                if let Some(keep) = cut {
                    to_server.write_all(&up[..keep]).await?;
                    state.cuts.fetch_add(1, Ordering::SeqCst);
                    // Both halves dropped: the server sees a body that never ends, the kiosk a
                    // connection gone mid-request.
                    return Ok(());
                }
                to_server.write_all(chunk).await?;
            }
            read = from_server.read(&mut down) => {
                let n = read?;
                if n == 0 {
                    return Ok(());
                }
                to_client.write_all(&down[..n]).await?;
            }
        }
    }
}

/// The body bytes of the request starting `chunk` that did not come with it.
fn body_left_after(chunk: &[u8]) -> usize {
    let Some(header_end) = chunk.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 4) else { return 0 };
    let headers = String::from_utf8_lossy(&chunk[..header_end]).to_ascii_lowercase();
    let length = headers
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    length.saturating_sub(chunk.len() - header_end)
}

async fn discard(from: &mut tokio::net::tcp::OwnedReadHalf, mut left: usize, buf: &mut [u8]) -> std::io::Result<()> {
    while left > 0 {
        let n = from.read(buf).await?;
        if n == 0 {
            break;
        }
        left = left.saturating_sub(n);
    }
    Ok(())
}
