// The parse worker's hand-off as it was before issue 13 (tables packed with joined strings, posted as one
// clone, unpacked at once on the page): kept only so that npm run bench can compare the current path with it.
/**
 * Tables in a form that crosses from the parse worker to the page cheaply. Posting tables as they are
 * makes the browser clone every value one by one (millions of strings for a large file), which took
 * longer than the parse itself and blocked the page while the copy was read. Packed, a column is a
 * typed array that is moved rather than copied (numbers, dictionary codes), or one string holding all of
 * its values back to back with their end offsets; the page cuts the values out again.
 */
import type { EventTable, TableColumn, TableResult } from '../../src/parsing';

export type PackedValues =
  /** Numbers, null as NaN (frames never hold NaN: it is checked). */
  | { kind: 'numbers'; data: Float64Array }
  /** Few distinct values (strings, label objects, booleans): each once, and a code per row. */
  | { kind: 'dictionary'; dictionary: unknown[]; codes: Uint32Array }
  /** Many distinct strings: all of them in one text, each ending at `ends[i]`; null where `nulls[i]`. */
  | { kind: 'text'; text: string; ends: Uint32Array; nulls?: Uint8Array }
  /** The same array as the array at `array` of the table (arrays shared as the sharing rule allows). */
  | { kind: 'same'; array: number }
  /** Anything else, as it is. */
  | { kind: 'plain'; values: unknown[] };

export interface PackedColumn extends Omit<TableColumn, 'values'> {
  packed: PackedValues;
}

export interface PackedTable extends Omit<EventTable, 'time' | 'body' | 'record' | 'columns'> {
  /** time, body and record, then each column's values: arrays numbered in this order. */
  time: PackedValues;
  body: PackedValues;
  record: PackedValues;
  columns: PackedColumn[];
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

/** Packs the arrays of one table in order, each array once (later uses of it refer to the first). */
class TablePacker {
  private readonly seen = new Map<readonly unknown[], number>();
  private count = 0;

  constructor(private readonly transfer: ArrayBuffer[]) {}

  pack(values: readonly unknown[]): PackedValues {
    const index = this.count++;
    const same = this.seen.get(values);
    if (same !== undefined) {
      return { kind: 'same', array: same };
    }
    this.seen.set(values, index);
    const p = packValues(values as unknown[]);
    if (p.kind === 'numbers') {
      this.transfer.push(p.data.buffer as ArrayBuffer);
    } else if (p.kind === 'dictionary') {
      this.transfer.push(p.codes.buffer as ArrayBuffer);
    } else if (p.kind === 'text') {
      this.transfer.push(p.ends.buffer as ArrayBuffer);
      if (p.nulls) {
        this.transfer.push(p.nulls.buffer as ArrayBuffer);
      }
    }
    return p;
  }
}

/** The tables packed, and the buffers to transfer with them (postMessage(message, transfer)). */
export function packTables(tables: readonly EventTable[]): { packed: PackedTable[]; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const packed = tables.map((table): PackedTable => {
    const packer = new TablePacker(transfer);
    return {
      eventType: table.eventType,
      component: table.component,
      componentLabel: table.componentLabel,
      documented: table.documented,
      length: table.length,
      time: packer.pack(table.time),
      body: packer.pack(table.body),
      record: packer.pack(table.record),
      columns: table.columns.map(({ values, ...rest }) => ({ ...rest, packed: packer.pack(values) })),
    };
  });
  return { packed, transfer };
}

/** A parse result for postMessage: tables packed, the rest as it is, and the buffers to transfer. */
export function packResult(result: TableResult): {
  result: Omit<TableResult, 'tables'>;
  tables: PackedTable[];
  transfer: ArrayBuffer[];
} {
  const { tables, ...rest } = result;
  const { packed, transfer } = packTables(tables);
  return { result: rest, tables: packed, transfer };
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
      return done[p.array];
    case 'plain':
      return p.values;
  }
}

/** The tables back from their packed form, equal to those packed (and frozen, as the parser's are). */
export function unpackTables(packed: readonly PackedTable[]): EventTable[] {
  return packed.map((table): EventTable => {
    const done: unknown[][] = [];
    const unpack = (p: PackedValues) => {
      const values = unpackValues(p, done);
      done.push(values);
      return values;
    };
    const time = unpack(table.time) as number[];
    const body = unpack(table.body) as string[];
    const record = unpack(table.record) as number[];
    const columns = table.columns.map(({ packed: p, ...rest }) => Object.freeze({ ...rest, values: unpack(p) }));
    return Object.freeze({ ...table, time, body, record, columns: Object.freeze(columns) });
  });
}
