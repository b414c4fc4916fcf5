/**
 * Runs parseLogs where it does not block the page: small inputs at once, large ones in a Web Worker
 * with progress and cancel; where no worker can start (no Worker, a blocked script), on the main thread
 * in pieces with a pause for the browser between them.
 */
import { detectFormat } from '../parsing/detect';
import { cutIntoPieces, mergeResults } from '../parsing/merge';
import { DEFAULT_MAX_ISSUES, parseTables, type ParseOptions, type TableResult } from '../parsing';
import type { RawInput } from '../parsing/decode';
import { nextTask, runInSlices, SliceCancelledError } from '../worker/slices';
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
export const CHUNK_SIZE = 8 * 1024 * 1024;

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
const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export class ParseRunner {
  private worker?: Worker;
  /** Set once a worker failed to start: the fallback is used from then on. */
  private workerBroken = false;
  private nextId = 1;

  constructor(
    private readonly createWorker: () => Worker | undefined = createParseWorker,
    private readonly threshold = WORKER_THRESHOLD,
    private readonly pieceSize = PIECE_SIZE,
    private readonly chunkSize = CHUNK_SIZE
  ) {}

  async run(job: ParseJob): Promise<TableResult> {
    if (job.signal?.aborted) {
      throw new CancelledError();
    }
    if (size(job.input) < this.threshold) {
      return parseTables(job.input, job.options);
    }
    if (!this.workerBroken) {
      const worker = this.startWorker();
      if (worker) {
        try {
          return await this.inWorker(worker, job);
        } catch (e) {
          if (e instanceof CancelledError) {
            throw e;
          }
          this.workerBroken = true;
        }
      }
    }
    return this.inPieces(job);
  }

  private startWorker(): Worker | undefined {
    try {
      this.worker ??= this.createWorker();
    } catch {
      this.worker = undefined;
    }
    if (!this.worker) {
      this.workerBroken = true;
    }
    return this.worker;
  }

  private inWorker(worker: Worker, job: ParseJob): Promise<TableResult> {
    const id = this.nextId++;
    return new Promise<TableResult>((resolve, reject) => {
      const done = () => {
        worker.removeEventListener('message', onMessage);
        worker.removeEventListener('error', onError);
        job.signal?.removeEventListener('abort', onAbort);
      };
      const onMessage = (event: MessageEvent<ParseResponse>) => {
        const message = event.data;
        if (message.id !== id) {
          return;
        }
        if (message.type === 'progress') {
          job.onProgress?.(message.total > 0 ? message.done / message.total : 1);
          return;
        }
        done();
        if (message.type === 'result') {
          // Rebuilt a few milliseconds at a time: a million entries never freeze the page.
          runInSlices(unpackSteps(message.tables), { signal: job.signal }).then(
            (tables) => resolve({ ...message.result, tables }),
            (e) => reject(e instanceof SliceCancelledError ? new CancelledError() : e)
          );
        } else {
          reject(new Error(message.message));
        }
      };
      const onError = () => {
        // The worker script could not load or crashed: drop it and let the caller fall back.
        done();
        worker.terminate();
        this.worker = undefined;
        reject(new Error('the parse worker failed'));
      };
      const onAbort = () => {
        done();
        // Stopping the worker is the only way to stop a parse in progress; the next job starts a new one.
        worker.terminate();
        this.worker = undefined;
        reject(new CancelledError());
      };
      worker.addEventListener('message', onMessage);
      worker.addEventListener('error', onError);
      job.signal?.addEventListener('abort', onAbort);
      this.send(worker, id, job).catch(() => {
        // Cancelled while sending (onAbort has rejected) or the worker is gone (onError has).
      });
    });
  }

  /** The input in parts (see CHUNK_SIZE), then the request to parse it. */
  private async send(worker: Worker, id: number, job: ParseJob): Promise<void> {
    const { input, signal } = job;
    const post = (request: ParseRequest, transfer: Transferable[] = []) => worker.postMessage(request, transfer);
    if (typeof input === 'string') {
      for (let offset = 0; offset < input.length; offset += this.chunkSize) {
        post({ id, type: 'chunk', chunk: input.slice(offset, offset + this.chunkSize) });
        await nextTask();
        if (signal?.aborted) {
          return;
        }
      }
    } else {
      const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
      for (let offset = 0; offset < bytes.byteLength; offset += this.chunkSize) {
        // A copy of the part, moved to the worker (the page keeps its input for the next parse).
        const chunk = bytes.slice(offset, offset + this.chunkSize);
        post({ id, type: 'chunk', chunk, offset, total: bytes.byteLength }, [chunk.buffer]);
        await nextTask();
        if (signal?.aborted) {
          return;
        }
      }
    }
    post({ id, type: 'parse', options: job.options });
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
    const parts = [];
    let done = 0;
    for (const piece of pieces) {
      if (signal?.aborted) {
        throw new CancelledError();
      }
      parts.push({ result: parseTables(piece.text, options), lineOffset: piece.lineOffset });
      done += piece.text.length;
      job.onProgress?.(done / text.length);
      await pause();
    }
    return mergeResults(parts, options.maxIssues ?? DEFAULT_MAX_ISSUES);
  }
}
