/**
 * The parsing core: AWS IoT Core log entries (CloudWatch Logs, log group AWSIotLogsV2) → typed data
 * frames, one per eventType. Pure TypeScript: runs in Node, jsdom and Web Workers.
 *
 *   decode (bytes → text, gzip) → detect the container → split records → classify (record → entry |
 *   rejection) → flatten + derive + type → frames
 */
import { classifyJson, classifyText, excerpt } from './classify';
import { readContainer } from './containers';
import { type ContainerRecord } from './containers/types';
import { detectFormat, prepareInput } from './detect';
import { type RawInput } from './decode';
import { FrameBuilder } from './frames';
import { parseIotTimestamp } from './timestamp';
import { MAX_RECORD_CHARS, splitRecords, type SplitSummary } from './split';
import type { InputFormat, ParseIssue, ParseOptions, ParseResult, ParseStats, RejectReason } from './types';

export type { InputFormat, ParseIssue, ParseOptions, ParseResult, ParseStats, RejectReason } from './types';
export { CONTAINER_FORMATS } from './types';
export { FORMAT_LABELS } from './formats';
export type { IotFrameMeta, LogLabels } from './frames';
export { LOG_FIELDS } from './frames';
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
export { decodeBase64, gunzipLimited, streamLimited, DEFAULT_MAX_INFLATED_BYTES } from './gzip';

export const DEFAULT_MAX_ISSUES = 100;

function rawFormat(summary: SplitSummary): InputFormat {
  if (summary.jsonRecords === 0) {
    return summary.textRecords === 0 ? 'empty' : 'text';
  }
  if (summary.array) {
    return 'json-array';
  }
  return summary.multiLine || summary.sharedLine ? 'json-objects' : 'ndjson';
}

/** The entry as one line of JSON for the logs view, or its text as found when it cannot be serialised. */
function compact(value: unknown, raw: string): string {
  try {
    return JSON.stringify(value);
  } catch {
    return raw;
  }
}

/** Counts and collects what happens to each record. */
class Collector {
  readonly builder = new FrameBuilder();
  readonly issues: ParseIssue[] = [];
  readonly rejectedByReason: Partial<Record<RejectReason, number>> = {};
  records = 0;
  entries = 0;
  rejected = 0;

  constructor(private readonly maxIssues: number) {}

  reject(line: number, reason: RejectReason, message: string): void {
    this.rejected++;
    this.rejectedByReason[reason] = (this.rejectedByReason[reason] ?? 0) + 1;
    if (this.issues.length < this.maxIssues) {
      this.issues.push({ line, record: this.records, reason, message });
    }
    this.records++;
  }

  json(value: unknown, body: () => string, line: number): void {
    const c = classifyJson(value);
    if (c.ok) {
      this.builder.add(c.entry, c.eventType, c.time, body(), this.records);
      this.entries++;
      this.records++;
    } else {
      this.reject(line, c.reason, c.message);
    }
  }

  /**
   * A record of raw entries. The common case (an entry with a string eventType and an AWS timestamp) is
   * handled here without allocating; anything else goes through classifyJson for its reason.
   */
  raw(value: unknown, raw: string, line: number, multiLine: boolean): void {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const entry = value as Record<string, unknown>;
      const eventType = entry.eventType;
      const timestamp = entry.timestamp;
      if (typeof eventType === 'string' && eventType !== '' && typeof timestamp === 'string') {
        const time = parseIotTimestamp(timestamp);
        if (time !== undefined) {
          this.builder.add(entry, eventType, time, multiLine ? compact(entry, raw) : raw, this.records);
          this.entries++;
          this.records++;
          return;
        }
      }
    }
    this.json(value, () => (multiLine ? compact(value, raw) : raw), line);
  }

  text(raw: string, line: number): void {
    const c = classifyText(raw);
    this.reject(line, c.reason, c.message);
  }

  /** A raw message from a container: one entry as JSON text (possibly pretty-printed), or other text. */
  message(message: string, line: number): void {
    if (message.length > MAX_RECORD_CHARS) {
      this.reject(
        line,
        'too-long',
        `a message of ${(message.length / 1024 / 1024).toFixed(1)} MB, longer than the ${MAX_RECORD_CHARS / 1024 / 1024} MB limit (CloudWatch Logs events are at most 256 KB)`
      );
      return;
    }
    const trimmed = message.trim();
    if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) {
      this.text(trimmed, line);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (e) {
      this.reject(
        line,
        'broken-json',
        `broken JSON, ${e instanceof Error ? e.message : String(e)}: "${excerpt(trimmed)}"`
      );
      return;
    }
    if (Array.isArray(value)) {
      // A message holding several entries: each element is a record of its own.
      for (const element of value) {
        this.json(element, () => compact(element, trimmed), line);
      }
      return;
    }
    this.json(value, () => (trimmed.includes('\n') ? compact(value, trimmed) : trimmed), line);
  }

  record(record: ContainerRecord): void {
    if (record.message !== undefined) {
      this.message(record.message, record.line);
    } else if (record.object !== undefined) {
      const object = record.object;
      this.json(object, () => compact(object, '[entry]'), record.line);
    } else {
      const entry = entryFromFields(record.fields ?? {});
      this.json(entry, () => compact(entry, '[entry]'), record.line);
    }
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
 * Parses AWS IoT log entries from raw entries or any of CloudWatch's containers. Never throws for bad
 * data: every record ends up in a frame or is counted in `stats.rejected` with an issue saying where it
 * was and why.
 */
export function parseLogs(input: RawInput, options: ParseOptions = {}): ParseResult {
  const prepared = prepareInput(input, options.maxInflatedBytes);
  const { text } = prepared;
  const notes = [...prepared.notes];
  const collect = new Collector(options.maxIssues ?? DEFAULT_MAX_ISSUES);
  let format = options.format && options.format !== 'auto' ? options.format : detectFormat(text);
  let skipped = 0;

  const container = readContainer(text, format, options.maxInflatedBytes);
  if (container) {
    // Keep input order: records and broken records interleave by line.
    const items = [
      ...container.records.map((record) => ({ line: record.line, record })),
      ...container.broken.map((broken) => ({ line: broken.line, broken })),
    ].sort((a, b) => a.line - b.line);
    for (const item of items) {
      if ('record' in item) {
        collect.record(item.record);
      } else {
        collect.reject(item.line, 'broken-record', item.broken.message);
      }
    }
    skipped = container.skipped;
    notes.push(...container.notes);
  } else {
    const summary = splitRecords(
      text,
      {
        json: (value, raw, line, multiLine) => collect.raw(value, raw, line, multiLine),
        tooLong: (_raw, line, message) => collect.reject(line, 'too-long', message),
        invalid: (raw, line, error) =>
          error === undefined
            ? collect.text(raw, line)
            : collect.reject(line, 'broken-json', `broken JSON, ${error}: "${excerpt(raw)}"`),
      },
      options.onProgress && ((pos) => options.onProgress!(pos, text.length))
    );
    format = rawFormat(summary);
  }

  const stats: ParseStats = {
    format,
    records: collect.records,
    entries: collect.entries,
    rejected: collect.rejected,
    rejectedByReason: collect.rejectedByReason,
    issuesOmitted: collect.rejected - collect.issues.length,
    inputSize: prepared.inputSize,
    eventTypes: collect.builder.size,
    skipped,
    notes,
    ...(prepared.compression ? { compression: prepared.compression } : {}),
  };
  const frames = collect.builder.build();
  notes.push(...collect.builder.notes());
  options.onProgress?.(text.length, text.length);
  return { frames, issues: collect.issues, stats };
}
