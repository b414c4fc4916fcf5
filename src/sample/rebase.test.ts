import { readFileSync } from 'fs';
import path from 'path';

import { EVENT_TYPES, parseIotTimestamp, parseLogs } from '../parsing';
import { rebaseSample, SAMPLE_END_MS, SAMPLE_START_MS, sampleOffset } from './rebase';

const SAMPLE_TEXT = readFileSync(path.join(__dirname, 'fleet-day.json'), 'utf8');

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A reference formatter built on Date's UTC getters. */
function iso(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

const entry = (timestamp: string, rest = '"eventType":"Connect"') =>
  `{"timestamp":"${timestamp}","logLevel":"INFO",${rest}}`;

describe('rebaseSample', () => {
  it('shifts a timestamp by the offset', () => {
    expect(rebaseSample(entry('2024-03-04 10:00:00.123'), HOUR)).toBe(entry('2024-03-04 11:00:00.123'));
    expect(rebaseSample(entry('2024-03-04 10:00:00.123'), 3 * DAY + 7)).toBe(entry('2024-03-07 10:00:00.130'));
  });

  it('crosses day, month, leap day and year boundaries, forwards and backwards', () => {
    const cases: Array<[string, number, string]> = [
      ['2024-12-31 23:59:59.999', 1, '2025-01-01 00:00:00.000'],
      ['2025-01-01 00:00:00.000', -1, '2024-12-31 23:59:59.999'],
      ['2024-02-28 23:00:00.000', 2 * HOUR, '2024-02-29 01:00:00.000'],
      ['2024-03-01 00:00:00.000', -1, '2024-02-29 23:59:59.999'],
      ['2023-03-01 00:00:00.000', -1, '2023-02-28 23:59:59.999'],
      ['2024-03-04 00:00:00.000', -(DAY * 366), '2023-03-04 00:00:00.000'],
      ['2024-01-31 12:00:00.500', 30 * DAY, '2024-03-01 12:00:00.500'],
      ['1999-12-31 23:59:59.000', 1000, '2000-01-01 00:00:00.000'],
    ];
    for (const [from, offset, to] of cases) {
      expect(rebaseSample(entry(from), offset)).toBe(entry(to));
    }
  });

  it('agrees with Date for many times and offsets, and preserves milliseconds', () => {
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 2000; i++) {
      const t = Date.UTC(1990, 0, 1) + Math.floor(next() * 60 * 365 * DAY);
      const offset = Math.floor((next() - 0.5) * 20 * 365 * DAY);
      expect(rebaseSample(entry(iso(t)), offset)).toBe(entry(iso(t + offset)));
    }
    const shifted = rebaseSample(entry('2024-03-04 10:11:12.345'), 17 * MINUTE);
    expect(shifted).toBe(entry('2024-03-04 10:28:12.345'));
  });

  it('keeps spaces around the colon', () => {
    const text =
      '{ "timestamp" : "2024-03-04 10:00:00.000", "x": 1 }\n{\n  "timestamp":   "2024-03-04 23:30:00.000"\n}';
    expect(rebaseSample(text, HOUR)).toBe(
      '{ "timestamp" : "2024-03-04 11:00:00.000", "x": 1 }\n{\n  "timestamp":   "2024-03-05 00:30:00.000"\n}'
    );
  });

  it('shifts lastModifiedDate, nextUpdateTime and the Ping times', () => {
    const text =
      '{"timestamp":"2024-03-04 07:46:01.000","eventType":"GetRetainedMessage","protocol":"HTTP","qos":"1",' +
      '"lastModifiedDate":"2024-03-04 07:12:00.250"}\n' +
      '{"timestamp":"2024-03-04 00:00:00.412","eventType":"RetrieveOCSPStapleData","nextUpdateTime":"2024-03-10 23:45:00.412"}\n' +
      '{"timestamp":"2024-03-04 02:00:00.010","eventType":"Ping","latency":3,"requestTimestamp":1709517600007,' +
      '"responseTimestamp":"1709517600010"}';
    expect(rebaseSample(text, DAY)).toBe(
      '{"timestamp":"2024-03-05 07:46:01.000","eventType":"GetRetainedMessage","protocol":"HTTP","qos":"1",' +
        '"lastModifiedDate":"2024-03-05 07:12:00.250"}\n' +
        '{"timestamp":"2024-03-05 00:00:00.412","eventType":"RetrieveOCSPStapleData","nextUpdateTime":"2024-03-11 23:45:00.412"}\n' +
        '{"timestamp":"2024-03-05 02:00:00.010","eventType":"Ping","latency":3,"requestTimestamp":1709604000007,' +
        '"responseTimestamp":"1709604000010"}'
    );
  });

  it('leaves everything else byte for byte unchanged', () => {
    const rest =
      '"traceId":"2024-03-04 10:00:00.000","details":"at \\"timestamp\\":\\"2024-03-04 10:00:00.000\\"",' +
      '"epoch":{"timestamp":1709546400000},"sourcePort":13490,"ts":"timestamp","n":"requestTimestamp",' +
      '"requestTimestamp":17095464000001,"bad":{"timestamp":"2024-02-30 10:00:00.000"},' +
      '"short":{"timestamp":"2024-03-04 10:00:00"},"é":"ü ✓"';
    const text = `[\n${entry('2024-03-04 10:00:00.000', rest)},\n${entry('2024-03-04 10:00:00.999', rest)}\n]\n`;
    const expected = `[\n${entry('2024-03-04 09:59:00.000', rest)},\n${entry('2024-03-04 09:59:00.999', rest)}\n]\n`;
    expect(rebaseSample(text, -MINUTE)).toBe(expected);
  });

  it('is the identity with offset 0 and reversible', () => {
    expect(rebaseSample(SAMPLE_TEXT, 0)).toBe(SAMPLE_TEXT);
    const offset = 400 * DAY + 5 * HOUR + 123;
    const there = rebaseSample(SAMPLE_TEXT, offset);
    expect(there).not.toBe(SAMPLE_TEXT);
    expect(rebaseSample(there, -offset)).toBe(SAMPLE_TEXT);
    // re-formatting every value without shifting it reproduces the text
    expect(rebaseSample(rebaseSample(SAMPLE_TEXT, 1), -1)).toBe(SAMPLE_TEXT);
  });
});

describe('sampleOffset', () => {
  it('puts the last entry at the range end rounded down to the minute', () => {
    const to = Date.UTC(2025, 0, 15, 12, 34, 56, 789);
    const offset = sampleOffset(to);
    expect(SAMPLE_END_MS + offset).toBe(Date.UTC(2025, 0, 15, 12, 34));
    expect((SAMPLE_END_MS + offset) % MINUTE).toBe(0);
    expect(sampleOffset(Date.UTC(2025, 0, 15, 12, 34))).toBe(offset);
    expect(sampleOffset(Date.UTC(2025, 0, 15, 12, 34, 59, 999))).toBe(offset);
    expect(sampleOffset(Date.UTC(2025, 0, 15, 12, 35))).toBe(offset + MINUTE);
  });
});

describe('fleet-day.json', () => {
  const lines = SAMPLE_TEXT.split('\n');
  const entries: Array<Record<string, unknown>> = JSON.parse(SAMPLE_TEXT);
  const times = entries.map((e) => parseIotTimestamp(String(e.timestamp)));

  it('is a JSON array with one compact entry per line', () => {
    expect(Array.isArray(entries)).toBe(true);
    expect(entries.length).toBeGreaterThanOrEqual(8000);
    expect(entries.length).toBeLessThanOrEqual(20000);
    expect(SAMPLE_TEXT.length).toBeLessThan(5 * 1024 * 1024);
    expect(lines[0]).toBe('[');
    expect(lines.slice(-2)).toEqual([']', '']);
    expect(lines.length).toBe(entries.length + 3);
    lines.slice(1, -2).forEach((line, i) => {
      expect(line).toBe(JSON.stringify(entries[i]) + (i < entries.length - 1 ? ',' : ''));
    });
  });

  it('is sorted by time, starts on 2024-03-04 and ends at SAMPLE_END_MS', () => {
    expect(times.every((t) => t !== undefined)).toBe(true);
    for (let i = 1; i < times.length; i++) {
      expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
    }
    expect(String(entries[0].timestamp).startsWith('2024-03-04 ')).toBe(true);
    expect(times[0]!).toBeGreaterThanOrEqual(SAMPLE_START_MS);
    expect(times[0]!).toBeLessThan(SAMPLE_START_MS + MINUTE);
    expect(times[times.length - 1]).toBe(SAMPLE_END_MS);
    expect(SAMPLE_END_MS).toBeLessThan(SAMPLE_START_MS + DAY);
  });

  it('contains every registered event type, failures and a final job count', () => {
    const seen = new Set(entries.map((e) => e.eventType));
    expect(EVENT_TYPES.map((s) => s.eventType).filter((t) => !seen.has(t))).toEqual([]);
    expect(entries.filter((e) => e.status === 'Failure').length).toBeGreaterThanOrEqual(20);
    const finals = entries.filter((e) => e.eventType === 'ReportFinalJobExecutionCount');
    expect(finals.length).toBeGreaterThanOrEqual(1);
    expect(finals.map((e) => e.details)).toContain(
      'Job fw-update-2024-03-04 completed. QUEUED job execution count: 0 IN_PROGRESS job execution count: 0 ' +
        'FAILED job execution count: 2 SUCCEEDED job execution count: 8 CANCELED job execution count: 0 ' +
        'REJECTED job execution count: 0 REMOVED job execution count: 0'
    );
  });

  it('rebased onto a query range, parses without rejections and ends at the range end', () => {
    const to = Date.UTC(2026, 6, 1, 8, 15, 42, 5);
    const text = rebaseSample(SAMPLE_TEXT, sampleOffset(to));
    expect(text.length).toBe(SAMPLE_TEXT.length);
    const shifted: Array<Record<string, unknown>> = JSON.parse(text);
    expect(parseIotTimestamp(String(shifted[shifted.length - 1].timestamp))).toBe(Date.UTC(2026, 6, 1, 8, 15));
    // only the time values changed
    const strip = (e: Record<string, unknown>) => {
      const { timestamp, lastModifiedDate, nextUpdateTime, requestTimestamp, responseTimestamp, ...rest } = e;
      return rest;
    };
    expect(shifted.map(strip)).toEqual(entries.map(strip));
    const result = parseLogs(text);
    expect(result.stats.rejected).toBe(0);
    expect(result.stats.entries).toBe(entries.length);
  });
});
