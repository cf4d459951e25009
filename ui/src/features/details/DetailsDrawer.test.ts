import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

vi.mock("../../lib/ipc/client", () => import("../../test/client-mock"));

import * as client from "../../lib/ipc/client";
import { failure, message } from "../../test/fixtures";
import DetailsDrawer from "./DetailsDrawer.svelte";

describe("DetailsDrawer", () => {
  it("shows the SID, every status change and every call to the provider", async () => {
    vi.mocked(client.messageDetails).mockResolvedValue({
      message: message({
        id: 4,
        direction: "outbound",
        status: "undelivered",
        sid: "SM0123456789abcdef0123456789abcdef",
        to: "+13125550166",
        failure: failure({ code: "30006", title: "Landline or unreachable carrier", provider_message: "Landline" }),
      }),
      from: "+15005550006",
      changes: [
        { at: "2026-05-01T10:00:00Z", status: "pending", provider_status: null, error_code: null },
        { at: "2026-05-01T10:00:01Z", status: "queued", provider_status: "queued", error_code: null },
        { at: "2026-05-01T10:00:09Z", status: "undelivered", provider_status: "undelivered", error_code: "30006" },
      ],
      attempts: [
        {
          kind: "create",
          outcome: "accepted",
          started_at: "2026-05-01T10:00:00Z",
          finished_at: "2026-05-01T10:00:01Z",
          http_status: 201,
          error_code: null,
          detail: null,
        },
      ],
      price: "-0.0079",
      price_unit: "USD",
    });
    const onClose = vi.fn();
    render(DetailsDrawer, { messageId: 4, onClose });
    expect(await screen.findByTestId("details-sid")).toHaveTextContent("SM0123456789abcdef0123456789abcdef");
    const changes = screen.getByTestId("details-changes").querySelectorAll("li");
    expect(changes).toHaveLength(3);
    expect(changes[2]).toHaveTextContent("undelivered (undelivered) · 30006");
    expect(screen.getByTestId("details-attempts")).toHaveTextContent("Send: accepted · HTTP 201");
    expect(screen.getByTestId("details-error")).toHaveTextContent("Provider said: Landline");
    expect(screen.getByText("-0.0079 USD")).toBeInTheDocument();
    expect(client.messageDetails).toHaveBeenCalledWith(4);
    await userEvent.setup().click(screen.getByTestId("details-close"));
    expect(onClose).toHaveBeenCalled();
  });
});
