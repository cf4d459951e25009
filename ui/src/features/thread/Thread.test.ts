import { render, screen, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { conversation, failure as failureView, message } from "../../test/fixtures";
import Thread from "./Thread.svelte";

const now = new Date("2024-05-01T12:00:00Z");

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

  it("shows an empty note for a thread without messages", () => {
    render(Thread, { conversation: conversation(), messages: [], now });
    expect(screen.getByText("No messages yet.")).toBeInTheDocument();
  });
});
