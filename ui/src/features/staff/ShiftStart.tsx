//! Открыть смену: after a manager logs in on a counter with no open shift, nothing else can be done
//! until the shift is open — this screen says so and opens it (Enter).
import { useTranslation } from "react-i18next";
import type { StaffView } from "../../bindings";
import { DoneButton } from "../../components/DoneButton";

type Props = { manager: StaffView | null; onOpen: () => void };

export function ShiftStart({ manager, onOpen }: Props) {
  const { t } = useTranslation();
  return (
    <section className="shift-start" data-testid="shift-start" aria-labelledby="shift-start-title">
      <h1 id="shift-start-title">{t("shift.startTitle")}</h1>
      {manager && <p className="shift-start__hello">{t("shift.hello", { name: manager.name })}</p>}
      <p className="muted">{t("shift.startHint")}</p>
      <DoneButton testId="open-shift" label={t("shift.open")} onDone={onOpen} />
    </section>
  );
}
