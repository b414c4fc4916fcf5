/**
 * Parsing a large text in pieces: cut it where an entry starts at the beginning of a line, parse each
 * piece on its own (on the main thread between frames, or in several places), and merge the results as
 * if the whole text had been parsed at once.
 */
import type { DataFrame, Field } from '@grafana/data';

import { LOG_FIELDS } from './frames';
import { formatOfParts, mergeParts } from './parts';
import type { ParseResult, ParseStats, RejectReason } from './types';

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
  result: ParseResult;
  lineOffset: number;
}

/** Merges the frames of one eventType from several pieces: fields by name, in first-seen order. */
function mergeFrames(frames: Array<{ frame: DataFrame; recordOffset: number }>): DataFrame {
  const first = frames[0].frame;
  const length = frames.reduce((n, f) => n + f.frame.length, 0);
  const fields = new Map<string, Field>();
  for (const { frame } of frames) {
    for (const field of frame.fields) {
      if (!fields.has(field.name)) {
        fields.set(field.name, { ...field, values: new Array(length).fill(null) });
      } else if (field.type !== fields.get(field.name)!.type) {
        // Pieces inferred different kinds for an undocumented field: keep everything as written text.
        fields.get(field.name)!.type = 'string' as Field['type'];
      }
    }
  }
  let at = 0;
  for (const { frame, recordOffset } of frames) {
    for (const field of frame.fields) {
      const target = fields.get(field.name)!.values;
      const shiftIds = field.name === LOG_FIELDS.id && recordOffset > 0;
      for (let i = 0; i < frame.length; i++) {
        target[at + i] = shiftIds ? String(Number(field.values[i]) + recordOffset) : field.values[i];
      }
    }
    at += frame.length;
  }
  const merged = [...fields.values()].map((field) =>
    field.type === 'string'
      ? { ...field, values: field.values.map((v) => (v === null || typeof v === 'string' ? v : JSON.stringify(v))) }
      : field
  );
  // Each piece is sorted by time; their concatenation may not be.
  const time = merged.find((f) => f.name === LOG_FIELDS.time)!.values as number[];
  let sorted = true;
  for (let i = 1; i < time.length && sorted; i++) {
    sorted = time[i - 1] <= time[i];
  }
  if (!sorted) {
    const order = time.map((_, i) => i).sort((a, b) => time[a] - time[b] || a - b);
    for (const field of merged) {
      const values = field.values;
      field.values = order.map((i) => values[i]);
    }
  }
  return { ...first, fields: merged, length };
}

/** The result of parsing the pieces in order, as one parse of the whole text would report it. */
export function mergeResults(parts: Part[], maxIssues: number): ParseResult {
  const byName = new Map<string, Array<{ frame: DataFrame; recordOffset: number }>>();
  const issues: ParseResult['issues'] = [];
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
    for (const frame of result.frames) {
      const list = byName.get(frame.name!) ?? [];
      list.push({ frame, recordOffset });
      byName.set(frame.name!, list);
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
  const frames = [...byName.values()].map((list) =>
    list.length === 1 && list[0].recordOffset === 0 ? list[0].frame : mergeFrames(list)
  );
  frames.sort((a, b) => (a.name! < b.name! ? -1 : a.name! > b.name! ? 1 : 0));
  stats.parts = mergeParts(stats.parts);
  stats.format = formatOfParts(stats.parts);
  stats.eventTypes = frames.length;
  stats.issuesOmitted = stats.rejected - issues.length;
  return { frames, issues, stats };
}
