/**
 * Hostile and unusual input found in review: each case once took quadratic time, threw, or lost
 * records. Timing is not asserted (the benchmark measures speed); sizes are chosen so that the old
 * behaviour would have made these tests time out.
 */
import { gzipSync } from 'fflate';

import { DEFAULT_MAX_INFLATED_BYTES, getEventTypeSchema, parseLogs, type ParseResult } from './index';
import { awsReferenceExamples } from './testutils';

const examples = awsReferenceExamples();
const entry = (i: number) => JSON.stringify({ ...examples[0].json, clientId: `c${i}` });

function expectAccounting(result: ParseResult) {
  expect(result.stats.entries + result.stats.rejected).toBe(result.stats.records);
  expect(result.frames.reduce((n, f) => n + f.length, 0)).toBe(result.stats.entries);
}

describe('hostile input', () => {
  it('reads a large JSON array on one line (minified) in linear time', () => {
    const text = JSON.stringify(Array.from({ length: 20000 }, (_, i) => JSON.parse(entry(i))));
    const result = parseLogs(text);
    expect(result.stats).toMatchObject({ format: 'json-array', entries: 20000, rejected: 0 });
  }, 10000);

  it('reads many concatenated objects on one line in linear time', () => {
    const result = parseLogs(Array.from({ length: 20000 }, (_, i) => entry(i)).join(''));
    expect(result.stats).toMatchObject({ entries: 20000, rejected: 0 });
  }, 10000);

  it('reads minified filter-log-events output on one line', () => {
    const events = Array.from({ length: 20000 }, (_, i) => ({ timestamp: 1, message: entry(i), eventId: String(i) }));
    const result = parseLogs(JSON.stringify({ events }));
    expect(result.stats).toMatchObject({ format: 'filter-log-events', entries: 20000 });
  }, 10000);

  it('reads every page of filter-log-events outputs appended to one file', () => {
    const page = (from: number) =>
      JSON.stringify(
        { events: [0, 1].map((i) => ({ timestamp: 1, message: entry(from + i), eventId: String(from + i) })) },
        null,
        2
      );
    const result = parseLogs(`${page(0)}\n${page(2)}\n`);
    expectAccounting(result);
    expect(result.stats).toMatchObject({ format: 'filter-log-events', records: 4, entries: 4 });
  });

  it('does not take raw entries whose first key is status for Logs Insights output', () => {
    const first = JSON.stringify({
      status: 'Success',
      eventType: 'Connect',
      timestamp: '2017-08-10 15:37:23.476',
      note: '"results": [',
    });
    const result = parseLogs(`${first}\n${entry(1)}`);
    expect(result.stats).toMatchObject({ format: 'ndjson', entries: 2, rejected: 0 });
  });

  it('detects the Logs Insights console JSON whatever the order of its keys', () => {
    const rows = [0, 1].map((i) => ({ eventType: 'Connect', '@logStream': 's', '@message': entry(i) }));
    expect(parseLogs(JSON.stringify(rows)).stats).toMatchObject({ format: 'insights-json', entries: 2 });
  });

  it('does not take a JSON object with a logGroup key for a subscription payload', () => {
    const result = parseLogs(`{"logGroup":"x","message":"m"}\n${entry(1)}`);
    expect(result.stats).toMatchObject({ format: 'ndjson', entries: 1, rejected: 1 });
  });

  it('reads a message that is a JSON array of entries, one record each', () => {
    const payload = {
      messageType: 'DATA_MESSAGE',
      logEvents: [{ id: '1', timestamp: 1, message: `[${entry(1)},${entry(2)}]` }],
    };
    const result = parseLogs(JSON.stringify(payload));
    expectAccounting(result);
    expect(result.stats).toMatchObject({ format: 'subscription', records: 2, entries: 2 });
  });

  it('keeps objects nested deeper than the flattening limit whole (as JSON text when too deep), without a stack overflow', () => {
    let nested = '{"a":1}';
    for (let i = 0; i < 10000; i++) {
      nested = `{"a":${nested}}`;
    }
    // Flattened 8 levels into x.a.a.a.a.a.a.a; what is below is too deep to keep as an object.
    const below = nested.slice('{"a":'.repeat(8).length, nested.length - 8);
    const line = `{"timestamp":"2017-08-10 15:37:23.476","eventType":"Connect","x":${nested}}`;
    for (const text of [
      line,
      JSON.stringify({ events: [{ timestamp: 1, message: line }] }),
      `2020-09-08T04:00:24.000Z ${line}`,
    ]) {
      const result = parseLogs(text);
      expectAccounting(result);
      expect(result.stats.entries).toBe(1);
      const frame = result.frames[0];
      expect(frame.fields.filter((f) => f.name.startsWith('x.')).length).toBe(1);
      const field = frame.fields.find((f) => f.name.startsWith('x.'))!;
      expect(field.name).toBe(`x${'.a'.repeat(8)}`);
      expect(field.type).toBe('string');
      expect(field.values[0]).toBe(below);
      expect(result.stats.notes).toContainEqual(
        expect.stringMatching(/nested more than 64 levels deep: kept as JSON text/)
      );
    }
  });

  it('reads a format override that does not fit as what it is, or refuses it with a note, never throwing', () => {
    const text = `${entry(1)}\n${entry(2)}`;
    for (const format of [
      'insights-api',
      'filter-log-events',
      'get-log-events',
      'insights-json',
      'subscription',
      'insights-csv',
      'grafana-csv',
      's3-export',
    ] as const) {
      const result = parseLogs(text, { format });
      expectAccounting(result);
      if (
        [
          'insights-api',
          'filter-log-events',
          'get-log-events',
          'insights-json',
          'insights-csv',
          'grafana-csv',
        ].includes(format)
      ) {
        // Containers hand back what is not theirs (JSON documents, lines starting with { after a CSV):
        // the entries are read.
        expect(result.stats).toMatchObject({ format: 'ndjson', entries: 2, rejected: 0 });
        expect(result.stats.notes).toContainEqual(expect.stringMatching(/^No .* found where it was expected/));
      } else if (format === 'subscription') {
        // Objects among payloads that are not payloads are read as what they are.
        expect(result.stats).toMatchObject({ format, entries: 2, rejected: 0 });
      } else {
        expect(result.stats.format).toBe(format);
        expect(result.stats.entries).toBe(0);
        expect(result.stats.rejected + result.stats.notes.length).toBeGreaterThan(0);
      }
    }
  });

  it('stops gzip at the limit (256 MB by default, under what a browser string holds) and reads what came before', () => {
    expect(DEFAULT_MAX_INFLATED_BYTES).toBe(256 * 1024 * 1024);
    const big = gzipSync(new TextEncoder().encode(`${entry(1)}\n${' '.repeat(64 * 1024 * 1024)}`));
    const result = parseLogs(big, { maxInflatedBytes: 32 * 1024 * 1024 });
    expectAccounting(result);
    expect(result.stats.entries).toBe(1);
    expect(result.stats.notes).toEqual([expect.stringMatching(/inflates to more than 32 MB/)]);
  });

  it('gives up on a CSV of many unclosed quotes after a bounded number of restarts', () => {
    const rows = Array.from({ length: 3000 }, (_, i) =>
      i % 2 === 0 ? '2024-03-04 10:00:00.000,"abc' : '2024-03-04 10:00:00.000,x'
    );
    const result = parseLogs(`@timestamp,@message\n${rows.join('\n')}`);
    expectAccounting(result);
    expect(result.stats.format).toBe('insights-csv');
    expect(result.stats.rejectedByReason['broken-record']).toBeLessThanOrEqual(101);
  }, 10000);

  it('trims an S3 export message followed by a long run of blank lines in linear time', () => {
    const result = parseLogs(`2020-09-08T04:00:24.000Z ${entry(1)}${'\n'.repeat(200000)}`);
    expect(result.stats.entries).toBe(1);
  }, 10000);
});

describe('limits', () => {
  it('rejects a record longer than 1 MB with a clear reason, and reads the records after it', () => {
    const huge = JSON.stringify({ ...examples[0].json, details: 'x'.repeat(1_100_000) });
    for (const text of [`${huge}\n${entry(1)}`, `${JSON.stringify(JSON.parse(huge), null, 2)}\n${entry(1)}`]) {
      const result = parseLogs(text);
      expectAccounting(result);
      expect(result.stats).toMatchObject({ entries: 1, rejected: 1, rejectedByReason: { 'too-long': 1 } });
      expect(result.issues[0].message).toMatch(/longer than the 1 MB limit/);
    }
  });

  it('rejects a container message longer than 1 MB', () => {
    const events = [
      { timestamp: 1, message: JSON.stringify({ ...examples[0].json, details: 'x'.repeat(1_100_000) }) },
      { timestamp: 2, message: entry(2) },
    ];
    const result = parseLogs(JSON.stringify({ events }));
    expect(result.stats).toMatchObject({
      format: 'filter-log-events',
      entries: 1,
      rejected: 1,
      rejectedByReason: { 'too-long': 1 },
    });
  });

  it('gives a frame at most 500 columns and says what stayed in the body', () => {
    const lines = Array.from({ length: 3 }, (_, r) => {
      const extra = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${r}_${i}`, i]));
      return JSON.stringify({ ...examples[0].json, ...extra });
    });
    const result = parseLogs(lines.join('\n'));
    expectAccounting(result);
    expect(result.stats.entries).toBe(3);
    const frame = result.frames[0];
    // 5 logs-contract fields, the documented attributes, and attribute columns up to the limit.
    const documented = getEventTypeSchema('Connect')!.fields.length;
    expect(frame.fields.length).toBeLessThanOrEqual(5 + documented + 500);
    expect(frame.fields.filter((f) => /^k\d/.test(f.name)).length).toBeLessThan(500);
    expect(frame.fields.every((f) => f.values.length === 3)).toBe(true);
    expect(result.stats.notes).toEqual([
      expect.stringMatching(
        /^Connect entries have more than 500 distinct attributes: \d+ more .* stay in the body only\.$/
      ),
    ]);
  });
});
