/**
 * Line prefixes that tools put before a CloudWatch Logs message, recognised at the start of a line:
 *
 * - `s3-export`: CloudWatch Logs export to S3, `2020-09-08T04:00:24.000Z <message>`.
 * - `logs-tail`: `aws logs tail`, whose three `--format`s print (awscli/customizations/logs/tail.py):
 *   - detailed (the default): `2017-08-10T15:37:23.476000+00:00 <logStreamName> <message>`; the time is
 *     always UTC; AWS CLI before 2.6.0 left out the fraction when it was zero.
 *   - json: the same, but the time has no fraction when the milliseconds are zero, and a message that is
 *     JSON is re-indented and starts on the next line (the prefix line ends `<logStreamName> `).
 *   - short: `2017-08-10T15:37:23 <message>` (UTC, no fraction, no stream).
 *   With `--color on` (or on a terminal) the time and the stream are wrapped in ANSI colour sequences.
 * - `filter-log-events-text`: the rows of `--output text` (awscli/text.py: identifier, then the columns
 *   in sorted key order, joined by tabs, the message raw):
 *   - `aws logs filter-log-events`: `EVENTS⇥<eventId>⇥<ingestionTime>⇥<logStreamName>⇥<message>⇥<timestamp>`
 *   - `aws logs get-log-events`: `EVENTS⇥<ingestionTime>⇥<message>⇥<timestamp>`
 *   The message may span lines; `⇥<timestamp>` ends its last line (see matchRowSuffix).
 * - `query-results-text`: `aws logs get-query-results --output text`, one line per field:
 *   `RESULTS⇥@message⇥<message>`; with `--query results`, `@message⇥<message>`.
 *
 * The other lines of those outputs (`SEARCHEDLOGSTREAMS`, `NEXTTOKEN`, `STATISTICS`, fields other than
 * `@message`, the query status, get-log-events' tokens, the `None` that `--query` with `--max-items`
 * prints) are `skip-line`.
 *
 * Each call looks at a bounded window after the line's start (MAX_PREFIX_CHARS), never further, so
 * calling it at the start of every line costs time linear in the number of lines, whatever their length.
 * Plain TypeScript: no DOM, no Grafana.
 */

import { parseIotTimestamp } from './timestamp';

export type LinePrefixKind = 's3-export' | 'logs-tail' | 'filter-log-events-text' | 'query-results-text';

export interface LinePrefix {
  kind: LinePrefixKind;
  /**
   * Index in the text where the message starts. It can be the line's end (its `\r` or `\n`, or the end
   * of the text): the message is empty or starts on the next line (`aws logs tail --format json`).
   */
  messageStart: number;
  /** The time as printed, without colour sequences (s3-export and logs-tail). */
  time?: string;
  /** That time in epoch milliseconds (a time without a zone, tail's short format, is UTC). */
  timeMs?: number;
  /** logs-tail: `detailed` (a time with an offset, then the log stream: formats detailed and json) or `short`. */
  format?: 'detailed' | 'short';
  /** The log stream name (logs-tail detailed, filter-log-events rows). */
  logStream?: string;
  /** filter-log-events rows: the event id. */
  eventId?: string;
  /** filter-log-events and get-log-events rows: the ingestion time in epoch milliseconds. */
  ingestionTime?: number;
  /**
   * filter-log-events-text rows: the message is followed by a tab and the event's timestamp (epoch
   * milliseconds) at the end of the message's last line. This pattern matches that suffix at the end of
   * a line (the timestamp in group 1); matchRowSuffix finds it without reading the whole line.
   */
  suffix?: RegExp;
}

export interface SkipLine {
  kind: 'skip-line';
  /** What the line is, for messages. */
  reason: string;
  /**
   * A field of a get-query-results row other than `@message` (`RESULTS⇥eventType⇥Connect`): its name
   * and where its value starts. Rows of selected fields only (no `@message`) are built from these.
   */
  resultField?: { name: string; valueStart: number };
}

/** Characters looked at after a line's start, at most: a log stream name is up to 512 characters. */
export const MAX_PREFIX_CHARS = 640;

/** The `⇥<timestamp>` that ends an EVENTS row (see LinePrefix.suffix). */
export const ROW_SUFFIX = /\t(\d{1,16})\r?$/;

const LF = 10;
const CR = 13;
const TAB = 9;
const SPACE = 32;
const ESC = 27;
const ZERO = 48;
const NINE = 57;
const COLON = 58;
const STAR = 42;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const LBRACKET = 91;
const LOWER_M = 109;
const LOWER_T = 116;
const UPPER_T = 84;
const UPPER_Z = 90;
const SEMICOLON = 59;

/** Longest log stream name (CloudWatch Logs quota). */
const MAX_STREAM = 512;
/** Epoch milliseconds have at most 16 digits until the year 318857. */
const MAX_MILLIS_DIGITS = 16;

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

/** The text of a bounded window, read without going past `limit`. */
class Window {
  constructor(
    readonly text: string,
    readonly limit: number
  ) {}

  at(i: number): number {
    return i < this.limit ? this.text.charCodeAt(i) : -1;
  }

  /** True when `s` is at `i` within the window. */
  startsWith(s: string, i: number): boolean {
    return i + s.length <= this.limit && this.text.startsWith(s, i);
  }

  /** Index after `count` digits at `i`, or -1. */
  digits(i: number, count: number): number {
    for (let k = 0; k < count; k++) {
      if (!isDigit(this.at(i + k))) {
        return -1;
      }
    }
    return i + count;
  }

  /** Index after a run of 1..max digits at `i`, or -1. */
  digitRun(i: number, max: number): number {
    let j = i;
    while (j - i < max && isDigit(this.at(j))) {
      j++;
    }
    return j > i && !isDigit(this.at(j)) ? j : -1;
  }

  /** Index after any ANSI SGR sequences (`ESC [ 0-9; m`) at `i` (i itself when there are none). */
  skipSgr(i: number): number {
    while (this.at(i) === ESC && this.at(i + 1) === LBRACKET) {
      let j = i + 2;
      while (j - i < 16 && (isDigit(this.at(j)) || this.at(j) === SEMICOLON)) {
        j++;
      }
      if (this.at(j) !== LOWER_M) {
        return i;
      }
      i = j + 1;
    }
    return i;
  }

  /** True at a line's end: `\n`, `\r\n` or the end of the text (not merely of the window). */
  isEol(i: number): boolean {
    const c = this.at(i);
    return (
      c === LF ||
      (c === CR && (i + 1 >= this.text.length || this.text.charCodeAt(i + 1) === LF)) ||
      i === this.text.length
    );
  }

  /** Index of the end of the line from `i` (its `\r\n`, `\n`, or the text's end) when within the window; -1 past it. */
  eol(i: number): number {
    for (let j = i; j <= this.limit; j++) {
      if (j === this.text.length) {
        return j;
      }
      if (j === this.limit) {
        return -1;
      }
      const c = this.text.charCodeAt(j);
      if (c === LF) {
        return j > i && this.text.charCodeAt(j - 1) === CR ? j - 1 : j;
      }
    }
    return -1;
  }
}

interface Time {
  end: number;
  zone: 'Z' | 'offset' | 'none';
  fraction: boolean;
  ms: number;
}

/** `YYYY-MM-DDTHH:MM:SS`, an optional fraction and an optional zone (`Z` or `±HH:MM`) at `i`. */
function readIsoTime(w: Window, i: number): Time | undefined {
  const y = w.digits(i, 4);
  if (y < 0 || w.at(y) !== MINUS) {
    return undefined;
  }
  const mo = w.digits(y + 1, 2);
  if (mo < 0 || w.at(mo) !== MINUS) {
    return undefined;
  }
  const d = w.digits(mo + 1, 2);
  if (d < 0 || (w.at(d) !== UPPER_T && w.at(d) !== LOWER_T)) {
    return undefined;
  }
  const h = w.digits(d + 1, 2);
  if (h < 0 || w.at(h) !== COLON) {
    return undefined;
  }
  const mi = w.digits(h + 1, 2);
  if (mi < 0 || w.at(mi) !== COLON) {
    return undefined;
  }
  let end = w.digits(mi + 1, 2);
  if (end < 0) {
    return undefined;
  }
  let fraction = false;
  if (w.at(end) === DOT) {
    const f = w.digitRun(end + 1, 9);
    if (f < 0) {
      return undefined;
    }
    fraction = true;
    end = f;
  }
  let zone: Time['zone'] = 'none';
  const z = w.at(end);
  if (z === UPPER_Z) {
    zone = 'Z';
    end++;
  } else if (z === PLUS || z === MINUS) {
    const oh = w.digits(end + 1, 2);
    if (oh < 0 || w.at(oh) !== COLON) {
      return undefined;
    }
    const om = w.digits(oh + 1, 2);
    if (om < 0) {
      return undefined;
    }
    zone = 'offset';
    end = om;
  }
  // The time itself is read by the parser's one timestamp reader (UTC unless a zone says otherwise).
  const ms = parseIotTimestamp(w.text.slice(i, end).replace(/t/, 'T'));
  return ms === undefined ? undefined : { end, zone, fraction, ms };
}

/** A prefix that starts with a time: the S3 export or `aws logs tail`. */
function matchTimePrefix(w: Window, lineStart: number): LinePrefix | undefined {
  const timeStart = w.skipSgr(lineStart);
  const coloured = timeStart > lineStart;
  const t = readIsoTime(w, timeStart);
  if (!t) {
    return undefined;
  }
  const time = w.text.slice(timeStart, t.end);
  let i = w.skipSgr(t.end);
  if (coloured !== i > t.end) {
    return undefined;
  }
  if (t.zone === 'Z') {
    return !coloured && w.at(i) === SPACE ? { kind: 's3-export', messageStart: i + 1, time, timeMs: t.ms } : undefined;
  }
  if (t.zone === 'none') {
    // tail --format short: seconds only. A line holding only the time had an empty message.
    if (t.fraction) {
      return undefined;
    }
    if (w.at(i) === SPACE) {
      return { kind: 'logs-tail', format: 'short', messageStart: i + 1, time, timeMs: t.ms };
    }
    return w.isEol(i) ? { kind: 'logs-tail', format: 'short', messageStart: i, time, timeMs: t.ms } : undefined;
  }
  // tail --format detailed / json: the log stream name, with no `:` or `*` (not allowed in names).
  if (w.at(i) !== SPACE) {
    return undefined;
  }
  const streamStart = w.skipSgr(i + 1);
  const streamColoured = streamStart > i + 1;
  let j = streamStart;
  for (;;) {
    const c = w.at(j);
    if (c === -1 || c === SPACE || c === TAB || c === LF || c === CR || c === ESC || c === COLON || c === STAR) {
      break;
    }
    j++;
  }
  if (j === streamStart || j - streamStart > MAX_STREAM) {
    return undefined;
  }
  const logStream = w.text.slice(streamStart, j);
  i = w.skipSgr(j);
  // The CLI colours both the time and the stream, or neither.
  if (coloured !== streamColoured || coloured !== i > j) {
    return undefined;
  }
  const base = { kind: 'logs-tail' as const, format: 'detailed' as const, time, timeMs: t.ms, logStream };
  if (w.at(i) === SPACE) {
    return { ...base, messageStart: i + 1 };
  }
  return w.isEol(i) ? { ...base, messageStart: i } : undefined;
}

/** Index after a tab-ended column of 1..max digits at `i`, or -1. */
function digitColumn(w: Window, i: number, max: number): number {
  const end = w.digitRun(i, max);
  return end >= 0 && w.at(end) === TAB ? end + 1 : -1;
}

/** `EVENTS⇥…` rows of filter-log-events or get-log-events. */
function matchEventsRow(w: Window, lineStart: number): LinePrefix | undefined {
  const first = lineStart + 'EVENTS\t'.length;
  // filter-log-events: eventId, ingestionTime, logStreamName (columns in sorted key order).
  const afterId = digitColumn(w, first, 80);
  if (afterId >= 0) {
    const afterIngestion = digitColumn(w, afterId, MAX_MILLIS_DIGITS);
    if (afterIngestion >= 0) {
      let j = afterIngestion;
      while (j - afterIngestion <= MAX_STREAM) {
        const c = w.at(j);
        if (c === -1 || c === TAB || c === LF || c === CR || c === COLON || c === STAR) {
          break;
        }
        j++;
      }
      if (j > afterIngestion && j - afterIngestion <= MAX_STREAM && w.at(j) === TAB) {
        return {
          kind: 'filter-log-events-text',
          messageStart: j + 1,
          eventId: w.text.slice(first, afterId - 1),
          ingestionTime: Number(w.text.slice(afterId, afterIngestion - 1)),
          logStream: w.text.slice(afterIngestion, j),
          suffix: ROW_SUFFIX,
        };
      }
    }
    // get-log-events: ingestionTime, then the message.
    if (afterId - first - 1 <= MAX_MILLIS_DIGITS) {
      return {
        kind: 'filter-log-events-text',
        messageStart: afterId,
        ingestionTime: Number(w.text.slice(first, afterId - 1)),
        suffix: ROW_SUFFIX,
      };
    }
  }
  return undefined;
}

/** get-query-results' status, the last of the scalars printed on the text output's first line. */
const QUERY_STATUS = new Set(['Scheduled', 'Running', 'Complete', 'Failed', 'Cancelled', 'Timeout', 'Unknown']);

/** `[<encryptionKey>⇥][<nextToken>⇥][<queryLanguage>⇥]<status>` alone on its line. */
function isQueryStatusLine(w: Window, lineStart: number): boolean {
  const end = w.eol(lineStart);
  if (end < 0 || end - lineStart > MAX_PREFIX_CHARS) {
    return false;
  }
  const columns = w.text.slice(lineStart, end).split('\t');
  return (
    columns.length <= 4 &&
    QUERY_STATUS.has(columns[columns.length - 1]) &&
    (columns.length === 1 || ['CWLI', 'SQL', 'PPL'].includes(columns[columns.length - 2])) &&
    columns.every((c) => c !== '' && !c.includes(' '))
  );
}

/** `RESULTS⇥<field>⇥<value>` (or, with `--query results`, `<field>⇥<value>`) of get-query-results. */
function matchResultField(w: Window, fieldStart: number, lineStart: number): LinePrefix | SkipLine | undefined {
  if (w.startsWith('@message\t', fieldStart)) {
    return { kind: 'query-results-text', messageStart: fieldStart + '@message\t'.length };
  }
  // Another field: `@timestamp`, `@logStream`, `@ptr`, … (Logs Insights field names have no blanks).
  let j = fieldStart;
  while (j - fieldStart < 256) {
    const c = w.at(j);
    if (c === -1 || c === TAB || c === SPACE || c === LF || c === CR) {
      break;
    }
    j++;
  }
  if (j > fieldStart && w.at(j) === TAB) {
    const field = w.text.slice(fieldStart, j);
    if (fieldStart > lineStart || field.startsWith('@')) {
      return {
        kind: 'skip-line',
        reason: `the Logs Insights field ${field} of get-query-results --output text`,
        resultField: { name: field, valueStart: j + 1 },
      };
    }
  }
  return undefined;
}

/**
 * Recognises the prefix of the line whose first non-blank character is at `lineStart`: where its
 * message starts, or that the line is output around the events, to be skipped; undefined for any other
 * line. Never reads more than MAX_PREFIX_CHARS characters from `lineStart`.
 */
export function matchLinePrefix(text: string, lineStart: number): LinePrefix | SkipLine | undefined {
  if (lineStart < 0 || lineStart >= text.length) {
    return undefined;
  }
  const w = new Window(text, Math.min(text.length, lineStart + MAX_PREFIX_CHARS));
  const c = w.at(lineStart);
  if (isDigit(c) || c === ESC) {
    return matchTimePrefix(w, lineStart);
  }
  switch (c) {
    case 69: // E
      return w.startsWith('EVENTS\t', lineStart) ? matchEventsRow(w, lineStart) : undefined;
    case 82: // R
      if (w.startsWith('RESULTS\t', lineStart)) {
        return matchResultField(w, lineStart + 'RESULTS\t'.length, lineStart);
      }
      break;
    case 64: // @
      return matchResultField(w, lineStart, lineStart);
    case 78: // N
      if (w.startsWith('NEXTTOKEN\t', lineStart)) {
        return { kind: 'skip-line', reason: 'the NEXTTOKEN row of --output text (more results with --starting-token)' };
      }
      if (w.startsWith('None', lineStart) && w.isEol(lineStart + 4)) {
        return {
          kind: 'skip-line',
          reason: 'the "None" that --output text with --query prints after --max-items results',
        };
      }
      break;
    case 83: // S
      if (w.startsWith('SEARCHEDLOGSTREAMS\t', lineStart)) {
        return { kind: 'skip-line', reason: 'a SEARCHEDLOGSTREAMS row of filter-log-events --output text' };
      }
      if (w.startsWith('STATISTICS\t', lineStart)) {
        return { kind: 'skip-line', reason: 'the STATISTICS row of get-query-results --output text' };
      }
      break;
    case 98: // b
      if (w.startsWith('b/', lineStart)) {
        const afterBackward = w.digitRun(lineStart + 2, 80);
        if (afterBackward >= 0 && w.startsWith('\tf/', afterBackward)) {
          const afterForward = w.digitRun(afterBackward + 3, 80);
          if (afterForward >= 0 && w.isEol(afterForward)) {
            return { kind: 'skip-line', reason: 'the tokens line of get-log-events --output text' };
          }
        }
      }
      return undefined;
  }
  return isQueryStatusLine(w, lineStart)
    ? { kind: 'skip-line', reason: 'the status line of get-query-results --output text' }
    : undefined;
}

/**
 * The `⇥<timestamp>` that ends an EVENTS row, on the line ending at `lineEnd` (its `\n`, or the end
 * of the text): where the tab is and the timestamp, or undefined. Reads backwards at most 18
 * characters and never before `from` (the row's messageStart, on the row's first line).
 */
export function matchRowSuffix(
  text: string,
  lineEnd: number,
  from = 0
): { start: number; timestamp: number } | undefined {
  let end = Math.min(lineEnd, text.length);
  if (end > from && text.charCodeAt(end - 1) === CR) {
    end--;
  }
  let i = end;
  while (i > from && end - i < MAX_MILLIS_DIGITS && isDigit(text.charCodeAt(i - 1))) {
    i--;
  }
  if (i === end || i - 1 < from || text.charCodeAt(i - 1) !== TAB) {
    return undefined;
  }
  return { start: i - 1, timestamp: Number(text.slice(i, end)) };
}
