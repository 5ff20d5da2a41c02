import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { CSRF, claimCase, claimStatus, sellerSession } from "./test/fixtures";
import { fakeServer } from "./test/fakeServer";
import { openPage } from "./test/render";

const UNAUTHORIZED = {
  status: 401,
  body: { code: "unauthorized", message: "missing, unknown or revoked credential" },
};
const storedValues = (storage: Storage) =>
  Array.from({ length: storage.length }, (_, index) => {
    const key = storage.key(index) ?? "";
    return `${key}=${storage.getItem(key) ?? ""}`;
  });
const emptyInbox = {
  filter: "new",
  counts: { new: 0, awaiting_item: 0, decided: 0, disputed: 0, archive: 0 },
  claims: [],
};

describe("signing in", () => {
  it("shows why a credential was refused and keeps it nowhere", async () => {
    const server = fakeServer({
      "GET /v1/web/session": UNAUTHORIZED,
      "POST /v1/web/session": UNAUTHORIZED,
    });
    const { user } = await openPage();
    const secret = "pvzs1.wrong-secret-value";

    await user.type(await screen.findByTestId("signin-credential"), secret);
    await user.click(screen.getByTestId("signin-submit"));

    expect(
      await screen.findByTestId("signin-error"),
      "a refused credential must say so in words",
    ).toHaveTextContent("Ключ не принят");
    expect(
      server.to("POST", "/v1/web/session")[0]?.body,
      "the credential is sent as typed",
    ).toEqual({ credential: secret });
    expect(
      screen.getByTestId("signin-credential"),
      "the field is emptied after sending",
    ).toHaveValue("");
    const stored = [
      ...storedValues(window.localStorage),
      ...storedValues(window.sessionStorage),
      document.cookie,
      window.location.href,
    ].join("\n");
    expect(stored, "the credential must not be stored by the page").not.toContain("wrong-secret");
  });

  it("restores the session from the cookie on reload and sends the CSRF token on changes", async () => {
    const server = fakeServer({
      "GET /v1/web/session": { body: sellerSession },
      "GET /v1/seller/inbox?filter=new": { body: emptyInbox },
      "DELETE /v1/web/session": { status: 204 },
    });
    const { user } = await openPage("#/inbox/new");

    expect(await screen.findByTestId("whoami"), "the seller is named").toHaveTextContent(
      "seller-modnitsa",
    );
    await user.click(screen.getByTestId("signout"));

    expect(await screen.findByTestId("signin-credential"), "sign-out leads to the sign-in form");
    const signOut = server.to("DELETE", "/v1/web/session")[0];
    expect(signOut?.headers.get("x-csrf-token"), "a changing request carries the CSRF token").toBe(
      CSRF,
    );
    expect(
      server.sent.every((request) => request.credentials === "same-origin"),
      "every call sends the session cookie of this origin only",
    ).toBe(true);
  });

  it("sends the CSRF token with a claim action and a reply", async () => {
    const id = "clm-demo-photos";
    const server = fakeServer({
      "GET /v1/web/session": { body: sellerSession },
      [`GET /v1/claims/${id}/case`]: { body: claimCase() },
      [`GET /v1/claims/${id}/evidence`]: { body: [] },
      [`GET /v1/claims/${id}/messages?after=0&limit=200`]: {
        body: { messages: [], next: 0, more: false },
      },
      [`POST /v1/claims/${id}/messages`]: {
        status: 201,
        body: { seq: 1, author: "seller", text: "Здравствуйте", attachments: [], sent_at: "" },
      },
      [`POST /v1/claims/${id}/actions`]: {
        body: claimStatus({ state: "approved", decision: "approved", actions: [] }),
      },
    });
    const { user } = await openPage(`#/claims/${id}`);

    await user.type(await screen.findByTestId("reply-text"), "Здравствуйте");
    await user.click(screen.getByTestId("reply-send"));
    await user.click(screen.getByTestId("action-approve_via_pickup_point"));
    await user.click(screen.getByTestId("action-submit"));

    await waitFor(() => expect(server.to("POST", `/v1/claims/${id}/actions`)).toHaveLength(1));
    for (const request of server.sent.filter((sent) => sent.method === "POST")) {
      expect(request.headers.get("x-csrf-token"), `${request.url} must carry the CSRF token`).toBe(
        CSRF,
      );
    }
    expect(server.to("POST", `/v1/claims/${id}/messages`)[0]?.body).toEqual({
      text: "Здравствуйте",
      attachments: [],
    });
  });

  it("goes back to the sign-in form when the session ended meanwhile", async () => {
    fakeServer({
      "GET /v1/web/session": { body: sellerSession },
      "GET /v1/seller/balance": UNAUTHORIZED,
    });
    await openPage("#/balance");

    expect(
      await screen.findByTestId("signin-credential"),
      "an expired session asks to sign in again",
    ).toBeVisible();
  });

  it("shows a load error in words instead of a blank page", async () => {
    fakeServer({
      "GET /v1/web/session": { body: sellerSession },
      "GET /v1/seller/balance": {
        status: 503,
        body: { code: "unavailable", message: "the server is busy, try again shortly" },
      },
    });
    await openPage("#/balance");

    const error = await screen.findByTestId("page-error");
    expect(error, "the server's reason is shown").toHaveTextContent(
      "the server is busy, try again shortly",
    );
    expect(within(error).getByRole("button"), "the page offers to try again").toBeVisible();
  });
});

describe("language", () => {
  it("is Russian first and switches to English and back", async () => {
    fakeServer({ "GET /v1/web/session": UNAUTHORIZED });
    const { user } = await openPage();

    expect(await screen.findByRole("heading", { level: 1 })).toHaveTextContent("Вход в кабинет");
    await user.click(screen.getByTestId("lang-switch"));
    expect(
      screen.getByRole("heading", { level: 1 }),
      "the switch turns the page English",
    ).toHaveTextContent("Sign in");
    expect(document.documentElement.lang).toBe("en");
    await user.click(screen.getByTestId("lang-switch"));
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Вход в кабинет");
  });
});
