//! The printable documents, one binary: rendered to HTML, PDF and PNG with QR codes read back by an
//! independent reader, and printed through a real CUPS queue.

mod common;
mod cups;
mod render;
