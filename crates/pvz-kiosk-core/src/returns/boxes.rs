//! Отправка возвратов: the returns desk. Returned units waiting at the point are packed into a box
//! (by item code or return label), the box is closed with its count (`ReturnBoxClosed`, label
//! `PVZB1:<box>:<n>`), and the closed boxes are handed to a logistics driver identified by badge
//! (`BoxesHandedOver`, with the act on screen).

use crate::codes::qr::qr_svg_data_uri;
use crate::codes::{item_lookup_key, waiting_unit_by_code};
use crate::desk::ensure_no_hand_back;
use crate::error::{BadgeRefusal, KioskError, Result};
use crate::kiosk::{parse_return_id, timestamp};
use crate::staff::badge::working_employee;
use crate::store::box_handovers::{self, BoxHandoverRow};
use crate::store::return_boxes::{self, ReturnBoxRow};
use crate::store::return_items::{self, ReturnItemRow};
use crate::store::Db;
use crate::store::{employees, outbox, settings, CounterState};
use crate::view::returns::{BoxView, HandoverActView, ReturnItemView, ReturnsView, StaffView};
use crate::view::{CounterView, ScanNotice};
use crate::Kiosk;
use chrono::{DateTime, Utc};
use pvz_domain::scan::BOX_LABEL_PREFIX;
use pvz_domain::{EmployeeId, ReturnBoxId, ReturnId, Scan};
use pvz_protocol::{BoxedItem, EmployeeRole, EmployeeWire, OpBody};
use uuid::Uuid;

/// `PVZB1:<box id>:<item count>`: what a closed box's label encodes.
pub fn box_label_qr_text(box_id: &ReturnBoxId, items: u32) -> String {
    format!("{BOX_LABEL_PREFIX}{box_id}:{items}")
}

/// A driver's badge: the closed boxes waiting can be handed to them; the returns desk opens.
pub(crate) fn identify_driver(conn: &Db<'_>, state: &CounterState, driver: &EmployeeWire) -> Result<ScanNotice> {
    if return_boxes::list_boxes_awaiting_handover(conn)?.is_empty() {
        return Err(KioskError::NoBoxesToHandOver);
    }
    let mut next = desk_state(state);
    next.driver = Some(driver.employee_id.clone());
    next.driver_badge_serial = Some(driver.badge_serial);
    settings::set_counter_state(conn, &next)?;
    Ok(ScanNotice::DriverIdentified { driver_id: driver.employee_id.to_string(), driver_name: driver.name.clone() })
}

/// The returns desk on screen: kept as it is when already open, else the other work leaves the screen.
fn desk_state(state: &CounterState) -> CounterState {
    if state.returns_open {
        return state.clone();
    }
    CounterState { returns_open: true, ..CounterState::default() }
}

fn open_box(conn: &Db<'_>) -> Result<ReturnBoxRow> {
    return_boxes::get_open_return_box(conn)?.ok_or(KioskError::NoOpenBox)
}

fn pack(conn: &Db<'_>, unit: &ReturnItemRow, now: DateTime<Utc>) -> Result<ScanNotice> {
    let open = open_box(conn)?;
    return_items::put_return_item_in_box(conn, &unit.return_id, &open.box_id, &timestamp(now))?;
    Ok(ScanNotice::BoxItemAdded { return_id: unit.return_id.to_string() })
}

/// An item code at the desk: the oldest waiting unit carrying it goes into the open box.
pub(crate) fn scan_into_box(conn: &Db<'_>, scan: &Scan, now: DateTime<Utc>) -> Result<ScanNotice> {
    open_box(conn)?;
    let code = item_lookup_key(scan).ok_or(KioskError::NoOpenBox)?;
    let unit = waiting_unit_by_code(conn, &code)?.ok_or_else(|| KioskError::NotAmongWaitingReturns {
        why: format!("no returned item waiting to be boxed carries the code {}", code.code),
    })?;
    pack(conn, &unit, now)
}

/// A return label at the desk: its unit goes into the open box.
pub(crate) fn add_label_to_box(conn: &Db<'_>, return_id: &ReturnId, now: DateTime<Utc>) -> Result<ScanNotice> {
    open_box(conn)?;
    let unit = return_items::get_return_item(conn, return_id)?.ok_or_else(|| KioskError::NotAmongWaitingReturns {
        why: format!("no returned item {return_id} was received at this point"),
    })?;
    if let Some(box_id) = &unit.box_id {
        return Err(KioskError::NotAmongWaitingReturns { why: format!("it is already packed in box {box_id}") });
    }
    pack(conn, &unit, now)
}

impl Kiosk {
    /// Opens the returns desk: waiting returns, the open box, closed boxes.
    pub fn open_returns(&self) -> Result<CounterView> {
        self.store.with_tx::<_, KioskError>(|tx| {
            let state = settings::get_counter_state(tx)?;
            ensure_no_hand_back(&state)?;
            Ok(settings::set_counter_state(tx, &desk_state(&state))?)
        })?;
        self.view()
    }

    /// Leaves the returns desk; an open box stays open for next time.
    pub fn close_returns(&self) -> Result<CounterView> {
        self.update_counter_state(|s| {
            s.returns_open = false;
            s.driver = None;
        })
    }

    /// Starts a new box at the desk (one box is filled at a time).
    pub fn create_box(&self) -> Result<CounterView> {
        let at = timestamp(self.now());
        self.counter_tx(|tx| {
            let state = settings::get_counter_state(tx)?;
            ensure_no_hand_back(&state)?;
            if return_boxes::get_open_return_box(tx)?.is_some() {
                return Err(KioskError::BoxAlreadyOpen);
            }
            let box_id = ReturnBoxId::parse(&Uuid::now_v7().to_string())
                .map_err(|e| KioskError::Internal(format!("a new box id: {e}")))?;
            return_boxes::insert_return_box(tx, &box_id, &at)?;
            Ok(settings::set_counter_state(tx, &desk_state(&state))?)
        })?;
        self.view()
    }

    /// Puts a waiting unit into the open box by its id, as scanning its return label does: the desk's
    /// button for a unit with nothing to scan (its item has no barcode, its label is not printed).
    pub fn add_to_box(&self, return_id: &str) -> Result<CounterView> {
        let return_id = parse_return_id(return_id)?;
        let now = self.now();
        self.counter_tx(|tx| {
            ensure_no_hand_back(&settings::get_counter_state(tx)?)?;
            add_label_to_box(tx, &return_id, now)
        })?;
        self.view()
    }

    /// Takes a unit out of the open box, back to the waiting returns.
    pub fn remove_from_box(&self, return_id: &str) -> Result<CounterView> {
        let return_id = parse_return_id(return_id)?;
        self.counter_tx(|tx| {
            let open = open_box(tx)?;
            if !return_items::take_return_item_out_of_box(tx, &return_id, &open.box_id)? {
                return Err(KioskError::InvalidInput(format!("item {return_id} is not in the open box")));
            }
            Ok(())
        })?;
        self.view()
    }

    /// Closes the open box with exactly the units in it; its label can be printed.
    pub fn close_box(&self) -> Result<CounterView> {
        let at = timestamp(self.now());
        self.counter_tx(|tx| {
            let open = open_box(tx)?;
            let units = return_items::list_box_items(tx, &open.box_id)?;
            if units.is_empty() {
                return Err(KioskError::EmptyBox);
            }
            let items = units
                .iter()
                .map(|u| BoxedItem { return_id: u.return_id.clone(), item_id: u.item_id.clone(), source: u.source })
                .collect();
            let op = outbox::append_op(tx, &OpBody::ReturnBoxClosed { box_id: open.box_id.clone(), items }, &at)?;
            let count = u32::try_from(units.len()).unwrap_or(u32::MAX);
            Ok(return_boxes::mark_return_box_closed(tx, &open.box_id, count, &op.op_id.to_string(), &at)?)
        })?;
        self.view()
    }

    /// Hands every closed box not handed yet to the driver `driver_id`, who must be the driver whose
    /// badge was scanned at the desk: the act and the custody log name who physically took them.
    pub fn hand_over_boxes(&self, driver_id: &str) -> Result<CounterView> {
        let driver_id = EmployeeId::parse(driver_id).map_err(|e| KioskError::InvalidInput(e.to_string()))?;
        let at = timestamp(self.now());
        self.counter_tx(|tx| {
            let state = settings::get_counter_state(tx)?;
            ensure_no_hand_back(&state)?;
            if state.driver.as_ref() != Some(&driver_id) {
                return Err(KioskError::DriverNotIdentified);
            }
            let driver = working_employee(tx, &driver_id)?;
            if driver.role != EmployeeRole::Driver {
                return Err(KioskError::WrongRole { expected: "driver".into() });
            }
            // The badge shown at the desk may have been revoked since (a pull brought a newer one).
            if state.driver_badge_serial != Some(driver.badge_serial) {
                return Err(KioskError::UnknownBadge {
                    refusal: BadgeRefusal::Replaced,
                    why: format!(
                        "the badge that identified {driver_id} was replaced since by badge no. {}: scan the current one",
                        driver.badge_serial
                    ),
                });
            }
            let boxes = return_boxes::list_boxes_awaiting_handover(tx)?;
            if boxes.is_empty() {
                return Err(KioskError::NoBoxesToHandOver);
            }
            let handover_id = Uuid::now_v7().to_string();
            let body = OpBody::BoxesHandedOver {
                handover_id: handover_id.clone(),
                driver_id: driver_id.clone(),
                box_ids: boxes.iter().map(|b| b.box_id.clone()).collect(),
            };
            let op = outbox::append_op(tx, &body, &at)?;
            box_handovers::insert_box_handover(
                tx,
                &BoxHandoverRow {
                    handover_id: handover_id.clone(),
                    driver_id,
                    driver_name: driver.name,
                    handed_at: at.clone(),
                    op_id: op.op_id.to_string(),
                },
            )?;
            for b in &boxes {
                return_boxes::set_return_box_handed_over(tx, &b.box_id, &handover_id)?;
            }
            let mut next = desk_state(&state);
            next.driver = None;
            next.handover_act = Some(handover_id);
            Ok(settings::set_counter_state(tx, &next)?)
        })?;
        self.view()
    }

    pub fn dismiss_handover_act(&self) -> Result<CounterView> {
        self.update_counter_state(|s| s.handover_act = None)
    }
}

fn item_view(unit: ReturnItemRow) -> ReturnItemView {
    ReturnItemView {
        return_id: unit.return_id.to_string(),
        item_name: unit.item_name,
        code: unit.barcode.or(unit.mark),
        source: unit.source,
        reason: unit.reason,
        received_at: unit.received_at,
    }
}

pub(crate) fn box_view(conn: &Db<'_>, row: ReturnBoxRow) -> Result<BoxView> {
    let items: Vec<ReturnItemView> =
        return_items::list_box_items(conn, &row.box_id)?.into_iter().map(item_view).collect();
    let label = row.item_count.filter(|_| row.closed_at.is_some()).map(|n| box_label_qr_text(&row.box_id, n));
    Ok(BoxView {
        box_id: row.box_id.to_string(),
        items,
        closed_at: row.closed_at,
        label_qr_data_uri: label.as_deref().map(qr_svg_data_uri),
        label_qr_text: label,
    })
}

/// The returns desk as the window shows it.
pub(crate) fn returns_view(conn: &Db<'_>, state: &CounterState) -> Result<ReturnsView> {
    let driver = match &state.driver {
        Some(id) => employees::get_employee(conn, id)?
            .map(|e| StaffView { employee_id: e.employee_id.to_string(), name: e.name }),
        None => None,
    };
    Ok(ReturnsView {
        waiting: return_items::list_waiting_return_items(conn)?.into_iter().map(item_view).collect(),
        open_box: return_boxes::get_open_return_box(conn)?.map(|b| box_view(conn, b)).transpose()?,
        closed_boxes: return_boxes::list_boxes_awaiting_handover(conn)?
            .into_iter()
            .map(|b| box_view(conn, b))
            .collect::<Result<_>>()?,
        driver,
    })
}

/// The act of a handover (акт передачи).
pub(crate) fn handover_act_view(conn: &Db<'_>, handover_id: &str) -> Result<Option<HandoverActView>> {
    let Some(handover) = box_handovers::get_box_handover(conn, handover_id)? else { return Ok(None) };
    let boxes = return_boxes::list_boxes_of_handover(conn, handover_id)?
        .into_iter()
        .map(|b| box_view(conn, b))
        .collect::<Result<Vec<_>>>()?;
    let items = boxes.iter().map(|b| b.items.len()).sum::<usize>();
    Ok(Some(HandoverActView {
        handover_id: handover.handover_id,
        driver_id: handover.driver_id.to_string(),
        driver_name: handover.driver_name,
        handed_at: handover.handed_at,
        items: u32::try_from(items).unwrap_or(u32::MAX),
        boxes,
    }))
}
