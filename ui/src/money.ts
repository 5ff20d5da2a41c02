//! Display of money and times. Amounts stay integer kopecks everywhere; only here are they divided
//! for display.
import type { Kopecks } from "./bindings";

export type Lang = "ru" | "en";

const localeOf = (lang: Lang) => (lang === "ru" ? "ru-RU" : "en-US");

const moneyFormats = new Map<Lang, Intl.NumberFormat>();

/** `123450` kopecks -> "1 234,50 ₽" (ru) or "RUB 1,234.50" (en). */
export function formatMoney(amount: Kopecks, lang: Lang): string {
  let format = moneyFormats.get(lang);
  if (!format) {
    format = new Intl.NumberFormat(localeOf(lang), {
      style: "currency",
      currency: "RUB",
      currencyDisplay: "narrowSymbol",
    });
    moneyFormats.set(lang, format);
  }
  return format.format(amount / 100);
}

/** Hours and minutes of an ISO timestamp, in the kiosk's local time zone. */
export function formatTime(iso: string, lang: Lang): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleTimeString(localeOf(lang), { hour: "2-digit", minute: "2-digit" });
}

/** Date and time of an ISO timestamp, for "issued on ..." style messages. */
export function formatDateTime(iso: string, lang: Lang): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(localeOf(lang), {
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}
