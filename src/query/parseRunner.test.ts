import { parseTables } from '../parsing';
import { cutIntoPieces } from '../parsing/merge';
import { awsReferenceExamples } from '../parsing/testutils';
import { parseRequestHandler } from '../worker/handler';
import type { ParseRequest, ParseResponse } from '../worker/protocol';
import { CancelledError, ParseRunner } from './parseRunner';

const connect = awsReferenceExamples()[0].json;
const line = (i: number) => JSON.stringify({ ...connect, clientId: `c${i}` });
const ndjson = (n: number) => Array.from({ length: n }, (_, i) => line(i)).join('\n');

/** A Worker that runs the parse worker's own handler (src/worker/handler.ts), a message per task. */
class FakeWorker extends EventTarget {
  terminated = false;
  posted: ParseRequest[] = [];
  private readonly handle = parseRequestHandler((message) => this.reply(message));
  constructor(private readonly behaviour: 'parse' | 'hang' | 'fail' = 'parse') {
    super();
  }
  postMessage(request: ParseRequest) {
    this.posted.push(request);
    if (this.behaviour === 'fail') {
      setTimeout(() => this.dispatchEvent(new Event('error')), 0);
      return;
    }
    if (this.behaviour === 'hang') {
      if (request.type === 'parse') {
        setTimeout(() => this.reply({ id: request.id, type: 'progress', done: 1, total: 4 }), 0);
      }
      return;
    }
    setTimeout(() => this.handle(request), 0);
  }
  terminate() {
    this.terminated = true;
  }
  private reply(data: ParseResponse) {
    if (!this.terminated) {
      this.dispatchEvent(new MessageEvent('message', { data }));
    }
  }
}

describe('ParseRunner', () => {
  it('parses small inputs at once, without a worker', async () => {
    const createWorker = jest.fn();
    const result = await new ParseRunner(createWorker, 1000).run({ input: line(1), options: {} });
    expect(result.stats.entries).toBe(1);
    expect(createWorker).not.toHaveBeenCalled();
  });

  it('parses large inputs in the worker, with progress', async () => {
    const worker = new FakeWorker();
    const progress: number[] = [];
    const text = ndjson(5000);
    const result = await new ParseRunner(() => worker as unknown as Worker, 1000, undefined, 1 << 24).run({
      input: text,
      options: { format: 'auto' },
      onProgress: (f) => progress.push(f),
    });
    expect(result.stats.entries).toBe(5000);
    expect(result.tables).toEqual(parseTables(text).tables);
    expect(worker.posted).toEqual([
      { id: 1, type: 'chunk', chunk: text },
      { id: 1, type: 'parse', options: { format: 'auto' } },
    ]);
    expect(progress[progress.length - 1]).toBe(1);
    expect(progress.length).toBeGreaterThan(1);
  });

  it('sends a large input in parts (text or bytes) that the worker puts back together', async () => {
    const text = ndjson(300);
    const bytes = new TextEncoder().encode(text);
    for (const input of [text, bytes, bytes.buffer]) {
      const worker = new FakeWorker();
      const chunkSize = 4096;
      const runner = new ParseRunner(() => worker as unknown as Worker, 1000, undefined, chunkSize);
      const result = await runner.run({ input, options: {} });
      expect(result.tables).toEqual(parseTables(text).tables);
      const chunks = worker.posted.filter((r) => r.type === 'chunk');
      expect(chunks).toHaveLength(Math.ceil(text.length / chunkSize));
      expect(worker.posted[worker.posted.length - 1].type).toBe('parse');
    }
    // The page's input is untouched (parts are copies).
    expect(new TextDecoder().decode(bytes)).toBe(text);
  });

  it('cancels while the tables are rebuilt on the page', async () => {
    const worker = new FakeWorker();
    const controller = new AbortController();
    const runner = new ParseRunner(() => worker as unknown as Worker, 1000);
    worker.addEventListener('message', (event) => {
      if ((event as MessageEvent<ParseResponse>).data.type === 'result') {
        controller.abort();
      }
    });
    const job = runner.run({ input: ndjson(200), options: {}, signal: controller.signal });
    await expect(job).rejects.toBeInstanceOf(CancelledError);
  });

  it('cancels: the worker is stopped and the job rejects', async () => {
    const worker = new FakeWorker('hang');
    const controller = new AbortController();
    const runner = new ParseRunner(() => worker as unknown as Worker, 1000);
    const job = runner.run({
      input: ndjson(100),
      options: {},
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(job).rejects.toBeInstanceOf(CancelledError);
    expect(worker.terminated).toBe(true);
  });

  it('falls back to the main thread in pieces when no worker can start', async () => {
    const progress: number[] = [];
    const runner = new ParseRunner(
      () => {
        throw new Error('blocked by CSP');
      },
      1000,
      20_000
    );
    const text = ndjson(1000);
    const result = await runner.run({ input: text, options: {}, onProgress: (f) => progress.push(f) });
    expect(result.stats).toEqual(parseTables(text).stats);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress[progress.length - 1]).toBe(1);
  });

  it('falls back when the worker fails, and keeps using the fallback', async () => {
    const worker = new FakeWorker('fail');
    const createWorker = jest.fn(() => worker as unknown as Worker);
    const runner = new ParseRunner(createWorker, 1000);
    expect((await runner.run({ input: ndjson(50), options: {} })).stats.entries).toBe(50);
    expect((await runner.run({ input: ndjson(60), options: {} })).stats.entries).toBe(60);
    expect(createWorker).toHaveBeenCalledTimes(1);
  });

  it('cancels the fallback between pieces', async () => {
    // Small pieces, so that a small input is cut into several of them (the default is 4 MiB).
    const pieceSize = 5_000;
    const text = ndjson(200);
    expect(cutIntoPieces(text, pieceSize).length).toBeGreaterThan(3);
    const controller = new AbortController();
    const progress: number[] = [];
    const runner = new ParseRunner(() => undefined, 1000, pieceSize);
    const job = runner.run({
      input: text,
      options: {},
      signal: controller.signal,
      onProgress: (f) => {
        progress.push(f);
        controller.abort();
      },
    });
    await expect(job).rejects.toBeInstanceOf(CancelledError);
    // Aborted after the first piece: no other piece was parsed.
    expect(progress).toHaveLength(1);
    expect(progress[0]).toBeGreaterThan(0);
    expect(progress[0]).toBeLessThan(1);
  });
});

describe('ParseRunner without a worker', () => {
  it('reads in pieces only what reads the same as a whole (a note in a piece: at once)', async () => {
    const deep = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    const text = Array.from({ length: 400 }, (_, i) =>
      i % 50 === 0 ? `{"timestamp":"2017-08-10 15:37:23.476","eventType":"Custom-Deep","v":${deep(100)}}` : line(i)
    ).join('\n');
    const runner = new ParseRunner(() => undefined, 1000, 5_000);
    const result = await runner.run({ input: text, options: {} });
    expect(result).toEqual(parseTables(text));
    expect(result.stats.notes).toHaveLength(1);
  });
});
