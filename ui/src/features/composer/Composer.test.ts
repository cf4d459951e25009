import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("../../lib/ipc/client", () => import("../../test/client-mock"));

import * as client from "../../lib/ipc/client";
import { IpcFailure } from "../../lib/ipc/failure";
import { message } from "../../test/fixtures";
import Composer from "./Composer.svelte";
import { clearDrafts } from "./drafts";

const sendMessage = vi.mocked(client.sendMessage);

describe("Composer", () => {
  beforeEach(() => {
    clearDrafts();
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

  it("shows a live character count and segment estimate", async () => {
    render(Composer, { conversationId: 5, onSent: vi.fn() });
    const user = userEvent.setup();
    const estimate = screen.getByTestId("segment-estimate");
    expect(estimate).toHaveTextContent("0 characters · 0 segments · GSM-7");
    await user.type(screen.getByTestId("composer-input"), "Price: 5€");
    expect(estimate).toHaveTextContent("9 characters · 1 segment · GSM-7");
    await user.type(screen.getByTestId("composer-input"), " 🙂");
    expect(estimate).toHaveTextContent("11 characters · 1 segment · UCS-2");
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
