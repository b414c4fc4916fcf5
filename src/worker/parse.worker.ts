/**
 * The parse worker: parseTables off the main thread, so that the editor and dashboards stay responsive
 * while a large file is read. Webpack bundles it as a chunk served from the plugin's public path.
 */
import { parseRequestHandler } from './handler';
import type { ParseRequest, ParseResponse } from './protocol';

const scope = self as unknown as {
  postMessage(message: ParseResponse, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ParseRequest>) => void) | null;
};

const handle = parseRequestHandler((message, transfer) => scope.postMessage(message, transfer ?? []));
scope.onmessage = (event) => handle(event.data);
