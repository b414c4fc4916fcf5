/**
 * What the output modes share: the error they throw for options that cannot work, the words that stand
 * for missing and left-out values, value kinds as Grafana field types, the metric's name and the limit's
 * default. Pure TypeScript: `@grafana/data` is imported for types only.
 */
import type { DataFrame, Field, FieldType, QueryResultMetaNotice } from '@grafana/data';

import { toText } from '../parsing/columns';
import type { ValueKind } from '../parsing/schema/types';
import { fieldKind, type TableColumn } from '../parsing/table';
import type { Metric } from '../types';
import { selectionLength, type OutputOptions, type Selection } from './types';

/**
 * An option that cannot work (an unreadable interval, `distinct` without a field). Output modes throw
 * it; the caller reports its message as the query's error. Odd data never throws: it is grouped,
 * counted or left empty as each mode documents.
 */
export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputError';
  }
}

/**
 * The group (label, cell) of entries that lack a group-by field, or whose table has no such field. It is
 * parenthesised so that it does not read as a value AWS writes. In string fields missing values are this
 * string (so they merge with a literal `(none)`, which AWS never writes); number, time and boolean fields
 * keep null in frames and show `(none)` only in labels and series names.
 */
export const NONE_LABEL = '(none)';

/** The series name of what the top-N rule leaves out (timeseries). */
export const OTHER_NAME = 'other';

/** Label values of the `other` series: parenthesised like NONE_LABEL, so no real value clashes with it. */
export const OTHER_LABEL = '(other)';

/** Shown in series names for an empty string value (a label may be empty, a name should not be). */
export const EMPTY_LABEL = '(empty)';

/** Default of `limit`: most series (timeseries, besides `other`) and most rows (counts). */
export const DEFAULT_LIMIT = 10;

/** Descriptions of the fields every table has besides its columns (TABLE_FIELDS; columns carry AWS's). */
export const TABLE_FIELD_DESCRIPTIONS: Readonly<Record<string, string>> = {
  eventType: 'The event type for which the log was generated.',
  component: 'The AWS IoT component that logged the entry (message broker, rules engine, jobs…).',
  timestamp: 'When AWS IoT logged the entry (UTC).',
  body: 'The entry as AWS IoT wrote it.',
};

/** A value kind as a Grafana field type: the names are the same (see schema/types.ts). */
export function fieldTypeOf(kind: ValueKind): FieldType {
  return kind as FieldType;
}

/** A Grafana field of a table column: its kind as the field type, its description and unit in the config. */
export function columnField(column: TableColumn, values: unknown[]): Field {
  return {
    name: column.name,
    type: fieldTypeOf(column.kind),
    config: column.unit ? { description: column.description, unit: column.unit } : { description: column.description },
    values,
  };
}

/**
 * The `limit` option as a whole positive number: undefined, null, NaN, 0 or a negative number mean
 * the default (the query editor's empty box), fractions are rounded down, `max` caps it.
 */
export function limitOf(limit: number | undefined | null, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof limit !== 'number' || !Number.isFinite(limit) || limit < 1) {
    return DEFAULT_LIMIT;
  }
  return Math.min(Math.floor(limit), max);
}

/** The group-by option without empty names and repeats, in the order given. */
export function groupByOf(groupBy: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const name of groupBy ?? []) {
    const trimmed = typeof name === 'string' ? name.trim() : '';
    if (trimmed !== '' && !out.includes(trimmed)) {
      out.push(trimmed);
    }
  }
  return out;
}

/** What a mode counts: entries, or the distinct values of a field. */
export interface MetricSpec {
  metric: Metric;
  /** The field of `distinct`. */
  field?: string;
  /** The value field's name: `count`, or `distinct <field>`. */
  name: string;
}

/**
 * The metrics (src/types.ts's METRICS, which this module does not import at runtime: src/types.ts pulls
 * in the sources); typed as a record of Metric so that a new metric fails to compile here.
 */
const KNOWN_METRICS: Record<Metric, true> = { count: true, distinct: true };

/** The query's metric; `distinct` without `metricField`, or an unknown metric, is an OutputError. */
export function metricOf(options: Pick<OutputOptions, 'metric' | 'metricField'>): MetricSpec {
  const metric = options.metric ?? 'count';
  if (!Object.prototype.hasOwnProperty.call(KNOWN_METRICS, metric)) {
    throw new OutputError(`Unknown metric "${String(metric)}": use ${Object.keys(KNOWN_METRICS).join(' or ')}.`);
  }
  if (metric === 'count') {
    return { metric, name: 'count' };
  }
  const field = typeof options.metricField === 'string' ? options.metricField.trim() : '';
  if (field === '') {
    throw new OutputError('The distinct metric counts the distinct values of a field: choose the field (metricField).');
  }
  return { metric, field, name: `distinct ${field}` };
}

/**
 * The kind a field has across the selected tables: the kind every table that has the field gives it,
 * or `string` when they differ, when it is `other` (composite values, shown as their JSON) or when no
 * table has the field.
 */
export function commonKind(selections: readonly Selection[], name: string): ValueKind {
  let kind: ValueKind | undefined;
  for (const s of selections) {
    const k = fieldKind(s.table, name);
    if (k === undefined) {
      continue;
    }
    if (kind === undefined) {
      kind = k;
    } else if (kind !== k) {
      return 'string';
    }
  }
  return kind === undefined || kind === 'other' ? 'string' : kind;
}

/** A value as a label or cell of a string field: strings as they are, others as their text. */
export function labelOf(value: unknown): string {
  if (value === null || value === undefined) {
    return NONE_LABEL;
  }
  return typeof value === 'string' ? value : (toText(value) ?? NONE_LABEL);
}

/** A value as (part of) a series name: like labelOf, with times as ISO text and `(empty)` for ''. */
export function nameOf(value: unknown, kind: ValueKind): string {
  if (kind === 'time' && typeof value === 'number') {
    return new Date(value).toISOString();
  }
  const label = labelOf(value);
  return label === '' ? EMPTY_LABEL : label;
}

/** Selections that have rows (the others add nothing to any output). */
export function nonEmpty(selections: readonly Selection[]): Selection[] {
  return selections.filter((s) => selectionLength(s) > 0);
}

/** The earliest and latest time of the selected rows (rows are in time order), or undefined for none. */
export function timeSpan(selections: readonly Selection[]): { from: number; to: number } | undefined {
  let from = Infinity;
  let to = -Infinity;
  for (const s of selections) {
    const n = selectionLength(s);
    if (n === 0) {
      continue;
    }
    const first = s.table.time[s.rows ? s.rows[0] : 0];
    const last = s.table.time[s.rows ? s.rows[n - 1] : n - 1];
    if (first < from) {
      from = first;
    }
    if (last > to) {
      to = last;
    }
  }
  return from <= to ? { from, to } : undefined;
}

/** `n thing(s)` with thousands separators. */
export function plural(n: number, word: string, words = `${word}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : words}`;
}

/** Adds an info notice to a frame's meta (creating meta and its notice list as needed). */
export function addNotice(frame: DataFrame, text: string, severity: QueryResultMetaNotice['severity'] = 'info'): void {
  const meta = (frame.meta ??= {});
  (meta.notices ??= []).push({ severity, text });
}
