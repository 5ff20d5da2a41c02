//! A small HTTP load generator: many simulated kiosks, each on its own keep-alive connection, sending
//! one request after another for a fixed time. It reports requests per second and latency
//! percentiles, so two endpoints of the same server can be compared in one run.

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper::Request;
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;

/// One simulated kiosk: the request it repeats.
#[derive(Debug, Clone)]
pub struct Caller {
    pub path_and_query: String,
    pub headers: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct LoadReport {
    pub requests: u64,
    pub failures: u64,
    pub seconds: f64,
    pub p50: Duration,
    pub p99: Duration,
}

impl LoadReport {
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.seconds
    }
}

/// Runs every caller concurrently for `duration` against `addr` and merges what they saw. A request
/// counts as a failure unless it answers 200; a broken connection is a failure too, and the caller
/// connects again. Every caller connects before the clock starts, so the figures are the steady
/// state, not thousands of handshakes at once.
pub async fn run(addr: SocketAddr, callers: Vec<Caller>, duration: Duration) -> std::io::Result<LoadReport> {
    let mut connected = Vec::with_capacity(callers.len());
    for caller in callers {
        connected.push((open(addr).await?, caller));
    }
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::with_capacity(connected.len());
    for (sender, caller) in connected {
        tasks.push(tokio::spawn(call_until(addr, sender, caller, deadline)));
    }
    let mut latencies = Vec::new();
    let mut failures = 0;
    for task in tasks {
        let (mut seen, failed) = task.await.map_err(std::io::Error::other)??;
        latencies.append(&mut seen);
        failures += failed;
    }
    let seconds = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    Ok(LoadReport {
        requests: latencies.len() as u64,
        failures,
        seconds,
        p50: percentile(&latencies, 0.50),
        p99: percentile(&latencies, 0.99),
    })
}

type Sender = hyper::client::conn::http1::SendRequest<Empty<Bytes>>;

async fn open(addr: SocketAddr) -> std::io::Result<Sender> {
    let stream = connect(addr).await?;
    stream.set_nodelay(true)?;
    let (sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(std::io::Error::other)?;
    tokio::spawn(connection);
    Ok(sender)
}

async fn call_until(
    addr: SocketAddr,
    mut sender: Sender,
    caller: Caller,
    deadline: Instant,
) -> std::io::Result<(Vec<Duration>, u64)> {
    let mut latencies = Vec::new();
    let mut failures = 0;
    while Instant::now() < deadline {
        let mut request = Request::get(caller.path_and_query.as_str()).header("host", addr.to_string());
        for (name, value) in &caller.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let request = request.body(Empty::<Bytes>::new()).map_err(std::io::Error::other)?;
        let sent = Instant::now();
        let answered = match sender.send_request(request).await {
            Ok(response) => {
                let ok = response.status().is_success();
                response.into_body().collect().await.is_ok() && ok
            }
            Err(_) => false,
        };
        if answered {
            latencies.push(sent.elapsed());
        } else {
            failures += 1;
            if sender.is_closed() {
                sender = open(addr).await?;
            }
        }
    }
    Ok((latencies, failures))
}

/// A connection, tried again a few times: thousands of callers connecting at once can overflow the
/// server's accept backlog, which a real kiosk would ride out by retrying too.
async fn connect(addr: SocketAddr) -> std::io::Result<TcpStream> {
    let mut tries = 0;
    loop {
        match TcpStream::connect(addr).await {
            Ok(stream) => return Ok(stream),
            Err(_) if tries < 5 => {
                tries += 1;
                tokio::time::sleep(Duration::from_millis(100 * tries)).await;
            }
            Err(e) => return Err(e),
        }
    }
}

/// The nearest-rank percentile `q` of sorted latencies; zero for none.
pub fn percentile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let sorted: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&sorted, 0.50), Duration::from_millis(50), "p50 of 1..=100 ms is 50 ms");
        assert_eq!(percentile(&sorted, 0.99), Duration::from_millis(99), "p99 of 1..=100 ms is 99 ms");
        assert_eq!(percentile(&[], 0.99), Duration::ZERO, "no samples give zero, not a panic");
    }
}
