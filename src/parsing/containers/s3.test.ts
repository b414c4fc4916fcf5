import { readFileSync } from 'fs';
import { gunzipSync } from 'fflate';
import { join } from 'path';
import { detectFormat } from '../detect';
import { parseLogs } from '../index';
import { detectS3Export, readS3Export } from './s3';

const fixture = (name: string) => readFileSync(join(__dirname, '../../../testdata/containers', name));
const reference = (name: string) =>
  readFileSync(join(__dirname, '../../../testdata/aws-reference', name), 'utf8').replace(/\n$/, '');

const entry = (i: number, eventType = 'Connect') =>
  JSON.stringify({ timestamp: `2020-09-08 04:00:${String(i).padStart(2, '0')}.000`, eventType, clientId: `c${i}` });
const event = (i: number) => `2020-09-08T04:00:${String(i).padStart(2, '0')}.000Z ${entry(i)}`;
const prettyEvent = (i: number) =>
  `2020-09-08T04:00:${String(i).padStart(2, '0')}.000Z ${JSON.stringify(JSON.parse(entry(i)), null, 4)}`;
const events = (n: number, first = 1) => Array.from({ length: n }, (_, i) => event(first + i));
const legacy = (i: number) =>
  `2016-07-20 00:09:3${i}.034 TRACEID:8de23a59-9f0d-c2bb-bb44-d1c0d1ee8e8d PRINCIPALID:AKIAJ6 [INFO] EVENT:PublishEvent TOPICNAME:a MESSAGE:PublishIn Status: SUCCESS`;
const S3_EXPORT = new TextDecoder().decode(gunzipSync(new Uint8Array(fixture('s3-export-000000.gz'))));

describe('detectS3Export', () => {
  it.each([
    ['the export fixture', S3_EXPORT],
    ['a first line with the prefix after blank lines and spaces', `\n\n  ${events(1)[0]}\n`],
    ['a first event with a pretty-printed message', `${prettyEvent(1)}\n${prettyEvent(2)}\n`],
    [
      'a first event followed by raw entries (as before: the first line decides)',
      [event(1), entry(2), entry(3), entry(4)].join('\n'),
    ],
    ['a stray header line', ['timestamp message', ...events(4)].join('\n')],
    ['a header line and a blank line, CRLF', ['CloudWatch export 2020-09-08', '', ...events(3)].join('\r\n')],
    ['a partial line from a cut file', [entry(0).slice(20), ...events(2)].join('\n')],
    ['a raw entry in front of the export', [entry(0), ...events(4)].join('\n')],
    [
      'two junk lines in front of three events',
      ['export of 2020-09-08', 'stream iot-logs/123', ...events(3)].join('\n'),
    ],
    // The inner lines of a pretty-printed message neither count for nor against.
    [
      'the end of a pretty-printed event cut off at the start',
      [...prettyEvent(0).split('\n').slice(3), prettyEvent(1), prettyEvent(2)].join('\n'),
    ],
    [
      'a stray header in front of pretty-printed events',
      ['timestamp message', prettyEvent(1), prettyEvent(2)].join('\n'),
    ],
  ])('true for %s', (_what, text) => {
    expect(detectS3Export(text)).toBe(true);
  });

  it.each([
    ['an empty text', ''],
    ['blank lines', '\n  \r\n\t\n'],
    ['raw NDJSON entries', [entry(1), entry(2), entry(3)].join('\n')],
    [
      'raw NDJSON entries with one export line among them',
      [entry(1), event(2), entry(3), entry(4), entry(5)].join('\n'),
    ],
    [
      'raw NDJSON entries with two export lines among them',
      [entry(1), event(2), entry(3), event(4), entry(5), event(6)].join('\n'),
    ],
    [
      'pretty-printed raw entries with one export line among them',
      [JSON.stringify(JSON.parse(entry(1)), null, 2), event(2), JSON.stringify(JSON.parse(entry(3)), null, 2)].join(
        '\n'
      ),
    ],
    ['legacy v1 text lines', [legacy(1), legacy(2), legacy(3)].join('\n')],
    ['legacy v1 text lines with one export line among them', [legacy(1), event(2), legacy(3), legacy(4)].join('\n')],
    [
      'a Logs Insights CSV',
      '@timestamp,@message\n2017-08-10 15:37:23.476,"{""a"":1}"\n2017-08-10 15:37:23.477,"{""a"":2}"\n',
    ],
    ['a Grafana CSV', '"Time","@message"\n"2017-08-10 17:37:23","{}"\n"2017-08-10 17:37:24","{}"\n'],
    ['a CSV of ISO times', 'time,value\n2020-09-08T04:00:24.000Z,1\n2020-09-08T04:00:25.000Z,2\n'],
    // A tie is not a majority: one junk line in front of a single event is read as raw entries.
    ['one junk line and one event', ['timestamp message', event(1)].join('\n')],
    // Only the first five lines that start something are weighed.
    ['three junk lines in front of the events', ['a', 'b', 'c', ...events(10)].join('\n')],
    // And only the first megabyte: a longer first line leaves nothing else to weigh.
    ['a first line longer than a megabyte', [`x${'y'.repeat(1024 * 1024)}`, ...events(5)].join('\n')],
  ])('false for %s', (_what, text) => {
    expect(detectS3Export(text)).toBe(false);
  });

  it('is what detectFormat finds for an export with a junk first line', () => {
    expect(detectFormat(['timestamp message', ...events(4)].join('\n'))).toBe('s3-export');
    expect(detectFormat([entry(1), event(2), entry(3), entry(4)].join('\n'))).toBe('ndjson');
    expect(detectFormat([legacy(1), event(2), legacy(3)].join('\n'))).toBe('ndjson');
  });

  it('looks at a bounded window of a long text without line breaks (no clock: the benchmark times things)', () => {
    const text = ' '.repeat(5 * 1024 * 1024);
    expect(detectS3Export(`${text}x`)).toBe(false);
    expect(detectS3Export(`${text}2020-09-08T04:00:24.000Z {}`)).toBe(false);
  });
});

describe('readS3Export', () => {
  it('reads one record per event, joining a message that goes on over lines without the prefix', () => {
    const text = [event(1), prettyEvent(2), event(3), ''].join('\r\n');
    const out = readS3Export(text);
    expect(out.broken).toEqual([]);
    expect(out.notes).toEqual([]);
    expect(out.records).toEqual([
      { line: 1, message: entry(1) },
      { line: 2, message: JSON.stringify(JSON.parse(entry(2)), null, 4) },
      { line: 7, message: entry(3) },
    ]);
  });

  it('hands a junk first line back to be read as what it is, and reads every event after it', () => {
    const text = ['', 'timestamp message', ...events(3)].join('\n');
    const out = readS3Export(text);
    expect(out.records).toEqual([
      { line: 3, message: entry(1) },
      { line: 4, message: entry(2) },
      { line: 5, message: entry(3) },
    ]);
    expect(out.broken).toEqual([]);
    expect(out.rest).toEqual([{ start: 1, end: 19, line: 2 }]);
    expect(text.slice(1, 19)).toBe('timestamp message\n');
  });

  it('hands the lines of an event cut off at the start of the file back as one stretch', () => {
    const cut = prettyEvent(0).split('\n').slice(2);
    const text = [...cut, '', event(1)].join('\n');
    const out = readS3Export(text);
    expect(out.records).toEqual([{ line: cut.length + 2, message: entry(1) }]);
    expect(out.broken).toEqual([]);
    expect(out.rest).toEqual([{ start: 0, end: cut.join('\n').length + 2, line: 1 }]);
  });

  it('reports a text without any event (a format chosen by the user) as one broken record', () => {
    const out = readS3Export(`\n${entry(1)}\n${entry(2)}\n`);
    expect(out.records).toEqual([]);
    expect(out.broken).toEqual([
      {
        line: 2,
        message:
          'lines 2–3 of the text read as an S3 export do not start with its "YYYY-MM-DDTHH:mm:ss.SSSZ " time: ' +
          'no event was found. Choose the format the file is in, or let it be detected.',
      },
    ]);
  });

  it('keeps the lines after an event verbatim: raw entries appended after the export stay in its last message', () => {
    // What a reader of several entries per message gets: the entries, each at record.line + its line in the message.
    const appended = [entry(2), reference('01-Connect.json'), entry(3)];
    const out = readS3Export([event(1), ...appended, ''].join('\r\n'));
    expect(out.records).toEqual([{ line: 1, message: [entry(1), ...appended].join('\n') }]);
    const lines = out.records[0].message!.split('\n');
    expect(out.records[0].line + lines.indexOf(entry(3))).toBe(3 + reference('01-Connect.json').split('\n').length);
  });
});

describe('parseLogs on an S3 export with a junk first line', () => {
  it('reads every event and rejects the junk line with its line number and a message', () => {
    const text = ['cloudwatch-export 000000', ...events(4)].join('\n');
    const result = parseLogs(text);
    expect(result.stats).toMatchObject({ records: 5, entries: 4, rejected: 1 });
    expect(result.stats.parts).toEqual([
      { format: 'text', line: 1, records: 1, entries: 0 },
      { format: 's3-export', line: 2, records: 4, entries: 4 },
    ]);
    expect(result.issues).toEqual([
      expect.objectContaining({
        line: 1,
        reason: 'not-json',
        message: 'text that is not JSON: "cloudwatch-export 000000"',
      }),
    ]);
  });

  it('reads a gzip export whose first line was cut (the fixture from its second line on, after a partial line)', () => {
    const cut = S3_EXPORT.slice(S3_EXPORT.indexOf('\n') - 30);
    const result = parseLogs(cut);
    expect(result.stats).toMatchObject({ entries: 21 });
    expect(result.stats.entries + result.stats.rejected).toBe(result.stats.records);
    expect(result.stats.rejected).toBeGreaterThan(0);
    expect(result.issues[0]).toMatchObject({ line: 1 });
    expect(result.stats.parts[result.stats.parts.length - 1]).toMatchObject({
      format: 's3-export',
      line: 2,
      entries: 21,
    });
  });
});
