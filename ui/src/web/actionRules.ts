//! An action form's fields checked the way the server checks them
//! (crates/pvz-server/src/rules/claims/actions.rs), so a seller learns what is wrong before
//! anything is sent; the server still judges and its refusal is shown as it says it.
import type { ClaimAction } from "../bindings/ClaimAction";
import type { ClaimActionRequest } from "../bindings/ClaimActionRequest";
import type { Compensation } from "../bindings/Compensation";
import type { CompensationKind } from "../bindings/CompensationKind";
import type { Kopecks } from "../bindings/Kopecks";
import type { RejectionTemplate } from "../bindings/RejectionTemplate";
import type { ReturnRoute } from "../bindings/ReturnRoute";
import { parseRubles } from "./rubles";

/** `MIN_COMMENT_CHARS`, `MAX_COMMENT_CHARS` of pvz-protocol's claims. */
export const MIN_COMMENT = 10;
export const MAX_COMMENT = 1000;
/** The server's longest free text (a missing part, a revocation's reason). */
export const MAX_TEXT = 2000;
/** The server's longest seller address or opening hours. */
export const MAX_ADDRESS = 1000;

export const REJECTION_TEMPLATES: readonly RejectionTemplate[] = [
  "signs_of_use",
  "not_a_defect",
  "damaged_after_delivery",
  "not_our_item",
];

/** What the form holds, as typed. */
export interface ActionFields {
  kind: CompensationKind;
  amount: string;
  part: string;
  template: RejectionTemplate | "";
  comment: string;
  route: ReturnRoute;
  address: string;
  hours: string;
}

/** A field's problem: a translation key under `web.check` and its values. */
export interface FieldProblem {
  key:
    | "amountNotNumber"
    | "amountRange"
    | "partEmpty"
    | "textTooLong"
    | "commentLength"
    | "rejectNeedsReason"
    | "addressEmpty"
    | "hoursEmpty"
    | "addressTooLong"
    | "commentEmpty";
  values?: Record<string, string | number>;
}

export type Checked =
  { ok: true; request: ClaimActionRequest } | { ok: false; problem: FieldProblem };

/** The compensation kinds an approval by this action may give (the server's check_compensation). */
export function compensationKinds(action: ClaimAction): CompensationKind[] {
  switch (action) {
    case "approve_via_pickup_point":
    case "approve_to_seller":
      return ["refund", "replacement"];
    case "approve_without_return":
      return ["refund", "missing_part"];
    case "reject":
    case "reconsider":
    case "change_route":
    case "confirm_receipt":
    case "refuse_receipt":
    case "dispute":
    case "uphold_rejection":
    case "revoke":
      return [];
  }
}

/** The routes a route change may pick: without return only for a refund. */
export function routeChoices(approved: Compensation | null): ReturnRoute[] {
  return approved?.kind === "refund"
    ? ["pickup_point", "seller", "no_return"]
    : ["pickup_point", "seller"];
}

const chars = (text: string) => [...text.trim()].length;
const fail = (key: FieldProblem["key"], values?: FieldProblem["values"]): Checked => ({
  ok: false,
  problem: values ? { key, values } : { key },
});

function comment(text: string): FieldProblem | null {
  const count = chars(text);
  if (count < MIN_COMMENT || count > MAX_COMMENT) {
    return { key: "commentLength", values: { min: MIN_COMMENT, max: MAX_COMMENT, count } };
  }
  return null;
}

function compensation(fields: ActionFields, price: Kopecks): Compensation | FieldProblem {
  switch (fields.kind) {
    case "refund": {
      const amount = parseRubles(fields.amount);
      if (amount === null) return { key: "amountNotNumber" };
      if (amount <= 0 || amount > price) return { key: "amountRange" };
      return { kind: "refund", amount };
    }
    case "replacement":
      return { kind: "replacement" };
    case "missing_part": {
      const count = chars(fields.part);
      if (count === 0) return { key: "partEmpty" };
      if (count > MAX_TEXT) return { key: "textTooLong", values: { max: MAX_TEXT } };
      return { kind: "missing_part", part: fields.part.trim() };
    }
  }
}

function address(fields: ActionFields): { address: string; hours: string } | FieldProblem {
  if (chars(fields.address) === 0) return { key: "addressEmpty" };
  if (chars(fields.hours) === 0) return { key: "hoursEmpty" };
  if (chars(fields.address) > MAX_ADDRESS || chars(fields.hours) > MAX_ADDRESS) {
    return { key: "addressTooLong", values: { max: MAX_ADDRESS } };
  }
  return { address: fields.address.trim(), hours: fields.hours.trim() };
}

const isProblem = (value: object): value is FieldProblem => "key" in value;

/** The request to send for `action`, or the first field problem; `price` is the item's price. */
export function checkAction(action: ClaimAction, fields: ActionFields, price: Kopecks): Checked {
  switch (action) {
    case "approve_via_pickup_point":
    case "approve_without_return": {
      const given = compensation(fields, price);
      if (isProblem(given)) return { ok: false, problem: given };
      return { ok: true, request: { action, compensation: given } };
    }
    case "approve_to_seller": {
      const given = compensation(fields, price);
      if (isProblem(given)) return { ok: false, problem: given };
      const where = address(fields);
      if (isProblem(where)) return { ok: false, problem: where };
      return { ok: true, request: { action, compensation: given, seller_address: where } };
    }
    case "reject": {
      const text = fields.comment.trim();
      if (text === "" && fields.template === "") return fail("rejectNeedsReason");
      const wrong = text === "" ? null : comment(text);
      if (wrong) return { ok: false, problem: wrong };
      return {
        ok: true,
        request: {
          action,
          template: fields.template === "" ? null : fields.template,
          comment: text === "" ? null : text,
        },
      };
    }
    case "change_route": {
      if (fields.route !== "seller") {
        return { ok: true, request: { action, route: fields.route, seller_address: null } };
      }
      const where = address(fields);
      if (isProblem(where)) return { ok: false, problem: where };
      return { ok: true, request: { action, route: fields.route, seller_address: where } };
    }
    case "refuse_receipt":
    case "dispute": {
      const wrong = comment(fields.comment);
      if (wrong) return { ok: false, problem: wrong };
      return { ok: true, request: { action, comment: fields.comment.trim() } };
    }
    case "uphold_rejection": {
      const text = fields.comment.trim();
      const wrong = text === "" ? null : comment(text);
      if (wrong) return { ok: false, problem: wrong };
      return { ok: true, request: { action, comment: text === "" ? null : text } };
    }
    case "revoke": {
      const count = chars(fields.comment);
      if (count === 0) return fail("commentEmpty");
      if (count > MAX_TEXT) return fail("textTooLong", { max: MAX_TEXT });
      return { ok: true, request: { action, comment: fields.comment.trim() } };
    }
    case "reconsider":
    case "confirm_receipt":
      return { ok: true, request: { action } };
  }
}
