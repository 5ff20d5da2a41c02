//! Every paper's PNG, PDF and HTML read back by independent tools: zbarimg must decode the exact QR
//! payload, poppler must find the Cyrillic text, and the HTML must carry escaped text and an SVG code.

use crate::common::{box_payload, out_dir, sample, title_of, tool, zbar_decode, PAPERS, RETURN_PAYLOAD};
use pvz_print::{render_html, render_pdf, render_png, Paper, THERMAL_DPI};
use std::process::Command;

fn payloads() -> [String; 2] {
    [RETURN_PAYLOAD.to_string(), box_payload()]
}

#[test]
fn png_qr_codes_decode_to_their_payloads_on_every_paper() {
    let (_keep, dir) = out_dir();
    for paper in PAPERS {
        for (index, payload) in payloads().iter().enumerate() {
            for dpi in [THERMAL_DPI, 300] {
                let png = render_png(&sample(paper, payload), dpi).expect("the sample document renders to PNG");
                let path = dir.join(format!("{paper:?}-{index}-{dpi}dpi.png"));
                std::fs::write(&path, png).expect("the PNG can be written");
                assert_eq!(
                    zbar_decode(&path),
                    vec![payload.clone()],
                    "zbarimg should read exactly the payload from the {paper:?} PNG at {dpi} dpi ({})",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn pdf_pages_rasterised_by_poppler_decode_and_keep_the_cyrillic_text() {
    let (_keep, dir) = out_dir();
    let pdftoppm = tool("pdftoppm", "poppler-utils");
    let pdftotext = tool("pdftotext", "poppler-utils");
    for paper in PAPERS {
        for (index, payload) in payloads().iter().enumerate() {
            let pdf = render_pdf(&sample(paper, payload)).expect("the sample document renders to PDF");
            let stem = format!("{paper:?}-{index}");
            let pdf_path = dir.join(format!("{stem}.pdf"));
            std::fs::write(&pdf_path, &pdf).expect("the PDF can be written");

            let raster = dir.join(format!("{stem}-page"));
            let status = Command::new(&pdftoppm).args(["-png", "-r", "200"]).arg(&pdf_path).arg(&raster).status();
            assert!(status.is_ok_and(|s| s.success()), "pdftoppm should rasterise the {paper:?} PDF");
            let mut decoded = Vec::new();
            for entry in std::fs::read_dir(&dir).expect("the output folder lists") {
                let path = entry.expect("a folder entry").path();
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                if name.starts_with(&format!("{stem}-page")) && name.ends_with(".png") {
                    decoded.extend(zbar_decode(&path));
                }
            }
            assert_eq!(
                decoded,
                vec![payload.clone()],
                "the {paper:?} PDF should show the QR once, decoding to the payload"
            );

            let text = Command::new(&pdftotext).arg(&pdf_path).arg("-").output().expect("pdftotext runs");
            let text = String::from_utf8_lossy(&text.stdout);
            for needle in [title_of(paper), "Иван Петров", "Менеджер: Анна К."] {
                assert!(text.contains(needle), "pdftotext should find {needle:?} in the {paper:?} PDF, got:\n{text}");
            }
        }
    }
}

#[test]
fn pdf_pages_have_the_paper_size() {
    let pdfinfo = tool("pdfinfo", "poppler-utils");
    let (_keep, dir) = out_dir();
    for (paper, size) in [(Paper::Label58x60mm, "164.409 x 170.079 pts"), (Paper::A4, "595.276 x 841.89 pts")] {
        let path = dir.join(format!("{paper:?}-size.pdf"));
        std::fs::write(&path, render_pdf(&sample(paper, RETURN_PAYLOAD)).expect("renders")).expect("written");
        let info = Command::new(&pdfinfo).arg(&path).output().expect("pdfinfo runs");
        let info = String::from_utf8_lossy(&info.stdout);
        assert!(info.contains(size), "the {paper:?} PDF page should measure {size}:\n{info}");
    }
}

#[test]
fn html_escapes_text_and_draws_the_qr_as_svg() {
    let mut doc = sample(Paper::Receipt80mm, RETURN_PAYLOAD);
    doc.fields.push(("Комментарий".into(), "<script>alert('x')</script>".into()));
    doc.title = "Чек & <b>возврат</b>".into();
    let html = render_html(&doc).expect("the receipt renders to HTML");
    let (_keep, dir) = out_dir();
    std::fs::write(dir.join("receipt.html"), &html).expect("the page can be written");
    assert!(!html.contains("<script>"), "a field's <script> must not reach the page as markup");
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), "the field should show escaped");
    assert!(html.contains("Чек &amp; &lt;b&gt;возврат&lt;/b&gt;"), "the title should be escaped too");
    assert!(html.contains("<svg") && html.contains("class=\"qr-code\""), "the QR should be inline SVG");
    assert!(html.contains("@page { size: 80.0mm"), "the page should be sized for the 80 mm roll");
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<meta charset=\"utf-8\">"), "a standalone page");
}
