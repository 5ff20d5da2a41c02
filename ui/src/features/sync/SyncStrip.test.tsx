import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { invoke } from "@tauri-apps/api/core";
import { listen, type EventCallback } from "@tauri-apps/api/event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { AttentionItem, SyncStatusView } from "../../bindings";
import i18n from "../../i18n";
import { callsOf, rejectWith, routeInvoke, settle } from "../../test/fixtures";
import { useSyncStatus } from "./useSyncStatus";
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
    photos_waiting: 0,
    photos_failed: 0,
    photo_failure: null,
    last_sync_at: new Date(2026, 10, 26, 10, 42).toISOString(),
    last_error: null,
    last_error_kind: null,
    attention: [],
    attention_total: 0,
    catch_up: null,
    ...overrides,
  };
}

function rejectedOp(seq: number, code = "482137"): AttentionItem {
  return {
    seq,
    op_id: `op-${seq}`,
    kind: "issue_completed",
    order_short_code: code,
    code: "order_closed",
    message: "the order was already issued",
    created_at: new Date(2026, 10, 26, 9, 0).toISOString(),
    rejected_at: new Date(2026, 10, 26, 9, 5).toISOString(),
  };
}

/** Several rejected ops, newest (highest seq) first, as the backend lists them. */
function needingAttention(seqs: number[], total = seqs.length): Partial<SyncStatusView> {
  return { attention: seqs.map((seq) => rejectedOp(seq)), attention_total: total };
}

/** The handler the strip registered for `sync-status`, to play the backend's events. */
let emit: (status: SyncStatusView) => void = () => undefined;

/**
 * A strip button once the first status has arrived: the buttons are on screen, disabled, before
 * that, and a click then does nothing.
 */
async function enabledButton(testId: string): Promise<HTMLElement> {
  const button = await screen.findByTestId(testId);
  await waitFor(() =>
    expect(button, `${testId} should be enabled once the status arrives`).toBeEnabled(),
  );
  return button;
}

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

  it("counts the photos waiting to upload only while there are some, in Russian and English", async () => {
    routeInvoke(invokeMock, { sync_status: () => makeSync() });
    render(<Harness />);
    await screen.findByText("На связи");
    expect(
      screen.queryByTestId("sync-photos-waiting"),
      "no photo count while every photo is on the server",
    ).toBeNull();
    await act(async () => {
      emit(makeSync({ photos_waiting: 3 }));
      await Promise.resolve();
    });
    const waiting = screen.getByTestId("sync-photos-waiting");
    expect(waiting, "the photos waiting are counted in Russian").toHaveTextContent(
      /^фото ждут отправки: 3$/,
    );
    await act(async () => {
      await i18n.changeLanguage("en");
    });
    expect(waiting, "and in English").toHaveTextContent(/^photos waiting to upload: 3$/);
    await act(async () => {
      emit(makeSync({ photos_waiting: 0 }));
      await Promise.resolve();
    });
    expect(
      screen.queryByTestId("sync-photos-waiting"),
      "the count leaves once the server has them all",
    ).toBeNull();
  });

  it("shows photos the server refused for good, with the reason in the tooltip", async () => {
    routeInvoke(invokeMock, {
      sync_status: () =>
        makeSync({
          photos_failed: 1,
          photo_failure: "the server answered 413: Payload Too Large",
        }),
    });
    render(<Harness />);
    const failed = await screen.findByTestId("sync-photos-failed");
    expect(failed, "the manager is told a photo did not go").toHaveTextContent(
      /^фото не приняты сервером: 1$/,
    );
    expect(failed, "the server's reason is in the tooltip").toHaveAttribute(
      "title",
      "the server answered 413: Payload Too Large",
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
      sync_status: () => makeSync(needingAttention([7])),
    });
    render(<Harness />);
    const count = await enabledButton("attention-count");
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
    expect(
      screen.getByTestId("attention-ack-7"),
      "each item has a button to mark it resolved",
    ).toHaveTextContent("Разобрано");
    expect(screen.queryByTestId("attention-more"), "a short list has no remainder").toBeNull();
  });

  it("says a claim reject code in the counter's words, keeping the code", async () => {
    const toSeller: AttentionItem = {
      ...rejectedOp(9),
      kind: "claim_return_accepted",
      order_short_code: null,
      code: "claim_to_seller",
      message: "the claim's item goes to the seller",
    };
    routeInvoke(invokeMock, {
      sync_status: () => makeSync({ attention: [toSeller], attention_total: 1 }),
    });
    render(<Harness />);
    const count = await enabledButton("attention-count");
    await settle(() => fireEvent.click(count));
    const item = screen.getByTestId("attention-item-9");
    expect(item, "the op is named").toHaveTextContent("Приём возврата по претензии");
    expect(item, "the reason is translated").toHaveTextContent(
      "Товар по этой претензии возвращается напрямую продавцу",
    );
    expect(item, "the code stays for support").toHaveAttribute("data-code", "claim_to_seller");
  });

  it("marks a rejected op resolved: it leaves the list and the count drops", async () => {
    routeInvoke(invokeMock, {
      sync_status: () => makeSync(needingAttention([8, 7])),
      acknowledge_attention: (args) => makeSync(needingAttention(args?.seq === 7 ? [8] : [])),
    });
    render(<Harness />);
    const count = await enabledButton("attention-count");
    await settle(() => fireEvent.click(count));
    await settle(() => fireEvent.click(screen.getByTestId("attention-ack-7")));
    expect(
      callsOf(invokeMock, "acknowledge_attention"),
      "the button should acknowledge that op once",
    ).toEqual([{ seq: 7 }]);
    expect(screen.queryByTestId("attention-item-7"), "the resolved op leaves the list").toBeNull();
    expect(screen.getByTestId("attention-item-8"), "the other op stays").toBeVisible();
    expect(count, "the count drops to one").toHaveAttribute("data-count", "1");

    await settle(() => fireEvent.click(screen.getByTestId("attention-ack-8")));
    expect(count, "nothing needs attention any more").toHaveAttribute("data-count", "0");
    expect(count, "the empty list cannot be opened").toBeDisabled();
    expect(screen.queryByTestId("attention-panel"), "the empty panel closes").toBeNull();
  });

  it("keeps the op on the list and says why when the acknowledgement is refused", async () => {
    routeInvoke(invokeMock, {
      sync_status: () => makeSync(needingAttention([7])),
      acknowledge_attention: () => rejectWith("invalid_input"),
    });
    render(<Harness />);
    const count = await enabledButton("attention-count");
    await settle(() => fireEvent.click(count));
    await settle(() => fireEvent.click(screen.getByTestId("attention-ack-7")));
    expect(
      screen.getByTestId("attention-item-7"),
      "a refused acknowledgement keeps the op",
    ).toBeVisible();
    expect(screen.getByTestId("attention-ack-7"), "the button can be pressed again").toBeEnabled();
    expect(screen.getByTestId("sync-error"), "the refusal is said").toHaveTextContent(
      "Неверные данные",
    );
  });

  it("says how many more ops the capped list leaves out, in Russian and English", async () => {
    routeInvoke(invokeMock, { sync_status: () => makeSync(needingAttention([60, 59], 55)) });
    render(<Harness />);
    const count = await enabledButton("attention-count");
    expect(count, "the count covers every op, not just those listed").toHaveAttribute(
      "data-count",
      "55",
    );
    await settle(() => fireEvent.click(count));
    const more = screen.getByTestId("attention-more");
    expect(more, "the remainder is said in Russian").toHaveTextContent(/^и ещё 53$/);
    await act(async () => {
      await i18n.changeLanguage("en");
    });
    expect(more, "and in English").toHaveTextContent(/^and 53 more$/);
    expect(screen.getByTestId("attention-ack-60"), "the button is translated").toHaveTextContent(
      "Resolved",
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
    const button = await enabledButton("sync-now");
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

  it("«Диагностика» saves the support zip and says where it went, or why it did not", async () => {
    const path =
      "/home/pvz/.local/share/ru.pvzkiosk.counter/documents/diagnostics-20261207-101500.zip";
    routeInvoke(invokeMock, { sync_status: () => makeSync(), save_diagnostics: () => path });
    render(<Harness />);
    const button = await screen.findByTestId("diagnostics-save");
    expect(button, "the action is named in Russian").toHaveTextContent(/^Диагностика$/);
    await settle(() => fireEvent.click(button));
    expect(callsOf(invokeMock, "save_diagnostics"), "one click saves one zip").toHaveLength(1);
    const saved = screen.getByTestId("diagnostics-saved");
    expect(saved, "the manager reads where the file was saved").toHaveTextContent(path);
    expect(saved, "the path is there for tests and copying").toHaveAttribute("data-path", path);
    fireEvent.click(screen.getByTestId("diagnostics-close"));
    expect(screen.queryByTestId("diagnostics-panel"), "closing hides the panel").toBeNull();

    routeInvoke(invokeMock, {
      sync_status: () => makeSync(),
      save_diagnostics: () => rejectWith("internal"),
    });
    await settle(() => fireEvent.click(button));
    expect(
      screen.getByTestId("diagnostics-error"),
      "a failure is said, not hidden",
    ).toHaveTextContent("Архив не сохранён.");
    expect(screen.queryByTestId("diagnostics-saved"), "and no path is shown").toBeNull();
  });
});
