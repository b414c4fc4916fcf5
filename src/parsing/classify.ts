/**
 * Step 3: record → AWS IoT V2 entry, or the reason it is not one.
 */
import { parseIotTimestamp } from './timestamp';
import type { RejectReason } from './types';

export type Entry = Record<string, unknown>;

export type Classified =
  { ok: true; entry: Entry; eventType: string; time: number } | { ok: false; reason: RejectReason; message: string };

const MQTT_LIFECYCLE_EVENTS = new Set(['connected', 'disconnected', 'subscribed', 'unsubscribed']);
const LEGACY_V1 = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)? (TRACEID|PRINCIPALID|EVENT):/;
const LEGACY_V1_LOOSE = /\bEVENT:[A-Za-z]+\b.*\bTOPICNAME:|\bTRACEID:[0-9a-f-]+ PRINCIPALID:/;
// Control characters other than tab/CR/LF, and U+FFFD left by undecodable bytes.
const BINARY = /[\u0000-\u0008\u000e-\u001f\ufffd]/;

const EXCERPT = 60;

/** A short, printable excerpt of a record for messages. */
export function excerpt(raw: string): string {
  const flat = raw
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
  if (LEGACY_V1.test(raw) || LEGACY_V1_LOOSE.test(raw)) {
    return {
      reason: 'legacy-v1',
      message: `legacy AWS IoT v1 text log line (log group AWSIotLogs), not a V2 JSON entry: "${excerpt(raw)}"`,
    };
  }
  return { reason: 'not-json', message: `text that is not JSON: "${excerpt(raw)}"` };
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
    const found = timestamp === undefined ? 'no timestamp' : `timestamp ${JSON.stringify(timestamp)}`;
    return {
      ok: false,
      reason: 'bad-timestamp',
      message: `${eventType} entry with ${found}; AWS IoT V2 entries have "YYYY-MM-DD HH:mm:ss.SSS" (UTC)`,
    };
  }
  const time = parseIotTimestamp(timestamp);
  if (time === undefined) {
    return {
      ok: false,
      reason: 'bad-timestamp',
      message: `${eventType} entry with timestamp "${excerpt(timestamp)}", expected "YYYY-MM-DD HH:mm:ss.SSS" (UTC)`,
    };
  }
  return { ok: true, entry, eventType, time };
}
