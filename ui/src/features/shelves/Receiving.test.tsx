import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ReceivingView } from "../../bindings";
import {
  callsOf,
  clickEnabled,
  makeReceiving,
  makeReceivingItem,
  makeView,
  routeInvoke,
  settle,
  typeCode,
} from "../../test/fixtures";
import { renderScreen } from "../../test/screens";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(() => Promise.resolve(() => undefined)) }));
const invokeMock = vi.mocked(invoke);

const jacket = makeReceivingItem({ item_id: "itm-5001-1" });
const boots = makeReceivingItem({
  item_id: "itm-5001-2",
  name: "Ботинки",
  variant: "43",
  barcode: "4607000000517",
});
const scarf = makeReceivingItem({
  item_id: "itm-5002-1",
  order_id: "ord-5002",
  short_code: "550202",
  buyer: "Ирина М.",
  name: "Шарф",
  variant: "серый",
});

const at = (receiving: ReceivingView) => makeView({ receiving });

beforeEach(() => {
  invokeMock.mockReset();
});

describe("receiving", () => {
  it("proposes a cell for the scanned item and places it when the cell is scanned", async () => {
    await renderScreen(invokeMock, at(makeReceiving([jacket, boots, scarf])), "receiving");
    expect(screen.getByTestId("receiving"), "the shipment is named").toHaveTextContent(
      "SHP-0042-001",
    );
    expect(screen.getByTestId("receiving-prompt"), "it asks for items").toBeVisible();

    const proposed = makeReceiving([jacket, boots, scarf], {
      pending: {
        item_id: jacket.item_id,
        name: jacket.name,
        proposed_cell: "A-07",
        with_buyers_items: false,
      },
    });
    routeInvoke(invokeMock, {
      scan: () => ({
        view: at(proposed),
        notice: { kind: "receiving_item_matched", item_id: jacket.item_id, proposed_cell: "A-07" },
      }),
    });
    await typeCode("4607000000500");
    const proposal = screen.getByTestId("receiving-proposal");
    expect(proposal, "the proposed cell is shown").toHaveAttribute("data-cell", "A-07");
    expect(proposal, "with what to do").toHaveTextContent(
      "Положите в ячейку A-07 и отсканируйте её",
    );

    const placed = { ...jacket, state: { state: "placed", cell: "A-07", proposed_cell: "A-07" } };
    routeInvoke(invokeMock, {
      scan: () => ({
        view: at(makeReceiving([placed as typeof jacket, boots, scarf])),
        notice: { kind: "item_placed", item_id: jacket.item_id, cell: "A-07" },
      }),
    });
    await typeCode("PVZL1:A-07");
    expect(callsOf(invokeMock, "scan").at(-1), "the cell label goes as a scan").toEqual({
      input: "PVZL1:A-07",
    });
    const row = screen.getByTestId("receiving-item-itm-5001-1");
    expect(row, "the item is placed").toHaveAttribute("data-state", "placed");
    expect(row, "in its cell").toHaveAttribute("data-cell", "A-07");
    expect(row, "and highlighted").toHaveClass("unit--matched");
    expect(screen.getByTestId("receiving-counts"), "one of three placed").toHaveAttribute(
      "data-placed",
      "1",
    );
    expect(screen.getByTestId("receiving-cancel"), "nothing to cancel once placed").toBeDisabled();
  });

  it("shows how many items are missing before completing, and completes on confirm", async () => {
    const placed = {
      ...jacket,
      state: { state: "placed" as const, cell: "A-07", proposed_cell: "A-07" },
    };
    const receiving = makeReceiving([placed, boots, scarf], { unexpected: ["4600000099999"] });
    await renderScreen(invokeMock, at(receiving), "receiving");
    expect(
      screen.getByTestId("receiving-unexpected"),
      "the unexpected code is listed",
    ).toHaveTextContent("4600000099999");
    await settle(() => fireEvent.keyDown(window, { key: "F9" }));
    const dialog = screen.getByTestId("close-receiving-dialog");
    expect(screen.getByTestId("receiving-missing"), "two items were not scanned").toHaveAttribute(
      "data-count",
      "2",
    );
    expect(
      within(dialog).getByTestId("receiving-missing-items"),
      "they are named",
    ).toHaveTextContent("Шарф");
    expect(callsOf(invokeMock, "close_receiving"), "F9 only asks").toHaveLength(0);

    routeInvoke(invokeMock, { close_receiving: () => makeView() });
    await clickEnabled("close-receiving-confirm");
    expect(callsOf(invokeMock, "close_receiving"), "confirmed, it closes").toHaveLength(1);
    await screen.findByTestId("open-returns");
  });

  it("records a damaged item with a description, then takes its photo", async () => {
    await renderScreen(invokeMock, at(makeReceiving([jacket, boots])), "receiving");
    await settle(() => fireEvent.click(screen.getByTestId("mark-damaged-itm-5001-2")));
    const confirm = screen.getByTestId("damage-confirm");
    expect(confirm, "a description is needed").toBeDisabled();
    fireEvent.change(screen.getByTestId("damage-description"), {
      target: { value: "Коробка смята" },
    });
    const damaged = {
      ...boots,
      state: { state: "damaged" as const, description: "Коробка смята", photos: 0 },
    };
    routeInvoke(invokeMock, { mark_damaged: () => at(makeReceiving([jacket, damaged])) });
    await clickEnabled("damage-confirm");
    expect(callsOf(invokeMock, "mark_damaged"), "the item and what is wrong").toEqual([
      { itemId: "itm-5001-2", description: "Коробка смята" },
    ]);
    expect(screen.queryByTestId("damage-dialog"), "the dialog closes").toBeNull();
    expect(screen.getByTestId("receiving-item-itm-5001-2"), "damaged").toHaveAttribute(
      "data-state",
      "damaged",
    );

    const withPhoto = { ...damaged, state: { ...damaged.state, photos: 1 } };
    routeInvoke(invokeMock, { attach_damage_photo: () => at(makeReceiving([jacket, withPhoto])) });
    const file = new File([new Uint8Array([1, 2, 3])], "damage.jpg", { type: "image/jpeg" });
    await settle(() =>
      fireEvent.change(screen.getByTestId("photo-input-damage-itm-5001-2"), {
        target: { files: [file] },
      }),
    );
    await waitFor(() =>
      expect(callsOf(invokeMock, "attach_damage_photo"), "the photo goes with the item").toEqual([
        { itemId: "itm-5001-2", dataBase64: "AQID" },
      ]),
    );
    await waitFor(() =>
      expect(screen.getByTestId("photo-damage-itm-5001-2"), "counted").toHaveTextContent("1"),
    );
  });

  it("cancels a session with nothing placed", async () => {
    await renderScreen(invokeMock, at(makeReceiving([jacket])), "receiving");
    routeInvoke(invokeMock, { cancel_receiving: () => makeView() });
    await clickEnabled("receiving-cancel");
    expect(callsOf(invokeMock, "cancel_receiving"), "cancelled").toHaveLength(1);
    await screen.findByTestId("open-returns");
  });
});
