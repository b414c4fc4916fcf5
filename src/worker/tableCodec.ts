/**
 * Frames in a form that crosses from the parse worker to the page cheaply. Posting frames as they are
 * makes the browser clone every value one by one (millions of strings for a large file), which took
 * longer than the parse itself and blocked the page while the copy was read. Packed, a column is a
 * typed array that is moved rather than copied (numbers, dictionary codes), or one string holding all of
 * its values back to back with their end offsets; the page cuts the values out again.
 */
import type { DataFrame, Field } from '@grafana/data';

import type { ParseResult } from '../parsing';

export type PackedValues =
  /** Numbers, null as NaN (frames never hold NaN: it is checked). */
  | { kind: 'numbers'; data: Float64Array }
  /** Few distinct values (strings, label objects, booleans): each once, and a code per row. */
  | { kind: 'dictionary'; dictionary: unknown[]; codes: Uint32Array }
  /** Many distinct strings: all of them in one text, each ending at `ends[i]`; null where `nulls[i]`. */
  | { kind: 'text'; text: string; ends: Uint32Array; nulls?: Uint8Array }
  /** The same array as the field at `field` (severity and logLevel share one). */
  | { kind: 'same'; field: number }
  /** Anything else, as it is. */
  | { kind: 'plain'; values: unknown[] };

export interface PackedField extends Omit<Field, 'values'> {
  packed: PackedValues;
}

export interface PackedFrame extends Omit<DataFrame, 'fields'> {
  fields: PackedField[];
}

/** Strings are put in a dictionary while at most this share of the values seen so far are distinct. */
const DICTIONARY_MAX_SHARE = 0.25;
/** …judged once this many values have been seen. */
const DICTIONARY_SAMPLE = 1024;
/** A column whose strings add up to more than this stays plain (one string cannot hold them). */
const MAX_TEXT = 256 * 1024 * 1024;

function packNumbers(values: unknown[]): PackedValues | undefined {
  const data = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      data[i] = NaN;
    } else if (typeof v === 'number' && v === v) {
      data[i] = v;
    } else {
      return undefined;
    }
  }
  return { kind: 'numbers', data };
}

/** A dictionary of the values (by identity), or undefined when they are too varied for one. */
function packDictionary(values: unknown[]): PackedValues | undefined {
  const index = new Map<unknown, number>();
  const dictionary: unknown[] = [];
  const codes = new Uint32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] === undefined ? null : values[i];
    if (v === 0 && Object.is(v, -0)) {
      // A Map does not tell −0 from 0.
      return undefined;
    }
    let code = index.get(v);
    if (code === undefined) {
      code = dictionary.length;
      dictionary.push(v);
      index.set(v, code);
      if (i >= DICTIONARY_SAMPLE && dictionary.length > (i + 1) * DICTIONARY_MAX_SHARE) {
        return undefined;
      }
    }
    codes[i] = code;
  }
  return { kind: 'dictionary', dictionary, codes };
}

function packText(values: unknown[]): PackedValues | undefined {
  const n = values.length;
  const parts = new Array<string>(n);
  const ends = new Uint32Array(n);
  let nulls: Uint8Array | undefined;
  let length = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === 'string') {
      parts[i] = v;
      length += v.length;
      if (length > MAX_TEXT) {
        return undefined;
      }
    } else if (v === null || v === undefined) {
      parts[i] = '';
      nulls ??= new Uint8Array(n);
      nulls[i] = 1;
    } else {
      return undefined;
    }
    ends[i] = length;
  }
  return { kind: 'text', text: parts.join(''), ends, ...(nulls ? { nulls } : {}) };
}

function kindOf(values: unknown[]): 'numbers' | 'strings' | 'other' {
  for (const v of values) {
    if (v !== null && v !== undefined) {
      return typeof v === 'number' ? 'numbers' : typeof v === 'string' ? 'strings' : 'other';
    }
  }
  return 'other';
}

function packValues(values: unknown[]): PackedValues {
  const kind = kindOf(values);
  if (kind === 'numbers') {
    return packNumbers(values) ?? { kind: 'plain', values };
  }
  if (kind === 'strings') {
    return packDictionary(values) ?? packText(values) ?? { kind: 'plain', values };
  }
  return packDictionary(values) ?? { kind: 'plain', values };
}

/** The frames packed, and the buffers to transfer with them (postMessage(message, transfer)). */
export function packFrames(frames: DataFrame[]): { packed: PackedFrame[]; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const packed = frames.map((frame): PackedFrame => {
    const seen = new Map<unknown[], number>();
    const fields = frame.fields.map(({ values, ...rest }, i): PackedField => {
      const same = seen.get(values);
      if (same !== undefined) {
        return { ...rest, packed: { kind: 'same', field: same } };
      }
      seen.set(values, i);
      const p = packValues(values);
      if (p.kind === 'numbers') {
        transfer.push(p.data.buffer as ArrayBuffer);
      } else if (p.kind === 'dictionary') {
        transfer.push(p.codes.buffer as ArrayBuffer);
      } else if (p.kind === 'text') {
        transfer.push(p.ends.buffer as ArrayBuffer);
        if (p.nulls) {
          transfer.push(p.nulls.buffer as ArrayBuffer);
        }
      }
      return { ...rest, packed: p };
    });
    return { ...frame, fields };
  });
  return { packed, transfer };
}

/** A parse result for postMessage: frames packed, the rest as it is, and the buffers to transfer. */
export function packResult(result: ParseResult): {
  result: Omit<ParseResult, 'frames'>;
  frames: PackedFrame[];
  transfer: ArrayBuffer[];
} {
  const { frames, ...rest } = result;
  const { packed, transfer } = packFrames(frames);
  return { result: rest, frames: packed, transfer };
}

function unpackValues(p: PackedValues, done: unknown[][]): unknown[] {
  switch (p.kind) {
    case 'numbers': {
      const { data } = p;
      const out = new Array(data.length);
      for (let i = 0; i < data.length; i++) {
        const v = data[i];
        out[i] = v === v ? v : null;
      }
      return out;
    }
    case 'dictionary': {
      const { dictionary, codes } = p;
      const out = new Array(codes.length);
      for (let i = 0; i < codes.length; i++) {
        out[i] = dictionary[codes[i]];
      }
      return out;
    }
    case 'text': {
      const { text, ends, nulls } = p;
      const out = new Array(ends.length);
      let start = 0;
      for (let i = 0; i < ends.length; i++) {
        const end = ends[i];
        out[i] = nulls !== undefined && nulls[i] === 1 ? null : text.slice(start, end);
        start = end;
      }
      return out;
    }
    case 'same':
      return done[p.field];
    case 'plain':
      return p.values;
  }
}

/** The frames back from their packed form, equal to those packed. */
export function unpackFrames(packed: PackedFrame[]): DataFrame[] {
  return packed.map((frame): DataFrame => {
    const done: unknown[][] = [];
    const fields = frame.fields.map(({ packed: p, ...rest }, i): Field => {
      const values = unpackValues(p, done);
      done[i] = values;
      return { ...rest, values } as Field;
    });
    return { ...frame, fields };
  });
}
