import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("../../lib/ipc/client", () => import("../../test/client-mock"));

import * as client from "../../lib/ipc/client";
import { conversation, member, message, note } from "../../test/fixtures";
import { team } from "../team/team.svelte";
import Thread from "./Thread.svelte";

const m = vi.mocked(client);
const now = new Date("2024-05-01T12:00:00Z");
const dana = member();
const sam = member({ id: 2, uid: "member-2", name: "Sam Okoye", initials: "SO", role: "agent" });

beforeEach(async () => {
  vi.resetAllMocks();
  m.listTeam.mockResolvedValue([dana, sam]);
  m.getMe.mockResolvedValue(dana);
  m.claimConversation.mockResolvedValue();
  m.assignConversation.mockResolvedValue();
  m.setConversationState.mockResolvedValue();
  await team.load();
});

describe("conversation actions in the thread header", () => {
  it("assigns to me, to someone else or to nobody, and tells the parent", async () => {
    const onChanged = vi.fn();
    render(Thread, { conversation: conversation({ id: 5 }), messages: [], now, onChanged });
    const user = userEvent.setup();
    await user.click(screen.getByTestId("claim-button"));
    expect(m.claimConversation).toHaveBeenCalledWith(5);
    await waitFor(() => expect(onChanged).toHaveBeenCalledTimes(1));
    await user.selectOptions(screen.getByTestId("assignee-select"), "2");
    expect(m.assignConversation).toHaveBeenCalledWith(5, 2);
    await user.selectOptions(screen.getByTestId("assignee-select"), "");
    expect(m.assignConversation).toHaveBeenLastCalledWith(5, null);
  });

  it("offers no Assign to me on my own conversation, and closes or reopens", async () => {
    const { rerender } = render(Thread, { conversation: conversation({ id: 5, assignee_id: 1 }), messages: [], now });
    const user = userEvent.setup();
    expect(screen.queryByTestId("claim-button")).toBeNull();
    expect(screen.getByTestId("assignee-select")).toHaveValue("1");
    await user.click(screen.getByTestId("state-button"));
    expect(m.setConversationState).toHaveBeenCalledWith(5, false);
    await rerender({ conversation: conversation({ id: 5, assignee_id: 1, state: "closed" }), messages: [], now });
    expect(screen.getByTestId("state-button")).toHaveTextContent("Reopen");
    await user.click(screen.getByTestId("state-button"));
    expect(m.setConversationState).toHaveBeenLastCalledWith(5, true);
  });

  it("shows a refusal with its fix", async () => {
    m.claimConversation.mockRejectedValue(
      new client.IpcFailure("no_identity", "Switchboard doesn't know who you are yet", "Choose who you are."),
    );
    render(Thread, { conversation: conversation(), messages: [], now });
    await userEvent.setup().click(screen.getByTestId("claim-button"));
    expect(await screen.findByText("Choose who you are.")).toBeInTheDocument();
  });

  it("shows notes among the messages by time, marked as never sent, with their author", () => {
    render(Thread, {
      conversation: conversation(),
      messages: [
        message({ id: 1, body: "Hi", created_at: "2024-05-01T10:00:00Z" }),
        message({ id: 2, body: "Hello", direction: "outbound", status: "delivered", created_at: "2024-05-01T10:10:00Z" }),
      ],
      notes: [note({ id: 7, author_id: 2, body: "She prefers mornings", created_at: "2024-05-01T10:05:00Z" })],
      now,
    });
    const items = screen.getByRole("log").querySelectorAll("li[data-testid]");
    expect(Array.from(items).map((li) => li.getAttribute("data-testid"))).toEqual(["message", "note", "message"]);
    const shown = screen.getByTestId("note");
    expect(shown).toHaveTextContent("She prefers mornings");
    expect(shown).toHaveTextContent("Sam Okoye");
    expect(shown).toHaveTextContent("never sent");
  });
});
