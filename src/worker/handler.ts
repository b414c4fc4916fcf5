/**
 * What the parse worker does with each message (src/worker/parse.worker.ts wires it to the worker's
 * scope; tests and the bench run it as it is): collect the input's parts, parse, post the tables packed.
 */
import { parseForHandOff, parsePiece } from '../parsing';
import { packResult } from './tableCodec';
import type { ParseRequest, ParseResponse } from './protocol';

export type Post = (message: ParseResponse, transfer?: Transferable[]) => void;

export function parseRequestHandler(post: Post): (request: ParseRequest) => void {
  /** The input of each request as its parts arrive. */
  const inputs = new Map<number, { bytes?: Uint8Array; text?: string[] }>();
  return (request) => {
    const { id } = request;
    if (request.type === 'chunk') {
      let input = inputs.get(id);
      if (!input) {
        input = {};
        inputs.set(id, input);
      }
      if (!('offset' in request)) {
        (input.text ??= []).push(request.chunk);
        return;
      }
      input.bytes ??= new Uint8Array(request.total);
      input.bytes.set(request.chunk, request.offset);
      const buffer = request.chunk.buffer as ArrayBuffer;
      post({ id, type: 'free', buffer }, [buffer]);
      return;
    }
    const input = inputs.get(id);
    inputs.delete(id);
    try {
      const raw = input?.bytes ?? input?.text?.join('') ?? '';
      const options = {
        ...request.options,
        onProgress: (done: number, total: number) => post({ id, type: 'progress', done, total }),
      };
      if (request.piece) {
        const piece = parsePiece(raw, request.piece.first, options, request.piece.last);
        if (!piece.cuttable) {
          post({ id, type: 'uncut' });
          return;
        }
        const { transfer, ...packed } = packResult(piece.result, piece.bodies);
        post({ id, type: 'result', ...packed, lineFeeds: piece.lineFeeds }, transfer);
        return;
      }
      const { result, bodies } = parseForHandOff(raw, options);
      const { transfer, ...packed } = packResult(result, bodies);
      post({ id, type: 'result', ...packed }, transfer);
    } catch (e) {
      post({ id, type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  };
}
