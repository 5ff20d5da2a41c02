//! One claim's whole case: the item and order, the buyer's words and photos, what the pickup point
//! saw (its events and photos), the decision, the conversation, and only the actions the server
//! lists for this caller now.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ClaimAction } from "../../bindings/ClaimAction";
import type { ClaimCase } from "../../bindings/ClaimCase";
import type { ClaimStatus } from "../../bindings/ClaimStatus";
import type { EvidencePhoto } from "../../bindings/EvidencePhoto";
import { formatDateTime, formatMoney } from "../../money";
import { api, attachmentUrl, evidenceUrl } from "../api";
import { useLang } from "../i18n";
import { Load } from "../Status";
import { useLoad } from "../useLoad";
import { ActionForm } from "./ActionForm";
import { StatusBadge, useCompensationText } from "./claimText";
import { Conversation } from "./Conversation";

export function ClaimPage({ claimId }: { claimId: string }) {
  const { t } = useTranslation();
  const { loaded, reload, retry } = useLoad(api.claimCase, claimId);
  return (
    <article className="claim" data-testid="claim-page" data-claim-id={claimId}>
      <h1>{t("claim.heading", { id: claimId })}</h1>
      <Load
        loaded={loaded}
        retry={retry}
        ready={(found) => <CaseView found={found} reload={reload} />}
      />
    </article>
  );
}

function CaseView({ found, reload }: { found: ClaimCase; reload: () => Promise<void> }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { claim, item, order } = found;
  return (
    <>
      <p>
        {t("claim.status")}: <StatusBadge claim={claim} testid="claim-status" />{" "}
        <span className="muted">
          {t(`fate.${claim.item_fate}`)} ·{" "}
          {t("claim.decidedBy", { who: t(`decider.${claim.decided_by}`) })}
        </span>
      </p>
      <div className="columns">
        <section className="card" data-testid="claim-item">
          <h2>{t("claim.item")}</h2>
          <p className="row-title">{item.name}</p>
          <p>{t("claim.price", { price: formatMoney(item.price, lang) })}</p>
          <p className="id muted">
            {item.item_id}
            {item.barcode && ` · ${t("claim.barcode", { barcode: item.barcode })}`}
          </p>
          <p className="id">
            {t("claim.order", { order: order.order_id, point: order.pickup_point_id })}
          </p>
        </section>
        <Decision claim={claim} />
      </div>
      <section className="card">
        <h2>{t("claim.description")}</h2>
        <p className="text">{claim.description}</p>
        <h3>{t("claim.buyerPhotos")}</h3>
        {found.buyer_photos.length === 0 ? (
          <p className="muted">{t("claim.noBuyerPhotos")}</p>
        ) : (
          <ul className="photos">
            {found.buyer_photos.map((photo, index) => (
              <li key={photo.id}>
                {photo.content_type.startsWith("image/") ? (
                  <a href={attachmentUrl(photo.id)} target="_blank" rel="noreferrer">
                    <img
                      data-testid="buyer-photo"
                      src={attachmentUrl(photo.id)}
                      alt={`${t("claim.buyerPhotos")} ${index + 1}`}
                    />
                  </a>
                ) : (
                  <a href={attachmentUrl(photo.id)} target="_blank" rel="noreferrer">
                    {t("claim.document", { type: photo.content_type })}
                  </a>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <CounterSection found={found} />
      <Actions claim={claim} price={item.price} reload={reload} />
      <Conversation claimId={claim.claim_id} />
    </>
  );
}

function Decision({ claim }: { claim: ClaimStatus }) {
  const { t } = useTranslation();
  const lang = useLang();
  const compensationText = useCompensationText();
  if (claim.decision === "under_review") return null;
  const rows: [string, string][] = [[t("claim.decision"), t(`decision.${claim.decision}`)]];
  if (claim.compensation)
    rows.push([t("claim.compensation"), compensationText(claim.compensation)]);
  if (claim.route) rows.push([t("claim.route"), t(`routes.${claim.route}`)]);
  if (claim.seller_address) {
    rows.push([
      t("claim.sellerAddress"),
      `${claim.seller_address.address} (${claim.seller_address.hours})`,
    ]);
  }
  const reason = [
    claim.rejection_template ? t(`template.${claim.rejection_template}`) : null,
    claim.reason,
  ].filter((part): part is string => Boolean(part));
  if (reason.length > 0) rows.push([t("claim.reason"), reason.join(". ")]);
  if (claim.return_code) rows.push([t("claim.returnCode"), claim.return_code]);
  if (claim.return_deadline) {
    rows.push([t("claim.returnDeadline"), formatDateTime(claim.return_deadline, lang)]);
  }
  if (claim.part_order_id) rows.push([t("claim.partOrder"), claim.part_order_id]);
  return (
    <section className="card" data-testid="claim-decision">
      <h2>{t("claim.decision")}</h2>
      <dl>
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd className="id">{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function CounterSection({ found }: { found: ClaimCase }) {
  const { t } = useTranslation();
  const lang = useLang();
  const claimId = found.claim.claim_id;
  const { loaded, retry } = useLoad(api.evidence, claimId);
  return (
    <section className="card">
      <h2>{t("claim.counter")}</h2>
      {found.counter_events.length === 0 ? (
        <p className="muted">{t("claim.noEvents")}</p>
      ) : (
        <ol className="events">
          {found.counter_events.map((event, index) => (
            <li key={`${event.at}-${index}`} data-testid="counter-event">
              <time dateTime={event.at}>{formatDateTime(event.at, lang)}</time>{" "}
              <b>{t(`event.${event.kind}`)}</b>{" "}
              <span className="id muted">{event.pickup_point_id}</span>
              {event.detail && <span className="text"> — {event.detail}</span>}
            </li>
          ))}
        </ol>
      )}
      <h3>{t("claim.counterPhotos")}</h3>
      <Load
        loaded={loaded}
        retry={retry}
        ready={(photos) =>
          photos.length === 0 ? (
            <p className="muted">{t("claim.noCounterPhotos")}</p>
          ) : (
            <ul className="photos">
              {photos.map((photo) => (
                <li key={`${photo.op_id}-${photo.sha256}`}>
                  <CounterPhoto photo={photo} />
                </li>
              ))}
            </ul>
          )
        }
      />
    </section>
  );
}

function CounterPhoto({ photo }: { photo: EvidencePhoto }) {
  const { t } = useTranslation();
  const lang = useLang();
  const caption = t("claim.photoAlt", {
    kind: t(`evidenceKind.${photo.kind}`),
    date: formatDateTime(photo.taken_at, lang),
  });
  return (
    <figure>
      {photo.uploaded ? (
        <a href={evidenceUrl(photo.sha256)} target="_blank" rel="noreferrer">
          <img data-testid="counter-photo" src={evidenceUrl(photo.sha256)} alt={caption} />
        </a>
      ) : (
        <div
          className="photo-missing"
          data-testid="counter-photo-missing"
          role="img"
          aria-label={caption}
        >
          {t("claim.photoMissing")}
        </div>
      )}
      <figcaption>{caption}</figcaption>
    </figure>
  );
}

function Actions({
  claim,
  price,
  reload,
}: {
  claim: ClaimStatus;
  price: number;
  reload: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<ClaimAction | null>(null);
  const [done, setDone] = useState<ClaimAction | null>(null);
  const [closed, setClosed] = useState<ClaimAction | null>(null);

  useEffect(() => {
    // A cancelled form gives the focus back to its button, so the keyboard stays where it was.
    if (open === null && closed !== null) {
      document.getElementById(`action-button-${closed}`)?.focus();
    }
  }, [open, closed]);

  const close = (action: ClaimAction) => {
    setOpen(null);
    setClosed(action);
  };

  return (
    <section className="card actions">
      <h2>{t("claim.actions")}</h2>
      {done && (
        <p className="ok" role="status">
          {t("claim.done", { action: t(`action.${done}`) })}
        </p>
      )}
      {claim.actions.length === 0 ? (
        <p className="muted">{t("claim.noActions")}</p>
      ) : (
        <div className="buttons">
          {claim.actions.map((action) => (
            <button
              key={action}
              id={`action-button-${action}`}
              type="button"
              data-testid={`action-${action}`}
              aria-expanded={open === action}
              className={action === "reject" || action === "revoke" ? "danger" : undefined}
              onClick={() => {
                setDone(null);
                setClosed(null);
                setOpen(open === action ? null : action);
              }}
            >
              {t(`action.${action}`)}
            </button>
          ))}
        </div>
      )}
      {open && (
        <ActionForm
          key={open}
          action={open}
          claim={claim}
          price={price}
          onCancel={() => close(open)}
          onDone={async () => {
            setOpen(null);
            setDone(open);
            await reload();
          }}
        />
      )}
    </section>
  );
}
