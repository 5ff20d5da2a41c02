import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { invoke } from "@tauri-apps/api/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "../../App";
import {
  anna,
  callsOf,
  clickEnabled,
  enabledButton,
  loggedOut,
  makeView,
  onDuty,
  rejectWith,
  routeInvoke,
  settle,
} from "../../test/fixtures";
import { renderScreen } from "../../test/screens";
import { KEEP_ALIVE_EVERY_MS } from "./useSession";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(() => Promise.resolve(() => undefined)) }));
const invokeMock = vi.mocked(invoke);

const lockedOut = makeView({ session: loggedOut() });
const working = makeView({ session: onDuty() });

async function pressKeys(keys: string) {
  for (const key of keys) await settle(() => fireEvent.click(screen.getByTestId(`pin-key-${key}`)));
}

beforeEach(() => {
  invokeMock.mockReset();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("PIN login", () => {
  it("shows the PIN screen instead of the counter while nobody is on duty", async () => {
    await renderScreen(invokeMock, lockedOut, "login-screen");
    expect(screen.queryByTestId("manual-input"), "no manual field on the PIN screen").toBeNull();
    expect(screen.queryByTestId("open-returns"), "no counter work behind it").toBeNull();
    expect(screen.getByTestId("login-manager-mgr-anna"), "managers are listed").toHaveTextContent(
      "Анна Смирнова",
    );
    expect(screen.getByTestId("pin-input"), "no manager picked yet: no PIN").toBeDisabled();
    expect(screen.getByTestId("pin-submit"), "nothing to submit yet").toBeDisabled();
  });

  it("logs in with the keypad, the PIN masked", async () => {
    await renderScreen(invokeMock, lockedOut, "login-screen");
    routeInvoke(invokeMock, { log_in: () => working });
    await settle(() => fireEvent.click(screen.getByTestId("login-manager-mgr-anna")));
    expect(screen.getByTestId("login-manager-mgr-anna"), "Anna is picked").toHaveAttribute(
      "aria-pressed",
      "true",
    );
    await pressKeys("4827");
    await settle(() => fireEvent.click(screen.getByTestId("pin-key-back")));
    await pressKeys("6");
    const input = screen.getByTestId("pin-input");
    expect(input, "the digits are masked").toHaveAttribute("type", "password");
    expect(input, "the keypad typed the PIN").toHaveValue("4826");
    await clickEnabled("pin-submit");
    expect(callsOf(invokeMock, "log_in"), "the PIN goes to the backend for Anna").toEqual([
      { employeeId: "mgr-anna", pin: "4826" },
    ]);
    await screen.findByTestId("open-returns");
    expect(
      screen.getByTestId("header-manager"),
      "the header names who is on duty",
    ).toHaveTextContent("Анна Смирнова");
  });

  it("takes a PIN typed as fast as a scanner into the PIN, never as a scan", async () => {
    await renderScreen(invokeMock, lockedOut, "login-screen");
    routeInvoke(invokeMock, { log_in: () => working });
    await settle(() => fireEvent.click(screen.getByTestId("login-manager-mgr-boris")));
    // Focus away from the field: the keys still land in the PIN.
    (document.activeElement as HTMLElement | null)?.blur();
    await settle(() => {
      for (const key of "4826x") fireEvent.keyDown(document.body, { key });
      fireEvent.keyDown(document.body, { key: "Enter" });
    });
    expect(callsOf(invokeMock, "scan"), "nothing was sent as a scan").toEqual([]);
    expect(callsOf(invokeMock, "log_in"), "Enter logged Boris in with the digits only").toEqual([
      { employeeId: "mgr-boris", pin: "4826" },
    ]);
  });

  it("puts the keyboard on the PIN after a name is clicked, even the one already picked", async () => {
    await renderScreen(invokeMock, lockedOut, "login-screen");
    routeInvoke(invokeMock, { log_in: () => working });
    const anna = screen.getByTestId("login-manager-mgr-anna");
    await settle(() => fireEvent.click(anna));
    anna.focus();
    await settle(() => fireEvent.click(anna));
    const pin = screen.getByTestId("pin-input");
    expect(document.activeElement, "the PIN field has the keyboard after the click").toBe(pin);
    fireEvent.change(pin, { target: { value: "4826" } });
    await settle(() => fireEvent.submit(pin));
    expect(callsOf(invokeMock, "log_in"), "Enter in the PIN logs Anna in").toEqual([
      { employeeId: "mgr-anna", pin: "4826" },
    ]);
  });

  it("logs in from the keyboard alone: arrows or Tab to the name, the digits, Enter", async () => {
    await renderScreen(invokeMock, lockedOut, "login-screen");
    routeInvoke(invokeMock, { log_in: () => working });
    await settle(() => fireEvent.keyDown(document.body, { key: "ArrowDown" }));
    await settle(() => fireEvent.keyDown(document.body, { key: "ArrowDown" }));
    expect(
      screen.getByTestId("login-manager-mgr-boris"),
      "two arrows down pick Boris",
    ).toHaveAttribute("aria-pressed", "true");
    expect(document.activeElement, "and put the keyboard on the PIN").toBe(
      screen.getByTestId("pin-input"),
    );

    // Tab onto Anna's name picks her; the digits typed there go into her PIN, Enter logs in.
    const anna = screen.getByTestId("login-manager-mgr-anna");
    await settle(() => anna.focus());
    expect(anna, "Tab onto a name picks it").toHaveAttribute("aria-pressed", "true");
    await settle(() => {
      for (const key of "4826") fireEvent.keyDown(anna, { key });
    });
    await settle(() => fireEvent.keyDown(anna, { key: "Enter" }));
    expect(
      callsOf(invokeMock, "log_in"),
      "Enter on her name logs her in, not picks her again",
    ).toEqual([{ employeeId: "mgr-anna", pin: "4826" }]);
  });

  it("says how many tries are left after a wrong PIN, and until when after a lockout", async () => {
    await renderScreen(invokeMock, lockedOut, "login-screen");
    routeInvoke(invokeMock, {
      log_in: () => rejectWith("wrong_pin", "2"),
      counter_view: () => lockedOut,
    });
    await settle(() => fireEvent.click(screen.getByTestId("login-manager-mgr-anna")));
    const input = screen.getByTestId("pin-input");
    await settle(() => fireEvent.change(input, { target: { value: "1111" } }));
    await settle(() => fireEvent.submit(input));
    const error = await screen.findByTestId("login-error");
    expect(error, "the kind is exposed").toHaveAttribute("data-kind", "wrong_pin");
    expect(error, "tries left are said").toHaveTextContent("Осталось попыток: 2");
    expect(input, "the PIN starts again").toHaveValue("");

    const until = new Date(2026, 11, 10, 14, 35).toISOString();
    routeInvoke(invokeMock, {
      log_in: () => rejectWith("pin_locked", until),
      counter_view: () =>
        makeView({
          session: loggedOut({
            managers: [
              { ...anna, locked_until: until },
              { employee_id: "mgr-boris", name: "Борис Ким", locked_until: null },
            ],
          }),
        }),
    });
    await settle(() => fireEvent.change(input, { target: { value: "2222" } }));
    await settle(() => fireEvent.submit(input));
    await waitFor(() =>
      expect(screen.getByTestId("login-error"), "the lockout is said").toHaveAttribute(
        "data-kind",
        "pin_locked",
      ),
    );
    expect(screen.getByTestId("login-error"), "with until when").toHaveTextContent("14:35");
    await waitFor(() =>
      expect(
        screen.getByTestId("login-manager-mgr-anna"),
        "the manager's button shows the lockout",
      ).toHaveTextContent("заблокирован до"),
    );
  });

  it("says to wait for sync when no manager who can log in is known yet", async () => {
    await renderScreen(
      invokeMock,
      makeView({ session: loggedOut({ waiting_for_sync: true, managers: [] }) }),
      "login-screen",
    );
    expect(screen.getByTestId("login-waiting"), "it says why nobody can log in").toHaveTextContent(
      "Дождитесь синхронизации",
    );
    expect(screen.getByTestId("pin-submit"), "nothing to submit").toBeDisabled();
  });

  it("shows an idle lock with the manager it locked on already picked", async () => {
    const locked = makeView({
      session: loggedOut({ lock: { kind: "idle", manager: anna }, shift: onDuty().shift }),
    });
    await renderScreen(invokeMock, locked, "login-screen");
    expect(screen.getByText("Касса заблокирована"), "the title says locked").toBeVisible();
    expect(screen.getByTestId("login-idle"), "it names who was working").toHaveTextContent(
      "Анна Смирнова",
    );
    expect(screen.getByTestId("login-shift-open"), "the shift stays open").toBeVisible();
    expect(screen.getByTestId("login-manager-mgr-anna"), "Anna is picked").toHaveAttribute(
      "aria-pressed",
      "true",
    );
    expect(screen.getByTestId("pin-input"), "ready for her PIN").toBeEnabled();
  });

  it("logs out from the header and locks by itself when the idle time is up", async () => {
    const soon = makeView({
      session: onDuty({ idle_lock_at: new Date(Date.now() + 50).toISOString() }),
    });
    routeInvoke(invokeMock, { counter_view: () => soon });
    render(<App />);
    await screen.findByTestId("open-returns");
    // The backend now says the idle time is up.
    routeInvoke(invokeMock, {
      counter_view: () =>
        makeView({ session: loggedOut({ lock: { kind: "idle", manager: anna } }) }),
    });
    await screen.findByTestId("login-screen", undefined, { timeout: 4000 });
    expect(screen.queryByTestId("manual-input"), "locked: nothing to scan").toBeNull();

    routeInvoke(invokeMock, { log_in: () => working, log_out: () => lockedOut });
    const input = screen.getByTestId("pin-input");
    await settle(() => fireEvent.change(input, { target: { value: "4826" } }));
    await settle(() => fireEvent.submit(input));
    const header = await screen.findByTestId("header-manager");
    await settle(() =>
      fireEvent.click(within(header.parentElement as HTMLElement).getByTestId("log-out")),
    );
    expect(callsOf(invokeMock, "log_out"), "the header's button logs out").toHaveLength(1);
    await screen.findByTestId("login-screen");
  });

  it("keeps the session alive while the manager works, at most twice a minute", async () => {
    let now = 1_000_000;
    vi.spyOn(performance, "now").mockImplementation(() => now);
    routeInvoke(invokeMock, { counter_view: () => working, keep_alive: () => onDuty() });
    render(<App />);
    await screen.findByTestId("open-returns");
    await settle(() => fireEvent.pointerDown(document.body));
    expect(callsOf(invokeMock, "keep_alive"), "just after login nothing is sent").toHaveLength(0);
    now += KEEP_ALIVE_EVERY_MS + 1;
    await settle(() => fireEvent.pointerDown(document.body));
    await settle(() => fireEvent.keyDown(document.body, { key: "Shift" }));
    expect(callsOf(invokeMock, "keep_alive"), "one call for a burst of activity").toHaveLength(1);
  });

  it("shows the login screen when an action finds the counter locked", async () => {
    routeInvoke(invokeMock, { counter_view: () => working });
    render(<App />);
    const button = await enabledButton("open-returns");
    routeInvoke(invokeMock, {
      open_returns: () => rejectWith("idle_locked"),
      counter_view: () =>
        makeView({ session: loggedOut({ lock: { kind: "idle", manager: anna } }) }),
    });
    await settle(() => fireEvent.click(button));
    await screen.findByTestId("login-screen");
    expect(screen.getByTestId("error-banner"), "the banner says why").toHaveTextContent(
      "заблокирована",
    );
  });
});
