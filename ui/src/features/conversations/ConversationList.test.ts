import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import type { ComponentProps } from "svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("../../lib/ipc/client", () => import("../../test/client-mock"));

import * as client from "../../lib/ipc/client";
import type { ConversationPage, ConversationView, ListRequest } from "../../lib/ipc/types";
import { conversation } from "../../test/fixtures";
import { ROW_HEIGHT } from "../../test/setup";
import ConversationList from "./ConversationList.svelte";
import { PAGE_SIZE, PagedList, type ConversationRows } from "./paged-list.svelte";

const m = vi.mocked(client);
const now = new Date("2024-05-01T10:30:00Z");

/** Rows already in hand, as a fixed list. */
function rowsOf(conversations: ConversationView[]): ConversationRows {
  return { total: conversations.length, epoch: 0, row: (i) => conversations[i], ensure: vi.fn() };
}

function props(
  overrides: Partial<ComponentProps<typeof ConversationList>> = {},
): ComponentProps<typeof ConversationList> {
  return {
    rows: rowsOf([
      conversation({
        id: 1,
        contact_name: "Ada Lovelace",
        unread: 3,
        last_message: { body: "Is the shop open\ntomorrow?", direction: "inbound", status: "received", outside: false },
      }),
      conversation({
        id: 2,
        contact_number: "+15550000002",
        unread: 0,
        last_message: { body: "See you then", direction: "outbound", status: "failed", outside: false },
      }),
    ]),
    loading: false,
    error: null,
    selectedId: null,
    now,
    onSelect: vi.fn(),
    onRetry: vi.fn(),
    ...overrides,
  };
}

/** A backend holding `total` conversations; conversation i (from 0) has id i + 1. */
function bigInbox(total: number) {
  return async ({ offset, limit }: ListRequest): Promise<ConversationPage> => {
    const items = [];
    for (let i = offset; i < Math.min(total, offset + limit); i++) {
      items.push(conversation({ id: i + 1, contact_name: `Customer ${i + 1}` }));
    }
    return { total, items };
  };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const offsets = () => m.listConversations.mock.calls.map(([request]) => request.offset);

function scroller(): HTMLElement {
  const el = screen.getByTestId("conversation-list").querySelector<HTMLElement>(".scroller");
  if (!el) throw new Error("no scroller");
  return el;
}

/** Waits until every rendered row has been measured (virtua hides a row until then), so that
 * offsets are in real row heights rather than virtua's first guess. */
async function measured() {
  await waitFor(() => {
    const rows = Array.from(scroller().querySelectorAll<HTMLElement>("ul > li"));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((li) => li.style.visibility === "hidden")).toHaveLength(0);
  });
}

/** Scrolls the list so that row `index` is at the top, as a reader would. */
function scrollToRow(index: number) {
  const el = scroller();
  el.scrollTop = index * ROW_HEIGHT;
  el.dispatchEvent(new Event("scroll"));
}

describe("ConversationList", () => {
  it("shows an unsent last message as waiting while the provider is unreachable", async () => {
    const pending = conversation({
      id: 3,
      last_message: { body: "On my way", direction: "outbound", status: "pending", outside: false },
    });
    const { rerender } = render(ConversationList, props({ rows: rowsOf([pending]) }));
    expect(await screen.findByTestId("conversation-status")).toHaveTextContent("Sending…");
    await rerender(props({ rows: rowsOf([pending]), offline: true }));
    expect(screen.getByTestId("conversation-status")).toHaveTextContent("Waiting…");
  });

  it("renders items with name or number, preview, unread state and outbound status", async () => {
    render(ConversationList, props());
    const items = await screen.findAllByTestId("conversation-item");
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

  it("does not call a text sent from outside Switchboard yours", async () => {
    const outside = conversation({
      id: 4,
      last_message: { body: "Sent from the Console", direction: "outbound", status: "sent", outside: true },
    });
    render(ConversationList, props({ rows: rowsOf([outside]) }));
    expect(await screen.findByTestId("conversation-preview")).toHaveTextContent(/^Sent from the Console$/);
  });

  it("renders the rows as a list that tells its full size", async () => {
    render(ConversationList, props());
    const items = await screen.findAllByRole("listitem");
    expect(items.map((li) => li.getAttribute("aria-posinset"))).toEqual(["1", "2"]);
    expect(items[0]).toHaveAttribute("aria-setsize", "2");
  });

  it("calls onSelect with the conversation id", async () => {
    const onSelect = vi.fn();
    render(ConversationList, props({ onSelect }));
    await userEvent.click((await screen.findAllByTestId("conversation-item"))[1]);
    expect(onSelect).toHaveBeenCalledWith(2);
  });

  it("marks the selected item", async () => {
    render(ConversationList, props({ selectedId: 2 }));
    const [first, second] = await screen.findAllByTestId("conversation-item");
    expect(second).toHaveAttribute("aria-current", "true");
    expect(first).not.toHaveAttribute("aria-current");
  });

  it("moves focus through the rows in order with Tab", async () => {
    const user = userEvent.setup();
    render(ConversationList, props());
    const [first, second] = await screen.findAllByTestId("conversation-item");
    await user.tab();
    expect(first).toHaveFocus();
    await user.tab();
    expect(second).toHaveFocus();
  });

  it("shows the empty state when there are no conversations", () => {
    render(ConversationList, props({ rows: rowsOf([]) }));
    expect(
      screen.getByText("No conversations yet — start one with New conversation"),
    ).toBeInTheDocument();
  });

  it("shows a loading state", () => {
    render(ConversationList, props({ rows: rowsOf([]), loading: true }));
    expect(screen.getByRole("status")).toHaveTextContent("Loading conversations…");
  });
});

describe("ConversationList over a paged list", () => {
  beforeEach(() => {
    m.listConversations.mockReset();
  });

  function renderPaged(list: PagedList) {
    return render(ConversationList, props({ rows: list, loading: list.loading }));
  }

  it("renders only the rows in sight of 100,000 and fetches only the pages they are on", async () => {
    m.listConversations.mockImplementation(bigInbox(100_000));
    const list = new PagedList();
    list.setQuery("open", null);
    await list.refresh();
    expect(list.total).toBe(100_000);
    renderPaged(list);

    const items = await screen.findAllByTestId("conversation-item");
    expect(items[0]).toHaveAttribute("data-conversation-id", "1");
    expect(items.length).toBeGreaterThan(5);
    expect(items.length).toBeLessThan(50);
    expect(offsets()).toEqual([0]);
    await measured();

    // Far down: only that page is fetched, and the DOM stays as small.
    scrollToRow(50_020);
    await waitFor(() =>
      expect(screen.getByText("Customer 50021").closest("[data-testid=conversation-item]")).not.toBeNull(),
    );
    expect(offsets()).toEqual([0, 50_000]);
    const rendered = screen.getAllByTestId("conversation-item");
    expect(rendered.length).toBeLessThan(50);
    expect(screen.queryByText("Customer 1")).toBeNull();
    expect(document.querySelectorAll("[data-testid=conversation-list] li").length).toBeLessThan(50);
  });

  it("starts another view at its top", async () => {
    m.listConversations.mockImplementation(bigInbox(1_000));
    const list = new PagedList();
    list.setQuery("open", null);
    await list.refresh();
    renderPaged(list);
    await screen.findAllByTestId("conversation-item");
    await measured();
    scrollToRow(300);
    expect(await screen.findByText("Customer 301")).toBeInTheDocument();

    list.setQuery("unassigned", null);
    await list.refresh();
    expect(await screen.findByText("Customer 1")).toBeInTheDocument();
    expect(scroller().scrollTop).toBe(0);
    expect(m.listConversations).toHaveBeenLastCalledWith({ view: "unassigned", sender: null, offset: 0, limit: PAGE_SIZE });
  });

  it("shows placeholders for rows whose page has not come yet", async () => {
    m.listConversations.mockImplementation(bigInbox(1_000));
    const list = new PagedList();
    list.setQuery("open", null);
    await list.refresh();
    const later = deferred<ConversationPage>();
    m.listConversations.mockImplementationOnce(() => later.promise);
    renderPaged(list);
    await screen.findAllByTestId("conversation-item");
    await measured();

    scrollToRow(520);
    const placeholders = await screen.findAllByTestId("conversation-placeholder");
    expect(placeholders.length).toBeGreaterThan(5);
    expect(screen.queryAllByTestId("conversation-item")).toHaveLength(0);

    later.resolve(await bigInbox(1_000)({ view: "open", sender: null, offset: 500, limit: PAGE_SIZE }));
    expect(await screen.findByText("Customer 521")).toBeInTheDocument();
    expect(screen.queryAllByTestId("conversation-placeholder")).toHaveLength(0);
  });
});

describe("PagedList", () => {
  beforeEach(() => {
    m.listConversations.mockReset();
  });

  it("asks for the pages of the rows on screen, once each", async () => {
    m.listConversations.mockImplementation(bigInbox(1_000));
    const list = new PagedList();
    list.setQuery("mine", "+15559990001");
    await list.refresh();
    expect(m.listConversations).toHaveBeenCalledWith({ view: "mine", sender: "+15559990001", offset: 0, limit: PAGE_SIZE });

    list.ensure(190, 215);
    list.ensure(195, 220);
    await waitFor(() => expect(list.row(214)?.id).toBe(215));
    expect(offsets()).toEqual([0, 100, 200]);
    expect(list.row(99)?.id).toBe(100);
    expect(list.find(150)?.id).toBe(150);
  });

  it("re-fetches the cached pages on refresh, and keeps only a few pages", async () => {
    m.listConversations.mockImplementation(bigInbox(10_000));
    const list = new PagedList();
    list.setQuery("open", null);
    await list.refresh();
    for (const start of [100, 200, 300, 400, 500, 600, 700]) {
      list.ensure(start, start + 10);
      await waitFor(() => expect(list.row(start)).toBeDefined());
    }
    m.listConversations.mockClear();
    await list.refresh();
    const refetched = offsets().sort((a, b) => a - b);
    // Those nearest the rows on screen (700) stay.
    expect(refetched).toEqual([300, 400, 500, 600, 700]);
    expect(list.row(0)).toBeUndefined();
  });

  it("lets the newest refresh win when answers come back out of order", async () => {
    const first = deferred<ConversationPage>();
    const second = deferred<ConversationPage>();
    const list = new PagedList();
    list.setQuery("open", null);
    m.listConversations.mockImplementationOnce(() => first.promise).mockImplementationOnce(() => second.promise);
    const a = list.refresh();
    const b = list.refresh();
    second.resolve({ total: 1, items: [conversation({ id: 1, unread: 0 })] });
    await b;
    first.resolve({ total: 2, items: [conversation({ id: 1, unread: 5 }), conversation({ id: 2 })] });
    await a;
    expect(list.total).toBe(1);
    expect(list.row(0)?.unread).toBe(0);
  });

  it("drops answers for the previous view, keeping its rows only until the new one answers", async () => {
    const old = deferred<ConversationPage>();
    const list = new PagedList();
    list.setQuery("open", null);
    m.listConversations.mockResolvedValueOnce({ total: 1, items: [conversation({ id: 1 })] });
    await list.refresh();
    const epoch = list.epoch;

    m.listConversations.mockImplementationOnce(() => old.promise);
    const stale = list.refresh();
    list.setQuery("closed", null);
    m.listConversations.mockResolvedValueOnce({ total: 1, items: [conversation({ id: 9, state: "closed" })] });
    const fresh = list.refresh();
    // Until the closed view answers, the open view's row is still shown, marked as loading.
    expect(list.loading).toBe(true);
    expect(list.row(0)?.id).toBe(1);
    await fresh;
    expect(list.row(0)?.id).toBe(9);
    expect(list.epoch).toBe(epoch + 1);

    old.resolve({ total: 3, items: [conversation({ id: 1 }), conversation({ id: 2 }), conversation({ id: 3 })] });
    await stale;
    expect(list.total).toBe(1);
    expect(list.row(0)?.id).toBe(9);
  });

  it("keeps a failure until the next answer", async () => {
    const list = new PagedList();
    list.setQuery("open", null);
    m.listConversations.mockRejectedValueOnce(new client.IpcFailure("database", "Could not read the inbox.", "Restart Switchboard."));
    await list.refresh();
    expect(list.loading).toBe(false);
    expect(list.error?.code).toBe("database");
    m.listConversations.mockResolvedValueOnce({ total: 1, items: [conversation({ id: 1 })] });
    await list.refresh();
    expect(list.error).toBeNull();
    expect(list.row(0)?.id).toBe(1);
  });
});
