import fc from 'fast-check';

import { parseTables } from '../parsing';
import { awsReferenceExamples } from '../parsing/testutils';
import { parseRequestHandler } from './handler';
import type { ParseRequest } from './protocol';
import { CancelledError, ParseRunner, pieceRanges } from '../query/parseRunner';

const examples = awsReferenceExamples();
const lines0 = examples.map((e) => JSON.stringify(e.json));
const ruleExecution = examples.find((e) => e.eventType === 'RuleExecution')!.json as Record<string, unknown>;

/** A Worker running the parse worker's handler, replies cloned (and buffers moved) as postMessage does. */
class CloningWorker extends EventTarget {
  static started = 0;
  readonly requests: ParseRequest[] = [];
  terminated = false;
  private readonly handle = parseRequestHandler((message, transfer) =>
    setTimeout(() => {
      if (!this.terminated) {
        this.dispatchEvent(
          new MessageEvent('message', { data: structuredClone(message, { transfer: transfer as Transferable[] }) })
        );
      }
    })
  );
  constructor() {
    super();
    CloningWorker.started++;
  }
  postMessage(request: ParseRequest, transfer: Transferable[] = []) {
    const copy = structuredClone(request, { transfer });
    this.requests.push(copy);
    setTimeout(() => {
      if (!this.terminated) {
        this.handle(copy);
      }
    });
  }
  terminate() {
    this.terminated = true;
  }
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
  },
  // Undocumented values of every kind, and a documented object's flattened keys met late.
  { weight: 1, arbitrary: fc.constantFrom(5, 'a', [1], true).map((v) => JSON.stringify({ ...examples[0].json, v })) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('K', 'L').map((k) => JSON.stringify({ ...ruleExecution, resources: { [k]: 'x' } })),
  },
  // An entry cut short, and one whose continuation line starts with `{` (a cut may fall before it).
  { weight: 1, arbitrary: fc.nat().map((n) => lines0[n % lines0.length].slice(0, 1 + (n % 60))) },
  { weight: 1, arbitrary: fc.constant(JSON.stringify(examples[0].json).replace(/}$/, ',\n"zz":\n{"a":1}}')) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('\u00e9t\u00e9 \u{1F600}', '\ud800x')
      .map((note) => JSON.stringify({ ...examples[1].json, note })),
  }
);

/** Text a cut could fall inside: the input must then be parsed whole. */
const mixed = fc.constantFrom(
  '@timestamp,@message\n2017-08-10 15:37:23.476,"{""a"":1}\n{""b"":2}"',
  'EVENTS\t1\t2\ts\t{"a":1}\n{"b":2}\t3',
  '2020-09-08T04:00:24.000Z {"a":1}'
);

async function parsedBy(text: string, bytes: boolean, workers: number, chunkSize: number, maxIssues = 100) {
  const runner = new ParseRunner(() => new CloningWorker() as unknown as Worker, 0, undefined, chunkSize, workers, 1);
  return runner.run({ input: bytes ? new TextEncoder().encode(text) : text, options: { maxIssues } });
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
        fc.record({ crlf: fc.boolean(), bom: fc.boolean(), maxIssues: fc.constantFrom(0, 1, 100) }),
        async (lines, insert, workers, chunkSize, bytes, { crlf, bom, maxIssues }) => {
          if (insert) {
            lines.splice(insert[1] % (lines.length + 1), 0, insert[0]);
          }
          const text = `${bom ? '\uFEFF' : ''}${lines.join(crlf ? '\r\n' : '\n')}`;
          const result = await parsedBy(text, bytes, workers, chunkSize, maxIssues);
          expect(result).toEqual(parseTables(bytes ? new TextEncoder().encode(text) : text, { maxIssues }));
        }
      ),
      { numRuns: 300 }
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
        expect.objectContaining({ piece: { first: worker === workers[0], last: worker === workers[2] } }),
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

describe('ParseRunner with several jobs at once', () => {
  const ndjson = (n: number, tag: string) =>
    Array.from({ length: n }, (_, i) => JSON.stringify({ ...examples[0].json, clientId: `${tag}${i}` })).join('\n');

  it('finishes a job whose workers another, cancelled job stopped', async () => {
    const runner = new ParseRunner(() => new CloningWorker() as unknown as Worker, 0, undefined, 1 << 20, 2, 1);
    const cancel = new AbortController();
    const [a, b] = [ndjson(2000, 'a'), ndjson(2000, 'b')];
    const jobA = runner.run({ input: a, options: {}, signal: cancel.signal }).catch((e) => e);
    const jobB = runner.run({ input: b, options: {} });
    setTimeout(() => cancel.abort(), 1);
    expect(await jobA).toBeInstanceOf(CancelledError);
    expect(await jobB).toEqual(parseTables(b));
  });

  it('finishes a job whose worker was stopped when another job’s worker crashed', async () => {
    /** Crashes (as on running out of memory) when asked to parse a later piece. */
    class CrashingWorker extends CloningWorker {
      postMessage(request: ParseRequest, transfer: Transferable[] = []) {
        if (request.type === 'parse' && request.piece && !request.piece.first) {
          setTimeout(() => this.dispatchEvent(new Event('error')), 20);
          return;
        }
        super.postMessage(request, transfer);
      }
    }
    const runner = new ParseRunner(() => new CrashingWorker() as unknown as Worker, 0, undefined, 1 << 20, 2, 1);
    // Not raw entries at its start: B is parsed whole by one worker, which A's failure stops.
    const b = `x,y\n${ndjson(3000, 'b')}`;
    const a = ndjson(3000, 'a');
    const jobB = runner.run({ input: b, options: {} });
    const jobA = runner.run({ input: a, options: {} });
    expect(await jobA).toEqual(parseTables(a));
    expect(await jobB).toEqual(parseTables(b));
  });
});

describe('ParseRunner where a cut falls badly', () => {
  const full = JSON.stringify({
    timestamp: '2017-08-10 15:37:23.476',
    logLevel: 'INFO',
    eventType: 'Connect',
    clientId: 'abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz',
  });

  it.each([1, 20, 57, 70, full.length - 1])(
    'reads an entry cut short (%i characters) at the end of a piece as one parse does',
    async (kept) => {
      // Two workers cut right after the short entry: one parse sees the next entry start inside it.
      const head = `${[full, full, full.slice(0, kept)].join('\n')}\n`;
      const text = head + [full, full].join('\n');
      expect(pieceRanges(text, 2)[0].end).toBe(head.length);
      for (const bytes of [false, true]) {
        expect(await parsedBy(text, bytes, 2, 1 << 20)).toEqual(
          parseTables(bytes ? new TextEncoder().encode(text) : text)
        );
      }
    }
  );

  it('reads an entry whose next line starts with `{` as one parse does (no cut inside it)', async () => {
    const split = full.replace(/}$/, ',\n"zz":\n{"a":1}}');
    const text = [split, full, full].join('\n');
    for (const workers of [2, 3, 4]) {
      expect(await parsedBy(text, false, workers, 1 << 20)).toEqual(parseTables(text));
    }
  });

  it('keeps values of an undocumented field as one parse does when pieces see different kinds', async () => {
    const pad = 'x'.repeat(40);
    const entry = (v: unknown, more = {}) =>
      JSON.stringify({ timestamp: '2017-08-10 15:37:23.476', eventType: 'Custom-X', v, ...more });
    // The first piece holds a number and a string (text, for it), the second a list: one parse keeps all as they are.
    const text = [entry(5, { pad }), entry('a', { pad }), entry([1]), entry('b')].join('\n');
    const result = await parsedBy(text, false, 2, 1 << 20);
    expect(result).toEqual(parseTables(text));
    expect(result.tables[0].columns.find((c) => c.name === 'v')!.values).toEqual([5, 'a', [1], 'b']);
  });
});
