//! История товара: every event of one item (time, operator, device, what happened, photos, whether
//! the server has it), newest last, and how many times it was scanned; Экспорт доказательств saves
//! the evidence bundle (a zip of the events, photos and scans) for the whole item or one event, and
//! shows where it went. An item of an order also shows its claims as the server holds them now. The
//! history is read when the item (or what is known of it) changes.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ItemEventView, ItemHistoryView, KioskError } from "../../bindings";
import { errorMessage } from "../../errors";
import { useLang } from "../../i18n";
import { toKioskError } from "../../ipc/command";
import { formatDateTime } from "../../money";
import { ItemClaims } from "./ItemClaims";
import * as api from "./api";
import { Icon } from "../../components/Icon";

type Props = {
  /** The item id (or, for a unit matched to no item, its code). */
  code: string;
  /** Changes when the item's state changes (a move), so the history is read again. */
  revision: string;
};

type Outcome = { kind: "saved"; path: string } | { kind: "failed"; error: KioskError };

export function ItemHistory({ code, revision }: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const [history, setHistory] = useState<ItemHistoryView | null>(null);
  const [loadError, setLoadError] = useState<KioskError | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  useEffect(() => {
    let live = true;
    api.itemHistory(code).then(
      (read) => {
        if (!live) return;
        setHistory(read);
        setLoadError(null);
      },
      (thrown: unknown) => {
        if (live) setLoadError(toKioskError(thrown));
      },
    );
    return () => {
      live = false;
    };
  }, [code, revision]);

  const exportBundle = async (eventId: string | null) => {
    if (busy) return;
    setBusy(true);
    setOutcome(null);
    try {
      setOutcome({ kind: "saved", path: await api.exportEvidenceBundle(code, eventId) });
    } catch (thrown) {
      setOutcome({ kind: "failed", error: toKioskError(thrown) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="history" data-testid="item-history" aria-labelledby="history-title">
      <header className="history__head">
        <h2 id="history-title" className="panel__title">
          {t("history.title")}
        </h2>
        <button
          type="button"
          className="button"
          data-testid="export-evidence"
          disabled={busy || history === null}
          onClick={() => void exportBundle(null)}
        >
          <Icon name="archive" />
          {t("history.exportEvidence")}
        </button>
      </header>
      {outcome?.kind === "saved" && (
        <p
          className="print-bar__done"
          role="status"
          data-testid="evidence-result"
          data-path={outcome.path}
        >
          {t("history.saved")} <span className="print-bar__path">{outcome.path}</span>
        </p>
      )}
      {outcome?.kind === "failed" && (
        <p
          className="print-bar__error"
          role="alert"
          data-testid="evidence-error"
          data-kind={outcome.error.kind}
        >
          {errorMessage(outcome.error, t, lang)}
        </p>
      )}
      {loadError && (
        <p className="print-bar__error" role="alert" data-testid="history-error">
          {errorMessage(loadError, t, lang)}
        </p>
      )}
      {history?.order_id && <ItemClaims itemId={history.item_id} revision={revision} />}
      {history && (
        <>
          <ol
            className="history__events"
            data-testid="history-events"
            data-count={history.events.length}
          >
            {history.events.length === 0 && <li className="units__empty">{t("history.empty")}</li>}
            {history.events.map((event) => (
              <HistoryEvent
                key={event.event_id}
                event={event}
                busy={busy}
                onExport={() => void exportBundle(event.event_id)}
              />
            ))}
          </ol>
          <p className="muted" data-testid="history-scans" data-count={history.scans.length}>
            {t("history.scans", { count: history.scans.length })}
            {history.scans.length > 0 && (
              <>
                {" "}
                ·{" "}
                {t("history.lastScan", {
                  time: formatDateTime(
                    history.scans[history.scans.length - 1]?.scanned_at ?? "",
                    lang,
                  ),
                })}
              </>
            )}
          </p>
        </>
      )}
    </section>
  );
}

function HistoryEvent({
  event,
  busy,
  onExport,
}: {
  event: ItemEventView;
  busy: boolean;
  onExport: () => void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <li
      className="history__event"
      data-testid={`history-event-${event.event_id}`}
      data-event={event.event}
      data-op={event.op_kind}
      data-photos={event.photos.length}
    >
      <time className="history__time" dateTime={event.at}>
        {formatDateTime(event.at, lang)}
      </time>
      <div className="history__what">
        <strong>{t(`history.event.${event.event}`)}</strong>
        {event.reason && <> · {t(`reasonShort.${event.reason}`)}</>}
        {event.cell && <> · {t("history.cell", { cell: event.cell })}</>}
        {event.note && <span className="history__note"> «{event.note}»</span>}
        <div className="muted">
          <span data-testid="history-operator">
            {event.operator ? event.operator.name : t("history.noOperator")}
          </span>{" "}
          ·{" "}
          <span title={event.device_id}>
            {t("history.device", { device: shortDeviceId(event.device_id) })}
          </span>
          {event.photos.length > 0 && (
            <span data-testid="history-photos">
              {" "}
              · <Icon name="camera" />
              {t("history.photos", { count: event.photos.length })}
            </span>
          )}
          {" · "}
          <span data-sync={event.sync_state}>{t(`history.sync.${syncKey(event.sync_state)}`)}</span>
        </div>
      </div>
      <button
        type="button"
        className="button button--quiet"
        data-testid={`export-evidence-${event.event_id}`}
        disabled={busy}
        onClick={onExport}
      >
        {t("history.exportEvent")}
      </button>
    </li>
  );
}

/** The end of a device id, enough to tell a point's counters apart on screen (the bundle has it whole). */
function shortDeviceId(deviceId: string): string {
  return deviceId.length > 8 ? `…${deviceId.slice(-8)}` : deviceId;
}

function syncKey(state: string): "pending" | "applied" | "rejected" {
  return state === "applied" || state === "rejected" ? state : "pending";
}
