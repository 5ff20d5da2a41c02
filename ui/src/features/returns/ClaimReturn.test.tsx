import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "../../App";
import type { ClaimRefusal, ClaimReturnView, CounterView } from "../../bindings";
import {
  callsOf,
  makeClaim,
  makeReturnLabel,
  makeView,
  rejectWith,
  routeInvoke,
  settle,
  enabledButton,
} from "../../test/fixtures";
import { renderScreen } from "../../test/screens";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(() => Promise.resolve(() => undefined)) }));
const invokeMock = vi.mocked(invoke);

const claimView = (overrides: Partial<ClaimReturnView> = {}): CounterView =>
  makeView({ screen: { kind: "claim_return", view: makeClaim(overrides) } });

async function renderClaim(view: CounterView = claimView()) {
  return renderScreen(invokeMock, view, "claim-return");
}

beforeEach(() => {
  invokeMock.mockReset();
});

describe("claim return", () => {
  it("names an item the compact code left unnamed by its barcode until the server answers", async () => {
    await renderClaim(claimView({ item_name: "", barcode: "4607000000014" }));
    expect(
      screen.getByTestId("claim-item"),
      "an item this point never had should be shown by its barcode, saying the name comes from the server",
    ).toHaveTextContent("название придёт с сервера · 4607000000014");
  });

  it("opens from a scanned claim code and shows the compensation, amount, expiry and state", async () => {
    routeInvoke(invokeMock, {
      counter_view: () => makeView(),
      scan: () => ({ view: claimView({ server_state: null }), notice: { kind: "claim_opened" } }),
      refresh_claim_status: () => claimView(),
    });
    render(<App />);
    const input = await screen.findByTestId("manual-input");
    fireEvent.change(input, { target: { value: "PVZC1.abc.def" } });
    await settle(() => fireEvent.submit(input));

    const claim = await screen.findByTestId("claim-return");
    await waitFor(() =>
      expect(
        callsOf(invokeMock, "refresh_claim_status"),
        "an opened claim should be checked with the server at once",
      ).toHaveLength(1),
    );
    expect(claim, "the claimed item should be named").toHaveTextContent("Куртка зимняя");
    expect(
      screen.getByTestId("claim-compensation"),
      "a refund claim should say the money goes back",
    ).toHaveTextContent("Возврат денег");
    expect(
      screen.getByTestId("claim-amount"),
      "the refund should be shown in roubles",
    ).toHaveTextContent(/5\s990,00\s₽/);
    expect(
      screen.getByTestId("claim-deadline"),
      "the return deadline should show",
    ).toHaveTextContent("20.12.2026");
    expect(
      screen.getByTestId("claim-decision"),
      "the claim's decision should be shown in Russian",
    ).toHaveTextContent("одобрена");
    expect(screen.getByTestId("claim-fate"), "so should where the item goes").toHaveTextContent(
      "покупатель сдаёт в пункт выдачи",
    );
    expect(
      screen.getByTestId("claim-state"),
      "the server's state should be shown when it was asked",
    ).toHaveTextContent("одобрена продавцом");
    expect(
      screen.getByTestId("claim-item-check"),
      "the item is still to be scanned",
    ).toHaveTextContent("Отсканируйте товар");
    expect(
      screen.getByTestId("claim-accept"),
      "accepting must wait for the item to be checked",
    ).toBeDisabled();
  });

  it("says only the signature was checked when offline, and can ask the server", async () => {
    await renderClaim(claimView({ server_state: null }));
    expect(
      screen.getByTestId("claim-state"),
      "offline the counter has only the code's signature",
    ).toHaveTextContent("проверено подписью (нет связи)");
    routeInvoke(invokeMock, { refresh_claim_status: () => claimView() });
    await settle(() => fireEvent.click(screen.getByTestId("claim-refresh")));
    expect(
      callsOf(invokeMock, "refresh_claim_status"),
      "the refresh button should ask the backend once",
    ).toHaveLength(1);
    expect(
      screen.getByTestId("claim-state"),
      "the confirmed state should replace the offline note",
    ).toHaveTextContent("одобрена продавцом");
  });

  const refusals: [ClaimRefusal, string][] = [
    ["not_approved", "Претензия не одобрена продавцом."],
    ["rejected", "Претензия отклонена продавцом."],
    ["revoked", "Претензия отозвана."],
    ["already_used", "Возврат по этой претензии уже принят."],
    ["expired", "Срок возврата истёк 20.12.2026"],
    ["to_seller", "Этот товар возвращается напрямую продавцу — не принимайте его."],
    ["no_return", "Товар остаётся у покупателя, возврат через пункт не нужен."],
    ["code_replaced", "Этот код заменён новым — попросите у покупателя новый код."],
  ];

  it.each(refusals)(
    "shows the refusal %s as a clear reason with nothing to accept",
    async (refusal, text) => {
      await renderClaim(claimView({ refusal, item_checked: true }));
      const shown = screen.getByTestId("claim-refusal");
      expect(shown, `the ${refusal} refusal should be worded for the manager`).toHaveTextContent(
        text,
      );
      expect(shown, "the refusal should say not to accept").toHaveTextContent(
        "Возврат не принимать",
      );
      expect(shown, "the refusal is an alert").toHaveAttribute("role", "alert");
      expect(
        screen.queryByTestId("claim-accept"),
        "a refused claim offers no accept button",
      ).toBeNull();
      fireEvent.keyDown(window, { key: "F9" });
      expect(callsOf(invokeMock, "accept_claim_return"), "F9 must not accept").toEqual([]);
    },
  );

  it("shows an item going to the seller with its decision, fate and refusal", async () => {
    await renderClaim(
      claimView({
        refusal: "to_seller",
        route: "seller",
        item_fate: "to_seller",
        decision: "approved",
      }),
    );
    expect(
      screen.getByTestId("claim-decision"),
      "the decision is shown beside the refusal",
    ).toHaveAttribute("data-decision", "approved");
    expect(
      screen.getByTestId("claim-fate"),
      "the fate says the item goes to the seller",
    ).toHaveTextContent("покупатель отправляет продавцу");
    const alert = screen.getByRole("alert");
    expect(alert, "the refusal is the screen's alert").toHaveAttribute("data-reason", "to_seller");
    expect(
      within(alert).getByTestId("claim-refusal-text"),
      "the alert says not to take the item",
    ).toHaveTextContent("Этот товар возвращается напрямую продавцу — не принимайте его.");
  });

  it("shows no decision or fate offline, where only the signature is known", async () => {
    await renderClaim(
      claimView({ server_state: null, decision: null, item_fate: null, route: null }),
    );
    expect(screen.queryByTestId("claim-decision"), "offline there is no decision").toBeNull();
    expect(screen.queryByTestId("claim-fate"), "nor a fate").toBeNull();
    expect(
      screen.getByTestId("claim-deadline"),
      "the code's own deadline still shows",
    ).toHaveTextContent("20.12.2026");
  });

  it("closes a refused claim with the close button", async () => {
    await renderClaim(claimView({ refusal: "revoked", server_state: "revoked" }));
    expect(screen.getByTestId("claim-state"), "the state chip should agree").toHaveTextContent(
      "отозвана",
    );
    routeInvoke(invokeMock, { cancel_claim_return: () => makeView() });
    const close = screen.getByTestId("claim-cancel");
    expect(close, "the only way on is to close the claim").toHaveTextContent("Закрыть");
    await settle(() => fireEvent.click(close));
    expect(
      callsOf(invokeMock, "cancel_claim_return"),
      "close should cancel the claim",
    ).toHaveLength(1);
    expect(screen.queryByTestId("claim-return"), "home should show again").toBeNull();
    expect(callsOf(invokeMock, "accept_claim_return"), "nothing should have been accepted").toEqual(
      [],
    );
  });

  it("checks the item by a scan, then stores the condition and accepts, showing the label", async () => {
    await renderClaim();
    const checked = claimView({ item_checked: true });
    const withCondition = claimView({ item_checked: true, condition: "следы носки" });
    routeInvoke(invokeMock, {
      scan: () => ({ view: checked, notice: { kind: "claim_item_checked" } }),
      set_claim_condition: () => withCondition,
      accept_claim_return: () =>
        makeView({ screen: { kind: "return_label", view: makeReturnLabel() } }),
    });
    const input = screen.getByTestId("manual-input");
    fireEvent.change(input, { target: { value: "4601234567800" } });
    await settle(() => fireEvent.submit(input));
    expect(
      screen.getByTestId("claim-item-check"),
      "the scanned item should be confirmed",
    ).toHaveTextContent("Товар сверен с претензией");
    expect(
      document.activeElement,
      "the required condition takes the keyboard, never the still-disabled accept",
    ).toBe(screen.getByTestId("claim-condition"));

    fireEvent.change(screen.getByTestId("claim-condition"), {
      target: { value: " следы носки " },
    });
    const accept = await enabledButton("claim-accept");
    await settle(() => fireEvent.click(accept));
    const label = await screen.findByTestId("return-label");

    expect(
      callsOf(invokeMock, "set_claim_condition"),
      "the condition should be stored, trimmed, before accepting",
    ).toEqual([{ text: "следы носки" }]);
    expect(callsOf(invokeMock, "accept_claim_return"), "accept should be sent once").toHaveLength(
      1,
    );
    expect(label, "the label should name the item").toHaveTextContent("Куртка зимняя");
    expect(
      screen.getByTestId("return-label-amount"),
      "the label should show the refund",
    ).toHaveTextContent(/5\s990,00\s₽/);
    expect(
      screen.getByTestId("return-label-qr-text"),
      "the QR's text should show",
    ).toHaveTextContent("PVZR1:ret-1");
    expect(screen.getByTestId("return-label-qr"), "the QR image should show").toHaveAttribute(
      "src",
      "data:image/svg+xml;base64,PHN2Zy8+",
    );
    expect(within(label).getByTestId("print-bar"), "the label should be printable").toHaveAttribute(
      "data-document",
      "return_label",
    );
  });

  it("accepts on F9 without re-sending an unchanged condition, and cancels on Esc", async () => {
    await renderClaim(claimView({ item_checked: true, condition: "как новый" }));
    routeInvoke(invokeMock, {
      accept_claim_return: () =>
        makeView({ screen: { kind: "return_label", view: makeReturnLabel() } }),
    });
    await settle(() => fireEvent.keyDown(window, { key: "F9" }));
    expect(callsOf(invokeMock, "accept_claim_return"), "F9 should accept").toHaveLength(1);
    expect(
      callsOf(invokeMock, "set_claim_condition"),
      "an unchanged condition need not be sent again",
    ).toEqual([]);

    routeInvoke(invokeMock, { dismiss_return_label: () => makeView() });
    await screen.findByTestId("return-label");
    await settle(() => fireEvent.keyDown(document.body, { key: "Enter" }));
    expect(
      callsOf(invokeMock, "dismiss_return_label"),
      "Enter on the label should bring the next customer",
    ).toHaveLength(1);
  });

  it("cancels with Esc, but not while typing the condition", async () => {
    await renderClaim(claimView({ item_checked: true }));
    routeInvoke(invokeMock, { cancel_claim_return: () => makeView() });
    fireEvent.keyDown(screen.getByTestId("claim-condition"), { key: "Escape" });
    expect(
      callsOf(invokeMock, "cancel_claim_return"),
      "Esc in the condition field must not drop the claim",
    ).toEqual([]);
    await settle(() => fireEvent.keyDown(document.body, { key: "Escape" }));
    expect(callsOf(invokeMock, "cancel_claim_return"), "Esc should cancel the claim").toHaveLength(
      1,
    );
  });

  it("attaches a photo of the item's condition", async () => {
    await renderClaim(claimView({ item_checked: true }));
    routeInvoke(invokeMock, {
      attach_claim_photo: () => claimView({ item_checked: true, photos: 1 }),
    });
    const photo = new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0])], "item.jpg", {
      type: "image/jpeg",
    });
    expect(
      screen.getByTestId("photo-claim"),
      "the button should ask for a photo",
    ).toHaveTextContent("Фото товара");
    await settle(() =>
      fireEvent.change(screen.getByTestId("photo-input-claim"), { target: { files: [photo] } }),
    );
    expect(
      callsOf(invokeMock, "attach_claim_photo"),
      "the photo's bytes should go to the backend as base64",
    ).toEqual([{ dataBase64: "/9j/4A==" }]);
    expect(screen.getByTestId("photo-claim"), "the button should count photos").toHaveTextContent(
      "Фото: 1",
    );
  });

  it("says a missing part needs no item back and offers nothing to accept", async () => {
    await renderClaim(claimView({ compensation: "missing_part", amount: 0 }));
    expect(
      screen.getByTestId("claim-missing-part"),
      "the manager should be told nothing is taken in",
    ).toHaveTextContent("товар принимать не нужно");
    expect(screen.queryByTestId("claim-accept"), "no accept for a missing part").toBeNull();
    expect(screen.queryByTestId("claim-amount"), "no refund amount for a missing part").toBeNull();
  });

  it("shows a replacement without a refund amount", async () => {
    await renderClaim(claimView({ compensation: "replacement", amount: 0 }));
    expect(
      screen.getByTestId("claim-compensation"),
      "a replacement should be named as such",
    ).toHaveTextContent("Замена товара");
    expect(screen.queryByTestId("claim-amount"), "a replacement has no refund").toBeNull();
  });

  it("waits for the item's condition before accepting", async () => {
    await renderClaim(claimView({ item_checked: true }));
    const accept = screen.getByTestId("claim-accept");
    expect(accept, "accepting needs the condition noted").toBeDisabled();
    expect(screen.getByTestId("claim-hint"), "the hint says what is missing").toHaveTextContent(
      "Опишите состояние товара",
    );
    fireEvent.keyDown(window, { key: "F9" });
    expect(callsOf(invokeMock, "accept_claim_return"), "F9 must wait too").toEqual([]);
    fireEvent.change(screen.getByTestId("claim-condition"), { target: { value: "без следов" } });
    expect(accept, "with a condition the return can be accepted").toBeEnabled();
  });

  it("lets an item without a barcode be checked by eye", async () => {
    await renderClaim(claimView({ barcode: null, check_by_eye: true }));
    expect(
      screen.getByTestId("claim-item-check"),
      "without a barcode the manager compares by eye",
    ).toHaveTextContent("нет штрихкода");
    routeInvoke(invokeMock, {
      check_claim_item: () => claimView({ barcode: null, check_by_eye: true, item_checked: true }),
    });
    await settle(() => fireEvent.click(screen.getByTestId("claim-check-by-eye")));
    expect(callsOf(invokeMock, "check_claim_item"), "the check is sent").toHaveLength(1);
    expect(screen.getByTestId("claim-item-check"), "the item is checked").toHaveAttribute(
      "data-checked",
      "true",
    );
    expect(screen.queryByTestId("claim-check-by-eye"), "the button goes once checked").toBeNull();
  });

  it("shows the seller's words with a rejection", async () => {
    await renderClaim(
      claimView({
        refusal: "rejected",
        server_state: "rejected",
        server_reason: "следы эксплуатации",
      }),
    );
    expect(
      screen.getByTestId("claim-refusal-reason"),
      "the seller's reason should be quoted",
    ).toHaveTextContent("Причина: следы эксплуатации");
  });

  it("refuses another item with a clear banner and keeps the claim open", async () => {
    await renderClaim();
    routeInvoke(invokeMock, { scan: () => rejectWith("claim_other_item") });
    const input = screen.getByTestId("manual-input");
    fireEvent.change(input, { target: { value: "4600000000000" } });
    await settle(() => fireEvent.submit(input));
    expect(
      screen.getByTestId("error-banner"),
      "scanning another item should say it is not the claim's",
    ).toHaveTextContent("Это другой товар, не тот, что в претензии");
    expect(screen.getByTestId("claim-return"), "the claim stays on screen").toBeVisible();
    expect(screen.getByTestId("claim-item-check"), "the item is still not checked").toHaveAttribute(
      "data-checked",
      "false",
    );
  });
});
