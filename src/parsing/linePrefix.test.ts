import fc from 'fast-check';
import { gunzipSync } from 'fflate';
import { readFileSync } from 'fs';
import { join } from 'path';

import { matchLinePrefix, matchRowSuffix, MAX_PREFIX_CHARS, type LinePrefix, type SkipLine } from './linePrefix';
import { awsReferenceExamples, TESTDATA } from './testutils';

const examples = awsReferenceExamples().map((e) => e.json);
const cli = (name: string) => readFileSync(join(TESTDATA, 'cli', name), 'utf8');

/** matchLinePrefix on a text of one line (or more), from its first non-blank character. */
function match(line: string): LinePrefix | SkipLine | undefined {
  return matchLinePrefix(line, line.search(/\S|$/));
}

function prefix(line: string): LinePrefix {
  const m = match(line);
  if (!m || m.kind === 'skip-line') {
    throw new Error(`no prefix recognised in ${JSON.stringify(line)}: ${JSON.stringify(m)}`);
  }
  return m;
}

const message = (line: string) => line.slice(prefix(line).messageStart);

interface Read {
  kind: string;
  message: string;
  prefix: LinePrefix;
}

/**
 * A minimal reader of the way the splitter is meant to use matchLinePrefix: called at the first
 * non-blank character of each line that does not start with `{` or `[`; a recognised prefix starts a
 * record, a skipped line ends it, anything else continues it. An EVENTS row's message ends at its suffix.
 */
function readLines(text: string): { records: Read[]; skipped: string[]; unmatched: number } {
  const records: Read[] = [];
  const skipped: string[] = [];
  let unmatched = 0;
  let current: { prefix: LinePrefix; lastLineEnd: number } | undefined;
  const close = () => {
    if (current) {
      const { prefix: p, lastLineEnd } = current;
      let end = lastLineEnd;
      if (p.suffix) {
        const suffix = matchRowSuffix(text, lastLineEnd, p.messageStart);
        expect(suffix).toBeDefined();
        end = suffix!.start;
      }
      records.push({ kind: p.kind, message: text.slice(p.messageStart, end).replace(/\r$/, ''), prefix: p });
      current = undefined;
    }
  };
  let pos = 0;
  while (pos < text.length) {
    const lf = text.indexOf('\n', pos);
    const lineEnd = lf === -1 ? text.length : lf;
    let s = pos;
    while (s < lineEnd && (text[s] === ' ' || text[s] === '\t')) {
      s++;
    }
    const c = text[s];
    const m = s < lineEnd && c !== '{' && c !== '[' ? matchLinePrefix(text, s) : undefined;
    if (m && m.kind === 'skip-line') {
      close();
      skipped.push(m.reason);
    } else if (m) {
      close();
      current = { prefix: m, lastLineEnd: lineEnd };
    } else if (current) {
      current.lastLineEnd = lineEnd;
    } else if (s < lineEnd) {
      unmatched++;
    }
    pos = lineEnd + 1;
  }
  close();
  return { records, skipped, unmatched };
}

/** The entries in the messages, as sorted JSON, to compare with the reference examples. */
function entries(messages: string[]): string[] {
  return messages.map((m) => JSON.stringify(JSON.parse(m))).sort();
}
const referenceEntries = (n = examples.length) =>
  [...examples]
    .sort((a, b) => String(a.timestamp).localeCompare(String(b.timestamp)))
    .slice(0, n)
    .map((e) => JSON.stringify(e))
    .sort();
const ms = (e: Record<string, unknown>) => Date.parse(`${String(e.timestamp).replace(' ', 'T')}Z`);

describe('matchLinePrefix: aws logs tail', () => {
  it('reads the detailed format: ISO time with microseconds and offset, stream, message', () => {
    const line = '2017-08-10T15:37:23.476000+00:00 iot-logs/123456789012/abcdef {"eventType":"Connect"}';
    expect(prefix(line)).toEqual({
      kind: 'logs-tail',
      format: 'detailed',
      messageStart: line.indexOf('{'),
      time: '2017-08-10T15:37:23.476000+00:00',
      timeMs: Date.UTC(2017, 7, 10, 15, 37, 23, 476),
      logStream: 'iot-logs/123456789012/abcdef',
    });
  });

  it('reads times without a fraction (CLI before 2.6.0, json format at .000) and other offsets', () => {
    expect(prefix('2018-01-01T00:29:43+00:00 stream_name my message')).toMatchObject({
      messageStart: 38,
      timeMs: Date.UTC(2018, 0, 1, 0, 29, 43),
      logStream: 'stream_name',
    });
    expect(prefix('2018-01-01T02:29:43.079060+02:00 s m').timeMs).toBe(Date.UTC(2018, 0, 1, 0, 29, 43, 79));
    expect(prefix('2018-01-01T00:29:43.5-01:30 s m').timeMs).toBe(Date.UTC(2018, 0, 1, 1, 59, 43, 500));
  });

  it('reads stream names of other services (brackets, dollar signs, slashes)', () => {
    expect(prefix('2024-03-04T00:00:00.000000+00:00 2024/03/04/[$LATEST]0a1b2c START RequestId').logStream).toBe(
      '2024/03/04/[$LATEST]0a1b2c'
    );
  });

  it('reads the json format: the message starts on the next line, after a trailing space', () => {
    const text = '2017-08-10T15:37:23.476000+00:00 iot-logs/abc \n{\n    "eventType": "Connect"\n}\n';
    const p = prefix(text);
    expect(p).toMatchObject({ kind: 'logs-tail', format: 'detailed', logStream: 'iot-logs/abc' });
    expect(p.messageStart).toBe(text.indexOf('\n'));
    // The trailing space removed by an editor, or an empty message: the same.
    expect(prefix('2017-08-10T15:37:23+00:00 iot-logs/abc\n{}').messageStart).toBe(38);
    expect(prefix('2017-08-10T15:37:23+00:00 iot-logs/abc\r\n{}').messageStart).toBe(38);
    expect(prefix('2017-08-10T15:37:23+00:00 iot-logs/abc').messageStart).toBe(38);
  });

  it('reads the short format: seconds, no zone, no stream', () => {
    const line = '2017-08-10T15:37:23 {"eventType":"Connect"}';
    expect(prefix(line)).toEqual({
      kind: 'logs-tail',
      format: 'short',
      messageStart: 20,
      time: '2017-08-10T15:37:23',
      timeMs: Date.UTC(2017, 7, 10, 15, 37, 23),
    });
    expect(prefix('2017-08-10T15:37:23\nnext').messageStart).toBe(19);
  });

  it('reads coloured output (--color on) as the CLI prints it', () => {
    const detailed = '\x1b[32m2018-01-01T00:29:43.079060+00:00\x1b[0m \x1b[36mstream_name\x1b[0m my message';
    expect(prefix(detailed)).toMatchObject({
      kind: 'logs-tail',
      time: '2018-01-01T00:29:43.079060+00:00',
      logStream: 'stream_name',
    });
    expect(message(detailed)).toBe('my message');
    expect(message('\x1b[32m2018-01-01T00:29:43\x1b[0m my message')).toBe('my message');
    // Colour on one of the two only is not the CLI's.
    expect(match('\x1b[32m2018-01-01T00:29:43.079060+00:00\x1b[0m stream_name my message')).toBeUndefined();
    expect(match('2018-01-01T00:29:43.079060+00:00 \x1b[36mstream_name\x1b[0m my message')).toBeUndefined();
  });
});

describe('matchLinePrefix: S3 export', () => {
  it('reads `2020-09-08T04:00:24.000Z <message>`', () => {
    const line = '2020-09-08T04:00:24.000Z {"timestamp":"2020-09-08 04:00:24.000","eventType":"Connect"}';
    expect(prefix(line)).toEqual({
      kind: 's3-export',
      messageStart: 25,
      time: '2020-09-08T04:00:24.000Z',
      timeMs: Date.UTC(2020, 8, 8, 4, 0, 24),
    });
  });

  it('finds the 22 entries of the S3 export fixture, one pretty-printed', () => {
    const text = new TextDecoder().decode(
      gunzipSync(readFileSync(join(TESTDATA, 'containers', 's3-export-000000.gz')))
    );
    const read = readLines(text);
    expect(read.records).toHaveLength(22);
    expect(read.records.every((r) => r.kind === 's3-export')).toBe(true);
    expect(entries(read.records.map((r) => r.message))).toEqual(referenceEntries());
  });
});

describe('matchLinePrefix: --output text rows', () => {
  it('reads a filter-log-events EVENTS row: eventId, ingestionTime, logStreamName, message, timestamp', () => {
    const row = `EVENTS\t${'3689'.padEnd(56, '0')}\t1502379444288\tiot-logs/abc\t{"eventType":"Connect"}\t1502379443476`;
    const p = prefix(row);
    expect(p).toMatchObject({
      kind: 'filter-log-events-text',
      messageStart: row.indexOf('{'),
      eventId: '3689'.padEnd(56, '0'),
      ingestionTime: 1502379444288,
      logStream: 'iot-logs/abc',
    });
    expect(p.suffix!.exec(row)?.[1]).toBe('1502379443476');
    expect(matchRowSuffix(row, row.length, p.messageStart)).toEqual({
      start: row.lastIndexOf('\t'),
      timestamp: 1502379443476,
    });
    expect(matchRowSuffix(`${row}\r\n`, row.length + 1, p.messageStart)?.timestamp).toBe(1502379443476);
  });

  it('reads a get-log-events EVENTS row: ingestionTime, message, timestamp', () => {
    const row = 'EVENTS\t1502379444288\t{"eventType":"Connect"}\t1502379443476';
    expect(prefix(row)).toMatchObject({
      kind: 'filter-log-events-text',
      messageStart: row.indexOf('{'),
      ingestionTime: 1502379444288,
    });
    expect(prefix(row).logStream).toBeUndefined();
  });

  it('reads the @message lines of get-query-results --output text, with or without RESULTS', () => {
    expect(prefix('RESULTS\t@message\t{"eventType":"Connect"}')).toEqual({
      kind: 'query-results-text',
      messageStart: 17,
    });
    expect(prefix('@message\t{"eventType":"Connect"}')).toEqual({ kind: 'query-results-text', messageStart: 9 });
  });

  it.each([
    ['SEARCHEDLOGSTREAMS\tiot-logs/abc\tTrue'],
    ['NEXTTOKEN\teyJuZXh0VG9rZW4iOiBudWxsfQ=='],
    ['None'],
    ['None\r\nmore'],
    ['STATISTICS\t1234567.0\t22.0\t5000.0'],
    ['RESULTS\t@timestamp\t2017-08-10 15:37:23.476'],
    ['RESULTS\t@ptr\tCmAKJwoj0'],
    ['RESULTS\teventType\tConnect'],
    ['@logStream\tiot-logs/abc'],
    ['CWLI\tComplete'],
    ['Complete'],
    ['Running'],
    [`b/${'3689'.padEnd(56, '0')}\tf/${'3689'.padEnd(56, '0')}`],
  ])('skips %j', (line) => {
    expect(match(line)).toMatchObject({ kind: 'skip-line' });
  });
});

describe('matchLinePrefix: lines that are not a prefix', () => {
  it.each([
    ['a legacy AWS IoT v1 line', '2016-07-20 00:09:31.034 TRACEID:x PRINCIPALID:y [INFO] EVENT:PublishEvent'],
    ['a v1 line with a T but no zone and a fraction', '2016-07-20T00:09:31.034 TRACEID:x PRINCIPALID:y'],
    ['an AWS IoT timestamp', '2017-08-10 15:37:23.476 {"eventType":"Connect"}'],
    ['a Lambda line (tabs after the time)', '2024-03-04T10:00:00.000Z\t8f5e\tINFO\tprocessing batch'],
    ['an offset time then a word with a colon', '2024-03-04T10:00:00+00:00 INFO: started'],
    ['an offset time then a tab', '2024-03-04T10:00:00+00:00\tstarted'],
    ['an offset time alone in a sentence', '2024-03-04T10:00:00+00:00, the service started'],
    ['a date only', '2024-03-04 started'],
    ['an impossible month', '2024-13-04T10:00:00Z message'],
    ['a Z time with nothing after it', '2020-09-08T04:00:24.000Z'],
    ['plain text', 'hello world'],
    ['a number', '1502379443476'],
    ['text starting with EVENTS', 'EVENTS happened today'],
    ['an EVENTS row with a non-numeric column', 'EVENTS\tabc\t1502379444288\tmessage\t1'],
    ['text starting with RESULTS', 'RESULTS are in'],
    ['text starting with a status', 'Completed the upload'],
    ['a status and a word', 'Complete\tnot really'],
    ['None and more', 'None of these'],
    ['a JSON string', '"2017-08-10T15:37:23+00:00 s m"'],
    ['an email-like at sign', '@someone said hi'],
    ['a b/ path', 'b/123 something'],
  ])('%s', (_name, line) => {
    expect(match(line)).toBeUndefined();
  });

  it('does not recognise a tail prefix whose stream is longer than a log stream name can be', () => {
    expect(match(`2017-08-10T15:37:23.476000+00:00 ${'s'.repeat(513)} m`)).toBeUndefined();
    expect(match(`2017-08-10T15:37:23.476000+00:00 ${'s'.repeat(512)} m`)).toMatchObject({ kind: 'logs-tail' });
  });

  it('returns undefined outside the text', () => {
    expect(matchLinePrefix('abc', 3)).toBeUndefined();
    expect(matchLinePrefix('abc', -1)).toBeUndefined();
    expect(matchLinePrefix('', 0)).toBeUndefined();
  });
});

describe('the testdata/cli fixtures, read line by line', () => {
  it.each([
    ['tail-detailed.txt', 22],
    ['tail-detailed-color.txt', 22],
    ['tail-short.txt', 22],
    ['tail-json.txt', 22],
  ])('%s: %d entries, every time and stream read', (file, count) => {
    const read = readLines(cli(file));
    expect(read).toMatchObject({ skipped: [], unmatched: 0 });
    expect(read.records).toHaveLength(count);
    expect(entries(read.records.map((r) => r.message))).toEqual(referenceEntries());
    for (const r of read.records) {
      const entry = JSON.parse(r.message);
      expect(r.prefix.kind).toBe('logs-tail');
      if (file === 'tail-short.txt') {
        expect(r.prefix.timeMs).toBe(Math.floor(ms(entry) / 1000) * 1000);
      } else {
        expect(r.prefix.timeMs).toBe(ms(entry));
        expect(r.prefix.logStream).toBe('iot-logs/123456789012/abcdef');
      }
    }
  });

  it.each([
    ['filter-log-events.txt', 22, 0],
    ['filter-log-events-max-items.txt', 10, 1],
    ['filter-log-events-searched-2019.txt', 8, 4],
    ['get-log-events.txt', 22, 1],
  ])('%s: %d entries, %d lines skipped', (file, count, skipped) => {
    const text = cli(file);
    const read = readLines(text);
    expect(read.unmatched).toBe(0);
    expect(read.skipped).toHaveLength(skipped);
    expect(read.records).toHaveLength(count);
    expect(entries(read.records.map((r) => r.message))).toEqual(referenceEntries(count));
    for (const r of read.records) {
      expect(r.prefix.kind).toBe('filter-log-events-text');
      expect(r.prefix.ingestionTime).toBe(ms(JSON.parse(r.message)) + 812);
    }
  });

  it('get-query-results.txt: 22 @message lines; the status, the other fields and the statistics skipped', () => {
    const read = readLines(cli('get-query-results.txt'));
    expect(read.unmatched).toBe(0);
    expect(read.records).toHaveLength(22);
    expect(read.skipped).toHaveLength(1 + 22 * 3 + 1);
    expect(entries(read.records.map((r) => r.message))).toEqual(referenceEntries());
  });

  it('get-query-results-results.txt: 22 @message lines', () => {
    const read = readLines(cli('get-query-results-results.txt'));
    expect(read).toMatchObject({ unmatched: 0 });
    expect(read.records).toHaveLength(22);
    expect(entries(read.records.map((r) => r.message))).toEqual(referenceEntries());
  });

  it('the JSON fixtures hold 22 entries each', () => {
    const strings = (v: unknown): string[] => JSON.parse(JSON.stringify(v)) as string[];
    expect(entries(strings(JSON.parse(cli('filter-log-events-messages.json'))))).toEqual(referenceEntries());
    const events = JSON.parse(cli('filter-log-events-events.json')) as Array<{ message: string }>;
    expect(entries(events.map((e) => e.message))).toEqual(referenceEntries());
    const logEvents = JSON.parse(cli('subscription-logevents.json')) as Array<{ id: string; message: string }>;
    expect(entries(logEvents.map((e) => e.message))).toEqual(referenceEntries());
    const rows = JSON.parse(cli('get-query-results-results.json')) as Array<Array<{ field: string; value: string }>>;
    expect(entries(rows.map((r) => r.find((f) => f.field === '@message')!.value))).toEqual(referenceEntries());
  });

  it('filter-log-events-messages.txt: one line per page, no prefixes', () => {
    const text = cli('filter-log-events-messages.txt');
    const lines = text.split('\n').filter((l) => l !== '');
    expect(lines.filter((l) => l.startsWith('{'))).toHaveLength(2);
    for (const line of lines) {
      if (!line.startsWith('{')) {
        expect(match(line)).toBeUndefined();
      }
    }
  });
});

describe('matchLinePrefix properties', () => {
  /** The end of the line that starts at or before `at`: its `\n` or the end of the text. */
  const eol = (text: string, at: number) => {
    const lf = text.indexOf('\n', at);
    return lf === -1 ? text.length : lf;
  };
  // Text made of the pieces the matcher looks for, so that near-misses are common.
  const pieceArb = fc.constantFrom(
    '2017-08-10',
    'T',
    't',
    '15:37:23',
    '.476',
    '.476000',
    '+00:00',
    '-03:30',
    'Z',
    ' ',
    '\t',
    '\n',
    '\r\n',
    '\r',
    'EVENTS\t',
    'RESULTS\t',
    '@message\t',
    'NEXTTOKEN\t',
    'None',
    'Complete',
    'CWLI\t',
    'b/123\tf/456',
    '\x1b[32m',
    '\x1b[0m',
    '\x1b[36m',
    '1502379443476',
    'iot-logs/abc',
    ':',
    '*',
    '{"a":1}',
    '9'
  );
  const textArb = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.array(pieceArb, { maxLength: 30 }).map((p) => p.join('')),
    fc.array(fc.oneof(pieceArb, fc.string({ maxLength: 3 })), { maxLength: 40 }).map((p) => p.join(''))
  );

  it('never throws; a match starts its message within the line, after the line start', () => {
    fc.assert(
      fc.property(textArb, fc.nat(), (text, n) => {
        const at = text.length === 0 ? 0 : n % (text.length + 1);
        const m = matchLinePrefix(text, at);
        if (m && m.kind !== 'skip-line') {
          expect(m.messageStart).toBeGreaterThan(at);
          expect(m.messageStart).toBeLessThanOrEqual(eol(text, at));
          if (m.timeMs !== undefined) {
            expect(Number.isFinite(m.timeMs)).toBe(true);
          }
        }
        if (m?.kind === 'skip-line') {
          expect(typeof m.reason).toBe('string');
        }
        const s = matchRowSuffix(text, eol(text, at), at);
        if (s) {
          expect(s.start).toBeGreaterThanOrEqual(at);
          expect(text[s.start]).toBe('\t');
        }
      }),
      { numRuns: 2000 }
    );
  });

  it('reads only a bounded window after the line start', () => {
    fc.assert(
      fc.property(textArb, fc.string({ maxLength: 20 }), fc.nat(), (head, tail, n) => {
        // Whatever follows the window does not change the answer.
        const at = head.length === 0 ? 0 : n % head.length;
        const filler = 'x'.repeat(MAX_PREFIX_CHARS + 1);
        const a = matchLinePrefix(head + filler + tail, at);
        const b = matchLinePrefix(head + filler, at);
        expect(a).toEqual(b);
      }),
      { numRuns: 500 }
    );
  });

  it('finds the message of any generated tail, export and EVENTS line', () => {
    const streamArb = fc.stringMatching(/^[A-Za-z0-9/_.$[\]#-]{1,40}$/);
    const messageArb = fc.string({ maxLength: 60 }).filter((s) => !/[\n\r]/.test(s) && s.trim() === s);
    const timeArb = fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) });
    fc.assert(
      fc.property(timeArb, streamArb, messageArb, fc.constantFrom(0, 1, 2, 3, 4), (t, stream, msg, layout) => {
        const iso = new Date(t).toISOString();
        const iso6 = `${iso.slice(0, 23)}000+00:00`;
        const lines = [
          `${iso6} ${stream} ${msg}`,
          `${iso.slice(0, 19)} ${msg}`,
          `${iso} ${msg}`,
          `EVENTS\t${'3'.repeat(56)}\t${t + 5}\t${stream}\t${msg}\t${t}`,
          `\x1b[32m${iso6}\x1b[0m \x1b[36m${stream}\x1b[0m ${msg}`,
        ];
        const line = lines[layout];
        const p = prefix(line);
        const end = p.suffix ? matchRowSuffix(line, line.length, p.messageStart)!.start : line.length;
        expect(line.slice(p.messageStart, end)).toBe(msg);
        if (layout === 1) {
          expect(p.timeMs).toBe(Math.floor(t / 1000) * 1000);
        } else if (layout !== 3) {
          expect(p.timeMs).toBe(t);
        }
        if (layout === 0 || layout === 3 || layout === 4) {
          expect(p.logStream).toBe(stream);
        }
      }),
      { numRuns: 500 }
    );
  });
});
