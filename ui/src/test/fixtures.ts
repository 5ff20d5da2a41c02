// Builders for backend views used by the component tests, and a fake `invoke` routed by command.
import { act } from "@testing-library/react";
import type { Mock } from "vitest";
import type { CounterView, ItemView, KioskError, OrderView, SettlementView } from "../bindings";

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
    active: null,
    receipt: null,
    recent: [],
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

/**
 * Routes the mocked `invoke` by command name; a handler's return value resolves the call, a
 * Rejection rejects it. Unlisted commands resolve to undefined.
 */
export function routeInvoke(invoke: Mock, handlers: Record<string, Handler>): void {
  invoke.mockImplementation((command: string, args?: Record<string, unknown>) => {
    const result = handlers[command]?.(args);
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
