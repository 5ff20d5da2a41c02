//! The document model every printed paper is built from, and each paper's fixed measures
//! (page size, margins, type sizes, QR module size) that the renderers share.

/// The papers the counter prints on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Paper {
    /// Thermal receipt roll, 80 mm wide (72 mm printable); the page is as long as its content.
    Receipt80mm,
    /// Thermal label 58 × 60 mm: return labels and return-box labels. 60 mm leaves room for a QR
    /// of a long signed payload besides the title and a few fields; more content goes on more labels.
    Label58x60mm,
    /// A4 sheet for acts (акты); long tables continue on further pages with their header repeated.
    A4,
}

/// One printable document. Every text is plain text: renderers escape, wrap and lay it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub paper: Paper,
    /// e.g. "Акт приёма отказов от курьера".
    pub title: String,
    /// e.g. "ПВЗ pp-msk-0042 · 26.11.2026 14:05".
    pub subtitle: Option<String>,
    /// Label/value lines: ("Курьер", "Иван П.").
    pub fields: Vec<(String, String)>,
    /// The act's list of items, boxes or lines of a receipt.
    pub table: Option<Table>,
    /// Free paragraphs, e.g. discrepancies against the courier's manifest.
    pub notes: Vec<String>,
    pub qr: Option<QrBlock>,
    /// Signature lines: "Менеджер: Анна К. ________".
    pub signatures: Vec<String>,
}

impl Document {
    /// An empty document of `paper` with `title`; fill the rest with the public fields.
    pub fn new(paper: Paper, title: impl Into<String>) -> Self {
        Document {
            paper,
            title: title.into(),
            subtitle: None,
            fields: Vec::new(),
            table: None,
            notes: Vec::new(),
            qr: None,
            signatures: Vec::new(),
        }
    }
}

/// A table: a header row and body rows of cells; a row shorter than the header leaves cells empty.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// How many columns the table has: the widest of the header and the rows.
    pub(crate) fn columns(&self) -> usize {
        self.rows.iter().map(Vec::len).chain([self.headers.len()]).max().unwrap_or(0)
    }
}

/// A QR code and the caption printed under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrBlock {
    /// The exact text a scanner reads back, e.g. `PVZRET1:0192d4c8-…`.
    pub payload: String,
    /// Human-readable line under the code, e.g. the short return number.
    pub caption: Option<String>,
}

/// Points (1/72 inch) per millimetre: the layout works in points, like PDF.
pub(crate) const PT_PER_MM: f32 = 72.0 / 25.4;

/// What a paper measures and which type sizes suit it; all lengths in points.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Measures {
    pub width: f32,
    /// `None`: a roll, the page is as long as its content.
    pub height: Option<f32>,
    pub margin_x: f32,
    pub margin_y: f32,
    pub body: f32,
    pub title: f32,
    pub small: f32,
    /// The QR module size to aim for; smaller only when the code would not fit the width.
    pub qr_module: f32,
}

impl Paper {
    pub(crate) fn measures(self) -> Measures {
        let mm = |v: f32| v * PT_PER_MM;
        match self {
            // 0.5 mm modules are 4 dots on a 203 dpi head.
            Paper::Receipt80mm => Measures {
                width: mm(80.0),
                height: None,
                margin_x: mm(4.0),
                margin_y: mm(3.0),
                body: 8.0,
                title: 10.0,
                small: 7.0,
                qr_module: mm(0.5),
            },
            // 0.375 mm modules are 3 dots at 203 dpi: a long box payload still fits the 54 mm width.
            Paper::Label58x60mm => Measures {
                width: mm(58.0),
                height: Some(mm(60.0)),
                margin_x: mm(2.0),
                margin_y: mm(2.0),
                body: 7.0,
                title: 8.5,
                small: 6.0,
                qr_module: mm(0.375),
            },
            Paper::A4 => Measures {
                width: mm(210.0),
                height: Some(mm(297.0)),
                margin_x: mm(15.0),
                margin_y: mm(15.0),
                body: 10.0,
                title: 14.0,
                small: 8.5,
                qr_module: mm(0.6),
            },
        }
    }

    /// The CSS class and the name used in file names.
    pub(crate) fn slug(self) -> &'static str {
        match self {
            Paper::Receipt80mm => "receipt-80mm",
            Paper::Label58x60mm => "label-58x60mm",
            Paper::A4 => "a4",
        }
    }
}
