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
 * Client-side estimate of how an SMS body will be split. Simple model:
 * UCS-2 if any character is outside the GSM-7 basic + extension set;
 * GSM-7 fits 160 septets in one segment, 153 per segment otherwise;
 * UCS-2 fits 70 code units, 67 per segment otherwise.
 */
export function estimateSegments(body: string): SegmentEstimate {
  let septets = 0;
  let gsm = true;
  let characters = 0;
  for (const ch of body) {
    characters += 1;
    if (basic.has(ch)) septets += 1;
    else if (extension.has(ch)) septets += 2;
    else gsm = false;
  }
  const encoding: Encoding = gsm ? "GSM-7" : "UCS-2";
  const units = gsm ? septets : body.length;
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
    segments = Math.ceil(units / multi);
    remaining = segments * multi - units;
  }
  return { encoding, characters, units, segments, remaining };
}

export function describeEstimate(estimate: SegmentEstimate): string {
  const s = estimate.segments === 1 ? "segment" : "segments";
  return `${estimate.segments} ${s} · ${estimate.encoding}`;
}
