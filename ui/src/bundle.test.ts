/// <reference types="node" />
// The split that lets the window paint first: the entry chunk and what it imports statically hold
// the shell, home and the order card, never the rarely used screens (App.tsx loads them lazily).
import { join } from "node:path";
import { build, type Rollup } from "vite";
import { describe, expect, it } from "vitest";

const RARE_SCREENS = [
  "features/enroll/EnrollForm.tsx",
  "features/returns/ClaimReturn.tsx",
  "features/returns/HandBack.tsx",
  "features/returns/HandBackAct.tsx",
  "features/returns/HandoverAct.tsx",
  "features/returns/ReturnLabel.tsx",
  "features/returns/ReturnsDesk.tsx",
  "features/shelves/Expiry.tsx",
  "features/shelves/FindDialog.tsx",
  "features/shelves/FoundItem.tsx",
  "features/shelves/Receiving.tsx",
  "features/staff/ShiftReport.tsx",
];

/** The modules the page loads before its first paint: the entry chunk and its static imports. */
function eagerModules(output: Rollup.RollupOutput): string[] {
  const chunks = new Map<string, Rollup.OutputChunk>();
  for (const item of output.output) if (item.type === "chunk") chunks.set(item.fileName, item);
  const entry = [...chunks.values()].find((chunk) => chunk.isEntry);
  if (!entry) throw new Error("the build has no entry chunk");
  const seen = new Set<string>();
  const pending = [entry.fileName];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (seen.has(name)) continue;
    seen.add(name);
    pending.push(...(chunks.get(name)?.imports ?? []));
  }
  return [...seen].flatMap((name) => Object.keys(chunks.get(name)?.modules ?? {}));
}

describe("the window's bundle", () => {
  it("loads the rare screens only when they show", { timeout: 120_000 }, async () => {
    const built = await build({
      // Vitest runs in ui/ (npm --prefix ui test), where the window's Vite config is.
      configFile: join(process.cwd(), "vite.config.ts"),
      logLevel: "silent",
      build: { write: false },
    });
    const output = (Array.isArray(built) ? built[0] : built) as Rollup.RollupOutput;
    const eager = eagerModules(output);
    expect(
      eager.filter((module) => module.endsWith("shell/ManualEntry.tsx")),
      "the scan field is in the first paint",
    ).toHaveLength(1);
    expect(
      eager.filter((module) => module.endsWith("features/issue/OrderCard.tsx")),
      "the order card opens a scan without a chunk to fetch",
    ).toHaveLength(1);
    const rareInEntry = RARE_SCREENS.filter((screen) =>
      eager.some((module) => module.endsWith(screen)),
    );
    expect(rareInEntry, "no rarely used screen is loaded before the first paint").toEqual([]);

    // The page itself loads no script but boot.js: the bundle starts after the shell's first frame.
    const page = output.output.find((item) => item.fileName === "index.html");
    const html = page?.type === "asset" ? String(page.source) : "";
    const entry = output.output.find((item) => item.type === "chunk" && item.isEntry);
    expect(html, "the built page names its entry chunk for boot.js").toContain(
      `<meta name="pvz-app-entry" content="/${entry?.fileName}"`,
    );
    expect(html, "no module script or preload holds back the page's load").not.toMatch(
      /<script type="module"|modulepreload/,
    );
    expect(html, "boot.js runs on the shell").toContain('<script src="/boot.js"></script>');
  });
});
