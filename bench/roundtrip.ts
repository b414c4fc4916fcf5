/**
 * One round trip through the parse worker, in a fresh process (run by bench/run.ts): the input's bytes
 * from this thread (the page's, in a browser) to a worker thread, parseTables there, the tables back.
 *
 *   current     the plugin's path (ParseRunner with a worker per core: the input cut into a piece
 *               per worker and sent in parts, tables packed as typed arrays and moved, rebuilt and
 *               merged here a few milliseconds at a time)
 *   one-worker  the same with one worker (what a single-core machine gets)
 *   before    the path before issue 13 (the input cloned in one message, text columns joined into
 *             strings and cloned, the tables rebuilt at once), kept for the comparison
 *
 * Prints {entries, mode, totalMs, unpackMs, longestPauseMs}: the last is the longest time this thread
 * could not respond (to input, to drawing) from the moment the bytes were handed over.
 */
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

import type { EventTable } from '../src/parsing';
import { ParseRunner } from '../src/query/parseRunner';
import { unpackTables as unpackLegacy, type PackedTable as LegacyTable } from './legacy/tableCodec';
import { entries, layout } from './generate';

type Mode = 'current' | 'one-worker' | 'before';

/** A worker thread seen through the Web Worker interface that ParseRunner uses. */
function webWorker(worker: Worker): globalThis.Worker {
  const listeners = new Map<EventListener, (data: unknown) => void>();
  return {
    postMessage: (message: unknown, transfer?: Transferable[]) =>
      worker.postMessage(message, (transfer ?? []) as ArrayBuffer[]),
    addEventListener: (type: string, listener: EventListener) => {
      const wrapped = (data: unknown) => listener(type === 'message' ? ({ data } as MessageEvent) : new Event(type));
      listeners.set(listener, wrapped);
      worker.on(type, wrapped);
    },
    removeEventListener: (type: string, listener: EventListener) => {
      const wrapped = listeners.get(listener);
      if (wrapped) {
        worker.off(type, wrapped);
      }
    },
    terminate: () => void worker.terminate(),
  } as unknown as globalThis.Worker;
}

function startWorker(): Worker {
  return new Worker(join(__dirname, 'parseWorker.mjs'), { resourceLimits: { maxOldGenerationSizeMb: 8192 } });
}

async function before(worker: Worker, bytes: Uint8Array): Promise<{ tables: EventTable[]; unpackMs: number }> {
  const reply = await new Promise<{ tables: LegacyTable[] }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.postMessage({ legacy: true, bytes });
  });
  const start = performance.now();
  const tables = unpackLegacy(reply.tables);
  return { tables, unpackMs: performance.now() - start };
}

/** The input's bytes (made in a function of its own, so that nothing of the text it came from stays reachable). */
function inputBytes(size: number): Uint8Array {
  return new TextEncoder().encode(layout(entries(size), 'ndjson').text);
}

async function main(): Promise<void> {
  const size = Number(process.argv[2]);
  const mode = process.argv[3] as Mode;
  const threads: Worker[] = [];
  const thread = () => {
    threads.push(startWorker());
    return threads[threads.length - 1];
  };
  const legacy = mode === 'before' ? thread() : undefined;
  const workers = mode === 'current' ? availableParallelism() : 1;
  const runner = new ParseRunner(() => webWorker(thread()), 0, undefined, undefined, workers);
  const run = (bytes: Uint8Array) =>
    legacy ? before(legacy, bytes) : runner.run({ input: bytes, options: {} }).then((r) => ({ ...r, unpackMs: NaN }));
  // Started and warmed up first (every worker gets a piece): loading the code is not part of the figure.
  await run(new TextEncoder().encode(layout(entries(60_000 * workers), 'ndjson').text));
  let bytes: Uint8Array | undefined = inputBytes(size);
  // Twice: what generating the input left behind is gone before the clock starts.
  global.gc?.();
  global.gc?.();
  const blocked = monitorEventLoopDelay({ resolution: 10 });
  blocked.enable();
  const start = performance.now();
  const { tables, unpackMs } = await run(bytes);
  const end = performance.now();
  // One more turn of the event loop, so that the last pause is recorded.
  await new Promise((resolve) => setTimeout(resolve, 20));
  blocked.disable();
  bytes = undefined;
  await Promise.all(threads.map((t) => t.terminate()));
  const rows = tables.reduce((n, table) => n + table.length, 0);
  if (rows !== size) {
    throw new Error(`${rows} rows of ${size}`);
  }
  process.stdout.write(
    JSON.stringify({ entries: size, mode, totalMs: end - start, unpackMs, longestPauseMs: blocked.max / 1e6 })
  );
}

void main();
