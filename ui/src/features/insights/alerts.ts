/** An alert in words: what spiked, against what, and what changed meanwhile. */
import type { AlertView, ChangeView } from "../../lib/ipc/types";
import { rateText } from "./chart-data";

/** "30007 Filtered as spam: 30 of 100 messages in the last ${a.hours} hours (30 %), against 2 % in the 7 days before." */
export function alertHeadline(a: AlertView): string {
  const before = a.before_sent === 0 ? "nothing sent in the 7 days before" : `${rateText(a.before_failed, a.before_sent)} in the 7 days before`;
  return `${a.code} ${a.title}: ${a.recent_failed} of ${a.recent_sent} messages in the last ${a.hours} hours (${rateText(a.recent_failed, a.recent_sent)}), against ${before}.`;
}

function hoursAgo(at: string, now: Date): string {
  const hours = Math.max(0, Math.round((now.getTime() - new Date(at).getTime()) / 3_600_000));
  return hours === 0 ? "less than an hour ago" : hours === 1 ? "an hour ago" : `${hours} hours ago`;
}

/** What changed, in a sentence. */
export function changeText(c: ChangeView, now: Date = new Date()): string {
  if (c.kind === "template_edited") {
    return `The template “${c.name}” was edited ${hoursAgo(c.at, now)}; ${c.failures} of these failures were sent from it.`;
  }
  const name = c.label ? `${c.label} (${c.number})` : c.number;
  return `The sender number ${name} was added ${hoursAgo(c.at, now)}; ${c.failures} of these failures were sent from it.`;
}
