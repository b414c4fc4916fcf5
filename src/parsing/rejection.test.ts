/**
 * Records that are not AWS IoT V2 entries are counted and reported with their line; they never
 * swallow the valid entries after them.
 */
import { parseLogs, type ParseResult } from './index';
import { awsReferenceExamples } from './testutils';

const examples = awsReferenceExamples();
const connect = JSON.stringify(examples[0].json);
const prettyConnect = examples[0].text;
const subscribe = JSON.stringify(examples[1].json);

function expectAccounting(result: ParseResult) {
  const { stats, frames } = result;
  expect(stats.entries + stats.rejected).toBe(stats.records);
  expect(frames.reduce((n, f) => n + f.length, 0)).toBe(stats.entries);
  expect(Object.values(stats.rejectedByReason).reduce((a, b) => a + b, 0)).toBe(stats.rejected);
}

describe('rejected records', () => {
  it.each([
    [
      'a legacy v1 text line',
      '2016-07-20 00:09:31.034 TRACEID:15a5c3e1-8e5b-4f1a-9c44-c6fa5b3d63fa PRINCIPALID:AKIAJ4EXAMPLE [INFO] EVENT:PublishEvent TOPICNAME:a/b MESSAGE:hi Status: SUCCESS',
      'legacy-v1',
      /legacy AWS IoT v1/,
    ],
    [
      'an MQTT lifecycle event',
      '{"clientId":"c1","timestamp":1573002230757,"eventType":"connected","sessionIdentifier":"a4666d2a","principalIdentifier":"12345678901234567890123456789012","ipAddress":"192.0.2.0","versionNumber":0}',
      'mqtt-lifecycle',
      /MQTT lifecycle event "connected"/,
    ],
    [
      'other JSON',
      '{"level":"info","msg":"lambda started"}',
      'not-iot-entry',
      /without an eventType.*keys: level, msg/,
    ],
    [
      'a rule error-action payload',
      '{"ruleName":"r","topic":"t","cloudwatchTraceId":"x","clientId":"c","base64OriginalPayload":"e30=","failures":[]}',
      'not-iot-entry',
      /rule error-action payload/,
    ],
    [
      'a JSON scalar in an array',
      '[1]',
      'not-an-object',
      /a JSON value that is not an object where a log entry was expected: "1"/,
    ],
    [
      'an entry with an epoch timestamp',
      '{"timestamp":1502379443476,"eventType":"Connect"}',
      'bad-timestamp',
      /Connect entry with timestamp 1502379443476/,
    ],
    [
      'an entry without a timestamp',
      '{"eventType":"Connect","status":"Success"}',
      'bad-timestamp',
      /Connect entry with no timestamp/,
    ],
    [
      'an impossible date',
      '{"timestamp":"2021-02-30 10:00:00.000","eventType":"Connect"}',
      'bad-timestamp',
      /2021-02-30/,
    ],
    [
      'truncated JSON',
      '{"timestamp": "2017-08-10 15:37:23.476", "logLevel": "IN',
      'broken-json',
      /broken JSON, a string is not closed before the end of its line \(truncated\?\)/,
    ],
    ['invalid JSON', '{"timestamp": "2017-08-10 15:37:23.476", "eventType": Connect}', 'broken-json', /broken JSON/],
    ['binary junk', '\u0000\u0001\u0002PK\u0003\u0004\ufffd\ufffd', 'binary', /binary/],
    ['plain text', 'hello there', 'not-json', /text that is not JSON: "hello there"/],
  ])('%s', (_, record, reason, message) => {
    const result = parseLogs(`${connect}\n${record}\n${subscribe}\n`);
    expectAccounting(result);
    expect(result.stats).toMatchObject({ records: 3, entries: 2, rejected: 1, rejectedByReason: { [reason]: 1 } });
    expect(result.issues).toEqual([{ line: 2, record: 1, reason, message: expect.stringMatching(message) }]);
    expect(result.frames.map((f) => f.name)).toEqual(['Connect', 'Subscribe']);
  });

  it('a truncated pretty-printed object followed by valid entries loses none of them', () => {
    const cut = prettyConnect.slice(0, prettyConnect.indexOf('"clientId"'));
    const text = [prettyConnect, cut, prettyConnect, prettyConnect].join('\n');
    const result = parseLogs(text);
    expectAccounting(result);
    expect(result.stats).toMatchObject({ records: 4, entries: 3, rejected: 1 });
    const line = prettyConnect.split('\n').length + 1;
    expect(result.issues).toEqual([
      { line, record: 1, reason: 'broken-json', message: expect.stringMatching(/truncated/) },
    ]);
  });

  it('a compact line cut in the middle, followed by valid lines', () => {
    const lines = [connect, connect.slice(0, 57), subscribe, connect.slice(0, 120), subscribe];
    const result = parseLogs(lines.join('\n'));
    expectAccounting(result);
    expect(result.stats).toMatchObject({ records: 5, entries: 3, rejected: 2 });
    expect(result.issues.map((i) => i.line)).toEqual([2, 4]);
  });

  it('binary junk with line breaks, between entries', () => {
    const junk = 'PK\u0003\u0004\u0014\u0000\u0008\u0000\n\u0000\ufffd{\ufffd\u0007\n\u0001\u0002';
    const result = parseLogs(`${connect}\n${junk}\n${subscribe}`);
    expectAccounting(result);
    expect(result.stats.entries).toBe(2);
    expect(result.stats.rejected).toBeGreaterThan(0);
    expect(result.frames.map((f) => f.length)).toEqual([1, 1]);
  });

  it('counts every rejection but lists at most maxIssues', () => {
    const text = Array.from({ length: 50 }, () => 'not json').join('\n');
    const result = parseLogs(text, { maxIssues: 10 });
    expect(result.stats).toMatchObject({ records: 50, rejected: 50, entries: 0, issuesOmitted: 40, format: 'text' });
    expect(result.issues).toHaveLength(10);
    expect(result.issues[9]).toMatchObject({ line: 10, record: 9 });
    expect(result.frames).toEqual([]);
  });

  it('empty input is no records, not an error', () => {
    for (const input of ['', '\n  \n', '\ufeff', new Uint8Array(0)]) {
      const result = parseLogs(input);
      expect(result).toEqual({
        frames: [],
        issues: [],
        stats: expect.objectContaining({ format: 'empty', records: 0, entries: 0, rejected: 0 }),
      });
    }
  });
});

describe('open schema', () => {
  it('keeps unknown event types with types inferred from all values', () => {
    const entries = [
      {
        timestamp: '2024-01-01 00:00:01.000',
        eventType: 'FutureThing',
        logLevel: 'INFO',
        count: 1,
        code: 'A',
        ok: true,
        tags: ['x'],
      },
      {
        timestamp: '2024-01-01 00:00:00.000',
        eventType: 'FutureThing',
        count: 2.5,
        code: 7,
        ok: false,
        nested: { deep: 'y' },
      },
    ];
    const result = parseLogs(entries.map((e) => JSON.stringify(e)).join('\n'));
    expect(result.stats).toMatchObject({ entries: 2, rejected: 0 });
    const [frame] = result.frames;
    expect(frame.name).toBe('FutureThing');
    expect(frame.meta?.custom).toMatchObject({ component: 'unknown', documented: false });
    const byName = Object.fromEntries(frame.fields.map((f) => [f.name, f]));
    // Sorted by time: the second entry comes first.
    expect(byName.timestamp.values).toEqual([Date.UTC(2024, 0, 1, 0, 0, 0), Date.UTC(2024, 0, 1, 0, 0, 1)]);
    expect(byName.count).toMatchObject({ type: 'number', values: [2.5, 1] });
    expect(byName.code).toMatchObject({ type: 'string', values: ['7', 'A'] });
    expect(byName.ok).toMatchObject({ type: 'boolean', values: [false, true] });
    expect(byName.tags).toMatchObject({ type: 'other', values: [null, ['x']] });
    expect(byName['nested.deep']).toMatchObject({ type: 'string', values: ['y', null] });
    expect(byName.logLevel).toMatchObject({ type: 'string', values: [null, 'INFO'] });
    expect(byName.severity.values).toEqual([null, 'INFO']);
  });

  it('keeps unknown fields of known event types after the documented ones', () => {
    const entry = { ...examples[0].json, sessionToken: 'abc', keepAlive: 30 };
    const [frame] = parseLogs(JSON.stringify(entry)).frames;
    const names = frame.fields.map((f) => f.name);
    expect(names.slice(-2)).toEqual(['sessionToken', 'keepAlive']);
    expect(frame.fields.find((f) => f.name === 'keepAlive')).toMatchObject({ type: 'number', values: [30] });
  });

  it('converts documented kinds: retain "True" is a boolean, numeric strings in number fields are numbers', () => {
    const entry = {
      timestamp: '2024-05-01 12:00:00.000',
      logLevel: 'INFO',
      accountId: '000123456789',
      status: 'Success',
      eventType: 'Publish-In',
      topicName: '$aws/things/pump-7/shadow/name/config/update',
      retain: 'True',
      sourcePort: '443',
      qos: '1',
    };
    const [frame] = parseLogs(JSON.stringify(entry)).frames;
    const value = (name: string) => frame.fields.find((f) => f.name === name)!;
    expect(value('retain')).toMatchObject({ type: 'boolean', values: [true] });
    expect(value('sourcePort')).toMatchObject({ type: 'number', values: [443] });
    expect(value('accountId')).toMatchObject({ type: 'string', values: ['000123456789'] });
    expect(value('thingName').values).toEqual(['pump-7']);
    expect(value('shadowName').values).toEqual(['config']);
    expect(value('labels').values[0]).toEqual({
      component: 'message-broker',
      eventType: 'Publish-In',
      status: 'Success',
      thingName: 'pump-7',
      topicName: '$aws/things/pump-7/shadow/name/config/update',
    });
  });

  it('keeps masked values in number fields out of the column but in the body', () => {
    const entry = { ...examples[0].json, sourcePort: 'xxxx' };
    const [frame] = parseLogs(JSON.stringify(entry)).frames;
    expect(frame.fields.find((f) => f.name === 'sourcePort')!.values).toEqual([null]);
    expect(frame.fields.find((f) => f.name === 'body')!.values[0]).toContain('"sourcePort":"xxxx"');
  });

  it('sorts rows by time and keeps input order for equal times', () => {
    const at = (t: string, clientId: string) => JSON.stringify({ ...examples[0].json, timestamp: t, clientId });
    const text = [
      at('2020-01-01 00:00:02.000', 'c'),
      at('2020-01-01 00:00:01.000', 'a'),
      at('2020-01-01 00:00:02.000', 'd'),
      at('2020-01-01 00:00:01.000', 'b'),
    ].join('\n');
    const [frame] = parseLogs(text).frames;
    expect(frame.fields.find((f) => f.name === 'clientId')!.values).toEqual(['a', 'b', 'c', 'd']);
  });
});
