import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("../../lib/ipc/client", () => import("../../test/client-mock"));

import * as client from "../../lib/ipc/client";
import { IpcFailure } from "../../lib/ipc/failure";
import { checkView, message, plainCheck } from "../../test/fixtures";
import Composer from "./Composer.svelte";
import { clearDrafts } from "./drafts";

const sendMessage = vi.mocked(client.sendMessage);
const checkMessage = vi.mocked(client.checkMessage);

describe("Composer", () => {
  beforeEach(() => {
    clearDrafts();
    checkMessage.mockReset();
    checkMessage.mockImplementation(plainCheck);
  });

  it("sends with Ctrl+Enter and clears the input", async () => {
    const sent = message({ id: 42, direction: "outbound", status: "queued", body: "On my way" });
    sendMessage.mockResolvedValue(sent);
    const onSent = vi.fn();
    render(Composer, { conversationId: 5, onSent });

    const user = userEvent.setup();
    const input = screen.getByTestId("composer-input");
    await user.type(input, "On my way");
    await user.keyboard("{Control>}{Enter}{/Control}");

    expect(sendMessage).toHaveBeenCalledWith({
      conversation_id: 5,
      to: null,
      from: null,
      body: "On my way",
      confirmed: false,
      template_id: null,
    });
    await waitFor(() => expect(onSent).toHaveBeenCalledWith(sent));
    expect(input).toHaveValue("");
  });

  it("sends with Cmd+Enter", async () => {
    sendMessage.mockResolvedValue(message({ direction: "outbound" }));
    render(Composer, { conversationId: 5, onSent: vi.fn() });
    const user = userEvent.setup();
    await user.type(screen.getByTestId("composer-input"), "hello");
    await user.keyboard("{Meta>}{Enter}{/Meta}");
    expect(sendMessage).toHaveBeenCalledTimes(1);
  });

  it("inserts a newline on plain Enter instead of sending", async () => {
    render(Composer, { conversationId: 5, onSent: vi.fn() });
    const user = userEvent.setup();
    const input = screen.getByTestId("composer-input");
    await user.type(input, "line one{Enter}line two");
    expect(sendMessage).not.toHaveBeenCalled();
    expect(input).toHaveValue("line one\nline two");
  });

  it("cannot send an empty or blank body", async () => {
    render(Composer, { conversationId: 5, onSent: vi.fn() });
    const user = userEvent.setup();
    const send = screen.getByTestId("composer-send");
    expect(send).toBeDisabled();
    await user.type(screen.getByTestId("composer-input"), "   ");
    expect(send).toBeDisabled();
    await user.keyboard("{Control>}{Enter}{/Control}");
    expect(sendMessage).not.toHaveBeenCalled();
  });

  it("disables input and button while sending", async () => {
    let resolve!: (m: ReturnType<typeof message>) => void;
    sendMessage.mockReturnValue(new Promise((r) => (resolve = r)));
    render(Composer, { conversationId: 5, onSent: vi.fn() });
    const user = userEvent.setup();
    await user.type(screen.getByTestId("composer-input"), "hi");
    await user.click(screen.getByTestId("composer-send"));
    expect(screen.getByTestId("composer-input")).toBeDisabled();
    expect(screen.getByTestId("composer-send")).toBeDisabled();
    resolve(message({ direction: "outbound" }));
    await waitFor(() => expect(screen.getByTestId("composer-input")).toBeEnabled());
  });

  it("shows the IpcFailure message and hint, and keeps the text", async () => {
    sendMessage.mockRejectedValue(
      new IpcFailure(
        "provider_rejected",
        "Twilio refused the message.",
        "Check the number and try again.",
      ),
    );
    render(Composer, { conversationId: 5, onSent: vi.fn() });
    const user = userEvent.setup();
    const input = screen.getByTestId("composer-input");
    await user.type(input, "Hello");
    await user.click(screen.getByTestId("composer-send"));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Twilio refused the message.");
    expect(alert).toHaveTextContent("Check the number and try again.");
    expect(alert).toHaveAttribute("data-error-code", "provider_rejected");
    expect(input).toHaveValue("Hello");
  });

  it("shows the core's count, encoding and how full the last segment is", async () => {
    checkMessage.mockImplementation(async (r) =>
      r.body.includes("🙂")
        ? checkView({}, { encoding: "UCS-2", chars: 11, units: 12, last_segment_units: 12, segment_capacity: 70 })
        : checkView({}, { chars: 9, units: 10, last_segment_units: 10 }),
    );
    render(Composer, { conversationId: 5, onSent: vi.fn() });
    const user = userEvent.setup();
    await user.type(screen.getByTestId("composer-input"), "Price: 5€");
    await waitFor(() =>
      expect(screen.getByTestId("segment-estimate")).toHaveTextContent("9 characters · GSM-7 · 1 segment · 10/160"),
    );
    await user.type(screen.getByTestId("composer-input"), " 🙂");
    await waitFor(() =>
      expect(screen.getByTestId("segment-estimate")).toHaveTextContent("11 characters · UCS-2 · 1 segment · 12/70"),
    );
    expect(checkMessage).toHaveBeenLastCalledWith(
      expect.objectContaining({ conversation_id: 5, body: "Price: 5€ 🙂" }),
    );
  });

  it("keeps Send disabled while a check blocks, and says why", async () => {
    checkMessage.mockResolvedValue(
      checkView({
        can_send: false,
        findings: [
          {
            severity: "block",
            code: "number_opted_out",
            message: "+12125550142 opted out of your texts (STOP).",
            fix: "Only the customer can undo this by texting START.",
          },
        ],
      }),
    );
    render(Composer, { conversationId: 5, onSent: vi.fn() });
    const user = userEvent.setup();
    await user.type(screen.getByTestId("composer-input"), "Sale today");
    const finding = await screen.findByTestId("check-finding");
    expect(finding).toHaveAttribute("data-code", "number_opted_out");
    expect(finding).toHaveTextContent("texting START");
    expect(screen.getByTestId("composer-send")).toBeDisabled();
    await user.keyboard("{Control>}{Enter}{/Control}");
    expect(sendMessage).not.toHaveBeenCalled();
  });

  it("asks before sending past a confirmation, and sends when told to", async () => {
    checkMessage.mockResolvedValue(
      checkView({
        needs_confirmation: true,
        findings: [
          {
            severity: "confirm",
            code: "number_marked",
            message: "+13125550166 is a landline (error 30006 on 3 May 2026).",
            fix: "Correct the number, or send anyway.",
          },
        ],
      }),
    );
    sendMessage.mockResolvedValue(message({ direction: "outbound" }));
    render(Composer, { conversationId: 5, onSent: vi.fn() });
    const user = userEvent.setup();
    await user.type(screen.getByTestId("composer-input"), "Are you there?");
    await user.click(screen.getByTestId("composer-send"));
    const box = await screen.findByTestId("confirm-box");
    expect(box).toHaveTextContent("is a landline");
    expect(sendMessage).not.toHaveBeenCalled();
    await user.click(screen.getByTestId("confirm-send"));
    await waitFor(() =>
      expect(sendMessage).toHaveBeenCalledWith(
        expect.objectContaining({ body: "Are you there?", confirmed: true }),
      ),
    );
  });

  it("highlights what forces UCS-2 and rewrites it GSM-safe in one click", async () => {
    checkMessage.mockImplementation(async (r) =>
      r.body.includes("’")
        ? checkView(
            {
              findings: [
                {
                  severity: "note",
                  code: "body_ucs2",
                  message: "“’” makes it UCS-2: 70 characters a segment instead of 160.",
                  fix: "Make it GSM-safe: 1 segment instead of 2.",
                },
              ],
            },
            {
              encoding: "UCS-2",
              segments: 2,
              forcing: [{ ch: "’", utf16_offset: 2, utf16_len: 1, replacement: "'" }],
              gsm_safe: { body: r.body.replace("’", "'"), encoding: "GSM-7", segments: 1 },
            },
          )
        : plainCheck(r),
    );
    render(Composer, { conversationId: 5, onSent: vi.fn() });
    const user = userEvent.setup();
    const input = screen.getByTestId("composer-input");
    await user.type(input, "It’s ready");
    const culprits = await screen.findByTestId("ucs2-culprits");
    expect(culprits.querySelector("mark")).toHaveTextContent("’");
    await user.click(screen.getByTestId("make-gsm-safe"));
    expect(input).toHaveValue("It's ready");
    await waitFor(() => expect(screen.queryByTestId("ucs2-culprits")).toBeNull());
  });

  it("keeps an unsent draft per conversation", async () => {
    const first = render(Composer, { conversationId: 5, onSent: vi.fn() });
    const user = userEvent.setup();
    await user.type(screen.getByTestId("composer-input"), "draft text");
    first.unmount();
    render(Composer, { conversationId: 5, onSent: vi.fn() });
    expect(screen.getByTestId("composer-input")).toHaveValue("draft text");
  });
});
