// Builders for backend views used by the component tests, and a fake `invoke` routed by command.
import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import { expect } from "vitest";
import type { Mock } from "vitest";
import type {
  BoxView,
  ClaimReturnView,
  CounterView,
  ExpiredItemView,
  ExpiryView,
  FoundItemView,
  HandBackActView,
  HandBackLineView,
  HandBackScanView,
  HandBackView,
  HandoverActView,
  ItemEventView,
  ItemHistoryView,
  ItemView,
  KioskError,
  OrderView,
  ReceivingItemView,
  ReceivingView,
  ReturnItemView,
  ReturnLabelView,
  ReturnsView,
  SessionView,
  SettlementView,
  ShiftReport,
  ShiftReportView,
} from "../bindings";

export function makeItem(overrides: Partial<ItemView> & Pick<ItemView, "item_id">): ItemView {
  return {
    name: "Платье летнее",
    variant: "44, синее",
    cell: "A-12",
    price: 249_000,
    prepaid: false,
    category: "clothes",
    barcode: null,
    decision: null,
    fee: null,
    fee_rule: null,
    photos: 0,
    missing_at_receiving: false,
    ...overrides,
  };
}

export function makeSettlement(overrides: Partial<SettlementView> = {}): SettlementView {
  return { to_collect: 0, to_refund: 0, goods_to_collect: 0, fees: 0, undecided: 0, ...overrides };
}

export function makeOrder(items: ItemView[], settlement: Partial<SettlementView> = {}): OrderView {
  return {
    order_id: "ord-1",
    short_code: "7K4Q-2M9",
    buyer: "Анна К.",
    status: "ready",
    issued_at: null,
    items,
    settlement: makeSettlement({
      undecided: items.filter((item) => item.decision === null).length,
      ...settlement,
    }),
  };
}

export function makeView(overrides: Partial<CounterView> = {}): CounterView {
  return {
    status: { enrolled: true, pickup_point: "ПВЗ Лесная, 5", device_id: "dev-1", ops_waiting: 3 },
    screen: { kind: "home" },
    recent: [],
    receiving: null,
    overdue_items: 0,
    session: makeSession(),
    shift_report: null,
    ...overrides,
  };
}

/** A counter that needs no login (no manager with a PIN known), as the demo seed makes it. */
export function makeSession(overrides: Partial<SessionView> = {}): SessionView {
  return {
    login_required: false,
    waiting_for_sync: false,
    managers: [],
    logged_in: null,
    lock: null,
    idle_lock_at: null,
    shift: null,
    ...overrides,
  };
}

export const anna = { employee_id: "mgr-anna", name: "Анна Смирнова" };
export const boris = { employee_id: "mgr-boris", name: "Борис Ким" };

/** Login required: Anna and Boris can log in; nobody is logged in. */
export function loggedOut(overrides: Partial<SessionView> = {}): SessionView {
  return makeSession({
    login_required: true,
    managers: [
      { ...anna, locked_until: null },
      { ...boris, locked_until: null },
    ],
    ...overrides,
  });
}

export const openShift = {
  shift_id: "shift-1",
  opened_at: new Date(2026, 11, 10, 9, 0).toISOString(),
  opened_by: anna,
};

/** Anna logged in with the shift open; the idle lock far away. */
export function onDuty(overrides: Partial<SessionView> = {}): SessionView {
  return loggedOut({
    logged_in: anna,
    idle_lock_at: new Date(Date.now() + 600_000).toISOString(),
    shift: openShift,
    ...overrides,
  });
}

export function makeFigures(overrides: Partial<ShiftReport> = {}): ShiftReport {
  return {
    orders_issued: 0,
    items_handed_over: 0,
    items_refused: 0,
    items_not_arrived: 0,
    refusals: (["defect", "did_not_fit", "changed_mind", "wrong_item", "incomplete"] as const).map(
      (reason) => ({ reason, at_counter: 0, from_couriers: 0 }),
    ),
    fees: 0,
    money_taken: 0,
    refunds: 0,
    claim_returns: 0,
    claim_refunds: 0,
    courier_hand_backs: 0,
    courier_items: 0,
    boxes_handed_over: 0,
    box_items: 0,
    unredeemed_to_returns: 0,
    ...overrides,
  };
}

export function makeShiftReport(overrides: Partial<ShiftReportView> = {}): ShiftReportView {
  return {
    shift_id: "shift-1",
    pickup_point: "ПВЗ Лесная, 5",
    device_id: "dev-1",
    opened_at: openShift.opened_at,
    opened_by: anna,
    closed_at: null,
    closed_by: null,
    report: makeFigures(),
    ops_pending: 0,
    ops_rejected: 0,
    ...overrides,
  };
}

export function makeReceivingItem(
  overrides: Partial<ReceivingItemView> & Pick<ReceivingItemView, "item_id">,
): ReceivingItemView {
  return {
    order_id: "ord-5001",
    short_code: "550101",
    buyer: "Олег Н.",
    name: "Куртка демисезонная",
    variant: "L",
    barcode: "4607000000500",
    state: { state: "waiting" },
    ...overrides,
  };
}

export function makeReceiving(
  items: ReceivingItemView[],
  overrides: Partial<ReceivingView> = {},
): ReceivingView {
  const count = (state: string) => items.filter((item) => item.state.state === state).length;
  return {
    receiving_id: "rcv-1",
    shipment_id: "shp-1",
    shipment_code: "SHP-0042-001",
    expected_at: null,
    opened_at: new Date(2026, 11, 10, 8, 0).toISOString(),
    items,
    pending: null,
    unexpected: [],
    counts: {
      expected: items.length,
      placed: count("placed"),
      damaged: count("damaged"),
      waiting: count("waiting"),
      unexpected: overrides.unexpected?.length ?? 0,
    },
    ...overrides,
  };
}

export function makeFoundItem(overrides: Partial<FoundItemView> = {}): FoundItemView {
  return {
    item_id: "itm-1001-1",
    order_id: "ord-1001",
    short_code: "482137",
    buyer: "Анна К.",
    name: "Платье летнее",
    variant: "44, синее",
    cell: "A-12",
    status: { status: "on_shelf" },
    arrived_at: new Date(2026, 11, 8, 10, 0).toISOString(),
    other_matches: 0,
    ...overrides,
  };
}

export function makeEvent(overrides: Partial<ItemEventView> = {}): ItemEventView {
  return {
    event_id: "op-1",
    seq: 1n,
    at: new Date(2026, 11, 10, 12, 0).toISOString(),
    event: "refused",
    op_kind: "item_decided",
    operator: anna,
    device_id: "dev-1",
    reason: "defect",
    note: "Разошёлся шов",
    cell: null,
    photos: [],
    sync_state: "applied",
    ...overrides,
  };
}

export function makeHistory(
  events: ItemEventView[],
  overrides: Partial<ItemHistoryView> = {},
): ItemHistoryView {
  return {
    item_id: "itm-1001-1",
    order_id: "ord-1001",
    name: "Платье летнее",
    barcode: "4601234567893",
    cell: "A-12",
    events,
    scans: [],
    also_matches: [],
    ...overrides,
  };
}

export function makeExpiredItem(
  overrides: Partial<ExpiredItemView> & Pick<ExpiredItemView, "item_id">,
): ExpiredItemView {
  return {
    order_id: "ord-9001",
    short_code: "918273",
    buyer: "Пётр В.",
    name: "Рюкзак городской",
    cell: "B-03",
    arrived_at: new Date(2026, 10, 30, 10, 0).toISOString(),
    expires_at: new Date(2026, 11, 8, 0, 0).toISOString(),
    days_over: 3,
    ...overrides,
  };
}

export function makeExpiry(items: ExpiredItemView[]): ExpiryView {
  return { policy_loaded: true, items };
}

/** An approved refund claim, opened by its code and confirmed by the server, item not checked yet. */
export function makeClaim(overrides: Partial<ClaimReturnView> = {}): ClaimReturnView {
  return {
    claim_id: "clm-1",
    order_id: "ord-7",
    item_id: "itm-7",
    item_name: "Куртка зимняя",
    barcode: "4601234567800",
    compensation: "refund",
    amount: 599_000,
    expires_at: new Date(2026, 11, 20, 18, 0).toISOString(),
    return_deadline: new Date(2026, 11, 20, 18, 0).toISOString(),
    decision: "approved",
    item_fate: "to_pickup_point",
    route: "pickup_point",
    server_state: "approved",
    server_reason: null,
    status_checked_at: new Date(2026, 11, 10, 12, 0).toISOString(),
    refusal: null,
    item_checked: false,
    check_by_eye: false,
    condition: "",
    photos: 0,
    ...overrides,
  };
}

export function makeReturnLabel(overrides: Partial<ReturnLabelView> = {}): ReturnLabelView {
  return {
    return_id: "ret-1",
    item_name: "Куртка зимняя",
    source: "claim",
    compensation: "refund",
    amount: 599_000,
    accepted_at: new Date(2026, 11, 10, 12, 5).toISOString(),
    qr_text: "PVZR1:ret-1",
    qr_data_uri: "data:image/svg+xml;base64,PHN2Zy8+",
    ...overrides,
  };
}

export function makeScan(overrides: Partial<HandBackScanView> = {}): HandBackScanView {
  return {
    return_id: "ret-h1",
    code: "4601234567811",
    reason: null,
    description: null,
    fee: 0,
    fee_rule: null,
    fee_set_by_server: false,
    ...overrides,
  };
}

export function makeLine(overrides: Partial<HandBackLineView> = {}): HandBackLineView {
  return {
    item_id: "itm-h1",
    name: "Кроссовки",
    variant: "42",
    code: "4601234567811",
    scanned: null,
    ...overrides,
  };
}

export function makeHandBack(
  lines: HandBackLineView[],
  overrides: Partial<HandBackView> = {},
): HandBackView {
  return {
    hand_back_id: "hb-1",
    courier_id: "courier-ivan",
    courier_name: "Иван Курьеров",
    manifest_loaded: true,
    lines,
    missing: lines.filter((line) => line.item_id !== null && line.scanned === null).length,
    extra: lines.filter((line) => line.item_id === null).length,
    ...overrides,
  };
}

export function makeHandBackAct(overrides: Partial<HandBackActView> = {}): HandBackActView {
  return {
    hand_back_id: "hb-1",
    courier_id: "courier-ivan",
    courier_name: "Иван Курьеров",
    accepted_by: "Ольга Смирнова",
    completed_at: new Date(2026, 11, 10, 14, 30).toISOString(),
    accepted: [],
    missing: [],
    extra: 0,
    fees: 0,
    ...overrides,
  };
}

export function makeReturnItem(overrides: Partial<ReturnItemView> = {}): ReturnItemView {
  return {
    return_id: "ret-w1",
    item_name: "Платье летнее",
    code: "PVZR1:ret-w1",
    source: "counter_refusal",
    reason: "defect",
    received_at: new Date(2026, 11, 10, 11, 0).toISOString(),
    ...overrides,
  };
}

export function makeBox(items: ReturnItemView[], overrides: Partial<BoxView> = {}): BoxView {
  return {
    box_id: "box-1",
    items,
    closed_at: null,
    label_qr_text: null,
    label_qr_data_uri: null,
    ...overrides,
  };
}

/** A closed box with its label, as the backend sends it after close_box. */
export function makeClosedBox(items: ReturnItemView[], boxId = "box-1"): BoxView {
  return makeBox(items, {
    box_id: boxId,
    closed_at: new Date(2026, 11, 10, 15, 0).toISOString(),
    label_qr_text: `PVZB1:${boxId}:${items.length}`,
    label_qr_data_uri: "data:image/svg+xml;base64,PHN2Zy8+",
  });
}

export function makeReturns(overrides: Partial<ReturnsView> = {}): ReturnsView {
  return { waiting: [], open_box: null, closed_boxes: [], driver: null, ...overrides };
}

export function makeHandoverAct(overrides: Partial<HandoverActView> = {}): HandoverActView {
  return {
    handover_id: "ho-1",
    driver_id: "driver-oleg",
    driver_name: "Олег Водителев",
    handed_at: new Date(2026, 11, 10, 16, 0).toISOString(),
    boxes: [],
    items: 0,
    ...overrides,
  };
}

export function kioskError(kind: string, detail: string | null = null): KioskError {
  return { kind, message: `backend says ${kind}`, detail } as KioskError;
}

/** What a handler returns to make the call reject, as the backend does with a KioskError. */
export class Rejection {
  constructor(readonly error: unknown) {}
}

export const rejectWith = (kind: string, detail: string | null = null) =>
  new Rejection(kioskError(kind, detail));

type Handler = (args: Record<string, unknown> | undefined) => unknown;

/** What the backend answers when a test does not say: no printers (every document has a print bar). */
const DEFAULT_HANDLERS: Record<string, Handler> = {
  list_printers: () => [],
  item_claims: () => [],
};

/**
 * Routes the mocked `invoke` by command name; a handler's return value resolves the call, a
 * Rejection rejects it. Unlisted commands resolve to their default above, else to undefined.
 */
export function routeInvoke(invoke: Mock, handlers: Record<string, Handler>): void {
  invoke.mockImplementation((command: string, args?: Record<string, unknown>) => {
    const result = (handlers[command] ?? DEFAULT_HANDLERS[command])?.(args);
    // The real IPC rejects with the plain KioskError object, not an Error; so does the fake.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    return result instanceof Rejection ? Promise.reject(result.error) : Promise.resolve(result);
  });
}

/** The arguments of every call of `command`, in order. */
export function callsOf(invoke: Mock, command: string): unknown[] {
  return invoke.mock.calls.filter(([name]) => name === command).map(([, args]): unknown => args);
}

/** Runs a UI action and lets the mocked backend answer and React re-render before asserting. */
export async function settle(action: () => void): Promise<void> {
  await act(async () => {
    action();
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

/**
 * A button once React has enabled it: under load a click on a button still disabled from the
 * previous view would land on nothing.
 */
export async function enabledButton(testId: string): Promise<HTMLElement> {
  const button = await screen.findByTestId(testId);
  await waitFor(() => expect(button, `${testId} should be enabled`).toBeEnabled());
  return button;
}

/** Types `code` into the manual-entry field and submits it, as the counter's scan. */
export function typeCode(code: string): Promise<void> {
  const input = screen.getByTestId("manual-input");
  fireEvent.change(input, { target: { value: code } });
  return settle(() => fireEvent.submit(input));
}

/** Clicks the button once React has enabled it, and lets the backend answer. */
export async function clickEnabled(testId: string): Promise<void> {
  const button = await enabledButton(testId);
  await settle(() => fireEvent.click(button));
}
