import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("../../lib/ipc/client", () => import("../../test/client-mock"));

import * as client from "../../lib/ipc/client";
import type { LogEntryView } from "../../lib/ipc/types";
import SendLogScreen from "./SendLogScreen.svelte";

const m = vi.mocked(client);

function entry(overrides: Partial<LogEntryView> = {}): LogEntryView {
  return {
    attempt_id: 1,
    started_at: "2026-11-27T10:00:00Z",
    finished_at: "2026-11-27T10:00:00.321Z",
    latency_ms: 321,
    kind: "create",
    outcome: "rejected",
    http_status: 400,
    error_code: "21211",
    detail: "The 'To' number is not valid",
    message_id: 7,
    sid: null,
    conversation_id: 3,
    from: "+14155550100",
    to: "+15005550001",
    status: "failed",
    body: "Your order",
    ...overrides,
  };
}

beforeEach(() => {
  vi.resetAllMocks();
  m.listSenders.mockResolvedValue([{ number: "+14155550100", label: "Main office" }]);
});

describe("SendLogScreen", () => {
  it("lists calls, filters them, opens a message and exports CSV", async () => {
    m.sendLog.mockResolvedValue([entry(), entry({ attempt_id: 2, outcome: "accepted", http_status: 201, error_code: null })]);
    m.exportSendLog.mockResolvedValue({ path: "/data/exports/send-log-20261127-100000.csv", rows: 1 });
    const onOpenConversation = vi.fn();
    render(SendLogScreen, { onClose: vi.fn(), onOpenConversation });
    const user = userEvent.setup();
    const rows = await screen.findAllByTestId("log-row");
    expect(rows.map((r) => r.dataset.outcome)).toEqual(["rejected", "accepted"]);
    expect(rows[0]).toHaveTextContent("321 ms");
    expect(rows[0]).toHaveTextContent("21211");

    await user.type(screen.getByTestId("log-code"), "21211");
    await user.click(screen.getByTestId("log-failed-only"));
    await user.click(screen.getByTestId("log-apply"));
    expect(m.sendLog).toHaveBeenLastCalledWith({
      code: "21211",
      outcome: null,
      sender: null,
      since: null,
      until: null,
      failed_only: true,
      offset: 0,
      limit: 200,
    });
    await user.click(screen.getAllByRole("button", { name: /#7/ })[0]);
    expect(onOpenConversation).toHaveBeenCalledWith(3);
    await user.click(screen.getByTestId("log-export"));
    expect(m.exportSendLog).toHaveBeenCalledWith(expect.objectContaining({ code: "21211", failed_only: true, limit: 0 }));
    expect(await screen.findByTestId("log-exported")).toHaveTextContent("send-log-20261127-100000.csv");
  });

  it("shows why the log could not be read", async () => {
    m.sendLog.mockRejectedValue(new client.IpcFailure("invalid_field", "“x” is not a date.", "Pick the day."));
    render(SendLogScreen, { onClose: vi.fn(), onOpenConversation: vi.fn() });
    await waitFor(() => expect(screen.getByText("“x” is not a date.")).toBeInTheDocument());
  });
});
