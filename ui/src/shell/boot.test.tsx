import { fireEvent, render, screen } from "@testing-library/react";
import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import indexHtml from "../../index.html?raw";
import bootScript from "../../public/boot.js?raw";
import { App } from "../App";
import { en } from "../i18n/en";
import { ru } from "../i18n/ru";
import { callsOf, makeItem, makeOrder, makeView, routeInvoke, settle } from "../test/fixtures";
import { takeOverBootShell } from "./boot";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(() => Promise.resolve(() => undefined)) }));
const invokeMock = vi.mocked(invoke);

/** Puts index.html's shell into the document and runs public/boot.js on it, as the window does. */
function startShell(lang: "ru" | "en" = "ru") {
  window.localStorage.setItem("pvz-kiosk.lang", lang);
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
