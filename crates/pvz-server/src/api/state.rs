//! What every handler can reach: the storage, the server's public key and claim-code signer, the
//! body limit and the instance's metrics. Built by `startup` from the config, or by a test around
//! any [`Storage`].

use crate::claims::{ClaimCodeIssuer, DEFAULT_CLAIM_CODE_TTL};
use crate::metrics::Metrics;
use crate::storage::{DbStorage, Storage};
use ed25519_dalek::SigningKey;
use pvz_protocol::PublicKey;
use std::sync::Arc;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState<S = DbStorage> {
    pub storage: S,
    /// The signing key's public half, base64url without padding, handed out at enrollment.
    pub public_key: String,
    /// Signs the claim return codes of the seller's approvals.
    pub claim_codes: ClaimCodeIssuer,
    pub max_body_bytes: usize,
    /// This state's own registry, served at `/metrics` (see [`crate::metrics`]).
    pub metrics: Arc<Metrics>,
}

impl<S: Storage> AppState<S> {
    /// Claim return codes last [`DEFAULT_CLAIM_CODE_TTL`] unless `claim_codes.ttl` is set.
    pub fn new(storage: S, key: Arc<SigningKey>, max_body_bytes: usize) -> Self {
        let public_key = PublicKey::of(&key).to_base64url();
        AppState {
            storage,
            public_key,
            claim_codes: ClaimCodeIssuer { key, ttl: DEFAULT_CLAIM_CODE_TTL },
            max_body_bytes,
            metrics: Arc::new(Metrics::new()),
        }
    }
}
