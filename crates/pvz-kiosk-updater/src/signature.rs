//! Minisign signatures as Tauri writes them: `tauri signer generate` writes the public key and
//! `tauri signer sign` the signature as base64 of minisign's text; minisign itself writes the text.
//! Both forms are read. The signature's trusted comment names the version it was signed for
//! (`version:0.2.0`), which must be the package's own.

use base64::Engine;
use minisign_verify::{PublicKey, Signature};

/// Why a package is refused; each message says what an operator can check.
#[derive(Debug, thiserror::Error)]
pub enum SignatureError {
    #[error("the update key cannot be read ({0}); it must be the public key `tauri signer generate` wrote")]
    BadKey(String),
    #[error("the signature cannot be read ({0}); it must be the .sig file `tauri signer sign` wrote")]
    BadSignature(String),
    #[error("the package is not signed with the network's update key")]
    NotSignedByKey,
}

/// A signature that verified: what its trusted comment says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// The version the package was signed for, when the signer recorded one.
    pub version: Option<String>,
}

/// Checks `package` against `signature` with `key`.
pub fn verify_package(package: &[u8], signature: &str, key: &str) -> Result<Signed, SignatureError> {
    let key = PublicKey::decode(&text_of(key)).map_err(|e| SignatureError::BadKey(e.to_string()))?;
    let signature = Signature::decode(&text_of(signature)).map_err(|e| SignatureError::BadSignature(e.to_string()))?;
    key.verify(package, &signature, true).map_err(|_| SignatureError::NotSignedByKey)?;
    let version = signature.trusted_comment().split('\t').find_map(|field| field.strip_prefix("version:"));
    Ok(Signed { version: version.map(str::to_owned) })
}

/// Minisign's text, from either form.
fn text_of(written: &str) -> String {
    let written = written.trim();
    if written.starts_with("untrusted comment:") {
        return written.to_owned();
    }
    base64::engine::general_purpose::STANDARD
        .decode(written)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_else(|| written.to_owned())
}
