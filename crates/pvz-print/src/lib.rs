//! Printable counter documents: receipts, return labels, courier acceptance acts, return-box labels and
//! driver handover acts are all one generic [`Document`], rendered to a standalone HTML page, a vector
//! PDF or a PNG raster of the same layout, and sent to a printer through CUPS ([`cups`]).
//! Only `cups` does IO; everything else is pure.

mod document;
mod error;
mod font;
mod html;
mod layout;
mod page;
mod pdf;
mod png;
mod qr;
mod wrap;

pub mod cups;

pub use document::{Document, Paper, QrBlock, Table};
pub use error::PrintError;
pub use html::render_html;
pub use pdf::render_pdf;
pub use png::{render_png, THERMAL_DPI};
