import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "../../App";
import {
  boris,
  callsOf,
  clickEnabled,
  makeEvent,
  makeFoundItem,
  makeHistory,
  makeView,
  routeInvoke,
  settle,
} from "../../test/fixtures";
import { renderScreen } from "../../test/screens";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(() => Promise.resolve(() => undefined)) }));
const invokeMock = vi.mocked(invoke);

const dress = makeFoundItem();
const found = makeView({ screen: { kind: "found_item", view: dress } });
const refused = makeEvent({
  event_id: "op-refused",
  photos: [{ photo_id: "ph-1", sha256: "ab".repeat(32), media_type: "image/png" }],
});
const moved = makeEvent({
  event_id: "op-moved",
  seq: 4n,
  event: "moved",
  op_kind: "item_moved",
  operator: boris,
  reason: null,
  note: "A-12 → B-03",
  cell: "B-03",
  sync_state: "pending",
});
const history = makeHistory([refused], {
  scans: [
    {
      scanned_at: new Date(2026, 11, 10, 11, 59).toISOString(),
      text: "4601234567893",
      kind: "ean13",
      operator: null,
      outcome: "item_matched",
    },
  ],
});

beforeEach(() => {
  invokeMock.mockReset();
});

describe("finding an item", () => {
  it("opens from home with F6 and finds what is typed", async () => {
    routeInvoke(invokeMock, {
      counter_view: () => makeView(),
      find_item: () => found,
      item_history: () => history,
    });
    render(<App />);
    await screen.findByTestId("find-item");
    await settle(() => fireEvent.keyDown(window, { key: "F6" }));
    const input = await screen.findByTestId("find-input");
    fireEvent.change(input, { target: { value: "4601234567893" } });
    await clickEnabled("find-submit");
    expect(callsOf(invokeMock, "find_item"), "the code is looked up").toEqual([
      { code: "4601234567893" },
    ]);
    await screen.findByTestId("found-item");
    expect(screen.queryByTestId("find-dialog"), "the dialog closes").toBeNull();
  });

  it("looks up a scan made while the find dialog is open, instead of scanning it", async () => {
    routeInvoke(invokeMock, {
      counter_view: () => makeView(),
      find_item: () => found,
      item_history: () => history,
    });
    render(<App />);
    await clickEnabled("find-item");
    await settle(() => {
      for (const key of "4601234567893") fireEvent.keyDown(document.body, { key });
      fireEvent.keyDown(document.body, { key: "Enter" });
    });
    await screen.findByTestId("found-item");
    expect(callsOf(invokeMock, "find_item"), "the scan was looked up").toEqual([
      { code: "4601234567893" },
    ]);
    expect(callsOf(invokeMock, "scan"), "not scanned at the counter").toEqual([]);
  });

  it("shows the item's cell, order, status and history with operator, device and photos", async () => {
    await renderScreen(invokeMock, found, "found-item", { item_history: () => history });
    expect(screen.getByTestId("found-cell"), "its cell").toHaveTextContent("A-12");
    expect(screen.getByTestId("found-order"), "its order").toHaveTextContent("482137");
    expect(screen.getByTestId("found-status"), "its status").toHaveAttribute(
      "data-status",
      "on_shelf",
    );
    await waitFor(() =>
      expect(callsOf(invokeMock, "item_history"), "the history of the item id").toEqual([
        { code: "itm-1001-1" },
      ]),
    );
    const event = await screen.findByTestId("history-event-op-refused");
    expect(event, "what happened").toHaveTextContent("Отказ");
    expect(event, "why").toHaveTextContent("брак");
    expect(event, "the note").toHaveTextContent("Разошёлся шов");
    expect(within(event).getByTestId("history-operator"), "who").toHaveTextContent("Анна Смирнова");
    expect(event, "on which counter").toHaveTextContent("dev-1");
    expect(within(event).getByTestId("history-photos"), "its photos").toHaveTextContent("1");
    expect(screen.getByTestId("history-scans"), "scans counted").toHaveAttribute("data-count", "1");
  });

  it("says an item its order was issued without never arrived, not that the buyer got it", async () => {
    const scarf = makeFoundItem({
      name: "Шарф",
      cell: null,
      status: { status: "not_arrived", issued_at: new Date(2026, 11, 10, 12, 30).toISOString() },
    });
    await renderScreen(
      invokeMock,
      makeView({ screen: { kind: "found_item", view: scarf } }),
      "found-item",
      {
        item_history: () => makeHistory([]),
      },
    );
    const status = screen.getByTestId("found-status");
    expect(status, "the status kind").toHaveAttribute("data-status", "not_arrived");
    expect(status, "said in Russian, with when the order was issued").toHaveTextContent(
      /Не поступил: заказ выдан без него 10\.12\.2026/,
    );
  });

  it("exports the evidence bundle of the item or of one event and shows the path", async () => {
    await renderScreen(invokeMock, found, "found-item", {
      item_history: () => history,
      export_evidence_bundle: () => "/data/documents/evidence-itm-1001-1.zip",
    });
    await clickEnabled("export-evidence");
    await waitFor(() =>
      expect(screen.getByTestId("evidence-result"), "the zip's path is shown").toHaveAttribute(
        "data-path",
        "/data/documents/evidence-itm-1001-1.zip",
      ),
    );
    await clickEnabled("export-evidence-op-refused");
    expect(callsOf(invokeMock, "export_evidence_bundle"), "whole item, then one event").toEqual([
      { code: "itm-1001-1", eventId: null },
      { code: "itm-1001-1", eventId: "op-refused" },
    ]);
  });

  it("moves the item to a typed cell and reads its history again", async () => {
    await renderScreen(invokeMock, found, "found-item", { item_history: () => history });
    await clickEnabled("move-item");
    fireEvent.change(screen.getByTestId("move-cell-input"), { target: { value: "B-03" } });
    routeInvoke(invokeMock, {
      move_item: () =>
        makeView({ screen: { kind: "found_item", view: makeFoundItem({ cell: "B-03" }) } }),
      item_history: () => makeHistory([refused, moved]),
    });
    await clickEnabled("move-cell-submit");
    expect(callsOf(invokeMock, "move_item"), "the item and the cell").toEqual([
      { itemId: "itm-1001-1", toCell: "B-03" },
    ]);
    await waitFor(() =>
      expect(screen.getByTestId("found-cell"), "the new cell").toHaveTextContent("B-03"),
    );
    const event = await screen.findByTestId("history-event-op-moved");
    expect(event, "the move is in the history").toHaveTextContent("A-12 → B-03");
    expect(event, "by Boris").toHaveTextContent("Борис Ким");
  });

  it("moves the item to a cell whose label is scanned, and the move form closes", async () => {
    await renderScreen(invokeMock, found, "found-item", { item_history: () => history });
    await clickEnabled("move-item");
    expect(screen.getByTestId("move-form"), "the form asks for the cell").toBeVisible();
    routeInvoke(invokeMock, {
      scan: () => ({
        view: makeView({ screen: { kind: "found_item", view: makeFoundItem({ cell: "B-03" }) } }),
        notice: { kind: "item_moved", item_id: "itm-1001-1", from: "A-12", to: "B-03" },
      }),
      item_history: () => makeHistory([refused, moved]),
    });
    await settle(() => {
      for (const key of "PVZL1:B-03") fireEvent.keyDown(document.body, { key });
      fireEvent.keyDown(document.body, { key: "Enter" });
    });
    expect(callsOf(invokeMock, "scan"), "the label goes to the counter").toEqual([
      { input: "PVZL1:B-03" },
    ]);
    await waitFor(() =>
      expect(screen.getByTestId("found-moved"), "the move is said").toHaveTextContent(
        "A-12 → B-03",
      ),
    );
    expect(screen.queryByTestId("move-form"), "the form closed").toBeNull();
  });

  it("goes back with Esc", async () => {
    await renderScreen(invokeMock, found, "found-item", { item_history: () => history });
    routeInvoke(invokeMock, { dismiss_found_item: () => makeView() });
    await settle(() => fireEvent.keyDown(document.body, { key: "Escape" }));
    expect(callsOf(invokeMock, "dismiss_found_item"), "Esc leaves").toHaveLength(1);
    await screen.findByTestId("open-returns");
  });
});
