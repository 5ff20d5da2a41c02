//! The counter's papers as printable documents: each view the window shows (receipt, return label,
//! hand-back act, box label, handover act) laid out as one `pvz_print::Document`, in Russian, with
//! the QR the counter or logistics scans back. Pure: the views come in, documents go out.

use crate::view::returns::{BoxView, HandBackActView, HandoverActView, ReturnLabelView};
use crate::view::{ItemView, ReceiptView};
use chrono::{DateTime, Local};
use pvz_domain::{CompensationKind, RefusalReason};
use pvz_print::{Document, Paper, QrBlock, Table};
use pvz_protocol::{ItemDecision, ReturnSource};

/// `26.11.2026 13:00` in the kiosk's local time; the text itself if it is not RFC 3339.
pub(crate) fn local_time(rfc3339: &str) -> String {
    DateTime::parse_from_rfc3339(rfc3339)
        .map(|at| at.with_timezone(&Local).format("%d.%m.%Y %H:%M").to_string())
        .unwrap_or_else(|_| rfc3339.to_owned())
}

/// The last 8 characters of a long id: what people read off a paper and type in support chats.
fn short_id(id: &str) -> String {
    let tail: String = id.chars().rev().take(8).collect::<Vec<_>>().into_iter().rev().collect();
    tail.to_uppercase()
}

pub(crate) fn reason_ru(reason: RefusalReason) -> &'static str {
    match reason {
        RefusalReason::Defect => "брак",
        RefusalReason::DidNotFit => "не подошёл",
        RefusalReason::ChangedMind => "передумал",
        RefusalReason::WrongItem => "не тот товар",
        RefusalReason::Incomplete => "некомплект",
    }
}

fn source_ru(source: ReturnSource) -> &'static str {
    match source {
        ReturnSource::CounterRefusal => "отказ при выдаче",
        ReturnSource::Claim => "возврат по претензии",
        ReturnSource::Courier => "отказ от курьера",
        ReturnSource::Unredeemed => "не востребован",
    }
}

fn compensation_ru(kind: CompensationKind) -> &'static str {
    match kind {
        CompensationKind::Refund => "возврат денег",
        CompensationKind::Replacement => "замена товара",
        CompensationKind::MissingPart => "доставка недостающей части",
    }
}

fn subtitle(point: &str, at: &str) -> Option<String> {
    Some(format!("{point} · {}", local_time(at)))
}

fn item_line(item: &ItemView) -> Vec<String> {
    let name = if item.variant.is_empty() { item.name.clone() } else { format!("{}, {}", item.name, item.variant) };
    let outcome = match &item.decision {
        Some(ItemDecision::Refuse { reason, .. }) => {
            format!("отказ: {}, сбор {}", reason_ru(*reason), item.fee.unwrap_or_default())
        }
        Some(ItemDecision::NotArrived) => "не поступил на пункт, не выдан".to_owned(),
        _ => "выдан".to_owned(),
    };
    vec![name, item.price.to_string(), outcome]
}

/// Квитанция о выдаче: what was handed over, refused or never arrived, what was taken and returned.
pub(crate) fn receipt(point: &str, r: &ReceiptView, qr_text: String) -> Document {
    let mut doc = Document::new(Paper::Receipt80mm, "Квитанция о выдаче заказа");
    doc.subtitle = subtitle(point, &r.issued_at);
    doc.fields = vec![
        ("Заказ".into(), r.short_code.clone()),
        ("Получено".into(), r.collected.to_string()),
        ("К возврату".into(), r.refunded.to_string()),
    ];
    let rows = r.handed_over.iter().chain(&r.refused).chain(&r.not_arrived).map(item_line).collect();
    doc.table = Some(Table { headers: vec!["Товар".into(), "Цена".into(), "Итог".into()], rows });
    doc.qr = Some(QrBlock { payload: qr_text, caption: Some(format!("Операция {}", short_id(&r.op_id))) });
    doc
}

/// Этикетка возврата: stuck on a returned unit; its QR is the unit's return label.
pub(crate) fn return_label(point: &str, l: &ReturnLabelView) -> Document {
    let mut doc = Document::new(Paper::Label58x60mm, "Возврат");
    doc.subtitle = subtitle(point, &l.accepted_at);
    // A unit taken back offline on a compact claim code of an order this point never had has no name.
    let item =
        if l.item_name.is_empty() { "без названия (см. QR)".to_owned() } else { l.item_name.clone() };
    doc.fields = vec![("Товар".into(), item), ("Основание".into(), source_ru(l.source).into())];
    if let Some(kind) = l.compensation {
        doc.fields.push(("Компенсация".into(), compensation_ru(kind).into()));
        if !l.amount.is_zero() {
            doc.fields.push(("Сумма".into(), l.amount.to_string()));
        }
    }
    doc.qr = Some(QrBlock {
        payload: l.qr_text.clone(), caption: Some(format!("Возврат {}", short_id(&l.return_id)))
    });
    doc
}

/// A fee the counter could not know (an item off the manifest): the server charges its own.
const FEE_SET_BY_SERVER: &str = "устанавливает сервер";

/// Акт приёма отказов от курьера, signed by both parties.
pub(crate) fn hand_back_act(point: &str, a: &HandBackActView) -> Document {
    let mut doc = Document::new(Paper::A4, "Акт приёма отказов от курьера");
    doc.subtitle = subtitle(point, &a.completed_at);
    doc.fields = vec![
        ("Акт".into(), short_id(&a.hand_back_id)),
        ("Курьер".into(), a.courier_name.clone()),
        ("Принял".into(), a.accepted_by.clone()),
        ("Принято предметов".into(), a.accepted.len().to_string()),
        ("Сборы за обратную доставку".into(), a.fees.to_string()),
    ];
    let rows = a
        .accepted
        .iter()
        .enumerate()
        .map(|(n, line)| {
            let scan = line.scanned.as_ref();
            let reason = scan.and_then(|s| s.reason).map(reason_ru).unwrap_or_default();
            let mut reason = reason.to_owned();
            if let Some(description) = scan.and_then(|s| s.description.as_deref()) {
                reason = format!("{reason}: {description}");
            }
            let code = scan.map(|s| s.code.clone()).unwrap_or_default();
            // An extra no cached order knew is named by its code, which has its own column.
            let name = match (&line.item_id, line.name == code) {
                (Some(_), _) => line.name.clone(),
                (None, true) => "товар не из манифеста".to_owned(),
                (None, false) => format!("{} (нет в манифесте)", line.name),
            };
            let fee = match scan {
                Some(s) if s.fee_set_by_server => FEE_SET_BY_SERVER.to_owned(),
                Some(s) => s.fee.to_string(),
                None => String::new(),
            };
            vec![(n + 1).to_string(), name, code, reason, fee]
        })
        .collect();
    doc.table = Some(Table {
        headers: ["№", "Товар", "Код", "Причина", "Сбор"].map(String::from).to_vec(), rows
    });
    if !a.missing.is_empty() {
        doc.notes.push(format!("По манифесту, но не передано курьером: {}.", a.missing.join("; ")));
    }
    if a.extra > 0 {
        doc.notes.push(format!("Передано сверх манифеста: {} шт.", a.extra));
    }
    if a.accepted.iter().any(|l| l.scanned.as_ref().is_some_and(|s| s.fee_set_by_server)) {
        doc.notes.push(format!(
            "Сбор за товар не из манифеста {FEE_SET_BY_SERVER} при синхронизации (за лишний товар сбора нет); \
             в итог акта он не входит."
        ));
    }
    doc.signatures = vec![
        format!("Сдал (курьер): {} ________", a.courier_name),
        format!("Принял (ПВЗ): {} ________", a.accepted_by),
    ];
    doc
}

/// Этикетка коробки возвратов: its QR is `PVZB1:<box>:<count>`. `None` for a box still open.
pub(crate) fn box_label(point: &str, b: &BoxView) -> Option<Document> {
    let (payload, closed_at) = (b.label_qr_text.clone()?, b.closed_at.as_deref()?);
    let mut doc = Document::new(Paper::Label58x60mm, "Коробка возвратов");
    doc.subtitle = subtitle(point, closed_at);
    doc.fields = vec![("Коробка".into(), short_id(&b.box_id)), ("Предметов".into(), b.items.len().to_string())];
    doc.qr = Some(QrBlock { payload, caption: Some(format!("Коробка {}", short_id(&b.box_id))) });
    Some(doc)
}

/// Акт передачи возвратов водителю.
pub(crate) fn handover_act(point: &str, a: &HandoverActView) -> Document {
    let mut doc = Document::new(Paper::A4, "Акт передачи возвратов");
    doc.subtitle = subtitle(point, &a.handed_at);
    doc.fields = vec![
        ("Акт".into(), short_id(&a.handover_id)),
        ("Водитель".into(), a.driver_name.clone()),
        ("Коробок".into(), a.boxes.len().to_string()),
        ("Предметов".into(), a.items.to_string()),
    ];
    let rows = a
        .boxes
        .iter()
        .enumerate()
        .map(|(n, b)| {
            vec![
                (n + 1).to_string(),
                short_id(&b.box_id),
                b.items.len().to_string(),
                b.closed_at.as_deref().map(local_time).unwrap_or_default(),
            ]
        })
        .collect();
    doc.table = Some(Table {
        headers: ["№", "Коробка", "Предметов", "Закрыта"].map(String::from).to_vec(), rows
    });
    doc.signatures = vec!["Сдал (ПВЗ): ________".into(), format!("Принял (водитель): {} ________", a.driver_name)];
    doc
}
