//! i18next set-up: Russian by default, English one click away; the choice is kept in localStorage
//! so the counter opens in the manager's language after a restart — unless the configuration
//! (kiosk.toml's `language`) sets the language this counter opens in.
import i18n from "i18next";
import { initReactI18next, useTranslation } from "react-i18next";
import { kioskConfig } from "../features/kiosk/config";
import type { Lang } from "../money";
import { en } from "./en";
import { ru, type Messages } from "./ru";

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: Messages };
  }
}

export const LANG_STORAGE_KEY = "pvz-kiosk.lang";
export const DEFAULT_LANG: Lang = "ru";

function storedLang(): Lang {
  try {
    const saved = window.localStorage.getItem(LANG_STORAGE_KEY);
    return saved === "en" || saved === "ru" ? saved : DEFAULT_LANG;
  } catch {
    // Storage can be unavailable (private mode, tests); the default is fine then.
    return DEFAULT_LANG;
  }
}

void i18n.use(initReactI18next).init({
  resources: { ru: { translation: ru }, en: { translation: en } },
  lng: kioskConfig().language ?? storedLang(),
  fallbackLng: DEFAULT_LANG,
  supportedLngs: ["ru", "en"],
  // Resources are bundled, so initialisation is synchronous and the first render is translated.
  initAsync: false,
  // React escapes text itself.
  interpolation: { escapeValue: false },
  returnNull: false,
});

document.documentElement.lang = i18n.language;

export function setLang(lang: Lang): void {
  try {
    window.localStorage.setItem(LANG_STORAGE_KEY, lang);
  } catch {
    // Not being able to remember the choice must not block switching.
  }
  document.documentElement.lang = lang;
  void i18n.changeLanguage(lang);
}

/** The active UI language, re-rendering on change. */
export function useLang(): Lang {
  const { i18n: instance } = useTranslation();
  return instance.resolvedLanguage === "en" ? "en" : "ru";
}

export default i18n;
