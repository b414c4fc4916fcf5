/**
 * The bundled sample (`fleet-day.json`, written by scripts/generate-sample.mjs) is one day of AWS IoT
 * logs, 2024-03-04 UTC. To make demo dashboards look live, the data source shifts every time in it by
 * one offset so that the day ends at the end of the query's time range.
 *
 * Works on the text, not on parsed JSON: everything but the shifted values stays byte for byte as it
 * was, and one regular expression pass over the 4 MB sample takes some tens of milliseconds.
 * Pure TypeScript, no runtime imports.
 */

/** The start of the sample's day, 2024-03-04 00:00:00.000 UTC. */
export const SAMPLE_START_MS = Date.UTC(2024, 2, 4);

/**
 * The time of the sample's last entry, 2024-03-04 23:58:22.483 UTC, as printed by
 * `node scripts/generate-sample.mjs` (SAMPLE_END_MS = …). Update it whenever the sample is regenerated;
 * rebase.test.ts checks it against the file.
 */
export const SAMPLE_END_MS = 1709596702483;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * A time attribute and its value.
 * - `timestamp`, `lastModifiedDate` (GetRetainedMessage), `nextUpdateTime` (RetrieveOCSPStapleData),
 *   `requestTimestamp` and `responseTimestamp` (Ping) as `"YYYY-MM-DD HH:mm:ss.SSS"` (groups 3–9);
 * - `requestTimestamp` and `responseTimestamp` as epoch milliseconds (12–13 digits), a JSON number or a
 *   numeric string (groups 10–11): the registry types them as numbers, and the sample writes numbers.
 * Spaces around the colon are allowed and kept.
 */
const TIME_VALUE =
  /"(timestamp|lastModifiedDate|nextUpdateTime|requestTimestamp|responseTimestamp)"(\s*:\s*)(?:"(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3})"|("?)(\d{12,13})\10(?![\d.eE+-]))/g;

/** The value of a run of ASCII digits. */
function digits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    n = n * 10 + (s.charCodeAt(i) - 48);
  }
  return n;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// Civil date ↔ days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithms).

function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;
const pad3 = (n: number) => (n < 10 ? '00' : n < 100 ? '0' : '') + n;

/** Formats epoch milliseconds as AWS does (UTC, no zone); undefined outside years 0000–9999. */
function formatIot(ms: number, dates: Map<number, string>): string | undefined {
  const days = Math.floor(ms / DAY_MS);
  let date = dates.get(days);
  if (date === undefined) {
    const [y, m, d] = civilFromDays(days);
    if (y < 0 || y > 9999) {
      return undefined;
    }
    date = `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
    dates.set(days, date);
  }
  let rest = ms - days * DAY_MS;
  const milli = rest % 1000;
  rest = (rest - milli) / 1000;
  const second = rest % 60;
  rest = (rest - second) / 60;
  const minute = rest % 60;
  const hour = (rest - minute) / 60;
  return `${date} ${pad2(hour)}:${pad2(minute)}:${pad2(second)}.${pad3(milli)}`;
}

/**
 * Shifts every time in a text of AWS IoT log entries by `offsetMs` (see TIME_VALUE for which), writing
 * each in the format it had. Anything else, including values that are not valid dates, is left as it is.
 */
export function rebaseSample(text: string, offsetMs: number): string {
  const offset = Math.round(offsetMs);
  if (offset === 0 || !Number.isFinite(offset)) {
    return text;
  }
  const dates = new Map<number, string>();
  return text.replace(
    TIME_VALUE,
    (
      match: string,
      key: string,
      colon: string,
      year: string | undefined,
      month: string,
      day: string,
      hour: string,
      minute: string,
      second: string,
      milli: string,
      quote: string | undefined,
      epoch: string | undefined
    ) => {
      if (year === undefined) {
        if (epoch === undefined || (key !== 'requestTimestamp' && key !== 'responseTimestamp')) {
          return match;
        }
        return `"${key}"${colon}${quote}${digits(epoch) + offset}${quote}`;
      }
      const y = digits(year);
      const mo = digits(month);
      const d = digits(day);
      const h = digits(hour);
      const mi = digits(minute);
      const s = digits(second);
      if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) {
        return match;
      }
      if (d > DAYS_IN_MONTH[mo - 1] && !(mo === 2 && d === 29 && isLeap(y))) {
        return match;
      }
      const ms = daysFromCivil(y, mo, d) * DAY_MS + ((h * 60 + mi) * 60 + s) * 1000 + digits(milli) + offset;
      const shifted = formatIot(ms, dates);
      return shifted === undefined ? match : `"${key}"${colon}"${shifted}"`;
    }
  );
}

/**
 * The offset that moves the sample's last entry to `rangeToMs` rounded down to the whole minute: the
 * same for every time within one minute, so the rebased text can be cached for that minute.
 */
export function sampleOffset(rangeToMs: number): number {
  return Math.floor(rangeToMs / MINUTE_MS) * MINUTE_MS - SAMPLE_END_MS;
}
