//! The one error type of the printing crate; the window translates by [`PrintError::kind`].

#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// The QR payload does not fit any QR code (about 2.3 kB of text at the error correction used).
    #[error("the QR payload of {len} bytes is too long for a QR code")]
    QrTooLong { len: usize },
    #[error("a raster needs 50 to 1200 dpi, not {0}")]
    BadDpi(u32),
    /// The bundled font could not be read; a build problem, not the counter's.
    #[error("the bundled font cannot be read: {0}")]
    Font(String),
    #[error("the PDF cannot be written: {0}")]
    Pdf(String),
    #[error("the PNG cannot be written: {0}")]
    Png(String),
    /// `lp` or `lpstat` is not on this machine.
    #[error("the printing command `{command}` is not installed (Debian package cups-client)")]
    CupsNotInstalled { command: String },
    #[error("the printing service (CUPS) is not running or cannot be reached")]
    CupsNotRunning,
    #[error("choose a printer first")]
    NoPrinterChosen,
    #[error("there is no printer named {printer:?}")]
    PrinterNotFound { printer: String },
    /// `lp` or `lpstat` ran and failed for another reason; `stderr` is its own words.
    #[error("`{command}` failed: {stderr}")]
    CupsFailed { command: String, stderr: String },
    #[error("cannot run the printing command: {0}")]
    Io(#[from] std::io::Error),
}

impl PrintError {
    /// A stable snake_case name of the failure, for the window to translate.
    pub fn kind(&self) -> &'static str {
        match self {
            PrintError::QrTooLong { .. } => "qr_too_long",
            PrintError::BadDpi(_) => "bad_dpi",
            PrintError::Font(_) | PrintError::Pdf(_) | PrintError::Png(_) => "render_failed",
            PrintError::CupsNotInstalled { .. } => "cups_not_installed",
            PrintError::CupsNotRunning => "cups_not_running",
            PrintError::NoPrinterChosen => "no_printer_chosen",
            PrintError::PrinterNotFound { .. } => "printer_not_found",
            PrintError::CupsFailed { .. } | PrintError::Io(_) => "print_failed",
        }
    }
}
