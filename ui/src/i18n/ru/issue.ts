//! Russian strings of the issue (выдача): the order card, its money summary, the receipt and the
//! card's hotkeys.

export const order = {
  title: "Заказ {{code}}",
  buyer: "Покупатель",
  status: {
    ready: "Готов к выдаче",
    in_progress: "Выдача начата",
    issued: "Выдан",
  },
  cell: "Ячейка",
  prepaid: "Оплачен",
  payAtCounter: "Оплата на месте",
  handOver: "Выдать",
  refuse: "Отказ",
  change: "Изменить",
  addPhoto: "Фото брака",
  photos: "Фото: {{count}}",
  decidedHandOver: "Выдаётся",
  decidedRefuse: "Отказ: {{reason}}",
  handOverAll: "Выдать остальные",
  setAside: "Отложить",
  confirmPaid: "Оплата получена — выдать",
  confirmFree: "Выдать",
  missingAtReceiving: "Не поступил: при приёмке отмечен недостающим",
  notArrived: "Нет на пункте",
  foundHandOver: "Нашёлся — выдать",
  decidedNotArrived: "Не поступил — не выдаётся",
  itemsLabel: "Товары заказа",
} as const;

export const summary = {
  title: "Итог",
  toCollect: "К оплате",
  goods: "Товары",
  fees: "Сборы",
  toRefund: "К возврату покупателю",
  undecided: "Осталось решить: {{count}}",
  allDecided: "Решение принято по всем товарам",
} as const;

export const receipt = {
  title: "Заказ {{code}} выдан",
  time: "Время выдачи",
  handedOver: "Выдано",
  refused: "Отказ",
  nothing: "нет",
  notArrived: "Не поступило (к оплате не начислено)",
  collected: "Получено от покупателя",
  refunded: "Возвращено покупателю",
  qrAlt: "QR-код операции выдачи",
  next: "Следующий покупатель",
} as const;

export const keys = {
  handOverAll: "F2 — выдать остальные",
  confirm: "F9 — подтвердить выдачу",
  setAside: "Esc — отложить заказ",
} as const;
