// Trace timestamps to integer microseconds since the Unix epoch, without Date.parse (which keeps
// milliseconds only and is slow on a hot path).
//
// ISO 8601 as traces write it: YYYY-MM-DD, then T or a space, hh:mm[:ss[.fraction]], then Z, +hh:mm,
// -hh:mm, +hhmm or nothing (UTC). Fractions beyond microseconds are truncated. Epoch numbers are
// milliseconds or microseconds as the scenario states (a fraction of a millisecond is kept to the
// microsecond).

export type TimeFormat = "iso8601" | "epoch-ms" | "epoch-us";

/** Microseconds since the epoch, or NaN when the text is not a timestamp of the format. */
export function parseTraceTime(text: string, format: TimeFormat): number {
  if (format === "iso8601") return parseIsoUs(text);
  if (!/^-?\d+(\.\d+)?$/.test(text)) return Number.NaN;
  const value = Number(text);
  return format === "epoch-ms" ? Math.floor(value * 1000 + 1e-6) : Math.floor(value);
}

/** A JSON number of the stated epoch unit, in microseconds (NaN unless finite). */
export function epochNumberUs(value: number, format: TimeFormat): number {
  if (!Number.isFinite(value)) return Number.NaN;
  return format === "epoch-ms" ? Math.floor(value * 1000 + 1e-6) : Math.floor(value);
}

const usPerDay = 86_400_000_000;

function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

export function parseIsoUs(text: string): number {
  return parseIsoRange(text, 0, text.length);
}

/** parseIsoUs of text[from, to), without slicing it out. */
export function parseIsoRange(whole: string, from: number, to: number): number {
  const text = whole;
  const o = from;
  const n = to - from;
  if (n < 16 || text.charCodeAt(o + 4) !== 45 || text.charCodeAt(o + 7) !== 45 || text.charCodeAt(o + 13) !== 58) return Number.NaN;
  const sep = text.charCodeAt(o + 10);
  if (sep !== 84 && sep !== 32 && sep !== 116) return Number.NaN; // T, space, t
  const year = digits(text, o, 4);
  const month = digits(text, o + 5, 2);
  const day = digits(text, o + 8, 2);
  const hour = digits(text, o + 11, 2);
  const minute = digits(text, o + 14, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour < 0 || hour > 23 || minute < 0 || minute > 59) return Number.NaN;
  let i = 16;
  let second = 0;
  let fractionUs = 0;
  if (i < n && text.charCodeAt(o + i) === 58) {
    if (i + 3 > n) return Number.NaN;
    second = digits(text, o + i + 1, 2);
    if (second < 0 || second > 59) return Number.NaN;
    i += 3;
    const c = text.charCodeAt(o + i);
    if (i < n && (c === 46 || c === 44)) {
      i++;
      const start = i;
      let scale = 100_000;
      while (i < n) {
        const d = text.charCodeAt(o + i) - 48;
        if (d < 0 || d > 9) break;
        fractionUs += d * scale;
        scale /= 10;
        i++;
      }
      if (i === start) return Number.NaN;
      fractionUs = Math.floor(fractionUs + 1e-6);
    }
  }
  let offsetMinutes = 0;
  if (i < n) {
    const c = text.charCodeAt(o + i);
    if ((c === 90 || c === 122) && i + 1 === n) i++;
    else if (c === 43 || c === 45) {
      if (i + 5 > n) return Number.NaN;
      const hh = digits(text, o + i + 1, 2);
      const colon = text.charCodeAt(o + i + 3) === 58;
      const mm = digits(text, o + i + (colon ? 4 : 3), 2);
      if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || i + (colon ? 6 : 5) !== n) return Number.NaN;
      offsetMinutes = (c === 43 ? 1 : -1) * (hh * 60 + mm);
      i = n;
    } else return Number.NaN;
  }
  const days = daysFromCivil(year, month, day);
  return days * usPerDay + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1_000_000 + fractionUs;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days from 1970-01-01 to the date (proleptic Gregorian; Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
