/** Messages between the data source and the parse worker. */
import type { ParseOptions, TableResult } from '../parsing';
import type { PackedTable } from './tableCodec';

export type ParseRequest =
  /**
   * A part of the input, in order: bytes (moved, not copied) at `offset` of `total`, or text. Sent in
   * parts so that no single copy holds the page's thread for long.
   */
  | { id: number; type: 'chunk'; chunk: Uint8Array; offset: number; total: number }
  | { id: number; type: 'chunk'; chunk: string }
  /** The input is complete: parse it. */
  | { id: number; type: 'parse'; options: Omit<ParseOptions, 'onProgress'> };

export type ParseResponse =
  | { id: number; type: 'progress'; done: number; total: number }
  /** The tables come packed (tableCodec), the rest of the result as it is. */
  | { id: number; type: 'result'; result: Omit<TableResult, 'tables'>; tables: PackedTable[] }
  | { id: number; type: 'error'; message: string };
