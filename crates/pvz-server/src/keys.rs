//! The server's ed25519 signing key: generated on first start into the data dir (mode 0600) and
//! reused after; it signs buyer pickup tokens, and kiosks pin its public half at enrollment.

use crate::error::{Result, ServerError};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::SigningKey;
use std::io::Write;
use std::path::Path;

pub const KEY_FILE: &str = "signing-key.ed25519";

/// Cryptographically random bytes from the OS.
pub fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| ServerError::Internal(format!("OS random source: {e}")))?;
    Ok(bytes)
}

pub fn load_or_create(data_dir: &Path) -> Result<SigningKey> {
    let path = data_dir.join(KEY_FILE);
    let setup = |what: &str, e: std::io::Error| ServerError::Setup(format!("{what} {}: {e}", path.display()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(&path) {
        Ok(mut file) => {
            let key = SigningKey::from_bytes(&random_bytes::<32>()?);
            writeln!(file, "{}", URL_SAFE_NO_PAD.encode(key.to_bytes()))
                .and_then(|()| file.sync_all())
                .map_err(|e| setup("cannot write the signing key", e))?;
            tracing::info!(path = %path.display(), "generated a new server signing key");
            Ok(key)
        }
        // Already there (or another process just created it): read it.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read(&path),
        Err(e) => Err(setup("cannot create the signing key", e)),
    }
}

fn read(path: &Path) -> Result<SigningKey> {
    let bad = || ServerError::Setup(format!("the signing key {} is not 32 bytes of base64url", path.display()));
    let text = std::fs::read_to_string(path)
        .map_err(|e| ServerError::Setup(format!("cannot read the signing key {}: {e}", path.display())))?;
    let bytes = URL_SAFE_NO_PAD.decode(text.trim()).map_err(|_| bad())?;
    let bytes: [u8; 32] = bytes.try_into().map_err(|_| bad())?;
    Ok(SigningKey::from_bytes(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_created_once_private_and_then_reused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = load_or_create(dir.path()).expect("creates a key");
        let again = load_or_create(dir.path()).expect("reads the key");
        assert_eq!(first.to_bytes(), again.to_bytes(), "the second start must reuse the key");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE)).expect("key file").permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "only the owner may read the key");
        }
    }
}
