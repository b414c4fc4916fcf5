import fc from 'fast-check';

import { parseTables } from '../parsing';
import { awsReferenceExamples } from '../parsing/testutils';
import { parseRequestHandler } from './handler';
import type { ParseRequest } from './protocol';
import { ParseRunner, pieceRanges } from '../query/parseRunner';

const examples = awsReferenceExamples();

/** A Worker running the parse worker's handler, replies cloned (and buffers moved) as postMessage does. */
class CloningWorker extends EventTarget {
  static started = 0;
  readonly requests: ParseRequest[] = [];
  private readonly handle = parseRequestHandler((message, transfer) =>
    setTimeout(() =>
      this.dispatchEvent(
        new MessageEvent('message', { data: structuredClone(message, { transfer: transfer as Transferable[] }) })
      )
    )
  );
  constructor() {
    super();
    CloningWorker.started++;
  }
  postMessage(request: ParseRequest, transfer: Transferable[] = []) {
    const copy = structuredClone(request, { transfer });
    this.requests.push(copy);
    setTimeout(() => this.handle(copy));
  }
  terminate() {}
}

/** A line of the input: an entry (compact, pretty-printed, with a shifted time), junk, or broken JSON. */
const line = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...examples).map((e) => JSON.stringify(e.json)) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...examples), fc.integer({ min: 0, max: 59 }))
      .map(([e, s]) => JSON.stringify({ ...e.json, timestamp: `2017-08-10 15:${String(s).padStart(2, '0')}:00.000` })),
  },
  { weight: 1, arbitrary: fc.constantFrom(...examples).map((e) => JSON.stringify(e.json, null, 2)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('junk line', '{"timestamp": "2017-08-10 15:37:23.476", "logLevel": "INF', ''),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...examples).map((e) => JSON.stringify({ ...e.json, extra: { n: 1 }, 'extra.n': 2 })),
  }
);

/** Text a cut could fall inside: the input must then be parsed whole. */
const mixed = fc.constantFrom(
  '@timestamp,@message\n2017-08-10 15:37:23.476,"{""a"":1}\n{""b"":2}"',
  'EVENTS\t1\t2\ts\t{"a":1}\n{"b":2}\t3',
  '2020-09-08T04:00:24.000Z {"a":1}'
);

async function parsedBy(text: string, bytes: boolean, workers: number, chunkSize: number) {
  const runner = new ParseRunner(() => new CloningWorker() as unknown as Worker, 0, undefined, chunkSize, workers, 1);
  return runner.run({ input: bytes ? new TextEncoder().encode(text) : text, options: {} });
}

describe('ParseRunner with several workers', () => {
  it('cuts before lines that start an entry, into pieces that add up to the input', () => {
    const text = examples.map((e) => JSON.stringify(e.json, null, 2)).join('\n');
    for (const input of [text, new TextEncoder().encode(text)]) {
      const ranges = pieceRanges(input, 4);
      expect(ranges).toHaveLength(4);
      expect(ranges[0].start).toBe(0);
      expect(ranges[3].end).toBe(text.length);
      for (let i = 1; i < ranges.length; i++) {
        expect(ranges[i].start).toBe(ranges[i - 1].end);
        expect(text[ranges[i].start]).toBe('{');
        expect(text[ranges[i].start - 1]).toBe('\n');
      }
    }
    // Input that does not start with an entry is not cut.
    expect(pieceRanges(`[\n${text}`, 4)).toHaveLength(1);
    expect(pieceRanges(`\uFEFF \n${text}`, 4)).toHaveLength(4);
  });

  it('gives what one parse of the whole input gives, text or bytes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 60 }),
        fc.option(fc.tuple(mixed, fc.nat()), { freq: 4 }),
        fc.integer({ min: 2, max: 5 }),
        fc.constantFrom(97, 1000, 1 << 20),
        fc.boolean(),
        async (lines, insert, workers, chunkSize, bytes) => {
          if (insert) {
            lines.splice(insert[1] % (lines.length + 1), 0, insert[0]);
          }
          const text = lines.join('\n');
          const result = await parsedBy(text, bytes, workers, chunkSize);
          expect(result).toEqual(parseTables(bytes ? new TextEncoder().encode(text) : text));
        }
      ),
      { numRuns: 150 }
    );
  });

  it('parses a large input in as many pieces as it has workers', async () => {
    const text = Array.from({ length: 400 }, (_, i) =>
      JSON.stringify({ ...examples[i % examples.length].json, clientId: `c${i}` })
    ).join('\n');
    CloningWorker.started = 0;
    const workers: CloningWorker[] = [];
    const runner = new ParseRunner(
      () => {
        const worker = new CloningWorker();
        workers.push(worker);
        return worker as unknown as Worker;
      },
      0,
      undefined,
      undefined,
      3,
      1
    );
    const result = await runner.run({ input: text, options: {} });
    expect(result).toEqual(parseTables(text));
    expect(workers).toHaveLength(3);
    for (const worker of workers) {
      expect(worker.requests.filter((r) => r.type === 'parse')).toEqual([
        expect.objectContaining({ piece: { first: worker === workers[0] } }),
      ]);
    }
  });
});

describe('ParseRunner with pieces that one parse would read otherwise', () => {
  const entry = (eventType: string, keys: string[], i: number) =>
    JSON.stringify({
      timestamp: '2017-08-10 15:37:23.476',
      eventType,
      ...Object.fromEntries(keys.map((k) => [k, i])),
    });

  it('parses whole what merges into more columns than one parse keeps', async () => {
    // Each half has 300 distinct attributes (under the 500-column cap); together 600.
    const half = (from: number) => Array.from({ length: 300 }, (_, k) => `attribute${from + k}`);
    const lines = [
      ...Array.from({ length: 50 }, (_, i) => entry('Custom-Wide', half(0), i)),
      ...Array.from({ length: 50 }, (_, i) => entry('Custom-Wide', half(300), i)),
    ];
    const text = lines.join('\n');
    const whole = parseTables(text);
    expect(whole.stats.notes.join(' ')).toMatch(/more than 500 distinct attributes/);
    for (const bytes of [false, true]) {
      expect(await parsedBy(text, bytes, 2, 1 << 20)).toEqual(whole);
    }
  });

  it('parses whole what a piece notes (notes are not added up across pieces)', async () => {
    const deep = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    const lines = Array.from({ length: 40 }, (_, i) =>
      i % 10 === 0
        ? `{"timestamp":"2017-08-10 15:37:23.476","eventType":"Custom-Deep","v":${deep(100)}}`
        : entry('Connect', ['clientId'], i)
    );
    const text = lines.join('\n');
    expect(parseTables(text).stats.notes.join(' ')).toMatch(/nested more than 64 levels/);
    expect(await parsedBy(text, false, 3, 1 << 20)).toEqual(parseTables(text));
  });
});
