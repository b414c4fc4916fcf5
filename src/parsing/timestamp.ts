/**
 * AWS IoT writes `timestamp` as `YYYY-MM-DD HH:mm:ss.SSS` in UTC with no zone designator.
 * `new Date(s)` would read that as local time, so it is parsed field by field as UTC.
 * Also accepted: a `T` separator, 0–9 fraction digits, and a `Z` or ±hh:mm suffix.
 */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

/** Epoch milliseconds, or undefined when the text is not such a timestamp or names an impossible date. */
export function parseIotTimestamp(text: string): number | undefined {
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
  let t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls 2021-02-30 over to March: reject instead.
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
