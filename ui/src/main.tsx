// Entry point: translations first (so the first paint is in the right language), then the app.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "./i18n";
import { App } from "./App";
import { takeOverBootShell } from "./shell/boot";
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

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
// Before the first render replaces the plain-HTML shell: what was typed or scanned into it.
takeOverBootShell();

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
