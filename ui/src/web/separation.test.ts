import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The kiosk's bundle and the web page's share only the generated bindings and the money display:
// neither pulls the other's screens, strings or styles into its build.
const src = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const web = join(src, "web");
const shared = [join(src, "bindings"), join(src, "money")];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : [];
  });
}

const inside = (path: string, dir: string) => !relative(dir, path).startsWith("..");

function crossings(): string[] {
  const found: string[] = [];
  for (const file of sources(src)) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/(?:from|import)\s+"(\.{1,2}\/[^"]+)"/g)) {
      const target = resolve(dirname(file), match[1] ?? "");
      const fromWeb = inside(file, web);
      const toWeb = inside(target, web);
      const toShared = shared.some((dir) => target === dir || inside(target, dir));
      if ((fromWeb && !toWeb && !toShared) || (!fromWeb && toWeb)) {
        found.push(`${relative(src, file)} imports ${match[1]}`);
      }
    }
  }
  return found;
}

describe("the web page's bundle", () => {
  it("and the kiosk's share only the bindings and the money display", () => {
    expect(crossings(), "imports across the kiosk / web page line").toEqual([]);
  });
});
