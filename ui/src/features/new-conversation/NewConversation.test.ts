import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("../../lib/ipc/client", () => import("../../test/client-mock"));

import * as client from "../../lib/ipc/client";
import { IpcFailure } from "../../lib/ipc/failure";
import { checkView, message, plainCheck } from "../../test/fixtures";
import NewConversation from "./NewConversation.svelte";

const listSenders = vi.mocked(client.listSenders);
const sendMessage = vi.mocked(client.sendMessage);

describe("NewConversation", () => {
  it("shows where the number goes as it is typed", async () => {
    vi.mocked(client.checkMessage).mockImplementation(async (r) =>
      checkView({
        number: {
          e164: "+447400123456",
          country: "GB",
          calling_code: 44,
          valid: true,
          kind: "mobile",
        },
        recipient_time: "9:40 PM London time",
        findings: r.to?.startsWith("+44")
          ? [
              {
                severity: "note",
                code: "number_international",
                message: "+447400123456 goes abroad (GB).",
                fix: "International texts cost more; check that is intended.",
              },
            ]
          : [],
      }),
    );
    render(NewConversation, { onClose: vi.fn(), onCreated: vi.fn() });
    const user = userEvent.setup();
    await user.type(screen.getByTestId("new-to"), "+44 7400 123456");
    const info = await screen.findByTestId("number-info");
    expect(info).toHaveTextContent("+447400123456 → United Kingdom (+44) · mobile");
    expect(screen.getByTestId("recipient-time")).toHaveTextContent("Their time: 9:40 PM London time");
    expect(await screen.findByTestId("check-finding")).toHaveAttribute(
      "data-code",
      "number_international",
    );
  });

  it("says a number is wrong once the field is left, not while it is typed", async () => {
    vi.mocked(client.checkMessage).mockImplementation(async (r) =>
      checkView({
        can_send: false,
        findings: [
          {
            severity: "block",
            code: "number_impossible",
            message: `“${r.to}” is not a phone number.`,
            fix: "Type the number with its country code.",
          },
        ],
      }),
    );
    render(NewConversation, { onClose: vi.fn(), onCreated: vi.fn() });
    const user = userEvent.setup();
    await user.type(screen.getByTestId("new-to"), "+1312555");
    await waitFor(() => expect(client.checkMessage).toHaveBeenCalledWith(expect.objectContaining({ to: "+1312555" })));
    expect(screen.queryByTestId("check-finding")).toBeNull();
    expect(screen.getByTestId("new-send")).toBeDisabled();
    await user.click(screen.getByTestId("new-body"));
    expect(await screen.findByTestId("check-finding")).toHaveAttribute("data-code", "number_impossible");
    // Back in the field to correct it: the finding waits again, until Enter asks to send.
    await user.click(screen.getByTestId("new-to"));
    await waitFor(() => expect(screen.queryByTestId("check-finding")).toBeNull());
    await user.type(screen.getByTestId("new-to"), "{Enter}");
    expect(await screen.findByTestId("check-finding")).toHaveAttribute("data-code", "number_impossible");
    expect(sendMessage).not.toHaveBeenCalled();
  });

  beforeEach(() => {
    vi.mocked(client.checkMessage).mockReset();
    vi.mocked(client.checkMessage).mockImplementation(plainCheck);
    listSenders.mockResolvedValue([
      { number: "+15559990000", label: "Front desk" },
      { number: "+15559990001", label: null },
    ]);
  });

  it("defaults From to the first sender and sends to the typed number", async () => {
    const created = message({ id: 77, conversation_id: 12, direction: "outbound", status: "queued" });
    sendMessage.mockResolvedValue(created);
    const onCreated = vi.fn();
    render(NewConversation, { onClose: vi.fn(), onCreated });

    const from = screen.getByTestId("new-from");
    await waitFor(() => expect(from).toHaveValue("+15559990000"));
    expect(screen.getByRole("option", { name: "Front desk (+15559990000)" })).toBeInTheDocument();

    const user = userEvent.setup();
    await user.type(screen.getByTestId("new-to"), " +15551234567 ");
    await user.type(screen.getByTestId("new-body"), "Hi, this is the shop");
    await user.click(screen.getByTestId("new-send"));

    expect(sendMessage).toHaveBeenCalledWith({
      conversation_id: null,
      to: "+15551234567",
      from: "+15559990000",
      body: "Hi, this is the shop",
      confirmed: false,
    });
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(created));
  });

  it("lets the user pick another sender", async () => {
    sendMessage.mockResolvedValue(message({ direction: "outbound" }));
    render(NewConversation, { onClose: vi.fn(), onCreated: vi.fn() });
    const user = userEvent.setup();
    const from = screen.getByTestId("new-from");
    await waitFor(() => expect(from).toBeEnabled());
    await user.selectOptions(from, "+15559990001");
    await user.type(screen.getByTestId("new-to"), "+15551234567");
    await user.type(screen.getByTestId("new-body"), "x");
    await user.click(screen.getByTestId("new-send"));
    await waitFor(() =>
      expect(sendMessage).toHaveBeenCalledWith(expect.objectContaining({ from: "+15559990001" })),
    );
  });

  it("requires a number and a body", async () => {
    render(NewConversation, { onClose: vi.fn(), onCreated: vi.fn() });
    const user = userEvent.setup();
    const send = screen.getByTestId("new-send");
    expect(send).toBeDisabled();
    await user.type(screen.getByTestId("new-to"), "+15551234567");
    expect(send).toBeDisabled();
    await user.type(screen.getByTestId("new-body"), "hello");
    expect(send).toBeEnabled();
  });

  it("shows errors inline with the hint", async () => {
    sendMessage.mockRejectedValue(
      new IpcFailure("invalid_number", "That doesn't look like a phone number.", "Use the +1… format."),
    );
    const onCreated = vi.fn();
    render(NewConversation, { onClose: vi.fn(), onCreated });
    const user = userEvent.setup();
    await user.type(screen.getByTestId("new-to"), "12");
    await user.type(screen.getByTestId("new-body"), "hello");
    await user.click(screen.getByTestId("new-send"));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("That doesn't look like a phone number.");
    expect(alert).toHaveTextContent("Use the +1… format.");
    expect(onCreated).not.toHaveBeenCalled();
  });

  it("closes on Escape", async () => {
    const onClose = vi.fn();
    render(NewConversation, { onClose, onCreated: vi.fn() });
    await userEvent.keyboard("{Escape}");
    expect(onClose).toHaveBeenCalled();
  });

  it("is a labelled modal dialog that focuses the To field", async () => {
    render(NewConversation, { onClose: vi.fn(), onCreated: vi.fn() });
    const dialog = screen.getByRole("dialog", { name: "New conversation" });
    expect(dialog).toHaveAttribute("aria-modal", "true");
    await waitFor(() => expect(screen.getByTestId("new-to")).toHaveFocus());
  });
});
