import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { DocumentRef } from "../bindings";
import {
  callsOf,
  enabledButton,
  makeView,
  rejectWith,
  routeInvoke,
  settle,
} from "../test/fixtures";
import { App } from "../App";
import { PrintBar } from "./PrintBar";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(() => Promise.resolve(() => undefined)) }));
const invokeMock = vi.mocked(invoke);

const label: DocumentRef = { kind: "return_label", return_id: "ret-1" };

beforeEach(() => {
  invokeMock.mockReset();
});

describe("print bar", () => {
  it("chooses the default printer and prints on it", async () => {
    routeInvoke(invokeMock, {
      list_printers: () => [
        { name: "Office", is_default: false },
        { name: "Zebra", is_default: true },
      ],
      print_document: () => "Office-42",
    });
    render(<PrintBar document={label} />);
    const print = await enabledButton("print-submit");
    expect(screen.getByTestId("print-printer"), "the default printer is chosen").toHaveValue(
      "Zebra",
    );
    fireEvent.change(screen.getByTestId("print-printer"), { target: { value: "Office" } });
    await settle(() => fireEvent.click(print));
    expect(callsOf(invokeMock, "print_document"), "the document goes to the chosen one").toEqual([
      { document: label, printer: "Office" },
    ]);
    expect(screen.getByTestId("print-result"), "the bar says where it went").toHaveTextContent(
      "Отправлено на печать: Office (задание Office-42)",
    );
  });

  it("says clearly when there is no printer, and still saves a PDF", async () => {
    routeInvoke(invokeMock, {
      list_printers: () => [],
      export_document: () => "/home/pvz/Документы/return-ret-1.pdf",
    });
    render(<PrintBar document={label} />);
    expect(
      await screen.findByTestId("print-no-printers"),
      "no printer is said plainly, with what to do",
    ).toHaveTextContent("Принтеры не найдены: сохраните PDF");
    expect(screen.getByTestId("print-submit"), "nothing to print on").toBeDisabled();
    await settle(() => fireEvent.click(screen.getByTestId("export-pdf")));
    expect(callsOf(invokeMock, "export_document"), "the PDF is asked for").toEqual([
      { document: label, format: "pdf" },
    ]);
    const result = screen.getByTestId("print-result");
    expect(result, "the saved path is shown").toHaveTextContent(
      "Сохранено: /home/pvz/Документы/return-ret-1.pdf",
    );
    expect(result, "the path is readable by tests").toHaveAttribute(
      "data-path",
      "/home/pvz/Документы/return-ret-1.pdf",
    );
  });

  it("saves a PNG", async () => {
    routeInvoke(invokeMock, { export_document: () => "/tmp/label.png" });
    render(<PrintBar document={{ kind: "box_label", box_id: "box-1" }} />);
    await settle(() => fireEvent.click(screen.getByTestId("export-png")));
    expect(callsOf(invokeMock, "export_document"), "the PNG is asked for").toEqual([
      { document: { kind: "box_label", box_id: "box-1" }, format: "png" },
    ]);
    expect(screen.getByTestId("print-result"), "its path is shown").toHaveAttribute(
      "data-path",
      "/tmp/label.png",
    );
  });

  it("shows a printing failure in the bar, translated", async () => {
    routeInvoke(invokeMock, {
      list_printers: () => [{ name: "Zebra", is_default: true }],
      print_document: () => rejectWith("printing_failed"),
    });
    render(<PrintBar document={label} />);
    const print = await enabledButton("print-submit");
    await settle(() => fireEvent.click(print));
    const error = screen.getByTestId("print-error");
    expect(error, "the failure is in the bar").toHaveTextContent("Не удалось напечатать");
    expect(error, "with its kind").toHaveAttribute("data-kind", "printing_failed");
  });

  it("says the printing service is unavailable when listing fails", async () => {
    routeInvoke(invokeMock, { list_printers: () => rejectWith("printing_failed") });
    render(<PrintBar document={label} />);
    await waitFor(() =>
      expect(
        screen.getByTestId("print-no-printers"),
        "a failed listing says printing is unavailable, and what to do",
      ).toHaveTextContent("Служба печати недоступна: сохраните PDF"),
    );
    expect(
      screen.getByTestId("print-no-printers"),
      "the technical reason is kept for whoever fixes it",
    ).toHaveAttribute("title", expect.stringContaining("Не удалось напечатать") as string);
  });

  it("is under the receipt too", async () => {
    routeInvoke(invokeMock, {
      counter_view: () =>
        makeView({
          screen: {
            kind: "receipt",
            view: {
              op_id: "op-1",
              order_id: "ord-1",
              short_code: "482137",
              issued_at: new Date(2026, 11, 10, 10, 0).toISOString(),
              handed_over: [],
              refused: [],
              not_arrived: [],
              collected: 0,
              refunded: 0,
              qr_data_uri: "data:image/svg+xml;base64,PHN2Zy8+",
            },
          },
        }),
      export_document: () => "/tmp/receipt.pdf",
    });
    render(<App />);
    await screen.findByTestId("receipt");
    await settle(() => fireEvent.click(screen.getByTestId("export-pdf")));
    expect(callsOf(invokeMock, "export_document"), "the receipt is exported").toEqual([
      { document: { kind: "receipt", order_id: "ord-1" }, format: "pdf" },
    ]);
  });
});
