//! Russian strings — the default language of the counter — one file per capability (common.ts for
//! what several share); en/ must have the same keys.
import { common, fee, header, home, manual, print, reason, reasonShort, refuse } from "./common";
import { enroll } from "./enroll";
import { errors } from "./errors";
import { keys, order, receipt, summary } from "./issue";
import {
  claim,
  compensation,
  handBack,
  handBackAct,
  handoverAct,
  returnLabel,
  returns,
  returnSource,
} from "./returns";
import { kiosk } from "./kiosk";
import { expiry, find, found, history, receiving } from "./shelves";
import { login, shift } from "./staff";
import { sync } from "./sync";

export const ru = {
  header,
  sync,
  enroll,
  manual,
  home,
  order,
  summary,
  fee,
  reason,
  reasonShort,
  refuse,
  receipt,
  common,
  compensation,
  returnSource,
  claim,
  returnLabel,
  handBack,
  handBackAct,
  returns,
  handoverAct,
  print,
  keys,
  login,
  shift,
  kiosk,
  receiving,
  find,
  found,
  history,
  expiry,
  errors,
} as const;

type Strings<T> = { readonly [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };

/** The shape every language must fill: the same keys as Russian, any text. */
export type Messages = Strings<typeof ru>;
