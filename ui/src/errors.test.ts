import { describe, expect, it } from "vitest";
import i18n from "./i18n";
import errorKindSource from "./bindings/ErrorKind.ts?raw";
import { errorMessage, isKnownErrorKind } from "./errors";

/** Every error kind the backend can send, read from the generated binding. */
function backendErrorKinds(): string[] {
  return [...errorKindSource.matchAll(/"([a-z_]+)"/g)].map((match) => match[1] ?? "");
}

describe("errorMessage", () => {
  it("tells a failing server apart from an unreachable one", () => {
    const t = i18n.getFixedT("en");
    const failed = errorMessage(
      { kind: "server_error", message: "the server answered 500: internal error", detail: null },
      t,
      "en",
    );
    const unreachable = errorMessage(
      { kind: "server_unreachable", message: "no connection", detail: null },
      t,
      "en",
    );
    expect(failed, "a 500 says the server failed, with the backend's reason").toBe(
      "The server failed (the network is fine): the server answered 500: internal error",
    );
    expect(unreachable, "an unreachable server still says it cannot be reached").toBe(
      "The server cannot be reached: no connection",
    );
  });

  it("translates a server failure into Russian", () => {
    const t = i18n.getFixedT("ru");
    const failed = errorMessage({ kind: "server_error", message: "500", detail: null }, t, "ru");
    expect(failed, "the Russian banner says the server failed").toBe(
      "Сбой на сервере (связь есть): 500",
    );
  });
});

describe("an order not received at the point yet", () => {
  it("tells the manager to receive its shipment first or wait for sync, in both languages", () => {
    const error = {
      kind: "order_not_arrived",
      message: "this order has not arrived at the point yet: receive its shipment first",
      detail: null,
    } as const;
    expect(
      errorMessage(error, i18n.getFixedT("ru"), "ru"),
      "the Russian banner says the order is not received, what to do, and that another counter may have",
    ).toBe(
      "Заказ ещё не принят на пункт: сначала примите поставку (приёмка). Если её уже приняли на другой кассе, дождитесь синхронизации.",
    );
    expect(
      errorMessage(error, i18n.getFixedT("en"), "en"),
      "the English banner says the same",
    ).toBe(
      "This order has not been received at the point yet: receive its shipment first. If another counter has received it already, wait for sync.",
    );
  });

  it("says an order recorded missing at receiving is marked arrived by the network", () => {
    const error = {
      kind: "order_not_arrived",
      message:
        "this order has not arrived at the point yet: its items were all recorded missing at receiving",
      detail: "recorded_missing",
    } as const;
    expect(
      errorMessage(error, i18n.getFixedT("ru"), "ru"),
      "the Russian banner says the items were recorded missing and who makes the order arrive",
    ).toBe(
      "При приёмке товары этого заказа отмечены как недостающие. Если заказ нашёлся, положите его в ячейку и попросите сеть отметить его прибывшим.",
    );
    expect(
      errorMessage(error, i18n.getFixedT("en"), "en"),
      "the English banner says the same",
    ).toBe(
      "This order's items were recorded missing at receiving. If the order has turned up, put it in a cell and ask the network to mark it arrived.",
    );
  });
});

describe("every error kind of the backend", () => {
  const kinds = backendErrorKinds();

  it("is read from the bindings", () => {
    expect(kinds, "the staff, shift, receiving and cell kinds are there").toEqual(
      expect.arrayContaining(["wrong_pin", "pin_locked", "shift_not_open", "cell_full"]),
    );
  });

  it("has a translated message in both languages, with or without its detail", () => {
    const untranslated: string[] = [];
    for (const lang of ["ru", "en"] as const) {
      const t = i18n.getFixedT(lang);
      for (const kind of kinds) {
        if (!isKnownErrorKind(kind)) {
          untranslated.push(`${kind} (not in KNOWN_ERROR_KINDS)`);
          continue;
        }
        for (const detail of [null, "3"]) {
          const text = errorMessage({ kind, message: "m", detail }, t, lang);
          if (text.includes("errors.") || text === "m") untranslated.push(`${lang}:${kind}`);
        }
      }
    }
    expect(untranslated, "kinds the banner could not say in words").toEqual([]);
  });

  it("weaves in tries left, the lockout's end and the cell", () => {
    const t = i18n.getFixedT("ru");
    const say = (kind: string, detail: string) =>
      errorMessage({ kind, message: "m", detail } as never, t, "ru");
    expect(say("wrong_pin", "2"), "tries left").toBe("Неверный PIN-код. Осталось попыток: 2.");
    expect(say("pin_locked", new Date(2026, 11, 10, 14, 35).toISOString()), "until when").toContain(
      "14:35",
    );
    expect(say("cell_full", "A-07"), "which cell").toBe("Ячейка A-07 заполнена — выберите другую.");
  });
});

describe("a claim the counter must not take back", () => {
  it("says where the item goes, or that the code was replaced, in both languages", () => {
    const cases = [
      [
        "claim_to_seller",
        "Этот товар возвращается напрямую продавцу — не принимайте его.",
        "This item goes back to the seller directly — do not accept it.",
      ],
      [
        "claim_no_return",
        "Товар остаётся у покупателя, возврат через пункт не нужен.",
        "The item stays with the buyer; no return through a pickup point is needed.",
      ],
      [
        "claim_code_replaced",
        "Этот код заменён новым — попросите у покупателя новый код.",
        "This code was replaced; ask the buyer for the new code.",
      ],
    ] as const;
    for (const [kind, ru, en] of cases) {
      const error = { kind, message: "backend text", detail: null };
      expect(errorMessage(error, i18n.getFixedT("ru"), "ru"), `${kind} in Russian`).toBe(ru);
      expect(errorMessage(error, i18n.getFixedT("en"), "en"), `${kind} in English`).toBe(en);
    }
  });

  it("names the return deadline that passed", () => {
    const deadline = new Date(2026, 11, 20, 18, 0).toISOString();
    const error = { kind: "claim_return_expired", message: "passed", detail: deadline } as const;
    expect(
      errorMessage(error, i18n.getFixedT("ru"), "ru"),
      "the Russian banner says the deadline passed, with its date",
    ).toMatch(/^Срок возврата истёк 20\.12\.2026/);
    expect(
      errorMessage({ ...error, detail: null }, i18n.getFixedT("ru"), "ru"),
      "without a date it still says so",
    ).toBe("Срок возврата истёк — товар не принимайте.");
  });
});
