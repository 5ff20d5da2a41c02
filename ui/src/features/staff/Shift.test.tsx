import { fireEvent, screen, waitFor } from "@testing-library/react";
import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import {
  anna,
  callsOf,
  clickEnabled,
  makeFigures,
  makeShiftReport,
  makeView,
  onDuty,
  routeInvoke,
  settle,
} from "../../test/fixtures";
import { renderScreen } from "../../test/screens";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(() => Promise.resolve(() => undefined)) }));
const invokeMock = vi.mocked(invoke);

const noShift = makeView({ session: onDuty({ shift: null }) });
const running = makeShiftReport({
  report: makeFigures({ orders_issued: 2, money_taken: 1_098_900 }),
});
const working = makeView({ session: onDuty(), shift_report: running });

const closed = makeView({
  session: onDuty({ shift: null }),
  shift_report: makeShiftReport({
    closed_at: new Date(2026, 11, 10, 21, 0).toISOString(),
    closed_by: anna,
    report: makeFigures({
      orders_issued: 2,
      items_handed_over: 3,
      items_refused: 2,
      items_not_arrived: 1,
      refusals: [
        { reason: "defect", at_counter: 1, from_couriers: 0 },
        { reason: "did_not_fit", at_counter: 1, from_couriers: 2 },
        { reason: "changed_mind", at_counter: 0, from_couriers: 0 },
        { reason: "wrong_item", at_counter: 0, from_couriers: 0 },
        { reason: "incomplete", at_counter: 0, from_couriers: 0 },
      ],
      fees: 15_000,
      money_taken: 1_098_900,
      claim_returns: 1,
      claim_refunds: 459_000,
      courier_hand_backs: 1,
      courier_items: 2,
      boxes_handed_over: 1,
      box_items: 3,
    }),
  }),
});

beforeEach(() => {
  invokeMock.mockReset();
});

describe("shift", () => {
  it("asks to open the shift after login, and opens it with Enter", async () => {
    await renderScreen(invokeMock, noShift, "shift-start");
    expect(screen.getByTestId("shift-start"), "the manager is greeted").toHaveTextContent(
      "Анна Смирнова",
    );
    routeInvoke(invokeMock, { open_shift: () => working });
    await settle(() => fireEvent.keyDown(document.body, { key: "Enter" }));
    expect(callsOf(invokeMock, "open_shift"), "Enter opens the shift").toHaveLength(1);
    const panel = await screen.findByTestId("shift-panel");
    expect(panel, "home shows the open shift").toHaveAttribute("data-state", "open");
    expect(screen.getByTestId("shift-running"), "with its running figures").toHaveTextContent(
      "Выдано заказов: 2",
    );
    expect(screen.getByTestId("header-shift"), "the header shows the shift").toHaveTextContent(
      "09:00",
    );
  });

  it("keeps Tab inside the close-shift dialog", async () => {
    await renderScreen(invokeMock, working, "shift-panel");
    await clickEnabled("close-shift");
    const cancel = screen.getByTestId("close-shift-dialog-cancel");
    const confirm = screen.getByTestId("close-shift-confirm");
    expect(confirm, "the confirm button takes the keyboard first").toHaveFocus();
    fireEvent.keyDown(confirm, { key: "Tab" });
    expect(cancel, "Tab from the last control wraps to the first").toHaveFocus();
    fireEvent.keyDown(cancel, { key: "Tab", shiftKey: true });
    expect(confirm, "Shift+Tab from the first wraps to the last").toHaveFocus();
  });

  it("closes the shift after asking, and shows the report with every figure", async () => {
    await renderScreen(invokeMock, working, "shift-panel");
    routeInvoke(invokeMock, { close_shift: () => closed });
    await clickEnabled("close-shift");
    expect(callsOf(invokeMock, "close_shift"), "the button only asks").toHaveLength(0);
    expect(screen.getByTestId("close-shift-summary"), "what the report will say").toHaveTextContent(
      "Выдано заказов: 2",
    );
    await clickEnabled("close-shift-confirm");
    expect(callsOf(invokeMock, "close_shift"), "confirmed, the shift closes").toHaveLength(1);

    await screen.findByTestId("shift-report");
    const value = (id: string) => screen.getByTestId(`report-${id}`).getAttribute("data-value");
    expect(value("orders-issued"), "orders issued").toBe("2");
    expect(value("items-handed-over"), "items handed over").toBe("3");
    expect(value("items-refused"), "items refused").toBe("2");
    expect(value("items-not-arrived"), "items an order was issued without").toBe("1");
    expect(
      screen.getByTestId("report-items-not-arrived").closest("tr"),
      "said in Russian",
    ).toHaveTextContent("Не поступило (выдано без них)");
    expect(value("money-taken"), "money taken, in kopecks").toBe("1098900");
    expect(screen.getByTestId("report-money-taken"), "shown as money").toHaveTextContent(
      /10\s989,00\s₽/,
    );
    expect(screen.getByTestId("report-fees"), "fees").toHaveTextContent(/150,00\s₽/);
    expect(screen.getByTestId("report-claim-returns"), "claim returns").toHaveTextContent(
      /1 на 4\s590,00\s₽/,
    );
    expect(screen.getByTestId("report-hand-backs"), "courier hand-backs").toHaveTextContent(
      "передач: 1, товаров: 2",
    );
    expect(screen.getByTestId("report-boxes"), "boxes handed over").toHaveTextContent("1");
    const fit = screen.getByTestId("report-refusal-did_not_fit");
    expect(fit, "refusals by reason: at the counter").toHaveAttribute("data-counter", "1");
    expect(fit, "and from couriers").toHaveAttribute("data-couriers", "2");
    expect(screen.getByTestId("report-closed"), "who closed it").toHaveTextContent("Анна");
  });

  it("warns when the server has not answered, or rejected, some of the shift's operations", async () => {
    const unsettled = makeView({
      ...closed,
      shift_report: { ...closed.shift_report!, ops_pending: 2, ops_rejected: 1 },
    });
    await renderScreen(invokeMock, unsettled, "shift-report");
    const note = screen.getByTestId("report-unsettled");
    expect(note, "how many wait").toHaveTextContent("ещё не отправлено на сервер: 2");
    expect(note, "how many were rejected").toHaveTextContent("Отклонено сервером: 1");
  });

  it("saves the report as PDF and as CSV and shows where", async () => {
    await renderScreen(invokeMock, closed, "shift-report");
    expect(screen.queryByTestId("export-png"), "a report is PDF and CSV, not a picture").toBeNull();
    routeInvoke(invokeMock, {
      export_document: () => "/data/documents/shift-report-shift-1.pdf",
      export_shift_report_csv: () => "/data/documents/shift-report-shift-1.csv",
    });
    await clickEnabled("export-pdf");
    expect(callsOf(invokeMock, "export_document"), "the PDF is the shift's document").toEqual([
      { document: { kind: "shift_report", shift_id: "shift-1" }, format: "pdf" },
    ]);
    await waitFor(() =>
      expect(screen.getByTestId("print-result"), "the PDF's path is shown").toHaveAttribute(
        "data-path",
        "/data/documents/shift-report-shift-1.pdf",
      ),
    );
    await clickEnabled("export-csv");
    expect(callsOf(invokeMock, "export_shift_report_csv"), "the CSV names the shift").toEqual([
      { shiftId: "shift-1" },
    ]);
    await waitFor(() =>
      expect(screen.getByTestId("print-result"), "the CSV's path is shown").toHaveTextContent(
        "shift-report-shift-1.csv",
      ),
    );

    routeInvoke(invokeMock, { dismiss_shift_report: () => noShift });
    await clickEnabled("dismiss-shift-report");
    expect(callsOf(invokeMock, "dismiss_shift_report"), "Готово takes it away").toHaveLength(1);
    await screen.findByTestId("shift-start");
  });

  it("lets a counter without login open a shift from home", async () => {
    await renderScreen(invokeMock, makeView(), "shift-panel");
    expect(screen.getByTestId("shift-panel"), "no shift yet").toHaveAttribute(
      "data-state",
      "closed",
    );
    routeInvoke(invokeMock, {
      open_shift: () =>
        makeView({ session: { ...onDuty(), login_required: false, logged_in: null } }),
    });
    await clickEnabled("open-shift");
    expect(callsOf(invokeMock, "open_shift"), "opened from home").toHaveLength(1);
    await waitFor(() =>
      expect(screen.getByTestId("shift-panel"), "now open").toHaveAttribute("data-state", "open"),
    );
  });
});
