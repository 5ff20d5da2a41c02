// Renders the web page as main.tsx does (its own i18next instance), at a given hash route.
import { render } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { I18nextProvider } from "react-i18next";
import { App } from "../App";
import { webI18n } from "../i18n";

export async function openPage(hash = "") {
  window.location.hash = hash;
  await webI18n.changeLanguage("ru");
  const user = userEvent.setup();
  const view = render(
    <I18nextProvider i18n={webI18n}>
      <App />
    </I18nextProvider>,
  );
  return { user, ...view };
}
