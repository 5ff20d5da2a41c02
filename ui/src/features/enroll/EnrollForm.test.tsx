import { fireEvent, render, screen } from "@testing-library/react";
import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "../../App";
import type { CounterView } from "../../bindings";
import { callsOf, makeView, rejectWith, routeInvoke, settle } from "../../test/fixtures";
import { serverAddress } from "./EnrollForm";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(() => Promise.resolve(() => undefined)) }));
const invokeMock = vi.mocked(invoke);

/** A kiosk started with neither a demo seed nor a server. */
const blank = makeView({
  status: { enrolled: false, pickup_point: "", device_id: "", ops_waiting: 0 },
});
const enrolled = makeView({
  status: {
    enrolled: true,
    pickup_point: "ПВЗ Москва, Тверская 7",
    device_id: "d1",
    ops_waiting: 0,
  },
});

const field = (id: string) => screen.getByTestId<HTMLInputElement>(id);

function type(id: string, text: string) {
  fireEvent.change(screen.getByTestId(id), { target: { value: text } });
}

beforeEach(() => {
  invokeMock.mockReset();
});

describe("connect form", () => {
  it("replaces the scan prompt and the manual field on a kiosk that is not enrolled", async () => {
    routeInvoke(invokeMock, { counter_view: () => blank });
    render(<App />);
    expect(await screen.findByTestId("enroll-form"), "the form should show").toBeVisible();
    expect(screen.getByText("Подключение кассы"), "the title is in Russian").toBeVisible();
    expect(screen.queryByTestId("manual-input"), "nothing to scan yet").toBeNull();
    expect(
      screen.queryByText("Отсканируйте QR-код покупателя или введите код"),
      "no scan prompt",
    ).toBeNull();
    expect(field("enroll-url"), "the address field is focused first").toHaveFocus();
    expect(field("enroll-url"), "the address has an example").toHaveAttribute(
      "placeholder",
      "http://127.0.0.1:8787",
    );
    expect(
      screen.getByText("Касса не подключена"),
      "the header says it is not connected",
    ).toBeVisible();
  });

  it("is not shown on a kiosk enrolled from the demo seed", async () => {
    routeInvoke(invokeMock, { counter_view: () => makeView() });
    render(<App />);
    await screen.findByTestId("manual-input");
    expect(screen.queryByTestId("enroll-form"), "a demo kiosk scans").toBeNull();
  });

  it("keeps submit disabled until an address and a code are typed", async () => {
    routeInvoke(invokeMock, { counter_view: () => blank });
    render(<App />);
    const submit = await screen.findByTestId("enroll-submit");
    expect(submit, "nothing typed").toBeDisabled();
    type("enroll-url", "http://10.0.0.5:8787");
    expect(submit, "no code yet").toBeDisabled();
    type("enroll-code", "   ");
    expect(submit, "blank code").toBeDisabled();
    type("enroll-code", "abcd-efgh-jkmn");
    expect(submit, "address and code are enough; the name is optional").toBeEnabled();
    type("enroll-url", "");
    expect(submit, "the address was cleared").toBeDisabled();
  });

  it("sends what was typed, is busy meanwhile, then shows the connected counter", async () => {
    let answer: (view: CounterView) => void = () => undefined;
    routeInvoke(invokeMock, {
      counter_view: () => blank,
      enroll: () => new Promise<CounterView>((resolve) => (answer = resolve)),
    });
    render(<App />);
    await screen.findByTestId("enroll-form");
    type("enroll-url", "http://10.0.0.5:8787");
    type("enroll-code", "abcdefghjkmn");
    type("enroll-name", "Касса 2");
    await settle(() => fireEvent.click(screen.getByTestId("enroll-submit")));

    expect(callsOf(invokeMock, "enroll"), "enroll is called once with the typed values").toEqual([
      { serverUrl: "http://10.0.0.5:8787", code: "abcdefghjkmn", deviceName: "Касса 2" },
    ]);
    const submit = screen.getByTestId("enroll-submit");
    expect(submit, "no second submit while the server answers").toBeDisabled();
    expect(submit, "the button says it is connecting").toHaveTextContent("Подключение…");
    expect(screen.getByTestId("enroll-form"), "the form is marked busy").toHaveAttribute(
      "aria-busy",
      "true",
    );

    await settle(() => answer(enrolled));
    expect(screen.queryByTestId("enroll-form"), "the form is gone once enrolled").toBeNull();
    expect(
      screen.getByText("ПВЗ Москва, Тверская 7"),
      "the header names the pickup point",
    ).toBeVisible();
    expect(screen.getByTestId("manual-input"), "the counter takes codes now").toBeVisible();
  });

  it("says why a refused code failed, in Russian, and keeps what was typed", async () => {
    routeInvoke(invokeMock, {
      counter_view: () => blank,
      enroll: () => rejectWith("enrollment_refused"),
    });
    render(<App />);
    await screen.findByTestId("enroll-form");
    type("enroll-url", "http://10.0.0.5:8787");
    type("enroll-code", "WRNG-CODE-0000");
    type("enroll-name", "Касса 2");
    await settle(() => fireEvent.click(screen.getByTestId("enroll-submit")));

    const error = screen.getByTestId("enroll-error");
    expect(error, "the refusal is explained").toHaveTextContent("Сервер не принял код");
    expect(error, "the backend's own words stay in the tooltip").not.toHaveTextContent(
      "backend says",
    );
    expect(error, "the kind is readable by tests").toHaveAttribute(
      "data-kind",
      "enrollment_refused",
    );
    expect(field("enroll-url").value, "the address stays").toBe("http://10.0.0.5:8787");
    expect(field("enroll-code").value, "the code stays").toBe("WRNG-CODE-0000");
    expect(field("enroll-name").value, "the name stays").toBe("Касса 2");
    expect(screen.getByTestId("enroll-submit"), "the manager can try again").toBeEnabled();
    expect(
      screen.queryByTestId("error-banner"),
      "the form shows the error, not the banner",
    ).toBeNull();
  });

  it("tells an unreachable server from a bad address, in English too", async () => {
    let failure = rejectWith("server_unreachable");
    routeInvoke(invokeMock, { counter_view: () => blank, enroll: () => failure });
    render(<App />);
    await screen.findByTestId("enroll-form");
    type("enroll-url", "http://10.0.0.5:8787");
    type("enroll-code", "abcd");
    await settle(() => fireEvent.click(screen.getByTestId("enroll-submit")));
    expect(screen.getByTestId("enroll-error"), "no answer at the address").toHaveTextContent(
      "Сервер не отвечает по этому адресу",
    );

    await settle(() => fireEvent.click(screen.getByTestId("lang-switch")));
    expect(
      screen.getByTestId("enroll-error"),
      "the message follows the language",
    ).toHaveTextContent("No server answers at this address");
    failure = rejectWith("invalid_input");
    await settle(() => fireEvent.click(screen.getByTestId("enroll-submit")));
    expect(screen.getByTestId("enroll-error"), "a bad address shows an example").toHaveTextContent(
      "http://127.0.0.1:8787",
    );
  });

  it("sends no device name when none is typed, and http:// when the address has no scheme", async () => {
    routeInvoke(invokeMock, { counter_view: () => blank, enroll: () => enrolled });
    render(<App />);
    await screen.findByTestId("enroll-form");
    type("enroll-url", " 192.168.1.10:8787 ");
    type("enroll-code", " abcd-efgh-jkmn ");
    await settle(() => fireEvent.click(screen.getByTestId("enroll-submit")));
    expect(callsOf(invokeMock, "enroll"), "trimmed, with a scheme, and no name").toEqual([
      { serverUrl: "http://192.168.1.10:8787", code: "abcd-efgh-jkmn", deviceName: null },
    ]);
  });

  it("does not take fast typing in the form for a scan", async () => {
    routeInvoke(invokeMock, { counter_view: () => blank });
    render(<App />);
    const url = await screen.findByTestId("enroll-url");
    await settle(() => {
      for (const key of "http://127.0.0.1:8787") fireEvent.keyDown(url, { key });
      fireEvent.keyDown(url, { key: "Enter" });
    });
    expect(callsOf(invokeMock, "scan"), "a kiosk that is not enrolled scans nothing").toEqual([]);
  });
});

describe("server address", () => {
  it("keeps a scheme and adds http:// to a bare host", () => {
    expect(serverAddress("https://pvz.example.ru/"), "https stays").toBe("https://pvz.example.ru/");
    expect(serverAddress("HTTP://10.0.0.5"), "any case").toBe("HTTP://10.0.0.5");
    expect(serverAddress(" 10.0.0.5:8787"), "bare host and port").toBe("http://10.0.0.5:8787");
  });
});
