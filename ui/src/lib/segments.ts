import type { Encoding } from "./ipc/types";

// GSM 03.38 basic character set (ESC excluded: it is not typeable text).
const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
// GSM 03.38 extension table: each costs two septets (ESC + char).
const GSM_EXTENSION = "\f^{}\\[~]|€";

const basic = new Set(GSM_BASIC);
const extension = new Set(GSM_EXTENSION);

export const GSM_SINGLE = 160;
export const GSM_MULTI = 153;
export const UCS2_SINGLE = 70;
export const UCS2_MULTI = 67;

export type SegmentEstimate = {
  encoding: Encoding;
  /** User-perceived characters (code points). */
  characters: number;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  segments: number;
  /** Units left before another segment is needed. */
  remaining: number;
};

/**
 * Counts the parts of a multi-part message: units are packed into parts of `part` capacity and
 * a unit (an escaped GSM character, a UTF-16 surrogate pair) is never split across two parts.
 * Same rule as the core's `text::analyse`, which decides what is stored.
 */
function pack(costs: number[], part: number): number {
  let parts = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > part) {
      parts += 1;
      used = 0;
    }
    used += cost;
  }
  return parts;
}

/**
 * Client-side estimate of how an SMS body will be split: UCS-2 if any character is outside the
 * GSM-7 basic + extension set; GSM-7 fits 160 septets in one segment, 153 per part otherwise;
 * UCS-2 fits 70 code units, 67 per part otherwise.
 */
export function estimateSegments(body: string): SegmentEstimate {
  let gsm = true;
  const gsmCosts: number[] = [];
  const ucsCosts: number[] = [];
  for (const ch of body) {
    ucsCosts.push(ch.length);
    if (basic.has(ch)) gsmCosts.push(1);
    else if (extension.has(ch)) gsmCosts.push(2);
    else gsm = false;
  }
  const encoding: Encoding = gsm ? "GSM-7" : "UCS-2";
  const costs = gsm ? gsmCosts : ucsCosts;
  const units = costs.reduce((a, b) => a + b, 0);
  const single = gsm ? GSM_SINGLE : UCS2_SINGLE;
  const multi = gsm ? GSM_MULTI : UCS2_MULTI;

  let segments: number;
  let remaining: number;
  if (units === 0) {
    segments = 0;
    remaining = single;
  } else if (units <= single) {
    segments = 1;
    remaining = single - units;
  } else {
    segments = pack(costs, multi);
    remaining = segments * multi - units;
  }
  return { encoding, characters: ucsCosts.length, units, segments, remaining };
}

export function describeEstimate(estimate: SegmentEstimate): string {
  const s = estimate.segments === 1 ? "segment" : "segments";
  return `${estimate.segments} ${s} · ${estimate.encoding}`;
}
