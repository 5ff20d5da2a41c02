//! QR encoding into a module matrix with its quiet zone, shared by the HTML, PDF and PNG renderers so
//! every output carries the same code.

use crate::PrintError;
use qrcode::{Color, EcLevel, QrCode};

/// Light modules around the code that scanners need to find it (the standard's four).
pub(crate) const QUIET_ZONE: usize = 4;

/// The dark modules of one QR code, without the quiet zone.
#[derive(Debug)]
pub(crate) struct QrMatrix {
    width: usize,
    dark: Vec<bool>,
}

impl QrMatrix {
    /// Medium error correction: survives a smudge on thermal paper and keeps long payloads small.
    pub(crate) fn encode(payload: &str) -> Result<QrMatrix, PrintError> {
        let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)
            .map_err(|_| PrintError::QrTooLong { len: payload.len() })?;
        let dark = code.to_colors().into_iter().map(|c| c == Color::Dark).collect();
        Ok(QrMatrix { width: code.width(), dark })
    }

    /// Modules per side including the quiet zone on both sides.
    pub(crate) fn side_with_quiet_zone(&self) -> usize {
        self.width + 2 * QUIET_ZONE
    }

    /// Horizontal runs of dark modules as `(row, first column, length)`, in module units counted from
    /// the outer corner of the quiet zone: fewer shapes than one per module.
    pub(crate) fn dark_runs(&self) -> Vec<(usize, usize, usize)> {
        let mut runs = Vec::new();
        for row in 0..self.width {
            let line = &self.dark[row * self.width..(row + 1) * self.width];
            let mut col = 0;
            while col < self.width {
                if line[col] {
                    let start = col;
                    while col < self.width && line[col] {
                        col += 1;
                    }
                    runs.push((row + QUIET_ZONE, start + QUIET_ZONE, col - start));
                } else {
                    col += 1;
                }
            }
        }
        runs
    }

    /// An inline SVG of the code, `size_mm` wide, for the HTML page.
    pub(crate) fn to_svg(&self, size_mm: f32) -> String {
        let side = self.side_with_quiet_zone();
        let mut path = String::new();
        for (row, col, len) in self.dark_runs() {
            path.push_str(&format!("M{col} {row}h{len}v1h-{len}z"));
        }
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr-code\" viewBox=\"0 0 {side} {side}\" \
             width=\"{size_mm:.1}mm\" height=\"{size_mm:.1}mm\" shape-rendering=\"crispEdges\">\
             <rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_cover_exactly_the_dark_modules() {
        let qr = QrMatrix::encode("PVZRET1:test").expect("a short payload encodes");
        let dark_modules = qr.dark.iter().filter(|d| **d).count();
        let covered: usize = qr.dark_runs().iter().map(|(_, _, len)| len).sum();
        assert_eq!(covered, dark_modules, "the runs should cover every dark module once");
        assert!(
            qr.dark_runs().iter().all(|(row, col, len)| *row >= QUIET_ZONE && col + len <= QUIET_ZONE + qr.width),
            "no run should reach into the quiet zone"
        );
    }

    #[test]
    fn an_oversized_payload_is_a_clear_error() {
        let payload = "x".repeat(5000);
        let err = QrMatrix::encode(&payload).expect_err("5000 bytes cannot be one QR code");
        assert_eq!(err.kind(), "qr_too_long", "the error should say the payload is too long: {err}");
    }
}
