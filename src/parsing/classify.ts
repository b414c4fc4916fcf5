/**
 * Step 3: record → AWS IoT V2 entry, or the reason it is not one.
 */
import { getEventTypeSchema } from './schema/registry';
import { parseIotTimestamp } from './timestamp';
import type { RejectReason } from './types';

/** Bound once: entryTime runs for every record (see STRING_BIT in tableBuilder.ts). */
const timestampOf = parseIotTimestamp;

export type Entry = Record<string, unknown>;

export type Classified =
  { ok: true; entry: Entry; eventType: string; time: number } | { ok: false; reason: RejectReason; message: string };

const MQTT_LIFECYCLE_EVENTS = new Set(['connected', 'disconnected', 'subscribed', 'unsubscribed']);
const LEGACY_V1 = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)? (TRACEID|PRINCIPALID|EVENT):/;
const LEGACY_V1_EVENT = /\bEVENT:[A-Za-z]+\b/;
const LEGACY_V1_TRACE = /\bTRACEID:[0-9a-f-]+ PRINCIPALID:/;

/** `EVENT:<name> … TOPICNAME:` or `TRACEID:<id> PRINCIPALID:` anywhere in the line, in linear time. */
function looksLegacyV1(raw: string): boolean {
  const event = LEGACY_V1_EVENT.exec(raw);
  return (event !== null && raw.includes('TOPICNAME:', event.index)) || LEGACY_V1_TRACE.test(raw);
}
// Control characters other than tab/CR/LF, and U+FFFD left by undecodable bytes.
const BINARY = /[\u0000-\u0008\u000e-\u001f\ufffd]/;

const EXCERPT = 60;

/** A short, printable excerpt of a record for messages. */
export function excerpt(raw: string): string {
  const flat = raw
    .slice(0, EXCERPT * 4)
    .replace(/\s+/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '\u00b7')
    .trim();
  return flat.length > EXCERPT ? `${flat.slice(0, EXCERPT)}…` : flat;
}

function keyList(obj: object): string {
  const keys = Object.keys(obj);
  const shown = keys.slice(0, 5).join(', ');
  return keys.length > 5 ? `${shown}, … (${keys.length} keys)` : shown || 'no keys';
}

/** Classifies a line that is not JSON. */
export function classifyText(raw: string): { reason: RejectReason; message: string } {
  if (BINARY.test(raw)) {
    return { reason: 'binary', message: `binary or non-UTF-8 data, not a log entry: "${excerpt(raw)}"` };
  }
  if (LEGACY_V1.test(raw) || looksLegacyV1(raw)) {
    return {
      reason: 'legacy-v1',
      message: `legacy AWS IoT v1 text log line (log group AWSIotLogs), not a V2 JSON entry: "${excerpt(raw)}"`,
    };
  }
  return { reason: 'not-json', message: `text that is not JSON: "${excerpt(raw)}"` };
}

/** `timestamp` exactly as AWS IoT writes it: `YYYY-MM-DD HH:mm:ss.SSS`, UTC, no zone. */
const AWS_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,9})?$/;
/** AWS IoT event types: PascalCase words, joined by `-` or `.` (Publish-In, Connection.AuthNError). */
const AWS_EVENT_TYPE = /^[A-Z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*$/;

/**
 * THE accept rule for AWS IoT V2 log entries (the only one: the parser's fast path and classifyJson
 * both use it). An object is an entry, and this returns its time, when it has a string `eventType` and
 * a string `timestamp` that reads as a time, and either
 * - the eventType is one AWS documents (schema/registry.ts), with the timestamp in AWS's format or an
 *   ISO 8601 variant of it (`T`, `Z`, offsets, other fraction lengths: hand-edited entries), or
 * - the eventType is not documented (AWS adds new ones: they are kept) but looks like AWS's (PascalCase
 *   words joined by `-` or `.`) and the timestamp is exactly AWS's `YYYY-MM-DD HH:mm:ss.SSS` (UTC, no
 *   zone, 0–9 fraction digits).
 * Anything else is a look-alike (an app's `{"eventType":"subscribe","timestamp":"2020-01-11T20:35:45.000Z"}`).
 */
export function entryTime(entry: Entry): number | undefined {
  const eventType = entry.eventType;
  const timestamp = entry.timestamp;
  if (typeof eventType !== 'string' || typeof timestamp !== 'string') {
    return undefined;
  }
  const time = timestampOf(timestamp);
  if (time === undefined) {
    return undefined;
  }
  if (getEventTypeSchema(eventType) !== undefined) {
    return time;
  }
  return AWS_EVENT_TYPE.test(eventType) && AWS_TIMESTAMP.test(timestamp) ? time : undefined;
}

function describe(value: unknown): string {
  if (value !== null && typeof value === 'object') {
    return Array.isArray(value) ? 'an array' : 'an object';
  }
  return excerpt(JSON.stringify(value) ?? String(value));
}

/** Classifies a parsed JSON value. */
export function classifyJson(value: unknown): Classified {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const what = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    return { ok: false, reason: 'not-an-object', message: `JSON ${what} where a log entry object was expected` };
  }
  const entry = value as Entry;
  const eventType = entry.eventType;
  const timestamp = entry.timestamp;
  if (typeof eventType === 'string' && MQTT_LIFECYCLE_EVENTS.has(eventType) && typeof timestamp === 'number') {
    return {
      ok: false,
      reason: 'mqtt-lifecycle',
      message: `MQTT lifecycle event "${eventType}" ($aws/events/presence), not an AWSIotLogsV2 log entry`,
    };
  }
  if (typeof eventType !== 'string' || eventType === '') {
    const hint = 'cloudwatchTraceId' in entry || 'failures' in entry ? ' (looks like a rule error-action payload)' : '';
    return {
      ok: false,
      reason: 'not-iot-entry',
      message: `JSON object without an eventType, not an AWS IoT V2 log entry${hint} (keys: ${keyList(entry)})`,
    };
  }
  if (typeof timestamp !== 'string') {
    const found = timestamp === undefined ? 'no timestamp' : `timestamp ${describe(timestamp)}`;
    return {
      ok: false,
      reason: 'bad-timestamp',
      message: `${eventType} entry with ${found}; AWS IoT V2 entries have "YYYY-MM-DD HH:mm:ss.SSS" (UTC)`,
    };
  }
  const time = timestampOf(timestamp);
  if (time === undefined) {
    return {
      ok: false,
      reason: 'bad-timestamp',
      message: `${eventType} entry with timestamp "${excerpt(timestamp)}", expected "YYYY-MM-DD HH:mm:ss.SSS" (UTC)`,
    };
  }
  if (entryTime(entry) === undefined) {
    return {
      ok: false,
      reason: 'not-iot-entry',
      message: `an object with eventType "${excerpt(eventType)}" and timestamp "${excerpt(timestamp)}" that is not an AWS IoT entry: AWS IoT event types are PascalCase (Connect, Publish-In) and its timestamps read "YYYY-MM-DD HH:mm:ss.SSS" (UTC)`,
    };
  }
  return { ok: true, entry, eventType, time };
}
