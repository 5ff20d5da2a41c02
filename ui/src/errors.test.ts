import { describe, expect, it } from "vitest";
import i18n from "./i18n";
import { errorMessage } from "./errors";

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
