// The command names are typed once, in the capability modules' `COMMANDS`; this checks them against
// the commands the Rust app registers (`tauri::generate_handler![...]` in src-tauri/src/lib.rs).
/// <reference types="node" />
// Read with node:fs (hence the reference to Node's types above: tsconfig.json lists only Vite's).
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/** ui/src/ipc -> the repository's src-tauri/src/lib.rs (`../src-tauri/src/lib.rs` from ui/). */
const LIB_RS = resolve(dirname(fileURLToPath(import.meta.url)), "../../../src-tauri/src/lib.rs");

/** Registered in the Rust app but called by no screen, each with the reason. */
const INTENTIONALLY_UNUSED: Record<string, string> = {
  resume_receiving:
    "the open receiving shows by itself whenever nothing else is on the counter, and scanning the " +
    "shipment's code again brings it back; no screen has a button for it",
  list_cells:
    "no screen lists the point's cells; a cell reaches the UI in a receiving proposal or a found item",
  window_mode:
    "asked by support and the end-to-end tests (is the window fullscreen and undecorated, as the " +
    "window system has it); the screens know kiosk mode from the configuration",
};

/** Every module that calls commands: the shared ones in ipc/ and one per capability. */
const modules = import.meta.glob<readonly string[]>(
  ["./counter.ts", "./documents.ts", "../features/*/api.ts"],
  { eager: true, import: "COMMANDS" },
);
const moduleSources = import.meta.glob<string>(
  ["./counter.ts", "./documents.ts", "../features/*/api.ts"],
  { eager: true, query: "?raw", import: "default" },
);
/** Every source file of the UI but the tests and the generated bindings. */
const uiSources = import.meta.glob<string>(
  ["../**/*.{ts,tsx}", "!../**/*.test.{ts,tsx}", "!../test/**", "!../bindings/**"],
  { eager: true, query: "?raw", import: "default" },
);

/** The command names in the app's `generate_handler!` list (the last segment of each path). */
function registeredCommands(): string[] {
  const source = readFileSync(LIB_RS, "utf8").replace(/\/\/[^\n]*/g, "");
  const list = /tauri::generate_handler!\s*\[([^\]]*)\]/.exec(source)?.[1];
  if (list === undefined) throw new Error(`no tauri::generate_handler![...] in ${LIB_RS}`);
  return list
    .split(",")
    .map((path) => path.trim().split("::").at(-1) ?? "")
    .filter((name) => name !== "");
}

/** The names a module passes to its caller: `call<T>("name"` or `call("name"`. */
function calledIn(source: string): string[] {
  return [...source.matchAll(/\bcall\b(?:<[^(]*>)?\(\s*"(\w+)"/g)].map((match) => match[1] ?? "");
}

describe("the Tauri commands the UI calls", () => {
  const registered = registeredCommands();
  const declared = Object.values(modules).flat();

  it("are found: the Rust app's list and every capability module", () => {
    expect(registered, "lib.rs registers the counter's commands").toEqual(
      expect.arrayContaining(["counter_view", "scan", "decide_item", "log_in"]),
    );
    expect(
      Object.keys(modules).length,
      "ipc/counter, ipc/documents and the seven capabilities' api.ts",
    ).toBe(9);
  });

  it("are each declared by one module only", () => {
    const twice = declared.filter((name, index) => declared.indexOf(name) !== index);
    expect(twice, "commands declared by more than one module").toEqual([]);
  });

  it("are all registered in the Rust app", () => {
    const unknown = declared.filter((name) => !registered.includes(name));
    expect(unknown, `commands the UI calls that lib.rs does not register`).toEqual([]);
  });

  it("cover every registered command, but those listed as intentionally unused", () => {
    const unused = registered.filter(
      (name) => !declared.includes(name) && !(name in INTENTIONALLY_UNUSED),
    );
    expect(unused, "registered commands no module calls and no reason given").toEqual([]);
    const stale = Object.keys(INTENTIONALLY_UNUSED).filter(
      (name) => declared.includes(name) || !registered.includes(name),
    );
    expect(stale, "listed as unused but called, or no longer registered").toEqual([]);
  });

  it("are exactly what each module calls: nothing declared and left uncalled", () => {
    for (const [path, commands] of Object.entries(modules)) {
      const called = new Set(calledIn(moduleSources[path] ?? ""));
      expect([...called].sort(), `${path} calls the commands it declares`).toEqual(
        [...commands].sort(),
      );
    }
  });

  it("go through the typed callers: only ipc/command.ts imports invoke", () => {
    const importers = Object.entries(uiSources)
      .filter(([, source]) =>
        /import\s*\{[^}]*\binvoke\b[^}]*\}\s*from\s*"@tauri-apps\/api\/core"/.test(source),
      )
      .map(([path]) => path);
    expect(importers, "modules importing invoke directly").toEqual(["./command.ts"]);
  });
});
