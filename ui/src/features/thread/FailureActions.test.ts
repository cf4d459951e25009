import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("../../lib/ipc/client", () => import("../../test/client-mock"));

import * as client from "../../lib/ipc/client";
import { checkView, failure, message, plainCheck } from "../../test/fixtures";
import FailureActions from "./FailureActions.svelte";
import { retryReady } from "./failure";

const m = vi.mocked(client);
const failed = message({
  id: 9,
  conversation_id: 3,
  direction: "outbound",
  status: "failed",
  to: "+15005550001",
  body: "Your table is ready",
  failure_state: "open",
});

describe("FailureActions", () => {
  beforeEach(() => {
    vi.clearAllMocks();
    m.checkMessage.mockImplementation(plainCheck);
  });

  it("resends to a corrected number and hands the new message back", async () => {
    const resent = message({ id: 10, direction: "outbound", status: "pending", resend_of: 9 });
    m.resendMessage.mockResolvedValue(resent);
    const onResent = vi.fn();
    render(FailureActions, { message: failed, failure: failure(), now: new Date(), onResent });
    expect(screen.getByTestId("failure-actions")).toHaveTextContent("Your move: Correct the number");
    const user = userEvent.setup();
    await user.click(screen.getByTestId("action-edit-number"));
    const field = screen.getByTestId("fix-number");
    expect(field).toHaveValue("+15005550001");
    await user.clear(field);
    await user.type(field, "(312) 555-0177");
    await waitFor(() =>
      expect(m.checkMessage).toHaveBeenLastCalledWith(expect.objectContaining({ to: "(312) 555-0177" })),
    );
    await user.click(screen.getByTestId("fix-send"));
    await waitFor(() =>
      expect(m.resendMessage).toHaveBeenCalledWith({
        message_id: 9,
        to: "(312) 555-0177",
        body: null,
        confirmed: false,
      }),
    );
    expect(onResent).toHaveBeenCalledWith(resent);
  });

  it("keeps a failure whose resend is on its way open, without offering a second resend", () => {
    render(FailureActions, {
      message: { ...failed, failure_state: "resend_on_its_way" },
      failure: failure(),
      now: new Date(),
      onResent: vi.fn(),
    });
    expect(screen.getByTestId("failure-resend-on-its-way")).toHaveTextContent("stays in Failed");
    expect(screen.queryByTestId("action-edit-number")).toBeNull();
    expect(screen.queryByTestId("action-dismiss")).toBeNull();
    expect(screen.queryByTestId("failure-resent")).toBeNull();
  });

  it("offers Retry only once the cooldown has passed", () => {
    const cooling = failure({ retry: "after_cooldown", retry_after: "2026-05-01T12:00:00Z" });
    expect(retryReady(cooling, new Date("2026-05-01T11:59:00Z"))).toBe(false);
    expect(retryReady(cooling, new Date("2026-05-01T12:00:00Z"))).toBe(true);
    expect(retryReady(failure({ retry: "never" }), new Date())).toBe(false);
    render(FailureActions, {
      message: failed,
      failure: { ...cooling, actions: [{ key: "retry", label: "Retry" }] },
      now: new Date("2026-05-01T11:00:00Z"),
      onResent: vi.fn(),
    });
    expect(screen.getByTestId("action-retry")).toBeDisabled();
    expect(screen.getByTestId("action-retry")).toHaveTextContent("Retry later");
  });

  it("marks a number as a landline", async () => {
    m.markLandline.mockResolvedValue();
    render(FailureActions, {
      message: failed,
      failure: failure({ code: "30006", actions: [{ key: "mark_landline", label: "Mark as landline" }] }),
      now: new Date(),
      onResent: vi.fn(),
    });
    await userEvent.setup().click(screen.getByTestId("action-mark-landline"));
    expect(m.markLandline).toHaveBeenCalledWith("+15005550001");
    expect(await screen.findByTestId("failure-note")).toHaveTextContent("remembered as a landline");
  });

  it("resends a UCS-2 text made GSM-safe", async () => {
    const curly = { ...failed, body: "It’s ready", encoding: "UCS-2" as const };
    m.checkMessage.mockResolvedValue(
      checkView({}, { encoding: "UCS-2", gsm_safe: { body: "It's ready", encoding: "GSM-7", segments: 1 } }),
    );
    m.resendMessage.mockResolvedValue(message({ id: 11, resend_of: 9 }));
    render(FailureActions, {
      message: curly,
      failure: failure({
        code: "30007",
        actions: [
          { key: "edit_text", label: "Edit text and resend" },
          { key: "make_gsm_safe", label: "Make GSM-safe and resend" },
        ],
      }),
      now: new Date(),
      onResent: vi.fn(),
    });
    await userEvent.setup().click(screen.getByTestId("action-gsm-safe"));
    await waitFor(() =>
      expect(m.resendMessage).toHaveBeenCalledWith({ message_id: 9, to: null, body: "It's ready", confirmed: false }),
    );
  });
});

describe("FailureActions for account problems", () => {
  it("offers Settings where the fix is there, and names the Console where it is not", async () => {
    const onOpenSettings = vi.fn();
    render(FailureActions, {
      message: failed,
      failure: failure({
        code: "21212",
        owner: "The account owner",
        actions: [
          { key: "change_sender", label: "Send from another number" },
          { key: "open_settings", label: "Open Settings" },
          { key: "open_console", label: "Open the Twilio Console" },
        ],
      }),
      now: new Date(),
      onResent: vi.fn(),
      onOpenSettings,
    });
    expect(screen.getByTestId("failure-actions")).toHaveTextContent("The account owner's move");
    expect(screen.getByTestId("failure-actions")).toHaveTextContent("console.twilio.com");
    await userEvent.setup().click(screen.getByTestId("action-open-settings"));
    expect(onOpenSettings).toHaveBeenCalled();
  });
});
