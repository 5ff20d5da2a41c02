import { act, fireEvent, render, screen } from "@testing-library/react";
import { invoke } from "@tauri-apps/api/core";
import { listen, type EventCallback } from "@tauri-apps/api/event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { SyncStatusView } from "../bindings";
import i18n from "../i18n";
import { callsOf, rejectWith, routeInvoke, settle } from "../test/fixtures";
import { useSyncStatus } from "../useSyncStatus";
import { SyncStrip } from "./SyncStrip";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));
const invokeMock = vi.mocked(invoke);
const listenMock = vi.mocked(listen);

function makeSync(overrides: Partial<SyncStatusView> = {}): SyncStatusView {
  return {
    configured: true,
    server_url: "http://127.0.0.1:8700",
    online: true,
    syncing: false,
    ops_waiting: 0,
    last_sync_at: new Date(2026, 10, 26, 10, 42).toISOString(),
    last_error: null,
    last_error_kind: null,
    attention: [],
    catch_up: null,
    ...overrides,
  };
}

/** The handler the strip registered for `sync-status`, to play the backend's events. */
let emit: (status: SyncStatusView) => void = () => undefined;

function Harness() {
  return <SyncStrip sync={useSyncStatus()} />;
}

beforeEach(() => {
  invokeMock.mockReset();
  listenMock.mockReset();
  listenMock.mockImplementation((event, handler) => {
    expect(event, "the strip should listen to the sync-status event").toBe("sync-status");
    emit = (payload) =>
      (handler as EventCallback<SyncStatusView>)({ event: "sync-status", id: 1, payload });
    return Promise.resolve(() => undefined);
  });
});

describe("sync strip", () => {
  it("shows online, the waiting count and the last sync from the first read", async () => {
    routeInvoke(invokeMock, { sync_status: () => makeSync({ ops_waiting: 2 }) });
    render(<Harness />);
    const online = await screen.findByText("На связи");
    expect(screen.getByTestId("sync-online"), "the chip should say online").toHaveAttribute(
      "data-state",
      "online",
    );
    expect(online, "the online text should be visible").toBeVisible();
    expect(
      screen.getByTestId("sync-waiting"),
      "the waiting count is a bare number",
    ).toHaveTextContent(/^2$/);
    expect(screen.getByTestId("sync-last"), "the last sync time should show").toHaveTextContent(
      "10:42",
    );
  });

  it("follows sync-status events: offline with the reason, then back online", async () => {
    routeInvoke(invokeMock, { sync_status: () => makeSync() });
    render(<Harness />);
    await screen.findByText("На связи");
    await act(async () => {
      emit(
        makeSync({
          online: false,
          ops_waiting: 5,
          last_error: "the central server cannot be reached: no connection",
          last_error_kind: "server_unreachable",
        }),
      );
      await Promise.resolve();
    });
    expect(screen.getByTestId("sync-online"), "the chip should turn offline").toHaveAttribute(
      "data-state",
      "offline",
    );
    expect(screen.getByTestId("sync-online"), "offline should be said in words").toHaveTextContent(
      "Нет связи",
    );
    expect(screen.getByTestId("sync-waiting"), "the queue should grow").toHaveTextContent("5");
    const reason = screen.getByTestId("sync-error");
    expect(reason, "the manager is told, in Russian, that nothing is lost").toHaveTextContent(
      "Всё сохранено, отправим",
    );
    expect(reason, "the technical reason stays out of the text").not.toHaveTextContent(
      "no connection",
    );
    expect(reason, "the technical reason is in the tooltip").toHaveAttribute(
      "title",
      "the central server cannot be reached: no connection",
    );
    await act(async () => {
      emit(makeSync());
      await Promise.resolve();
    });
    expect(screen.getByTestId("sync-waiting"), "the queue should drain").toHaveTextContent("0");
    expect(screen.queryByTestId("sync-error"), "the error should clear").toBeNull();
  });

  it("lists the rejected ops with the server's reason", async () => {
    routeInvoke(invokeMock, {
      sync_status: () =>
        makeSync({
          attention: [
            {
              seq: 7,
              op_id: "op-7",
              kind: "issue_completed",
              order_short_code: "482137",
              code: "order_closed",
              message: "the order was already issued",
              created_at: new Date(2026, 10, 26, 9, 0).toISOString(),
              rejected_at: new Date(2026, 10, 26, 9, 5).toISOString(),
            },
          ],
        }),
    });
    render(<Harness />);
    const count = await screen.findByTestId("attention-count");
    expect(count, "the count of ops needing attention should show").toHaveAttribute(
      "data-count",
      "1",
    );
    expect(screen.queryByTestId("attention-list"), "the list starts closed").toBeNull();
    await settle(() => fireEvent.click(count));
    const item = screen.getByTestId("attention-item-7");
    expect(item, "the item should name the op in Russian").toHaveTextContent("Выдача заказа");
    expect(item, "the item should name the order").toHaveTextContent("Заказ 482137");
    expect(item, "the item should carry the server's reason").toHaveTextContent(
      "the order was already issued",
    );
    expect(item, "the item should keep the reason code").toHaveAttribute(
      "data-code",
      "order_closed",
    );
  });

  it("syncs now on the button and shows catch-up progress", async () => {
    routeInvoke(invokeMock, {
      sync_status: () => makeSync(),
      sync_now: () =>
        makeSync({
          syncing: true,
          catch_up: { pages_done: 2, changes_done: 400, changes_remaining: 600 },
        }),
    });
    render(<Harness />);
    const button = await screen.findByTestId("sync-now");
    await settle(() => fireEvent.click(button));
    expect(callsOf(invokeMock, "sync_now"), "the button should call sync_now once").toHaveLength(1);
    const bar = screen.getByTestId("sync-progress");
    expect(bar, "the bar should show changes done").toHaveAttribute("value", "400");
    expect(bar, "the bar's end is done + remaining").toHaveAttribute("max", "1000");
    expect(screen.getByText(/400 из 1000/), "the progress should be said in words").toBeVisible();
    expect(button, "the button waits while a pass runs").toBeDisabled();
  });

  it("without a server says so, disables sync and speaks English when asked", async () => {
    routeInvoke(invokeMock, {
      sync_status: () => makeSync({ configured: false, online: false, last_sync_at: null }),
      sync_now: () => rejectWith("not_connected"),
    });
    render(<Harness />);
    await screen.findByText("Без сервера");
    expect(screen.getByTestId("sync-now"), "there is nothing to sync with").toBeDisabled();
    expect(screen.getByTestId("sync-last"), "no sync yet").toHaveTextContent("ещё не было");
    await act(async () => {
      await i18n.changeLanguage("en");
    });
    expect(screen.getByTestId("sync-online"), "the chip should be translated").toHaveTextContent(
      "No server",
    );
    expect(screen.getByTestId("sync-now"), "the button should be translated").toHaveTextContent(
      "Sync now",
    );
  });
});
