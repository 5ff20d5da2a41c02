//! The HTML renderer: a standalone printable page (its own styles, `@page` sized to the paper, the QR
//! as inline SVG, every text escaped) for the window's preview and the browser's print dialog.

use crate::document::PT_PER_MM;
use crate::font::Fonts;
use crate::layout::layout;
use crate::qr::QrMatrix;
use crate::{Document, Paper, PrintError};
use std::fmt::Write;

/// Renders `doc` to a complete HTML document. Fails only on a QR payload too long for a QR code.
pub fn render_html(doc: &Document) -> Result<String, PrintError> {
    let m = doc.paper.measures();
    let mm = |pt: f32| pt / PT_PER_MM;
    let page_height = match m.height {
        Some(height) => height,
        // A roll is as long as our own layout of it, plus room for a browser font a little wider.
        None => layout(doc, &Fonts::load()?)?.first().map_or(m.width, |p| p.height * 1.15),
    };
    let mut html = String::with_capacity(4096);
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"ru\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>\n\
         @page {{ size: {w:.1}mm {h:.1}mm; margin: {my:.1}mm {mx:.1}mm; }}\n\
         body {{ margin: 0; font-family: \"DejaVu Sans\", Verdana, sans-serif; font-size: {body}pt; color: #000; }}\n\
         h1 {{ font-size: {title_size}pt; text-align: center; margin: 0; }}\n\
         .subtitle, figcaption {{ font-size: {small}pt; text-align: center; margin: 0; }}\n\
         table {{ width: 100%; border-collapse: collapse; margin-top: 0.6em; }}\n\
         th, td {{ text-align: left; vertical-align: top; padding: 1.5pt 1.5mm 1.5pt 0; white-space: pre-wrap; \
         overflow-wrap: anywhere; }}\n\
         .fields th {{ font-weight: normal; width: 1%; white-space: nowrap; }}\n\
         .fields td {{ font-weight: bold; }}\n\
         .items thead th {{ border-top: 0.6pt solid #000; border-bottom: 0.6pt solid #000; }}\n\
         .items tbody tr:last-child td {{ border-bottom: 0.6pt solid #000; }}\n\
         .note {{ margin: 0.6em 0 0; white-space: pre-wrap; overflow-wrap: anywhere; }}\n\
         .qr {{ margin: 0.6em 0 0; text-align: center; }}\n\
         .qr svg {{ display: block; margin: 0 auto; }}\n\
         .signature {{ margin: {sign_gap}em 0 0; }}\n\
         </style>\n</head>\n<body class=\"paper-{slug}\">\n<main>\n<h1>{title}</h1>\n",
        title = escape(&doc.title),
        w = mm(m.width),
        h = mm(page_height),
        my = mm(m.margin_y),
        mx = mm(m.margin_x),
        body = m.body,
        title_size = m.title,
        small = m.small,
        sign_gap = if doc.paper == Paper::A4 { 2.5 } else { 1.5 },
        slug = doc.paper.slug(),
    );
    if let Some(subtitle) = &doc.subtitle {
        let _ = writeln!(html, "<p class=\"subtitle\">{}</p>", escape(subtitle));
    }
    if !doc.fields.is_empty() {
        html.push_str("<table class=\"fields\">\n");
        for (label, value) in &doc.fields {
            let _ = writeln!(html, "<tr><th>{}:</th><td>{}</td></tr>", escape(label), escape(value));
        }
        html.push_str("</table>\n");
    }
    if let Some(table) = doc.table.as_ref().filter(|t| t.columns() > 0) {
        let columns = table.columns();
        html.push_str("<table class=\"items\">\n<thead><tr>");
        for column in 0..columns {
            let _ = write!(html, "<th>{}</th>", escape(table.headers.get(column).map_or("", String::as_str)));
        }
        html.push_str("</tr></thead>\n<tbody>\n");
        for row in &table.rows {
            html.push_str("<tr>");
            for column in 0..columns {
                let _ = write!(html, "<td>{}</td>", escape(row.get(column).map_or("", String::as_str)));
            }
            html.push_str("</tr>\n");
        }
        html.push_str("</tbody>\n</table>\n");
    }
    for note in &doc.notes {
        let _ = writeln!(html, "<p class=\"note\">{}</p>", escape(note));
    }
    if let Some(qr) = &doc.qr {
        let matrix = QrMatrix::encode(&qr.payload)?;
        let content_width = m.width - 2.0 * m.margin_x;
        let side = matrix.side_with_quiet_zone() as f32;
        let size = mm(m.qr_module.min(content_width / side) * side);
        let _ = write!(html, "<figure class=\"qr\">{}", matrix.to_svg(size));
        if let Some(caption) = &qr.caption {
            let _ = write!(html, "<figcaption>{}</figcaption>", escape(caption));
        }
        html.push_str("</figure>\n");
    }
    for signature in &doc.signatures {
        let _ = writeln!(html, "<p class=\"signature\">{}</p>", escape(signature));
    }
    html.push_str("</main>\n</body>\n</html>\n");
    Ok(html)
}

/// Text as HTML text or attribute value: nothing in it can open a tag or end an attribute.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralises_markup_and_quotes() {
        assert_eq!(
            escape("<b a=\"1\" c='2'>&</b>"),
            "&lt;b a=&quot;1&quot; c=&#39;2&#39;&gt;&amp;&lt;/b&gt;",
            "markup should be text"
        );
    }
}
