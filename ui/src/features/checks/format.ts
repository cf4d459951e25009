import type { FindingView, NumberView, TextView } from "../../lib/ipc/types";

/** "GSM-7 · 2 segments · 148/153" — the encoding, the segments, and how full the last one is. */
export function describeText(text: TextView): string {
  const segments = `${text.segments} ${text.segments === 1 ? "segment" : "segments"}`;
  if (text.segments === 0) return `${text.encoding} · 0 segments`;
  return `${text.encoding} · ${segments} · ${text.last_segment_units}/${text.segment_capacity}`;
}

/** "12 characters" */
export function describeChars(text: TextView): string {
  return `${text.chars} ${text.chars === 1 ? "character" : "characters"}`;
}

const regionNames = (() => {
  try {
    return new Intl.DisplayNames(["en"], { type: "region" });
  } catch {
    return null;
  }
})();

const KINDS: Record<string, string> = {
  mobile: "mobile",
  fixed_line: "landline",
  fixed_line_or_mobile: "mobile or landline",
  toll_free: "toll-free",
  special: "special service",
  voip: "internet phone",
  other: "other",
};

/** "United Kingdom (+44) · mobile" */
export function describeNumber(number: NumberView): string {
  const country = number.country
    ? (regionNames?.of(number.country) ?? number.country)
    : "Unknown country";
  const kind = number.kind ? ` · ${KINDS[number.kind] ?? number.kind}` : "";
  return `${number.e164} → ${country} (+${number.calling_code})${kind}`;
}

/** The findings that ask for "send anyway". */
export function confirmations(findings: FindingView[]): FindingView[] {
  return findings.filter((f) => f.severity === "confirm");
}

/** The GSM-safe rewrite's saving, in words: "saves 1 segment", or "stays 2 segments". */
export function describeSaving(text: TextView): string | null {
  if (!text.gsm_safe) return null;
  const saved = text.segments - text.gsm_safe.segments;
  if (saved > 0) return `saves ${saved} ${saved === 1 ? "segment" : "segments"}`;
  return "plain GSM-7, same segments";
}

/** The body split into plain runs and the characters that force UCS-2, for highlighting. */
export function culpritRuns(body: string, text: TextView): { text: string; culprit: boolean }[] {
  const runs: { text: string; culprit: boolean }[] = [];
  let at = 0;
  for (const f of text.forcing) {
    if (f.utf16_offset < at || f.utf16_offset > body.length) continue;
    if (f.utf16_offset > at) runs.push({ text: body.slice(at, f.utf16_offset), culprit: false });
    runs.push({ text: body.slice(f.utf16_offset, f.utf16_offset + f.utf16_len), culprit: true });
    at = f.utf16_offset + f.utf16_len;
  }
  if (at < body.length) runs.push({ text: body.slice(at), culprit: false });
  return runs;
}
