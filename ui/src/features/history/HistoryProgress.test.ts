import { render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import HistoryProgress from "./HistoryProgress.svelte";
import { historyLabel } from "./history";

const loading = { since: "2026-03-03", fetched: 12345, fraction: 0.4, done: false };

describe("history progress", () => {
  it("names the day, counts the messages and fills the bar", () => {
    render(HistoryProgress, { history: loading });
    expect(screen.getByTestId("history-progress")).toHaveTextContent(
      "Loading history since 3 Mar 2026 · 12,345 messages",
    );
    expect(screen.getByTestId("history-bar")).toHaveAttribute("value", "0.4");
  });

  it("is gone once the load is done, or before it started", () => {
    const { rerender } = render(HistoryProgress, { history: { ...loading, done: true } });
    expect(screen.queryByTestId("history-progress")).toBeNull();
    rerender({ history: null });
    expect(screen.queryByTestId("history-progress")).toBeNull();
  });

  it("says message for one", () => {
    expect(historyLabel({ ...loading, fetched: 1 })).toMatch(/· 1 message$/);
  });
});
