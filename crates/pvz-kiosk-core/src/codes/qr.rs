//! Receipt QR codes: the operation id rendered as an SVG that any phone or scanner can read.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// What a receipt QR encodes: the completing op, so support can find it on the server.
pub fn receipt_qr_text(op_id: &str) -> String {
    format!("PVZOP:{op_id}")
}

/// SVG of `text` as a QR code with a quiet zone, as a data URI for an `<img>`.
pub fn qr_svg_data_uri(text: &str) -> String {
    let svg = qr_svg(text);
    format!("data:image/svg+xml;base64,{}", STANDARD.encode(svg))
}

pub fn qr_svg(text: &str) -> String {
    match QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M) {
        Ok(code) => code.render::<svg::Color<'_>>().min_dimensions(200, 200).quiet_zone(true).build(),
        // Only texts far beyond a receipt's size fail; an empty picture beats a failed receipt.
        Err(_) => String::from("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_receipt_qr_is_an_svg_data_uri() {
        let uri = qr_svg_data_uri(&receipt_qr_text("0192d4c8-0000-7000-8000-000000000000"));
        assert!(uri.starts_with("data:image/svg+xml;base64,"), "the window shows it as an image: {uri:.40}");
        let svg = STANDARD.decode(&uri["data:image/svg+xml;base64,".len()..]).expect("valid base64");
        assert!(String::from_utf8_lossy(&svg).contains("<svg"), "the payload is an SVG document");
    }
}
