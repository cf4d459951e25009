import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("./lib/ipc/client", () => import("./test/client-mock"));

import App from "./App.svelte";
import * as client from "./lib/ipc/client";
import type { ChangedEvent, ConnectionView, HistoryView, OpenConversationEvent } from "./lib/ipc/types";
import { appInfo, conversation, counts, member, message, page, plainCheck, settings, thread } from "./test/fixtures";

const m = vi.mocked(client);

let emitChanged: ((event: ChangedEvent) => void) | null = null;
let emitConnection: ((event: ConnectionView) => void) | null = null;
let emitHistory: ((event: HistoryView) => void) | null = null;
let emitOpen: ((event: OpenConversationEvent) => void) | null = null;

const conversations = [
  conversation({ id: 1, contact_name: "Ada", unread: 2 }),
  conversation({
    id: 2,
    contact_number: "+15550000002",
    last_message: { body: "Sent it", direction: "outbound", status: "delivered", outside: false },
  }),
];

beforeEach(() => {
  emitChanged = null;
  m.appInfo.mockResolvedValue(appInfo({ demo: true }));
  // A tiny fake backend: mark_read really clears the unread count.
  let store = conversations.map((c) => ({ ...c }));
  m.listConversations.mockImplementation(async () => page(store.map((c) => ({ ...c }))));
  m.viewCounts.mockImplementation(async () =>
    counts({ open: store.length, unread: store.reduce((sum, c) => sum + c.unread, 0) }),
  );
  m.listTeam.mockResolvedValue([member()]);
  m.getMe.mockResolvedValue(member());
  m.markRead.mockImplementation(async (id) => {
    store = store.map((c) => (c.id === id ? { ...c, unread: 0 } : c));
  });
  m.getThread.mockImplementation(async (id) =>
    thread({ id, contact_name: id === 1 ? "Ada" : null }, [
      message({ id: id * 10, conversation_id: id, body: `Hello from ${id}` }),
    ]),
  );
  m.listSenders.mockResolvedValue([{ number: "+15559990000", label: "Front desk" }]);
  m.getSettings.mockResolvedValue(settings());
  m.setWindowTitle.mockResolvedValue();
  m.connectionStatus.mockResolvedValue({ online: true });
  m.checkMessage.mockImplementation(plainCheck);
  m.historyStatus.mockResolvedValue(null);
  m.onHistoryProgress.mockImplementation(async (handler) => {
    emitHistory = handler;
    return () => {
      emitHistory = null;
    };
  });
  m.onConnectionChanged.mockImplementation(async (handler) => {
    emitConnection = handler;
    return () => {
      emitConnection = null;
    };
  });
  m.onOpenConversation.mockImplementation(async (handler) => {
    emitOpen = handler;
    return () => {
      emitOpen = null;
    };
  });
  m.onConversationsChanged.mockImplementation(async (handler) => {
    emitChanged = handler;
    return () => {
      emitChanged = null;
    };
  });
});

describe("App", () => {
  it("shows the history load's progress above the list and refreshes the list per page", async () => {
    m.historyStatus.mockResolvedValue({ since: "2026-01-01", fetched: 0, fraction: 0, done: false });
    render(App);
    const panel = await screen.findByTestId("history-progress");
    expect(panel).toHaveTextContent("0 messages");
    const listed = m.listConversations.mock.calls.length;
    emitHistory?.({ since: "2026-01-01", fetched: 1000, fraction: 0.5, done: false });
    await waitFor(() => expect(panel).toHaveTextContent("1,000 messages"));
    expect(m.listConversations.mock.calls.length).toBeGreaterThan(listed);
    emitHistory?.({ since: "2026-01-01", fetched: 1500, fraction: 1, done: true });
    await waitFor(() => expect(screen.queryByTestId("history-progress")).toBeNull());
  });

  it("says when the provider cannot be reached and marks unsent messages as waiting", async () => {
    m.getThread.mockImplementation(async (id) =>
      thread({ id, contact_name: "Ada" }, [
        message({ id: 5, conversation_id: id, direction: "outbound", status: "pending", sid: null }),
        message({ id: 6, conversation_id: id, direction: "outbound", status: "delivered" }),
      ]),
    );
    const user = userEvent.setup();
    render(App);
    await user.click((await screen.findAllByTestId("conversation-item"))[0]);
    await screen.findAllByTestId("message");
    expect(screen.queryByTestId("offline-banner")).toBeNull();
    const statuses = () => screen.getAllByTestId("message-status").map((s) => s.textContent);
    expect(statuses()).toEqual(["Sending…", "Delivered"]);

    emitConnection?.({ online: false });
    expect(await screen.findByTestId("offline-banner")).toHaveTextContent(/cannot be reached/);
    await waitFor(() => expect(statuses()).toEqual(["Waiting for connection", "Delivered"]));

    emitConnection?.({ online: true });
    await waitFor(() => expect(screen.queryByTestId("offline-banner")).toBeNull());
    expect(statuses()).toEqual(["Sending…", "Delivered"]);
  });

  it("shows the Demo badge in demo mode, with an explanation", async () => {
    render(App);
    const badge = await screen.findByTestId("demo-badge");
    expect(badge).toHaveTextContent(/^Demo$/);
    expect(badge.getAttribute("title")).toMatch(/simulator/);
    expect(badge.getAttribute("title")).toMatch(/Settings/);
  });

  it("hides the Demo badge when connected to a real account", async () => {
    m.appInfo.mockResolvedValue(appInfo({ demo: false }));
    render(App);
    await waitFor(() => expect(m.appInfo).toHaveBeenCalled());
    await screen.findAllByTestId("conversation-item");
    expect(screen.queryByTestId("demo-badge")).toBeNull();
  });

  it("explains why the inbox is not connected and offers Settings", async () => {
    m.appInfo.mockResolvedValue(
      appInfo({
        demo: false,
        problem: {
          code: "missing_secret",
          message: "the account's secret is not in the keyring",
          hint: "Enter the Auth Token (or API key secret) again in Settings.",
        },
      }),
    );
    render(App);
    const banner = await screen.findByTestId("startup-problem");
    expect(within(banner).getByRole("alert")).toHaveAttribute("data-error-code", "missing_secret");
    expect(banner).toHaveTextContent("Enter the Auth Token");
    await userEvent.click(within(banner).getByRole("button", { name: "Open Settings" }));
    expect(await screen.findByTestId("settings")).toBeInTheDocument();
  });

  it("puts the unread count in the window title", async () => {
    render(App);
    await waitFor(() => expect(m.setWindowTitle).toHaveBeenLastCalledWith("Switchboard (2 unread)"));
  });

  it("lists conversations and asks to pick one", async () => {
    render(App);
    expect(await screen.findAllByTestId("conversation-item")).toHaveLength(2);
    expect(screen.getByText("Pick a conversation")).toBeInTheDocument();
  });

  it("switches views and locations, with each view's count, and titles the window with unread", async () => {
    m.listSenders.mockResolvedValue([
      { number: "+15559990000", label: "Front desk" },
      { number: "+15559990001", label: "Harbor" },
    ]);
    render(App);
    const user = userEvent.setup();
    await screen.findAllByTestId("conversation-item");
    await waitFor(() => expect(m.setWindowTitle).toHaveBeenLastCalledWith("Switchboard (2 unread)"));
    expect(screen.getByTestId("view-open")).toHaveAttribute("data-count", "2");
    m.listConversations.mockResolvedValue(page([]));
    await user.click(screen.getByTestId("view-mine"));
    expect(m.listConversations).toHaveBeenLastCalledWith({ view: "mine", sender: null, offset: 0, limit: 100 });
    expect(screen.getByTestId("view-mine")).toHaveAttribute("aria-selected", "true");
    expect(await screen.findByText(/Nothing assigned to you/)).toBeInTheDocument();
    await user.selectOptions(await screen.findByTestId("sender-filter"), "+15559990001");
    expect(m.listConversations).toHaveBeenLastCalledWith({ view: "mine", sender: "+15559990001", offset: 0, limit: 100 });
    expect(m.viewCounts).toHaveBeenLastCalledWith("+15559990001");
  });

  it("moves with j and k, opens with Enter, and opens the dialogs from the keyboard", async () => {
    render(App);
    const user = userEvent.setup();
    await screen.findAllByTestId("conversation-item");
    await user.keyboard("jj");
    const items = screen.getAllByTestId("conversation-item");
    expect(items[1]).toHaveAttribute("data-cursor", "true");
    await user.keyboard("k");
    expect(items[0]).toHaveAttribute("data-cursor", "true");
    await user.keyboard("j{Enter}");
    await waitFor(() => expect(m.getThread).toHaveBeenCalledWith(2));
    await user.keyboard("?");
    expect(await screen.findByTestId("shortcuts-help")).toBeInTheDocument();
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByTestId("shortcuts-help")).toBeNull());
    await user.keyboard("{Control>}k{/Control}");
    expect(await screen.findByTestId("search-dialog")).toBeInTheDocument();
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByTestId("search-dialog")).toBeNull());
    await user.keyboard("c");
    expect(await screen.findByTestId("new-to")).toBeInTheDocument();
  });

  it("jumps to the next failed message with f", async () => {
    m.nextFailed.mockResolvedValue({ conversation_id: 2, message_id: 20 });
    render(App);
    const user = userEvent.setup();
    await screen.findAllByTestId("conversation-item");
    await user.keyboard("f");
    expect(m.nextFailed).toHaveBeenCalledWith(null);
    await waitFor(() => expect(m.getThread).toHaveBeenCalledWith(2));
    const bubble = await screen.findByText("Hello from 2", { selector: "[data-testid=message-body]" });
    expect(bubble.closest("[data-testid=message]")).toHaveAttribute("data-highlighted", "true");
    await user.keyboard("f");
    expect(m.nextFailed).toHaveBeenLastCalledWith(20);
  });

  it("asks who you are when connected to an account and nobody is chosen", async () => {
    m.appInfo.mockResolvedValue(appInfo({ demo: false }));
    m.getMe.mockResolvedValue(null);
    render(App);
    expect(await screen.findByTestId("who-are-you")).toBeInTheDocument();
  });

  it("shows the empty state when there are no conversations", async () => {
    m.listConversations.mockResolvedValue(page([]));
    render(App);
    expect(
      await screen.findByText("No open conversations — start one with New conversation"),
    ).toBeInTheDocument();
  });

  it("opens the thread and marks it read on selection", async () => {
    render(App);
    const user = userEvent.setup();
    const [ada] = await screen.findAllByTestId("conversation-item");
    expect(within(ada).getByTestId("unread-count")).toHaveTextContent("2");

    await user.click(ada);

    expect(m.markRead).toHaveBeenCalledWith(1);
    expect(m.getThread).toHaveBeenCalledWith(1);
    const threadEl = await screen.findByTestId("thread");
    expect(threadEl).toHaveAttribute("data-conversation-id", "1");
    expect(within(threadEl).getByTestId("message-body")).toHaveTextContent("Hello from 1");
    expect(ada).toHaveAttribute("aria-current", "true");
    expect(within(ada).queryByTestId("unread-count")).toBeNull();
    expect(screen.getByTestId("composer-input")).toBeInTheDocument();
  });

  it("opens the conversation of a clicked desktop notification", async () => {
    render(App);
    await screen.findAllByTestId("conversation-item");
    await waitFor(() => expect(emitOpen).not.toBeNull());
    emitOpen?.({ conversation_id: 2 });
    const threadEl = await screen.findByTestId("thread");
    expect(threadEl).toHaveAttribute("data-conversation-id", "2");
    expect(m.getThread).toHaveBeenCalledWith(2);
  });

  it("re-fetches the list and the open thread on conversations-changed", async () => {
    render(App);
    const user = userEvent.setup();
    await user.click((await screen.findAllByTestId("conversation-item"))[1]);
    await screen.findByText("Hello from 2");
    await waitFor(() => expect(emitChanged).not.toBeNull());

    m.getThread.mockResolvedValue(
      thread({ id: 2 }, [
        message({ id: 20, conversation_id: 2, body: "Hello from 2" }),
        message({ id: 21, conversation_id: 2, direction: "outbound", status: "delivered", body: "Newer" }),
      ]),
    );
    const listCalls = m.listConversations.mock.calls.length;
    emitChanged?.({ conversation_ids: [2] });

    expect(await screen.findByText("Newer")).toBeInTheDocument();
    expect(m.listConversations.mock.calls.length).toBeGreaterThan(listCalls);
  });

  it("sends from the composer and shows the new message", async () => {
    m.sendMessage.mockResolvedValue(
      message({ id: 99, conversation_id: 2, direction: "outbound", status: "queued", body: "Thanks!" }),
    );
    render(App);
    const user = userEvent.setup();
    await user.click((await screen.findAllByTestId("conversation-item"))[1]);
    await screen.findByTestId("thread");
    m.getThread.mockResolvedValue(
      thread({ id: 2 }, [
        message({ id: 20, conversation_id: 2, body: "Hello from 2" }),
        message({ id: 99, conversation_id: 2, direction: "outbound", status: "queued", body: "Thanks!" }),
      ]),
    );
    await user.type(screen.getByTestId("composer-input"), "Thanks!");
    await user.keyboard("{Control>}{Enter}{/Control}");

    await waitFor(() =>
      expect(m.sendMessage).toHaveBeenCalledWith({
        conversation_id: 2,
        to: null,
        from: null,
        body: "Thanks!",
        confirmed: false,
        template_id: null,
      }),
    );
    const bubble = await screen.findByText("Thanks!", { selector: "[data-testid=message-body]" });
    expect(bubble.closest("[data-testid=message]")).toHaveAttribute("data-status", "queued");
    expect(screen.getByTestId("composer-input")).toHaveValue("");
  });

  it("starts a new conversation and selects it", async () => {
    const created = message({ id: 300, conversation_id: 3, direction: "outbound", status: "queued", body: "Welcome" });
    m.sendMessage.mockResolvedValue(created);
    render(App);
    const user = userEvent.setup();
    await user.click(screen.getByTestId("new-conversation-button"));
    await waitFor(() => expect(screen.getByTestId("new-from")).toHaveValue("+15559990000"));
    m.listConversations.mockResolvedValue(page([conversation({ id: 3, contact_number: "+15551112222" }), ...conversations]));
    m.getThread.mockResolvedValue(thread({ id: 3, contact_number: "+15551112222" }, [created]));

    await user.type(screen.getByTestId("new-to"), "+15551112222");
    await user.type(screen.getByTestId("new-body"), "Welcome");
    await user.click(screen.getByTestId("new-send"));

    await waitFor(() =>
      expect(m.sendMessage).toHaveBeenCalledWith({
        conversation_id: null,
        to: "+15551112222",
        from: "+15559990000",
        body: "Welcome",
        confirmed: false,
      }),
    );
    const threadEl = await screen.findByTestId("thread");
    expect(threadEl).toHaveAttribute("data-conversation-id", "3");
    expect(m.markRead).toHaveBeenCalledWith(3);
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("opens Settings in place of the inbox and returns", async () => {
    render(App);
    const user = userEvent.setup();
    await user.click(screen.getByTestId("settings-button"));
    expect(await screen.findByRole("heading", { name: "Settings" })).toBeInTheDocument();
    expect(screen.queryByTestId("conversation-list")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Back to inbox" }));
    expect(screen.getByTestId("conversation-list")).toBeInTheDocument();
  });

  it("shows a failed list load with a retry", async () => {
    m.listConversations.mockRejectedValueOnce(
      new client.IpcFailure("database", "Could not read the inbox.", "Restart Switchboard."),
    );
    render(App);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not read the inbox.");
    expect(alert).toHaveTextContent("Restart Switchboard.");
    await userEvent.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findAllByTestId("conversation-item")).toHaveLength(2);
  });

  it("marks a message that arrives in the open thread as read", async () => {
    render(App);
    const user = userEvent.setup();
    await user.click((await screen.findAllByTestId("conversation-item"))[1]);
    await screen.findByText("Hello from 2");
    await waitFor(() => expect(emitChanged).not.toBeNull());
    m.markRead.mockClear();

    m.getThread.mockResolvedValue(
      thread({ id: 2, unread: 1 }, [
        message({ id: 20, conversation_id: 2, body: "Hello from 2" }),
        message({ id: 25, conversation_id: 2, body: "Just arrived" }),
      ]),
    );
    emitChanged?.({ conversation_ids: [2] });
    await screen.findByText("Just arrived");
    await waitFor(() => expect(m.markRead).toHaveBeenCalledWith(2));

    // The same unread message does not trigger another mark_read.
    m.markRead.mockClear();
    const threadCalls = m.getThread.mock.calls.length;
    emitChanged?.({ conversation_ids: [2] });
    await waitFor(() => expect(m.getThread.mock.calls.length).toBe(threadCalls + 1));
    await new Promise((r) => setTimeout(r, 20));
    expect(m.markRead).not.toHaveBeenCalled();
  });

  it("ignores a slow thread response after another conversation was picked", async () => {
    let releaseFirst!: () => void;
    m.getThread.mockImplementation((id) => {
      const t = thread({ id }, [message({ id: id * 10, conversation_id: id, body: `Hello from ${id}` })]);
      if (id === 1) return new Promise((r) => (releaseFirst = () => r(t)));
      return Promise.resolve(t);
    });
    render(App);
    const user = userEvent.setup();
    const [first, second] = await screen.findAllByTestId("conversation-item");
    await user.click(first);
    await user.click(second);
    await screen.findByText("Hello from 2");
    releaseFirst();
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.getByTestId("thread")).toHaveAttribute("data-conversation-id", "2");
    expect(screen.queryByText("Hello from 1")).toBeNull();
  });
});
