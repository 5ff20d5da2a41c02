// Vite builds the kiosk UI into ui/dist for the Tauri window; Vitest reuses the same config.
import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";
import type { Plugin } from "vite";

/**
 * The built page loads the app only after its own load event: index.html's plain-HTML shell (the
 * header and the scan field) is then the whole document WebKit waits for before its first frame,
 * as in a bare window, and public/boot.js starts the bundle once that frame is painted. The entry
 * script becomes a `<meta name="pvz-app-entry">` naming the chunk; the dev server keeps the script.
 */
function appAfterFirstFrame(): Plugin {
  return {
    name: "pvz-app-after-first-frame",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(html) {
        const entry = /<script type="module" crossorigin src="([^"]+)"><\/script>\s*/;
        const found = entry.exec(html);
        if (!found) throw new Error("index.html: the built entry script was not found");
        return html.replace(entry, `<meta name="pvz-app-entry" content="${found[1]}" />\n    `);
      },
    },
  };
}

export default defineConfig({
  plugins: [react(), appAfterFirstFrame()],
  // The Tauri dev server URL points at this port; a different one would open a blank window.
  server: { port: 1420, strictPort: true },
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // The window runs WebKitGTK / WebView2 with modern engines; no legacy transforms needed.
    target: "es2022",
    // Preloads would count toward the page's load event, which the shell's first frame waits for;
    // the entry chunk asks for its imports itself.
    modulePreload: false,
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
