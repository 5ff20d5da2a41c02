import { render, screen, within } from "@testing-library/react";
import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ClaimStatus } from "../../bindings/ClaimStatus";
import i18n from "../../i18n";
import { callsOf, rejectWith, routeInvoke } from "../../test/fixtures";
import { ItemClaims } from "./ItemClaims";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
const invokeMock = vi.mocked(invoke);

function claim(overrides: Partial<ClaimStatus>): ClaimStatus {
  return {
    claim_id: "clm-demo-photos",
    order_id: "ord-1008",
    item_id: "itm-1008-3",
    item_name: "Джинсы",
    state: "open",
    compensation: null,
    reason: null,
    description: "Шов разошёлся",
    return_code: null,
    part_order_id: null,
    fulfilled_at: null,
    decision: "under_review",
    item_fate: "with_buyer",
    route: null,
    decided_by: "seller",
    paid_at: null,
    opened_at: "2026-12-01T10:00:00Z",
    return_deadline: null,
    seller_address: null,
    rejection_template: null,
    code_issue: 1,
    actions: [],
    ...overrides,
  };
}

/** Spaces as Intl writes them in money (no-break, narrow no-break) read as plain ones. */
const plain = (text: string | null) => (text ?? "").replace(/[\u00a0\u202f]/g, " ");

beforeEach(async () => {
  invokeMock.mockReset();
  await i18n.changeLanguage("ru");
});

describe("the claims block of an item's history", () => {
  it("says a partial refund without return in words, newest first, with a rejection's reason", async () => {
    const refunded = claim({
      state: "approved",
      decision: "approved",
      compensation: { kind: "refund", amount: 150_050 },
      route: "no_return",
    });
    const rejected = claim({
      claim_id: "clm-old",
      state: "rejected",
      decision: "rejected",
      reason: "следы носки",
    });
    routeInvoke(invokeMock, { item_claims: () => [refunded, rejected] });
    render(<ItemClaims itemId="itm-1008-3" revision="r1" />);

    const shown = await screen.findByTestId("item-claim-clm-demo-photos");
    expect(callsOf(invokeMock, "item_claims"), "the server is asked about this item").toEqual([
      { itemId: "itm-1008-3" },
    ]);
    expect(
      plain(within(shown).getByTestId("item-claim-decision").textContent),
      "the approval with its amount and that the item stays with the buyer",
    ).toBe("Одобрена: возврат 1 500,50 ₽ без возврата товара");
    const older = screen.getByTestId("item-claim-clm-old");
    expect(older, "the rejection is listed after it").toHaveTextContent("Отклонена");
    expect(older, "with the seller's reason").toHaveTextContent("причина: следы носки");
    const items = screen.getAllByRole("listitem").map((li) => li.getAttribute("data-testid"));
    expect(items, "newest first, as the server sent them").toEqual([
      "item-claim-clm-demo-photos",
      "item-claim-clm-old",
    ]);
  });

  it("says so in English too, for a replacement through a pickup point", async () => {
    await i18n.changeLanguage("en");
    const replaced = claim({
      state: "approved",
      decision: "approved",
      compensation: { kind: "replacement" },
      route: "pickup_point",
    });
    routeInvoke(invokeMock, { item_claims: () => [replaced] });
    render(<ItemClaims itemId="itm-1008-3" revision="r1" />);
    const shown = await screen.findByTestId("item-claim-decision");
    expect(shown, "the replacement and the return route in English").toHaveTextContent(
      "Approved: replacement with the item returned through a pickup point",
    );
  });

  it("says there are none when the server lists none", async () => {
    routeInvoke(invokeMock, { item_claims: () => [] });
    render(<ItemClaims itemId="itm-1008-3" revision="r1" />);
    expect(
      await screen.findByTestId("item-claims-none"),
      "no claims, said plainly",
    ).toHaveTextContent("Претензий по товару нет");
  });

  it("offline, says there is no connection instead of listing nothing", async () => {
    routeInvoke(invokeMock, { item_claims: () => rejectWith("server_unreachable") });
    render(<ItemClaims itemId="itm-1008-3" revision="r1" />);
    const error = await screen.findByTestId("item-claims-error");
    expect(error, "the kind of failure is kept").toHaveAttribute("data-kind", "server_unreachable");
    expect(error, "the manager reads that the server is out of reach").toHaveTextContent(
      "Нет связи с сервером",
    );
    expect(
      screen.queryByTestId("item-claims-none"),
      "never «no claims» when nobody could be asked",
    ).toBeNull();
  });
});
