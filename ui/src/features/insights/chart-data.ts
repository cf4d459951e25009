/**
 * What the Insights screen computes from the figures: rates, labels and the local offset the
 * core needs to cut days where the person's calendar does.
 */
import type { DayRateView, InsightRowView, InsightsRequest } from "../../lib/ipc/types";

/** Failed out of sent as a percentage with one decimal; 0 when nothing was sent. */
export function ratePercent(failed: number, sent: number): number {
  return sent === 0 ? 0 : Math.round((failed / sent) * 1000) / 10;
}

/** "12.5 %", or "—" when nothing was sent. */
export function rateText(failed: number, sent: number): string {
  return sent === 0 ? "—" : `${ratePercent(failed, sent)} %`;
}

/** The request for the last `days` days in this computer's time zone. */
export function windowFor(days: number, now: Date = new Date()): InsightsRequest {
  return { days, utc_offset_minutes: -now.getTimezoneOffset() };
}

/** A day as the chart's axis says it ("Mar 3"). */
export function dayLabel(day: string): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(undefined, { month: "short", day: "numeric" });
}

/** The chart's series: failures per day and the failure rate. */
export function series(days: DayRateView[]): { labels: string[]; failed: number[]; rate: number[] } {
  return {
    labels: days.map((d) => dayLabel(d.day)),
    failed: days.map((d) => d.failed),
    rate: days.map((d) => ratePercent(d.failed, d.sent)),
  };
}

const regionNames = (() => {
  try {
    return new Intl.DisplayNames(undefined, { type: "region" });
  } catch {
    return null;
  }
})();

/** A country row's name ("Mexico"), from its ISO code. */
export function countryName(row: InsightRowView): string {
  if (!row.key) return row.label;
  try {
    return regionNames?.of(row.key) ?? row.key;
  } catch {
    return row.key;
  }
}
