// Wire values as pvz-server sends them to the web page, for the page's tests.
import type { ClaimCase } from "../../bindings/ClaimCase";
import type { ClaimStatus } from "../../bindings/ClaimStatus";
import type { EvidencePhoto } from "../../bindings/EvidencePhoto";
import type { WebSession } from "../../bindings/WebSession";

/** ts-rs types some integers as bigint; on the wire they are JSON numbers, as here. */
const wireInt = (value: number) => value as unknown as bigint;

export const CSRF = "csrf-token-of-this-session";

export const sellerSession: WebSession = {
  party: "seller",
  name: "seller-modnitsa",
  csrf_token: CSRF,
  expires_at: "2026-12-08T12:00:00Z",
};

export const operatorSession: WebSession = {
  party: "operator",
  name: "network-ops",
  csrf_token: CSRF,
  expires_at: "2026-12-08T12:00:00Z",
};

export function claimStatus(overrides: Partial<ClaimStatus> = {}): ClaimStatus {
  return {
    claim_id: "clm-demo-photos",
    order_id: "ord-1008",
    item_id: "itm-1008-3",
    item_name: "Джинсы прямые",
    state: "open",
    compensation: null,
    reason: null,
    description: "Разошёлся шов на кармане после первой стирки",
    return_code: null,
    part_order_id: null,
    fulfilled_at: null,
    decision: "under_review",
    item_fate: "with_buyer",
    route: null,
    decided_by: "seller",
    paid_at: "2026-11-01T10:00:00Z",
    opened_at: "2026-12-01T10:00:00Z",
    return_deadline: null,
    seller_address: null,
    rejection_template: null,
    code_issue: 0,
    actions: ["approve_via_pickup_point", "approve_to_seller", "approve_without_return", "reject"],
    ...overrides,
  };
}

export function claimCase(claim: ClaimStatus = claimStatus()): ClaimCase {
  return {
    claim,
    item: {
      item_id: claim.item_id,
      name: claim.item_name,
      price: 350000,
      barcode: "4601234567893",
    },
    order: { order_id: claim.order_id, pickup_point_id: "pvz-msk-001" },
    buyer_photos: [{ id: "a".repeat(64), content_type: "image/jpeg", size: wireInt(1234) }],
    counter_events: [
      {
        at: "2026-10-30T09:00:00Z",
        kind: "received",
        pickup_point_id: "pvz-msk-001",
        detail: null,
      },
      {
        at: "2026-11-01T10:00:00Z",
        kind: "issued",
        pickup_point_id: "pvz-msk-001",
        detail: null,
      },
    ],
  };
}

export function evidencePhoto(sha: string, uploaded: boolean): EvidencePhoto {
  return {
    sha256: sha,
    media_type: "image/jpeg",
    size_bytes: wireInt(2048),
    kind: "damaged_at_receiving",
    pickup_point_id: "pvz-msk-001",
    order_id: "ord-1008",
    item_id: "itm-1008-3",
    op_id: "0193-op",
    taken_at: "2026-10-30T09:00:00Z",
    uploaded,
  };
}
