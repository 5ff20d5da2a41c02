//! The network's verifying key as a kiosk pins it, the endorsement by which one key vouches for the
//! next, and why a signed code is refused. Both code formats ([`crate::token`], [`crate::compact`])
//! check their signatures with it.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("not a token of this kind")]
    Malformed,
    #[error("the signature does not match the network's key")]
    BadSignature,
    #[error("the token expired at unix time {0}")]
    Expired(i64),
}

/// The server's verifying key as pinned by a kiosk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

impl PublicKey {
    pub fn parse(base64url: &str) -> Result<PublicKey, TokenError> {
        let bytes = URL_SAFE_NO_PAD.decode(base64url).map_err(|_| TokenError::Malformed)?;
        let array: [u8; 32] = bytes.try_into().map_err(|_| TokenError::Malformed)?;
        VerifyingKey::from_bytes(&array).map(PublicKey).map_err(|_| TokenError::Malformed)
    }

    pub fn of(signing: &SigningKey) -> PublicKey {
        PublicKey(signing.verifying_key())
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        self.0.as_bytes()
    }

    /// Whether `signature` is this key's of `message`.
    pub(crate) fn verify_strict(&self, message: &[u8], signature: &Signature) -> Result<(), TokenError> {
        self.0.verify_strict(message, signature).map_err(|_| TokenError::BadSignature)
    }

    pub fn to_base64url(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0.as_bytes())
    }

    /// `signer` vouches for `next` as the network's next signing key: its signature (base64url) of
    /// [`ENDORSEMENT_CONTEXT`] and `next`'s bytes. A kiosk that pinned the signer's key checks it
    /// with [`PublicKey::verify_endorsement`] before trusting `next`.
    pub fn endorse(signer: &SigningKey, next: &PublicKey) -> String {
        URL_SAFE_NO_PAD.encode(signer.sign(&endorsement_message(next)).to_bytes())
    }

    /// Whether `endorsement` is this key's endorsement of `next`.
    pub fn verify_endorsement(&self, next: &PublicKey, endorsement: &str) -> Result<(), TokenError> {
        let bytes = URL_SAFE_NO_PAD.decode(endorsement).map_err(|_| TokenError::Malformed)?;
        let signature = Signature::from_slice(&bytes).map_err(|_| TokenError::Malformed)?;
        self.0.verify_strict(&endorsement_message(next), &signature).map_err(|_| TokenError::BadSignature)
    }
}

/// What an endorsement signs before the next key's bytes, so it can never pass for a token (whose
/// signed bytes are JSON) nor a token for an endorsement.
pub const ENDORSEMENT_CONTEXT: &[u8] = b"pvz-next-signing-key-1:";

fn endorsement_message(next: &PublicKey) -> Vec<u8> {
    [ENDORSEMENT_CONTEXT, next.0.as_bytes()].concat()
}
