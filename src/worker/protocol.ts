/** Messages between the data source and the parse worker. */
import type { ParseOptions, TableResult } from '../parsing';
import type { PackedTable } from './tableCodec';

export type ParseRequest =
  /**
   * A part of the input, in order: bytes (moved, not copied) at `offset` of `total`, or text. Sent in
   * parts so that no single copy holds the page's thread for long. The bytes' buffer goes back to the
   * page (`free`) to carry the next part.
   */
  | { id: number; type: 'chunk'; chunk: Uint8Array; offset: number; total: number }
  | { id: number; type: 'chunk'; chunk: string }
  /**
   * The input is complete: parse it. `piece`: it is a piece of a larger input, cut before a line that
   * starts with `{` (`first`: the piece the input starts with, `last`: the one it ends with); see
   * parsePiece.
   */
  | { id: number; type: 'parse'; options: Omit<ParseOptions, 'onProgress'>; piece?: { first: boolean; last: boolean } };

export type ParseResponse =
  | { id: number; type: 'progress'; done: number; total: number }
  /** The buffer of a part of the input, read: the page copies the next part into it. */
  | { id: number; type: 'free'; buffer: ArrayBuffer }
  /** The tables come packed (tableCodec), the rest of the result as it is. */
  | {
      id: number;
      type: 'result';
      result: Omit<TableResult, 'tables'>;
      tables: PackedTable[];
      /** For a piece: its line feeds (the next piece's lines are counted after them). */
      lineFeeds?: number;
    }
  /** A piece that must not be parsed on its own: the input is to be parsed whole. */
  | { id: number; type: 'uncut' }
  | { id: number; type: 'error'; message: string };
