//! The one-time enrollment code as people type it or read it from a QR: a random part the server
//! knows by its hash, then the fingerprint of the network key the kiosk must find at that server
//! (140 bits of the key's sha256), so an impostor answering at the address cannot get its key
//! pinned. `XXXX-XXXX-XXXX-` + 28 fingerprint characters in groups of four, from an alphabet
//! without look-alikes (no I, L, O, U); case, spaces and dashes do not matter.

use crate::token::PublicKey;
use sha2::{Digest, Sha256};

const ALPHABET: &[u8; 32] = b"ABCDEFGHJKMNPQRSTVWXYZ0123456789";
/// Characters of the random part (60 bits; the code is one-time and expires in a day).
pub const RANDOM_CHARS: usize = 12;
/// Characters of the key's fingerprint: 140 bits.
pub const FINGERPRINT_CHARS: usize = 28;

/// Why a typed code is not an enrollment code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnrollmentCodeError {
    #[error(
        "this enrollment code is of the old format, without the server's fingerprint; ask for a fresh code \
         (pvz-server enrollment-code)"
    )]
    OldFormat,
    #[error("an enrollment code has 40 letters and digits; this one has {0}")]
    WrongLength(usize),
    #[error("an enrollment code has only the letters and digits of its alphabet (no I, L, O, U)")]
    WrongAlphabet,
}

/// A parsed enrollment code: its normalised text (what the server hashes) and the fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrollmentCode {
    normalized: String,
}

impl EnrollmentCode {
    /// Reads a typed or scanned code.
    pub fn parse(raw: &str) -> Result<EnrollmentCode, EnrollmentCodeError> {
        let normalized = normalize(raw);
        if !normalized.bytes().all(|b| ALPHABET.contains(&b)) {
            return Err(EnrollmentCodeError::WrongAlphabet);
        }
        match normalized.len() {
            n if n == RANDOM_CHARS + FINGERPRINT_CHARS => Ok(EnrollmentCode { normalized }),
            RANDOM_CHARS => Err(EnrollmentCodeError::OldFormat),
            n => Err(EnrollmentCodeError::WrongLength(n)),
        }
    }

    /// A fresh code from `random` (one byte per character) bound to `key`, in groups of four.
    pub fn issue(random: &[u8; RANDOM_CHARS], key: &PublicKey) -> String {
        let random: String = random.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect();
        let chars: Vec<char> = format!("{random}{}", fingerprint(key)).chars().collect();
        chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
    }

    /// The code as the server hashes it: upper case, letters and digits only.
    pub fn normalized(&self) -> &str {
        &self.normalized
    }

    /// Whether `server_public_key` (base64url, as an enrollment answer carries it) is the key this
    /// code names.
    pub fn names_key(&self, server_public_key: &str) -> bool {
        PublicKey::parse(server_public_key).is_ok_and(|key| fingerprint(&key) == self.normalized[RANDOM_CHARS..])
    }
}

/// Case, spaces and dashes do not matter.
pub fn normalize(raw: &str) -> String {
    raw.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
}

/// The first 140 bits of the sha256 of the key's 32 bytes, five bits a character.
fn fingerprint(key: &PublicKey) -> String {
    let digest = Sha256::digest(key.as_bytes());
    (0..FINGERPRINT_CHARS)
        .map(|i| {
            let bit = i * 5;
            let pair = (u16::from(digest[bit / 8]) << 8) | u16::from(digest[bit / 8 + 1]);
            let index = (pair >> (11 - bit % 8)) & 0x1f;
            char::from(ALPHABET[usize::from(index)])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::SigningKey;

    fn key(seed: u8) -> PublicKey {
        PublicKey::of(&SigningKey::from_bytes(&[seed; 32]))
    }

    #[test]
    fn an_issued_code_names_its_key_and_no_other_however_it_is_typed() {
        let code = EnrollmentCode::issue(&[7; RANDOM_CHARS], &key(1));
        assert_eq!(code.len(), 40 + 9, "ten groups of four with dashes: {code}");
        let typed = code.to_lowercase().replace('-', " ");
        let parsed = EnrollmentCode::parse(&typed).expect("a typed code parses");
        assert!(parsed.names_key(&key(1).to_base64url()), "the code names the key it was issued for");
        assert!(!parsed.names_key(&key(2).to_base64url()), "and no other key");
        assert!(!parsed.names_key("junk"), "nor something that is no key");
        assert_eq!(parsed.normalized(), normalize(&code), "the server hashes the normalised text");
    }

    #[test]
    fn old_short_and_junk_codes_are_refused_with_why() {
        assert_eq!(EnrollmentCode::parse("ABCD-EFGH-JKMN"), Err(EnrollmentCodeError::OldFormat), "an old code");
        assert_eq!(EnrollmentCode::parse("ABCD"), Err(EnrollmentCodeError::WrongLength(4)), "a short one");
        assert_eq!(EnrollmentCode::parse(&"I".repeat(40)), Err(EnrollmentCodeError::WrongAlphabet), "look-alikes");
        assert_eq!(EnrollmentCode::parse(""), Err(EnrollmentCodeError::WrongLength(0)), "nothing");
    }
}
