//! Compact signed codes (`PVZ2.`, `PVZC2.`, `PVZE3.`): `<prefix><body>`, the body the claims'
//! bytes followed by the ed25519 signature of `<prefix><claims bytes>`, written in the 41-character
//! [`COMPACT_CODE_ALPHABET`] three characters for every two bytes (base-41, laid out like RFC 9285's
//! base-45).
//!
//! Why this shape: each code must fit a QR code of version 10 at error correction M, which holds
//! 213 characters in byte mode but 311 in alphanumeric mode. The earlier codes were JSON in
//! base64url, whose lower-case letters force byte mode, and a claim return code carried the item's
//! Cyrillic name: about 300 characters, a version-13 QR. Here
//! - every character is in the alphanumeric set (and so is the prefix), and base-41 spends 12
//!   bits of QR on a byte where base64url in byte mode spends 10.7 and JSON's keys and quotes go;
//! - claims are fixed-order fields: ids packed at 6 bits a character (their alphabet has 64
//!   symbols), numbers as LEB128 varints (signed ones zigzagged), a barcode of digits as a number;
//! - the item's name is left out: a counter looks it up in its store or asks the server.
//!
//! A claim return code of the server's own ids (`clm-`/`ord-`/`itm-` + a UUID) with a 14-digit
//! barcode takes about 265 characters; any three ids of up to 40 characters still fit version 10-M.
//! The signature covers the prefix, so one kind's claims never pass for another's, nor for an
//! earlier code's JSON or a key endorsement (those start with `{` and `p`).

use crate::key::{PublicKey, TokenError};
use ed25519_dalek::{Signature, Signer, SigningKey};
use pvz_domain::ids::IdError;
use pvz_domain::scan::COMPACT_CODE_ALPHABET;

const BASE: u32 = 41;
const SIGNATURE_LEN: usize = 64;
/// The id alphabet in the order its 6-bit values take.
const ID_SYMBOLS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/// A barcode of at most this many digits is written as a number.
const MAX_NUMERIC_BARCODE_DIGITS: usize = 19;

/// `<prefix>` + the body of `claims` signed by `key`.
pub(crate) fn sign(prefix: &str, claims: &[u8], key: &SigningKey) -> String {
    let signature = key.sign(&signed_message(prefix, claims));
    let mut bytes = claims.to_vec();
    bytes.extend_from_slice(&signature.to_bytes());
    format!("{prefix}{}", encode(&bytes))
}

/// The claims bytes of a code with this prefix whose signature `key` made.
pub(crate) fn verify(prefix: &str, token: &str, key: &PublicKey) -> Result<Vec<u8>, TokenError> {
    let body = strip_prefix_any_case(token, prefix).ok_or(TokenError::Malformed)?;
    let mut bytes = decode(body).ok_or(TokenError::Malformed)?;
    let claims_len = bytes.len().checked_sub(SIGNATURE_LEN).ok_or(TokenError::Malformed)?;
    let signature: [u8; SIGNATURE_LEN] = bytes[claims_len..].try_into().map_err(|_| TokenError::Malformed)?;
    bytes.truncate(claims_len);
    key.verify_strict(&signed_message(prefix, &bytes), &Signature::from_bytes(&signature))?;
    Ok(bytes)
}

/// Whether `token` starts with this compact prefix (in either case, as a Caps Lock scan types it).
pub(crate) fn has_prefix(token: &str, prefix: &str) -> bool {
    strip_prefix_any_case(token, prefix).is_some()
}

/// The characters of a compact code up to where its signature starts (the prefix and the claims,
/// the character that holds the claims' last byte and the signature's first included): what a log
/// keeps so that a copy of it cannot be printed as a working code. `None` for a code too short.
pub fn without_signature(code: &str) -> Option<&str> {
    let body_start = code.find('.')? + 1;
    let body = code.get(body_start..)?;
    // Three characters a two-byte group; an odd byte count ends in a two-character group, and then
    // the signature's first byte shares a group with the claims' last one.
    let signature_chars = if body.len() % 3 == 2 { 2 + SIGNATURE_LEN / 2 * 3 } else { SIGNATURE_LEN / 2 * 3 };
    code.get(..code.len().checked_sub(signature_chars).filter(|end| *end >= body_start)?)
}

fn strip_prefix_any_case<'a>(token: &'a str, prefix: &str) -> Option<&'a str> {
    let head = token.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &token[prefix.len()..])
}

fn signed_message(prefix: &str, claims: &[u8]) -> Vec<u8> {
    [prefix.as_bytes(), claims].concat()
}

/// Two bytes to three characters, least significant digit first; a last odd byte to two.
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len() / 2 * 3 + 2);
    for chunk in bytes.chunks(2) {
        let (mut value, digits) = match chunk {
            [high, low] => (u32::from(*high) << 8 | u32::from(*low), 3),
            [only] => (u32::from(*only), 2),
            _ => unreachable!("chunks(2) gives one or two bytes"),
        };
        for _ in 0..digits {
            text.push(char::from(COMPACT_CODE_ALPHABET[(value % BASE) as usize]));
            value /= BASE;
        }
    }
    text
}

/// The bytes of a body, read in either case; `None` for a character outside the alphabet, a length
/// no bytes give, or a group worth more than its bytes hold.
fn decode(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u32> = text
        .bytes()
        .map(|b| COMPACT_CODE_ALPHABET.iter().position(|&a| a == b.to_ascii_uppercase()).map(|d| d as u32))
        .collect::<Option<_>>()?;
    let mut bytes = Vec::with_capacity(digits.len() / 3 * 2 + 1);
    for group in digits.chunks(3) {
        let value = group.iter().rev().fold(0u32, |acc, d| acc * BASE + d);
        match group.len() {
            3 => bytes.extend_from_slice(&u16::try_from(value).ok()?.to_be_bytes()),
            2 => bytes.push(u8::try_from(value).ok()?),
            _ => return None,
        }
    }
    Some(bytes)
}

/// Writes claims fields in order.
#[derive(Default)]
pub(crate) struct Writer(Vec<u8>);

impl Writer {
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.0
    }

    pub(crate) fn byte(&mut self, value: u8) -> &mut Self {
        self.0.push(value);
        self
    }

    pub(crate) fn unsigned(&mut self, mut value: u64) -> &mut Self {
        loop {
            let low = (value & 0x7f) as u8;
            value >>= 7;
            if value == 0 {
                self.0.push(low);
                return self;
            }
            self.0.push(low | 0x80);
        }
    }

    pub(crate) fn signed(&mut self, value: i64) -> &mut Self {
        self.unsigned(((value << 1) ^ (value >> 63)) as u64)
    }

    /// An id (1-64 characters of `[A-Za-z0-9_-]`, as every id type holds): its length, then 6 bits a character.
    pub(crate) fn id(&mut self, id: &str) -> &mut Self {
        self.unsigned(id.len() as u64);
        let (mut bits, mut held) = (0u32, 0u32);
        for symbol in id.bytes() {
            let value = ID_SYMBOLS.iter().position(|&s| s == symbol).unwrap_or(0) as u32;
            bits = bits << 6 | value;
            held += 6;
            while held >= 8 {
                held -= 8;
                self.0.push((bits >> held) as u8);
            }
        }
        if held > 0 {
            self.0.push((bits << (8 - held)) as u8);
        }
        self
    }

    /// An optional barcode: 0 none; 1 digits (their count, then their value), so leading zeros
    /// stay; 2 any other text (its UTF-8 length, then the bytes).
    pub(crate) fn barcode(&mut self, barcode: Option<&str>) -> &mut Self {
        match barcode {
            None => self.byte(0),
            Some(digits)
                if (1..=MAX_NUMERIC_BARCODE_DIGITS).contains(&digits.len())
                    && digits.bytes().all(|b| b.is_ascii_digit()) =>
            {
                self.byte(1).unsigned(digits.len() as u64).unsigned(digits.parse().unwrap_or(0))
            }
            Some(text) => {
                self.byte(2).unsigned(text.len() as u64);
                self.0.extend_from_slice(text.as_bytes());
                self
            }
        }
    }
}

/// Reads claims fields in the order [`Writer`] wrote them; any shortfall is [`TokenError::Malformed`].
pub(crate) struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader(bytes)
    }

    /// Every byte read: trailing bytes are no claims this format writes.
    pub(crate) fn finish(&self) -> Result<(), TokenError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(TokenError::Malformed)
        }
    }

    pub(crate) fn byte(&mut self) -> Result<u8, TokenError> {
        let (&first, rest) = self.0.split_first().ok_or(TokenError::Malformed)?;
        self.0 = rest;
        Ok(first)
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8], TokenError> {
        if len > self.0.len() {
            return Err(TokenError::Malformed);
        }
        let (head, rest) = self.0.split_at(len);
        self.0 = rest;
        Ok(head)
    }

    pub(crate) fn unsigned(&mut self) -> Result<u64, TokenError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            let part = u64::from(byte & 0x7f);
            if shift == 63 && part > 1 {
                return Err(TokenError::Malformed);
            }
            value |= part << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(TokenError::Malformed)
    }

    pub(crate) fn signed(&mut self) -> Result<i64, TokenError> {
        let zigzag = self.unsigned()?;
        Ok((zigzag >> 1) as i64 ^ -((zigzag & 1) as i64))
    }

    pub(crate) fn u32(&mut self) -> Result<u32, TokenError> {
        u32::try_from(self.unsigned()?).map_err(|_| TokenError::Malformed)
    }

    /// An id, through its type's parser.
    pub(crate) fn id<T>(&mut self, parse: fn(&str) -> Result<T, IdError>) -> Result<T, TokenError> {
        let len = usize::try_from(self.unsigned()?).map_err(|_| TokenError::Malformed)?;
        if len > pvz_domain::ids::MAX_ID_LEN {
            return Err(TokenError::Malformed);
        }
        let packed = self.take((len * 6).div_ceil(8))?;
        let (mut bits, mut held, mut text) = (0u32, 0u32, String::with_capacity(len));
        let mut bytes = packed.iter();
        while text.len() < len {
            if held < 6 {
                bits = bits << 8 | u32::from(*bytes.next().ok_or(TokenError::Malformed)?);
                held += 8;
            }
            held -= 6;
            text.push(char::from(ID_SYMBOLS[((bits >> held) & 0x3f) as usize]));
        }
        parse(&text).map_err(|_| TokenError::Malformed)
    }

    pub(crate) fn barcode(&mut self) -> Result<Option<String>, TokenError> {
        match self.byte()? {
            0 => Ok(None),
            1 => {
                let digits = usize::try_from(self.unsigned()?).map_err(|_| TokenError::Malformed)?;
                let value = self.unsigned()?;
                let text = format!("{value:0digits$}");
                (text.len() == digits && digits <= MAX_NUMERIC_BARCODE_DIGITS)
                    .then_some(Some(text))
                    .ok_or(TokenError::Malformed)
            }
            2 => {
                let len = usize::try_from(self.unsigned()?).map_err(|_| TokenError::Malformed)?;
                let bytes = self.take(len)?;
                String::from_utf8(bytes.to_vec()).map(Some).map_err(|_| TokenError::Malformed)
            }
            _ => Err(TokenError::Malformed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use pvz_domain::OrderId;

    proptest! {
        #[test]
        fn any_bytes_come_back_from_the_alphabet(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
            let text = encode(&bytes);
            prop_assert!(
                text.bytes().all(|b| COMPACT_CODE_ALPHABET.contains(&b)),
                "only the alphabet's characters: {text}"
            );
            prop_assert_eq!(decode(&text), Some(bytes.clone()), "{} reads back as the bytes written", text);
            prop_assert_eq!(decode(&text.to_ascii_lowercase()), Some(bytes), "and so in lower case");
        }

        #[test]
        fn fields_read_back_as_written(
            id in "[A-Za-z0-9_-]{1,64}",
            barcode in prop::option::of(prop_oneof!["[0-9]{1,25}", "[!-~]{1,48}", "\\PC{1,20}"]),
            amount in any::<i64>(),
            count in any::<u32>(),
        ) {
            let mut writer = Writer::default();
            writer.id(&id).barcode(barcode.as_deref()).signed(amount).unsigned(u64::from(count));
            let bytes = writer.into_bytes();
            let mut reader = Reader::new(&bytes);
            prop_assert_eq!(reader.id(OrderId::parse).map(|o| o.to_string()), Ok(id.clone()), "the id");
            prop_assert_eq!(reader.barcode(), Ok(barcode.clone()), "the barcode");
            prop_assert_eq!(reader.signed(), Ok(amount), "the signed number");
            prop_assert_eq!(reader.u32(), Ok(count), "the unsigned number");
            prop_assert_eq!(reader.finish(), Ok(()), "nothing left over");
        }
    }

    #[test]
    fn groups_worth_more_than_their_bytes_and_stray_lengths_are_refused() {
        assert_eq!(decode("%%%"), None, "41^3 - 1 is more than two bytes hold");
        assert_eq!(decode("%%"), None, "41^2 - 1 is more than one byte holds");
        assert_eq!(decode("0000"), None, "four characters are no whole number of bytes");
        assert_eq!(decode("AB/"), None, "'/' is not in the alphabet");
        assert_eq!(decode(""), Some(vec![]), "nothing is no bytes");
    }

    #[test]
    fn without_its_signature_a_code_keeps_its_claims_and_no_signature_byte() {
        let key = SigningKey::from_bytes(&[7; 32]);
        for claims_len in [0usize, 1, 2, 7, 40] {
            let claims: Vec<u8> = (0..claims_len).map(|n| n as u8).collect();
            let code = sign("PVZE3.", &claims, &key);
            let kept = without_signature(&code).expect("a signed code");
            let claims_chars = claims_len / 2 * 3;
            assert_eq!(&kept["PVZE3.".len()..], &encode(&claims)[..claims_chars], "{claims_len} bytes of claims");
            assert!(code.len() - kept.len() >= 96, "at least the signature's 64 bytes are withheld: {code}");
        }
        assert_eq!(without_signature("PVZE3.ABC"), None, "too short to hold a signature");
    }

    #[test]
    fn a_six_bit_id_takes_three_quarters_of_its_length() {
        let id = "clm-0192d4c8a0b07c3e9f00112233445566";
        let mut writer = Writer::default();
        writer.id(id);
        assert_eq!(writer.into_bytes().len(), 1 + 27, "a length byte and 36 × 6 bits");
    }
}
