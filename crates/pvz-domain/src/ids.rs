//! Typed identifiers. Each is parsed once at the boundary; inside, the type says it is valid.

use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;
use ts_rs::TS;

/// Longest id, in bytes (ids are ASCII).
pub const MAX_ID_LEN: usize = 64;
/// What every id matches, as the OpenAPI document declares it.
pub const ID_PATTERN: &str = "^[A-Za-z0-9_-]{1,64}$";

macro_rules! text_id {
    ($doc:literal $name:ident) => {
        #[doc = $doc]
        ///
        /// On the wire (protocol 4) a string of 1-64 characters of `[A-Za-z0-9_-]`, read through
        /// [`Self::parse`]: a body naming a longer or stranger id does not deserialize.
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS)]
        #[serde(transparent)]
        pub struct $name(String);

        // The schema declares what `parse` enforces, so a client generated from the document
        // sends only ids the server reads.
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .description(Some($doc.trim()))
                    .pattern(Some(ID_PATTERN))
                    .min_length(Some(1))
                    .max_length(Some(MAX_ID_LEN))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(deserializer)?;
                Self::parse(&raw).map_err(serde::de::Error::custom)
            }
        }

        impl $name {
            /// Accepts 1..=64 characters of `[A-Za-z0-9_-]`.
            pub fn parse(raw: &str) -> Result<Self, IdError> {
                let ok = !raw.is_empty()
                    && raw.len() <= MAX_ID_LEN
                    && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
                if ok {
                    Ok(Self(raw.to_owned()))
                } else {
                    Err(IdError { kind: stringify!($name), value: raw.chars().take(80).collect() })
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_id!(
    " Заказ: one buyer's order at this pickup point."
    OrderId
);
text_id!(
    " One item (товар) of an order."
    ItemId
);
text_id!(
    " ПВЗ: a pickup point of the network."
    PickupPointId
);
text_id!(
    " One enrolled kiosk (counter PC)."
    DeviceId
);
text_id!(
    " Претензия: a buyer's post-payment claim about one paid item, decided by the seller."
    ClaimId
);
text_id!(
    " A person the network knows: a counter manager, a courier or a logistics driver."
    EmployeeId
);
text_id!(
    " Коробка возвратов: a box of returned items on its way back to the sellers."
    ReturnBoxId
);
text_id!(
    " One returned unit held at the point (refused at the counter, taken back from a courier, or accepted on a claim) until it leaves in a box; its return label carries this id."
    ReturnId
);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} must be 1-64 characters of letters, digits, '-' or '_', got {value:?}")]
pub struct IdError {
    pub kind: &'static str,
    pub value: String,
}

/// Код получения: the six-digit code a buyer can dictate instead of showing the QR. On the wire
/// (protocol 4) read through [`ShortCode::parse`].
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^[0-9]{6}$"))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(transparent)]
pub struct ShortCode(String);

impl<'de> Deserialize<'de> for ShortCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        ShortCode::parse(&raw).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "a short code is six digits, got {:?}",
                raw.chars().take(40).collect::<String>()
            ))
        })
    }
}

impl ShortCode {
    pub const LEN: usize = 6;

    /// Accepts exactly six digits, optionally grouped by spaces or dashes (`482-137`).
    pub fn parse(raw: &str) -> Option<ShortCode> {
        let digits: String = raw.chars().filter(|c| *c != ' ' && *c != '-').collect();
        let grouped_only = raw.chars().all(|c| c.is_ascii_digit() || c == ' ' || c == '-');
        (grouped_only && digits.len() == Self::LEN && digits.bytes().all(|b| b.is_ascii_digit()))
            .then_some(ShortCode(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ShortCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_reject_empty_and_foreign_characters() {
        assert!(OrderId::parse("ord-0001").is_ok(), "a plain id parses");
        assert!(OrderId::parse("").is_err(), "an empty id is rejected");
        assert!(OrderId::parse("ord 1").is_err(), "spaces are rejected");
        assert!(OrderId::parse(&"x".repeat(65)).is_err(), "ids longer than 64 are rejected");
    }

    #[test]
    fn ids_on_the_wire_go_through_their_parser() {
        let read = |json: &str| serde_json::from_str::<ReturnId>(json);
        assert_eq!(read("\"ret-1\"").map(|id| id.to_string()).ok(), Some("ret-1".into()), "a plain id reads");
        assert!(read("\"r 1/2\"").is_err(), "a return id with '/' and spaces does not read");
        assert!(read(&format!("\"{}\"", "x".repeat(5000))).is_err(), "a 5,000-character id does not read");
        assert!(serde_json::from_str::<ShortCode>("\"48213a\"").is_err(), "nor a short code with a letter");
    }

    #[test]
    fn short_codes_allow_grouping_but_need_six_digits() {
        assert_eq!(
            ShortCode::parse("482-137").map(|c| c.to_string()),
            Some("482137".into()),
            "dash grouping is dropped"
        );
        assert_eq!(
            ShortCode::parse("482 137").map(|c| c.to_string()),
            Some("482137".into()),
            "space grouping is dropped"
        );
        assert!(ShortCode::parse("48213").is_none(), "five digits are not a short code");
        assert!(ShortCode::parse("48213a").is_none(), "letters are not a short code");
    }
}
