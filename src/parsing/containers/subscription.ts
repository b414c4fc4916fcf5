/**
 * CloudWatch Logs subscription filters: the Lambda event (`{"awslogs": {"data": base64(gzip(payload))}}`),
 * the decoded payload (`{"messageType": "DATA_MESSAGE", "logEvents": [...]}`), and Firehose files that
 * concatenate payloads with no separator. Control messages are skipped and reported.
 */
import { DEFAULT_MAX_INFLATED_BYTES, decodeBase64, gunzipLimited, isGzip } from '../gzip';
import { matchLinePrefix } from '../linePrefix';
import { countLines, splitRecords } from '../split';
import { detectCsv } from './csv';
import { emptyOutput, type ContainerOutput } from './types';

export function detectSubscription(text: string): boolean {
  const head = text.slice(0, 1024);
  return (
    /^\s*\{\s*"(awslogs|messageType|owner|logGroup|logStream|subscriptionFilters|logEvents)"\s*:/.test(head) &&
    /"(awslogs|messageType|logEvents)"\s*:/.test(head)
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function addPayload(out: ContainerOutput, payload: Record<string, unknown>, line: number, where: string): void {
  if (payload.messageType === 'CONTROL_MESSAGE') {
    out.skipped++;
    return;
  }
  if (!Array.isArray(payload.logEvents)) {
    out.broken.push({ line, message: `${where} has no logEvents list` });
    return;
  }
  payload.logEvents.forEach((event, i) => {
    if (isObject(event) && typeof event.message === 'string') {
      out.records.push({ line, message: event.message, escaped: true });
    } else {
      out.broken.push({ line, message: `${where}: logEvents[${i}] has no message` });
    }
  });
}

export function readSubscription(text: string, maxInflatedBytes = DEFAULT_MAX_INFLATED_BYTES): ContainerOutput {
  const limit = maxInflatedBytes;
  let room = limit;
  const out = emptyOutput();
  const decoder = new TextDecoder();
  const summary = splitRecords(
    text,
    {
      json(value, _raw, line) {
        if (!isObject(value)) {
          out.broken.push({ line, message: 'a JSON value that is not a subscription payload' });
          return;
        }
        const awslogs = value.awslogs;
        if (isObject(awslogs)) {
          const data = typeof awslogs.data === 'string' ? decodeBase64(awslogs.data) : undefined;
          if (!data) {
            out.broken.push({ line, message: 'awslogs.data is not base64' });
            return;
          }
          if (!isGzip(data)) {
            out.broken.push({ line, message: 'awslogs.data is base64 but not gzip' });
            return;
          }
          // All payloads of the file draw on one limit: many small bombs stop as one would.
          if (room <= 0) {
            out.broken.push({
              line,
              message: `awslogs.data not inflated: the payloads before it already inflated to the ${Math.round(limit / 1024 / 1024)} MB limit`,
            });
            return;
          }
          const inflated = gunzipLimited(data, room);
          room -= inflated.bytes.length;
          if (inflated.error) {
            out.broken.push({ line, message: `awslogs.data: ${inflated.error}` });
            return;
          }
          let payload: unknown;
          try {
            payload = JSON.parse(decoder.decode(inflated.bytes));
          } catch (e) {
            out.broken.push({
              line,
              message: `awslogs.data does not hold a JSON payload (${e instanceof Error ? e.message : e})`,
            });
            return;
          }
          if (isObject(payload)) {
            addPayload(out, payload, line, 'the payload in awslogs.data');
          } else {
            out.broken.push({ line, message: 'awslogs.data does not hold a payload object' });
          }
          return;
        }
        if ('messageType' in value || 'logEvents' in value) {
          addPayload(out, value, line, 'the subscription payload');
          return;
        }
        // Not a payload: an entry (or another output) appended to the file, read as what it is.
        out.records.push({ line, object: value });
      },
      invalid(_raw, line, error) {
        out.broken.push({
          line,
          message: error ? `broken subscription payload, ${error}` : 'text between subscription payloads',
        });
      },
      token(raw, line, kind) {
        // A JSON string between payloads is a message on its own (`--query 'logEvents[].message'`).
        if (kind === 'string') {
          let message: unknown;
          try {
            message = JSON.parse(raw);
          } catch {
            // An invalid escape: reported below.
          }
          if (typeof message === 'string') {
            out.records.push({ line, message, escaped: true });
            return;
          }
        }
        out.broken.push({ line, message: `a JSON value between subscription payloads: "${raw.slice(0, 40)}"` });
      },
    },
    undefined,
    // Lines of an export, a CLI output or a CSV download appended after the payloads: handed back from
    // there, to be read as what they are.
    (t, pos, eol) => (matchLinePrefix(t, pos) !== undefined || detectCsv(t.slice(pos, eol)) ? 'stop' : undefined)
  );
  if (summary.stoppedAt !== undefined) {
    out.rest = [{ start: summary.stoppedAt, end: text.length, line: 1 + countLines(text, 0, summary.stoppedAt) }];
  }
  if (out.skipped > 0) {
    out.notes.push(
      `${out.skipped} control message${out.skipped === 1 ? '' : 's'} (CloudWatch Logs checking the subscription) skipped.`
    );
  }
  return out;
}
