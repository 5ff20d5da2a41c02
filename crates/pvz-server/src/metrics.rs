//! Prometheus metrics of one server instance, served at `/metrics`: request latency by matched route,
//! method and status; ops applied, duplicate and rejected; pull pages served; ledger turnover.
//!
//! Each [`crate::AppState`] owns its registry, and nothing is installed process-wide: tests build
//! routers and start servers many times in one process, and a global recorder can be installed
//! only once. A real process builds one state, so its `/metrics` covers all of its traffic.

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::{Registry, Unit};
use pvz_domain::Kopecks;
use pvz_protocol::sync::{OpOutcome, PushResponse};
use std::sync::Arc;
use std::time::Instant;

/// The route label of a request no route matched: one value for every unknown path, so a scanner
/// probing random paths cannot grow the label set without bound.
const UNMATCHED: &str = "unmatched";

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    /// The route's template (`/v1/claims/{claim_id}`), never the concrete path.
    route: String,
    method: String,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OpLabels {
    outcome: &'static str,
}

fn latency_histogram() -> Histogram {
    // 0.5 ms .. ~8 s: an idle poll answers in well under a millisecond, a full push in tens of ms.
    Histogram::new(exponential_buckets(0.000_5, 2.0, 15))
}

/// The instance's counters and histograms, and the registry that renders them.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Histogram, fn() -> Histogram>,
    ops: Family<OpLabels, Counter>,
    pull_pages: Counter,
    turnover: Counter,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("pvz");
        let requests = Family::<RequestLabels, Histogram, fn() -> Histogram>::new_with_constructor(latency_histogram);
        registry.register_with_unit(
            "http_request_duration",
            "Time from a request's arrival to its response, by matched route, method and status",
            Unit::Seconds,
            requests.clone(),
        );
        let ops = Family::<OpLabels, Counter>::default();
        registry.register("ops", "Pushed ops by outcome: applied, duplicate (a retry) or rejected", ops.clone());
        let pull_pages = Counter::default();
        registry.register("pull_pages", "Pull pages served, empty polls included", pull_pages.clone());
        let turnover = Counter::default();
        registry.register(
            "ledger_turnover_kopecks",
            "Kopecks posted to the ledger by pushed ops (the sum of positive entries)",
            turnover.clone(),
        );
        Metrics { registry, requests, ops, pull_pages, turnover }
    }

    pub fn observe_request(&self, route: &str, method: &str, status: u16, seconds: f64) {
        let labels = RequestLabels { route: route.to_owned(), method: method.to_owned(), status };
        self.requests.get_or_create(&labels).observe(seconds);
    }

    /// Counts a push's results by outcome, and the money its new ops posted.
    pub fn record_push(&self, response: &PushResponse, posted: Kopecks) {
        for result in &response.results {
            let outcome = match result.outcome {
                OpOutcome::Applied => "applied",
                OpOutcome::Duplicate { .. } => "duplicate",
                OpOutcome::Rejected { .. } => "rejected",
            };
            self.ops.get_or_create(&OpLabels { outcome }).inc();
        }
        self.turnover.inc_by(u64::try_from(posted.0).unwrap_or(0));
    }

    pub fn record_pull_page(&self) {
        self.pull_pages.inc();
    }

    /// The text exposition (OpenMetrics, which Prometheus scrapes natively).
    pub fn render(&self) -> String {
        let mut text = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}

/// Middleware: times every request and records it under its matched route.
pub async fn track(State(metrics): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned());
    let method = req.method().clone();
    let response = next.run(req).await;
    let route = route.as_deref().unwrap_or(UNMATCHED);
    metrics.observe_request(route, method.as_str(), response.status().as_u16(), started.elapsed().as_secs_f64());
    response
}

/// The answer of `GET /metrics`.
pub fn exposition(metrics: &Metrics) -> Response {
    ([(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], metrics.render())
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_instances_count_apart_and_render_their_own_numbers() {
        let first = Metrics::new();
        let second = Metrics::new();
        first.record_pull_page();
        first.observe_request("/v1/sync/pull", "GET", 200, 0.001);
        let text = first.render();
        assert!(text.contains("pvz_pull_pages_total 1"), "the first instance counts its page: {text}");
        assert!(
            text.contains(
                r#"pvz_http_request_duration_seconds_count{route="/v1/sync/pull",method="GET",status="200"} 1"#
            ),
            "the request is in the histogram under its route: {text}"
        );
        let other = second.render();
        assert!(
            other.contains("pvz_pull_pages_total 0"),
            "the second instance has its own, untouched counter: {other}"
        );
    }
}
