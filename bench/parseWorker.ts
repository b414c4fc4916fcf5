/**
 * The browser's parse worker (src/worker/parse.worker.ts) as a Node worker thread, for bench/run.ts:
 * bytes in, parseTables, tables out, either packed with tableCodec (what the plugin does) or as they are.
 */
import { parentPort } from 'node:worker_threads';

import { parseTables } from '../src/parsing';
import { packResult } from '../src/worker/tableCodec';

parentPort!.on('message', ({ bytes, pack }: { bytes: Uint8Array; pack: boolean }) => {
  const start = performance.now();
  const result = parseTables(bytes);
  const parseMs = performance.now() - start;
  if (!pack) {
    parentPort!.postMessage({ result, parseMs, packMs: 0 });
    return;
  }
  const packStart = performance.now();
  const { transfer, ...packed } = packResult(result);
  const packMs = performance.now() - packStart;
  parentPort!.postMessage({ ...packed, parseMs, packMs }, transfer);
});
