// A stand-in for pvz-server behind `fetch`: answers by method and path (query included), records
// every request with its headers and body, and answers 404 `{code, message}` for anything else.
import { vi } from "vitest";

export interface Sent {
  method: string;
  url: string;
  headers: Headers;
  body: unknown;
  credentials: RequestCredentials | undefined;
}

type Answer =
  { status?: number; body?: unknown } | ((sent: Sent) => { status?: number; body?: unknown });

export function fakeServer(routes: Record<string, Answer>) {
  const sent: Sent[] = [];
  const fetchMock = vi.fn((input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? "GET";
    const raw = init?.body;
    const request: Sent = {
      method,
      url,
      headers: new Headers(init?.headers),
      body: typeof raw === "string" ? (JSON.parse(raw) as unknown) : raw,
      credentials: init?.credentials,
    };
    sent.push(request);
    const route = routes[`${method} ${url}`];
    const answer = typeof route === "function" ? route(request) : route;
    if (!answer) {
      return Promise.resolve(
        json(404, { code: "not_found", message: `no fake route for ${method} ${url}` }),
      );
    }
    return Promise.resolve(
      answer.status === 204
        ? new Response(null, { status: 204 })
        : json(answer.status ?? 200, answer.body ?? {}),
    );
  });
  vi.stubGlobal("fetch", fetchMock);
  return {
    sent,
    /** The requests to `method path` so far. */
    to: (method: string, path: string) =>
      sent.filter((request) => request.method === method && request.url === path),
  };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}
