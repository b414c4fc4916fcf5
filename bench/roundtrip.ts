/**
 * One round trip through the parse worker, in a fresh process (run by bench/run.ts): the input's bytes
 * to a worker thread, parseTables there, the tables back to this thread packed with tableCodec (what the
 * plugin does) or posted as they are. Prints {entries, packed, totalMs, parseMs, packMs, unpackMs,
 * longestPauseMs}: the last is the longest time this thread (the page's, in a browser) could not respond.
 */
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

import type { EventTable, TableResult } from '../src/parsing';
import { unpackTables, type PackedTable } from '../src/worker/tableCodec';
import { entries, layout } from './generate';

interface Reply {
  result: Omit<TableResult, 'tables'> & { tables?: EventTable[] };
  /** Set when the tables came packed. */
  tables?: PackedTable[];
  parseMs: number;
  packMs: number;
}

async function main(): Promise<void> {
  const size = Number(process.argv[2]);
  const packed = process.argv[3] === 'packed';
  const worker = new Worker(join(__dirname, 'parseWorker.mjs'), { resourceLimits: { maxOldGenerationSizeMb: 8192 } });
  const ask = (bytes: Uint8Array) =>
    new Promise<Reply>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.postMessage({ bytes, pack: packed });
    });
  // Started and warmed up first: loading the worker's code is not part of the figure.
  await ask(new TextEncoder().encode('{}'));
  let bytes: Uint8Array | undefined = new TextEncoder().encode(layout(entries(size), 'ndjson').text);
  global.gc?.();
  // The longest time this thread (the page's, in a browser) could not respond while the worker parsed.
  const blocked = monitorEventLoopDelay({ resolution: 10 });
  blocked.enable();
  const start = performance.now();
  const reply = await ask(bytes);
  const unpackStart = performance.now();
  const tables = reply.tables ? unpackTables(reply.tables) : reply.result.tables!;
  const end = performance.now();
  // One more turn of the event loop, so that the last pause is recorded.
  await new Promise((resolve) => setTimeout(resolve, 20));
  blocked.disable();
  bytes = undefined;
  await worker.terminate();
  const rows = tables.reduce((n, table) => n + table.length, 0);
  if (reply.result.stats.entries !== size || rows !== size) {
    throw new Error(`${reply.result.stats.entries} entries and ${rows} rows of ${size}`);
  }
  process.stdout.write(
    JSON.stringify({
      entries: size,
      packed,
      totalMs: end - start,
      parseMs: reply.parseMs,
      packMs: reply.packMs,
      unpackMs: end - unpackStart,
      longestPauseMs: blocked.max / 1e6,
    })
  );
}

void main();
