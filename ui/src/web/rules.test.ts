import { describe, expect, it } from "vitest";
import { checkAction, type ActionFields } from "./actionRules";
import { parseRubles, typedRubles } from "./rubles";

const blank: ActionFields = {
  kind: "refund",
  amount: "",
  part: "",
  template: "",
  comment: "",
  route: "pickup_point",
  address: "",
  hours: "",
};

describe("typed roubles", () => {
  it("read as kopecks with a comma or a dot", () => {
    expect(parseRubles("1234,50")).toBe(123450);
    expect(parseRubles("1 234.5")).toBe(123450);
    expect(parseRubles("99")).toBe(9900);
    expect(parseRubles("12,345"), "three kopeck digits are no amount").toBeNull();
    expect(parseRubles("-5"), "a negative is no amount").toBeNull();
    expect(typedRubles(123405)).toBe("1234,05");
  });
});

describe("an action's fields", () => {
  it("take a refund from 1 kopeck up to the price", () => {
    const price = 10000;
    const approve = (amount: string) =>
      checkAction("approve_via_pickup_point", { ...blank, amount }, price);
    expect(approve("100,00").ok).toBe(true);
    expect(approve("100,01")).toMatchObject({ ok: false, problem: { key: "amountRange" } });
    expect(approve("0")).toMatchObject({ ok: false, problem: { key: "amountRange" } });
    expect(approve("десять")).toMatchObject({ ok: false, problem: { key: "amountNotNumber" } });
  });

  it("need a template or a 10-1000 character comment to reject", () => {
    expect(checkAction("reject", blank, 1)).toMatchObject({
      ok: false,
      problem: { key: "rejectNeedsReason" },
    });
    expect(checkAction("reject", { ...blank, template: "signs_of_use" }, 1)).toEqual({
      ok: true,
      request: { action: "reject", template: "signs_of_use", comment: null },
    });
    expect(checkAction("reject", { ...blank, comment: "x".repeat(1001) }, 1).ok).toBe(false);
  });

  it("need the seller's address and hours for a return to the seller", () => {
    const fields = { ...blank, kind: "replacement" as const, address: "Москва, ул. Ленина 1" };
    expect(checkAction("approve_to_seller", fields, 1)).toMatchObject({
      ok: false,
      problem: { key: "hoursEmpty" },
    });
    expect(checkAction("approve_to_seller", { ...fields, hours: "пн-пт 10-19" }, 1)).toEqual({
      ok: true,
      request: {
        action: "approve_to_seller",
        compensation: { kind: "replacement" },
        seller_address: { address: "Москва, ул. Ленина 1", hours: "пн-пт 10-19" },
      },
    });
  });
});
