//! The demo's claims (претензии) at the first point: three more orders already issued, and a claim
//! in every state a counter meets and on every return route: approved with a refund and with a
//! replacement through a pickup point (each with a claim return code to scan), rejected, revoked
//! after approval (its code shows the refusal), a missing part (a new order of the part, in the
//! point's feed), and, on an order paid 20 days ago (so its seller decides), a refund with the item
//! sent to the seller directly (no code: a point must not take it) and a partial refund with the
//! item staying with the buyer (paid at once); and one left for its seller to decide, with the
//! counter's photo of the item and the buyer's photos (the seller page's claim to open).

use super::photos::{self, Scene};
use super::{bad, item, order};
use crate::admin::{Admin, CounterPhoto};
use crate::db::orders::NewOrder;
use crate::error::Result;
use pvz_domain::{Compensation, Kopecks};
use pvz_protocol::evidence::EvidenceKind;
use pvz_protocol::{ClaimActionRequest, SellerAddress, SellerDecision};
use serde::Serialize;

/// One demo claim as it stands.
#[derive(Debug, Clone, Serialize)]
pub struct DemoClaim {
    pub case: String,
    pub claim_id: String,
    pub order_id: String,
    pub item_id: String,
    pub item_name: String,
    pub state: String,
    /// `operator` (within 14 days of payment) or `seller`.
    pub decided_by: String,
    /// `under_review`, `approved`, `rejected`, `disputed` or `revoked`.
    pub decision: String,
    /// `with_buyer`, `to_pickup_point`, `to_seller`, `at_pickup_point` or `at_seller`.
    pub item_fate: String,
    /// `pickup_point`, `seller` or `no_return`; `None` until approved.
    pub route: Option<String>,
    /// Where the buyer sends the item on the route to the seller.
    pub seller_address: Option<String>,
    /// `refund`, `replacement` or `missing_part`; `None` when not approved.
    pub compensation: Option<String>,
    /// The refund in kopecks (0 unless a refund).
    pub amount: i64,
    /// The claim return code (`PVZC2.`) to scan at a counter, for a refund or a replacement.
    pub return_code: Option<String>,
    /// The missing part's delivery, for a missing part.
    pub part_order_id: Option<String>,
    /// The label code of the shipment the part comes in: receive it at the counter to issue the part.
    pub part_shipment_code: Option<String>,
    /// The part's own label, scanned at receiving to place it in a cell.
    pub part_barcode: Option<String>,
}

/// Issued orders whose items the demo claims are about (beside ord-1005 of the protocol demo).
pub fn claimed_orders() -> Result<Vec<NewOrder>> {
    Ok(vec![
        order(
            "ord-1006",
            "318406",
            "buyer-ord-1006",
            "Ксения Белова",
            vec![
                item_with_barcode("itm-1006-1", "Куртка зимняя", "L, чёрная", 459_000, "4607000000014")?,
                item_with_barcode("itm-1006-2", "Шапка вязаная", "серая", 129_000, "4607000000021")?,
            ],
        )?,
        order(
            "ord-1007",
            "527719",
            "buyer-ord-1007",
            "Дмитрий Волков",
            vec![
                item_with_barcode("itm-1007-1", "Пальто шерстяное", "48, бежевое", 1_290_000, "4607000000038")?,
                item_with_barcode("itm-1007-2", "Платок шёлковый", "синий", 249_000, "4607000000106")?,
            ],
        )?,
        order(
            PAID_LONG_AGO,
            "640385",
            "buyer-ord-1008",
            "Марина Зайцева",
            vec![
                item_with_barcode("itm-1008-1", "Кроссовки беговые", "40, белые", 689_000, "4607000000151")?,
                item_with_barcode("itm-1008-2", "Термокружка", "0,5 л", 159_000, "4607000000168")?,
                item_with_barcode("itm-1008-3", "Джинсы прямые", "32/34, синие", 399_000, "4607000000175")?,
            ],
        )?,
    ])
}

/// The order paid online 20 days before the demo was seeded: its claims are past the 14-day line.
pub const PAID_LONG_AGO: &str = "ord-1008";

/// Records the old payment of [`PAID_LONG_AGO`]; call it before the claims are opened.
pub fn backdate_payment(admin: &Admin) -> Result<()> {
    let paid = chrono::Utc::now() - chrono::Duration::days(20);
    admin.set_order_paid_at(PAID_LONG_AGO, &paid.to_rfc3339())
}

fn item_with_barcode(
    id: &str,
    name: &str,
    variant: &str,
    price: i64,
    barcode: &str,
) -> Result<crate::db::orders::NewItem> {
    let mut item = item(id, name, variant, "A-14", price, true, "clothes")?;
    item.barcode = Some(barcode.to_owned());
    Ok(item)
}

/// (claim id, case, order, item, buyer's description)
const CLAIMS: [(&str, &str, &str, &str, &str); 8] = [
    ("clm-demo-refund", "approved: full refund", "ord-1006", "itm-1006-1", "Сломалась молния через месяц"),
    ("clm-demo-replacement", "approved: replacement", "ord-1006", "itm-1006-2", "Распустилась вязка на макушке"),
    ("clm-demo-rejected", "rejected by the seller", "ord-1005", "itm-1005-1", "Полинял после стирки"),
    ("clm-demo-revoked", "approved, then revoked (its code is refused)", "ord-1007", "itm-1007-2", "Затяжки на ткани"),
    ("clm-demo-part", "approved: missing part (no item back)", "ord-1007", "itm-1007-1", "Оторвалась пуговица"),
    (
        "clm-demo-to-seller",
        "approved by the seller: refund once the seller receives the item (a point must not take it)",
        PAID_LONG_AGO,
        "itm-1008-1",
        "Отклеилась подошва",
    ),
    (
        "clm-demo-no-return",
        "approved by the seller: partial refund paid at once, the item stays with the buyer",
        PAID_LONG_AGO,
        "itm-1008-2",
        "Крышка протекает",
    ),
    (
        PHOTOS_CLAIM,
        "under review by its seller, with the counter's photo and the buyer's: open it on the seller page",
        PAID_LONG_AGO,
        "itm-1008-3",
        "Пятно на правой штанине, не отстирывается",
    ),
];

/// The claim the seller page opens with photos: left for its seller (`seller-modnitsa`) to decide.
pub const PHOTOS_CLAIM: &str = "clm-demo-photos";

/// Opens and decides the demo claims; the orders must be issued already.
pub fn seed(admin: &Admin) -> Result<()> {
    for (id, _, order, item, description) in CLAIMS {
        admin.open_claim_as(id, order, item, description)?;
    }
    let approve = |compensation| SellerDecision::Approve { compensation };
    admin.decide_claim("clm-demo-refund", &approve(Compensation::Refund { amount: Kopecks(459_000) }))?;
    admin.decide_claim("clm-demo-replacement", &approve(Compensation::Replacement))?;
    admin.decide_claim(
        "clm-demo-rejected",
        &SellerDecision::Reject { reason: "Следы носки, не заводской брак".into() },
    )?;
    admin.decide_claim("clm-demo-revoked", &approve(Compensation::Refund { amount: Kopecks(100_000) }))?;
    admin.revoke_claim("clm-demo-revoked", "Покупатель отозвал претензию")?;
    admin.decide_claim(
        "clm-demo-part",
        &approve(Compensation::MissingPart { part: "Пуговица 25 мм, бежевая".into() }),
    )?;
    // The seller's own decisions on the order past the 14-day line (the admin stands in for it).
    admin.act_on_claim(
        "clm-demo-to-seller",
        &ClaimActionRequest::ApproveToSeller {
            compensation: Compensation::Refund { amount: Kopecks(689_000) },
            seller_address: SellerAddress {
                address: "Москва, ул. Складская, 5, склад «Бегун»".into(),
                hours: "пн–пт 10:00–19:00".into(),
            },
        },
    )?;
    admin.act_on_claim(
        "clm-demo-no-return",
        &ClaimActionRequest::ApproveWithoutReturn { compensation: Compensation::Refund { amount: Kopecks(50_000) } },
    )?;
    seed_photos(admin)
}

/// The photos of [`PHOTOS_CLAIM`]: the counter photographed the stain when the jeans were issued
/// (the buyer took them all the same), and the buyer sent the stain close up and the label.
fn seed_photos(admin: &Admin) -> Result<()> {
    // Taken when the order was issued, so the claim page's photo and its «issued» event agree.
    let issued = match admin.order_issued_at(PAID_LONG_AGO)? {
        Some(at) => at,
        None => (chrono::Utc::now() - chrono::Duration::days(20)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    };
    let op_id = uuid::Uuid::now_v7().to_string();
    let counter = CounterPhoto {
        pickup_point_id: pvz_protocol::demo::PICKUP_POINT,
        order_id: PAID_LONG_AGO,
        item_id: "itm-1008-3",
        kind: EvidenceKind::DefectRefusal,
        op_id: &op_id,
        taken_at: &issued,
    };
    admin.record_counter_photo(&counter, photos::png(Scene::JeansOnCounter)?)?;
    let buyer = vec![photos::png(Scene::StainCloseUp)?, photos::png(Scene::Label)?];
    admin.post_buyer_photos(PHOTOS_CLAIM, "demo-front", "Вот пятно крупно и бирка", buyer)
}

/// The demo claims as they stand now (a later run reports their current state).
pub fn report(admin: &Admin) -> Result<Vec<DemoClaim>> {
    CLAIMS
        .iter()
        .map(|(id, case, ..)| {
            let claim = admin.claim_status(id).map_err(bad)?;
            let part_shipment = match &claim.part_order_id {
                Some(part) => {
                    let item = admin.item(claim.item_id.as_str())?.ok_or_else(|| bad("a claimed item is missing"))?;
                    let shipments = admin.shipments(item.pickup_point_id.as_str())?;
                    shipments.into_iter().find(|s| s.items.iter().any(|i| &i.order_id == part))
                }
                None => None,
            };
            let part_barcode = match part_shipment.as_ref().and_then(|s| s.items.first()) {
                Some(line) => admin.item(line.item_id.as_str())?.and_then(|row| row.item.barcode),
                None => None,
            };
            let part_shipment_code = part_shipment.map(|s| s.code);
            Ok(DemoClaim {
                case: (*case).to_owned(),
                claim_id: claim.claim_id.to_string(),
                order_id: claim.order_id.to_string(),
                item_id: claim.item_id.to_string(),
                item_name: claim.item_name,
                state: claim.state.as_str().to_owned(),
                decided_by: claim.decided_by.as_str().to_owned(),
                decision: claim.decision.as_str().to_owned(),
                item_fate: claim.item_fate.as_str().to_owned(),
                route: claim.route.map(|r| r.as_str().to_owned()),
                seller_address: claim.seller_address.map(|a| format!("{} ({})", a.address, a.hours)),
                compensation: claim.compensation.as_ref().map(|c| c.kind().as_str().to_owned()),
                amount: claim.compensation.as_ref().map_or(0, |c| c.refund_amount().0),
                return_code: claim.return_code,
                part_order_id: claim.part_order_id.map(|o| o.to_string()),
                part_shipment_code,
                part_barcode,
            })
        })
        .collect()
}
