import { render, screen } from "@testing-library/react";
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "../../App";
import {
  callsOf,
  clickEnabled,
  makeSession,
  makeView,
  onDuty,
  rejectWith,
  routeInvoke,
  settle,
} from "../../test/fixtures";
import { CLOSE_REQUESTED_EVENT } from "./api";
import { ConfigProblems } from "./ConfigProblems";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));
const invokeMock = vi.mocked(invoke);
const listenMock = vi.mocked(listen);

/** The handlers the page subscribed, by event name, to send the backend's events to. */
let handlers: Map<string, (event: { payload: unknown }) => void>;

beforeEach(() => {
  invokeMock.mockReset();
  handlers = new Map();
  listenMock.mockImplementation((name, handler) => {
    handlers.set(name, handler as (event: { payload: unknown }) => void);
    return Promise.resolve(() => undefined);
  });
});

async function requestClose() {
  await vi.waitFor(() =>
    expect(handlers.has(CLOSE_REQUESTED_EVENT), "the page listens").toBe(true),
  );
  await settle(() => handlers.get(CLOSE_REQUESTED_EVENT)?.({ payload: null }));
}

async function pressPin(pin: string) {
  for (const digit of pin) await clickEnabled(`pin-key-${digit}`);
  await clickEnabled("pin-submit");
}

describe("closing the counter in kiosk mode", () => {
  it("asks for a manager's PIN, says why a wrong one is refused, and sends the right one", async () => {
    let refuse = true;
    routeInvoke(invokeMock, {
      counter_view: () => makeView({ session: onDuty() }),
      authorize_close: () => (refuse ? rejectWith("wrong_pin", "4") : undefined),
    });
    render(<App />);
    await screen.findByTestId("manual-input");
    await requestClose();
    expect(screen.getByTestId("close-screen"), "the close request asks for a PIN").toBeVisible();
    expect(screen.queryByTestId("manual-input"), "no scanning while it asks").toBeNull();

    await clickEnabled("login-manager-mgr-anna");
    await pressPin("0000");
    expect(screen.getByTestId("login-error"), "a wrong PIN says the tries left").toHaveTextContent(
      "4",
    );
    refuse = false;
    await pressPin("4826");
    expect(callsOf(invokeMock, "authorize_close").at(-1), "Anna's PIN is sent to close").toEqual({
      employeeId: "mgr-anna",
      pin: "4826",
    });
  });

  it("goes back to the counter when the manager does not close", async () => {
    routeInvoke(invokeMock, { counter_view: () => makeView({ session: onDuty() }) });
    render(<App />);
    await screen.findByTestId("manual-input");
    await requestClose();
    await clickEnabled("close-cancel");
    expect(screen.queryByTestId("close-screen"), "the PIN form is gone").toBeNull();
    expect(screen.getByTestId("manual-input"), "the counter is back").toBeVisible();
    expect(callsOf(invokeMock, "authorize_close"), "nothing was sent").toEqual([]);
  });

  it("closes without a PIN where nobody can log in", async () => {
    routeInvoke(invokeMock, { counter_view: () => makeView({ session: makeSession() }) });
    render(<App />);
    await screen.findByTestId("manual-input");
    await requestClose();
    expect(screen.queryByTestId("close-screen"), "no PIN to ask for").toBeNull();
    expect(callsOf(invokeMock, "authorize_close"), "the close is allowed at once").toEqual([
      { employeeId: null, pin: null },
    ]);
  });
});

describe("the configuration's problems", () => {
  it("show each problem under one heading, and nothing when there is none", () => {
    const problem = '/etc/pvz-kiosk/kiosk.toml: language: "de" is not a language of the counter';
    const { rerender } = render(<ConfigProblems problems={[problem]} />);
    expect(
      screen.getByTestId("config-problems"),
      "the banner says the configuration is wrong",
    ).toHaveTextContent("kiosk.toml");
    expect(
      screen.getByTestId("config-problem"),
      "the problem names file and key",
    ).toHaveTextContent(problem);
    rerender(<ConfigProblems problems={[]} />);
    expect(screen.queryByTestId("config-problems"), "no banner without problems").toBeNull();
  });
});
