//! The web page's own i18next instance (apart from the kiosk's): Russian by default, English one
//! click away; the choice is kept in localStorage (a language, never anything secret).
import i18next from "i18next";
import { useTranslation } from "react-i18next";
import type { Lang } from "../../money";
import { en } from "./en";
import { ru, type Messages } from "./ru";

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: Messages };
  }
}

export const LANG_STORAGE_KEY = "pvz-web.lang";

function storedLang(): Lang {
  try {
    return window.localStorage.getItem(LANG_STORAGE_KEY) === "en" ? "en" : "ru";
  } catch {
    return "ru";
  }
}

export const webI18n = i18next.createInstance();

void webI18n.init({
  resources: { ru: { translation: ru }, en: { translation: en } },
  lng: storedLang(),
  fallbackLng: "ru",
  supportedLngs: ["ru", "en"],
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function setLang(lang: Lang): void {
  try {
    window.localStorage.setItem(LANG_STORAGE_KEY, lang);
  } catch {
    // Not remembering the choice must not block switching.
  }
  document.documentElement.lang = lang;
  void webI18n.changeLanguage(lang);
}

/** The active language, re-rendering on change. */
export function useLang(): Lang {
  const { i18n } = useTranslation();
  return i18n.resolvedLanguage === "en" ? "en" : "ru";
}
