//! Russian strings of the sync strip and its attention list.

export const sync = {
  unreachable: "Всё сохранено, отправим при связи",
  refused: "Сервер не принял синхронизацию, повторим автоматически.",
  label: "Синхронизация",
  online: "На связи",
  offline: "Нет связи",
  notConnected: "Без сервера",
  syncing: "Синхронизация…",
  waiting: "Ждут отправки",
  photosWaiting: "фото ждут отправки: {{n}}",
  photosFailed: "фото не приняты сервером: {{n}}",
  last: "Синхронизировано",
  never: "ещё не было",
  syncNow: "Синхронизировать",
  attention: "Внимание",
  attentionTitle: "Операции, отклонённые сервером",
  close: "Закрыть",
  order: "Заказ {{code}}",
  reason: "Причина",
  resolved: "Разобрано",
  resolvedTitle: "Отметить, что с операцией разобрались: она уйдёт из списка",
  more: "и ещё {{n}}",
  catchUp: "Загрузка данных с сервера: {{done}} из {{total}}",
  diagnostics: "Диагностика",
  diagnosticsTitle:
    "Сохранить архив для поддержки: журналы, версии, состояние синхронизации, проверка базы. Без паролей и кодов.",
  diagnosticsSaving: "Сохраняем…",
  diagnosticsSaved: "Архив для поддержки сохранён:",
  diagnosticsFailed: "Архив не сохранён.",
  kind: {
    issue_opened: "Открытие заказа",
    item_decided: "Решение по товару",
    item_decision_cleared: "Отмена решения по товару",
    defect_photo_attached: "Фото брака",
    issue_completed: "Выдача заказа",
    claim_return_accepted: "Приём возврата по претензии",
    courier_hand_back_completed: "Приём отказов от курьера",
    return_box_closed: "Закрытие коробки возвратов",
    boxes_handed_over: "Передача коробок водителю",
    shipment_received: "Приёмка поставки",
    item_moved: "Перемещение товара",
    shelf_expired: "Невостребованные в возврат",
    shift_opened: "Открытие смены",
    shift_closed: "Закрытие смены",
  },
  /** The server's reasons for a rejected op the counter says in its own words (others: the server's). */
  rejectCode: {
    claim_code_missing:
      "Принят до обновления без кода возврата: деньги не выплачены. Товар в пункте — решите претензию с сетью.",
    claim_code_invalid: "Код возврата выдан не сетью: деньги не выплачены.",
    claim_code_mismatch:
      "Код возврата относится к другой претензии или товару: деньги не выплачены.",
    claim_to_seller:
      "Товар по этой претензии возвращается напрямую продавцу — пункт не должен был его принимать.",
    claim_no_return: "Товар по этой претензии остаётся у покупателя, возврат через пункт не нужен.",
    claim_code_replaced:
      "Код возврата заменён новым: товар принят по старому коду, претензия не закрыта.",
    claim_return_expired: "Срок возврата по претензии истёк до приёма товара.",
    invalid_input:
      "Сервер не смог прочитать эту операцию (слишком длинный текст или список, либо неизвестное поле). Ничего из неё не записано.",
    other_point: "Операция относится к заказу другого пункта выдачи — сервер её не применил.",
  },
} as const;
