// Entry point: translations first (so the first paint is in the right language), then the app.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "./i18n";
import { App } from "./App";
import { bootFirstView, takeOverBootShell } from "./shell/boot";
// The style sheets in cascade order: shared ones in styles/, each capability's beside its screens.
import "./styles/base.css";
import "./styles/layout.css";
import "./features/issue/order.css";
import "./styles/dialog.css";
import "./features/issue/receipt.css";
import "./features/sync/sync.css";
import "./features/enroll/enroll.css";
import "./styles/common.css";
import "./features/returns/returns.css";
import "./styles/print-bar.css";
import "./features/staff/staff.css";
import "./features/shelves/shelves.css";
import "./features/kiosk/kiosk.css";

// Every module of the entry chunk has run (the start-up's timeline, see public/boot.js).
performance.mark("pvz:app-evaluated");
const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
// The first render waits for the counter's first view (boot.js asked for it while this bundle
// loaded, so it is usually in already): the app's first frame shows the data. Until then the
// plain-HTML shell stays, and keeps what is typed or scanned into it.
void bootFirstView().then((firstView) => {
  if (firstView) performance.mark("pvz:first-view");
  // Right before the first render replaces the shell: what was typed or scanned into it.
  takeOverBootShell(document, firstView);
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
