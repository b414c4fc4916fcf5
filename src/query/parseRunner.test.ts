import { parseTables } from '../parsing';
import { cutIntoPieces } from '../parsing/merge';
import { awsReferenceExamples } from '../parsing/testutils';
import { packResult } from '../worker/tableCodec';
import type { ParseRequest, ParseResponse } from '../worker/protocol';
import { CancelledError, ParseRunner } from './parseRunner';

const connect = awsReferenceExamples()[0].json;
const line = (i: number) => JSON.stringify({ ...connect, clientId: `c${i}` });
const ndjson = (n: number) => Array.from({ length: n }, (_, i) => line(i)).join('\n');

/** A Worker that runs parseTables when told to, like src/worker/parse.worker.ts does. */
class FakeWorker extends EventTarget {
  terminated = false;
  posted: ParseRequest[] = [];
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
      setTimeout(() => this.reply({ id: request.id, type: 'progress', done: 1, total: 4 }), 0);
      return;
    }
    setTimeout(() => {
      const result = parseTables(request.input, {
        ...request.options,
        onProgress: (done, total) => this.reply({ id: request.id, type: 'progress', done, total }),
      });
      const { transfer: _transfer, ...packed } = packResult(result);
      this.reply({ id: request.id, type: 'result', ...packed });
    }, 0);
  }
  terminate() {
    this.terminated = true;
  }
  private reply(data: ParseResponse) {
    this.dispatchEvent(new MessageEvent('message', { data }));
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
    const result = await new ParseRunner(() => worker as unknown as Worker, 1000).run({
      input: text,
      options: { format: 'auto' },
      onProgress: (f) => progress.push(f),
    });
    expect(result.stats.entries).toBe(5000);
    expect(result.tables).toEqual(parseTables(text).tables);
    expect(worker.posted).toEqual([{ id: 1, input: text, options: { format: 'auto' } }]);
    expect(progress[progress.length - 1]).toBe(1);
    expect(progress.length).toBeGreaterThan(1);
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
