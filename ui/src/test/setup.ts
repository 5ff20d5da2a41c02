// Test set-up shared by every Vitest file: DOM matchers, a clean DOM and Russian as the language.
import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach, beforeEach } from "vitest";
import i18n from "../i18n";

beforeEach(async () => {
  window.localStorage.clear();
  await i18n.changeLanguage("ru");
});

afterEach(() => {
  cleanup();
});
