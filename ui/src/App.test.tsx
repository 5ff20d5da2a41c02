import { fireEvent, render, screen } from "@testing-library/react";
import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "./App";
import type { ReceiptView } from "./bindings";
import { LANG_STORAGE_KEY } from "./i18n";
import {
  callsOf,
  makeItem,
  makeOrder,
  makeView,
  Rejection,
  rejectWith,
  routeInvoke,
  settle,
} from "./test/fixtures";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(() => Promise.resolve(() => undefined)) }));
const invokeMock = vi.mocked(invoke);

const recentView = makeView({
  recent: [
    {
      order_id: "ord-9",
      short_code: "9XK2-11A",
      buyer: "Иван П.",
      issued_at: new Date(2026, 0, 15, 10, 42).toISOString(),
      handed_over: 2,
      refused: 1,
      not_arrived: 0,
      refusal_reasons: ["defect"],
      collected: 159_900,
    },
  ],
});

const opened = makeView({
  screen: { kind: "order", view: makeOrder([makeItem({ item_id: "i1" })]) },
});

/** Fires keydowns the way a wedge scanner does: back to back, then Enter. */
function scanInto(target: Element | Document, code: string) {
  for (const key of code) fireEvent.keyDown(target, { key });
  fireEvent.keyDown(target, { key: "Enter" });
}

beforeEach(() => {
  invokeMock.mockReset();
  window.__pvzScanTimings = [];
});

describe("home", () => {
  it("prompts for a scan and lists today's issues", async () => {
    routeInvoke(invokeMock, { counter_view: () => recentView });
    render(<App />);
    const row = await screen.findByTestId("recent-ord-9");
    expect(
      screen.getByText("Отсканируйте QR-код покупателя или введите код"),
      "the prompt should show",
    ).toBeVisible();
    expect(row, "the row should show the short code").toHaveTextContent("9XK2-11A");
    expect(row, "the row should show the counts").toHaveTextContent("выдано 2 / отказ 1");
    expect(row, "the row should translate refusal reasons").toHaveTextContent("брак");
    expect(row, "the row should show the time").toHaveTextContent("10:42");
    expect(row, "the row should show the amount collected").toHaveTextContent(/1\s599,00\s₽/);
    expect(
      screen.getByTestId("ops-waiting"),
      "the header should show ops waiting",
    ).toHaveTextContent("3");
  });

  it("switches to English and remembers it", async () => {
    routeInvoke(invokeMock, { counter_view: () => recentView });
    render(<App />);
    const toggle = await screen.findByTestId("lang-switch");
    expect(toggle, "in Russian the switch should offer EN").toHaveTextContent("EN");
    await settle(() => fireEvent.click(toggle));
    expect(toggle, "in English the switch should offer RU").toHaveTextContent("RU");
    expect(
      screen.getByText("Demo data, offline"),
      "the status chip should be translated",
    ).toBeVisible();
    expect(
      screen.getByLabelText("Buyer or item code"),
      "the manual field label should be translated",
    ).toBeVisible();
    expect(window.localStorage.getItem(LANG_STORAGE_KEY), "the choice should be stored").toBe("en");
  });
});

describe("scanning", () => {
  it("submits the manual field as a scan and opens the card", async () => {
    routeInvoke(invokeMock, {
      counter_view: () => makeView(),
      scan: () => ({ view: opened, notice: null }),
    });
    render(<App />);
    const input = await screen.findByTestId("manual-input");
    fireEvent.change(input, { target: { value: " 7k4q-2m9 " } });
    await settle(() => fireEvent.submit(input));
    expect(callsOf(invokeMock, "scan"), "scan should be called once with the trimmed code").toEqual(
      [{ input: "7k4q-2m9" }],
    );
    expect(await screen.findByTestId("order-card"), "the order card should open").toBeVisible();
    expect(input, "the field should be emptied for the next code").toHaveValue("");
  });

  it("takes a scanner burst with focus anywhere and records its timing", async () => {
    routeInvoke(invokeMock, {
      counter_view: () => makeView(),
      scan: () => ({ view: opened, notice: { kind: "order_opened" } }),
    });
    render(<App />);
    await screen.findByTestId("recent-list");
    await settle(() => scanInto(document.body, "PVZ-7K4Q2M9"));
    expect(callsOf(invokeMock, "scan"), "the burst should reach the backend as one scan").toEqual([
      { input: "PVZ-7K4Q2M9" },
    ]);
    await screen.findByTestId("order-card");
    await vi.waitFor(() =>
      expect(window.__pvzScanTimings, "one scan-to-card timing should be recorded").toHaveLength(1),
    );
  });

  it("takes a burst out of a text field and scans it instead", async () => {
    routeInvoke(invokeMock, {
      counter_view: () => makeView(),
      scan: () => ({ view: opened, notice: null }),
    });
    render(<App />);
    const input = await screen.findByTestId("manual-input");
    // jsdom does not insert text on keydown; put the characters in as the browser would.
    fireEvent.change(input, { target: { value: "AB2000123456789" } });
    await settle(() => scanInto(input, "2000123456789"));
    expect(callsOf(invokeMock, "scan"), "scan should be called once, with the burst only").toEqual([
      { input: "2000123456789" },
    ]);
    expect(input, "the burst's characters should be removed from the field").toHaveValue("AB");
  });
});

describe("error banner", () => {
  it("translates the error by kind with its detail, and a new scan clears it", async () => {
    const issuedAt = new Date(2026, 0, 15, 9, 30).toISOString();
    routeInvoke(invokeMock, {
      counter_view: () => makeView(),
      scan: ({ input } = {}) => {
        if (input === "OLD") return rejectWith("already_issued", issuedAt);
        if (input === "NEW")
          return new Rejection({ kind: "brand_new_kind", message: "Сервер: новое", detail: null });
        return { view: opened, notice: null };
      },
    });
    render(<App />);
    const input = await screen.findByTestId("manual-input");
    const submit = async (code: string) => {
      fireEvent.change(input, { target: { value: code } });
      await settle(() => fireEvent.submit(input));
    };

    await submit("OLD");
    const banner = screen.getByTestId("error-banner");
    expect(banner, "already_issued should say when it was issued").toHaveTextContent(
      "Этот заказ уже выдан 15.01.2026, 09:30",
    );
    expect(banner, "the banner should be announced").toHaveAttribute("role", "alert");

    await submit("NEW");
    expect(
      screen.getByTestId("error-banner"),
      "an unknown kind should fall back to the message",
    ).toHaveTextContent("Сервер: новое");

    await submit("GOOD");
    expect(
      screen.queryByTestId("error-banner"),
      "a successful scan should clear the banner",
    ).toBeNull();
  });
});

describe("receipt", () => {
  const receipt: ReceiptView = {
    op_id: "op-1",
    order_id: "ord-1",
    short_code: "7K4Q-2M9",
    issued_at: new Date(2026, 0, 15, 11, 0).toISOString(),
    handed_over: [makeItem({ item_id: "i1", name: "Платье летнее" })],
    refused: [
      makeItem({
        item_id: "i2",
        name: "Кеды",
        decision: { kind: "refuse", reason: "did_not_fit", description: null },
        fee: 15_000,
        fee_rule: "policy_fee",
      }),
    ],
    not_arrived: [],
    collected: 264_000,
    refunded: 0,
    qr_data_uri: "data:image/png;base64,iVBORw0KGgo=",
  };

  it("shows what happened and dismisses on Enter", async () => {
    routeInvoke(invokeMock, {
      counter_view: () => makeView({ screen: { kind: "receipt", view: receipt } }),
      dismiss_receipt: () => recentView,
    });
    render(<App />);
    const shown = await screen.findByTestId("receipt");
    await settle(() => undefined);
    expect(
      shown,
      "the receipt should list the refused item with its reason and fee",
    ).toHaveTextContent(/не подошёл · сбор за обратную логистику: 150,00\s₽/);
    expect(
      screen.getByTestId("receipt-collected"),
      "the receipt should show what was collected",
    ).toHaveTextContent(/2\s640,00\s₽/);
    expect(
      screen.getByTestId("receipt-qr"),
      "the QR image should use the backend's data URI",
    ).toHaveAttribute("src", receipt.qr_data_uri);
    expect(
      screen.getByTestId("dismiss-receipt"),
      "the next-buyer button should take focus",
    ).toHaveFocus();

    (document.activeElement as HTMLElement).blur();
    await settle(() => fireEvent.keyDown(document.body, { key: "Enter" }));
    expect(callsOf(invokeMock, "dismiss_receipt"), "Enter should dismiss the receipt").toHaveLength(
      1,
    );
    expect(await screen.findByTestId("recent-ord-9"), "home should come back").toBeVisible();
  });

  it("lists an item that never arrived apart, with the refund, and no section when there is none", async () => {
    const scarf = makeItem({
      item_id: "i3",
      name: "Шарф",
      prepaid: true,
      decision: { kind: "not_arrived" },
      missing_at_receiving: true,
    });
    routeInvoke(invokeMock, {
      counter_view: () =>
        makeView({
          screen: { kind: "receipt", view: { ...receipt, not_arrived: [scarf], refunded: 99_000 } },
        }),
    });
    render(<App />);
    await screen.findByTestId("receipt");
    expect(
      screen.getByTestId("receipt-not-arrived"),
      "the scarf is listed as not arrived",
    ).toHaveTextContent("Шарф");
    expect(
      screen.getByText("Не поступило (к оплате не начислено)"),
      "under its own heading",
    ).toBeVisible();
    expect(
      screen.getByTestId("receipt-handed"),
      "it is not among the items handed over",
    ).not.toHaveTextContent("Шарф");
    expect(screen.getByTestId("receipt-refunded"), "the refund is shown").toHaveTextContent(
      /990,00\s₽/,
    );
  });
});
