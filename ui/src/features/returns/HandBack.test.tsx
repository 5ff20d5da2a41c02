import {
  act,
  createEvent,
  fireEvent,
  render,
  screen,
  waitFor,
  within,
} from "@testing-library/react";
import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "../../App";
import type { CounterView, HandBackLineView, HandBackScanView, HandBackView } from "../../bindings";
import {
  callsOf,
  makeHandBack,
  makeHandBackAct,
  makeLine,
  makeScan,
  makeView,
  onDuty,
  rejectWith,
  routeInvoke,
  settle,
  enabledButton,
} from "../../test/fixtures";
import { renderScreen } from "../../test/screens";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(() => Promise.resolve(() => undefined)) }));
const invokeMock = vi.mocked(invoke);

const sneakers = makeLine({
  item_id: "itm-1",
  name: "Кроссовки",
  variant: "42",
  code: "4601234567811",
});
const jacket = makeLine({ item_id: "itm-2", name: "Куртка", variant: "L", code: "4601234567822" });
const scarf = makeLine({ item_id: "itm-3", name: "Шарф", variant: "серый", code: "4601234567833" });

const scanned = (line: HandBackLineView, returnId: string, extra = {}): HandBackLineView => ({
  ...line,
  scanned: makeScan({ return_id: returnId, code: line.code ?? "", ...extra }),
});

const handBackView = (lines: HandBackLineView[], overrides: Partial<HandBackView> = {}) =>
  makeView({ screen: { kind: "hand_back", view: makeHandBack(lines, overrides) } });

async function renderHandBack(view: CounterView) {
  return renderScreen(invokeMock, view, "hand-back");
}

/**
 * Scans the sneakers into a hand-back of sneakers and jacket, whose reason the backend then records
 * as `recorded`; resolves with the sneakers' reason button once it has the keyboard.
 */
async function scanSneakers(recorded: Partial<HandBackScanView>): Promise<HTMLElement> {
  await renderHandBack(handBackView([sneakers, jacket]));
  routeInvoke(invokeMock, {
    scan: () => ({
      view: handBackView([scanned(sneakers, "ret-1"), jacket]),
      notice: { kind: "hand_back_item_scanned", return_id: "ret-1" },
    }),
    set_hand_back_reason: () => handBackView([scanned(sneakers, "ret-1", recorded), jacket]),
  });
  const input = screen.getByTestId("manual-input");
  fireEvent.change(input, { target: { value: "4601234567811" } });
  await settle(() => fireEvent.submit(input));
  const reasonButton = screen.getByTestId("hand-back-reason-ret-1");
  await waitFor(() =>
    expect(reasonButton, "the scanned item's reason has the keyboard").toHaveFocus(),
  );
  return reasonButton;
}

/** A courier's signed badge as its QR reads (the backend, mocked here, checks the signature). */
const IVAN_BADGE =
  "PVZE2.eyJlIjoiY291cmllci1pdmFuIiwibiI6MX0.EoxP8Pw8kOX3oK5A8iFeDu8RD4M4B3RTft_KEwq0lSoByNSUE7lwDvsmeoPssyndezMWRM-fUBjwQxPzfp570w";

beforeEach(() => {
  invokeMock.mockReset();
});

describe("courier hand-back", () => {
  it("starts from the courier's badge and loads the manifest at once", async () => {
    routeInvoke(invokeMock, {
      counter_view: () => makeView(),
      scan: () => ({
        view: handBackView([], { manifest_loaded: false }),
        notice: { kind: "hand_back_started" },
      }),
      load_courier_manifest: () => handBackView([sneakers, jacket, scarf]),
    });
    render(<App />);
    const input = await screen.findByTestId("manual-input");
    fireEvent.change(input, { target: { value: IVAN_BADGE } });
    await settle(() => fireEvent.submit(input));
    await screen.findByTestId("hand-back");
    expect(callsOf(invokeMock, "scan"), "the signed badge goes to the backend whole").toEqual([
      { input: IVAN_BADGE },
    ]);
    await waitFor(() =>
      expect(
        callsOf(invokeMock, "load_courier_manifest"),
        "the manifest should be asked for right after the badge",
      ).toHaveLength(1),
    );
    expect(screen.getByTestId("hand-back-courier"), "the courier is named").toHaveTextContent(
      "Иван Курьеров",
    );
    for (const id of ["itm-1", "itm-2", "itm-3"]) {
      expect(
        screen.getByTestId(`hand-back-line-${id}`),
        `manifest line ${id} should wait for its scan`,
      ).toHaveAttribute("data-state", "missing");
    }
    expect(screen.getByTestId("hand-back-missing"), "all three are missing").toHaveTextContent(
      "Не хватает: 3",
    );
    expect(
      screen.queryByTestId("hand-back-no-manifest"),
      "with a manifest there is no offline note",
    ).toBeNull();
  });

  it("says when the manifest is not loaded (offline) and can try again", async () => {
    await renderHandBack(handBackView([], { manifest_loaded: false }));
    expect(
      screen.getByTestId("hand-back-no-manifest"),
      "offline the items are recorded ad hoc",
    ).toHaveTextContent("Список курьера не загружен");
    routeInvoke(invokeMock, { load_courier_manifest: () => handBackView([sneakers]) });
    await settle(() => fireEvent.click(screen.getByTestId("hand-back-load-manifest")));
    expect(callsOf(invokeMock, "load_courier_manifest"), "the button should retry").toHaveLength(1);
    expect(screen.getByTestId("hand-back-line-itm-1"), "the manifest line shows").toBeVisible();
  });

  it("shows scanned, missing and extra lines, and focuses the reason of the item just scanned", async () => {
    const extra: HandBackLineView = {
      item_id: null,
      name: "Неизвестный товар",
      variant: "",
      code: "2000000000017",
      scanned: makeScan({ return_id: "ret-x", code: "2000000000017" }),
    };
    await renderHandBack(handBackView([sneakers, jacket, scarf]));
    routeInvoke(invokeMock, {
      scan: () => ({
        view: handBackView([scanned(sneakers, "ret-1"), jacket, scarf, extra]),
        notice: { kind: "hand_back_item_scanned", return_id: "ret-1" },
      }),
    });
    const input = screen.getByTestId("manual-input");
    fireEvent.change(input, { target: { value: "4601234567811" } });
    await settle(() => fireEvent.submit(input));

    const line = screen.getByTestId("hand-back-line-ret-1");
    expect(line, "the scanned item is taken in").toHaveAttribute("data-state", "scanned");
    expect(line, "the scanned item is highlighted").toHaveClass("line--matched");
    await waitFor(() =>
      expect(
        screen.getByTestId("hand-back-reason-ret-1"),
        "its reason button takes the keyboard",
      ).toHaveFocus(),
    );
    expect(screen.getByTestId("hand-back-line-ret-x"), "an extra is marked").toHaveAttribute(
      "data-state",
      "extra",
    );
    expect(screen.getByTestId("hand-back-extra"), "the extra is counted").toHaveTextContent(
      "Сверх списка: 1",
    );
    expect(screen.getByTestId("hand-back-missing"), "two remain missing").toHaveTextContent(
      "Не хватает: 2",
    );
  });

  it("records a defect as free of charge and of return shipping", async () => {
    await renderHandBack(handBackView([scanned(sneakers, "ret-1"), jacket]));
    const decision = {
      kind: "refuse",
      reason: "defect",
      description: "порвана подошва",
    };
    routeInvoke(invokeMock, {
      set_hand_back_reason: () =>
        handBackView([
          scanned(sneakers, "ret-1", {
            reason: "defect",
            description: "порвана подошва",
            fee_rule: "defect_free",
          }),
          jacket,
        ]),
    });
    fireEvent.click(screen.getByTestId("hand-back-reason-ret-1"));
    const dialog = await screen.findByRole("dialog");
    fireEvent.click(within(dialog).getByTestId("reason-defect"));
    expect(
      within(dialog).getByTestId("fee-hint"),
      "the dialog should say what a courier's defect costs",
    ).toHaveTextContent("Брак — без оплаты и без обратной доставки");
    fireEvent.change(within(dialog).getByTestId("defect-description"), {
      target: { value: "порвана подошва" },
    });
    await settle(() => fireEvent.click(within(dialog).getByTestId("refuse-confirm")));

    expect(
      callsOf(invokeMock, "set_hand_back_reason"),
      "the reason goes to the backend for that return unit",
    ).toEqual([{ returnId: "ret-1", decision }]);
    expect(screen.queryByRole("dialog"), "the dialog closes once recorded").toBeNull();
    expect(
      screen.getByTestId("hand-back-fee-ret-1"),
      "the line explains the cost",
    ).toHaveTextContent("брак «порвана подошва» · брак — без оплаты и без обратной доставки");
  });

  it("takes an item's reason in two keys after its scan: the reason's digit, then Enter", async () => {
    const reasonButton = await scanSneakers({ reason: "did_not_fit" });
    fireEvent.keyDown(reasonButton, { key: "2" });
    const dialog = await screen.findByRole("dialog");
    expect(
      within(dialog).getByTestId("reason-did_not_fit"),
      "key 2 chose «не подошло»",
    ).toHaveAttribute("aria-pressed", "true");
    const confirm = within(dialog).getByTestId("refuse-confirm");
    expect(document.activeElement, "Enter is all that is left").toBe(confirm);
    await settle(() => fireEvent.keyDown(confirm, { key: "Enter" }));
    fireEvent.click(confirm); // what Enter on a focused button does in a browser
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(callsOf(invokeMock, "set_hand_back_reason"), "the reason is recorded once").toEqual([
      { returnId: "ret-1", decision: { kind: "refuse", reason: "did_not_fit", description: null } },
    ]);
  });

  it("takes a defect in two actions after its scan: its description typed, then Enter", async () => {
    const described = "Порвана штанина";
    const reasonButton = await scanSneakers({
      reason: "defect",
      description: described,
      fee_rule: "defect_free",
    });

    // A person's first letters, a key every 200 ms (not a scanner's burst), before any dialog; a
    // slip taken back with Backspace.
    const start = performance.now() - 1_000;
    for (const [i, key] of ["Shift", "П", "у", "Backspace", "о"].entries()) {
      const event = createEvent.keyDown(reasonButton, { key });
      Object.defineProperty(event, "timeStamp", { value: start + i * 200 });
      fireEvent(reasonButton, event);
    }
    const dialog = await screen.findByRole("dialog");
    expect(
      within(dialog).getByTestId("reason-defect"),
      "typing a description chose a defect",
    ).toHaveAttribute("aria-pressed", "true");
    const field = within(dialog).getByTestId<HTMLTextAreaElement>("defect-description");
    expect(field, "the letters typed before the dialog was up are kept").toHaveValue("По");
    expect(field, "and the rest of the words go on in the description").toHaveFocus();
    expect(field.selectionStart, "after the letters already typed").toBe(2);

    fireEvent.change(field, { target: { value: described } });
    await settle(() => fireEvent.keyDown(field, { key: "Enter" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(
      callsOf(invokeMock, "set_hand_back_reason"),
      "Enter records the defect with its words",
    ).toEqual([
      {
        returnId: "ret-1",
        decision: { kind: "refuse", reason: "defect", description: described },
      },
    ]);
  });

  it("takes a scan that starts with a letter for a scan, not for a description", async () => {
    await renderHandBack(handBackView([scanned(sneakers, "ret-1"), jacket]));
    routeInvoke(invokeMock, {
      scan: () => ({
        view: handBackView([scanned(sneakers, "ret-1"), scanned(jacket, "ret-2")]),
        notice: { kind: "hand_back_item_scanned", return_id: "ret-2" },
      }),
    });
    const start = performance.now();
    for (const [i, key] of [..."AB1234567", "Enter"].entries()) {
      fireEvent.keyDown(window, { key, timeStamp: start + i * 5 });
    }
    await act(() => new Promise((resolve) => setTimeout(resolve, 120)));
    expect(screen.queryByRole("dialog"), "the scan's first letter opened no dialog").toBeNull();
    expect(callsOf(invokeMock, "scan"), "the burst went to the backend as a scan").toEqual([
      { input: "AB1234567" },
    ]);
  });

  it("shows the fee of a buyer-side reason", async () => {
    await renderHandBack(
      handBackView([
        scanned(sneakers, "ret-1", { reason: "did_not_fit", fee: 15_000, fee_rule: "policy_fee" }),
        scanned(jacket, "ret-2", { reason: "changed_mind", fee: 0, fee_rule: "no_fee_in_policy" }),
      ]),
    );
    expect(screen.getByTestId("hand-back-fee-ret-1"), "a policy fee shows").toHaveTextContent(
      /не подошёл · сбор за обратную логистику: 150,00\s₽/,
    );
    expect(screen.getByTestId("hand-back-fee-ret-2"), "no fee says so").toHaveTextContent(
      "передумал · без сбора по политике ПВЗ",
    );
  });

  it("says the server sets the fee of an item off the manifest", async () => {
    const offManifest = makeLine({ item_id: null, name: "4601234567899", code: "4601234567899" });
    await renderHandBack(
      handBackView([
        scanned(offManifest, "ret-3", {
          reason: "did_not_fit",
          fee: 9_900,
          fee_rule: "policy_fee",
          fee_set_by_server: true,
        }),
      ]),
    );
    const fee = screen.getByTestId("hand-back-fee-ret-3");
    expect(fee, "the server's fee is said so").toHaveTextContent(
      "не подошёл · сбор установит сервер",
    );
    expect(fee, "the counter's guess is not shown as a fee").not.toHaveTextContent("99,00");
  });

  it("names the manager logged in as the one who accepts, and keeps it editable", async () => {
    window.localStorage.setItem("pvz-kiosk.acceptedBy", "Ольга Смирнова");
    await renderHandBack({ ...handBackView([sneakers]), session: onDuty() });
    const field = screen.getByTestId("hand-back-accepted-by");
    expect(
      field,
      "the manager on duty is the one accepting, not the name typed last time",
    ).toHaveValue("Анна Смирнова");
    fireEvent.change(field, { target: { value: "Борис Ким" } });
    expect(field, "another name can still be typed").toHaveValue("Борис Ким");
  });

  it("completes only with every reason set and a name, sending the name", async () => {
    await renderHandBack(
      handBackView([
        scanned(sneakers, "ret-1", {
          reason: "defect",
          description: "пятно",
          fee_rule: "defect_free",
        }),
        scanned(jacket, "ret-2"),
        scarf,
      ]),
    );
    const complete = screen.getByTestId("hand-back-complete");
    expect(complete, "an item without a reason blocks completion").toBeDisabled();
    expect(screen.getByTestId("hand-back-hint"), "the hint says why").toHaveTextContent(
      "осталось 1",
    );

    const withReasons = makeHandBack([
      scanned(sneakers, "ret-1", {
        reason: "defect",
        description: "пятно",
        fee_rule: "defect_free",
      }),
      scanned(jacket, "ret-2", { reason: "did_not_fit", fee: 15_000, fee_rule: "policy_fee" }),
      scarf,
    ]);
    routeInvoke(invokeMock, {
      set_hand_back_reason: () => makeView({ screen: { kind: "hand_back", view: withReasons } }),
      complete_hand_back: () =>
        makeView({
          screen: {
            kind: "hand_back_act",
            view: makeHandBackAct({
              accepted: [withReasons.lines[0]!, withReasons.lines[1]!],
              missing: ["Шарф"],
              fees: 15_000,
            }),
          },
        }),
    });
    fireEvent.click(screen.getByTestId("hand-back-reason-ret-2"));
    const dialog = await screen.findByRole("dialog");
    fireEvent.click(within(dialog).getByTestId("reason-did_not_fit"));
    await settle(() => fireEvent.click(within(dialog).getByTestId("refuse-confirm")));
    expect(complete, "without a name it still waits").toBeDisabled();
    expect(screen.getByTestId("hand-back-hint"), "the hint asks for the name").toHaveTextContent(
      "Укажите, кто принял",
    );

    fireEvent.change(screen.getByTestId("hand-back-accepted-by"), {
      target: { value: "  Ольга Смирнова " },
    });
    const completeNow = await enabledButton("hand-back-complete");
    await settle(() => fireEvent.click(completeNow));
    await screen.findByTestId("hand-back-act");
    expect(
      callsOf(invokeMock, "complete_hand_back"),
      "the trimmed name goes to the backend",
    ).toEqual([{ acceptedBy: "Ольга Смирнова" }]);
    expect(
      window.localStorage.getItem("pvz-kiosk.acceptedBy"),
      "the name is remembered for the next courier",
    ).toBe("Ольга Смирнова");
  });

  it("completes on F9 and removes a mistaken scan", async () => {
    window.localStorage.setItem("pvz-kiosk.acceptedBy", "Ольга Смирнова");
    await renderHandBack(
      handBackView([
        scanned(sneakers, "ret-1", { reason: "changed_mind" }),
        scanned(jacket, "ret-2", { reason: "defect", description: "дыра" }),
      ]),
    );
    expect(
      screen.getByTestId("hand-back-accepted-by"),
      "the last name used is filled in",
    ).toHaveValue("Ольга Смирнова");
    routeInvoke(invokeMock, {
      remove_hand_back_item: () =>
        handBackView([scanned(sneakers, "ret-1", { reason: "changed_mind" }), jacket]),
      complete_hand_back: () =>
        makeView({ screen: { kind: "hand_back_act", view: makeHandBackAct() } }),
    });
    await settle(() => fireEvent.click(screen.getByTestId("hand-back-remove-ret-2")));
    expect(callsOf(invokeMock, "remove_hand_back_item"), "remove names the unit").toEqual([
      { returnId: "ret-2" },
    ]);
    expect(screen.getByTestId("hand-back-line-itm-2"), "the line is missing again").toHaveAttribute(
      "data-state",
      "missing",
    );
    await settle(() => fireEvent.keyDown(window, { key: "F9" }));
    expect(callsOf(invokeMock, "complete_hand_back"), "F9 completes").toEqual([
      { acceptedBy: "Ольга Смирнова" },
    ]);
  });

  it("shows the backend's refusal to complete in the banner", async () => {
    window.localStorage.setItem("pvz-kiosk.acceptedBy", "Ольга");
    await renderHandBack(handBackView([scanned(sneakers, "ret-1", { reason: "changed_mind" })]));
    routeInvoke(invokeMock, { complete_hand_back: () => rejectWith("internal") });
    await settle(() => fireEvent.keyDown(window, { key: "F9" }));
    expect(screen.getByTestId("error-banner"), "the failure is shown").toBeVisible();
    expect(screen.getByTestId("hand-back"), "the hand-back stays on screen").toBeVisible();
  });

  it("cancels the hand-back", async () => {
    await renderHandBack(handBackView([sneakers]));
    routeInvoke(invokeMock, { cancel_hand_back: () => makeView() });
    await settle(() => fireEvent.click(screen.getByTestId("hand-back-cancel")));
    expect(callsOf(invokeMock, "cancel_hand_back"), "cancel is sent").toHaveLength(1);
    expect(screen.queryByTestId("hand-back"), "home shows again").toBeNull();
  });
});

describe("hand-back act", () => {
  it("marks the fee of an item off the manifest as the server's and leaves it out of the total", async () => {
    const extra = makeLine({ item_id: null, name: "Кружка", code: "4601234567899" });
    const act = makeHandBackAct({
      accepted: [
        scanned(jacket, "ret-2", { reason: "did_not_fit", fee: 15_000, fee_rule: "policy_fee" }),
        scanned(extra, "ret-3", {
          reason: "changed_mind",
          fee: 9_900,
          fee_rule: "policy_fee",
          fee_set_by_server: true,
        }),
      ],
      extra: 1,
      fees: 15_000,
    });
    routeInvoke(invokeMock, {
      counter_view: () => makeView({ screen: { kind: "hand_back_act", view: act } }),
      list_printers: () => [],
    });
    render(<App />);
    await screen.findByTestId("hand-back-act");
    expect(screen.getByTestId("act-accepted"), "the extra's fee is the server's").toHaveTextContent(
      "передумал · сбор установит сервер",
    );
    expect(screen.getByTestId("act-fees"), "the total is the manifest lines'").toHaveTextContent(
      /150,00\s₽/,
    );
    expect(
      screen.getByTestId("act-fees-by-server"),
      "a note says what the total leaves out",
    ).toHaveTextContent("не входит в итог");
  });

  it("names both parties, lists the accepted items and the discrepancies, and prints", async () => {
    const act = makeHandBackAct({
      accepted: [
        scanned(sneakers, "ret-1", {
          reason: "defect",
          description: "пятно",
          fee_rule: "defect_free",
        }),
        scanned(jacket, "ret-2", { reason: "did_not_fit", fee: 15_000, fee_rule: "policy_fee" }),
      ],
      missing: ["Шарф"],
      extra: 1,
      fees: 15_000,
    });
    routeInvoke(invokeMock, {
      counter_view: () => makeView({ screen: { kind: "hand_back_act", view: act } }),
      list_printers: () => [{ name: "Zebra", is_default: true }],
      print_document: () => "Zebra-7",
      dismiss_hand_back_act: () => makeView(),
    });
    render(<App />);
    await screen.findByTestId("hand-back-act");
    expect(screen.getByTestId("act-courier"), "the courier is named").toHaveTextContent(
      "Иван Курьеров",
    );
    expect(screen.getByTestId("act-accepted-by"), "the manager is named").toHaveTextContent(
      "Ольга Смирнова",
    );
    expect(screen.getByTestId("act-accepted"), "the defect is free").toHaveTextContent(
      "брак — без оплаты и без обратной доставки",
    );
    expect(screen.getByTestId("act-missing"), "the missing item is listed").toHaveTextContent(
      "Шарф",
    );
    expect(
      screen.getByTestId("act-discrepancies"),
      "one missing and one extra are two discrepancies",
    ).toHaveAttribute("data-count", "2");
    expect(screen.getByTestId("act-extra"), "the extra is counted").toHaveTextContent(
      "Передано сверх списка: 1",
    );
    expect(screen.getByTestId("act-fees"), "the fees are summed").toHaveTextContent(/150,00\s₽/);

    const print = await enabledButton("print-submit");
    await settle(() => fireEvent.click(print));
    expect(callsOf(invokeMock, "print_document"), "the act goes to the chosen printer").toEqual([
      { document: { kind: "hand_back_act", hand_back_id: "hb-1" }, printer: "Zebra" },
    ]);
    await settle(() => fireEvent.click(screen.getByTestId("dismiss-hand-back-act")));
    expect(callsOf(invokeMock, "dismiss_hand_back_act"), "Готово closes the act").toHaveLength(1);
  });

  it("says there are no discrepancies when the courier brought everything", async () => {
    routeInvoke(invokeMock, {
      counter_view: () =>
        makeView({
          screen: {
            kind: "hand_back_act",
            view: makeHandBackAct({
              accepted: [scanned(sneakers, "ret-1", { reason: "changed_mind" })],
            }),
          },
        }),
    });
    render(<App />);
    await screen.findByTestId("hand-back-act");
    expect(screen.getByTestId("act-discrepancies"), "nothing to report").toHaveTextContent(
      "Расхождений нет",
    );
  });
});
