/**
 * The parse worker: parseTables off the main thread, so that the editor and dashboards stay responsive
 * while a large file is read. Webpack bundles it as a chunk served from the plugin's public path.
 */
import { parseTables } from '../parsing';
import { packResult } from './tableCodec';
import type { ParseRequest, ParseResponse } from './protocol';

const scope = self as unknown as {
  postMessage(message: ParseResponse, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ParseRequest>) => void) | null;
};

scope.onmessage = (event) => {
  const { id, input, options } = event.data;
  try {
    const result = parseTables(input, {
      ...options,
      onProgress: (done, total) => scope.postMessage({ id, type: 'progress', done, total }),
    });
    const { transfer, ...packed } = packResult(result);
    scope.postMessage({ id, type: 'result', ...packed }, transfer);
  } catch (e) {
    scope.postMessage({ id, type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
};
