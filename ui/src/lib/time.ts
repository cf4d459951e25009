const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

function startOfDay(d: Date): number {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const weekdayFmt = new Intl.DateTimeFormat(undefined, { weekday: "short" });
const dayMonthFmt = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });
const fullDateFmt = new Intl.DateTimeFormat(undefined, {
  day: "numeric",
  month: "short",
  year: "numeric",
});
const longFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" });

/**
 * Compact relative time for lists: "now", "5 min", a clock time today,
 * "Yesterday", a weekday within the week, then a date.
 */
export function formatRelative(iso: string | null | undefined, now: Date = new Date()): string {
  const d = parse(iso);
  if (!d) return "";
  const diff = now.getTime() - d.getTime();
  if (diff < MINUTE) return "now";
  if (diff < HOUR) return `${Math.floor(diff / MINUTE)} min`;
  const days = Math.round((startOfDay(now) - startOfDay(d)) / DAY);
  if (days <= 0) return timeFmt.format(d);
  if (days === 1) return "Yesterday";
  if (days < 7) return weekdayFmt.format(d);
  if (d.getFullYear() === now.getFullYear()) return dayMonthFmt.format(d);
  return fullDateFmt.format(d);
}

/** Time shown on a message bubble: clock time today, otherwise date + time. */
export function formatMessageTime(iso: string | null | undefined, now: Date = new Date()): string {
  const d = parse(iso);
  if (!d) return "";
  if (startOfDay(d) === startOfDay(now)) return timeFmt.format(d);
  const date = d.getFullYear() === now.getFullYear() ? dayMonthFmt : fullDateFmt;
  return `${date.format(d)}, ${timeFmt.format(d)}`;
}

/** Full, unambiguous timestamp for tooltips. */
export function formatFull(iso: string | null | undefined): string {
  const d = parse(iso);
  return d ? longFmt.format(d) : "";
}
