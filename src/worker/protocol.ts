/** Messages between the data source and the parse worker. */
import type { ParseOptions, TableResult } from '../parsing';
import type { RawInput } from '../parsing/decode';
import type { PackedTable } from './tableCodec';

export interface ParseRequest {
  id: number;
  input: RawInput;
  options: Omit<ParseOptions, 'onProgress'>;
}

export type ParseResponse =
  | { id: number; type: 'progress'; done: number; total: number }
  /** The tables come packed (tableCodec), the rest of the result as it is. */
  | { id: number; type: 'result'; result: Omit<TableResult, 'tables'>; tables: PackedTable[] }
  | { id: number; type: 'error'; message: string };
