import { describe, expect, it } from "vitest";
import { en } from "./en";
import { ru } from "./ru";

type Tree = { readonly [key: string]: string | Tree };

/** Every leaf as "a.b.c" -> text. */
function leaves(tree: Tree, prefix = ""): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") found.set(path, value);
    else for (const [leaf, text] of leaves(value, path)) found.set(leaf, text);
  }
  return found;
}

const placeholders = (text: string) =>
  [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe("translations", () => {
  const ruLeaves = leaves(ru);
  const enLeaves = leaves(en);

  it("have the same keys in Russian and English", () => {
    const missingInEn = [...ruLeaves.keys()].filter((key) => !enLeaves.has(key));
    const missingInRu = [...enLeaves.keys()].filter((key) => !ruLeaves.has(key));
    expect(missingInEn, `keys in ru/ missing from en/: ${missingInEn.join(", ")}`).toEqual([]);
    expect(missingInRu, `keys in en/ missing from ru/: ${missingInRu.join(", ")}`).toEqual([]);
  });

  it("use the same placeholders in both languages", () => {
    const mismatched = [...ruLeaves]
      .filter(([key, text]) => {
        const other = enLeaves.get(key);
        return other !== undefined && placeholders(text).join() !== placeholders(other).join();
      })
      .map(([key]) => key);
    expect(
      mismatched,
      `keys whose {{placeholders}} differ between ru and en: ${mismatched.join(", ")}`,
    ).toEqual([]);
  });

  it("have no empty strings", () => {
    const empty = [...ruLeaves, ...enLeaves]
      .filter(([, text]) => text.trim() === "")
      .map(([key]) => key);
    expect(empty, `keys with empty text: ${empty.join(", ")}`).toEqual([]);
  });
});
