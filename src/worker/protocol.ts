/** Messages between the data source and the parse worker. */
import type { ParseOptions, ParseResult } from '../parsing';
import type { RawInput } from '../parsing/decode';

export interface ParseRequest {
  id: number;
  input: RawInput;
  options: Omit<ParseOptions, 'onProgress'>;
}

export type ParseResponse =
  | { id: number; type: 'progress'; done: number; total: number }
  | { id: number; type: 'result'; result: ParseResult }
  | { id: number; type: 'error'; message: string };
