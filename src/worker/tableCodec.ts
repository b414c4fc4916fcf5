/**
 * Tables in a form that crosses from the parse worker to the page without copies, and is rebuilt on the
 * page in small steps. Posting tables as they are makes the browser clone every value one by one, and
 * even one joined string per column is copied twice on the way and read in one go on the page, which
 * froze it for seconds on a million entries. Packed, every column is typed arrays that are moved
 * (transferred), not copied: numbers as they are, few distinct values as codes into a dictionary, text
 * as UTF-8 bytes with where each value ends. The page rebuilds the arrays in steps (`unpackSteps`) that a
 * driver runs a few milliseconds at a time (`runInSlices`).
 */
import type { BodyOffsets, EventTable, TableColumn, TableResult } from '../parsing';
import { runSteps } from '../parsing/steps';
import { CHUNK_BYTES, type InputSource } from './inputText';

export type PackedValues =
  /** Numbers, null as NaN (`nulls` says whether any is); a column holding NaN itself goes plain. */
  | { kind: 'numbers'; data: Float64Array; nulls: boolean }
  /** Few distinct values (strings, label objects, booleans): each once, and a code per row. */
  | { kind: 'dictionary'; dictionary: unknown[]; codes: Uint32Array }
  /**
   * Strings as UTF-8: value i is bytes[byteEnds[i-1], byteEnds[i]), which decodes to charEnds[i] −
   * charEnds[i-1] UTF-16 units; null where nulls[i] is 1.
   */
  | { kind: 'text'; bytes: Uint8Array; byteEnds: Uint32Array; charEnds: Uint32Array; nulls?: Uint8Array }
  /**
   * Strings that are slices of the input the worker was sent (the bodies of raw entries): value i is
   * the input's units [starts[i], starts[i] + lengths[i]) (characters of a string, bytes of ASCII text
   * that starts at `origin`), cut out of the page's own copy of the input; where starts[i] is -1, the
   * next value of `others`.
   */
  | { kind: 'slices'; origin: number; starts: Float64Array; lengths: Uint32Array; others: PackedValues }
  /** The same array as the array at `array` of the table (arrays shared as the sharing rule allows). */
  | { kind: 'same'; array: number }
  /** Anything else, as it is (cloned). */
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
/** Offsets are 32-bit: a column of more text than this goes plain. */
const MAX_TEXT = 2 ** 32 - 1;
/**
 * Strings joined and encoded with one call: at most this many, and about ENCODE_CHARS characters (the
 * joined text stays a small, short-lived string).
 */
const ENCODE_BATCH = 4096;
const ENCODE_CHARS = 32 * 1024;

function packNumbers(values: unknown[]): PackedValues | undefined {
  const data = new Float64Array(values.length);
  let nulls = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      data[i] = NaN;
      nulls = true;
    } else if (typeof v === 'number' && v === v) {
      data[i] = v;
    } else {
      return undefined;
    }
  }
  return { kind: 'numbers', data, nulls };
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

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** False for text with a lone surrogate, which UTF-8 cannot carry (it would come back as U+FFFD). */
function wellFormed(text: string): boolean {
  const native = (text as { isWellFormed?: () => boolean }).isWellFormed;
  return native ? native.call(text) : !LONE_SURROGATE.test(text);
}

const encoder = new TextEncoder();

/** Strings (and nulls) as UTF-8 bytes with their ends, or undefined for anything else. */
function packText(values: unknown[]): PackedValues | undefined {
  const n = values.length;
  const charEnds = new Uint32Array(n);
  const byteEnds = new Uint32Array(n);
  let nulls: Uint8Array | undefined;
  let chars = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === 'string') {
      chars += v.length;
      if (chars > MAX_TEXT) {
        return undefined;
      }
    } else if (v === null || v === undefined) {
      nulls ??= new Uint8Array(n);
      nulls[i] = 1;
    } else {
      return undefined;
    }
    charEnds[i] = chars;
  }
  // Sized for ASCII (a byte per character), grown for other text.
  let bytes = new Uint8Array(chars + 64);
  let written = 0;
  const room = (needed: number): void => {
    if (bytes.length - written < needed) {
      const grown = new Uint8Array(Math.max(Math.ceil(bytes.length * 1.5), written + needed));
      grown.set(bytes.subarray(0, written));
      bytes = grown;
    }
  };
  const parts: string[] = [];
  for (let start = 0, end = 0; start < n; start = end) {
    parts.length = 0;
    const limit = Math.min(n, start + ENCODE_BATCH);
    const charLimit = (start === 0 ? 0 : charEnds[start - 1]) + ENCODE_CHARS;
    end = start;
    while (end < limit && (end === start || charEnds[end] <= charLimit)) {
      const v = values[end++];
      parts.push(typeof v === 'string' ? v : '');
    }
    const batch = parts.join('');
    if (!wellFormed(batch)) {
      return undefined;
    }
    const charBase = start === 0 ? 0 : charEnds[start - 1];
    const result = encoder.encodeInto(batch, bytes.subarray(written));
    if (result.read === batch.length && result.written === batch.length) {
      // ASCII: a byte per character.
      for (let i = start; i < end; i++) {
        byteEnds[i] = written + charEnds[i] - charBase;
      }
      written += result.written;
      continue;
    }
    // Other text (or no room left): value by value, so that each one's bytes are known.
    for (let i = start; i < end; i++) {
      const v = values[i];
      if (typeof v === 'string' && v.length > 0) {
        room(v.length * 3);
        written += encoder.encodeInto(v, bytes.subarray(written)).written;
      }
      byteEnds[i] = written;
    }
    if (written > MAX_TEXT) {
      return undefined;
    }
  }
  return { kind: 'text', bytes: bytes.subarray(0, written), byteEnds, charEnds, ...(nulls ? { nulls } : {}) };
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

/** Bodies found in the input (see BodyOffsets) as offsets into it, the others as text. */
function packSlices(bodies: readonly unknown[], where: readonly number[], origin: number): PackedValues | undefined {
  const n = bodies.length;
  const starts = new Float64Array(n);
  const lengths = new Uint32Array(n);
  const others: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const body = bodies[i];
    if (typeof body !== 'string') {
      return undefined;
    }
    const at = where[i];
    if (at >= 0) {
      starts[i] = origin + at;
      lengths[i] = body.length;
    } else {
      starts[i] = -1;
      others.push(body);
    }
  }
  return { kind: 'slices', origin, starts, lengths, others: packValues(others) };
}

function transferOf(p: PackedValues, transfer: ArrayBuffer[]): void {
  switch (p.kind) {
    case 'numbers':
      transfer.push(p.data.buffer as ArrayBuffer);
      break;
    case 'dictionary':
      transfer.push(p.codes.buffer as ArrayBuffer);
      break;
    case 'text':
      transfer.push(p.bytes.buffer as ArrayBuffer, p.byteEnds.buffer as ArrayBuffer, p.charEnds.buffer as ArrayBuffer);
      if (p.nulls) {
        transfer.push(p.nulls.buffer as ArrayBuffer);
      }
      break;
    case 'slices':
      transfer.push(p.starts.buffer as ArrayBuffer, p.lengths.buffer as ArrayBuffer);
      transferOf(p.others, transfer);
      break;
  }
}

/** Packs the arrays of one table in order, each array once (later uses of it refer to the first). */
class TablePacker {
  private readonly seen = new Map<readonly unknown[], number>();
  private count = 0;

  constructor(private readonly transfer: ArrayBuffer[]) {}

  /** `slices`: where the values are in the input (bodies), when they can be cut out of it on the page. */
  pack(values: readonly unknown[], slices?: { where: readonly number[]; origin: number }): PackedValues {
    const index = this.count++;
    const same = this.seen.get(values);
    if (same !== undefined) {
      return { kind: 'same', array: same };
    }
    this.seen.set(values, index);
    const p = (slices && packSlices(values, slices.where, slices.origin)) ?? packValues(values as unknown[]);
    transferOf(p, this.transfer);
    return p;
  }
}

/**
 * The tables packed, and the buffers to transfer with them (postMessage(message, transfer)). With
 * `bodies`, bodies found in the input travel as offsets into it (the page keeps its input).
 */
export function packTables(
  tables: readonly EventTable[],
  bodies?: BodyOffsets
): { packed: PackedTable[]; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const packed = tables.map((table): PackedTable => {
    const packer = new TablePacker(transfer);
    const where = bodies?.starts.get(table);
    return {
      eventType: table.eventType,
      component: table.component,
      componentLabel: table.componentLabel,
      documented: table.documented,
      length: table.length,
      time: packer.pack(table.time),
      body: packer.pack(table.body, where?.length === table.length ? { where, origin: bodies!.origin } : undefined),
      record: packer.pack(table.record),
      columns: table.columns.map(({ values, ...rest }) => ({ ...rest, packed: packer.pack(values) })),
    };
  });
  return { packed, transfer };
}

/** A parse result for postMessage: tables packed, the rest as it is, and the buffers to transfer. */
export function packResult(
  result: TableResult,
  bodies?: BodyOffsets
): {
  result: Omit<TableResult, 'tables'>;
  tables: PackedTable[];
  transfer: ArrayBuffer[];
} {
  const { tables, ...rest } = result;
  const { packed, transfer } = packTables(tables, bodies);
  return { result: rest, tables: packed, transfer };
}

/** Values rebuilt between two pauses of the page (numbers and codes; a few milliseconds of work). */
const STEP_VALUES = 32_768;
/** Text decoded at once: up to this many bytes or STEP_VALUES values. */
const STEP_BYTES = 1 << 20;

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

function* unpackValues(p: PackedValues, done: unknown[][], input?: InputSource): Generator<void, unknown[]> {
  switch (p.kind) {
    case 'numbers': {
      const { data } = p;
      const out = new Array(data.length);
      if (p.nulls && data.length > 0) {
        // Generic elements from the start: a null after a million doubles would convert them all at once.
        out[0] = null;
      }
      for (let start = 0; start < data.length; start += STEP_VALUES) {
        yield;
        const end = Math.min(data.length, start + STEP_VALUES);
        for (let i = start; i < end; i++) {
          const v = data[i];
          out[i] = v === v ? v : null;
        }
      }
      return out;
    }
    case 'dictionary': {
      const { dictionary, codes } = p;
      const out = new Array(codes.length);
      for (let start = 0; start < codes.length; start += STEP_VALUES) {
        yield;
        const end = Math.min(codes.length, start + STEP_VALUES);
        for (let i = start; i < end; i++) {
          out[i] = dictionary[codes[i]];
        }
      }
      return out;
    }
    case 'text': {
      const { bytes, byteEnds, charEnds, nulls } = p;
      const n = charEnds.length;
      const out = new Array(n);
      let start = 0;
      while (start < n) {
        yield;
        const byteBase = start === 0 ? 0 : byteEnds[start - 1];
        const charBase = start === 0 ? 0 : charEnds[start - 1];
        let end = start + 1;
        while (end < n && end - start < STEP_VALUES && byteEnds[end] - byteBase <= STEP_BYTES) {
          end++;
        }
        // One decode for the values of the step, each value a slice of it.
        const text = decoder.decode(bytes.subarray(byteBase, byteEnds[end - 1]));
        let from = 0;
        for (let i = start; i < end; i++) {
          const to = charEnds[i] - charBase;
          out[i] = nulls !== undefined && nulls[i] === 1 ? null : text.slice(from, to);
          from = to;
        }
        start = end;
      }
      return out;
    }
    case 'slices': {
      if (!input) {
        throw new Error('the bodies came as places in the input, and the page has no input to cut them from');
      }
      const text = input(p.origin);
      const others = yield* unpackValues(p.others, []);
      const { starts, lengths } = p;
      const n = starts.length;
      const out = new Array(n);
      let other = 0;
      let decoded = text.decoded;
      for (let start = 0; start < n; start += STEP_VALUES) {
        yield;
        const end = Math.min(n, start + STEP_VALUES);
        for (let i = start; i < end; i++) {
          const at = starts[i];
          if (at < 0) {
            out[i] = others[other++];
            continue;
          }
          out[i] = text.slice(at, at + lengths[i]);
          if (text.decoded - decoded >= CHUNK_BYTES) {
            // A chunk of the input was decoded: a place to pause.
            decoded = text.decoded;
            yield;
          }
        }
      }
      return out;
    }
    case 'same':
      return done[p.array];
    case 'plain':
      return p.values;
  }
}

/**
 * The tables back from their packed form, equal to those packed (and frozen, as the parser's are), as
 * steps: each `yield` is a place where the page may pause.
 */
export function* unpackSteps(packed: readonly PackedTable[], input?: InputSource): Generator<void, EventTable[]> {
  const tables: EventTable[] = [];
  for (const table of packed) {
    const done: unknown[][] = [];
    const unpack = function* (p: PackedValues): Generator<void, unknown[]> {
      const values = yield* unpackValues(p, done, input);
      done.push(values);
      return values;
    };
    const time = (yield* unpack(table.time)) as number[];
    const body = (yield* unpack(table.body)) as string[];
    const record = (yield* unpack(table.record)) as number[];
    const columns: TableColumn[] = [];
    for (const { packed: p, ...rest } of table.columns) {
      columns.push(Object.freeze({ ...rest, values: yield* unpack(p) }));
    }
    tables.push(Object.freeze({ ...table, time, body, record, columns: Object.freeze(columns) }));
  }
  return tables;
}

/** The tables back from their packed form at once (see unpackSteps; the page uses runInSlices). */
export function unpackTables(packed: readonly PackedTable[], input?: InputSource): EventTable[] {
  return runSteps(unpackSteps(packed, input));
}
