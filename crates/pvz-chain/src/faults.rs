//! A loopback TCP proxy that damages traffic in both directions, for the chaos benchmark: each
//! connection it accepts is, by a seeded draw, refused with a reset, passed clean, slowed (every
//! chunk held back a random while), or cut with a reset after a random number of bytes of the
//! request (the server may never see it whole) or of the answer (the server acted, the client does not
//! know). It works on bytes, not HTTP, so kept-alive connections and any framing pass through as is;
//! it only peeks at a chunk's first bytes to count posts (pushes) the server has not yet begun to
//! answer.
//!
//! The upstream can be swapped while it runs (a server restarted on a new port) and can be absent
//! (the server is down): a connection then is reset at once, as a dead server's port would.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// How often each fault strikes, per connection (out of 1,000), and how long a slowed chunk waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Faults {
    /// Reset before a byte is forwarded.
    pub refuse: u32,
    /// Reset after a random number of the request's bytes.
    pub cut_request: u32,
    /// Reset after a random number of the answer's bytes.
    pub cut_answer: u32,
    /// Every chunk in both directions held back up to `max_delay`.
    pub slow: u32,
    pub max_delay: Duration,
    /// A connection not cut otherwise is reset after a random number of answer bytes below this (0:
    /// never), so a client's kept-alive connection does not stay clean for good.
    pub reset_within: usize,
}

impl Faults {
    /// No faults: what the network looks like once the benchmark quiesces.
    pub const CLEAN: Faults =
        Faults { refuse: 0, cut_request: 0, cut_answer: 0, slow: 0, max_delay: Duration::ZERO, reset_within: 0 };
    /// The harsh mix of the chaos runs: about one connection in five is cut at once or soon, one in
    /// seven slowed, and the rest reset within their first 64 KiB of answers.
    pub const HARSH: Faults = Faults {
        refuse: 60,
        cut_request: 80,
        cut_answer: 80,
        slow: 150,
        max_delay: Duration::from_millis(150),
        reset_within: 64 * 1024,
    };
}

/// What the proxy did so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FaultCounts {
    pub connections: usize,
    pub refused: usize,
    pub cut_requests: usize,
    pub cut_answers: usize,
    pub slowed: usize,
    /// Connections reset after a long life (`Faults::reset_within`).
    pub reset_later: usize,
    /// Connections reset because no server was listening.
    pub no_upstream: usize,
}

pub struct FaultProxy {
    addr: SocketAddr,
    state: Arc<State>,
    task: JoinHandle<()>,
}

struct State {
    upstream: Mutex<Option<SocketAddr>>,
    faults: Mutex<Faults>,
    rng: Mutex<fastrand::Rng>,
    counts: Mutex<FaultCounts>,
    /// POST requests (pushes) sent upstream whose answer has not begun.
    awaiting_answer: AtomicUsize,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// One connection's fate, drawn when it is accepted.
#[derive(Debug, Clone, Copy)]
enum Fate {
    Refuse,
    Pass { cut_request_after: Option<usize>, cut_answer_after: Option<usize>, max_delay: Duration },
}

impl FaultProxy {
    /// Listens on a free loopback port, forwarding to `upstream`, with faults drawn from `seed`.
    pub async fn start(upstream: SocketAddr, seed: u64) -> std::io::Result<FaultProxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State {
            upstream: Mutex::new(Some(upstream)),
            faults: Mutex::new(Faults::CLEAN),
            rng: Mutex::new(fastrand::Rng::with_seed(seed)),
            counts: Mutex::new(FaultCounts::default()),
            awaiting_answer: AtomicUsize::new(0),
        });
        let accept_state = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let state = accept_state.clone();
                tokio::spawn(async move { serve(client, &state).await });
            }
        });
        Ok(FaultProxy { addr, state, task })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Where new connections go; `None`: nowhere, they are reset.
    pub fn set_upstream(&self, upstream: Option<SocketAddr>) {
        *lock(&self.state.upstream) = upstream;
    }

    /// The faults new connections draw from (open ones keep theirs).
    pub fn set_faults(&self, faults: Faults) {
        *lock(&self.state.faults) = faults;
    }

    pub fn counts(&self) -> FaultCounts {
        *lock(&self.state.counts)
    }

    /// POST requests the server has been sent and has not begun to answer: a batch it is working on.
    pub fn awaiting_answer(&self) -> usize {
        self.state.awaiting_answer.load(Ordering::SeqCst)
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl State {
    fn draw(&self) -> (Fate, u64) {
        let faults = *lock(&self.faults);
        let mut rng = lock(&self.rng);
        let roll = rng.u32(0..1000);
        let bytes = rng.usize(0..1500);
        let seed = rng.u64(..);
        let later = rng.usize(..faults.reset_within.max(1));
        let mut counts = lock(&self.counts);
        counts.connections += 1;
        let mut fate = Fate::Pass { cut_request_after: None, cut_answer_after: None, max_delay: Duration::ZERO };
        let mut threshold = faults.refuse;
        if roll < threshold {
            counts.refused += 1;
            return (Fate::Refuse, seed);
        }
        threshold += faults.cut_request;
        if roll < threshold {
            counts.cut_requests += 1;
            if let Fate::Pass { cut_request_after, .. } = &mut fate {
                *cut_request_after = Some(bytes);
            }
            return (fate, seed);
        }
        threshold += faults.cut_answer;
        if roll < threshold {
            counts.cut_answers += 1;
            if let Fate::Pass { cut_answer_after, .. } = &mut fate {
                *cut_answer_after = Some(bytes);
            }
            return (fate, seed);
        }
        threshold += faults.slow;
        if let Fate::Pass { max_delay, cut_answer_after, .. } = &mut fate {
            if roll < threshold {
                counts.slowed += 1;
                *max_delay = faults.max_delay;
            }
            if faults.reset_within > 0 {
                counts.reset_later += 1;
                *cut_answer_after = Some(later);
            }
        }
        (fate, seed)
    }
}

/// Closes `stream` with a reset (RST), not a FIN, once every handle of it is dropped.
fn reset_on_close(stream: &TcpStream) {
    // Linger zero only discards what is unsent, which is the point; the close itself never blocks.
    #[allow(deprecated)]
    let _ = stream.set_linger(Some(Duration::ZERO));
}

async fn serve(client: TcpStream, state: &State) {
    let (fate, seed) = state.draw();
    let upstream = *lock(&state.upstream);
    let (Fate::Pass { cut_request_after, cut_answer_after, max_delay }, Some(upstream)) = (fate, upstream) else {
        if matches!(fate, Fate::Pass { .. }) {
            lock(&state.counts).no_upstream += 1;
        }
        reset_on_close(&client);
        return;
    };
    let Ok(server) = TcpStream::connect(upstream).await else {
        lock(&state.counts).no_upstream += 1;
        reset_on_close(&client);
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let open_requests = AtomicUsize::new(0);
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut answer_rng = rng.fork();
    let clean = {
        let up = Pump { cut_after: cut_request_after, max_delay, upstream: true, open_requests: &open_requests, state };
        let down =
            Pump { cut_after: cut_answer_after, max_delay, upstream: false, open_requests: &open_requests, state };
        let up = up.run(&mut client_read, &mut server_write, &mut rng);
        let down = down.run(&mut server_read, &mut client_write, &mut answer_rng);
        tokio::pin!(up, down);
        let (mut up_done, mut down_done) = (false, false);
        loop {
            tokio::select! {
                ended = &mut up, if !up_done => { if ended == End::Reset { break false; } up_done = true; }
                ended = &mut down, if !down_done => { if ended == End::Reset { break false; } down_done = true; }
            }
            if up_done && down_done {
                break true;
            }
        }
    };
    state.awaiting_answer.fetch_sub(open_requests.load(Ordering::SeqCst), Ordering::SeqCst);
    if !clean {
        reset_on_close(client_read.as_ref());
        reset_on_close(server_read.as_ref());
    }
}

#[derive(Debug, PartialEq, Eq)]
enum End {
    /// The sender closed; the close was passed on.
    Closed,
    /// A cut, or a broken socket: both sides are reset.
    Reset,
}

/// One direction of a connection.
struct Pump<'a> {
    cut_after: Option<usize>,
    max_delay: Duration,
    /// Towards the server: a request's first bytes open one; back: an answer's first bytes end one.
    upstream: bool,
    /// This connection's requests not yet answered (what is left is taken back when it ends).
    open_requests: &'a AtomicUsize,
    state: &'a State,
}

impl Pump<'_> {
    async fn run(self, from: &mut OwnedReadHalf, to: &mut OwnedWriteHalf, rng: &mut fastrand::Rng) -> End {
        let mut buf = vec![0u8; 16 * 1024];
        let mut sent = 0usize;
        loop {
            let n = match from.read(&mut buf).await {
                Ok(0) => {
                    let _ = to.shutdown().await;
                    return End::Closed;
                }
                Ok(n) => n,
                Err(_) => return End::Reset,
            };
            if !self.max_delay.is_zero() {
                tokio::time::sleep(self.max_delay.mul_f64(rng.f64())).await;
            }
            let mut chunk = &buf[..n];
            let cut = self.cut_after.is_some_and(|after| sent + n > after);
            if let Some(after) = self.cut_after.filter(|_| cut) {
                chunk = &chunk[..after - sent];
            }
            self.count(chunk);
            if to.write_all(chunk).await.is_err() || cut {
                return End::Reset;
            }
            sent += chunk.len();
        }
    }

    fn count(&self, chunk: &[u8]) {
        let awaiting = &self.state.awaiting_answer;
        if self.upstream && chunk.starts_with(b"POST ") {
            self.open_requests.fetch_add(1, Ordering::SeqCst);
            awaiting.fetch_add(1, Ordering::SeqCst);
        } else if !self.upstream
            && chunk.starts_with(b"HTTP/")
            && self.open_requests.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok()
        {
            awaiting.fetch_sub(1, Ordering::SeqCst);
        }
    }
}
