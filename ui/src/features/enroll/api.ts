//! Подключение кассы: the one command a kiosk that is not enrolled yet needs.
import type { CounterView } from "../../bindings";
import { commandCaller } from "../../ipc/command";

export const COMMANDS = ["enroll"] as const;
const call = commandCaller<(typeof COMMANDS)[number]>();

/**
 * Connects a kiosk that is not enrolled yet: exchanges the one-time `code` (any case, dashes
 * optional) at `serverUrl` and starts sync. The view names the pickup point; its orders follow
 * with the first sync. `deviceName` null: the host name.
 */
export const enroll = (serverUrl: string, code: string, deviceName: string | null) =>
  call<CounterView>("enroll", { serverUrl, code, deviceName });
