/**
 * The browser's parse worker as a Node worker thread, for bench/roundtrip.ts: the plugin's own handler
 * (src/worker/handler.ts), or the hand-off as it was before issue 13 (bench/legacy) for the comparison.
 */
import { parentPort } from 'node:worker_threads';

import { parseTables } from '../src/parsing';
import { parseRequestHandler } from '../src/worker/handler';
import type { ParseRequest } from '../src/worker/protocol';
import { packResult as packLegacy } from './legacy/tableCodec';

const handle = parseRequestHandler((message, transfer) =>
  parentPort!.postMessage(message, (transfer ?? []) as ArrayBuffer[])
);

parentPort!.on('message', (message: ParseRequest | { legacy: true; bytes: Uint8Array }) => {
  if ('legacy' in message) {
    const start = performance.now();
    const result = parseTables(message.bytes);
    const parseMs = performance.now() - start;
    const { transfer, ...packed } = packLegacy(result);
    parentPort!.postMessage({ ...packed, parseMs, packMs: performance.now() - start - parseMs }, transfer);
    return;
  }
  handle(message);
});
