/**
 * The promise of the parser as a property: inputs built from valid entries, laid out in any format
 * (raw layouts, CLI and export outputs), several formats concatenated, bad tokens inserted at record
 * boundaries, the whole re-encoded (UTF-8 with or without BOM, UTF-16 LE/BE, gzip, gzip in gzip):
 * every valid entry is found, each bad token is one rejected record, entries + rejected = records, and
 * nothing throws. (Linear time is checked by nothingLost.test.ts and the benchmark, not here.)
 */
import fc from 'fast-check';
import { gzipSync } from 'fflate';

import { parseLogs, type ParseResult } from './index';
import { awsReferenceExamples } from './testutils';

const examples = awsReferenceExamples().map((e) => e.json);
type Entry = Record<string, unknown>;

/** Bad tokens users' files hold between records. */
const BAD_TOKENS = ['null', '42', '-1.5e3', 'true', '"a string"', '}', ']', '\u0000', '\u001e', '\ufffd', 'junk words'];

const ms = (e: Entry) => Date.parse(`${(e.timestamp as string).replace(' ', 'T')}Z`);
const compact = (e: Entry) => JSON.stringify(e);
const events = (es: Entry[]) =>
  es.map((e, i) => ({
    logStreamName: 's',
    timestamp: ms(e),
    message: compact(e),
    ingestionTime: ms(e) + 1,
    eventId: `${i}`,
  }));

/** A part: the entries in one format, and whether bad tokens may go between its records. */
type Layout = (es: Entry[], tokens: () => string) => string;

const LAYOUTS: Record<string, Layout> = {
  ndjson: (es, t) => es.map((e) => `${t()}${compact(e)}`).join('\n'),
  pretty: (es, t) => es.map((e) => `${t()}${JSON.stringify(e, null, 2)}`).join('\n'),
  concatenated: (es, t) => es.map((e) => `${t()}${compact(e)}`).join(''),
  'json-array': (es, t) => `[${es.map((e) => `${t()}${compact(e)}`).join(',')}]`,
  'filter-log-events': (es) => JSON.stringify({ events: events(es), searchedLogStreams: [] }, null, 2),
  'filter-log-events compact': (es) => JSON.stringify({ events: events(es) }),
  'insights-api': (es) =>
    JSON.stringify(
      {
        results: es.map((e) => [
          { field: '@timestamp', value: e.timestamp },
          { field: '@message', value: compact(e) },
        ]),
        status: 'Complete',
      },
      null,
      2
    ),
  subscription: (es) =>
    JSON.stringify({ messageType: 'DATA_MESSAGE', logGroup: 'AWSIotLogsV2', logEvents: events(es) }),
  'query events': (es) => JSON.stringify(events(es), null, 4),
  'query messages': (es) => JSON.stringify(es.map(compact), null, 4),
  's3 lines': (es, t) => es.map((e) => `${t()}${new Date(ms(e)).toISOString()} ${compact(e)}`).join('\n'),
  'logs tail': (es, t) =>
    es
      .map((e) => `${t()}${new Date(ms(e)).toISOString().replace('Z', '000+00:00')} iot/stream ${compact(e)}`)
      .join('\n'),
  'cli text': (es, t) =>
    es.map((e, i) => `${t()}EVENTS\t${i}\t${ms(e) + 1}\tiot/stream\t${compact(e)}\t${ms(e)}`).join('\n'),
  'insights csv': (es) =>
    [
      '@timestamp,@message,@logStream,@log',
      ...es.map((e) => `${e.timestamp},${csvQuote(compact(e))},s,1:AWSIotLogsV2`),
    ].join('\n'),
  'insights csv CRLF': (es) =>
    ['@timestamp,@message', ...es.map((e) => `${e.timestamp},${csvQuote(JSON.stringify(e, null, 2))}`)].join('\r\n') +
    '\r\n',
  'grafana csv': (es) =>
    [
      '"Time","__log__grafana_internal__","@message"',
      ...es.map((e) => `"${e.timestamp}","",${csvQuote(compact(e))}`),
    ].join('\n'),
  'insights console json': (es) =>
    JSON.stringify(
      es.map((e) => ({ '@timestamp': e.timestamp, '@message': compact(e) })),
      null,
      2
    ),
  'query results rows': (es) =>
    JSON.stringify(
      es.map((e) => [
        { field: '@timestamp', value: e.timestamp },
        { field: '@message', value: compact(e) },
      ])
    ),
  'query results text': (es) =>
    [
      'CWLI\tComplete',
      ...es.flatMap((e) => [`RESULTS\t@timestamp\t${e.timestamp}`, `RESULTS\t@message\t${compact(e)}`]),
    ].join('\n'),
  'query results text, fields only': (es) =>
    es
      .flatMap((e) => [
        `RESULTS\t@timestamp\t${e.timestamp}`,
        ...['eventType', 'clientId', 'status'].map((k) => `RESULTS\t${k}\t${e[k] ?? ''}`),
      ])
      .join('\n'),
};

/** Layouts a bad token after would join (a CSV reads the next line as a row). */
const NOTHING_AFTER = new Set(['insights csv', 'insights csv CRLF', 'grafana csv', 'query results text, fields only']);
const csvQuote = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** Layouts that are a document of their own: tokens go around them, not inside. */
const TOKENS_INSIDE = new Set(['ndjson', 'pretty', 'concatenated', 'json-array', 's3 lines', 'logs tail', 'cli text']);
/** Layouts of lines that start with a prefix: their records are lines, so a token is a line of its own. */
const LINE_PREFIXED = new Set(['s3 lines', 'logs tail', 'cli text']);

type Encoding = (text: string) => string | Uint8Array;
const utf16 = (text: string, bigEndian: boolean) => {
  const bytes = new Uint8Array(2 + text.length * 2);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, 0xfeff, !bigEndian);
  for (let i = 0; i < text.length; i++) {
    view.setUint16(2 + 2 * i, text.charCodeAt(i), !bigEndian);
  }
  return bytes;
};
const ENCODINGS: Record<string, Encoding> = {
  string: (text) => text,
  'UTF-8': (text) => new TextEncoder().encode(text),
  'UTF-8 with BOM': (text) => new TextEncoder().encode(`\ufeff${text}`),
  'UTF-16 LE': (text) => utf16(text, false),
  'UTF-16 BE': (text) => utf16(text, true),
  gzip: (text) => gzipSync(new TextEncoder().encode(text)),
  'gzip in gzip': (text) => gzipSync(gzipSync(new TextEncoder().encode(text))),
};

const partArb = fc.record({
  layout: fc.constantFrom(...Object.keys(LAYOUTS)),
  bases: fc.array(fc.constantFrom(...examples), { minLength: 1, maxLength: 4 }),
  // For each record boundary of the part: a bad token there or not.
  tokens: fc.array(fc.option(fc.record({ token: fc.constantFrom(...BAD_TOKENS), sep: fc.constantFrom(' ', '\n') })), {
    minLength: 4,
    maxLength: 4,
  }),
  // A bad token after the part, before the next one.
  after: fc.option(fc.constantFrom(...BAD_TOKENS)),
});

type Part = typeof partArb extends fc.Arbitrary<infer T> ? T : never;

function build(parts: Part[]) {
  let n = 0;
  let tokens = 0;
  const ids: string[] = [];
  const texts = parts.map((part, p) => {
    const es = part.bases.map((base) => {
      const clientId = `p${n++}`;
      ids.push(clientId);
      return { ...base, clientId };
    });
    let k = 0;
    // The first part's first record gets no token: an input that starts with junk is a different story
    // (an S3 export with a junk first line is still detected, but its junk lines make one record).
    const token = () => {
      const t = part.tokens[k++ % part.tokens.length];
      // Nor does the first record after a CSV (the CSV would read a line starting with a token as a row).
      const afterCsv = p > 0 && NOTHING_AFTER.has(parts[p - 1].layout);
      if (t === null || !TOKENS_INSIDE.has(part.layout) || ((p === 0 || afterCsv) && k === 1)) {
        return '';
      }
      tokens++;
      return `${t.token}${LINE_PREFIXED.has(part.layout) ? '\n' : t.sep}`;
    };
    const text = LAYOUTS[part.layout](es, token);
    if (part.after !== null && p < parts.length - 1 && !NOTHING_AFTER.has(part.layout)) {
      tokens++;
      return `${text}\n${part.after}\n`;
    }
    return text;
  });
  return { text: texts.join('\n'), ids, tokens };
}

function clientIds(result: ParseResult): string[] {
  return result.frames
    .flatMap((f) => f.fields.find((field) => field.name === 'clientId')?.values ?? [])
    .map(String)
    .sort();
}

describe('nothing lost (property)', () => {
  it('every entry is found, each bad token is one rejection, the books balance, whatever the layouts and encoding', () => {
    fc.assert(
      fc.property(
        fc.array(partArb, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...Object.keys(ENCODINGS)),
        (parts, encoding) => {
          const { text, ids, tokens } = build(parts);
          const result = parseLogs(ENCODINGS[encoding](text));
          expect(clientIds(result)).toEqual([...ids].sort());
          expect(result.stats.entries).toBe(ids.length);
          expect(result.stats.rejected).toBe(tokens);
          expect(result.stats.entries + result.stats.rejected).toBe(result.stats.records);
          expect(result.frames.reduce((sum, f) => sum + f.length, 0)).toBe(result.stats.entries);
        }
      ),
      { numRuns: 300 }
    );
  });

  it('never throws on any text, and keeps the books', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const result = parseLogs(text);
        expect(result.stats.entries + result.stats.rejected).toBe(result.stats.records);
      }),
      { numRuns: 300 }
    );
  });
});
