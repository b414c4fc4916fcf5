/**
 * AWS IoT writes `timestamp` as `YYYY-MM-DD HH:mm:ss.SSS` in UTC with no zone designator.
 * `new Date(s)` would read that as local time, so it is parsed field by field as UTC.
 * Also accepted: a `T` separator, 0–9 fraction digits, and a `Z` or ±hh:mm suffix.
 */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

/** Positions of the digits of HH:mm:ss.SSS in `YYYY-MM-DD HH:mm:ss.SSS`. */
const TIME_DIGITS = [11, 12, 14, 15, 17, 18, 20, 21, 22];

let lastDay = '';
let lastDayMs = 0;

function digit(text: string, i: number): number {
  return text.charCodeAt(i) - 48;
}

/**
 * The exact format AWS writes, `YYYY-MM-DD HH:mm:ss.SSS`, read digit by digit; the day's start is
 * remembered, since entries of a file mostly share their day. Undefined for anything else.
 */
function parseExact(text: string): number | undefined {
  if (text.length !== 23 || text.charCodeAt(10) !== 32 || text.charCodeAt(19) !== 46) {
    return undefined;
  }
  const day = text.slice(0, 10);
  if (day !== lastDay) {
    const ms = parseIotTimestampSlow(`${day} 00:00:00.000`);
    if (ms === undefined) {
      return undefined;
    }
    lastDay = day;
    lastDayMs = ms;
  }
  for (const i of TIME_DIGITS) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) {
      return undefined;
    }
  }
  const hour = digit(text, 11) * 10 + digit(text, 12);
  const minute = digit(text, 14) * 10 + digit(text, 15);
  const second = digit(text, 17) * 10 + digit(text, 18);
  const ms = digit(text, 20) * 100 + digit(text, 21) * 10 + digit(text, 22);
  const valid = text.charCodeAt(13) === 58 && text.charCodeAt(16) === 58 && hour <= 23 && minute <= 59 && second <= 59;
  return valid ? lastDayMs + ((hour * 60 + minute) * 60 + second) * 1000 + ms : undefined;
}

/**
 * Epoch milliseconds of a UTC date and time. Not Date.UTC: it reads years 0–99 as 1900–1999, and
 * AWS's format writes every year with four digits (0042 is the year 42).
 */
function utcTime(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number) {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  return date.getTime();
}

/** Epoch milliseconds, or undefined when the text is not such a timestamp or names an impossible date. */
export function parseIotTimestamp(text: string): number | undefined {
  return parseExact(text) ?? parseIotTimestampSlow(text);
}

function parseIotTimestampSlow(text: string): number | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) {
    return undefined;
  }
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  const hour = +m[4];
  const minute = +m[5];
  const second = +m[6];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  const ms = m[7] ? +(m[7] + '00').slice(0, 3) : 0;
  let t = utcTime(year, month, day, hour, minute, second, ms);
  // Dates roll 2021-02-30 over to March: reject instead.
  if (new Date(t).getUTCDate() !== day) {
    return undefined;
  }
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (+digits.slice(0, 2) * 60 + +digits.slice(2)) * 60_000;
  }
  return t;
}
