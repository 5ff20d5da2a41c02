//! What an attachment may be: a JPEG or PNG photo or a PDF document, at most
//! [`MAX_ATTACHMENT_BYTES`], whose first bytes are those of the type it is declared as (a file
//! renamed to `.jpg` is refused, so a viewer never gets a type the bytes are not).

use crate::error::{Result, ServerError};
use pvz_protocol::claims::MAX_ATTACHMENT_BYTES;

/// The types an attachment may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentType {
    Jpeg,
    Png,
    Pdf,
}

impl AttachmentType {
    /// From a `Content-Type` value; parameters (`; charset=...`) and case are ignored.
    pub fn parse(content_type: &str) -> Option<AttachmentType> {
        let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        match essence.as_str() {
            "image/jpeg" => Some(AttachmentType::Jpeg),
            "image/png" => Some(AttachmentType::Png),
            "application/pdf" => Some(AttachmentType::Pdf),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AttachmentType::Jpeg => "image/jpeg",
            AttachmentType::Png => "image/png",
            AttachmentType::Pdf => "application/pdf",
        }
    }

    /// The bytes every file of the type starts with.
    fn magic(self) -> &'static [u8] {
        match self {
            AttachmentType::Jpeg => &[0xFF, 0xD8, 0xFF],
            AttachmentType::Png => &[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
            AttachmentType::Pdf => b"%PDF-",
        }
    }

    pub fn matches(self, bytes: &[u8]) -> bool {
        bytes.starts_with(self.magic())
    }
}

/// An upload as sent: its declared type must be one of ours, its size within the limit, and its
/// bytes must start as that type's do.
pub fn check_upload(content_type: Option<&str>, bytes: &[u8]) -> Result<AttachmentType> {
    let declared = content_type.unwrap_or("none");
    let kind = AttachmentType::parse(declared).ok_or_else(|| {
        ServerError::BadRequest(format!(
            "an attachment is image/jpeg, image/png or application/pdf, sent as the body with that \
             Content-Type; got {declared:.64}"
        ))
    })?;
    if bytes.len() as u64 > MAX_ATTACHMENT_BYTES {
        return Err(ServerError::PayloadTooLarge);
    }
    if bytes.is_empty() {
        return Err(ServerError::BadRequest("the attachment is empty".into()));
    }
    if !kind.matches(bytes) {
        return Err(ServerError::BadRequest(format!("the bytes sent are not a {} file", kind.as_str())));
    }
    Ok(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = &[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

    #[test]
    fn an_upload_is_the_type_it_says_it_is() {
        assert_eq!(check_upload(Some("image/png"), PNG).ok(), Some(AttachmentType::Png), "a PNG as a PNG");
        assert_eq!(
            check_upload(Some("IMAGE/JPEG; foo=bar"), &[0xFF, 0xD8, 0xFF, 0xE0]).ok(),
            Some(AttachmentType::Jpeg),
            "case and parameters of the type are ignored"
        );
        assert_eq!(check_upload(Some("application/pdf"), b"%PDF-1.7\n").ok(), Some(AttachmentType::Pdf), "a PDF");
        for (declared, bytes, what) in [
            (Some("image/jpeg"), PNG, "a PNG declared as a JPEG"),
            (Some("image/gif"), b"GIF89a".as_slice(), "a GIF"),
            (None, PNG, "no Content-Type"),
            (Some("image/png"), b"".as_slice(), "no bytes"),
        ] {
            let err = check_upload(declared, bytes).expect_err(what);
            assert!(matches!(err, ServerError::BadRequest(_)), "{what} is a bad request: {err:?}");
        }
        let big = [PNG, &vec![0; MAX_ATTACHMENT_BYTES as usize]].concat();
        assert!(matches!(check_upload(Some("image/png"), &big), Err(ServerError::PayloadTooLarge)), "over 5 MB");
    }
}
