import { fireEvent, render, screen, within } from "@testing-library/react";
import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "../../App";
import type { CounterView, ReturnsView } from "../../bindings";
import {
  callsOf,
  enabledButton,
  makeBox,
  makeClosedBox,
  makeHandoverAct,
  makeReturnItem,
  makeReturns,
  makeView,
  rejectWith,
  routeInvoke,
  settle,
} from "../../test/fixtures";
import { renderScreen } from "../../test/screens";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(() => Promise.resolve(() => undefined)) }));
const invokeMock = vi.mocked(invoke);

const dress = makeReturnItem({ return_id: "ret-1", item_name: "Платье летнее" });
const jacket = makeReturnItem({
  return_id: "ret-2",
  item_name: "Куртка зимняя",
  source: "claim",
  reason: null,
});
const oleg = { employee_id: "driver-oleg", name: "Олег Водителев" };
/** The driver's signed badge as its QR reads (the backend, mocked here, checks the signature). */
const OLEG_BADGE =
  "PVZE2.eyJlIjoiZHJpdmVyLW9sZWciLCJuIjoxfQ.s-u8q1rnYYqYqcM5WtvjbVaZwH-4JlvqnBgaMkcI0Vgn8GCuGzBr88YFfdZ7bsPyqU9INsP_Y7iJEjgeHaZMMA";

const desk = (overrides: Partial<ReturnsView> = {}): CounterView =>
  makeView({ screen: { kind: "returns_desk", view: makeReturns(overrides) } });

async function renderDesk(view: CounterView) {
  return renderScreen(invokeMock, view, "returns-desk");
}

function scan(code: string) {
  const input = screen.getByTestId("manual-input");
  fireEvent.change(input, { target: { value: code } });
  return settle(() => fireEvent.submit(input));
}

beforeEach(() => {
  invokeMock.mockReset();
});

describe("returns desk", () => {
  it("opens from home with its button and with F4", async () => {
    routeInvoke(invokeMock, {
      counter_view: () => makeView(),
      open_returns: () => desk({ waiting: [dress, jacket] }),
      close_returns: () => makeView(),
    });
    render(<App />);
    const button = await screen.findByTestId("open-returns");
    expect(button, "home offers the returns desk").toHaveTextContent("Возвраты и коробки");
    await settle(() => fireEvent.click(button));
    expect(callsOf(invokeMock, "open_returns"), "the button opens the desk").toHaveLength(1);
    // The desk is a lazily loaded screen: it shows once its chunk is in.
    const waiting = await screen.findByTestId("returns-waiting");
    expect(waiting, "waiting returns are listed").toHaveTextContent("Платье летнее");
    expect(
      within(waiting).getByTestId("waiting-ret-2"),
      "each shows where it came from",
    ).toHaveTextContent("по претензии");
    expect(screen.getByTestId("waiting-count"), "they are counted").toHaveTextContent("2");

    await settle(() => fireEvent.keyDown(document.body, { key: "Escape" }));
    expect(callsOf(invokeMock, "close_returns"), "Esc leaves the desk").toHaveLength(1);
    await screen.findByTestId("open-returns");
    await settle(() => fireEvent.keyDown(window, { key: "F4" }));
    expect(callsOf(invokeMock, "open_returns"), "F4 opens it again").toHaveLength(2);
  });

  it("creates a box, takes scanned returns into it, removes one, and closes it to its label", async () => {
    await renderDesk(desk({ waiting: [dress, jacket] }));
    routeInvoke(invokeMock, {
      create_box: () => desk({ waiting: [dress, jacket], open_box: makeBox([]) }),
    });
    await settle(() => fireEvent.click(screen.getByTestId("box-new")));
    expect(callsOf(invokeMock, "create_box"), "a new box is asked for").toHaveLength(1);
    expect(screen.getByTestId("box-close"), "an empty box cannot be closed").toBeDisabled();

    routeInvoke(invokeMock, {
      scan: () => ({
        view: desk({ waiting: [jacket], open_box: makeBox([dress]) }),
        notice: { kind: "box_item_added", return_id: "ret-1" },
      }),
    });
    await scan("PVZR1:ret-1");
    expect(callsOf(invokeMock, "scan"), "the label goes to the backend as a scan").toEqual([
      { input: "PVZR1:ret-1" },
    ]);
    expect(screen.getByTestId("box-item-ret-1"), "the scanned unit is in the box").toHaveClass(
      "unit--matched",
    );

    routeInvoke(invokeMock, {
      remove_from_box: () => desk({ waiting: [dress, jacket], open_box: makeBox([]) }),
    });
    await settle(() => fireEvent.click(screen.getByTestId("box-remove-ret-1")));
    expect(callsOf(invokeMock, "remove_from_box"), "remove names the unit").toEqual([
      { returnId: "ret-1" },
    ]);
    expect(screen.queryByTestId("box-item-ret-1"), "it left the box").toBeNull();

    routeInvoke(invokeMock, {
      scan: () => ({
        view: desk({ waiting: [], open_box: makeBox([dress, jacket]) }),
        notice: { kind: "box_item_added", return_id: "ret-2" },
      }),
      close_box: () => desk({ closed_boxes: [makeClosedBox([dress, jacket], "box-0000abcd")] }),
    });
    await scan("PVZR1:ret-2");
    await settle(() => fireEvent.keyDown(window, { key: "F3" }));
    expect(callsOf(invokeMock, "close_box"), "F3 closes the box").toHaveLength(1);
    const label = screen.getByTestId("box-label");
    expect(
      within(label).getByTestId("box-label-qr-text"),
      "the label shows its QR text",
    ).toHaveTextContent("PVZB1:box-0000abcd:2");
    expect(within(label).getByTestId("box-label-qr"), "and the QR image").toBeVisible();
    expect(within(label).getByTestId("print-bar"), "the label can be printed").toHaveAttribute(
      "data-document",
      "box_label",
    );
    expect(screen.getByTestId("box-new"), "a next box can be started").toBeVisible();
  });

  it("packs a waiting unit with nothing to scan by its button, once a box is open", async () => {
    const tee = makeReturnItem({ return_id: "ret-3", item_name: "Футболка", code: null });
    await renderDesk(desk({ waiting: [tee] }));
    expect(
      screen.getByTestId("waiting-add-ret-3"),
      "with no box open there is nothing to put it in",
    ).toBeDisabled();

    routeInvoke(invokeMock, {
      create_box: () => desk({ waiting: [tee], open_box: makeBox([]) }),
    });
    await settle(() => fireEvent.click(screen.getByTestId("box-new")));
    routeInvoke(invokeMock, {
      add_to_box: () => desk({ waiting: [], open_box: makeBox([tee]) }),
    });
    const add = await enabledButton("waiting-add-ret-3");
    expect(add, "the button says where the unit goes").toHaveTextContent("В коробку");
    await settle(() => fireEvent.click(add));
    expect(callsOf(invokeMock, "add_to_box"), "the unit goes to the backend by its id").toEqual([
      { returnId: "ret-3" },
    ]);
    expect(screen.getByTestId("box-item-ret-3"), "it is in the open box").toBeVisible();
    expect(screen.queryByTestId("waiting-ret-3"), "and no longer waits").toBeNull();
  });

  it("prints a waiting unit's return label from the desk", async () => {
    await renderDesk(desk({ waiting: [dress, jacket] }));
    routeInvoke(invokeMock, {
      list_printers: () => [{ name: "Zebra", is_default: true }],
      print_document: () => "Zebra-7",
    });
    const unit = screen.getByTestId("waiting-ret-1");
    expect(within(unit).queryByTestId("print-bar"), "no print bar until asked").toBeNull();
    const labelButton = within(unit).getByTestId("waiting-label-ret-1");
    expect(labelButton, "the action names the label").toHaveTextContent("Этикетка");
    await settle(() => fireEvent.click(labelButton));
    const bar = within(unit).getByTestId("print-bar");
    expect(bar, "the bar prints this unit's return label").toHaveAttribute(
      "data-document",
      "return_label",
    );
    await settle(() => fireEvent.click(within(bar).getByTestId("print-submit")));
    expect(callsOf(invokeMock, "print_document"), "the label of this unit is printed").toEqual([
      { document: { kind: "return_label", return_id: "ret-1" }, printer: "Zebra" },
    ]);
    expect(
      within(screen.getByTestId("waiting-ret-2")).queryByTestId("print-bar"),
      "the other unit's label stays folded",
    ).toBeNull();
    await settle(() => fireEvent.click(labelButton));
    expect(within(unit).queryByTestId("print-bar"), "a second press folds the bar").toBeNull();
  });

  it("shows the backend's refusal of a scan that is not a waiting return", async () => {
    await renderDesk(desk({ open_box: makeBox([]) }));
    routeInvoke(invokeMock, { scan: () => rejectWith("not_among_waiting_returns") });
    await scan("PVZR1:ret-9");
    expect(screen.getByTestId("error-banner"), "the banner says why").toHaveTextContent(
      "Этого товара нет среди возвратов, ожидающих упаковки",
    );
  });

  it("hands the closed boxes to the driver whose badge was scanned", async () => {
    const boxes = [makeClosedBox([dress], "box-1"), makeClosedBox([jacket], "box-2")];
    await renderDesk(desk({ closed_boxes: boxes }));
    expect(screen.getByTestId("driver-prompt"), "the desk asks for the badge").toHaveTextContent(
      "Отсканируйте бейдж водителя",
    );
    expect(screen.getByTestId("hand-over-boxes"), "no driver, no handover").toBeDisabled();

    routeInvoke(invokeMock, {
      scan: () => ({
        view: desk({ closed_boxes: boxes, driver: oleg }),
        notice: {
          kind: "driver_identified",
          driver_id: "driver-oleg",
          driver_name: "Олег Водителев",
        },
      }),
      hand_over_boxes: () =>
        makeView({
          screen: { kind: "handover_act", view: makeHandoverAct({ boxes, items: 2 }) },
        }),
      list_printers: () => [],
    });
    await scan(OLEG_BADGE);
    expect(screen.getByTestId("driver-name"), "the driver is named").toHaveTextContent(
      "Олег Водителев",
    );
    const handOver = await enabledButton("hand-over-boxes");
    expect(handOver, "the button counts the boxes").toHaveTextContent("Передать коробки: 2");
    await settle(() => fireEvent.click(handOver));
    expect(callsOf(invokeMock, "hand_over_boxes"), "the driver's id goes along").toEqual([
      { driverId: "driver-oleg" },
    ]);

    const act = await screen.findByTestId("handover-act");
    expect(screen.getByTestId("handover-driver"), "the act names the driver").toHaveTextContent(
      "Олег Водителев",
    );
    expect(within(act).getByTestId("handover-box-box-2"), "each box is listed").toHaveTextContent(
      "PVZB1:box-2:1",
    );
    expect(screen.getByTestId("handover-items"), "the items are totalled").toHaveTextContent("2");
    routeInvoke(invokeMock, { dismiss_handover_act: () => desk() });
    await settle(() => fireEvent.keyDown(document.body, { key: "Enter" }));
    expect(callsOf(invokeMock, "dismiss_handover_act"), "Enter closes the act").toHaveLength(1);
    expect(screen.getByTestId("returns-desk"), "back at the desk").toBeVisible();
  });

  it("hands over on F9 once a driver is identified, and switches the label shown", async () => {
    const boxes = [makeClosedBox([dress], "box-1"), makeClosedBox([jacket], "box-2")];
    await renderDesk(desk({ closed_boxes: boxes, driver: oleg }));
    expect(
      screen.getByTestId("box-label"),
      "the label of the box closed last shows first",
    ).toHaveAttribute("data-box", "box-2");
    fireEvent.click(screen.getByTestId("closed-box-box-1"));
    expect(screen.getByTestId("box-label"), "a picked box's label shows").toHaveAttribute(
      "data-box",
      "box-1",
    );
    routeInvoke(invokeMock, { hand_over_boxes: () => desk() });
    await settle(() => fireEvent.keyDown(window, { key: "F9" }));
    expect(callsOf(invokeMock, "hand_over_boxes"), "F9 hands over").toEqual([
      { driverId: "driver-oleg" },
    ]);
  });
});
