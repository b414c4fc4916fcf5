/**
 * Parsing a large text in pieces: cut it where an entry starts at the beginning of a line, parse each
 * piece on its own (on the main thread between frames, or in several places), and merge the results as
 * if the whole text had been parsed at once.
 */
import { toText } from './columns';
import { getEventTypeSchema } from './schema/registry';
import { runSteps } from './steps';
import { LOG_FIELDS, MAX_COLUMNS } from './tableBuilder';
import { formatOfParts, mergeParts } from './parts';
import type { EventTable, TableColumn } from './table';
import type { ParseStats, RejectReason, TableResult } from './types';

export interface Piece {
  text: string;
  /** Lines before the piece in the whole text. */
  lineOffset: number;
}

/**
 * Lines that start another format (a CSV header, CLI text rows, export or tail lines, an array): a cut
 * could fall inside what they start (a quoted CSV field, a row's message), so such text is not cut.
 */
const MIXED = /\n[ \t]*(?:@|"@|"Time"|EVENTS\t|RESULTS\t|\[|\d{4}-\d{2}-\d{2}T)/;

/**
 * Cuts raw entries into pieces of about `size` characters, only before a line that starts with `{`
 * (a new entry in compact or pretty layouts); text with no such place stays one piece. A JSON array
 * stays one piece: a piece holding its closing `]` without the `[` would count it as a stray bracket.
 */
export function cutIntoPieces(text: string, size: number): Piece[] {
  if (!mayCut(text, true)) {
    return [{ text, lineOffset: 0 }];
  }
  const pieces: Piece[] = [];
  let start = 0;
  let lineOffset = 0;
  while (text.length - start > size) {
    const cut = text.indexOf('\n{', start + size);
    if (cut < 0) {
      break;
    }
    const piece = text.slice(start, cut + 1);
    pieces.push({ text: piece, lineOffset });
    lineOffset += countLineFeeds(piece);
    start = cut + 1;
  }
  pieces.push({ text: text.slice(start), lineOffset });
  return pieces;
}

/**
 * Whether `text` may be a piece cut by cutIntoPieces' rule: nothing in it that a cut could fall inside,
 * and (`first`) it does not open a JSON array, or (later pieces) it starts an entry.
 */
export function mayCut(text: string, first: boolean): boolean {
  if (first ? /^\s*\[/.test(text.slice(0, 1024)) : text.charCodeAt(0) !== 0x7b /* { */) {
    return false;
  }
  return !MIXED.test(text);
}

export function countLineFeeds(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    count++;
  }
  return count;
}

export interface Part {
  result: TableResult;
  lineOffset: number;
}

/** Values copied or reordered between two places where the page may pause (see mergeSteps). */
const STEP_VALUES = 32_768;

/** `target[at + i] = source[i]` (or `map(source[i])`) for every i, in steps. */
function* copyInto(
  target: unknown[],
  at: number,
  source: readonly unknown[],
  map?: (v: unknown) => unknown
): Generator<void, void> {
  for (let start = 0; start < source.length; start += STEP_VALUES) {
    yield;
    const end = Math.min(source.length, start + STEP_VALUES);
    for (let i = start; i < end; i++) {
      target[at + i] = map ? map(source[i]) : source[i];
    }
  }
}

/**
 * The order of the rows of runs that are each in time order, as one time order (ties keep the order
 * of the runs, which is input order), or undefined when the runs are in order one after the other.
 */
function* mergedOrder(time: readonly number[], runs: readonly number[]): Generator<void, number[] | undefined> {
  let sorted = true;
  for (let r = 1, at = runs[0]; r < runs.length && sorted; at += runs[r++]) {
    sorted = runs[r] === 0 || at === 0 || time[at - 1] <= time[at];
  }
  if (sorted) {
    return undefined;
  }
  // A k-way merge of the runs (k is the number of pieces: a handful).
  const next: number[] = [];
  const ends: number[] = [];
  for (let r = 0, at = 0; r < runs.length; at += runs[r++]) {
    next.push(at);
    ends.push(at + runs[r]);
  }
  const order = new Array<number>(time.length);
  for (let out = 0; out < time.length;) {
    yield;
    const stop = Math.min(time.length, out + STEP_VALUES);
    for (; out < stop; out++) {
      let best = -1;
      for (let r = 0; r < next.length; r++) {
        if (next[r] < ends[r] && (best < 0 || time[next[r]] < time[next[best]])) {
          best = r;
        }
      }
      order[out] = next[best]++;
    }
  }
  return order;
}

/** The arrays one after the other, as a new array (one native copy: a step of its own). */
function* joined<T>(arrays: Array<readonly T[]>): Generator<void, T[]> {
  yield;
  return ([] as T[]).concat(...arrays);
}

function* reordered<T>(values: T[], order: readonly number[] | undefined): Generator<void, T[]> {
  if (!order) {
    return values;
  }
  const out = new Array<T>(values.length);
  for (let start = 0; start < order.length; start += STEP_VALUES) {
    yield;
    const end = Math.min(order.length, start + STEP_VALUES);
    for (let i = start; i < end; i++) {
      out[i] = values[order[i]];
    }
  }
  return out;
}

/** Merges the tables of one eventType from several pieces: columns by name, in first-seen order. */
/**
 * Column names in the order one parse gives them (tableBuilder's columnsOf): documented attributes in
 * AWS's order, the flattened keys of a documented object where the object is documented, then the
 * others; `names` is in first-seen order (the pieces' columns, piece by piece).
 */
function parseOrder(eventType: string, names: readonly string[]): string[] {
  const placed = new Set<string>([LOG_FIELDS.time]);
  const out: string[] = [];
  const place = (name: string) => {
    if (!placed.has(name)) {
      placed.add(name);
      out.push(name);
    }
  };
  for (const field of getEventTypeSchema(eventType)?.fields ?? []) {
    if (field.kind === 'object') {
      const prefix = `${field.name}.`;
      names.filter((name) => name === field.name || name.startsWith(prefix)).forEach(place);
    } else if (names.includes(field.name)) {
      place(field.name);
    }
  }
  names.forEach(place);
  return out;
}

/** Whether a merge gives what one parse gives; set false where it cannot (see mergeSteps). */
export interface MergeCheck {
  exact: boolean;
}

function* mergeTables(
  tables: Array<{ table: EventTable; recordOffset: number }>,
  check: MergeCheck
): Generator<void, EventTable> {
  const first = tables[0].table;
  const length = tables.reduce((n, t) => n + t.table.length, 0);
  const columns = new Map<string, { column: TableColumn; mixed: boolean; empty: boolean }>();
  for (const { table } of tables) {
    for (const column of table.columns) {
      const known = columns.get(column.name);
      if (!known) {
        columns.set(column.name, { column, mixed: false, empty: column.empty === true });
        continue;
      }
      if (column.empty) {
        // A piece where the column has no value says nothing of its kind.
        continue;
      }
      if (known.empty) {
        // The first piece with values gives the kind (the pieces before had none).
        known.column = { ...known.column, kind: column.kind };
        known.empty = false;
        continue;
      }
      if (column.kind !== known.column.kind) {
        // Pieces inferred different kinds for an undocumented field: as one parse would (inferKind),
        // composites anywhere make it `other` (values as they are), mixed scalars text as written.
        if (column.kind === 'other' || known.column.kind === 'other') {
          // A piece's text column may be mixed scalars it wrote as text: one parse keeps them as they were.
          if (column.kind === 'string' || known.column.kind === 'string' || known.mixed) {
            check.exact = false;
          }
          known.column = { ...known.column, kind: 'other' };
          known.mixed = false;
        } else {
          known.column = { ...known.column, kind: 'string' };
          known.mixed = true;
        }
      }
    }
  }
  const time = yield* joined(tables.map((t) => t.table.time));
  const body = yield* joined(tables.map((t) => t.table.body));
  const record = new Array<number>(length);
  let at = 0;
  for (const { table, recordOffset } of tables) {
    yield* copyInto(record, at, table.record, (r) => (r as number) + recordOffset);
    at += table.length;
  }
  const values = new Map<string, unknown[]>();
  for (const [name, merged] of columns) {
    const parts: Array<readonly unknown[]> = [];
    for (const { table } of tables) {
      // A piece without the column has nulls there.
      const own = table.columns.find((c) => c.name === name)?.values ?? new Array(table.length).fill(null);
      if (merged.mixed) {
        const text = new Array(own.length);
        yield* copyInto(text, 0, own, toText);
        parts.push(text);
      } else {
        parts.push(own);
      }
    }
    values.set(name, yield* joined(parts));
  }
  // Each piece is sorted by time; their concatenation may not be.
  const order = yield* mergedOrder(
    time,
    tables.map((t) => t.table.length)
  );
  const mergedColumns: TableColumn[] = [];
  for (const name of parseOrder(first.eventType, [...columns.keys()])) {
    const { column, empty } = columns.get(name)!;
    const { empty: _empty, ...rest } = column;
    mergedColumns.push(
      Object.freeze({
        ...rest,
        ...(empty ? { empty: true as const } : {}),
        values: yield* reordered(values.get(name)!, order),
      })
    );
  }
  return Object.freeze({
    ...first,
    length,
    time: yield* reordered(time, order),
    body: yield* reordered(body, order),
    record: yield* reordered(record, order),
    columns: Object.freeze(mergedColumns),
  });
}

/**
 * The result of parsing the pieces in order, as one parse of the whole text would report it, as steps
 * (each `yield` is a place where the page may pause: see src/worker/slices.ts).
 */
export function* mergeSteps(
  parts: Part[],
  maxIssues: number,
  check: MergeCheck = { exact: true }
): Generator<void, TableResult> {
  const byName = new Map<string, Array<{ table: EventTable; recordOffset: number }>>();
  const issues: TableResult['issues'] = [];
  const rejectedByReason: Partial<Record<RejectReason, number>> = {};
  const stats: ParseStats = {
    format: parts[0].result.stats.format,
    parts: [],
    info: [],
    records: 0,
    entries: 0,
    rejected: 0,
    rejectedByReason,
    issuesOmitted: 0,
    inputSize: 0,
    eventTypes: 0,
    skipped: 0,
    notes: [],
  };
  for (const { result, lineOffset } of parts) {
    const recordOffset = stats.records;
    for (const table of result.tables) {
      const list = byName.get(table.eventType) ?? [];
      list.push({ table, recordOffset });
      byName.set(table.eventType, list);
    }
    for (const issue of result.issues) {
      if (issues.length < maxIssues) {
        issues.push({ ...issue, line: issue.line + lineOffset, record: issue.record + recordOffset });
      }
    }
    const s = result.stats;
    stats.parts.push(...s.parts.map((part) => ({ ...part, line: part.line + lineOffset })));
    stats.records += s.records;
    stats.entries += s.entries;
    stats.rejected += s.rejected;
    stats.inputSize += s.inputSize;
    stats.skipped += s.skipped;
    stats.notes.push(...s.notes);
    stats.info.push(...s.info);
    for (const reason of Object.keys(s.rejectedByReason) as RejectReason[]) {
      rejectedByReason[reason] = (rejectedByReason[reason] ?? 0) + s.rejectedByReason[reason]!;
    }
  }
  const tables: EventTable[] = [];
  for (const list of byName.values()) {
    tables.push(list.length === 1 && list[0].recordOffset === 0 ? list[0].table : yield* mergeTables(list, check));
  }
  tables.sort((a, b) => (a.eventType < b.eventType ? -1 : a.eventType > b.eventType ? 1 : 0));
  stats.parts = mergeParts(stats.parts);
  stats.format = formatOfParts(stats.parts);
  stats.eventTypes = tables.length;
  stats.issuesOmitted = stats.rejected - issues.length;
  if (tables.some((table) => table.columns.length > MAX_COLUMNS)) {
    // More columns than one parse keeps (no piece met the cap alone).
    check.exact = false;
  }
  return { tables, issues, stats };
}

/** The result of parsing the pieces in order, as one parse of the whole text would report it. */
export function mergeResults(parts: Part[], maxIssues: number): TableResult {
  return runSteps(mergeSteps(parts, maxIssues));
}
