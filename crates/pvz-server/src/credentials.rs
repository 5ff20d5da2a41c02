//! The text forms of the secrets people type or send, parsed the same way by the admin that issues
//! them and the API that checks them: a seller's API credential and a kiosk's enrollment code.
//! (A device's credential is the protocol's, `pvz_protocol::sync::DeviceCredential`.)

/// `Authorization: Bearer pvzs1.<seller id>.<secret>`: a seller's API credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SellerCredential {
    pub seller_id: String,
    pub secret: String,
}

impl SellerCredential {
    const PREFIX: &'static str = "pvzs1.";

    pub fn parse(raw: &str) -> Option<SellerCredential> {
        let (seller_id, secret) = raw.strip_prefix(Self::PREFIX)?.rsplit_once('.')?;
        (!seller_id.is_empty() && !secret.is_empty())
            .then(|| SellerCredential { seller_id: seller_id.to_owned(), secret: secret.to_owned() })
    }

    pub fn to_text(&self) -> String {
        format!("{}{}.{}", Self::PREFIX, self.seller_id, self.secret)
    }
}

/// Enrollment codes are typed by people: case, spaces and dashes do not matter.
pub fn normalize_enrollment_code(raw: &str) -> String {
    raw.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seller_credential_round_trips_and_junk_is_refused() {
        let credential = SellerCredential { seller_id: "seller-a.b".into(), secret: "s3cr3t".into() };
        assert_eq!(SellerCredential::parse(&credential.to_text()), Some(credential), "the text form round-trips");
        for junk in ["", "pvzs1.", "pvzs1.seller", "pvzs1..secret", "pvzs1.seller.", "pvzd1.dev.secret"] {
            assert_eq!(SellerCredential::parse(junk), None, "{junk:?} is not a seller credential");
        }
    }
}
