// Vite builds the kiosk UI into ui/dist for the Tauri window; Vitest reuses the same config.
import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

export default defineConfig({
  plugins: [react()],
  // The Tauri dev server URL points at this port; a different one would open a blank window.
  server: { port: 1420, strictPort: true },
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // The window runs WebKitGTK / WebView2 with modern engines; no legacy transforms needed.
    target: "es2022",
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test/setup.ts"],
    restoreMocks: true,
    // Above Testing Library's 5 s wait (src/test/setup.ts), so a missing element fails with its
    // own message rather than as a test timeout.
    testTimeout: 10_000,
  },
});
