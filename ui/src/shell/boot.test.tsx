import { fireEvent, render, screen } from "@testing-library/react";
import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import indexHtml from "../../index.html?raw";
import bootScript from "../../public/boot.js?raw";
import { App } from "../App";
import { en } from "../i18n/en";
import { ru } from "../i18n/ru";
import { callsOf, makeItem, makeOrder, makeView, routeInvoke, settle } from "../test/fixtures";
import { bootFirstView, takeOverBootShell } from "./boot";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(() => Promise.resolve(() => undefined)) }));
const invokeMock = vi.mocked(invoke);
/** The window's IPC as boot.js reaches it (it cannot import the bundle's API). */
const tauriWindow = window as unknown as { __TAURI_INTERNALS__?: { invoke: unknown } };

/**
 * Puts index.html's shell into the document and runs public/boot.js on it, as the window does.
 * `backend`: what boot.js's own `counter_view` gets (without it, boot.js runs as outside Tauri).
 */
function startShell(lang: "ru" | "en" = "ru", backend?: () => Promise<unknown>) {
  window.localStorage.setItem("pvz-kiosk.lang", lang);
  if (backend) tauriWindow.__TAURI_INTERNALS__ = { invoke: vi.fn(backend) };
  const page = new DOMParser().parseFromString(indexHtml, "text/html");
  document.body.innerHTML = page.body.innerHTML;
  // boot.js is a plain script the page runs as is; so does the test.
  window.eval(bootScript);
  const input = document.getElementById("pvz-boot-input") as HTMLInputElement;
  const form = document.getElementById("pvz-boot-form") as HTMLFormElement;
  return {
    input,
    enter(code: string) {
      input.value = code;
      fireEvent.submit(form);
    },
  };
}

beforeEach(() => {
  invokeMock.mockReset();
  delete window.__pvzBoot;
  delete tauriWindow.__TAURI_INTERNALS__;
  document.body.innerHTML = "";
});

describe("the plain-HTML shell before the bundle runs", () => {
  it("says what the app's scan field says, in both languages", () => {
    startShell("ru");
    expect(screen.getByLabelText(ru.manual.label), "the Russian label").toBeTruthy();
    expect(screen.getByPlaceholderText(ru.manual.placeholder), "the Russian hint").toBeTruthy();
    expect(screen.getByRole("button", { name: ru.manual.submit })).toBeTruthy();
    startShell("en");
    expect(screen.getByLabelText(en.manual.label), "the English label").toBeTruthy();
    expect(screen.getByPlaceholderText(en.manual.placeholder), "the English hint").toBeTruthy();
    expect(screen.getByRole("button", { name: en.manual.submit })).toBeTruthy();
  });

  it("has the keyboard at once and keeps each code entered with Enter, and the unfinished one", () => {
    const shell = startShell();
    expect(document.activeElement, "the shell's field should have the keyboard").toBe(shell.input);
    shell.enter("482137");
    expect(shell.input.value, "the field empties after Enter, like the app's").toBe("");
    shell.input.value = "4821";
    const handoff = takeOverBootShell();
    expect(
      handoff.submitted.map((s) => s.code),
      "the entered code is kept",
    ).toEqual(["482137"]);
    expect(handoff.draft, "the unfinished text is kept").toBe("4821");
    expect(handoff.focused, "the app's field should take the keyboard").toBe(true);
  });
});

describe("the app taking over from the shell", () => {
  it("scans what was entered in the shell once the counter is up, once", async () => {
    const opened = makeView({
      screen: { kind: "order", view: makeOrder([makeItem({ item_id: "i1" })]) },
    });
    routeInvoke(invokeMock, {
      counter_view: () => makeView(),
      scan: () => ({ view: opened, notice: null }),
    });
    const shell = startShell();
    shell.enter("482137");
    takeOverBootShell();
    document.body.innerHTML = "";
    await settle(() => void render(<App />));
    await settle(() => undefined);
    expect(callsOf(invokeMock, "scan"), "the code entered in the shell is scanned once").toEqual([
      { input: "482137" },
    ]);
    expect(await screen.findByTestId("hand-over-i1"), "and its order opens").toBeTruthy();
  });

  it("keeps the unfinished text and the keyboard in the app's scan field", async () => {
    routeInvoke(invokeMock, { counter_view: () => makeView() });
    const shell = startShell();
    shell.input.value = "77";
    takeOverBootShell();
    document.body.innerHTML = "";
    await settle(() => void render(<App />));
    const field = screen.getByTestId("manual-input");
    expect((field as HTMLInputElement).value, "the unfinished text carries over").toBe("77");
    expect(document.activeElement, "and so does the keyboard").toBe(field);
    expect(callsOf(invokeMock, "scan"), "nothing is scanned before Enter").toEqual([]);
  });
});

describe("the app's first render", () => {
  it("shows the counter's data at once when the shell's first view is in, without asking again", async () => {
    routeInvoke(invokeMock, { counter_view: () => makeView() });
    startShell("ru", () =>
      Promise.resolve(
        makeView({ status: { ...makeView().status, pickup_point: "ПВЗ Речная, 1" } }),
      ),
    );
    const firstView = await bootFirstView();
    takeOverBootShell(document, firstView);
    document.body.innerHTML = "";
    render(<App />);
    expect(
      screen.getByTestId("pickup-point").textContent,
      "the first render shows the point the store named, not the shell's placeholder",
    ).toBe("ПВЗ Речная, 1");
    await settle(() => undefined);
    expect(
      callsOf(invokeMock, "counter_view"),
      "the app uses the shell's view, not a second one",
    ).toEqual([]);
  });

  it("renders without the shell's view when the store does not answer in time, and asks again", async () => {
    routeInvoke(invokeMock, { counter_view: () => makeView() });
    startShell("ru", () => new Promise(() => undefined));
    const firstView = await bootFirstView(5);
    expect(firstView, "a view still on its way does not hold back the first render").toBeNull();
    takeOverBootShell(document, firstView);
    document.body.innerHTML = "";
    await settle(() => void render(<App />));
    expect(callsOf(invokeMock, "counter_view").length, "the app asks for the view itself").toBe(1);
    expect(screen.getByTestId("pickup-point").textContent, "and shows it").toBe("ПВЗ Лесная, 5");
  });
});
