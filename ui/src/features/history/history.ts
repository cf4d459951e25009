import type { HistoryView } from "../../lib/ipc/types";

const count = new Intl.NumberFormat("en-US");

/** "Loading history since 3 Mar 2026 · 12,345 messages" */
export function historyLabel(history: HistoryView): string {
  const since = new Date(`${history.since}T00:00:00`);
  const day = Number.isNaN(since.getTime())
    ? history.since
    : since.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric" });
  const noun = history.fetched === 1 ? "message" : "messages";
  return `Loading history since ${day} · ${count.format(history.fetched)} ${noun}`;
}
