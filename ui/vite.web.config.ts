// Vite builds the seller and operator web page into ui/dist-web; pvz-server serves it under /seller/.
// Its own entry (web/index.html -> src/web/main.tsx) keeps it apart from the kiosk's bundle.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  plugins: [react()],
  root: here("./web"),
  // The server mounts the page at /seller/; its assets are asked for under that prefix.
  base: "/seller/",
  publicDir: false,
  clearScreen: false,
  // `npm run dev:web`: the page on :1421 with the API calls sent on to a running pvz-server, so the
  // session cookie stays on one origin.
  server: {
    port: 1421,
    proxy: { "/v1": process.env.PVZ_SERVER_URL ?? "http://127.0.0.1:8787" },
  },
  build: {
    outDir: here("./dist-web"),
    emptyOutDir: true,
    target: "es2022",
  },
});
