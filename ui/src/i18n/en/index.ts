//! English strings, one file per capability like ru/; each section is typed against Russian's, so
//! a key missing here fails tsc in its own file (and a unit test checks the keys too).
import type { Messages } from "../ru";
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

export const en: Messages = {
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
};
