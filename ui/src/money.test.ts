import { describe, expect, it } from "vitest";
import { formatMoney, formatTime } from "./money";

/** Intl separates groups and the sign with (narrow) no-break spaces; compare with plain ones. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

describe("formatMoney", () => {
  it("formats kopecks as roubles in Russian", () => {
    expect(plain(formatMoney(123_450, "ru")), "123450 kopecks should read 1 234,50 ₽").toBe(
      "1 234,50 ₽",
    );
    expect(plain(formatMoney(0, "ru")), "zero should still show kopecks and the sign").toBe(
      "0,00 ₽",
    );
    expect(plain(formatMoney(5, "ru")), "5 kopecks should be 0,05 ₽").toBe("0,05 ₽");
    expect(plain(formatMoney(100_000_000, "ru")), "a million roubles should be grouped").toBe(
      "1 000 000,00 ₽",
    );
  });

  it("formats kopecks as roubles in English", () => {
    expect(plain(formatMoney(123_450, "en")), "en-US should use its own separators").toBe(
      "₽1,234.50",
    );
  });

  it("keeps kopecks exact for amounts that are not exact in binary", () => {
    expect(plain(formatMoney(1_999_999, "ru")), "19 999,99 must not round to 20 000").toBe(
      "19 999,99 ₽",
    );
    expect(plain(formatMoney(10, "ru")), "10 kopecks should be 0,10 ₽").toBe("0,10 ₽");
  });
});

describe("formatTime", () => {
  it("shows hours and minutes of an ISO time, and the input when it is not a time", () => {
    const iso = new Date(2026, 0, 15, 9, 5).toISOString();
    expect(formatTime(iso, "ru"), "local 09:05 should read 09:05").toBe("09:05");
    expect(formatTime("not a time", "ru"), "an unparsable time should be shown as given").toBe(
      "not a time",
    );
  });
});
