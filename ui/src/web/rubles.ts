//! Amounts as a seller types them: roubles with up to two kopeck digits ("1234,50", "1 234.5",
//! "99"), turned into integer kopecks; and kopecks back into that typing form.
import type { Kopecks } from "../bindings/Kopecks";

/** Kopecks of a typed amount, or `null` when it is not an amount. */
export function parseRubles(typed: string): Kopecks | null {
  const compact = typed.replace(/[\s\u00a0₽]/g, "");
  const match = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(compact);
  if (!match) return null;
  const rubles = Number(match[1]);
  const kopecks = Number((match[2] ?? "0").padEnd(2, "0"));
  return rubles * 100 + kopecks;
}

/** `123450` -> "1234,50": what the amount field is filled with. */
export function typedRubles(amount: Kopecks): string {
  const rubles = Math.trunc(amount / 100);
  const kopecks = String(Math.abs(amount % 100)).padStart(2, "0");
  return `${rubles},${kopecks}`;
}
