//! The page's one way to the server: same-origin fetch with the session cookie, the session's CSRF
//! token (held in memory only) on every changing request, and every failure turned into an
//! `ApiError` the page can show. The credential typed at sign-in goes out once and is kept nowhere.
import type { AttachmentRef } from "../bindings/AttachmentRef";
import type { ClaimActionRequest } from "../bindings/ClaimActionRequest";
import type { ClaimCase } from "../bindings/ClaimCase";
import type { ClaimInbox } from "../bindings/ClaimInbox";
import type { ClaimMessage } from "../bindings/ClaimMessage";
import type { ClaimStatus } from "../bindings/ClaimStatus";
import type { EvidencePhoto } from "../bindings/EvidencePhoto";
import type { FleetDevice } from "../bindings/FleetDevice";
import type { InboxFilter } from "../bindings/InboxFilter";
import type { MessagePage } from "../bindings/MessagePage";
import type { RejectedOp } from "../bindings/RejectedOp";
import type { SellerBalance } from "../bindings/SellerBalance";
import type { WebSession } from "../bindings/WebSession";

/** The header the server expects the session's CSRF token in (`pvz_protocol::web::CSRF_HEADER`). */
export const CSRF_HEADER = "x-csrf-token";
const SESSION_PATH = "/v1/web/session";

/** A failed call: the HTTP status (0: the server was not reached) and the server's `{code, message}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

let csrfToken: string | null = null;
let sessionEnded: () => void = () => {};

/** Called when the server no longer knows the session (a 401 on any call but signing in). */
export function onSessionEnded(listener: () => void): void {
  sessionEnded = listener;
}

/** Remembers (in this page's memory only) the token a changing request must carry. */
export function rememberSession(session: WebSession | null): void {
  csrfToken = session?.csrf_token ?? null;
}

type Method = "GET" | "POST" | "PUT" | "DELETE";

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    if (typeof body.code === "string" && typeof body.message === "string") {
      return new ApiError(response.status, body.code, body.message);
    }
  } catch {
    // Not the server's JSON (a proxy's page, say): the status is all there is to say.
  }
  return new ApiError(response.status, "http_error", text.trim().slice(0, 200));
}

async function send(
  method: Method,
  path: string,
  body?: BodyInit,
  type?: string,
): Promise<Response> {
  const headers = new Headers({ accept: "application/json" });
  if (type) headers.set("content-type", type);
  if (method !== "GET" && csrfToken) headers.set(CSRF_HEADER, csrfToken);
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      ...(body === undefined ? {} : { body }),
    });
  } catch (error) {
    throw new ApiError(0, "unreachable", error instanceof Error ? error.message : String(error));
  }
  if (!response.ok) {
    const error = await errorOf(response);
    if (error.status === 401 && path !== SESSION_PATH) sessionEnded();
    throw error;
  }
  return response;
}

async function json<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const response = await send(
    method,
    path,
    body === undefined ? undefined : JSON.stringify(body),
    body === undefined ? undefined : "application/json",
  );
  return (await response.json()) as T;
}

const enc = encodeURIComponent;

export const api = {
  signIn: (credential: string) => json<WebSession>("POST", SESSION_PATH, { credential }),
  session: () => json<WebSession>("GET", SESSION_PATH),
  signOut: async () => {
    await send("DELETE", SESSION_PATH);
  },
  inbox: (filter: InboxFilter) => json<ClaimInbox>("GET", `/v1/seller/inbox?filter=${filter}`),
  claimCase: (id: string) => json<ClaimCase>("GET", `/v1/claims/${enc(id)}/case`),
  evidence: (id: string) => json<EvidencePhoto[]>("GET", `/v1/claims/${enc(id)}/evidence`),
  /** The whole conversation, a page at a time. */
  messages: async (id: string): Promise<ClaimMessage[]> => {
    const all: ClaimMessage[] = [];
    let after = 0;
    for (;;) {
      const page = await json<MessagePage>(
        "GET",
        `/v1/claims/${enc(id)}/messages?after=${after}&limit=200`,
      );
      all.push(...page.messages);
      if (!page.more || Number(page.next) <= after) return all;
      after = Number(page.next);
    }
  },
  postMessage: (id: string, text: string, attachments: string[]) =>
    json<ClaimMessage>("POST", `/v1/claims/${enc(id)}/messages`, { text, attachments }),
  uploadAttachment: async (file: File): Promise<AttachmentRef> => {
    const response = await send("POST", "/v1/attachments", file, file.type);
    return (await response.json()) as AttachmentRef;
  },
  act: (id: string, request: ClaimActionRequest) =>
    json<ClaimStatus>("POST", `/v1/claims/${enc(id)}/actions`, request),
  balance: () => json<SellerBalance>("GET", "/v1/seller/balance"),
  operatorClaims: () => json<ClaimStatus[]>("GET", "/v1/operator/claims"),
  attention: () => json<RejectedOp[]>("GET", "/v1/operator/attention"),
  fleet: () => json<FleetDevice[]>("GET", "/v1/operator/fleet"),
};

/** Where the page shows a buyer's attachment and a counter photo from. */
export const attachmentUrl = (id: string) => `/v1/attachments/${enc(id)}`;
export const evidenceUrl = (sha256: string) => `/v1/evidence/${enc(sha256)}`;
