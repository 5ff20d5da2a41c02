import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import {
  claimCase,
  claimStatus,
  evidencePhoto,
  operatorSession,
  sellerSession,
} from "../test/fixtures";
import { fakeServer } from "../test/fakeServer";
import { openPage } from "../test/render";

const ID = "clm-demo-photos";

function claimRoutes(claim = claimStatus()) {
  return {
    "GET /v1/web/session": { body: sellerSession },
    [`GET /v1/claims/${ID}/case`]: { body: claimCase(claim) },
    [`GET /v1/claims/${ID}/evidence`]: {
      body: [evidencePhoto("b".repeat(64), true), evidencePhoto("c".repeat(64), false)],
    },
    [`GET /v1/claims/${ID}/messages?after=0&limit=200`]: {
      body: {
        messages: [
          {
            seq: 1,
            author: "buyer",
            text: "Шов разошёлся",
            attachments: [],
            sent_at: "2026-12-01T10:00:00Z",
          },
        ],
        next: 1,
        more: false,
      },
    },
  };
}

describe("the seller's inbox", () => {
  it("counts every folder and switches folders", async () => {
    const counts = { new: 2, awaiting_item: 1, decided: 5, disputed: 0, archive: 12 };
    const server = fakeServer({
      "GET /v1/web/session": { body: sellerSession },
      "GET /v1/seller/inbox?filter=new": {
        body: {
          filter: "new",
          counts,
          claims: [claimStatus(), claimStatus({ claim_id: "clm-2" })],
        },
      },
      "GET /v1/seller/inbox?filter=decided": {
        body: {
          filter: "decided",
          counts,
          claims: [claimStatus({ claim_id: "clm-old", state: "rejected", decision: "rejected" })],
        },
      },
    });
    const { user } = await openPage("#/inbox/new");

    expect(
      await screen.findByTestId(`inbox-row-${ID}`),
      "a row links to its claim",
    ).toHaveAttribute("href", `#/claims/${ID}`);
    expect(screen.getByTestId("inbox-count-new")).toHaveTextContent("2");
    expect(screen.getByTestId("inbox-count-archive")).toHaveTextContent("12");

    await user.click(screen.getByTestId("inbox-filter-decided"));

    expect(await screen.findByTestId("inbox-row-clm-old"), "the decided folder's claims show");
    expect(screen.queryByTestId(`inbox-row-${ID}`), "the new folder's claims are gone").toBeNull();
    expect(server.to("GET", "/v1/seller/inbox?filter=decided")).toHaveLength(1);
  });
});

describe("a claim's page", () => {
  it("shows the item, the buyer's and the counter's photos and the conversation", async () => {
    fakeServer(claimRoutes());
    await openPage(`#/claims/${ID}`);

    expect(await screen.findByTestId("claim-item")).toHaveTextContent("Джинсы прямые");
    expect(screen.getByTestId("claim-page")).toHaveAttribute("data-claim-id", ID);
    expect(screen.getByTestId("buyer-photo")).toHaveAttribute(
      "src",
      `/v1/attachments/${"a".repeat(64)}`,
    );
    expect(await screen.findByTestId("counter-photo")).toHaveAttribute(
      "src",
      `/v1/evidence/${"b".repeat(64)}`,
    );
    expect(
      screen.getByTestId("counter-photo-missing"),
      "a photo still at the point is shown as such",
    ).toHaveTextContent("фото ещё не загружено с пункта");
    expect(screen.getAllByTestId("counter-event")).toHaveLength(2);
    expect(await screen.findByTestId("message")).toHaveTextContent("Шов разошёлся");
  });

  it("offers only the actions the server lists", async () => {
    fakeServer(claimRoutes(claimStatus({ actions: ["approve_without_return", "reject"] })));
    await openPage(`#/claims/${ID}`);

    expect(await screen.findByTestId("action-approve_without_return")).toBeVisible();
    expect(screen.getByTestId("action-reject")).toBeVisible();
    const offered = screen
      .getAllByRole("button")
      .map((button) => button.dataset.testid)
      .filter((id) => id?.startsWith("action-"));
    expect(offered, "no action beyond the listed ones").toEqual([
      "action-approve_without_return",
      "action-reject",
    ]);
  });

  it("refuses a partial refund above the price before sending", async () => {
    const server = fakeServer(claimRoutes());
    const { user } = await openPage(`#/claims/${ID}`);

    await user.click(await screen.findByTestId("action-approve_without_return"));
    const amount = screen.getByTestId("action-amount");
    await user.clear(amount);
    await user.type(amount, "3500,01");
    await user.click(screen.getByTestId("action-submit"));

    expect(screen.getByTestId("action-error"), "the seller learns why").toHaveTextContent(
      "не больше цены товара",
    );
    expect(server.to("POST", `/v1/claims/${ID}/actions`), "nothing is sent").toHaveLength(0);
  });

  it("refuses a too-short rejection comment before sending", async () => {
    const server = fakeServer(claimRoutes());
    const { user } = await openPage(`#/claims/${ID}`);

    await user.click(await screen.findByTestId("action-reject"));
    await user.type(screen.getByTestId("action-comment"), "Не брак");
    await user.click(screen.getByTestId("action-submit"));

    expect(screen.getByTestId("action-error")).toHaveTextContent(
      "от 10 до 1000 символов, сейчас 7",
    );
    expect(server.to("POST", `/v1/claims/${ID}/actions`), "nothing is sent").toHaveLength(0);
  });

  it("is worked by keyboard: the form takes the focus, Enter sends, Escape closes", async () => {
    const decided = claimStatus({
      state: "approved",
      decision: "approved",
      compensation: { kind: "refund", amount: 120050 },
      route: "no_return",
      actions: [],
    });
    let answered = claimStatus();
    const routes = {
      ...claimRoutes(),
      [`GET /v1/claims/${ID}/case`]: () => ({ body: claimCase(answered) }),
      [`POST /v1/claims/${ID}/actions`]: () => {
        answered = decided;
        return { body: decided };
      },
    };
    const server = fakeServer(routes);
    const { user } = await openPage(`#/claims/${ID}`);

    const reject = await screen.findByTestId("action-reject");
    reject.focus();
    await user.keyboard("{Enter}");
    expect(screen.getByTestId("action-template"), "the first field has the focus").toHaveFocus();
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("action-submit"), "Escape closes the form").toBeNull();
    expect(reject, "the focus goes back to the button").toHaveFocus();

    screen.getByTestId("action-approve_without_return").focus();
    await user.keyboard("{Enter}");
    expect(screen.getByTestId("action-compensation-kind")).toHaveFocus();
    await user.tab();
    expect(screen.getByTestId("action-amount"), "Tab leads to the amount").toHaveFocus();
    await user.clear(screen.getByTestId("action-amount"));
    await user.keyboard("1200,50{Enter}");

    await waitFor(() => expect(server.to("POST", `/v1/claims/${ID}/actions`)).toHaveLength(1));
    expect(server.to("POST", `/v1/claims/${ID}/actions`)[0]?.body).toEqual({
      action: "approve_without_return",
      compensation: { kind: "refund", amount: 120050 },
    });
    expect(
      await screen.findByTestId("claim-decision"),
      "the decision shows once made",
    ).toHaveTextContent("1 200,50");
    expect(screen.getByTestId("claim-status")).toHaveAttribute("data-decision", "approved");
    expect(
      screen.queryByTestId("action-reject"),
      "a decided claim offers no more actions",
    ).toBeNull();
  });

  it("shows the server's refusal of an action in words", async () => {
    fakeServer({
      ...claimRoutes(),
      [`POST /v1/claims/${ID}/actions`]: {
        status: 409,
        body: {
          code: "action_not_available",
          message: "reject is not available: the claim is approved",
        },
      },
    });
    const { user } = await openPage(`#/claims/${ID}`);

    await user.click(await screen.findByTestId("action-reject"));
    await user.selectOptions(screen.getByTestId("action-template"), "signs_of_use");
    await user.click(screen.getByTestId("action-submit"));

    expect(await screen.findByTestId("action-error")).toHaveTextContent(
      "reject is not available: the claim is approved",
    );
  });
});

describe("the conversation", () => {
  it("uploads an attached photo first and names it in the reply", async () => {
    const uploaded = { id: "d".repeat(64), content_type: "image/png", size: 4 };
    const server = fakeServer({
      ...claimRoutes(),
      "POST /v1/attachments": { status: 201, body: uploaded },
      [`POST /v1/claims/${ID}/messages`]: {
        status: 201,
        body: {
          seq: 2,
          author: "seller",
          text: "Фото бирки",
          attachments: [uploaded],
          sent_at: "",
        },
      },
    });
    const { user } = await openPage(`#/claims/${ID}`);

    await user.type(await screen.findByTestId("reply-text"), "Фото бирки");
    const photo = new File([new Uint8Array([137, 80, 78, 71])], "tag.png", { type: "image/png" });
    await user.upload(screen.getByTestId("reply-attach"), photo);
    await user.click(screen.getByTestId("reply-send"));

    await waitFor(() => expect(server.to("POST", `/v1/claims/${ID}/messages`)).toHaveLength(1));
    const upload = server.to("POST", "/v1/attachments")[0];
    expect(upload?.headers.get("content-type"), "the file goes with its own type").toBe(
      "image/png",
    );
    expect(upload?.headers.get("x-csrf-token"), "an upload changes something: CSRF").toBeTruthy();
    expect(server.to("POST", `/v1/claims/${ID}/messages`)[0]?.body).toEqual({
      text: "Фото бирки",
      attachments: [uploaded.id],
    });
    expect(screen.getByTestId("reply-text"), "the box is emptied once sent").toHaveValue("");
  });

  it("refuses a file type the server does not take before sending", async () => {
    const server = fakeServer(claimRoutes());
    await openPage(`#/claims/${ID}`);
    // A browser's file dialog honours `accept` only as a hint; a dropped or "all files" pick passes.
    const user = userEvent.setup({ applyAccept: false });

    const text = new File(["hello"], "notes.txt", { type: "text/plain" });
    await user.upload(await screen.findByTestId("reply-attach"), text);
    await user.click(screen.getByTestId("reply-send"));

    expect(await screen.findByRole("alert")).toHaveTextContent("notes.txt");
    expect(server.to("POST", "/v1/attachments"), "nothing is uploaded").toHaveLength(0);
  });
});

describe("the seller's balance", () => {
  it("shows the balance and each ledger line with its claim", async () => {
    fakeServer({
      "GET /v1/web/session": { body: sellerSession },
      "GET /v1/seller/balance": {
        body: {
          balance: -120050,
          lines: [
            {
              at: "2026-12-02T10:00:00Z",
              amount: -120050,
              claim_id: ID,
              order_id: "ord-1008",
              description: "claim refund",
            },
          ],
        },
      },
    });
    await openPage("#/balance");

    expect(await screen.findByTestId("balance-amount")).toHaveTextContent("1 200,50");
    const line = screen.getByTestId("ledger-line");
    expect(line).toHaveAttribute("data-claim-id", ID);
    expect(line).toHaveTextContent("claim refund");
  });
});

describe("the operator's pages", () => {
  it("lists claims to decide, rejected ops and the fleet", async () => {
    fakeServer({
      "GET /v1/web/session": { body: operatorSession },
      "GET /v1/operator/claims": {
        body: [
          claimStatus({
            claim_id: "clm-dispute",
            decision: "disputed",
            actions: ["uphold_rejection"],
          }),
        ],
      },
      "GET /v1/operator/attention": {
        body: [
          {
            op_id: "op-1",
            op_type: "claim_return",
            device_id: "dev-1",
            pickup_point_id: "pvz-msk-001",
            seq: 7,
            reason: "claim_code_invalid",
            message: "the claim return code is not valid",
            received_at: "2026-12-02T10:00:00Z",
          },
        ],
      },
      "GET /v1/operator/fleet": {
        body: [
          {
            device_id: "dev-1",
            pickup_point_id: "pvz-msk-001",
            name: "Касса 1",
            last_sync_at: null,
            ops_received: 7,
            ops_waiting: 3,
            app_version: "0.1.0",
            protocol: 4,
            clock_offset_seconds: -2,
            revoked: false,
          },
        ],
      },
    });
    const { user } = await openPage("");

    expect(await screen.findByTestId("operator-claim-row-clm-dispute")).toHaveTextContent("Джинсы");
    expect(screen.queryByTestId("nav-inbox"), "an operator has no seller inbox").toBeNull();
    await user.click(screen.getByTestId("nav-attention"));
    expect(await screen.findByTestId("attention-row")).toHaveTextContent("claim_code_invalid");
    await user.click(screen.getByTestId("nav-fleet"));
    const device = await screen.findByTestId("fleet-row");
    expect(device).toHaveTextContent("Касса 1");
    expect(device).toHaveTextContent("никогда");
  });
});
