//! Russian strings of the staff: the PIN login, the shift and its report.

export const login = {
  title: "Вход по PIN-коду",
  lockedTitle: "Касса заблокирована",
  idleLocked:
    "Касса заблокирована после простоя. Работал(а): {{name}}. Чтобы продолжить, введите PIN-код.",
  shiftOpen: "Смена открыта с {{time}}.",
  manager: "Менеджер",
  lockedUntil: "вход заблокирован до {{time}}",
  pinFor: "PIN-код: {{name}}",
  pickManager: "Выберите себя в списке",
  keypad: "Цифры PIN-кода",
  erase: "Стереть цифру",
  submit: "Войти",
  waitingForSync:
    "Список менеджеров обновляется с сервера. Дождитесь синхронизации — вход появится сам.",
} as const;

export const shift = {
  startTitle: "Смена не открыта",
  hello: "Здравствуйте, {{name}}!",
  startHint:
    "Откройте смену, чтобы начать работу: все операции до закрытия войдут в отчёт за смену.",
  open: "Открыть смену",
  none: "Смена не открыта",
  openSince: "Смена открыта с {{time}}",
  running: "Выдано заказов: {{orders}} · принято: {{money}}",
  close: "Закрыть смену",
  closeTitle: "Закрыть смену?",
  closeHint:
    "Отчёт за смену будет сформирован и отправлен на сервер. После закрытия откройте новую смену, чтобы продолжить работу.",
  closeConfirm: "Закрыть смену",
  reportTitle: "Отчёт за смену",
  saveCsv: "Сохранить CSV",
  opened: "Открыта",
  closed: "Закрыта",
  ordersIssued: "Выдано заказов",
  itemsHandedOver: "Выдано товаров",
  itemsRefused: "Отказов при выдаче",
  itemsNotArrived: "Не поступило (выдано без них)",
  moneyTaken: "Принято денег",
  fees: "В т. ч. сборы за обратную доставку",
  refunds: "Возвраты покупателям (отказы и не поступившие товары)",
  claimReturns: "Возвраты по претензиям",
  claimReturnsValue: "{{count}} на {{amount}}",
  handBacks: "Отказы от курьеров",
  handBacksValue: "передач: {{count}}, товаров: {{items}}",
  boxes: "Передано коробок",
  boxesValue: "{{count}} (товаров: {{items}})",
  unredeemed: "Невостребованные в возврат",
  refusalsTitle: "Отказы по причинам",
  reason: "Причина",
  atCounter: "При выдаче",
  fromCouriers: "От курьеров",
  opsPending:
    "Операций смены ещё не отправлено на сервер: {{count}} — суммы могут измениться после синхронизации.",
  opsRejected: "Отклонено сервером: {{count}} — их суммы в отчёт не вошли (см. «Внимание»).",
} as const;
