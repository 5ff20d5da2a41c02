//! Shared by the integration tests: sample counter documents and the independent tools (zbarimg,
//! poppler) that read back what the renderers made.

use pvz_print::{Document, Paper, QrBlock, Table};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A claim return code as the return label carries it.
pub const RETURN_PAYLOAD: &str = "PVZRET1:0192d4c8-7b3e-7c1a-9f2e-5d6c7b8a9e0f";

/// A signed return-box label: the longest payload the counter prints.
pub fn box_payload() -> String {
    "PVZBOX1.eyJib3giOiIwMTkyZDRjOC03YjNlLTdjMWEtOWYyZS01ZDZjN2I4YTllMGYiLCJwcCI6InBwLW1zay0wMDQyIiwi\
     aXRlbXMiOjEyLCJzZWFsZWQiOiIyMDI2LTExLTI2VDE0OjA1OjAwWiJ9.\
     Kx3vQm9Rz2LwT8yN4pJc6dFh1sA7gE5uB0oI3kW2nV9mXqZtYrPeHjGfDcSbUaOiLkMwNvQxRyTzAs1Bd2Ce3Df4Eg5Fh6Gi7H"
        .to_string()
}

/// A realistic document of `paper` carrying `payload` as its QR code, with every part filled.
pub fn sample(paper: Paper, payload: &str) -> Document {
    let mut doc = Document::new(paper, title_of(paper));
    doc.subtitle = Some("ПВЗ pp-msk-0042 · 26.11.2026 14:05".into());
    doc.fields = vec![
        ("Курьер".into(), "Иван Петров".into()),
        ("Рейс".into(), "MSK-0042-2611-A".into()),
        ("Причина".into(), "Брак: оторвана пуговица на левом рукаве, пятно на спинке".into()),
    ];
    doc.table = Some(Table {
        headers: vec!["№".into(), "Товар".into(), "Причина".into()],
        rows: vec![
            vec!["1".into(), "Рубашка льняная, размер 48".into(), "брак".into()],
            vec!["2".into(), "Кроссовки беговые, 42".into(), "не подошёл размер".into()],
        ],
    });
    doc.notes = vec!["Расхождение с манифестом курьера: позиция 3 не передана.".into()];
    doc.qr = Some(QrBlock { payload: payload.to_string(), caption: Some("Возврат R-000417".into()) });
    doc.signatures = vec!["Менеджер: Анна К. ________".into(), "Курьер: ________".into()];
    doc
}

pub fn title_of(paper: Paper) -> &'static str {
    match paper {
        Paper::Receipt80mm => "Чек выдачи заказа",
        Paper::Label58x60mm => "Возврат продавцу",
        Paper::A4 => "Акт приёма отказов от курьера",
    }
}

pub const PAPERS: [Paper; 3] = [Paper::Receipt80mm, Paper::Label58x60mm, Paper::A4];

/// The path of a command the tests need, or a failure saying which Debian package brings it.
pub fn tool(name: &str, package: &str) -> PathBuf {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/usr/bin")])
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
        .unwrap_or_else(|| panic!("`{name}` is missing: install Debian's {package} (scripts/setup.sh does)"))
}

/// Where a test writes its files: `PVZ_PRINT_TEST_OUT` keeps them for a person to look at.
pub fn out_dir() -> (Option<tempfile::TempDir>, PathBuf) {
    match std::env::var_os("PVZ_PRINT_TEST_OUT") {
        Some(dir) => {
            std::fs::create_dir_all(&dir).expect("the PVZ_PRINT_TEST_OUT folder can be made");
            (None, PathBuf::from(dir))
        }
        None => {
            let dir = tempfile::tempdir().expect("a temp dir can be made");
            let path = dir.path().to_path_buf();
            (Some(dir), path)
        }
    }
}

/// Every QR code zbarimg finds in the image, one string each.
pub fn zbar_decode(png: &Path) -> Vec<String> {
    let output = Command::new(tool("zbarimg", "zbar-tools"))
        .args(["--raw", "-q", "-Sdisable", "-Sqrcode.enable"])
        .arg(png)
        .output()
        .expect("zbarimg runs");
    // Exit status 4 means it found no code: an empty list, for the caller's assertion to explain.
    String::from_utf8_lossy(&output.stdout).lines().filter(|l| !l.is_empty()).map(str::to_string).collect()
}
