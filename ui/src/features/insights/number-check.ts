/**
 * A number typed into the triage table, checked by the core as it is typed: the same checks
 * as any send, so a fix that would fail again is caught before Resend.
 */
import { checkMessage, IpcFailure } from "../../lib/ipc/client";
import type { TriageItemView } from "../../lib/ipc/types";

/** What the table shows beside a typed number. */
export type NumberCheck =
  | { state: "checking" }
  | { state: "ok"; e164: string; note: string }
  /** Sendable, but the checks ask first (quiet hours, a marked number): "Send anyway". */
  | { state: "ask"; e164: string; note: string }
  | { state: "bad"; message: string; fix: string };

/** Checks `typed` as the new number of a failed message. */
export async function checkNumber(item: TriageItemView, typed: string): Promise<NumberCheck> {
  try {
    const check = await checkMessage({ conversation_id: null, to: typed, from: item.from, body: item.body, confirmed: false });
    const block = check.findings.find((f) => f.severity === "block");
    if (block) return { state: "bad", message: block.message, fix: block.fix };
    if (!check.number) return { state: "bad", message: "This is not a phone number.", fix: "Type the number with its country code." };
    if (check.number.e164 === item.to) {
      return { state: "bad", message: "This is the number that failed.", fix: "Type the customer's new number." };
    }
    const ask = check.findings.find((f) => f.severity === "confirm");
    if (ask) return { state: "ask", e164: check.number.e164, note: ask.message };
    const place = [check.number.country, check.number.kind?.replaceAll("_", " ")].filter(Boolean).join(" ");
    return { state: "ok", e164: check.number.e164, note: place };
  } catch (e) {
    const failure = IpcFailure.from(e);
    return { state: "bad", message: failure.message, fix: failure.hint };
  }
}
