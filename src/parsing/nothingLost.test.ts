/**
 * "Nothing lost, nothing breaks": one regression test per defect found when the parser was tried as a
 * new user and as an attacker would. Time is never measured here: where linear time matters, the
 * splitter's own count of characters looked at (`work`) is checked against the input's length, which
 * is the same on any machine (the benchmark measures seconds).
 */
import { readdirSync, readFileSync } from 'fs';
import { gzipSync } from 'fflate';
import { join } from 'path';

import { parseLogs, type ParseResult } from './index';
import { SCAN_BUDGET_FACTOR, splitRecords } from './split';
import { awsReferenceExamples, fieldOf, frameOf, TESTDATA } from './testutils';

const examples = awsReferenceExamples();
const connect = examples.find((e) => e.eventType === 'Connect')!;
const entry = (i: number) => JSON.stringify({ ...connect.json, clientId: `c${i}` });

function expectAccounting(result: ParseResult) {
  expect(result.stats.entries + result.stats.rejected).toBe(result.stats.records);
  expect(result.frames.reduce((n, f) => n + f.length, 0)).toBe(result.stats.entries);
  expect(Object.values(result.stats.rejectedByReason).reduce((n, v) => n + v!, 0)).toBe(result.stats.rejected);
}

const clientIds = (result: ParseResult) =>
  result.frames.flatMap((f) => (fieldOf(f, 'clientId').values as string[]).filter((v) => v !== null)).sort();

/** Characters the splitter looked at for a text, with a visitor that does nothing. */
function work(text: string): number {
  return splitRecords(text, { json: () => {}, invalid: () => {}, token: () => {} }).work;
}

describe('throws', () => {
  const deep = (depth: number) =>
    `{"timestamp":"2024-05-14 14:52:53.812","eventType":"Connect","details":${'['.repeat(depth)}${']'.repeat(depth)}}`;

  it.each([
    ['on one line', deep(6000)],
    ['pretty-printed', deep(6000).replace('{', '{\n  ').replace(',"details"', ',\n  "details"')],
    ['in a filter-log-events message', JSON.stringify({ events: [{ timestamp: 1, message: deep(6000) }] })],
  ])('a string field holding an array nested 6,000 deep (%s): kept as JSON text', (_, text) => {
    const result = parseLogs(text);
    expectAccounting(result);
    expect(result.stats).toMatchObject({ entries: 1, rejected: 0 });
    expect(fieldOf(result.frames[0], 'details').values[0]).toBe(`${'['.repeat(6000)}${']'.repeat(6000)}`);
  });

  it('a timestamp that is a deeply nested array is rejected with a message', () => {
    const text = `{"eventType":"Connect","timestamp":${'['.repeat(20000)}${']'.repeat(20000)}}`;
    const result = parseLogs(text);
    expectAccounting(result);
    expect(result.issues[0]).toMatchObject({ reason: 'bad-timestamp', message: expect.stringMatching(/an array/) });
  });
});

describe('stalls: time linear in the input', () => {
  it("'{' repeated a million times", () => {
    const text = '{'.repeat(1_000_000);
    expect(work(text)).toBeLessThanOrEqual(4 * text.length);
    const result = parseLogs(text, { maxIssues: 5 });
    expectAccounting(result);
    expect(result.stats.entries).toBe(0);
    expect(result.stats.issuesOmitted).toBe(result.stats.rejected - 5);
  });

  /** One line of `n` entries, every other one cut inside a string value. */
  const truncatedLine = (n: number) =>
    Array.from({ length: n }, (_, i) => (i % 2 === 0 ? entry(i).slice(0, 40 + (i % 37)) : entry(i))).join('');

  it('one long line of many truncated entries: every complete entry is found', () => {
    const result = parseLogs(truncatedLine(2000));
    expectAccounting(result);
    expect(clientIds(result)).toEqual(Array.from({ length: 1000 }, (_, i) => `c${2 * i + 1}`).sort());
  });

  it('one long line of many truncated entries: work grows linearly (×1, ×4, ×16)', () => {
    const ratios = [500, 2000, 8000].map((n) => {
      const text = truncatedLine(n);
      return work(text) / text.length;
    });
    for (const ratio of ratios) {
      expect(ratio).toBeLessThanOrEqual(SCAN_BUDGET_FACTOR + 1);
    }
    // Not growing with the size: the largest input costs no more per character than twice the smallest.
    expect(ratios[2]).toBeLessThanOrEqual(2 * ratios[0]);
  });

  it.each([
    ['unclosed strings', (n: number) => '{"a":"'.repeat(n)],
    ['open arrays', (n: number) => '{"a":['.repeat(n)],
    ['braces inside strings', (n: number) => '{"a":"{"}'.repeat(n)],
    ['keys cut short', (n: number) => '{"a'.repeat(n)],
    ['pretty lines that never close', (n: number) => '{\n "a": {\n'.repeat(n)],
  ])('adversarial: %s', (_, make) => {
    const small = make(2000);
    const large = make(32000);
    expect(work(large) / large.length).toBeLessThanOrEqual(SCAN_BUDGET_FACTOR + 1);
    expect(work(large) / large.length).toBeLessThanOrEqual(2 * (work(small) / small.length) + 1);
    expectAccounting(parseLogs(large, { maxIssues: 1 }));
  });
});

describe('entries lost inside one rejection', () => {
  const [e1, e2, e3] = [entry(1), entry(2), entry(3)];

  it('[e1,null,e2,e3] gives 3 entries and 1 rejected', () => {
    const result = parseLogs(`[${e1},null,${e2},${e3}]`);
    expectAccounting(result);
    expect(result.stats).toMatchObject({ entries: 3, rejected: 1, rejectedByReason: { 'not-an-object': 1 } });
  });

  it.each([
    ['NUL', '\u0000', 'binary'],
    ['the record separator', '\u001e', 'binary'],
    ['a corrupt byte', '\ufffd', 'binary'],
    ['null', 'null', 'not-an-object'],
    ['a number', '-12.5e3', 'not-an-object'],
    ['true', 'true', 'not-an-object'],
    ['a string', '"hello"', 'not-an-object'],
    ['a stray }', '}', 'broken-json'],
    ['a stray ]', ']', 'broken-json'],
  ])('three entries joined by %s: 3 entries, each bad token counted on its own', (_, token, reason) => {
    for (const text of [`${e1}${token}${e2}${token}${e3}`, `${e1}\n${token}\n${e2}\n${token}${e3}`]) {
      const result = parseLogs(text);
      expectAccounting(result);
      expect(clientIds(result)).toEqual(['c1', 'c2', 'c3']);
      expect(result.stats).toMatchObject({ entries: 3, rejected: 2, rejectedByReason: { [reason]: 2 } });
    }
  });

  it('text before an entry on its line is one record, and the entry is found', () => {
    const result = parseLogs(`some words ${e1}\n${e2}`);
    expectAccounting(result);
    expect(result.stats).toMatchObject({ entries: 2, rejected: 1, rejectedByReason: { 'not-json': 1 } });
  });

  it('a legacy v1 line quoting JSON stays one record', () => {
    const legacy =
      '2016-07-20 00:09:31.034 TRACEID:1 PRINCIPALID:x [INFO] EVENT:PublishEvent TOPICNAME:t MESSAGE:{"a":1}';
    const result = parseLogs(`${legacy}\n${e1}`);
    expect(result.stats).toMatchObject({ entries: 1, rejected: 1, rejectedByReason: { 'legacy-v1': 1 } });
  });
});

describe('silent loss across concatenated documents', () => {
  const events = (from: number, n: number) =>
    JSON.stringify(
      {
        events: Array.from({ length: n }, (_, i) => ({
          timestamp: 1,
          message: entry(from + i),
          eventId: `${from + i}`,
        })),
      },
      null,
      2
    );
  const ndjson = (from: number, n: number) => Array.from({ length: n }, (_, i) => entry(from + i)).join('\n');

  it('raw entries after a filter-log-events output', () => {
    const result = parseLogs(`${events(0, 3)}\n${ndjson(3, 4)}\n`);
    expectAccounting(result);
    expect(result.stats).toMatchObject({ format: 'mixed', entries: 7, rejected: 0 });
    expect(result.stats.parts).toEqual([
      { format: 'filter-log-events', line: 1, records: 3, entries: 3 },
      { format: 'ndjson', line: 20, records: 4, entries: 4 },
    ]);
    // Reading parts is no problem: the user is told, as information, not warned.
    expect(result.stats.info).toEqual([
      'The input holds 2 parts in different formats, each read as what it is: filter-log-events output from line 1; one JSON entry per line from line 20.',
    ]);
    expect(result.stats.notes).toEqual([]);
  });

  it('a filter-log-events output after raw entries', () => {
    const result = parseLogs(`${ndjson(0, 4)}\n${events(4, 3)}\n`);
    expectAccounting(result);
    expect(result.stats).toMatchObject({ format: 'mixed', entries: 7, rejected: 0 });
    expect(result.stats.parts.map((p) => [p.format, p.line, p.entries])).toEqual([
      ['ndjson', 1, 4],
      ['filter-log-events', 5, 3],
    ]);
  });

  it('a compact Logs Insights output among raw entries', () => {
    const insights = JSON.stringify({
      results: [[{ field: '@message', value: entry(9) }]],
      status: 'Complete',
    });
    const result = parseLogs(`${entry(1)}\n${insights}\n${entry(2)}`);
    expectAccounting(result);
    expect(clientIds(result)).toEqual(['c1', 'c2', 'c9']);
  });

  it('raw entries after an S3 export', () => {
    const s3 = Array.from({ length: 3 }, (_, i) => `2020-09-08T04:00:2${i}.000Z ${entry(i)}`).join('\n');
    const result = parseLogs(`${s3}\n${ndjson(3, 3)}\n`);
    expectAccounting(result);
    expect(clientIds(result)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5']);
    expect(result.issues).toEqual([]);
  });

  it('an S3 export after raw entries', () => {
    const s3 = Array.from({ length: 3 }, (_, i) => `2020-09-08T04:00:2${i}.000Z ${entry(i + 3)}`).join('\n');
    const result = parseLogs(`${ndjson(0, 3)}\n${s3}\n`);
    expectAccounting(result);
    expect(clientIds(result)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5']);
    expect(result.stats.rejected).toBe(0);
  });

  it('a subscription payload, then raw entries', () => {
    const payload = JSON.stringify({
      messageType: 'DATA_MESSAGE',
      logEvents: [{ id: '1', timestamp: 1, message: entry(0) }],
    });
    const result = parseLogs(`${payload}\n${ndjson(1, 2)}`);
    expectAccounting(result);
    expect(clientIds(result)).toEqual(['c0', 'c1', 'c2']);
  });
});

describe('common ways users save logs', () => {
  const cli = join(TESTDATA, 'cli');
  /** Entries in each file, from testdata/cli/README.md. */
  const expected: Record<string, { entries: number; format: string }> = {
    'tail-detailed.txt': { entries: 22, format: 'logs-tail' },
    'tail-detailed-color.txt': { entries: 22, format: 'logs-tail' },
    'tail-short.txt': { entries: 22, format: 'logs-tail' },
    'tail-json.txt': { entries: 22, format: 'logs-tail' },
    'filter-log-events.txt': { entries: 22, format: 'cli-text' },
    'filter-log-events-max-items.txt': { entries: 10, format: 'cli-text' },
    'filter-log-events-searched-2019.txt': { entries: 8, format: 'cli-text' },
    'filter-log-events-messages.txt': { entries: 22, format: 'json-objects' },
    'filter-log-events-messages.json': { entries: 22, format: 'json-array' },
    'filter-log-events-events.json': { entries: 22, format: 'json-array' },
    'get-log-events.txt': { entries: 22, format: 'cli-text' },
    'get-query-results-results.json': { entries: 22, format: 'insights-api' },
    'get-query-results.txt': { entries: 22, format: 'cli-text' },
    'get-query-results-results.txt': { entries: 22, format: 'cli-text' },
    'subscription-logevents.json': { entries: 22, format: 'json-array' },
  };

  it('every fixture is listed', () => {
    const files = readdirSync(cli).filter((f) => !f.endsWith('.md') && !f.endsWith('.mjs'));
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))('%s', (file, { entries, format }) => {
    const result = parseLogs(readFileSync(join(cli, file)));
    expectAccounting(result);
    expect(result.stats).toMatchObject({ entries, rejected: 0 });
    expect(result.stats.parts.map((p) => p.format)).toContain(format);
    // The entries are the reference examples, their text intact.
    for (const frame of result.frames) {
      const example = examples.find((e) => e.eventType === frame.name)!;
      expect(fieldOf(frame, 'timestamp').values[0]).toBe(Date.parse(`${example.json.timestamp}Z`.replace(' ', 'T')));
    }
  });

  it('text pasted from a web page, indented with no-break spaces', () => {
    const pretty = JSON.stringify(connect.json, null, 2).replace(/^ +/gm, (m) => '\u00a0'.repeat(m.length));
    const withNbspValue = JSON.stringify({ ...connect.json, clientId: 'a\u00a0b' }, null, 2).replace(/^ +/gm, (m) =>
      '\u00a0'.repeat(m.length)
    );
    const result = parseLogs(`${pretty}\n${withNbspValue}`);
    expectAccounting(result);
    expect(result.stats).toMatchObject({ entries: 2, rejected: 0 });
    // Inside strings a no-break space is data, kept as it is.
    expect(clientIds(result)).toEqual([connect.json.clientId, 'a\u00a0b'].sort());
  });
});

describe('look-alikes', () => {
  it("a social app's notification is not an AWS IoT entry", () => {
    const lookAlike = '{"eventType":"subscribe","timestamp":"2020-01-11T20:35:45.000Z","userId":"u1","channel":"news"}';
    const result = parseLogs(`${lookAlike}\n${entry(1)}`);
    expectAccounting(result);
    expect(result.stats).toMatchObject({ entries: 1, rejected: 1, rejectedByReason: { 'not-iot-entry': 1 } });
    expect(result.issues[0].message).toMatch(/not an AWS IoT entry: AWS IoT event types are PascalCase/);
  });

  it.each([
    ['an ISO timestamp on an unknown type', '{"eventType":"Subscribed","timestamp":"2020-01-11T20:35:45.000Z"}'],
    ['a lowercase unknown type', '{"eventType":"notify","timestamp":"2020-01-11 20:35:45.000"}'],
    ['an unknown type with spaces', '{"eventType":"User Signed In","timestamp":"2020-01-11 20:35:45.000"}'],
  ])('rejected: %s', (_, text) => {
    expect(parseLogs(text).stats).toMatchObject({ entries: 0, rejectedByReason: { 'not-iot-entry': 1 } });
  });

  it('unknown AWS event types are kept', () => {
    const unknown =
      '{"timestamp":"2026-03-01 10:00:00.000","logLevel":"INFO","eventType":"Fleet.NewThing-Ready","status":"Success"}';
    const result = parseLogs(unknown);
    expect(result.stats).toMatchObject({ entries: 1, rejected: 0 });
    expect(result.frames[0].name).toBe('Fleet.NewThing-Ready');
  });

  it('documented event types are accepted with ISO variants of the time (hand-edited entries)', () => {
    const result = parseLogs('{"eventType":"Connect","timestamp":"2020-01-11T20:35:45.000Z","clientId":"x"}');
    expect(result.stats).toMatchObject({ entries: 1, rejected: 0 });
  });
});

describe('fields clobbered', () => {
  it("an entry's own id, body, labels and severity are kept under <name>_extracted", () => {
    const text = JSON.stringify({
      ...connect.json,
      id: 'own-id',
      body: 'own body',
      labels: { a: 'b' },
      severity: 'high',
    });
    const frame = frameOf(parseLogs(text).frames, 'Connect');
    const names = frame.fields.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(fieldOf(frame, 'id_extracted').values).toEqual(['own-id']);
    expect(fieldOf(frame, 'body_extracted').values).toEqual(['own body']);
    expect(fieldOf(frame, 'labels_extracted.a').values).toEqual(['b']);
    expect(fieldOf(frame, 'severity_extracted').values).toEqual(['high']);
    expect(fieldOf(frame, 'severity').values).toEqual([connect.json.logLevel]);
    expect(fieldOf(frame, 'body').values).toEqual([text]);
  });

  it('a dotted key and a nested key of the same path both keep their value', () => {
    const text = JSON.stringify({ ...connect.json, a: { b: 'nested' }, 'a.b': 'dotted' });
    const result = parseLogs(text);
    const frame = result.frames[0];
    expect(fieldOf(frame, 'a.b').values).toEqual(['nested']);
    expect(fieldOf(frame, 'a.b_2').values).toEqual(['dotted']);
    expect(result.stats.notes).toContainEqual(expect.stringMatching(/two values under one name.*"a\.b_2"/));
  });
});

describe('wrong times', () => {
  it('years 0000–0099 are read as written', () => {
    const result = parseLogs(JSON.stringify({ ...connect.json, timestamp: '0042-05-14 14:52:53.812' }));
    expect(new Date(fieldOf(result.frames[0], 'timestamp').values[0] as number).getUTCFullYear()).toBe(42);
  });
});

describe('smaller', () => {
  const page = (events: object[], token = 'f/1') => JSON.stringify({ events, nextForwardToken: token });
  const ev = (i: number, extra: object = {}) => ({ timestamp: 1, ingestionTime: 2, message: entry(i), ...extra });

  it('get-log-events: identical events in one page are both kept', () => {
    const result = parseLogs(page([ev(1), ev(1), ev(2)]));
    expect(result.stats).toMatchObject({ entries: 3, skipped: 0 });
  });

  it('get-log-events: an event repeated in a later page is skipped', () => {
    const result = parseLogs(`${page([ev(1), ev(2)])}\n${page([ev(2), ev(3)], 'f/2')}`);
    expect(result.stats).toMatchObject({ entries: 3, skipped: 1 });
  });

  it('filter-log-events: different events that share an eventId are both kept', () => {
    const result = parseLogs(JSON.stringify({ events: [ev(1, { eventId: '7' }), ev(2, { eventId: '7' })] }));
    expect(result.stats).toMatchObject({ entries: 2, skipped: 0 });
  });

  it('ids written as JSON numbers beyond 2^53 get a note', () => {
    const text = `{"events":[{"timestamp":1,"eventId":36890000000000000000000000000000000000000000000000000001,"message":${JSON.stringify(entry(1))}}]}`;
    expect(parseLogs(text).stats.notes).toContainEqual(expect.stringMatching(/eventIds are JSON numbers/));
    const big = JSON.stringify({ ...connect.json }).replace(
      '"clientId":',
      '"sequence":12345678901234567890,"clientId":'
    );
    expect(parseLogs(big).stats.notes).toContainEqual(expect.stringMatching(/beyond 2\^53.*"sequence"/));
  });
});

describe('found in review', () => {
  const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  it.each([
    ['a filter-log-events message', JSON.stringify({ events: [{ timestamp: 1, message: deepArray(200_000) }] })],
    ['an S3 export line', `2020-09-08T04:00:24.000Z ${deepArray(200_000)}`],
    ['a JSON string token', JSON.stringify(deepArray(20_000))],
  ])('a message that is an array nested 200,000 deep (%s) is one rejected record, not a stack overflow', (_, text) => {
    const result = parseLogs(text);
    expectAccounting(result);
    expect(result.stats).toMatchObject({ entries: 0, rejected: 1, rejectedByReason: { 'not-an-object': 1 } });
  });

  it.each(['"\\q"', '"a\tb"', '"\\u12"'])(
    'an invalid JSON string after subscription payloads (%s) is counted',
    (token) => {
      const payload = JSON.stringify({
        messageType: 'DATA_MESSAGE',
        logEvents: [{ id: '1', timestamp: 1, message: entry(1) }],
      });
      const result = parseLogs(`${payload}\n${token}\n${entry(2)}`);
      expectAccounting(result);
      expect(result.stats).toMatchObject({ entries: 2, rejected: 1 });
    }
  );

  it('a long run of digits in a number field is read (no backtracking regex)', () => {
    const result = parseLogs(JSON.stringify({ ...connect.json, sourcePort: `${'1'.repeat(40_000)}x` }));
    expect(fieldOf(result.frames[0], 'sourcePort').values).toEqual([null]);
  });

  it('raw entries after a CSV download are read as what they are', () => {
    const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const pretty = (i: number) => JSON.stringify(JSON.parse(entry(i)), null, 2);
    for (const eol of ['\n', '\r\n']) {
      const csv = `@timestamp,@message,@logStream,@log${eol}2017-08-10 15:37:23.476,${q(entry(1))},s,123:AWSIotLogsV2${eol}`;
      for (const after of [`${pretty(2)}\n${pretty(3)}\n`, `${entry(2)}\n${entry(3)}`]) {
        const result = parseLogs(csv + after);
        expectAccounting(result);
        expect(clientIds(result)).toEqual(['c1', 'c2', 'c3']);
        expect(result.stats.rejected).toBe(0);
      }
    }
  });

  it('a messages array after a Logs Insights console JSON download is read', () => {
    const rows = JSON.stringify([{ '@timestamp': '2017-08-10 15:37:23.476', '@message': entry(1) }]);
    const result = parseLogs(`${rows}\n${JSON.stringify([entry(2), entry(3)])}`);
    expectAccounting(result);
    expect(clientIds(result)).toEqual(['c1', 'c2', 'c3']);
  });

  it('values in a container list that are not events are counted, not skipped', () => {
    const result = parseLogs(JSON.stringify({ events: ['x', 1, { timestamp: 1, message: entry(1) }, null] }));
    expectAccounting(result);
    expect(result.stats).toMatchObject({ entries: 1, rejected: 3 });
  });
});

describe('found in review, second round', () => {
  it('get-query-results --output text of a fields query gives entries from its rows', () => {
    const text = [
      'CWLI\tComplete',
      'RESULTS\t@timestamp\t2017-08-10 15:37:23.476',
      'RESULTS\teventType\tConnect',
      'RESULTS\tclientId\tc1',
      'RESULTS\t@timestamp\t2017-08-10 15:37:24.476',
      'RESULTS\teventType\tConnect',
      'RESULTS\tclientId\tc2',
      'STATISTICS\t1.0\t2\t3',
    ].join('\n');
    const result = parseLogs(text);
    expectAccounting(result);
    expect(clientIds(result)).toEqual(['c1', 'c2']);
    expect(result.stats.format).toBe('cli-text');
  });

  it('subscription payloads share one inflate limit', () => {
    const bomb = Buffer.from(gzipSync(new Uint8Array(64 * 1024))).toString('base64');
    const payload = JSON.stringify({ awslogs: { data: bomb } });
    const result = parseLogs([payload, payload, payload].join('\n'), { maxInflatedBytes: 100 * 1024 });
    expectAccounting(result);
    expect(result.issues.map((i) => i.message)).toContainEqual(
      expect.stringMatching(/already inflated to the .* limit/)
    );
  });

  it.each([
    ['a CSV download', '@timestamp,@message\n2017-08-10 15:37:23.476,"{""a"":1}"\n'],
    ['an S3 export', `2020-09-08T04:00:24.000Z ${entry(9)}\n`],
  ])('entries after %s and a CSV download after them are read', (_, first) => {
    const csv = `@timestamp,@message\r\n2017-08-10 15:37:23.476,"${entry(5).replace(/"/g, '""')}"\r\n`;
    const result = parseLogs(`${first}${entry(1)}\n${csv}`);
    expectAccounting(result);
    expect(clientIds(result)).toEqual(expect.arrayContaining(['c1', 'c5']));
  });
});

describe('line numbers', () => {
  it('line breaks inside a message written as a JSON string do not move the lines of what is in it', () => {
    const text = JSON.stringify(
      {
        events: [
          { timestamp: 1, message: entry(1) },
          { timestamp: 1, message: `${entry(2)}\nJUNK` },
        ],
      },
      null,
      2
    );
    const result = parseLogs(text);
    expectAccounting(result);
    // The second event starts on line 7 of the pretty output; JUNK is part of its message, on that line.
    expect(text.split('\n')[6]).toMatch(/^ {4}\{$/);
    expect(result.issues).toEqual([expect.objectContaining({ line: 7, reason: 'not-json' })]);
  });
});

describe('found in review, third round', () => {
  it.each([
    ['aws logs tail', (m: string) => `2017-08-10T15:37:23.476000+00:00 iot/stream ${m}`],
    ['EVENTS rows', (m: string) => `EVENTS\t1\t1502379443976\tiot/stream\t${m}\t1502379443476`],
  ])('a message cut short inside a string in %s does not take the lines after it along', (_, line) => {
    const text = [
      line(entry(1)),
      line(entry(2).slice(0, 40)),
      ...Array.from({ length: 50 }, (_, i) => line(entry(i + 3))),
    ].join('\n');
    const result = parseLogs(text);
    expectAccounting(result);
    expect(result.stats).toMatchObject({ entries: 51, rejected: 1 });
  });

  it('a JSON array of message strings is reported as a JSON array', () => {
    expect(parseLogs(JSON.stringify([entry(1), entry(2)])).stats.format).toBe('json-array');
  });

  it('NDJSON with one S3 line is named after its NDJSON', () => {
    const result = parseLogs(`${entry(1)}\n${entry(2)}\n2020-09-08T04:00:24.000Z ${entry(3)}\n${entry(4)}`);
    expect(result.stats).toMatchObject({ format: 'ndjson', entries: 4 });
  });
});
