//! Russian strings of the returns: the claim return and its label, the courier's hand-back and its
//! act, the returns desk and the handover act.

export const compensation = {
  refund: "Возврат денег",
  replacement: "Замена товара",
  missing_part: "Доставка недостающей части",
} as const;

export const returnSource = {
  counter_refusal: "отказ при выдаче",
  claim: "по претензии",
  courier: "от курьера",
  unredeemed: "не выкуплен",
} as const;

export const claim = {
  title: "Возврат по претензии",
  serverState: "Претензия",
  state: {
    open: "ждёт решения продавца",
    approved: "одобрена продавцом",
    rejected: "отклонена продавцом",
    revoked: "отозвана",
    fulfilled: "возврат уже принят",
  },
  signatureOnly: "проверено подписью (нет связи)",
  refresh: "Проверить на сервере",
  item: "Товар",
  /** A compact claim code names no item, and this point never had the order: until the server answers. */
  itemUnnamed: "название придёт с сервера · {{code}}",
  compensation: "Компенсация",
  amount: "Сумма к возврату",
  deadline: "Срок возврата",
  decisionLabel: "Решение",
  decision: {
    under_review: "на рассмотрении",
    approved: "одобрена",
    rejected: "отклонена",
    disputed: "оспаривается покупателем",
    revoked: "отозвана",
  },
  fateLabel: "Товар по претензии",
  fate: {
    with_buyer: "остаётся у покупателя",
    to_pickup_point: "покупатель сдаёт в пункт выдачи",
    to_seller: "покупатель отправляет продавцу",
    at_pickup_point: "принят в пункте выдачи",
    at_seller: "у продавца",
  },
  checkPrompt: "Отсканируйте товар, чтобы сверить его с претензией",
  checked: "Товар сверен с претензией",
  condition: "Состояние товара",
  conditionPlaceholder: "Например: следы носки, упаковка вскрыта, бирки на месте",
  addPhoto: "Фото товара",
  accept: "Принять возврат",
  cancel: "Отмена",
  close: "Закрыть",
  missingPart:
    "Недостающую часть доставят покупателю отдельным заказом — товар принимать не нужно.",
  checkedAt: "проверено в {{time}}",
  reason: "Причина: {{reason}}",
  checkByEyePrompt: "У товара нет штрихкода: сверьте его с описанием претензии",
  checkByEye: "Товар сверен",
  needCheck: "Сначала сверьте товар с претензией",
  needCondition: "Опишите состояние товара",
  refusalTitle: "Возврат не принимать",
  refusal: {
    not_approved: "Претензия не одобрена продавцом.",
    rejected: "Претензия отклонена продавцом.",
    revoked: "Претензия отозвана.",
    already_used: "Возврат по этой претензии уже принят.",
    expired: "Срок возврата истёк {{time}}.",
    to_seller: "Этот товар возвращается напрямую продавцу — не принимайте его.",
    no_return: "Товар остаётся у покупателя, возврат через пункт не нужен.",
    code_replaced: "Этот код заменён новым — попросите у покупателя новый код.",
  },
} as const;

export const returnLabel = {
  title: "Возврат принят",
  refund: "Покупателю вернут",
  acceptedAt: "Принят",
  stick: "Наклейте этикетку на товар и отложите его в возвраты.",
  qrAlt: "QR-код этикетки возврата",
} as const;

export const handBack = {
  title: "Приём отказов от курьера",
  courier: "Курьер",
  missing: "Не хватает: {{count}}",
  extra: "Сверх списка: {{count}}",
  noManifest: "Список курьера не загружен (нет связи): сканируйте товары, они запишутся как есть.",
  loadManifest: "Загрузить список курьера",
  scanPrompt: "Сканируйте товары курьера по одному",
  linesLabel: "Товары курьера",
  state: {
    scanned: "Принят",
    missing: "Не отсканирован",
    extra: "Нет в списке",
  },
  chooseReason: "Указать причину",
  changeReason: "Изменить причину",
  remove: "Убрать",
  defectHint: "Брак — без оплаты и без обратной доставки",
  defectFree: "брак — без оплаты и без обратной доставки",
  feeSetByServer: "сбор установит сервер",
  acceptedBy: "Принял (сотрудник ПВЗ)",
  acceptedByPlaceholder: "Фамилия и имя",
  needItems: "Отсканируйте хотя бы один товар",
  needReasons: "Укажите причину отказа: осталось {{count}}",
  needName: "Укажите, кто принял товары",
  complete: "Завершить приём",
  cancel: "Отменить приём",
} as const;

export const handBackAct = {
  title: "Акт приёма отказов",
  courier: "Сдал курьер",
  acceptedBy: "Принял",
  completedAt: "Время",
  accepted: "Принято товаров: {{count}}",
  discrepancies: "Расхождения со списком курьера",
  none: "Расхождений нет",
  missing: "Не передано курьером: {{count}}",
  extra: "Передано сверх списка: {{count}}",
  fees: "Сборы с покупателей",
  feesSetByServer:
    "Сбор за товар не из списка курьера устанавливает сервер при синхронизации (за лишний — без сбора); он не входит в итог.",
} as const;

export const returns = {
  title: "Отправка возвратов",
  close: "Закрыть",
  waiting: "Ждут упаковки",
  waitingEmpty: "Все возвраты упакованы",
  noOpenBox: "Нет открытой коробки",
  openBox: "Коробка {{id}}",
  newBox: "Новая коробка",
  scanIntoBox: "Сканируйте этикетки возвратов — они попадут в эту коробку",
  boxEmpty: "Коробка пуста",
  remove: "Убрать",
  addToBox: "В коробку",
  addNeedsBox: "Сначала откройте коробку (F2)",
  unitLabel: "Этикетка",
  closeBox: "Закрыть коробку",
  closedBoxes: "Закрытые коробки",
  closedEmpty: "Закрытых коробок нет",
  box: "Коробка {{id}}",
  items: "товаров: {{count}}",
  label: "Этикетка коробки {{id}}",
  qrAlt: "QR-код этикетки коробки",
  driverPrompt: "Отсканируйте бейдж водителя",
  driver: "Водитель",
  handOver: "Передать коробки: {{count}}",
} as const;

export const handoverAct = {
  title: "Акт передачи коробок",
  driver: "Принял водитель",
  handedAt: "Время",
  boxes: "Коробок: {{count}}",
  items: "Всего товаров",
} as const;
