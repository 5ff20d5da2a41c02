import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "../../App";
import type { CounterView, ItemDecision } from "../../bindings";
import {
  callsOf,
  makeItem,
  makeOrder,
  makeView,
  rejectWith,
  routeInvoke,
  settle,
  typeCode,
} from "../../test/fixtures";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
const invokeMock = vi.mocked(invoke);

const dress = makeItem({ item_id: "i1", name: "Платье летнее", cell: "A-12", price: 249_000 });
const shoes = makeItem({
  item_id: "i2",
  name: "Кеды",
  variant: "38",
  cell: "B-3",
  price: 399_000,
  prepaid: true,
});

/** An order with two undecided items, the dress paid at the counter. */
const openView = (): CounterView =>
  makeView({
    screen: {
      kind: "order",
      view: makeOrder([dress, shoes], { to_collect: 249_000, goods_to_collect: 249_000 }),
    },
  });

async function renderOpenOrder(view: CounterView = openView()) {
  routeInvoke(invokeMock, { counter_view: () => view });
  render(<App />);
  const card = await screen.findByTestId("order-card");
  // Let the card's effects (hotkey listeners, focus) run before the test presses keys.
  await settle(() => undefined);
  return card;
}

async function openRefusal(itemId: string) {
  fireEvent.click(screen.getByTestId(`refuse-${itemId}`));
  return screen.findByRole("dialog");
}

beforeEach(() => {
  invokeMock.mockReset();
});

describe("order card", () => {
  it("shows each item with its cell, price and payment badge", async () => {
    await renderOpenOrder();
    const row = screen.getByTestId("item-i1");
    expect(row, "the dress row should show its cell").toHaveTextContent("A-12");
    expect(row, "the dress row should show its price in roubles").toHaveTextContent(/2\s490,00\s₽/);
    expect(row, "an unpaid item should say it is paid at the counter").toHaveTextContent(
      "Оплата на месте",
    );
    expect(screen.getByTestId("item-i2"), "a prepaid item should say so").toHaveTextContent(
      "Оплачен",
    );
    expect(
      screen.getByTestId("to-collect"),
      "the amount to collect should be formatted",
    ).toHaveTextContent(/2\s490,00\s₽/);
  });

  it("keeps the confirm button disabled while items are undecided", async () => {
    await renderOpenOrder();
    const confirm = screen.getByTestId("confirm-issue");
    expect(confirm, "confirm must be disabled while 2 items are undecided").toBeDisabled();
    expect(confirm, "with money to collect the label should ask for payment").toHaveTextContent(
      "Оплата получена — выдать",
    );
    fireEvent.keyDown(window, { key: "F9" });
    expect(
      callsOf(invokeMock, "confirm_issue"),
      "F9 must not confirm while items are undecided",
    ).toEqual([]);
  });

  it("enables confirm once everything is decided and sends paymentTaken", async () => {
    const decided = makeView({
      screen: {
        kind: "order",
        view: makeOrder(
          [
            { ...dress, decision: { kind: "hand_over" } },
            { ...shoes, decision: { kind: "hand_over" } },
          ],
          { to_collect: 249_000, goods_to_collect: 249_000, undecided: 0 },
        ),
      },
    });
    await renderOpenOrder(decided);
    const confirm = screen.getByTestId("confirm-issue");
    expect(confirm, "confirm should be enabled when nothing is undecided").toBeEnabled();
    await settle(() => fireEvent.click(confirm));
    expect(
      callsOf(invokeMock, "confirm_issue"),
      "confirm should send the amount shown and that payment was taken",
    ).toEqual([{ orderId: "ord-1", shownToCollect: 249_000, paymentTaken: true }]);
  });

  it("labels confirm plainly and sends paymentTaken false when nothing is to collect", async () => {
    const prepaidOnly = makeView({
      screen: {
        kind: "order",
        view: makeOrder([{ ...shoes, decision: { kind: "hand_over" } }], { undecided: 0 }),
      },
    });
    await renderOpenOrder(prepaidOnly);
    const confirm = screen.getByTestId("confirm-issue");
    expect(
      confirm,
      "with nothing to collect the label should not mention payment",
    ).not.toHaveTextContent("Оплата");
    await settle(() => fireEvent.keyDown(window, { key: "F9" }));
    expect(callsOf(invokeMock, "confirm_issue"), "F9 should confirm without payment").toEqual([
      { orderId: "ord-1", shownToCollect: 0, paymentTaken: false },
    ]);
  });

  it("says which item the receiving recorded missing and offers leaving it out first", async () => {
    const scarf = makeItem({ item_id: "i3", name: "Шарф", cell: "", missing_at_receiving: true });
    await renderOpenOrder(makeView({ screen: { kind: "order", view: makeOrder([scarf, dress]) } }));
    const row = screen.getByTestId("item-i3");
    expect(row, "the missing scarf says it is not at the point").toHaveTextContent(
      "Не поступил: при приёмке отмечен недостающим",
    );
    expect(
      screen.getByTestId("not-arrived-i3"),
      "leaving it out is the step the keyboard is on",
    ).toHaveFocus();
    expect(
      screen.getByTestId("hand-over-i3"),
      "handing it over is for a scarf found after all",
    ).toHaveTextContent("Нашёлся — выдать");
    expect(
      screen.queryByTestId("not-arrived-i1"),
      "an item on the shelf cannot be left out as not arrived",
    ).toBeNull();
    expect(screen.queryByTestId("missing-i1"), "nor does it carry the note").toBeNull();
    await settle(() => fireEvent.click(screen.getByTestId("not-arrived-i3")));
    expect(callsOf(invokeMock, "decide_item"), "the decision sent is not_arrived").toEqual([
      { orderId: "ord-1", itemId: "i3", decision: { kind: "not_arrived" } },
    ]);
  });

  it("puts a scanned missing item's hand-over on the keyboard: it was found", async () => {
    const scarf = makeItem({ item_id: "i3", name: "Шарф", cell: "", missing_at_receiving: true });
    const view = makeView({ screen: { kind: "order", view: makeOrder([scarf, dress]) } });
    await renderOpenOrder(view);
    expect(screen.getByTestId("not-arrived-i3"), "before the scan, leaving it out").toHaveFocus();
    routeInvoke(invokeMock, {
      scan: () => ({ view, notice: { kind: "item_matched", item_id: "i3" } }),
    });
    await typeCode("4601234567893");
    expect(
      screen.getByTestId("hand-over-i3"),
      "a scanned item is in the manager's hands: Enter hands it over, not «нет на пункте»",
    ).toHaveFocus();
  });

  it("shows an item left out as not arrived, with a way to change it", async () => {
    const scarf = makeItem({
      item_id: "i3",
      name: "Шарф",
      cell: "",
      missing_at_receiving: true,
      decision: { kind: "not_arrived" },
    });
    await renderOpenOrder(
      makeView({ screen: { kind: "order", view: makeOrder([scarf], { undecided: 0 }) } }),
    );
    expect(
      screen.getByTestId("decision-i3"),
      "the row says the scarf is not handed over",
    ).toHaveTextContent("Не поступил — не выдаётся");
    expect(screen.getByTestId("item-i3"), "and is styled as not arrived").toHaveAttribute(
      "data-decision",
      "not-arrived",
    );
    expect(screen.getByTestId("change-i3"), "the decision can be taken back").toBeVisible();
  });

  it("refuses to send a defect refusal without a description", async () => {
    await renderOpenOrder();
    const dialog = await openRefusal("i1");
    fireEvent.click(within(dialog).getByTestId("reason-defect"));
    expect(
      within(dialog).getByTestId("fee-hint"),
      "a defect should be explained as a free return",
    ).toHaveTextContent("Брак — возврат бесплатно");
    fireEvent.click(within(dialog).getByTestId("refuse-confirm"));

    expect(
      await within(dialog).findByRole("alert"),
      "confirming a defect with an empty description should show why it cannot be sent",
    ).toHaveTextContent("Опишите брак");
    expect(
      callsOf(invokeMock, "decide_item"),
      "nothing should reach the backend without a description",
    ).toEqual([]);
    expect(
      screen.getByRole("dialog"),
      "the dialog should stay open for the description",
    ).toBeInTheDocument();
  });

  it("sends a defect refusal with its description and closes the dialog", async () => {
    const decision: ItemDecision = {
      kind: "refuse",
      reason: "defect",
      description: "пятно на рукаве",
    };
    await renderOpenOrder();
    routeInvoke(invokeMock, {
      decide_item: () =>
        makeView({
          screen: {
            kind: "order",
            view: makeOrder([{ ...dress, decision, fee: 0, fee_rule: "defect_free" }, shoes]),
          },
        }),
    });
    const dialog = await openRefusal("i1");
    fireEvent.click(within(dialog).getByTestId("reason-defect"));
    fireEvent.change(within(dialog).getByTestId("defect-description"), {
      target: { value: "  пятно на рукаве " },
    });
    await settle(() => fireEvent.click(within(dialog).getByTestId("refuse-confirm")));

    expect(
      callsOf(invokeMock, "decide_item"),
      "decide_item should carry the trimmed description",
    ).toEqual([{ orderId: "ord-1", itemId: "i1", decision }]);
    expect(
      screen.queryByRole("dialog"),
      "the dialog should close once the backend accepted",
    ).toBeNull();
    expect(
      screen.getByTestId("fee-line-i1"),
      "the refused row should explain its fee",
    ).toHaveTextContent("брак — возврат бесплатно");
    expect(
      screen.getByTestId("item-i1"),
      "the refused row should show the refusal",
    ).toHaveTextContent("Отказ: брак");
  });

  it("shows the banner when the backend rejects the refusal", async () => {
    await renderOpenOrder();
    routeInvoke(invokeMock, {
      decide_item: () => {
        return rejectWith("defect_needs_description");
      },
    });
    const dialog = await openRefusal("i1");
    fireEvent.click(within(dialog).getByTestId("reason-defect"));
    fireEvent.change(within(dialog).getByTestId("defect-description"), { target: { value: "x" } });
    await settle(() => fireEvent.click(within(dialog).getByTestId("refuse-confirm")));

    expect(
      screen.getByTestId("error-banner"),
      "the backend's rejection should be shown, translated",
    ).toHaveTextContent("Опишите брак");
    expect(
      screen.getByRole("dialog"),
      "a rejected refusal should leave the dialog open",
    ).toBeInTheDocument();
  });

  it("picks reasons with keys 1–5 and explains the fee before confirming", async () => {
    await renderOpenOrder();
    const dialog = await openRefusal("i2");
    const hint = within(dialog).getByTestId("fee-hint");

    const pressAndSettle = async (key: string) => {
      fireEvent.keyDown(window, { key });
      // The hotkey waits to be sure the digit was not the first character of a scan.
      await act(() => new Promise((resolve) => setTimeout(resolve, 90)));
    };
    await pressAndSettle("2");
    expect(
      within(dialog).getByTestId("reason-did_not_fit"),
      "key 2 should pick 'did not fit'",
    ).toHaveAttribute("aria-pressed", "true");
    expect(hint, "a non-defect refusal may carry the policy fee").toHaveTextContent(
      "Может взиматься сбор за обратную логистику по политике ПВЗ",
    );
    await pressAndSettle("4");
    expect(hint, "a wrong item is the seller's fault and free").toHaveTextContent(
      "Ошибка продавца — бесплатно",
    );
    expect(
      within(dialog).queryByTestId("defect-description"),
      "only a defect asks for a description",
    ).toBeNull();

    fireEvent.keyDown(window, { key: "Escape" });
    expect(screen.queryByRole("dialog"), "Esc should close the dialog").toBeNull();
    expect(
      callsOf(invokeMock, "set_aside"),
      "Esc in the dialog must not also set the order aside",
    ).toEqual([]);
  });

  it("refuses the focused item as a defect with key 1, records it with Enter, not Shift+Enter", async () => {
    const card = await renderOpenOrder();
    const decision: ItemDecision = {
      kind: "refuse",
      reason: "defect",
      description: "шов\nразошёлся",
    };
    routeInvoke(invokeMock, {
      decide_item: () =>
        makeView({
          screen: { kind: "order", view: makeOrder([{ ...dress, decision }, shoes]) },
        }),
    });
    expect(document.activeElement, "the card opens on the first item's hand-over").toBe(
      within(card).getByTestId("hand-over-i1"),
    );
    fireEvent.keyDown(document.activeElement ?? window, { key: "1" });
    const dialog = await screen.findByRole("dialog");
    expect(dialog, "the dialog is for the focused item").toHaveTextContent("Платье летнее");
    const description = within(dialog).getByTestId("defect-description");
    expect(document.activeElement, "key 1 chose a defect: its description has the keyboard").toBe(
      description,
    );
    fireEvent.change(description, { target: { value: "шов" } });
    fireEvent.keyDown(description, { key: "Enter", shiftKey: true });
    expect(callsOf(invokeMock, "decide_item"), "Shift+Enter is a new line, not a refusal").toEqual(
      [],
    );
    fireEvent.change(description, { target: { value: "шов\nразошёлся" } });
    await settle(() => fireEvent.keyDown(description, { key: "Enter" }));
    expect(
      callsOf(invokeMock, "decide_item"),
      "Enter in the description records the defect refusal with its words",
    ).toEqual([{ orderId: "ord-1", itemId: "i1", decision }]);
    expect(screen.queryByRole("dialog"), "the recorded refusal closes its dialog").toBeNull();
  });

  it("records a refusal and hands the rest over with F2 from the dialog, then confirms on F9", async () => {
    const card = await renderOpenOrder();
    const decision: ItemDecision = { kind: "refuse", reason: "defect", description: "пятно" };
    const refused = { ...dress, decision, fee: 0, fee_rule: "defect_free" as const };
    const decided = makeView({
      screen: {
        kind: "order",
        view: makeOrder([refused, { ...shoes, decision: { kind: "hand_over" } }], {
          undecided: 0,
        }),
      },
    });
    routeInvoke(invokeMock, {
      decide_item: () => makeView({ screen: { kind: "order", view: makeOrder([refused, shoes]) } }),
      hand_over_rest: () => decided,
      confirm_issue: () => makeView(),
    });
    fireEvent.keyDown(within(card).getByTestId("hand-over-i1"), { key: "1" });
    const dialog = await screen.findByRole("dialog");
    expect(
      within(dialog).getByTestId("refuse-confirm-rest"),
      "the dialog shows F2 on its «refuse and hand over the rest» button",
    ).toHaveTextContent("F2");
    fireEvent.change(within(dialog).getByTestId("defect-description"), {
      target: { value: "пятно" },
    });
    await settle(() => fireEvent.keyDown(document.activeElement ?? window, { key: "F2" }));
    expect(callsOf(invokeMock, "decide_item"), "F2 records the refusal first").toEqual([
      { orderId: "ord-1", itemId: "i1", decision },
    ]);
    expect(callsOf(invokeMock, "hand_over_rest"), "then hands the rest over").toEqual([
      { orderId: "ord-1" },
    ]);
    expect(screen.queryByRole("dialog"), "and the dialog closes").toBeNull();
    await settle(() => fireEvent.keyDown(window, { key: "F9" }));
    expect(callsOf(invokeMock, "confirm_issue"), "F9 confirms the decided order").toHaveLength(1);
  });

  it("does not pick a reason when a scan starting with a digit arrives in the dialog", async () => {
    await renderOpenOrder();
    const dialog = await openRefusal("i1");
    routeInvoke(invokeMock, { scan: () => ({ view: openView(), notice: null }) });
    const start = performance.now();
    for (const [i, key] of [..."4601234567893", "Enter"].entries()) {
      fireEvent.keyDown(window, { key, timeStamp: start + i * 5 });
    }
    await act(() => new Promise((resolve) => setTimeout(resolve, 120)));
    expect(
      within(dialog).getByTestId("reason-wrong_item"),
      "the scan's first digit (4) must not pick 'wrong item'",
    ).toHaveAttribute("aria-pressed", "false");
  });

  it("explains each fee rule on refused rows", async () => {
    const refuse = (reason: "did_not_fit" | "changed_mind" | "wrong_item"): ItemDecision => ({
      kind: "refuse",
      reason,
      description: null,
    });
    await renderOpenOrder(
      makeView({
        screen: {
          kind: "order",
          view: makeOrder([
            { ...dress, decision: refuse("did_not_fit"), fee: 15_000, fee_rule: "policy_fee" },
            { ...shoes, decision: refuse("changed_mind"), fee: 0, fee_rule: "no_fee_in_policy" },
            makeItem({
              item_id: "i3",
              decision: refuse("wrong_item"),
              fee: 0,
              fee_rule: "seller_fault_free",
            }),
          ]),
        },
      }),
    );
    expect(
      screen.getByTestId("fee-line-i1"),
      "a policy fee should show its amount",
    ).toHaveTextContent(/сбор за обратную логистику: 150,00\s₽/);
    expect(
      screen.getByTestId("fee-line-i2"),
      "no fee under the policy should say so",
    ).toHaveTextContent("без сбора по политике ПВЗ");
    expect(screen.getByTestId("fee-line-i3"), "a seller's fault should be free").toHaveTextContent(
      "ошибка продавца — бесплатно",
    );
  });

  it("says a cancelled order must not be handed over and still lets it be set aside", async () => {
    const decided = makeView({
      screen: {
        kind: "order",
        view: makeOrder(
          [
            { ...dress, decision: { kind: "hand_over" } },
            { ...shoes, decision: { kind: "hand_over" } },
          ],
          { to_collect: 249_000, goods_to_collect: 249_000, undecided: 0 },
        ),
      },
    });
    await renderOpenOrder(decided);
    // The backend keeps the card (cancelled orders are refused, not removed) until it is set aside.
    routeInvoke(invokeMock, {
      counter_view: () => decided,
      confirm_issue: () => rejectWith("order_cancelled"),
      set_aside: () => makeView(),
    });
    await settle(() => fireEvent.keyDown(window, { key: "F9" }));
    expect(
      screen.getByTestId("error-banner"),
      "confirming a cancelled order should say, in Russian, not to hand it over",
    ).toHaveTextContent("Заказ отменён — не выдавайте.");
    expect(
      screen.getByTestId("order-card"),
      "the card should stay so the manager sees which order it was",
    ).toBeVisible();

    await settle(() => fireEvent.keyDown(window, { key: "Escape" }));
    expect(
      callsOf(invokeMock, "set_aside"),
      "Esc should set the cancelled order aside",
    ).toHaveLength(1);
    expect(
      screen.queryByTestId("order-card"),
      "after setting aside the home screen should show",
    ).toBeNull();
  });

  it("hands over every undecided item on F2 and sets the order aside on Esc", async () => {
    await renderOpenOrder();
    routeInvoke(invokeMock, { hand_over_rest: () => openView(), set_aside: () => makeView() });
    await settle(() => fireEvent.keyDown(window, { key: "F2" }));
    expect(
      callsOf(invokeMock, "hand_over_rest"),
      "F2 should hand over the undecided items in one command",
    ).toEqual([{ orderId: "ord-1" }]);

    await settle(() => fireEvent.keyDown(window, { key: "Escape" }));
    expect(callsOf(invokeMock, "set_aside"), "Esc should set the order aside").toHaveLength(1);
    expect(
      screen.queryByTestId("order-card"),
      "after setting aside the home screen should show",
    ).toBeNull();
  });

  it("lets a decision be changed", async () => {
    await renderOpenOrder(
      makeView({
        screen: {
          kind: "order",
          view: makeOrder([{ ...dress, decision: { kind: "hand_over" } }], { undecided: 0 }),
        },
      }),
    );
    expect(screen.getByTestId("item-i1"), "a handed-over row should say so").toHaveTextContent(
      "✓Выдаётся",
    );
    routeInvoke(invokeMock, { clear_decision: () => openView() });
    await settle(() => fireEvent.click(screen.getByTestId("change-i1")));
    expect(callsOf(invokeMock, "clear_decision"), "Change should clear the decision").toEqual([
      { orderId: "ord-1", itemId: "i1" },
    ]);
    expect(
      screen.getByTestId("hand-over-i1"),
      "the row should offer the decision again",
    ).toBeInTheDocument();
  });

  it("attaches a defect photo to a defect refusal only", async () => {
    const defect: ItemDecision = { kind: "refuse", reason: "defect", description: "пятно" };
    const refusedDress = { ...dress, decision: defect, fee: 0, fee_rule: "defect_free" as const };
    await renderOpenOrder(
      makeView({ screen: { kind: "order", view: makeOrder([refusedDress, shoes]) } }),
    );
    expect(
      screen.queryByTestId("photo-i2"),
      "an undecided item should offer no photo button",
    ).toBeNull();
    routeInvoke(invokeMock, {
      attach_defect_photo: () =>
        makeView({
          screen: { kind: "order", view: makeOrder([{ ...refusedDress, photos: 1 }, shoes]) },
        }),
    });
    const photo = new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0])], "defect.jpg", {
      type: "image/jpeg",
    });
    await settle(() =>
      fireEvent.change(screen.getByTestId("photo-input-i1"), { target: { files: [photo] } }),
    );
    expect(
      callsOf(invokeMock, "attach_defect_photo"),
      "the photo's bytes should go to the backend as base64",
    ).toEqual([{ orderId: "ord-1", itemId: "i1", dataBase64: "/9j/4A==" }]);
    expect(
      screen.getByTestId("photo-i1"),
      "the button should count the attached photos",
    ).toHaveTextContent("Фото: 1");
  });
});
