//! Russian strings shared by every screen: the header, the manual entry and home screen, the
//! refusal reasons and fee rules several flows show, the refusal dialog and the print bar.

export const header = {
  status: {
    demoOffline: "Демо-данные, офлайн",
    notEnrolled: "Касса не подключена",
  },
  opsWaiting: "В очереди",
  opsWaitingHint: "Операций ждут отправки на сервер",
  switchTo: "EN",
  switchToLabel: "Switch to English",
  shift: "Смена с {{time}}",
  shiftHint: "Открытая смена этой кассы",
  logOut: "Выйти",
  logOutHint: "Выйти и заблокировать кассу: откроется вход по PIN-коду",
} as const;

export const manual = {
  label: "Код покупателя или товара",
  submit: "Найти",
  placeholder: "Например, 482137 — или сканируйте QR",
} as const;

export const home = {
  also: "Также: код возврата по претензии, бейдж курьера или код поставки для приёмки",
  findItem: "Найти товар",
  overdue: "Истёк срок хранения, товаров: {{count}}",
  overdueAction: "Переместить в возвраты",
  returnsDesk: "Возвраты и коробки",
  prompt: "Отсканируйте QR-код покупателя или введите код",
  recentTitle: "Выдано сегодня",
  recentEmpty: "Сегодня выдач ещё не было",
  counts: "выдано {{handedOver}} / отказ {{refused}}",
  notArrived: "не поступило {{count}}",
} as const;

export const common = {
  done: "Готово",
  cancel: "Отмена",
} as const;

export const reason = {
  defect: "Брак",
  did_not_fit: "Не подошёл",
  changed_mind: "Передумал",
  wrong_item: "Не тот товар",
  incomplete: "Некомплект",
} as const;

export const reasonShort = {
  defect: "брак",
  did_not_fit: "не подошёл",
  changed_mind: "передумал",
  wrong_item: "не тот товар",
  incomplete: "некомплект",
} as const;

export const fee = {
  defect_free: "брак — возврат бесплатно",
  seller_fault_free: "ошибка продавца — бесплатно",
  policy_fee: "сбор за обратную логистику: {{amount}}",
  no_fee_in_policy: "без сбора по политике ПВЗ",
} as const;

export const refuse = {
  title: "Отказ: {{name}}",
  reasonLegend: "Причина отказа (клавиши 1–5)",
  description: "Описание брака",
  descriptionPlaceholder: "Что именно не так: пятно на рукаве, оторвана пуговица…",
  pickReason: "Выберите причину отказа",
  confirm: "Оформить отказ",
  confirmAndRest: "Отказ и выдать остальные",
  cancel: "Отмена",
  feeDefect: "Брак — возврат бесплатно",
  feeSellerFault: "Ошибка продавца — бесплатно",
  feePolicy: "Может взиматься сбор за обратную логистику по политике ПВЗ",
} as const;

export const print = {
  printer: "Принтер",
  loading: "Поиск принтеров…",
  none: "нет принтеров",
  noPrinters: "Принтеры не найдены: сохраните PDF и распечатайте его с другого компьютера.",
  unavailable: "Служба печати недоступна: сохраните PDF и распечатайте его с другого компьютера.",
  print: "Печать",
  savePdf: "Сохранить PDF",
  savePng: "Сохранить PNG",
  printed: "Отправлено на печать: {{printer}} (задание {{job}})",
  saved: "Сохранено:",
} as const;
