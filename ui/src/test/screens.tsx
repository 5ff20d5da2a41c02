// Opens the app on a given counter view, as a restart onto that screen would.
import { render, screen } from "@testing-library/react";
import type { Mock } from "vitest";
import { App } from "../App";
import type { CounterView } from "../bindings";
import { routeInvoke, settle } from "./fixtures";

/**
 * Renders the app with the backend answering `view` (and `handlers`, for what the screen reads
 * itself, such as an item's history), waits for the screen `testId`, and lets its effects (hotkeys,
 * focus) run before the test presses keys. Later handlers replace the routing.
 */
export async function renderScreen(
  invoke: Mock,
  view: CounterView,
  testId: string,
  handlers: Parameters<typeof routeInvoke>[1] = {},
): Promise<HTMLElement> {
  routeInvoke(invoke, { counter_view: () => view, ...handlers });
  render(<App />);
  const shown = await screen.findByTestId(testId);
  await settle(() => undefined);
  return shown;
}
