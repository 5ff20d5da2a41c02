//! Key material: random bytes from the OS, the text form of a signing key, and the key file of
//! older releases (each data dir generated its own `signing-key.ed25519`; the network's keys now
//! live in the database, see `crate::signing`).

use crate::error::{Result, ServerError};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::SigningKey;
use std::path::Path;

pub const KEY_FILE: &str = "signing-key.ed25519";

/// Cryptographically random bytes from the OS.
pub fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| ServerError::Internal(format!("OS random source: {e}")))?;
    Ok(bytes)
}

/// The signing key an older release kept in the data dir, if there is one: the first start on a
/// database without keys imports it (see `crate::signing`), so kiosks that pinned it keep verifying.
pub fn read_key_file(data_dir: &Path) -> Result<Option<SigningKey>> {
    let path = data_dir.join(KEY_FILE);
    if !path.exists() {
        return Ok(None);
    }
    read(&path).map(Some)
}

/// A key as stored: 32 bytes, base64url without padding.
pub fn encode_secret(key: &SigningKey) -> String {
    URL_SAFE_NO_PAD.encode(key.to_bytes())
}

/// The inverse of [`encode_secret`]; `None` for anything else.
pub fn decode_secret(text: &str) -> Option<SigningKey> {
    let bytes: [u8; 32] = URL_SAFE_NO_PAD.decode(text.trim()).ok()?.try_into().ok()?;
    Some(SigningKey::from_bytes(&bytes))
}

fn read(path: &Path) -> Result<SigningKey> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ServerError::Setup(format!("cannot read the signing key {}: {e}", path.display())))?;
    decode_secret(&text)
        .ok_or_else(|| ServerError::Setup(format!("the signing key {} is not 32 bytes of base64url", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_file_is_read_when_there_and_its_absence_is_no_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(read_key_file(dir.path()).expect("no file is fine").is_none(), "no file, no key");
        let key = SigningKey::from_bytes(&[5; 32]);
        std::fs::write(dir.path().join(KEY_FILE), encode_secret(&key) + "\n").expect("key file");
        let read = read_key_file(dir.path()).expect("a readable key").expect("the key");
        assert_eq!(read.to_bytes(), key.to_bytes(), "the file's key, newline and all");
        std::fs::write(dir.path().join(KEY_FILE), "short").expect("bad file");
        assert!(read_key_file(dir.path()).is_err(), "a damaged key file is an error, not a new key");
    }
}
