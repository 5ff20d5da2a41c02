import { fireEvent, screen } from "@testing-library/react";
import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import {
  callsOf,
  clickEnabled,
  makeExpiredItem,
  makeExpiry,
  makeView,
  routeInvoke,
  settle,
} from "../../test/fixtures";
import { renderScreen } from "../../test/screens";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(() => Promise.resolve(() => undefined)) }));
const invokeMock = vi.mocked(invoke);

const backpack = makeExpiredItem({ item_id: "itm-9001-1", days_over: 3 });
const mug = makeExpiredItem({ item_id: "itm-9002-1", name: "Кружка", cell: "C-01", days_over: 1 });

beforeEach(() => {
  invokeMock.mockReset();
});

describe("storage expiry", () => {
  it("reminds on home and opens the list with F7", async () => {
    await renderScreen(invokeMock, makeView({ overdue_items: 2 }), "expiry-reminder");
    const reminder = screen.getByTestId("expiry-reminder");
    expect(reminder, "the count").toHaveAttribute("data-count", "2");
    expect(reminder, "in words").toHaveTextContent("Истёк срок хранения, товаров: 2");
    routeInvoke(invokeMock, {
      open_expiry: () =>
        makeView({ screen: { kind: "expiry", view: makeExpiry([backpack, mug]) } }),
    });
    await settle(() => fireEvent.keyDown(window, { key: "F7" }));
    expect(callsOf(invokeMock, "open_expiry"), "F7 opens the list").toHaveLength(1);
    await screen.findByTestId("expiry");
    expect(screen.getByTestId("expiry-days-itm-9001-1"), "days over").toHaveAttribute(
      "data-days",
      "3",
    );
    expect(screen.getByTestId("expiry-item-itm-9002-1"), "with its cell").toHaveTextContent("C-01");
  });

  it("moves the ticked items to returns", async () => {
    await renderScreen(
      invokeMock,
      makeView({ screen: { kind: "expiry", view: makeExpiry([backpack, mug]) } }),
      "expiry",
    );
    expect(screen.getByTestId("expiry-confirm"), "all are ticked").toHaveTextContent("2");
    await settle(() => fireEvent.click(screen.getByTestId("expiry-check-itm-9002-1")));
    expect(screen.getByTestId("expiry-confirm"), "one left ticked").toHaveTextContent("1");
    routeInvoke(invokeMock, { move_expired_to_returns: () => makeView() });
    await clickEnabled("expiry-confirm");
    expect(callsOf(invokeMock, "move_expired_to_returns"), "only the ticked one").toEqual([
      { itemIds: ["itm-9001-1"] },
    ]);
    await screen.findByTestId("open-returns");
  });

  it("moves all with F9 and closes the list once none is left", async () => {
    const list = makeView({ screen: { kind: "expiry", view: makeExpiry([backpack, mug]) } });
    await renderScreen(invokeMock, list, "expiry");
    routeInvoke(invokeMock, {
      move_expired_to_returns: () => makeView({ screen: { kind: "expiry", view: makeExpiry([]) } }),
      close_expiry: () => makeView(),
    });
    await settle(() => fireEvent.keyDown(window, { key: "F9" }));
    expect(callsOf(invokeMock, "move_expired_to_returns"), "both go").toEqual([
      { itemIds: ["itm-9001-1", "itm-9002-1"] },
    ]);
    await screen.findByTestId("open-returns");
    expect(callsOf(invokeMock, "close_expiry"), "the empty list closed").toHaveLength(1);
  });

  it("closes with Esc", async () => {
    await renderScreen(
      invokeMock,
      makeView({ screen: { kind: "expiry", view: makeExpiry([]) } }),
      "expiry",
    );
    expect(screen.getByTestId("expiry-confirm"), "nothing to move").toBeDisabled();
    routeInvoke(invokeMock, { close_expiry: () => makeView() });
    await settle(() => fireEvent.keyDown(document.body, { key: "Escape" }));
    expect(callsOf(invokeMock, "close_expiry"), "Esc closes").toHaveLength(1);
  });
});
