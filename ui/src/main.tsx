// Entry point: translations first (so the first paint is in the right language), then the app.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "./i18n";
import { App } from "./App";
import "./styles/base.css";
import "./styles/layout.css";
import "./styles/order.css";
import "./styles/dialog.css";
import "./styles/receipt.css";
import "./styles/sync.css";
import "./styles/enroll.css";
import "./styles/returns.css";
import "./styles/staff.css";
import "./styles/shelves.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
