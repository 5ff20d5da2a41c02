//! The one door to the backend: every Tauri command is called through a caller typed to the names
//! its capability's module declares, and whatever a rejected call threw becomes a KioskError here.
import { invoke, type InvokeArgs } from "@tauri-apps/api/core";
import type { KioskError } from "../bindings";

/** Calls the command `name` with its arguments (camelCase, as Tauri maps them to Rust's). */
export type CommandCaller<Name extends string> = <T>(name: Name, args?: InvokeArgs) => Promise<T>;

/**
 * A caller that takes only the names in `Name` (a module's `COMMANDS`), so calling a command the
 * module did not declare does not compile. A command without arguments is invoked with none.
 */
export function commandCaller<Name extends string>(): CommandCaller<Name> {
  return <T>(name: Name, args?: InvokeArgs) =>
    args === undefined ? invoke<T>(name) : invoke<T>(name, args);
}

/**
 * Whatever a rejected invoke threw, as a KioskError. The backend rejects with `{kind, message, detail}`;
 * anything else (a missing command, a plain string from the IPC layer) becomes `internal`, and an
 * unknown `kind` is kept as is so the banner can fall back to `message`.
 */
export function toKioskError(thrown: unknown): KioskError {
  if (typeof thrown === "object" && thrown !== null && "kind" in thrown && "message" in thrown) {
    const { kind, message, detail } = thrown as Record<string, unknown>;
    if (typeof kind === "string" && typeof message === "string") {
      return {
        kind: kind as KioskError["kind"],
        message,
        detail: typeof detail === "string" ? detail : null,
      };
    }
  }
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return { kind: "internal", message, detail: null };
}
