/**
 * The parsing core: AWS IoT Core log entries (CloudWatch Logs, log group AWSIotLogsV2) → typed data
 * frames, one per eventType. Pure TypeScript: runs in Node, jsdom and Web Workers.
 *
 *   decode (bytes → text, gzip) → detect the container → split records → classify (record → entry |
 *   rejection) → flatten + derive + type → frames
 */
import { classifyJson, classifyText, entryTime, excerpt } from './classify';
import { readContainer } from './containers';
import { detectCsv } from './containers/csv';
import { type ContainerRecord } from './containers/types';
import { detectFormat, prepareInput, type PreparedInput } from './detect';
import type { EventTable } from './table';
import { countLineFeeds, mayCut } from './merge';
import { type RawInput } from './decode';
import { nestedDeeperThan } from './deep';
import { logsFramesOf } from '../output/logs';
import { MAX_VALUE_DEPTH, TableBuilder } from './tableBuilder';
import { matchLinePrefix, type LinePrefixKind } from './linePrefix';
import { formatOfParts, mergeParts } from './parts';
import { FORMAT_LABELS } from './formats';
import { countLines, MAX_RECORD_CHARS, splitRecords, type SplitSummary, type TokenKind } from './split';
import {
  CONTAINER_FORMATS,
  type InputFormat,
  type ParseIssue,
  type ParseOptions,
  type ParsePart,
  type ParseResult,
  type ParseStats,
  type RejectReason,
  type TableResult,
} from './types';

export type {
  InputFormat,
  ParseIssue,
  ParseOptions,
  ParsePart,
  ParseResult,
  ParseStats,
  RejectReason,
  TableResult,
} from './types';
export type { EventTable, TableColumn } from './table';
export { CONTAINER_FORMATS } from './types';
export { formatOfParts, mergeParts } from './parts';
export { FORMAT_LABELS } from './formats';
export { LOG_FIELDS } from './tableBuilder';
export type { ComponentId, ComponentInfo, EventTypeSchema, FieldSchema, ValueKind } from './schema/types';
export {
  COMPONENTS,
  EVENT_TYPES,
  componentOfEventType,
  eventTypesOfComponents,
  getComponent,
  getEventTypeSchema,
} from './schema/registry';
export { parseIotTimestamp } from './timestamp';
export { decodeBase64, gunzipLimited, DEFAULT_MAX_INFLATED_BYTES } from './gzip';

export const DEFAULT_MAX_ISSUES = 100;

/** Bound once: it runs for every record (see STRING_BIT in tableBuilder.ts). */
const timeOf = entryTime;

/** How deep readers may nest (a message holding JSON text that holds a container…). */
const MAX_NESTED_READS = 8;

function rawFormat(summary: SplitSummary): InputFormat {
  if (summary.array && summary.jsonRecords + summary.textRecords > 0) {
    // Entries, or message strings (`--query 'events[].message'`), in a JSON array.
    return 'json-array';
  }
  if (summary.jsonRecords === 0) {
    return summary.textRecords === 0 ? 'empty' : 'text';
  }
  if (summary.array) {
    return 'json-array';
  }
  return summary.multiLine || summary.sharedLine ? 'json-objects' : 'ndjson';
}

/**
 * The entry as one line of JSON for the logs view, or its text as found when it cannot be serialised
 * safely: values nested deeper than MAX_VALUE_DEPTH would make JSON.stringify recurse that deep.
 */
function compact(value: unknown, raw: string): string {
  if (nestedDeeperThan(value, MAX_VALUE_DEPTH)) {
    return raw;
  }
  try {
    return JSON.stringify(value);
  } catch {
    return raw;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A CloudWatch Logs event on its own (`aws logs filter-log-events --query events`, a subscription's
 * `logEvents` list, …): an object without an eventType whose `message` is text, with the event's
 * `timestamp` (epoch ms), `eventId`, `id`, `ingestionTime` or `logStreamName` beside it.
 */
function logEventMessage(value: Record<string, unknown>): string | undefined {
  const message = value.message;
  if (typeof message !== 'string' || value.eventType !== undefined) {
    return undefined;
  }
  return typeof value.timestamp === 'number' ||
    'eventId' in value ||
    'id' in value ||
    'ingestionTime' in value ||
    'logStreamName' in value
    ? message
    : undefined;
}

/** The container a parsed JSON object is (a document of CLI output met among raw entries), if any. */
function containerOfValue(value: Record<string, unknown>): InputFormat | undefined {
  if (value.eventType !== undefined) {
    return undefined;
  }
  if (Array.isArray(value.events)) {
    return 'nextForwardToken' in value ? 'get-log-events' : 'filter-log-events';
  }
  if (Array.isArray(value.results)) {
    return 'insights-api';
  }
  if (isObject(value.awslogs) || Array.isArray(value.logEvents)) {
    return 'subscription';
  }
  return undefined;
}

/** The container a long record's text starts like, if any (too long to be one entry, it may be a document). */
function containerOfText(text: string): InputFormat | undefined {
  const format = detectFormat(text.slice(0, 4096));
  return CONTAINER_FORMATS.includes(format) && format !== 's3-export' ? format : undefined;
}

/** Why a value that is not an entry (entryTime said so) is not one. */
function whyNotAnEntry(value: unknown): { reason: RejectReason; message: string } {
  const c = classifyJson(value);
  // classifyJson accepts exactly what entryTime accepts: `ok` is not reached for a value entryTime refused.
  return c.ok ? { reason: 'not-iot-entry', message: 'not an AWS IoT entry' } : c;
}

/** A line of an export or CLI output: a broken record before it does not take it along. */
function isPrefixedLine(text: string, pos: number): boolean {
  return matchLinePrefix(text, pos) !== undefined;
}

const PREFIX_FORMATS: Record<LinePrefixKind, InputFormat> = {
  's3-export': 's3-export',
  'logs-tail': 'logs-tail',
  'filter-log-events-text': 'cli-text',
  'query-results-text': 'cli-text',
};

const TOKEN_WHAT: Record<Exclude<TokenKind, 'string'>, string> = {
  scalar: 'a JSON value that is not an object',
  stray: 'a stray bracket with nothing open before it',
  control: 'binary data (NUL, record separators, other control characters or bytes that were not UTF-8 text)',
};

/** Counts and collects what happens to each record. */
class Collector {
  readonly builder: TableBuilder;
  readonly issues: ParseIssue[] = [];
  readonly rejectedByReason: Partial<Record<RejectReason, number>> = {};
  readonly notes: string[] = [];
  readonly parts: ParsePart[] = [];
  records = 0;
  entries = 0;
  rejected = 0;
  skipped = 0;
  private part: ParsePart = { format: 'empty', line: 1, records: 0, entries: 0 };
  private depth = 0;
  /** Lines of CLI output that are not events, skipped, by what they are. */
  readonly skippedLines = new Map<string, number>();
  /** Lines read through a prefix in the current raw part (to name the part). */
  private prefixedLines = 0;

  constructor(
    private readonly maxIssues: number,
    private readonly onProgress?: (pos: number) => void,
    /** The input's length: the builder sizes its columns from how far into it the first entries reach. */
    private readonly inputLength = 0,
    /** Keep where each body is in the input's text (see BodyOffsets). */
    keepBodyStarts = false
  ) {
    this.builder = new TableBuilder(() => this.expectedEntries(), keepBodyStarts);
  }

  /** An entry of the input's own text was still open where the text ends (see SplitSummary). */
  openAtEnd = false;
  /** How far into the input's text the raw entries read so far reach (0 until known). */
  private position = 0;
  /** Records of a container that is the whole input (0 when it is not one). */
  private containerRecords = 0;

  /** The entries the input is expected to hold (see TableBuilder), from what was read so far. */
  private expectedEntries(): number | undefined {
    if (this.containerRecords > 0) {
      return this.containerRecords;
    }
    if (this.position > 0 && this.inputLength > 0) {
      return (this.entries * this.inputLength) / this.position;
    }
    return undefined;
  }

  reject(line: number, reason: RejectReason, message: string | (() => string)): void {
    this.rejected++;
    this.part.records++;
    this.rejectedByReason[reason] = (this.rejectedByReason[reason] ?? 0) + 1;
    if (this.issues.length < this.maxIssues) {
      this.issues.push({
        line,
        record: this.records,
        reason,
        message: typeof message === 'string' ? message : message(),
      });
    }
    this.records++;
  }

  /** Lines or cells that are not records (CLI output around the events), counted by what they are. */
  private skip(what: string, count = 1): void {
    this.skippedLines.set(what, (this.skippedLines.get(what) ?? 0) + count);
    this.skipped += count;
  }

  /** `bodyStart`: where the body is in the input's text (-1 when it is not a slice of it). */
  private accept(entry: Record<string, unknown>, time: number, body: string, bodyStart = -1): void {
    this.builder.add(entry, entry.eventType as string, time, body, this.records, bodyStart);
    this.entries++;
    this.part.entries++;
    this.part.records++;
    this.records++;
  }

  /**
   * A parsed JSON value. `body` gives the entry's text for the logs view; `raw` is the value's source
   * text where there is one (a container met among raw entries is read again from it).
   */
  value(value: unknown, line: number, body: () => string, raw?: string): boolean {
    if (isObject(value)) {
      const time = timeOf(value);
      if (time !== undefined) {
        this.accept(value, time, body());
        return true;
      }
      const message = logEventMessage(value);
      if (message !== undefined) {
        this.message(message, line);
        return true;
      }
      if (value.eventType === undefined && typeof value.field === 'string' && 'value' in value) {
        // A cell of a Logs Insights result row met among raw entries: @message is the record.
        if (value.field === '@message' && typeof value.value === 'string') {
          this.message(value.value, line);
        } else {
          this.skip('Logs Insights result cells other than @message');
        }
        return true;
      }
      if ('@message' in value || '@timestamp' in value) {
        // A row of a Logs Insights console download met among raw entries.
        const message = value['@message'];
        if (typeof message === 'string' && message.trim() !== '') {
          this.message(message, line);
          return true;
        }
        if (isObject(message)) {
          return this.value(message, line, () => compact(message, '[entry]'));
        }
        if (message === undefined) {
          const entry = entryFromFields(value);
          if (entryTime(entry) !== undefined) {
            return this.value(entry, line, () => compact(entry, '[entry]'));
          }
        }
      }
      const container = containerOfValue(value);
      if (container !== undefined && this.depth < MAX_NESTED_READS) {
        this.read(raw ?? compact(value, ''), line, container);
        // A document of its own: not a record of the raw layout around it.
        return false;
      }
    } else if (Array.isArray(value)) {
      // A message holding several entries: each element is a record of its own. Arrays inside are
      // rejected as they are, not walked (no recursion on a value's depth).
      for (const element of value) {
        if (typeof element === 'string' && this.depth < MAX_NESTED_READS) {
          this.depth++;
          this.message(element, line);
          this.depth--;
        } else if (isObject(element)) {
          this.value(element, line, () => compact(element, '[entry]'));
        } else {
          const why = whyNotAnEntry(element);
          this.reject(line, why.reason, why.message);
        }
      }
      return true;
    }
    const c = classifyJson(value);
    if (c.ok) {
      // classifyJson and entryTime are one rule: this is never reached.
      this.accept(c.entry, c.time, body());
    } else {
      this.reject(line, c.reason, c.message);
    }
    return true;
  }

  /**
   * A record of raw entries. The common case (an AWS IoT entry) is handled here without allocating;
   * anything else goes through value() for what it is or why it is not an entry.
   */
  raw(value: unknown, raw: string, line: number, multiLine: boolean, start = -1): boolean {
    if (this.row && !this.row.message) {
      // A record between the fields of a get-query-results text row ends the row.
      this.flushRow();
    }
    if (isObject(value)) {
      const time = timeOf(value);
      if (time !== undefined) {
        if (multiLine) {
          this.accept(value, time, compact(value, raw));
        } else {
          this.accept(value, time, raw, start);
        }
        return true;
      }
    }
    return this.value(value, line, () => (multiLine ? compact(value, raw) : raw), raw);
  }

  text(raw: string, line: number): void {
    const c = classifyText(raw);
    this.reject(line, c.reason, c.message);
  }

  token(raw: string, line: number, kind: TokenKind): void {
    if (kind === 'string') {
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        value = undefined;
      }
      // A log message written as a JSON string (`--query 'events[].message'`).
      if (typeof value === 'string' && /^\s*[{[]/.test(value) && this.depth < MAX_NESTED_READS) {
        this.message(value, line);
        return;
      }
      this.reject(
        line,
        'not-an-object',
        () => `a JSON string where a log entry object was expected: "${excerpt(raw)}"`
      );
      return;
    }
    const reason: RejectReason = kind === 'control' ? 'binary' : kind === 'stray' ? 'broken-json' : 'not-an-object';
    this.reject(line, reason, () => `${TOKEN_WHAT[kind]} where a log entry was expected: "${excerpt(raw)}"`);
  }

  /**
   * A raw message from a container: entries as JSON text (possibly pretty-printed, possibly several), or
   * other text. `escaped`: the message was a JSON string in the file, so its line breaks are not lines
   * of the file (everything in it is on `line`).
   */
  message(message: string, line: number, escaped = false): void {
    const trimmed = message.trim();
    // Lines before the first non-blank character: the entries inside are numbered from there.
    let firstLine = line;
    for (let i = 0; !escaped && message.charCodeAt(i) !== trimmed.charCodeAt(0) && i < message.length; i++) {
      if (message.charCodeAt(i) === 10) {
        firstLine++;
      }
    }
    if (trimmed.length > MAX_RECORD_CHARS) {
      if (trimmed.includes('\n') && this.depth < MAX_NESTED_READS) {
        // Longer than any CloudWatch event: lines appended after the last event of an export. Each of
        // its records is read (and one that is too long rejected) on its own.
        this.depth++;
        this.splitRaw(trimmed, firstLine, escaped);
        this.depth--;
        return;
      }
      this.reject(
        line,
        'too-long',
        `a message of ${(trimmed.length / 1024 / 1024).toFixed(1)} MB, longer than the ${MAX_RECORD_CHARS / 1024 / 1024} MB limit (CloudWatch Logs events are at most 256 KB)`
      );
      return;
    }
    const first = trimmed.charCodeAt(0);
    if (first === 0x7b /* { */ || first === 0x5b /* [ */) {
      let value: unknown;
      let parsed = true;
      try {
        value = JSON.parse(trimmed);
      } catch {
        parsed = false;
      }
      if (parsed) {
        this.value(value, firstLine, () => (trimmed.includes('\n') ? compact(value, trimmed) : trimmed), trimmed);
        return;
      }
    } else if (!trimmed.includes('{')) {
      this.text(trimmed, firstLine);
      return;
    }
    // Several entries in one message, text around an entry, a broken entry: read it as raw entries.
    if (this.depth >= MAX_NESTED_READS) {
      this.text(trimmed, firstLine);
      return;
    }
    this.depth++;
    this.splitMessage(trimmed, firstLine, escaped);
    this.depth--;
  }

  /**
   * A message that is not one JSON value, read as raw entries. It stays one record unless it holds
   * something to read (an entry, a log event, a container, a JSON string): a Lambda's
   * `START RequestId … {"a":1}` line is one rejected message, not two.
   */
  private splitMessage(message: string, firstLine: number, flat = false): void {
    const shift = firstLine - 1;
    // A message that was a JSON string: its line breaks are not lines of the file.
    const at = (line: number) => (flat ? firstLine : line + shift);
    const pending: Array<() => void> = [];
    let found = false;
    let first: { reason: RejectReason; message: string } | undefined;
    const rejectLater = (line: number, reason: RejectReason, text: () => string) => {
      first ??= { reason, message: text() };
      pending.push(() => this.reject(line, reason, text));
    };
    splitRecords(
      message,
      {
        json: (value, raw, line, multiLine) => {
          if (
            isObject(value) &&
            (entryTime(value) !== undefined || logEventMessage(value) !== undefined || containerOfValue(value))
          ) {
            found = true;
          }
          if (found) {
            pending.push(() => this.raw(value, raw, at(line), multiLine));
          } else {
            const why = whyNotAnEntry(value);
            rejectLater(at(line), why.reason, () => why.message);
          }
        },
        invalid: (raw, line, error) => {
          const c = error === undefined ? classifyText(raw) : undefined;
          rejectLater(
            at(line),
            c ? c.reason : 'broken-json',
            () => c?.message ?? `broken JSON, ${error}: "${excerpt(raw)}"`
          );
        },
        token: (raw, line, kind) => {
          found ||= kind === 'string';
          pending.push(() => this.token(raw, at(line), kind));
        },
        tooLong: (_raw, line, text) => rejectLater(at(line), 'too-long', () => text),
      },
      undefined,
      (t, pos, eol, line) => {
        const hooked = this.prefixed(t, pos, eol, at(line), new Set(), false);
        // Prefixed lines hold messages to read: the message is worth splitting.
        found ||= hooked !== undefined;
        return hooked;
      },
      isPrefixedLine
    );
    // A get-query-results text row that ends with the message is read with it.
    this.flushRow();
    if (found || pending.length <= 1) {
      for (const run of pending) {
        run();
      }
    } else if (first) {
      this.reject(
        firstLine,
        first.reason,
        `${first.message} (the message holds ${pending.length} pieces, none an AWS IoT entry)`
      );
    } else {
      this.text(message, firstLine);
    }
  }

  record(record: ContainerRecord, lineOffset: number): void {
    const line = record.line + lineOffset;
    if (record.message !== undefined) {
      this.message(record.message, line, record.escaped);
    } else if (record.object !== undefined) {
      const object = record.object;
      this.value(object, line, () => compact(object, '[entry]'));
    } else {
      const entry = entryFromFields(record.fields ?? {});
      this.value(entry, line, () => compact(entry, '[entry]'));
    }
  }

  /**
   * A line of raw text that starts with a CLI or export prefix (a time and a log stream, an `EVENTS⇥…`
   * row): where its message starts, so that the message is read as raw entries; or the line's end for
   * lines of CLI output that are not events (counted as skipped). Undefined for other text.
   */
  private prefixed(
    text: string,
    pos: number,
    eol: number,
    line: number,
    formats: Set<InputFormat>,
    handOff: boolean
  ): number | { next: number; rowSuffix: true } | 'stop' | undefined {
    const prefix = matchLinePrefix(text, pos);
    if (prefix === undefined) {
      this.flushRow();
      // A CSV download after other text: read from its header on as what it is.
      if (handOff && this.depth < MAX_NESTED_READS && detectCsv(text.slice(pos, eol))) {
        return 'stop';
      }
      return undefined;
    }
    if (prefix.kind === 'skip-line') {
      if (prefix.resultField && prefix.resultField.valueStart <= eol) {
        const end = text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
        this.resultField(prefix.resultField.name, text.slice(prefix.resultField.valueStart, end), line);
        formats.add('cli-text');
        this.prefixedLines++;
        return eol;
      }
      this.skip(prefix.reason);
      return eol;
    }
    if (prefix.kind === 'query-results-text') {
      this.resultField('@message', '', line);
    } else {
      this.flushRow();
    }
    formats.add(PREFIX_FORMATS[prefix.kind]);
    this.prefixedLines++;
    return prefix.kind === 'filter-log-events-text'
      ? { next: prefix.messageStart, rowSuffix: true }
      : prefix.messageStart;
  }

  /** The row of get-query-results --output text being read: its fields, line, and whether it has a @message. */
  private row: { line: number; fields: Record<string, unknown>; message: boolean } | undefined;

  /**
   * A field of a get-query-results text row. A row with `@message` is read from its message; a row of
   * selected fields only becomes an entry from them (as the JSON output's rows do). A row ends where a
   * field repeats or other lines begin.
   */
  private resultField(name: string, value: string, line: number): void {
    if (this.row && (name in this.row.fields || (name === '@message' && this.row.message))) {
      this.flushRow();
    }
    this.row ??= { line, fields: Object.create(null), message: false };
    if (name === '@message') {
      this.row.message = true;
    } else {
      this.row.fields[name] = value;
    }
  }

  private flushRow(): void {
    const row = this.row;
    this.row = undefined;
    if (!row) {
      return;
    }
    if (row.message) {
      // Read from its @message: the other fields are not records.
      const n = Object.keys(row.fields).length;
      if (n > 0) {
        this.skip('the Logs Insights fields beside @message of get-query-results --output text', n);
      }
      return;
    }
    const entry = entryFromFields(row.fields);
    this.value(entry, row.line, () => compact(entry, '[entry]'));
  }

  /**
   * Reads raw entries; lines are counted from `firstLine`. `origin`: where `text` is in the input's
   * text (-1 when it is not a part of it, or the bodies' places are not wanted).
   */
  private splitRaw(
    text: string,
    firstLine: number,
    flat = false,
    origin = -1
  ): SplitSummary & { prefixFormat?: InputFormat } {
    const shift = firstLine - 1;
    // A message that was a JSON string: its line breaks are not lines of the file.
    const at = (line: number) => (flat ? firstLine : line + shift);
    const formats = new Set<InputFormat>();
    const outerPrefixed = this.prefixedLines;
    this.prefixedLines = 0;
    const summary = splitRecords(
      text,
      {
        json: (value, raw, line, multiLine, start) => {
          if (this.depth === 1) {
            // The input's own text: how far the entries reach sizes the tables (see expectedEntries).
            this.position = start + raw.length;
          }
          return this.raw(value, raw, at(line), multiLine, origin < 0 ? -1 : origin + start);
        },
        tooLong: (raw, line, message) => {
          const container = this.depth < MAX_NESTED_READS ? containerOfText(raw) : undefined;
          if (container) {
            this.read(raw, at(line), container);
          } else {
            this.reject(at(line), 'too-long', message);
          }
        },
        invalid: (raw, line, error) =>
          error === undefined
            ? this.text(raw, at(line))
            : this.reject(at(line), 'broken-json', () => `broken JSON, ${error}: "${excerpt(raw)}"`),
        token: (raw, line, kind) => this.token(raw, at(line), kind),
      },
      this.depth === 1 ? this.onProgress : undefined,
      (t, pos, eol, line) => this.prefixed(t, pos, eol, at(line), formats, true),
      isPrefixedLine
    );
    this.flushRow();
    if (this.depth === 1 && summary.openAtEnd) {
      this.openAtEnd = true;
    }
    // A part is named after its line prefixes when they make most of it (NDJSON with one S3 line is NDJSON).
    const prefixed = formats.size === 0 ? undefined : [...formats][0];
    const named = prefixed !== undefined && this.prefixedLines * 2 >= summary.jsonRecords + summary.textRecords;
    this.prefixedLines = outerPrefixed;
    return named ? { ...summary, prefixFormat: prefixed } : summary;
  }

  /**
   * Reads a text (or a part of one, starting at line `firstLine`) as `format`, or as whatever it is when
   * undefined. Containers hand back the documents that are not theirs, which are read the same way.
   */
  read(text: string, firstLine: number, format: InputFormat | undefined, maxInflatedBytes?: number, origin = -1): void {
    const outer = this.part;
    const part: ParsePart = { format: format ?? 'empty', line: firstLine, records: 0, entries: 0 };
    this.part = part;
    this.parts.push(part);
    this.depth++;
    const detected = format ?? detectFormat(text);
    const container = readContainer(text, detected, maxInflatedBytes);
    if (container) {
      part.format = detected;
      if (this.depth === 1) {
        this.containerRecords = container.records.length;
      }
      const shift = firstLine - 1;
      // The part starts at its first record (lines handed back before it are parts of their own).
      const firstOwn = Math.min(container.records[0]?.line ?? Infinity, container.broken[0]?.line ?? Infinity);
      if (firstOwn !== Infinity && (container.rest?.[0]?.line ?? Infinity) < firstOwn) {
        part.line = firstOwn + shift;
      }
      const rest = container.rest ?? [];
      if (container.broken.length === 0 && rest.length === 0) {
        // The common case: records only, in input order.
        for (const record of container.records) {
          this.record(record, shift);
        }
      } else {
        // Keep input order: records, broken records and other documents interleave by line (each list
        // is in order; merged without sorting, so a container of a million records costs no sort).
        const { records, broken } = container;
        let r = 0;
        let b = 0;
        let o = 0;
        while (r < records.length || b < broken.length || o < rest.length) {
          const rl = records[r]?.line ?? Infinity;
          const bl = broken[b]?.line ?? Infinity;
          const ol = rest[o]?.line ?? Infinity;
          if (ol <= rl && ol <= bl) {
            const stretch = rest[o++];
            this.read(
              text.slice(stretch.start, stretch.end),
              stretch.line + shift,
              undefined,
              maxInflatedBytes,
              origin < 0 ? -1 : origin + stretch.start
            );
          } else if (bl <= rl) {
            const item = broken[b++];
            this.reject(item.line + shift, 'broken-record', item.message);
          } else {
            this.record(records[r++], shift);
          }
        }
      }
      if (format !== undefined && container.records.length === 0 && container.rest?.length) {
        this.notes.push(
          `No ${FORMAT_LABELS[format]} found where it was expected (line ${firstLine}): the text was read as what it is.`
        );
      }
      this.skipped += container.skipped;
      this.notes.push(...container.notes);
    } else {
      const summary = this.splitRaw(text, firstLine, false, origin);
      part.format = summary.prefixFormat ?? rawFormat(summary);
      if (summary.stoppedAt !== undefined) {
        // Another format from this line on (a CSV download after raw entries): read it as what it is.
        const line = firstLine + countLines(text, 0, summary.stoppedAt);
        this.read(
          text.slice(summary.stoppedAt),
          line,
          undefined,
          maxInflatedBytes,
          origin < 0 ? -1 : origin + summary.stoppedAt
        );
      }
    }
    this.depth--;
    this.part = outer;
  }
}

/**
 * An entry from Logs Insights' selected fields: `@`-fields dropped except `@timestamp`, which stands in
 * for `timestamp` when that was not selected (both are AWS's UTC time in the same format).
 */
export function entryFromFields(fields: Record<string, unknown>): Record<string, unknown> {
  const entry: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(fields)) {
    if (!key.startsWith('@')) {
      entry[key] = fields[key];
    }
  }
  if (entry.timestamp === undefined && typeof fields['@timestamp'] === 'string') {
    entry.timestamp = fields['@timestamp'];
  }
  return entry;
}

/**
 * Parses AWS IoT log entries from raw entries or any of CloudWatch's containers into one typed table
 * per eventType. Never throws for bad data: every record ends up in a table or is counted in
 * `stats.rejected` with an issue saying where it was and why.
 */
export function parseTables(input: RawInput, options: ParseOptions = {}): TableResult {
  return parsePrepared(prepareInput(input, options.maxInflatedBytes), options).result;
}

/**
 * Where the bodies of the tables are in the input as given, for the worker's hand-off (the page cuts
 * them out of its own copy of the input instead of receiving them): the input's text starts at
 * `origin` (characters of a string, or bytes: a byte order mark before it), and each character of the
 * text is one unit of the input (a string, or bytes of ASCII text).
 */
export interface BodyOffsets {
  origin: number;
  /** Per table, by row: where the body starts in the text (its length is the body's), -1 where it is not there. */
  starts: ReadonlyMap<EventTable, readonly number[]>;
}

/** Where the text is in the input, when each of its characters is one unit of the input; else undefined. */
function textOrigin(input: RawInput, prepared: PreparedInput): number | undefined {
  if (prepared.compression) {
    return undefined;
  }
  let bom = 0;
  let units: number;
  if (typeof input === 'string') {
    bom = input.charCodeAt(0) === 0xfeff ? 1 : 0;
    units = input.length;
  } else {
    const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
    bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    units = bytes.byteLength;
  }
  // UTF-8 never gives more characters than bytes: as many means one byte, one character, throughout.
  return prepared.text.length === units - bom ? bom : undefined;
}

/** parseTables, with where the bodies are in the input when they can be found there (see BodyOffsets). */
export function parseForHandOff(
  input: RawInput,
  options: ParseOptions = {}
): { result: TableResult; bodies?: BodyOffsets } {
  const prepared = prepareInput(input, options.maxInflatedBytes);
  return parsePrepared(prepared, options, textOrigin(input, prepared));
}

/** Formats of raw entries: a piece of them parses on its own as it would within the whole text. */
const RAW_FORMATS: ReadonlySet<InputFormat> = new Set(['ndjson', 'json-objects', 'text', 'empty']);

/** One piece of a large input, parsed where it was sent (see src/query/parseRunner.ts). */
export type PieceResult =
  /** Parsed, and its result merges with the other pieces' into what one parse of the whole gives. */
  | { cuttable: true; result: TableResult; lineFeeds: number; bodies?: BodyOffsets }
  /** The input is not raw entries that may be cut there (it must be parsed whole). */
  | { cuttable: false };

/**
 * Parses a piece of a large input cut by cutIntoPieces' rule (`first`: the piece the input starts
 * with), when the piece is raw entries only: nothing that a cut may fall inside (CSV, CLI rows, an
 * array, a container), no compression, nothing noted (notes are not summed across pieces).
 */
export function parsePiece(
  input: RawInput,
  first: boolean,
  options: ParseOptions = {},
  /** False for a piece that more of the input follows. */
  last = true
): PieceResult {
  const prepared = prepareInput(input, options.maxInflatedBytes);
  if (prepared.compression || prepared.notes.length > 0 || prepared.info.length > 0 || !mayCut(prepared.text, first)) {
    return { cuttable: false };
  }
  const { result, bodies, openAtEnd } = parsePrepared(prepared, options, textOrigin(input, prepared));
  const { stats } = result;
  // An entry still open where the piece ends: what follows decides how it reads (closed, or broken).
  if (
    (openAtEnd && !last) ||
    stats.notes.length > 0 ||
    stats.info.length > 0 ||
    stats.parts.some((part) => !RAW_FORMATS.has(part.format))
  ) {
    return { cuttable: false };
  }
  return { cuttable: true, result, lineFeeds: countLineFeeds(prepared.text), ...(bodies ? { bodies } : {}) };
}

/** `origin`: where the text is in the input (see BodyOffsets); the bodies' places are kept when given. */
function parsePrepared(
  prepared: PreparedInput,
  options: ParseOptions,
  origin?: number
): { result: TableResult; bodies?: BodyOffsets; openAtEnd: boolean } {
  const { text } = prepared;
  const collect = new Collector(
    options.maxIssues ?? DEFAULT_MAX_ISSUES,
    options.onProgress && ((pos) => options.onProgress!(pos, text.length)),
    text.length,
    origin !== undefined
  );
  collect.read(
    text,
    1,
    options.format && options.format !== 'auto' ? options.format : undefined,
    options.maxInflatedBytes,
    origin === undefined ? -1 : 0
  );
  const parts = mergeParts(collect.parts);
  const notes = [...prepared.notes, ...collect.notes];
  // What the reader did that is no problem: shown as information, not as a warning.
  const info: string[] = [...prepared.info];
  if (collect.skippedLines.size > 0) {
    info.push(
      `Lines of CLI output that are not log events skipped: ${[...collect.skippedLines]
        .map(([what, count]) => `${count} × ${what}`)
        .join(', ')}.`
    );
  }
  if (parts.length > 1) {
    info.push(
      `The input holds ${parts.length} parts in different formats, each read as what it is: ${parts
        .map((p) => `${FORMAT_LABELS[p.format]} from line ${p.line}`)
        .join('; ')}.`
    );
  }
  const stats: ParseStats = {
    format: formatOfParts(parts),
    records: collect.records,
    entries: collect.entries,
    rejected: collect.rejected,
    rejectedByReason: collect.rejectedByReason,
    issuesOmitted: collect.rejected - collect.issues.length,
    inputSize: prepared.inputSize,
    eventTypes: collect.builder.size,
    skipped: collect.skipped,
    notes,
    info,
    parts,
    ...(prepared.compression ? { compression: prepared.compression } : {}),
  };
  const tables = collect.builder.build();
  notes.push(...collect.builder.notes());
  options.onProgress?.(text.length, text.length);
  const result = { tables, issues: collect.issues, stats };
  const { openAtEnd } = collect;
  return origin === undefined
    ? { result, openAtEnd }
    : { result, openAtEnd, bodies: { origin, starts: collect.builder.bodyStarts } };
}

/** parseTables with each table shaped as a Grafana logs frame (src/output/logs.ts). */
export function parseLogs(input: RawInput, options: ParseOptions = {}): ParseResult {
  const { tables, issues, stats } = parseTables(input, options);
  return { frames: logsFramesOf(tables), issues, stats };
}
