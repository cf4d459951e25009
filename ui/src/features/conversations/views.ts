import type { ListView, ViewCountsView } from "../../lib/ipc/types";

/** The list's views, in the order the tabs show them. */
export const VIEWS: { view: ListView; label: string; key: keyof ViewCountsView }[] = [
  { view: "open", label: "All open", key: "open" },
  { view: "mine", label: "Mine", key: "mine" },
  { view: "unassigned", label: "Unassigned", key: "unassigned" },
  { view: "failed", label: "Failed", key: "failed" },
  { view: "opted_out", label: "Opted out", key: "opted_out" },
  { view: "closed", label: "Closed", key: "closed" },
];

/** What an empty view says. */
export function emptyText(view: ListView): string {
  switch (view) {
    case "open":
      return "No open conversations — start one with New conversation";
    case "mine":
      return "Nothing assigned to you. Open a conversation and choose Assign to me";
    case "unassigned":
      return "Every open conversation has someone on it";
    case "failed":
      return "No failures waiting for a fix";
    case "opted_out":
      return "Nobody has opted out";
    case "closed":
      return "No closed conversations";
  }
}
