import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import type { ComponentProps } from "svelte";
import { describe, expect, it, vi } from "vitest";
import { conversation } from "../../test/fixtures";
import ConversationList from "./ConversationList.svelte";

const now = new Date("2024-05-01T10:30:00Z");

function props(
  overrides: Partial<ComponentProps<typeof ConversationList>> = {},
): ComponentProps<typeof ConversationList> {
  return {
    conversations: [
      conversation({
        id: 1,
        contact_name: "Ada Lovelace",
        unread: 3,
        last_message: { body: "Is the shop open\ntomorrow?", direction: "inbound", status: "received" },
      }),
      conversation({
        id: 2,
        contact_number: "+15550000002",
        unread: 0,
        last_message: { body: "See you then", direction: "outbound", status: "failed" },
      }),
    ],
    loading: false,
    error: null,
    selectedId: null,
    now,
    onSelect: vi.fn(),
    onRetry: vi.fn(),
    ...overrides,
  };
}

describe("ConversationList", () => {
  it("shows an unsent last message as waiting while the provider is unreachable", () => {
    const pending = conversation({
      id: 3,
      last_message: { body: "On my way", direction: "outbound", status: "pending" },
    });
    const { rerender } = render(ConversationList, props({ conversations: [pending] }));
    expect(screen.getByTestId("conversation-status")).toHaveTextContent("Sending…");
    rerender(props({ conversations: [pending], offline: true }));
    expect(screen.getByTestId("conversation-status")).toHaveTextContent("Waiting…");
  });

  it("renders items with name or number, preview, unread state and outbound status", () => {
    render(ConversationList, props());
    const items = screen.getAllByTestId("conversation-item");
    expect(items).toHaveLength(2);

    const [ada, other] = items;
    expect(ada).toHaveAttribute("data-conversation-id", "1");
    expect(ada).toHaveTextContent("Ada Lovelace");
    expect(ada).toHaveClass("unread");
    expect(within(ada).getByTestId("unread-count")).toHaveTextContent("3");
    expect(within(ada).getByLabelText("3 unread messages")).toBeInTheDocument();
    expect(within(ada).getByTestId("conversation-preview")).toHaveTextContent(
      "Is the shop open tomorrow?",
    );
    // Inbound previews carry no status label.
    expect(within(ada).queryByTestId("conversation-status")).toBeNull();

    expect(other).toHaveAttribute("data-conversation-id", "2");
    expect(other).toHaveTextContent("+15550000002");
    expect(other).not.toHaveClass("unread");
    expect(within(other).queryByTestId("unread-count")).toBeNull();
    expect(within(other).getByTestId("conversation-status")).toHaveTextContent("Failed");
    expect(within(other).getByTestId("conversation-preview")).toHaveTextContent("You: See you then");
  });

  it("calls onSelect with the conversation id", async () => {
    const onSelect = vi.fn();
    render(ConversationList, props({ onSelect }));
    await userEvent.click(screen.getAllByTestId("conversation-item")[1]);
    expect(onSelect).toHaveBeenCalledWith(2);
  });

  it("marks the selected item", () => {
    render(ConversationList, props({ selectedId: 2 }));
    const [first, second] = screen.getAllByTestId("conversation-item");
    expect(second).toHaveAttribute("aria-current", "true");
    expect(first).not.toHaveAttribute("aria-current");
  });

  it("shows the empty state when there are no conversations", () => {
    render(ConversationList, props({ conversations: [] }));
    expect(
      screen.getByText("No conversations yet — start one with New conversation"),
    ).toBeInTheDocument();
  });

  it("shows a loading state", () => {
    render(ConversationList, props({ conversations: [], loading: true }));
    expect(screen.getByRole("status")).toHaveTextContent("Loading conversations…");
  });
});
