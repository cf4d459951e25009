import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("../../lib/ipc/client", () => import("../../test/client-mock"));

import * as client from "../../lib/ipc/client";
import type { CheckView, InsightsView, TriageGroupView, TriageItemView } from "../../lib/ipc/types";
import { alertHeadline, changeText } from "./alerts";
import { ratePercent, windowFor } from "./chart-data";
import InsightsOverview from "./InsightsOverview.svelte";
import TriageGroup from "./TriageGroup.svelte";

const m = vi.mocked(client);

function figures(): InsightsView {
  return {
    days: [
      { day: "2026-11-26", sent: 10, failed: 1 },
      { day: "2026-11-27", sent: 20, failed: 8 },
    ],
    sent: 30,
    failed: 9,
    by_code: [{ key: "30007", label: "30007 · Filtered as spam", sent: 30, failed: 6 }],
    by_category: [{ key: "account_owner", label: "The account owner", sent: 30, failed: 6 }],
    by_country: [
      { key: "MX", label: "MX", sent: 5, failed: 5 },
      { key: "US", label: "US", sent: 25, failed: 4 },
    ],
    by_template: [{ key: "1", label: "Promo", sent: 12, failed: 6 }],
    by_sender: [{ key: "+14155550100", label: "Downtown (+14155550100)", sent: 30, failed: 9 }],
    by_agent: [{ key: "", label: "Nobody (history, other tools)", sent: 30, failed: 9 }],
    alerts: [
      {
        code: "30007",
        title: "Filtered as spam",
        hours: 24,
        recent_failed: 8,
        recent_sent: 20,
        before_failed: 1,
        before_sent: 70,
        changes: [{ kind: "template_edited", id: 1, name: "Promo", at: new Date(Date.now() - 5 * 3_600_000).toISOString(), failures: 6 }],
      },
    ],
  };
}

function item(overrides: Partial<TriageItemView> = {}): TriageItemView {
  return {
    message_id: 1,
    conversation_id: 11,
    to: "+13125550191",
    contact_name: "Maya",
    number_mark: null,
    from: "+14155550100",
    body: "Your order is ready",
    error_code: "30005",
    failed_at: "2026-11-27T10:00:00Z",
    retry_ready_at: null,
    resend_on_its_way: false,
    ...overrides,
  };
}

function group(overrides: Partial<TriageGroupView> = {}): TriageGroupView {
  return {
    code: "30005",
    title: "Number not in service",
    reason: "The number does not exist.",
    hint: "Ask for their current number.",
    owner: "You",
    retry: "never",
    actions: [{ key: "edit_number", label: "Edit number and resend" }],
    items: [item(), item({ message_id: 2, conversation_id: 12, to: "+13125550192", contact_name: "Ben" }), item({ message_id: 3, conversation_id: 13, to: "+13125550193", contact_name: "Cleo" })],
    ...overrides,
  };
}

function check(e164: string | null, block: string | null = null): CheckView {
  return {
    findings: block ? [{ severity: "block", code: "invalid_number", message: block, fix: "Type it with its country code." }] : [],
    number: e164 ? { e164, country: "US", calling_code: 1, valid: true, kind: "mobile" } : null,
    recipient_time: null,
    text: { encoding: "GSM-7", segments: 1, characters: 10, per_segment: 160, remaining_in_segment: 150, forcing_chars: [], gsm_safe: null } as unknown as CheckView["text"],
    can_send: block === null,
    needs_confirmation: false,
  };
}

beforeEach(() => {
  vi.resetAllMocks();
  // jsdom has no canvas: the chart steps aside and its table carries the figures.
  vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue(null);
});

describe("insights words", () => {
  it("says rates, alerts and changes plainly", () => {
    expect(ratePercent(1, 3)).toBe(33.3);
    expect(ratePercent(0, 0)).toBe(0);
    const a = figures().alerts[0];
    expect(alertHeadline(a)).toBe(
      "30007 Filtered as spam: 8 of 20 messages in the last 24 hours (40 %), against 1.4 % in the 7 days before.",
    );
    expect(changeText(a.changes[0])).toBe("The template “Promo” was edited 5 hours ago; 6 of these failures were sent from it.");
    expect(windowFor(30, new Date()).days).toBe(30);
  });
});

describe("InsightsOverview", () => {
  it("shows the figures and alerts, and a row opens the messages behind it", async () => {
    m.insights.mockResolvedValue(figures());
    m.insightMessages.mockResolvedValue({
      messages: [
        { id: 5, conversation_id: 9, created_at: "2026-11-27T09:00:00Z", to: "+5215512345678", contact_name: "Lupe", from: "+14155550100", body: "Hola", status: "failed", error_code: "21408" },
      ],
      total: 1,
    });
    const onOpenConversation = vi.fn();
    render(InsightsOverview, { onOpenConversation });
    const user = userEvent.setup();
    const summary = await screen.findByTestId("insights-summary");
    expect(summary).toHaveTextContent("9 of 30 messages failed (30 %)");
    expect(m.insights.mock.calls[0][0].days).toBe(30);
    const alert = screen.getByTestId("insights-alert");
    expect(alert).toHaveTextContent("edited 5 hours ago");

    const countries = screen.getByTestId("breakdown-country");
    const rows = within(countries).getAllByTestId("breakdown-row");
    expect(rows.map((r) => r.dataset.key)).toEqual(["MX", "US"]);
    expect(rows[0]).toHaveTextContent("100 %");
    await user.click(within(rows[0]).getByRole("button"));
    await waitFor(() => expect(m.insightMessages).toHaveBeenCalled());
    expect(m.insightMessages.mock.calls[0][0]).toMatchObject({ dimension: "country", key: "MX", failed_only: true });
    await user.click(await screen.findByTestId("slice-message"));
    expect(onOpenConversation).toHaveBeenCalledWith(9, 5);

    // An alert's failures are its code's last 24 hours, not the whole period's.
    await user.click(within(alert).getByTestId("alert-show"));
    await waitFor(() => expect(m.insightMessages).toHaveBeenCalledTimes(2));
    const asked = m.insightMessages.mock.calls[1][0];
    expect(asked).toMatchObject({ dimension: "code", key: "30007", failed_only: true });
    expect(asked.window.last_hours).toBe(24);
    expect(m.insightMessages.mock.calls[0][0].window.last_hours).toBeUndefined();
    expect(screen.getByTestId("slice")).toHaveTextContent("last 24 hours");
  });

  it("says why when the figures cannot be loaded", async () => {
    m.insights.mockRejectedValue(new client.IpcFailure("invalid_field", "120 days is not a window", "Pick between 1 and 366 days."));
    render(InsightsOverview, { onOpenConversation: vi.fn() });
    expect(await screen.findByTestId("error")).toHaveAttribute("data-error-code", "invalid_field");
  });
});

describe("TriageGroup", () => {
  it("checks typed numbers live and resends only the good ones, with their E.164 form", async () => {
    m.checkMessage.mockImplementation(async (r) => (r.to === "312 555 0171" ? check("+13125550171") : check(null, "This is not a valid number.")));
    m.resendFailures.mockResolvedValue([{ message_id: 1, new_message_id: 40, error: null }]);
    const onChanged = vi.fn();
    render(TriageGroup, { group: group(), now: new Date(), onChanged, onOpenConversation: vi.fn() });
    const user = userEvent.setup();
    const inputs = screen.getAllByTestId("triage-number");
    await user.type(inputs[0], "312 555 0171");
    await user.type(inputs[1], "12");
    await screen.findByTestId("triage-number-ok");
    expect(await screen.findByTestId("triage-number-bad")).toHaveTextContent("not a valid number");
    const resend = screen.getByTestId("triage-resend-fixed");
    expect(resend).toHaveTextContent("Resend 1 fixed");
    await user.click(resend);
    expect(m.resendFailures).toHaveBeenCalledWith([{ message_id: 1, to: "+13125550171", confirmed: false }]);
    expect(await screen.findByTestId("triage-row-sent")).toBeInTheDocument();
    expect(onChanged).toHaveBeenCalled();
  });

  it("holds back a number the checks ask about until the person says send anyway", async () => {
    const asks = check("+13125550171");
    asks.findings = [{ severity: "confirm", code: "quiet_hours", message: "It is 11:40 PM for them", fix: "Send in the morning" }];
    asks.needs_confirmation = true;
    m.checkMessage.mockResolvedValue(asks);
    m.resendFailures.mockResolvedValue([{ message_id: 1, new_message_id: 40, error: null }]);
    render(TriageGroup, { group: group(), now: new Date(), onChanged: vi.fn(), onOpenConversation: vi.fn() });
    const user = userEvent.setup();
    await user.type(screen.getAllByTestId("triage-number")[0], "312 555 0171");
    expect(await screen.findByTestId("triage-number-ask")).toHaveTextContent("11:40 PM");
    const resend = screen.getByTestId("triage-resend-fixed");
    expect(resend).toHaveTextContent("Resend 0 fixed");
    await user.click(screen.getByTestId("triage-send-anyway"));
    expect(resend).toHaveTextContent("Resend 1 fixed");
    await user.click(resend);
    expect(m.resendFailures).toHaveBeenCalledWith([{ message_id: 1, to: "+13125550171", confirmed: true }]);
  });

  it("shows a failure whose resend is on its way as resent, and never resends it again", async () => {
    const pending = group({
      code: "30003",
      retry: "after_cooldown",
      actions: [
        { key: "edit_number", label: "Edit number and resend" },
        { key: "retry", label: "Retry" },
      ],
      items: [item({ message_id: 1, resend_on_its_way: true }), item({ message_id: 2 })],
    });
    m.resendFailures.mockResolvedValue([{ message_id: 2, new_message_id: 41, error: null }]);
    render(TriageGroup, { group: pending, now: new Date(), onChanged: vi.fn(), onOpenConversation: vi.fn() });
    const rows = screen.getAllByTestId("triage-row");
    expect(within(rows[0]).getByTestId("triage-row-sent")).toHaveTextContent("on its way");
    expect(within(rows[0]).queryByTestId("triage-number")).toBeNull();
    await userEvent.setup().click(screen.getByTestId("triage-retry"));
    expect(m.resendFailures).toHaveBeenCalledWith([{ message_id: 2, to: null, confirmed: false }]);
  });

  it("offers no Retry where the catalogue does not (a spam-filtered text would fail again)", () => {
    render(TriageGroup, {
      group: group({ code: "30007", retry: "after_fix", actions: [{ key: "edit_text", label: "Edit text and resend" }] }),
      now: new Date(),
      onChanged: vi.fn(),
      onOpenConversation: vi.fn(),
    });
    expect(screen.queryByTestId("triage-retry")).toBeNull();
  });

  it("dismisses the ticked failures only with a reason", async () => {
    m.dismissFailures.mockResolvedValue(1);
    render(TriageGroup, { group: group(), now: new Date(), onChanged: vi.fn(), onOpenConversation: vi.fn() });
    const user = userEvent.setup();
    await user.click(screen.getByRole("checkbox", { name: "Choose Ben" }));
    await user.click(screen.getByTestId("triage-dismiss"));
    const confirm = screen.getByTestId("triage-dismiss-confirm");
    expect(confirm).toBeDisabled();
    await user.type(screen.getByTestId("triage-dismiss-reason"), "Called him");
    await user.click(confirm);
    expect(m.dismissFailures).toHaveBeenCalledWith({ message_ids: [2], reason: "Called him" });
    expect(await screen.findByTestId("triage-note")).toHaveTextContent("1 failure dismissed.");
  });

  it("retries only what has cooled down", async () => {
    const now = new Date("2026-11-27T12:00:00Z");
    const cooling = group({
      code: "30003",
      retry: "after_cooldown",
      actions: [{ key: "retry", label: "Retry" }],
      items: [item({ message_id: 1, retry_ready_at: "2026-11-27T11:00:00Z" }), item({ message_id: 2, retry_ready_at: "2026-11-27T13:00:00Z" })],
    });
    m.resendFailures.mockResolvedValue([{ message_id: 1, new_message_id: 41, error: null }]);
    render(TriageGroup, { group: cooling, now, onChanged: vi.fn(), onOpenConversation: vi.fn() });
    const user = userEvent.setup();
    expect(screen.queryByTestId("triage-number")).toBeNull();
    await user.click(screen.getByTestId("triage-retry"));
    expect(m.resendFailures).toHaveBeenCalledWith([{ message_id: 1, to: null, confirmed: false }]);
  });
});
