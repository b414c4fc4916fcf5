/** Messages between the data source and the parse worker. */
import type { ParseOptions, ParseResult } from '../parsing';
import type { RawInput } from '../parsing/decode';
import type { PackedFrame } from './frameCodec';

export interface ParseRequest {
  id: number;
  input: RawInput;
  options: Omit<ParseOptions, 'onProgress'>;
}

export type ParseResponse =
  | { id: number; type: 'progress'; done: number; total: number }
  /** The frames come packed (frameCodec), the rest of the result as it is. */
  | { id: number; type: 'result'; result: Omit<ParseResult, 'frames'>; frames: PackedFrame[] }
  | { id: number; type: 'error'; message: string };
