// Entry point of the seller and operator web page (web/index.html): its own translations and styles,
// nothing of the kiosk's but the generated bindings and money display.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { I18nextProvider } from "react-i18next";
import { App } from "./App";
import { webI18n } from "./i18n";
import "./web.css";

const root = document.getElementById("root");
if (!root) throw new Error("web/index.html has no #root element");
document.documentElement.lang = webI18n.language;

createRoot(root).render(
  <StrictMode>
    <I18nextProvider i18n={webI18n}>
      <App />
    </I18nextProvider>
  </StrictMode>,
);
