/**
 * Runs parseLogs where it does not block the page: small inputs at once, large ones in Web Workers
 * with progress and cancel; where no worker can start (no Worker, a blocked script), on the main thread
 * in pieces with a pause for the browser between them.
 *
 * Large raw entries are cut into one piece per worker (as many workers as the machine has cores, up to
 * MAX_WORKERS), parsed side by side, and merged on the page a few milliseconds at a time into what one
 * parse of the whole input gives; an input that may not be cut (a container, CSV, CLI text) is parsed
 * whole by one worker.
 */
import { detectFormat } from '../parsing/detect';
import { cutIntoPieces, mergeSteps, type Part } from '../parsing/merge';
import { DEFAULT_MAX_ISSUES, parsePiece, parseTables, type ParseOptions, type TableResult } from '../parsing';
import { MAX_INPUT_CHARS, type RawInput } from '../parsing/decode';
import { nextTask, runInSlices, SliceCancelledError } from '../worker/slices';
import { inputSource } from '../worker/inputText';
import { unpackSteps } from '../worker/tableCodec';
import type { ParseRequest, ParseResponse } from '../worker/protocol';

/** Inputs smaller than this are parsed at once on the main thread (a few tens of milliseconds). */
export const WORKER_THRESHOLD = 2 * 1024 * 1024;
/** Size of the pieces of the main-thread fallback. */
export const PIECE_SIZE = 4 * 1024 * 1024;
/**
 * The input goes to the worker in parts of this many bytes (or characters): each part is copied on the
 * page's thread, a few milliseconds each, with a pause for the page between them.
 */
export const CHUNK_SIZE = 1024 * 1024;

/** Most workers parsing one input side by side. */
export const MAX_WORKERS = 8;
/** Pieces for the workers are at least this large (smaller inputs use fewer workers). */
export const MIN_WORKER_PIECE = 4 * 1024 * 1024;

/** Workers to parse with: one per core the browser reports, within 1 and MAX_WORKERS. */
export function defaultWorkerCount(): number {
  const cores = typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency || 1;
  return Math.max(1, Math.min(MAX_WORKERS, cores));
}

/** A part of the input: characters or bytes [start, end). */
interface Range {
  start: number;
  end: number;
}

const LF = 0x0a;
const LBRACE = 0x7b;

/**
 * Where to cut the input into `count` pieces of about the same size: before lines that start with `{`
 * (as cutIntoPieces does), and only when the input starts with an entry (after white space and a UTF-8
 * byte order mark). The workers check the rest of the rule on their pieces (parsePiece).
 */
export function pieceRanges(input: string | Uint8Array, count: number): Range[] {
  const length = typeof input === 'string' ? input.length : input.byteLength;
  const at = (i: number) => (typeof input === 'string' ? input.charCodeAt(i) : input[i]);
  let first = 0;
  if (typeof input === 'string' ? at(0) === 0xfeff : at(0) === 0xef && at(1) === 0xbb && at(2) === 0xbf) {
    first = typeof input === 'string' ? 1 : 3;
  }
  while (first < length && (at(first) === 0x20 || at(first) === 0x09 || at(first) === 0x0d || at(first) === LF)) {
    first++;
  }
  if (count < 2 || at(first) !== LBRACE) {
    return [{ start: 0, end: length }];
  }
  const ranges: Range[] = [];
  let start = 0;
  for (let k = 1; k < count; k++) {
    let from = Math.max(start, Math.floor((length * k) / count));
    let cut = -1;
    while (from < length) {
      const lf = typeof input === 'string' ? input.indexOf('\n', from) : input.indexOf(LF, from);
      if (lf < 0) {
        break;
      }
      if (at(lf + 1) === LBRACE) {
        cut = lf + 1;
        break;
      }
      from = lf + 1;
    }
    if (cut < 0) {
      break;
    }
    ranges.push({ start, end: cut });
    start = cut;
  }
  ranges.push({ start, end: length });
  return ranges;
}

type Reply = Extract<ParseResponse, { type: 'result' | 'uncut' }>;

/** A job's worker was stopped by another job (cancelled, or failed): the job starts again. */
export class WorkerStoppedError extends Error {
  constructor() {
    super('The parse worker was stopped by another query.');
  }
}

/** Times a job starts again after another job stopped one of its workers. */
const MAX_ATTEMPTS = 3;

/** Buffers that carry the input's parts to a worker, one at a time each, until it gives them back. */
export const CHUNK_BUFFERS = 4;

/**
 * The few buffers that carry the parts of an input to a worker: fresh memory costs the page more than
 * the copy into it, so each buffer is used again once the worker has read it.
 */
class BufferPool {
  private readonly free: ArrayBuffer[] = [];
  private made = 0;
  private waiting: Array<(buffer: ArrayBuffer | undefined) => void> = [];
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly bytes: number
  ) {}

  /** A buffer to fill, when one is free (undefined once the job is over). */
  take(): Promise<ArrayBuffer | undefined> {
    if (this.closed) {
      return Promise.resolve(undefined);
    }
    const buffer = this.free.pop();
    if (buffer) {
      return Promise.resolve(buffer);
    }
    if (this.made < this.size) {
      this.made++;
      return Promise.resolve(new ArrayBuffer(this.bytes));
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  give(buffer: ArrayBuffer): void {
    const next = this.waiting.shift();
    if (next) {
      next(buffer);
    } else {
      this.free.push(buffer);
    }
  }

  close(): void {
    this.closed = true;
    for (const next of this.waiting.splice(0)) {
      next(undefined);
    }
  }
}

export interface ParseJob {
  input: RawInput;
  options: Omit<ParseOptions, 'onProgress'>;
  /** Share of the input read so far, 0 to 1. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

export class CancelledError extends Error {
  constructor() {
    super('Parsing was cancelled.');
  }
}

export function createParseWorker(): Worker | undefined {
  if (typeof Worker === 'undefined') {
    return undefined;
  }
  return new Worker(new URL('../worker/parse.worker.ts', import.meta.url));
}

const size = (input: RawInput) => (typeof input === 'string' ? input.length : input.byteLength);
const toBytes = (input: Uint8Array | ArrayBuffer) => (input instanceof Uint8Array ? input : new Uint8Array(input));
const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export class ParseRunner {
  private readonly workers: Array<Worker | undefined> = [];
  /** Set once a worker failed to start: the fallback is used from then on. */
  private workerBroken = false;
  private nextId = 1;

  constructor(
    private readonly createWorker: () => Worker | undefined = createParseWorker,
    private readonly threshold = WORKER_THRESHOLD,
    private readonly pieceSize = PIECE_SIZE,
    private readonly chunkSize = CHUNK_SIZE,
    private readonly workerCount = defaultWorkerCount(),
    private readonly minWorkerPiece = MIN_WORKER_PIECE
  ) {}

  async run(job: ParseJob): Promise<TableResult> {
    if (job.signal?.aborted) {
      throw new CancelledError();
    }
    if (size(job.input) < this.threshold) {
      return parseTables(job.input, job.options);
    }
    for (let attempt = 0; !this.workerBroken; attempt++) {
      try {
        return (await this.inParallel(job)) ?? (await this.inWorker(job));
      } catch (e) {
        if (e instanceof CancelledError) {
          throw e;
        }
        if (e instanceof WorkerStoppedError && attempt < MAX_ATTEMPTS) {
          // Another job stopped a worker this one was using (cancelled, or failed): again, on new ones.
          continue;
        }
        this.stopWorkers();
        this.workerBroken = true;
      }
    }
    return this.inPieces(job);
  }

  /** The asks waiting on each worker: stopping a worker fails them (they would wait for ever). */
  private readonly pending = new Map<Worker, Set<(error: Error) => void>>();

  /** Stops a worker, and fails every ask still waiting on it. */
  private stop(worker: Worker): void {
    worker.terminate();
    const index = this.workers.indexOf(worker);
    if (index >= 0) {
      this.workers[index] = undefined;
    }
    const waiting = this.pending.get(worker);
    this.pending.delete(worker);
    for (const fail of waiting ?? []) {
      fail(new WorkerStoppedError());
    }
  }

  /** Worker `index` of the pool, started if needed; throws when none can start. */
  private worker(index: number): Worker {
    let worker = this.workers[index];
    if (!worker) {
      try {
        worker = this.createWorker();
      } catch {
        worker = undefined;
      }
      if (!worker) {
        throw new Error('no parse worker could start');
      }
      this.workers[index] = worker;
    }
    return worker;
  }

  private stopWorkers(): void {
    for (const worker of this.workers) {
      if (worker) {
        this.stop(worker);
      }
    }
    this.workers.length = 0;
  }

  /** The whole input in one worker. */
  private async inWorker(job: ParseJob): Promise<TableResult> {
    const reply = await this.ask(0, job, { start: 0, end: size(job.input) }, undefined, job.onProgress);
    if (reply.type !== 'result') {
      throw new Error('the parse worker refused a whole input');
    }
    // One piece is never refused by unpack (only merged pieces can exceed a parse's columns).
    return (await this.unpack([reply], [{ start: 0, end: size(job.input) }], job))!;
  }

  /**
   * Raw entries cut into a piece per worker, parsed side by side and merged; undefined when the input
   * is not to be cut (too small, not raw entries, a format chosen by hand, one piece only).
   */
  private async inParallel(job: ParseJob): Promise<TableResult | undefined> {
    const { input, options } = job;
    const count = Math.min(this.workerCount, Math.floor(size(input) / this.minWorkerPiece));
    // Over what one string holds, one parse refuses the input with a note: so do the pieces.
    if (count < 2 || size(input) > MAX_INPUT_CHARS || (options.format !== undefined && options.format !== 'auto')) {
      return undefined;
    }
    const ranges = pieceRanges(typeof input === 'string' ? input : toBytes(input), count);
    if (ranges.length < 2) {
      return undefined;
    }
    const total = size(input);
    const done = ranges.map(() => 0);
    const replies = await Promise.all(
      ranges.map((range, i) =>
        this.ask(i, job, range, { first: i === 0, last: i === ranges.length - 1 }, (fraction) => {
          done[i] = fraction * (range.end - range.start);
          job.onProgress?.(done.reduce((a, b) => a + b, 0) / total);
        })
      )
    );
    if (replies.some((reply) => reply.type !== 'result')) {
      return undefined;
    }
    return this.unpack(replies as Array<Extract<Reply, { type: 'result' }>>, ranges, job);
  }

  /** The tables of the replies rebuilt (and merged) on the page a few milliseconds at a time. */
  private async unpack(
    replies: Array<Extract<Reply, { type: 'result' }>>,
    ranges: Range[],
    job: ParseJob
  ): Promise<TableResult | undefined> {
    const maxIssues = job.options.maxIssues ?? DEFAULT_MAX_ISSUES;
    const { input } = job;
    // Bodies are cut out of the page's own copy of the input.
    const source = (i: number) =>
      inputSource(typeof input === 'string' ? input : toBytes(input), ranges[i].start, ranges[i].end);
    const check = { exact: true };
    function* steps(): Generator<void, TableResult> {
      if (replies.length === 1) {
        return { ...replies[0].result, tables: yield* unpackSteps(replies[0].tables, source(0)) };
      }
      const parts: Part[] = [];
      let lineOffset = 0;
      for (const [i, reply] of replies.entries()) {
        parts.push({ result: { ...reply.result, tables: yield* unpackSteps(reply.tables, source(i)) }, lineOffset });
        lineOffset += reply.lineFeeds ?? 0;
      }
      return yield* mergeSteps(parts, maxIssues, check);
    }
    let result: TableResult;
    try {
      result = await runInSlices(steps(), { signal: job.signal });
    } catch (e) {
      throw e instanceof SliceCancelledError ? new CancelledError() : e;
    }
    // Pieces that do not merge into what one parse gives (see mergeSteps): parsed whole instead.
    return check.exact ? result : undefined;
  }

  /** Sends `range` of the input to worker `index` and waits for its answer. */
  private ask(
    index: number,
    job: ParseJob,
    range: Range,
    piece: { first: boolean; last: boolean } | undefined,
    onProgress?: (fraction: number) => void
  ): Promise<Reply> {
    const worker = this.worker(index);
    const id = this.nextId++;
    const buffers = new BufferPool(CHUNK_BUFFERS, this.chunkSize);
    return new Promise<Reply>((resolve, reject) => {
      let settled = false;
      /** Settles the ask once: listeners off, buffers released, no longer waiting on the worker. */
      const settle = (outcome: () => void) => {
        if (settled) {
          return;
        }
        settled = true;
        worker.removeEventListener('message', onMessage);
        worker.removeEventListener('error', onError);
        job.signal?.removeEventListener('abort', onAbort);
        buffers.close();
        this.pending.get(worker)?.delete(fail);
        outcome();
      };
      const fail = (error: Error) => settle(() => reject(error));
      const onMessage = (event: MessageEvent<ParseResponse>) => {
        const message = event.data;
        if (message.id !== id) {
          return;
        }
        if (message.type === 'progress') {
          onProgress?.(message.total > 0 ? message.done / message.total : 1);
          return;
        }
        if (message.type === 'free') {
          buffers.give(message.buffer);
          return;
        }
        if (message.type === 'error') {
          fail(new Error(message.message));
        } else {
          settle(() => resolve(message));
        }
      };
      const onError = () => {
        // The worker script could not load or crashed: stop it and let the caller fall back.
        fail(new Error('the parse worker failed'));
        this.stop(worker);
      };
      const onAbort = () => {
        fail(new CancelledError());
        // Stopping the worker is the only way to stop a parse in progress (other jobs waiting on it
        // are told, and start again on new workers).
        this.stop(worker);
      };
      let waiting = this.pending.get(worker);
      if (!waiting) {
        waiting = new Set();
        this.pending.set(worker, waiting);
      }
      waiting.add(fail);
      worker.addEventListener('message', onMessage);
      worker.addEventListener('error', onError);
      job.signal?.addEventListener('abort', onAbort);
      // A part that cannot be sent (the worker is gone, or the input cannot be copied) fails the ask.
      this.send(worker, id, job, range, piece, buffers).catch((e) =>
        fail(e instanceof Error ? e : new Error(String(e)))
      );
    });
  }

  /** `range` of the input in parts (see CHUNK_SIZE), then the request to parse it. */
  private async send(
    worker: Worker,
    id: number,
    job: ParseJob,
    range: Range,
    piece: { first: boolean; last: boolean } | undefined,
    buffers: BufferPool
  ): Promise<void> {
    const { input, signal } = job;
    const post = (request: ParseRequest, transfer: Transferable[] = []) => worker.postMessage(request, transfer);
    const bytes = typeof input === 'string' ? undefined : toBytes(input);
    for (let offset = range.start; offset < range.end; offset += this.chunkSize) {
      const end = Math.min(range.end, offset + this.chunkSize);
      if (bytes) {
        // A copy of the part (the page keeps its input for the next parse), moved to the worker in
        // one of a few buffers that come back to carry the next parts.
        const buffer = await buffers.take();
        if (signal?.aborted || buffer === undefined) {
          return;
        }
        const chunk = new Uint8Array(buffer, 0, end - offset);
        chunk.set(bytes.subarray(offset, end));
        post(
          {
            id,
            type: 'chunk',
            chunk,
            offset: offset - range.start,
            total: range.end - range.start,
          },
          [buffer]
        );
      } else {
        post({ id, type: 'chunk', chunk: (input as string).slice(offset, end) });
      }
      await nextTask();
      if (signal?.aborted) {
        return;
      }
    }
    post({ id, type: 'parse', options: job.options, ...(piece ? { piece } : {}) });
  }

  /** The main-thread fallback: raw entries in pieces with pauses between them; containers whole. */
  private async inPieces(job: ParseJob): Promise<TableResult> {
    await pause();
    const { input, options, signal } = job;
    const raw =
      typeof input === 'string' && (!options.format || options.format === 'auto') && detectFormat(input) === 'ndjson';
    if (!raw) {
      if (signal?.aborted) {
        throw new CancelledError();
      }
      return parseTables(input, options);
    }
    const text = input as string;
    const pieces = cutIntoPieces(text, this.pieceSize);
    const parts: Part[] = [];
    let done = 0;
    for (const [i, piece] of pieces.entries()) {
      if (signal?.aborted) {
        throw new CancelledError();
      }
      const parsed = parsePiece(piece.text, i === 0, options, i === pieces.length - 1);
      if (!parsed.cuttable) {
        // Not to be read in pieces after all (see parsePiece): at once, as a small input is.
        return parseTables(input, options);
      }
      parts.push({ result: parsed.result, lineOffset: piece.lineOffset });
      done += piece.text.length;
      job.onProgress?.(done / text.length);
      await pause();
    }
    // Merged a few milliseconds at a time too.
    let merged: TableResult;
    const check = { exact: true };
    try {
      merged = await runInSlices(mergeSteps(parts, options.maxIssues ?? DEFAULT_MAX_ISSUES, check), { signal });
    } catch (e) {
      throw e instanceof SliceCancelledError ? new CancelledError() : e;
    }
    // Pieces that do not merge into what one parse gives (see mergeSteps): read it at once.
    return check.exact ? merged : parseTables(input, options);
  }
}
