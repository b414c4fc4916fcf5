/**
 * Property tests over containers: generated entries wrapped in every container, whole or cut anywhere.
 * parseLogs never throws, keeps the books, and finds every entry of an intact container.
 */
import fc from 'fast-check';
import { gzipSync } from 'fflate';
import Papa from 'papaparse';

import { parseLogs, type InputFormat, type ParseResult } from './index';
import { awsReferenceExamples } from './testutils';

const examples = awsReferenceExamples().map((e) => e.json);

const entryArb = fc
  .record({
    base: fc.constantFrom(...examples),
    clientId: fc.string({ minLength: 1, maxLength: 10 }),
    ms: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ base, clientId, ms }) => ({
    ...base,
    clientId,
    timestamp: `${(base.timestamp as string).slice(0, 20)}${String(ms).padStart(3, '0')}`,
  }));

type Wrap = (entries: Array<Record<string, unknown>>) => { input: string | Uint8Array; format: InputFormat };

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const payload = (entries: Array<Record<string, unknown>>) => ({
  messageType: 'DATA_MESSAGE',
  owner: '123456789012',
  logGroup: 'AWSIotLogsV2',
  logStream: 's',
  subscriptionFilters: ['f'],
  logEvents: entries.map((e, i) => ({ id: String(i), timestamp: 1, message: JSON.stringify(e) })),
});

const WRAPS: Record<string, Wrap> = {
  'insights-api': (es) => ({
    input: JSON.stringify(
      {
        results: es.map((e) => [
          { field: '@timestamp', value: e.timestamp },
          { field: '@message', value: JSON.stringify(e) },
        ]),
        status: 'Complete',
      },
      null,
      4
    ),
    format: 'insights-api',
  }),
  'insights-json': (es) => ({
    input: JSON.stringify(
      es.map((e) => ({ '@timestamp': e.timestamp, '@message': JSON.stringify(e) })),
      null,
      2
    ),
    format: 'insights-json',
  }),
  'insights-csv': (es) => ({
    input: Papa.unparse(es.map((e) => ({ '@timestamp': e.timestamp, '@message': JSON.stringify(e, null, 2) }))),
    format: 'insights-csv',
  }),
  'filter-log-events': (es) => ({
    input: JSON.stringify(
      { events: es.map((e, i) => ({ timestamp: 1, message: JSON.stringify(e), eventId: String(i) })) },
      null,
      4
    ),
    format: 'filter-log-events',
  }),
  's3-export': (es) => ({
    input: gzipSync(
      new TextEncoder().encode(es.map((e) => `2020-09-08T04:00:24.000Z ${JSON.stringify(e, null, 2)}`).join('\n'))
    ),
    format: 's3-export',
  }),
  subscription: (es) => ({
    input: JSON.stringify({ awslogs: { data: b64(gzipSync(new TextEncoder().encode(JSON.stringify(payload(es))))) } }),
    format: 'subscription',
  }),
  firehose: (es) => ({ input: es.map((e) => JSON.stringify(payload([e]))).join(''), format: 'subscription' }),
};

function expectAccounting(result: ParseResult) {
  expect(result.stats.entries + result.stats.rejected).toBe(result.stats.records);
  expect(result.frames.reduce((n, f) => n + f.length, 0)).toBe(result.stats.entries);
}

describe('containers, by property', () => {
  it('finds every entry of an intact container, detected without being told', () => {
    fc.assert(
      fc.property(
        fc.array(entryArb, { minLength: 1, maxLength: 8 }),
        fc.constantFrom(...Object.keys(WRAPS)),
        (entries, name) => {
          const { input, format } = WRAPS[name](entries);
          const result = parseLogs(input);
          expectAccounting(result);
          expect(result.stats).toMatchObject({ format, entries: entries.length, rejected: 0 });
        }
      ),
      { numRuns: 120 }
    );
  });

  it('never throws and keeps the books when a container is cut or has a byte flipped', () => {
    fc.assert(
      fc.property(
        fc.array(entryArb, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(...Object.keys(WRAPS)),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.boolean(),
        (entries, name, where, flip) => {
          const { input } = WRAPS[name](entries);
          const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
          const at = Math.floor(where * bytes.length);
          const mutated = flip ? Uint8Array.from(bytes, (b, i) => (i === at ? b ^ 0x5a : b)) : bytes.slice(0, at);
          const result = parseLogs(mutated);
          expectAccounting(result);
          expect(result.stats.entries).toBeLessThanOrEqual(entries.length);
        }
      ),
      { numRuns: 300 }
    );
  });
});
