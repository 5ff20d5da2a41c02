// The DOM matchers (toHaveTextContent, toHaveFocus, ...) for the web page's tests; the kiosk's
// tsconfig gets them from src/test/setup.ts, which this project does not include.
/// <reference types="@testing-library/jest-dom/vitest" />
