// Test set-up shared by every Vitest file: DOM matchers, a clean DOM and Russian as the language.
import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach, beforeEach } from "vitest";
import i18n from "../i18n";

// findBy*/waitFor give up after 1 s by default; on a busy 2-core CI machine a screen can take longer
// to come up. A longer limit costs nothing when the test passes.
configure({ asyncUtilTimeout: 5000 });

beforeEach(async () => {
  window.localStorage.clear();
  await i18n.changeLanguage("ru");
});

afterEach(() => {
  cleanup();
});
