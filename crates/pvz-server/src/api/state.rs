//! What every handler can reach: the storage, the server's public key and claim-code signer, the
//! held pulls' signal, and the body limit. Built by `startup` from the config, or by a test around any [`Storage`].

use crate::claims::{ClaimCodeIssuer, DEFAULT_CLAIM_CODE_TTL};
use crate::feed_signal::{HeldPulls, LocalFeedSignal, DEFAULT_RECHECK};
use crate::storage::{SqliteStorage, Storage};
use ed25519_dalek::SigningKey;
use pvz_protocol::sync::MAX_PULL_WAIT_SECONDS;
use pvz_protocol::PublicKey;
use std::sync::Arc;
use std::time::Duration;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState<S = SqliteStorage> {
    pub storage: S,
    /// The signing key's public half, base64url without padding, handed out at enrollment.
    pub public_key: String,
    /// Signs the claim return codes of the seller's approvals.
    pub claim_codes: ClaimCodeIssuer,
    /// Wakes held pulls when a point's feed moves; handlers notify it after their commits.
    pub held_pulls: HeldPulls,
    pub max_body_bytes: usize,
}

impl<S: Storage> AppState<S> {
    /// Claim return codes last [`DEFAULT_CLAIM_CODE_TTL`] unless `claim_codes.ttl` is set; pulls are
    /// held up to [`MAX_PULL_WAIT_SECONDS`], on a [`LocalFeedSignal`], unless `held_pulls` is replaced.
    pub fn new(storage: S, key: Arc<SigningKey>, max_body_bytes: usize) -> Self {
        let public_key = PublicKey::of(&key).to_base64url();
        let signal = Arc::new(LocalFeedSignal::new(storage.clone(), DEFAULT_RECHECK));
        let max_wait = Duration::from_secs(u64::from(MAX_PULL_WAIT_SECONDS));
        AppState {
            held_pulls: HeldPulls::new(signal, max_wait),
            storage,
            public_key,
            claim_codes: ClaimCodeIssuer { key, ttl: DEFAULT_CLAIM_CODE_TTL },
            max_body_bytes,
        }
    }
}
