//! The page's places as hash routes (`#/inbox/new`, `#/claims/<id>`, ...), so a reload or a shared
//! link opens the same place and the server needs to know nothing about them.
import { useEffect, useState } from "react";
import type { InboxFilter } from "../bindings/InboxFilter";
import type { WebParty } from "../bindings/WebParty";

export const INBOX_FILTERS: readonly InboxFilter[] = [
  "new",
  "awaiting_item",
  "decided",
  "disputed",
  "archive",
];

export type Route =
  | { page: "inbox"; filter: InboxFilter }
  | { page: "claim"; claimId: string }
  | { page: "balance" }
  | { page: "operatorClaims" }
  | { page: "attention" }
  | { page: "fleet" }
  | { page: "home" }
  | { page: "unknown" };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean);
  const [first, second] = parts;
  if (first === undefined) return { page: "home" };
  if (first === "inbox") {
    if (second === undefined) return { page: "inbox", filter: "new" };
    const filter = INBOX_FILTERS.find((f) => f === second);
    return filter ? { page: "inbox", filter } : { page: "unknown" };
  }
  if (first === "claims" && second !== undefined && parts.length === 2) {
    return { page: "claim", claimId: decodeURIComponent(second) };
  }
  if (first === "balance" && parts.length === 1) return { page: "balance" };
  if (first === "operator" && parts.length === 2) {
    if (second === "claims") return { page: "operatorClaims" };
    if (second === "attention") return { page: "attention" };
    if (second === "fleet") return { page: "fleet" };
  }
  return { page: "unknown" };
}

export const href = {
  inbox: (filter: InboxFilter) => `#/inbox/${filter}`,
  claim: (id: string) => `#/claims/${encodeURIComponent(id)}`,
  balance: "#/balance",
  operatorClaims: "#/operator/claims",
  attention: "#/operator/attention",
  fleet: "#/operator/fleet",
};

/** Where a party lands: its first page. */
export const homeOf = (party: WebParty) =>
  party === "seller" ? href.inbox("new") : href.operatorClaims;

export function useRoute(): Route {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const changed = () => setHash(window.location.hash);
    window.addEventListener("hashchange", changed);
    return () => window.removeEventListener("hashchange", changed);
  }, []);
  return parseRoute(hash);
}
