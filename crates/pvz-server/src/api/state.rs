//! What every handler can reach: the storage, the claim-code signer, the held pulls' signal, the
//! body limit, the blob store and the instance's metrics. Built by `startup` from the config, or by a test around
//! any [`Storage`].

use super::limits::RateLimits;
use super::web_page::WebPage;
use crate::blobs::BlobStore;
use crate::claims::{ClaimCodeIssuer, DEFAULT_CLAIM_CODE_TTL};
use crate::feed_signal::{HeldPulls, LocalFeedSignal, DEFAULT_RECHECK};
use crate::metrics::Metrics;
use crate::releases::Releases;
use crate::storage::{DbStorage, Storage};
use ed25519_dalek::SigningKey;
use pvz_protocol::sync::MAX_PULL_WAIT_SECONDS;
use std::sync::Arc;
use std::time::Duration;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState<S = DbStorage> {
    pub storage: S,
    /// Signs the claim return codes of the seller's approvals: with their `ttl`, and with the
    /// network's key active when the decision commits (its `key` is the one at start).
    pub claim_codes: ClaimCodeIssuer,
    /// Wakes held pulls when a point's feed moves; handlers notify it after their commits.
    pub held_pulls: HeldPulls,
    pub max_body_bytes: usize,
    /// Attachments' bytes (and later counter photos'); `startup` opens the configured one.
    pub blobs: BlobStore,
    /// This state's own registry, served at `/metrics` (see [`crate::metrics`]).
    pub metrics: Arc<Metrics>,
    /// Budgets of failed enrollments and credentials (see [`super::limits`]).
    pub limits: RateLimits,
    /// The web page's directory and cookie settings (see [`super::web_page`]).
    pub web: WebPage,
    /// The kiosk releases offered to kiosks (see [`crate::releases`]).
    pub releases: Releases,
}

impl<S: Storage> AppState<S> {
    /// Claim return codes last [`DEFAULT_CLAIM_CODE_TTL`] unless `claim_codes.ttl` is set; pulls are
    /// held up to [`MAX_PULL_WAIT_SECONDS`], on a [`LocalFeedSignal`], unless `held_pulls` is replaced;
    /// blobs are kept in memory unless `blobs` is replaced (as `startup` does from the config); the rate
    /// limits are the config's defaults unless `limits` is replaced; no web page is served unless `web`
    /// names its directory; no release is offered unless `releases` names a directory.
    pub fn new(storage: S, key: Arc<SigningKey>, max_body_bytes: usize) -> Self {
        let signal = Arc::new(LocalFeedSignal::new(storage.clone(), DEFAULT_RECHECK));
        let max_wait = Duration::from_secs(u64::from(MAX_PULL_WAIT_SECONDS));
        AppState {
            held_pulls: HeldPulls::new(signal, max_wait),
            storage,
            claim_codes: ClaimCodeIssuer { key, ttl: DEFAULT_CLAIM_CODE_TTL },
            max_body_bytes,
            blobs: BlobStore::in_memory(),
            metrics: Arc::new(Metrics::new()),
            limits: RateLimits::standard(),
            web: WebPage::default(),
            releases: Releases::default(),
        }
    }
}
