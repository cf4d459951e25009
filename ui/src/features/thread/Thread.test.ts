import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

vi.mock("../../lib/ipc/client", () => import("../../test/client-mock"));

import type { MessageView } from "../../lib/ipc/types";
import { conversation, failure as failureView, message, note } from "../../test/fixtures";
import { ROW_HEIGHT, VIEWPORT_HEIGHT } from "../../test/setup";
import Thread from "./Thread.svelte";

const now = new Date("2024-05-01T12:00:00Z");

/** `count` messages a minute apart, alternating direction, ids from 1. */
function history(count: number): MessageView[] {
  const start = Date.parse("2024-01-01T00:00:00Z");
  return Array.from({ length: count }, (_, i) =>
    message({
      id: i + 1,
      direction: i % 2 === 0 ? "inbound" : "outbound",
      status: i % 2 === 0 ? "received" : "delivered",
      body: `Message ${i + 1}`,
      created_at: new Date(start + i * 60_000).toISOString(),
    }),
  );
}

const log = () => screen.getByRole("log");
// Where the scroller rests with the newest row at the bottom: the list's top margin (16),
// every row above, the last row, less the viewport.
const bottom = (rows: number) => 16 + rows * ROW_HEIGHT - VIEWPORT_HEIGHT;

describe("Thread", () => {
  it("renders inbound and outbound bubbles with direction, status and label", () => {
    render(Thread, {
      conversation: conversation({ contact_name: "Ada" }),
      messages: [
        message({ id: 1, direction: "inbound", status: "received", body: "Hi!" }),
        message({ id: 2, direction: "outbound", status: "delivered", body: "Hello Ada" }),
        message({ id: 3, direction: "outbound", status: "pending", body: "One more" }),
      ],
      now,
    });
    const bubbles = screen.getAllByTestId("message");
    expect(bubbles.map((b) => b.dataset.direction)).toEqual(["inbound", "outbound", "outbound"]);
    expect(bubbles.map((b) => b.dataset.status)).toEqual(["received", "delivered", "pending"]);
    expect(bubbles[0]).toHaveClass("inbound");
    expect(bubbles[1]).toHaveClass("outbound");

    expect(within(bubbles[0]).queryByTestId("message-status")).toBeNull();
    expect(within(bubbles[1]).getByTestId("message-status")).toHaveTextContent("Delivered");
    expect(within(bubbles[2]).getByTestId("message-status")).toHaveTextContent("Sending…");
    expect(screen.getByRole("heading", { name: "Ada" })).toBeInTheDocument();
  });

  it("shows a failed message's code and reason as text", () => {
    render(Thread, {
      conversation: conversation(),
      messages: [
        message({
          id: 9,
          direction: "outbound",
          status: "failed",
          body: "Your order is ready",
          failure: failureView({
            code: "21211",
            title: "Invalid phone number",
            reason: "The 'To' number is not a valid phone number.",
            provider_message: "The 'To' number +1555 is not a valid phone number.",
          }),
        }),
      ],
      now,
    });
    const failure = screen.getByTestId("message-failure");
    expect(failure).toHaveTextContent(
      "Failed · 21211 — The 'To' number is not a valid phone number.",
    );
    expect(within(failure).getByText("Invalid phone number").tagName).toBe("STRONG");
    expect(failure).toHaveTextContent("+1555 is not a valid phone number");
    expect(screen.getByTestId("message-status")).toHaveTextContent("Failed");
  });

  it("shows a send being checked with the provider as news, not as a failure", () => {
    render(Thread, {
      conversation: conversation(),
      messages: [
        message({
          id: 11,
          direction: "outbound",
          status: "pending",
          body: "Did it go?",
          failure: failureView({
            code: "provider_no_answer",
            title: "Checking with the provider",
            reason: "The request went out but no answer came back, so it may have been sent.",
            provider_message: null,
            retry: "automatic",
            actions: [{ key: "check_now", label: "Check now" }],
          }),
        }),
      ],
      now,
    });
    const bubble = screen.getByTestId("message");
    expect(bubble).not.toHaveClass("failed");
    expect(within(bubble).getByTestId("message-failure")).toHaveClass("checking");
    expect(within(bubble).getByTestId("message-status")).toHaveTextContent("Checking with provider");
  });

  it("labels undelivered messages as Not delivered in the failure line", () => {
    render(Thread, {
      conversation: conversation(),
      messages: [
        message({
          direction: "outbound",
          status: "undelivered",
          failure: failureView({
            code: "30003",
            title: "Unreachable handset",
            reason: "The phone is off.",
            retry: "after_cooldown",
            retry_after: "2024-05-01T12:00:00Z",
            actions: [{ key: "retry", label: "Retry" }],
          }),
        }),
      ],
      now,
    });
    expect(screen.getByTestId("message-failure")).toHaveTextContent(
      "Not delivered · 30003 — The phone is off.",
    );
  });

  it("shows a failure line even without failure details", () => {
    render(Thread, {
      conversation: conversation(),
      messages: [message({ direction: "outbound", status: "failed", failure: null })],
      now,
    });
    expect(screen.getByTestId("message-failure")).toHaveTextContent("Failed");
  });

  it("renders message bodies as literal text, never HTML", () => {
    const body = "<img src=x onerror=alert(1)>";
    const { container } = render(Thread, {
      conversation: conversation(),
      messages: [message({ body }), message({ id: 2, body: "<b>bold</b>\nsecond line" })],
      now,
    });
    const bodies = screen.getAllByTestId("message-body");
    expect(bodies[0].textContent).toBe(body);
    expect(bodies[1].textContent).toBe("<b>bold</b>\nsecond line");
    expect(container.querySelector("img")).toBeNull();
    expect(container.querySelector("b")).toBeNull();
  });

  it("renders only the rows in sight of a 10,000-message thread, opened at the newest", async () => {
    render(Thread, { conversation: conversation(), messages: history(10_000), now });
    expect(await screen.findByText("Message 10000")).toBeInTheDocument();
    await waitFor(() => expect(log().scrollTop).toBe(bottom(10_000)));
    await waitFor(() => expect(screen.getByText("Message 9995")).toBeInTheDocument());
    const shown = screen.getAllByTestId("message");
    expect(shown.length).toBeLessThan(60);
    expect(screen.queryByText("Message 1")).toBeNull();
    // In order, oldest first, ending with the newest.
    const ids = shown.map((el) => Number(el.dataset.messageId));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids.at(-1)).toBe(10_000);
  });

  it("renders older rows when the reader scrolls up", async () => {
    render(Thread, { conversation: conversation(), messages: history(10_000), now });
    await waitFor(() => expect(log().scrollTop).toBe(bottom(10_000)));
    log().scrollTop = 16 + 4_999 * ROW_HEIGHT;
    log().dispatchEvent(new Event("scroll"));
    expect(await screen.findByText("Message 5000")).toBeInTheDocument();
    expect(screen.getAllByTestId("message").length).toBeLessThan(60);
  });

  it("scrolls to the newest on a new message or note, but keeps the reader's place on refreshes", async () => {
    const messages = history(200);
    const { rerender } = render(Thread, { conversation: conversation(), messages, now });
    await waitFor(() => expect(log().scrollTop).toBe(bottom(200)));

    // The reader scrolls up; a status update must not pull them down. (virtua keeps re-aiming at
    // the bottom until 150 ms after the last row measurement, so the reader comes after that.)
    await new Promise((r) => setTimeout(r, 300));
    log().scrollTop = 600;
    log().dispatchEvent(new Event("scroll"));
    const updated = messages.map((m) => (m.id === 200 ? { ...m, status: "failed" as const } : m));
    await rerender({ conversation: conversation(), messages: updated, now });
    await new Promise((r) => setTimeout(r, 200));
    expect(log().scrollTop).toBe(600);

    const arrived = message({ id: 201, body: "Just arrived", created_at: "2024-06-01T00:00:00Z" });
    await rerender({ conversation: conversation(), messages: [...updated, arrived], now });
    await waitFor(() => expect(log().scrollTop).toBe(bottom(201)));
    expect(await screen.findByText("Just arrived")).toBeInTheDocument();

    await rerender({
      conversation: conversation(),
      messages: [...updated, arrived],
      notes: [note({ id: 3, body: "Called back", created_at: "2024-06-02T00:00:00Z" })],
      now,
    });
    await waitFor(() => expect(log().scrollTop).toBe(bottom(202)));
    expect(screen.getByTestId("note")).toHaveTextContent("Called back");
  });

  it("keeps a fix being written while its message is scrolled far out of sight and back", async () => {
    const messages = history(300);
    messages[99] = { ...messages[99], direction: "outbound", status: "failed", failure: failureView() };
    render(Thread, { conversation: conversation(), messages, now });
    await waitFor(() => expect(log().scrollTop).toBe(bottom(300)));
    await new Promise((r) => setTimeout(r, 300));
    const toFailure = () => {
      log().scrollTop = 16 + 95 * ROW_HEIGHT;
      log().dispatchEvent(new Event("scroll"));
    };
    toFailure();
    // virtua turns pointer events off while a scroll settles; a person would wait for it.
    const user = userEvent.setup({ pointerEventsCheck: 0 });
    await user.click(await screen.findByTestId("action-edit-number"));
    const field = screen.getByTestId("fix-number");
    await user.clear(field);
    await user.type(field, "+13125550177");

    // To the newest and back: the rows between are gone, the fix is not.
    log().scrollTop = bottom(300);
    log().dispatchEvent(new Event("scroll"));
    await waitFor(() => expect(screen.queryByText("Message 101")).toBeNull());
    toFailure();
    expect(await screen.findByText("Message 101")).toBeInTheDocument();
    expect(screen.getByTestId("fix-number")).toHaveValue("+13125550177");
  });

  it("opens another conversation at its newest message", async () => {
    const { rerender } = render(Thread, { conversation: conversation({ id: 1 }), messages: history(300), now });
    await waitFor(() => expect(log().scrollTop).toBe(bottom(300)));
    log().scrollTop = 0;
    log().dispatchEvent(new Event("scroll"));
    await rerender({ conversation: conversation({ id: 2 }), messages: history(50), now });
    await waitFor(() => expect(log().scrollTop).toBe(bottom(50)));
    expect(screen.getByText("Message 50")).toBeInTheDocument();
  });

  it("shows an empty note for a thread without messages", () => {
    render(Thread, { conversation: conversation(), messages: [], now });
    expect(screen.getByText("No messages yet.")).toBeInTheDocument();
  });
});
