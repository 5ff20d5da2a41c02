//! The operator's pages: claims (those an operator decides now first), the network's rejected ops,
//! and the fleet of devices with their last sync.
import { useTranslation } from "react-i18next";
import type { ClaimStatus } from "../../bindings/ClaimStatus";
import { formatDateTime } from "../../money";
import { api } from "../api";
import { useLang } from "../i18n";
import { href } from "../route";
import { Load } from "../Status";
import { useLoad } from "../useLoad";
import { StatusBadge } from "./claimText";

/** A marketplace return under review, or a dispute: the server's operator_decides_now. */
const decidesNow = (claim: ClaimStatus) =>
  claim.decision === "disputed" ||
  (claim.decision === "under_review" && claim.decided_by === "operator");

function ClaimTable({ claims }: { claims: ClaimStatus[] }) {
  const { t } = useTranslation();
  const lang = useLang();
  if (claims.length === 0) return <p className="empty">{t("operator.none")}</p>;
  return (
    <table className="stack">
      <thead>
        <tr>
          <th scope="col">{t("operator.claim")}</th>
          <th scope="col">{t("operator.item")}</th>
          <th scope="col">{t("operator.decision")}</th>
          <th scope="col">{t("operator.opened")}</th>
        </tr>
      </thead>
      <tbody>
        {claims.map((claim) => (
          <tr key={claim.claim_id} data-testid={`operator-claim-row-${claim.claim_id}`}>
            <td data-label={t("operator.claim")} className="id">
              <a href={href.claim(claim.claim_id)}>{claim.claim_id}</a>
            </td>
            <td data-label={t("operator.item")}>{claim.item_name}</td>
            <td data-label={t("operator.decision")}>
              <StatusBadge claim={claim} />
            </td>
            <td data-label={t("operator.opened")}>
              {claim.opened_at ? formatDateTime(claim.opened_at, lang) : "—"}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function OperatorClaims() {
  const { t } = useTranslation();
  const { loaded, retry } = useLoad(api.operatorClaims, "");
  return (
    <section>
      <h1>{t("operator.heading")}</h1>
      <Load
        loaded={loaded}
        retry={retry}
        ready={(claims) => (
          <>
            <h2>{t("operator.decideNow")}</h2>
            <ClaimTable claims={claims.filter(decidesNow)} />
            <h2>{t("operator.others")}</h2>
            <ClaimTable claims={claims.filter((claim) => !decidesNow(claim))} />
          </>
        )}
      />
    </section>
  );
}

export function Attention() {
  const { t } = useTranslation();
  const lang = useLang();
  const { loaded, retry } = useLoad(api.attention, "");
  return (
    <section>
      <h1>{t("attention.heading")}</h1>
      <Load
        loaded={loaded}
        retry={retry}
        ready={(ops) =>
          ops.length === 0 ? (
            <p className="empty">{t("attention.empty")}</p>
          ) : (
            <table className="stack">
              <thead>
                <tr>
                  <th scope="col">{t("attention.when")}</th>
                  <th scope="col">{t("attention.point")}</th>
                  <th scope="col">{t("attention.device")}</th>
                  <th scope="col">{t("attention.op")}</th>
                  <th scope="col">{t("attention.reason")}</th>
                  <th scope="col">{t("attention.message")}</th>
                </tr>
              </thead>
              <tbody>
                {ops.map((op) => (
                  <tr key={op.op_id} data-testid="attention-row">
                    <td data-label={t("attention.when")}>{formatDateTime(op.received_at, lang)}</td>
                    <td data-label={t("attention.point")} className="id">
                      {op.pickup_point_id}
                    </td>
                    <td data-label={t("attention.device")} className="id">
                      {op.device_id} #{String(op.seq)}
                    </td>
                    <td data-label={t("attention.op")} className="id">
                      {op.op_type} {op.op_id}
                    </td>
                    <td data-label={t("attention.reason")}>
                      <code>{op.reason}</code>
                    </td>
                    <td data-label={t("attention.message")}>{op.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      />
    </section>
  );
}

export function Fleet() {
  const { t } = useTranslation();
  const lang = useLang();
  const { loaded, retry } = useLoad(api.fleet, "");
  const maybe = (value: bigint | number | null) =>
    value === null ? t("fleet.unknown") : String(value);
  return (
    <section>
      <h1>{t("fleet.heading")}</h1>
      <Load
        loaded={loaded}
        retry={retry}
        ready={(devices) =>
          devices.length === 0 ? (
            <p className="empty">{t("fleet.empty")}</p>
          ) : (
            <table className="stack">
              <thead>
                <tr>
                  <th scope="col">{t("fleet.device")}</th>
                  <th scope="col">{t("fleet.point")}</th>
                  <th scope="col">{t("fleet.lastSync")}</th>
                  <th scope="col">{t("fleet.waiting")}</th>
                  <th scope="col">{t("fleet.version")}</th>
                  <th scope="col">{t("fleet.offset")}</th>
                  <th scope="col">{t("fleet.revoked")}</th>
                </tr>
              </thead>
              <tbody>
                {devices.map((device) => (
                  <tr
                    key={device.device_id}
                    data-testid="fleet-row"
                    className={device.revoked ? "revoked" : undefined}
                  >
                    <td data-label={t("fleet.device")} className="id">
                      {device.name} <span className="muted">{device.device_id}</span>
                    </td>
                    <td data-label={t("fleet.point")} className="id">
                      {device.pickup_point_id}
                    </td>
                    <td data-label={t("fleet.lastSync")}>
                      {device.last_sync_at
                        ? formatDateTime(device.last_sync_at, lang)
                        : t("fleet.never")}
                    </td>
                    <td data-label={t("fleet.waiting")}>{maybe(device.ops_waiting)}</td>
                    <td data-label={t("fleet.version")}>
                      {device.app_version ?? t("fleet.unknown")}
                    </td>
                    <td data-label={t("fleet.offset")}>{maybe(device.clock_offset_seconds)}</td>
                    <td data-label={t("fleet.revoked")}>
                      {device.revoked ? t("fleet.yes") : t("fleet.no")}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      />
    </section>
  );
}
