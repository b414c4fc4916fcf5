/**
 * Parsing a large text in pieces: cut it where an entry starts at the beginning of a line, parse each
 * piece on its own (on the main thread between frames, or in several places), and merge the results as
 * if the whole text had been parsed at once.
 */
import { toText } from './columns';
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
  if (/^\s*\[/.test(text.slice(0, 1024)) || MIXED.test(text)) {
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

function countLineFeeds(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    count++;
  }
  return count;
}

interface Part {
  result: TableResult;
  lineOffset: number;
}

/** Merges the tables of one eventType from several pieces: columns by name, in first-seen order. */
function mergeTables(tables: Array<{ table: EventTable; recordOffset: number }>): EventTable {
  const first = tables[0].table;
  const length = tables.reduce((n, t) => n + t.table.length, 0);
  const columns = new Map<string, { column: TableColumn; values: unknown[]; mixed: boolean; empty: boolean }>();
  for (const { table } of tables) {
    for (const column of table.columns) {
      const known = columns.get(column.name);
      if (!known) {
        columns.set(column.name, {
          column,
          values: new Array(length).fill(null),
          mixed: false,
          empty: column.empty === true,
        });
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
          known.column = { ...known.column, kind: 'other' };
          known.mixed = false;
        } else {
          known.column = { ...known.column, kind: 'string' };
          known.mixed = true;
        }
      }
    }
  }
  const time = new Array<number>(length);
  const body = new Array<string>(length);
  const record = new Array<number>(length);
  let at = 0;
  for (const { table, recordOffset } of tables) {
    for (let i = 0; i < table.length; i++) {
      time[at + i] = table.time[i];
      body[at + i] = table.body[i];
      record[at + i] = table.record[i] + recordOffset;
    }
    for (const column of table.columns) {
      const target = columns.get(column.name)!.values;
      for (let i = 0; i < table.length; i++) {
        target[at + i] = column.values[i];
      }
    }
    at += table.length;
  }
  // Each piece is sorted by time; their concatenation may not be.
  let order: number[] | undefined;
  for (let i = 1; i < length && !order; i++) {
    if (time[i - 1] > time[i]) {
      order = time.map((_, j) => j).sort((x, y) => time[x] - time[y] || x - y);
    }
  }
  const reorder = <T>(values: T[]): T[] => (order ? order.map((i) => values[i]) : values);
  return Object.freeze({
    ...first,
    length,
    time: reorder(time),
    body: reorder(body),
    record: reorder(record),
    columns: Object.freeze(
      [...columns.values()].map(({ column, values, mixed, empty }) => {
        const { empty: _empty, ...rest } = column;
        return Object.freeze({
          ...rest,
          ...(empty ? { empty: true as const } : {}),
          values: reorder(mixed ? values.map(toText) : values),
        });
      })
    ),
  });
}

/** The result of parsing the pieces in order, as one parse of the whole text would report it. */
export function mergeResults(parts: Part[], maxIssues: number): TableResult {
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
  const tables = [...byName.values()].map((list) =>
    list.length === 1 && list[0].recordOffset === 0 ? list[0].table : mergeTables(list)
  );
  tables.sort((a, b) => (a.eventType < b.eventType ? -1 : a.eventType > b.eventType ? 1 : 0));
  stats.parts = mergeParts(stats.parts);
  stats.format = formatOfParts(stats.parts);
  stats.eventTypes = tables.length;
  stats.issuesOmitted = stats.rejected - issues.length;
  return { tables, issues, stats };
}
