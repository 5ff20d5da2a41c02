//! The sync strip under the header, always visible: connected or not, ops waiting, counter photos
//! waiting to upload (only while there are some) and any the server refused, the last good sync, a "sync now" button, the ops the server rejected (a list with its reasons, each with a
//! "Разобрано" button that takes it off the list; "и ещё N" when the backend capped the list) and a
//! progress bar while a large pull catches up; «Диагностика» saves the zip for support. Test ids
//! let the end-to-end tests read each part.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { AttentionItem, SyncStatusView } from "../../bindings";
import { errorMessage } from "../../errors";
import { useLang } from "../../i18n";
import { formatDateTime, formatTime, type Lang } from "../../money";
import { DiagnosticsButton } from "./Diagnostics";
import type { SyncState } from "./useSyncStatus";

type Connection = "online" | "offline" | "off";

/** Today's syncs need only the time; an older one needs the date to be noticed. */
function formatSyncTime(iso: string, lang: Lang): string {
  const today = new Date().toDateString() === new Date(iso).toDateString();
  return today ? formatTime(iso, lang) : formatDateTime(iso, lang);
}

function connectionOf(status: SyncStatusView | null): Connection {
  if (!status?.configured) return "off";
  return status.online ? "online" : "offline";
}

const ICONS: Record<Connection, string> = { online: "●", offline: "✕", off: "○" };

export function SyncStrip({ sync }: { sync: SyncState }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [showAttention, setShowAttention] = useState(false);
  const { status } = sync;
  const connection = connectionOf(status);
  const attention = status?.attention ?? [];
  // The backend sends the newest few; the count covers them all.
  const attentionTotal = Math.max(status?.attention_total ?? 0, attention.length);
  const label = {
    online: t("sync.online"),
    offline: t("sync.offline"),
    off: t("sync.notConnected"),
  }[connection];
  // The strip says what it means for the counter; the technical reason is in the tooltip.
  const failure = status?.last_error
    ? status.last_error_kind === "server_unreachable"
      ? t("sync.unreachable")
      : status.last_error_kind === "sync_refused"
        ? t("sync.refused")
        : errorMessage(
            {
              kind: status.last_error_kind ?? "internal",
              message: status.last_error,
              detail: null,
            },
            t,
            lang,
          )
    : null;
  const shownError = sync.error ? errorMessage(sync.error, t, lang) : failure;
  const catchUp = status?.catch_up ?? null;
  const photosWaiting = status?.photos_waiting ?? 0;
  const photosFailed = status?.photos_failed ?? 0;
  const total = catchUp ? catchUp.changes_done + catchUp.changes_remaining : 0;

  return (
    <section
      className={`sync-strip sync-strip--${connection}`}
      data-testid="sync-strip"
      data-online={connection === "online"}
      data-configured={status?.configured ?? false}
      aria-label={t("sync.label")}
    >
      <span
        className={`sync-chip sync-chip--${connection}`}
        data-testid="sync-online"
        data-state={connection}
        role="status"
      >
        <span className="sync-chip__icon" aria-hidden="true">
          {ICONS[connection]}
        </span>
        {status?.syncing ? t("sync.syncing") : label}
      </span>
      <span className="sync-strip__item">
        {t("sync.waiting")}: <strong data-testid="sync-waiting">{status?.ops_waiting ?? 0}</strong>
      </span>
      {photosWaiting > 0 && (
        <span
          className="sync-strip__item"
          data-testid="sync-photos-waiting"
          data-count={photosWaiting}
        >
          {t("sync.photosWaiting", { n: photosWaiting })}
        </span>
      )}
      {photosFailed > 0 && (
        <span
          className="sync-strip__error"
          data-testid="sync-photos-failed"
          data-count={photosFailed}
          title={status?.photo_failure ?? undefined}
        >
          {t("sync.photosFailed", { n: photosFailed })}
        </span>
      )}
      <span className="sync-strip__item">
        {t("sync.last")}:{" "}
        <strong data-testid="sync-last" data-time={status?.last_sync_at ?? ""}>
          {status?.last_sync_at ? formatSyncTime(status.last_sync_at, lang) : t("sync.never")}
        </strong>
      </span>
      {catchUp && (
        <span className="sync-strip__progress">
          <label htmlFor="sync-progress">
            {t("sync.catchUp", { done: catchUp.changes_done, total })}
          </label>
          <progress
            id="sync-progress"
            data-testid="sync-progress"
            value={catchUp.changes_done}
            max={Math.max(total, 1)}
          />
        </span>
      )}
      {shownError && (
        <span
          className="sync-strip__error"
          data-testid="sync-error"
          role="alert"
          title={status?.last_error ?? undefined}
        >
          {shownError}
        </span>
      )}
      <span className="sync-strip__actions">
        {/* Always there, as the brief asks; quiet at zero, loud when something needs the manager. */}
        <button
          type="button"
          className={`button sync-strip__attention${attentionTotal ? " sync-strip__attention--some" : ""}`}
          data-testid="attention-count"
          data-count={attentionTotal}
          title={t("sync.attentionTitle")}
          aria-expanded={showAttention}
          disabled={attentionTotal === 0}
          onClick={() => setShowAttention((shown) => !shown)}
        >
          {t("sync.attention")}: <strong>{attentionTotal}</strong>
        </button>
        <button
          type="button"
          className="button"
          data-testid="sync-now"
          disabled={!status?.configured || status.syncing}
          onClick={sync.syncNow}
        >
          {t("sync.syncNow")}
        </button>
        <DiagnosticsButton />
      </span>
      {showAttention && attention.length > 0 && (
        <AttentionList
          items={attention}
          more={attentionTotal - attention.length}
          onAcknowledge={sync.acknowledge}
          onClose={() => setShowAttention(false)}
        />
      )}
    </section>
  );
}

type AttentionListProps = {
  items: AttentionItem[];
  /** Ops needing attention that the backend left out of `items`. */
  more: number;
  onAcknowledge: (seq: number) => Promise<void>;
  onClose: () => void;
};

function AttentionList({ items, more, onAcknowledge, onClose }: AttentionListProps) {
  const { t } = useTranslation();
  const lang = useLang();
  // The op being acknowledged: its button waits, so a double click sends one request.
  const [acknowledging, setAcknowledging] = useState<number | null>(null);
  const acknowledge = (seq: number) => {
    setAcknowledging(seq);
    void onAcknowledge(seq).finally(() => setAcknowledging(null));
  };
  const kindLabel = (kind: string) => {
    const key = `sync.kind.${kind}`;
    const text = t(key as "sync.kind.issue_opened");
    return text === key ? kind : text;
  };
  // The counter's own words for the reasons it knows; the server's message for any other.
  const reasonText = (item: AttentionItem) => {
    const key = `sync.rejectCode.${item.code}`;
    const text = t(key as "sync.rejectCode.claim_to_seller");
    return text === key ? item.message : text;
  };
  return (
    <div className="attention" data-testid="attention-panel">
      <div className="attention__head">
        <strong>{t("sync.attentionTitle")}</strong>
        <button type="button" className="button button--quiet" onClick={onClose}>
          {t("sync.close")}
        </button>
      </div>
      <ul className="attention__list" data-testid="attention-list">
        {items.map((item) => (
          <li
            key={item.seq}
            className="attention__item"
            data-testid={`attention-item-${item.seq}`}
            data-code={item.code}
          >
            <span className="attention__what">
              {kindLabel(item.kind)}
              {item.order_short_code && <> · {t("sync.order", { code: item.order_short_code })}</>}
            </span>
            <span className="attention__reason">
              {t("sync.reason")}: {reasonText(item)} <code>{item.code}</code>
            </span>
            <span className="attention__when">
              {formatDateTime(item.rejected_at ?? item.created_at, lang)}
            </span>
            <button
              type="button"
              className="button button--quiet attention__ack"
              data-testid={`attention-ack-${item.seq}`}
              title={t("sync.resolvedTitle")}
              disabled={acknowledging === item.seq}
              onClick={() => acknowledge(item.seq)}
            >
              {t("sync.resolved")}
            </button>
          </li>
        ))}
      </ul>
      {more > 0 && (
        <p className="attention__more" data-testid="attention-more" data-count={more}>
          {t("sync.more", { n: more })}
        </p>
      )}
    </div>
  );
}
