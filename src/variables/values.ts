/**
 * The distinct values a variable or an ad hoc filter offers, with the number of entries that have each:
 * read from the parsed tables, only the rows a filter keeps. Pure TypeScript: no React, no Grafana.
 *
 * - A value is the text a query's filter compares with: strings as they are, numbers and booleans as
 *   written (`5`, `true`), times as ISO 8601 UTC (the filters read it as a time), composites as JSON.
 *   Rows lacking the field, and empty texts, give no value.
 * - Values of the same text from different tables (a number in one, a string in another) are one value.
 * - `topic`: every topic field of a row (`topicName`, `resources.RepublishTopic`, …, see mqttTopic.ts);
 *   a row counts once for each distinct topic it has.
 * - `component`: the component's id, labelled with its name (`message-broker`, "Message broker").
 */
import type { Selection } from '../output/types';
import type { TableResult } from '../parsing';
import { toText } from '../parsing/columns';
import { fieldKind, fieldValues, type EventTable, type TableColumn } from '../parsing/table';
import { selectRows, type RowFilter } from '../query/filter';
import { isTopicField } from '../query/mqttTopic';
import type { VariableSort, VariableValues } from './variableQuery';

export interface ValueCount {
  value: string;
  /** Entries (rows) that have the value. */
  count: number;
  /** A readable name where the value is an id (components). */
  label?: string;
}

/** What to list: as in the variable query (`field` for `values: 'field'`). */
export interface ValuesSpec {
  values: VariableValues;
  field?: string;
}

/** The column each of these `values` lists (the same name in every eventType that has it). */
export const VALUE_FIELDS: Readonly<Partial<Record<VariableValues, string>>> = {
  status: 'status',
  clientId: 'clientId',
  thingName: 'thingName',
  ruleName: 'ruleName',
  jobId: 'jobId',
};

/** At most this many values are offered (the most frequent ones): a dropdown of more helps nobody. */
export const MAX_VALUES = 10_000;

/**
 * The distinct values of the rows of `result` that `filter` keeps, sorted. Throws FilterError when the
 * filter cannot run (src/query/filter.ts), never for the data.
 */
export function variableValues(
  result: TableResult,
  filter: RowFilter,
  spec: ValuesSpec & { sort: VariableSort }
): ValueCount[] {
  return variableValueList(result, filter, spec, Infinity).values;
}

/** The `limit` most frequent distinct values (topValues) of the rows `filter` keeps, and how many there are. */
export function variableValueList(
  result: TableResult,
  filter: RowFilter,
  spec: ValuesSpec & { sort: VariableSort },
  limit: number
): { values: ValueCount[]; total: number } {
  const { selections } = selectRows(result.tables, filter);
  const counts = countValues(selections, spec);
  return { values: topValues(counts.values(), limit, spec.sort), total: counts.size };
}

/** The values of the selected rows by text, with their counts; `into` adds to an earlier count. */
export function countValues(
  selections: readonly Selection[],
  spec: ValuesSpec,
  into: Map<string, ValueCount> = new Map()
): Map<string, ValueCount> {
  for (const selection of selections) {
    const n = selection.rows ? selection.rows.length : selection.table.length;
    switch (spec.values) {
      case 'eventType':
        add(into, selection.table.eventType, n);
        break;
      case 'component':
        add(into, selection.table.component, n, selection.table.componentLabel);
        break;
      case 'topic':
        countTopics(selection, into);
        break;
      case 'field':
        countField(selection, spec.field ?? '', into);
        break;
      default:
        countField(selection, VALUE_FIELDS[spec.values] ?? spec.values, into);
    }
  }
  return into;
}

function add(into: Map<string, ValueCount>, value: string, count: number, label?: string) {
  const known = into.get(value);
  if (known) {
    known.count += count;
  } else {
    into.set(value, label === undefined ? { value, count } : { value, count, label });
  }
}

/** The text of a value as filters compare it, or null for no value. */
function valueText(v: unknown, kind: TableColumn['kind']): string | null {
  if (kind === 'time' && typeof v === 'number') {
    const date = new Date(v);
    return Number.isNaN(date.getTime()) ? String(v) : date.toISOString();
  }
  const text = toText(v);
  return text === '' ? null : text;
}

/** Occurrences of each raw value of the rows (null and undefined too: they are dropped with their text). */
function tally(values: readonly unknown[], rows: Int32Array | undefined): Map<unknown, number> {
  const counts = new Map<unknown, number>();
  if (rows) {
    for (let j = 0; j < rows.length; j++) {
      const v = values[rows[j]];
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
  } else {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
  }
  return counts;
}

function countField({ table, rows }: Selection, field: string, into: Map<string, ValueCount>) {
  const source = fieldValues(table, field);
  if (source === undefined) {
    return;
  }
  if ('constant' in source) {
    add(into, source.constant, rows ? rows.length : table.length);
    return;
  }
  const kind = fieldKind(table, field) ?? 'string';
  for (const [v, count] of tally(source.values, rows)) {
    const text = valueText(v, kind);
    if (text !== null) {
      add(into, text, count);
    }
  }
}

function countTopics({ table, rows }: Selection, into: Map<string, ValueCount>) {
  const columns = topicColumns(table);
  if (columns.length === 1) {
    countField({ table, rows }, columns[0].name, into);
    return;
  }
  const n = rows ? rows.length : table.length;
  const inRow: string[] = [];
  for (let j = 0; j < n; j++) {
    const i = rows ? rows[j] : j;
    inRow.length = 0;
    for (const column of columns) {
      const text = valueText(column.values[i], column.kind);
      if (text !== null && !inRow.includes(text)) {
        inRow.push(text);
      }
    }
    for (const text of inRow) {
      add(into, text, 1);
    }
  }
}

function topicColumns(table: EventTable): TableColumn[] {
  return table.columns.filter((c) => isTopicField(c.name));
}

const collator = new Intl.Collator('en', { numeric: true });

/** By what the user reads (the label, else the value), numbers in names read as numbers; then exactly. */
function byName(a: ValueCount, b: ValueCount): number {
  return (
    collator.compare(a.label ?? a.value, b.label ?? b.value) || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)
  );
}

function byCount(a: ValueCount, b: ValueCount): number {
  return b.count - a.count || byName(a, b);
}

/** Values in a new array: most frequent first (ties by name), or by name. */
export function sortValues(values: Iterable<ValueCount>, sort: VariableSort): ValueCount[] {
  return [...values].sort(sort === 'name' ? byName : byCount);
}

/**
 * The `limit` most frequent values, sorted by `sort`, without sorting them all: the count of the
 * `limit`-th most frequent is found on the counts alone (numbers sort fast), and only the values at or
 * above it are sorted. Of the values tied at that count, those seen first are kept.
 */
export function topValues(values: Iterable<ValueCount>, limit: number, sort: VariableSort): ValueCount[] {
  const all = Array.isArray(values) ? (values as ValueCount[]) : [...values];
  if (all.length <= limit) {
    return sortValues(all, sort);
  }
  const counts = Float64Array.from(all, (v) => v.count).sort();
  const cut = counts[counts.length - limit];
  let tiesLeft = limit - all.reduce((n, v) => n + (v.count > cut ? 1 : 0), 0);
  const kept = all.filter((v) => v.count > cut || (v.count === cut && tiesLeft-- > 0));
  return sortValues(kept, sort);
}

/** The `limit` most frequent of sorted values, still sorted by `sort` (the list itself when it is short enough). */
export function limitValues(values: readonly ValueCount[], limit: number, sort: VariableSort): readonly ValueCount[] {
  if (values.length <= limit) {
    return values;
  }
  const frequent = sort === 'count' ? values.slice(0, limit) : sortValues(values, 'count').slice(0, limit);
  return sort === 'count' ? frequent : sortValues(frequent, sort);
}
