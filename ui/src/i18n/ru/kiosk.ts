//! Russian strings of kiosk mode and the configuration: its problems, closing the counter by PIN.

export const kiosk = {
  configProblems:
    "Ошибка в настройках кассы (kiosk.toml). Для этих параметров действуют значения по умолчанию:",
  close: "Закрыть кассу",
  closeHint: "Закрыть программу кассы: нужен PIN-код менеджера",
  closeTitle: "Закрыть кассу?",
  closePrompt: "Чтобы закрыть программу кассы, менеджер вводит свой PIN-код.",
  closeSubmit: "Закрыть",
  cancel: "Не закрывать",
} as const;
