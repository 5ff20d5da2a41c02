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
  build: {
    outDir: here("./dist-web"),
    emptyOutDir: true,
    target: "es2022",
  },
});
