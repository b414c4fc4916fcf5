/**
 * The `counts` output: one row per group of entries with its count, for tables, bar charts and bar
 * gauges ("which clients fail most", "entries per eventType"). One frame, `counts`, in the dataplane
 * numeric long format (`numeric-long` 0.1): the group-by fields, then the count.
 *
 * Defaults and decisions:
 * - groupBy: default `['eventType']` (an empty list too, which is the query's default). One row per
 *   combination of the fields' values that occurs. Fields keep their kind: string fields are strings,
 *   a numeric field (sourcePort) stays numeric, booleans and times stay so; a field whose kind differs
 *   between tables is text. Entries that lack a field group under `(none)` in a string field and under
 *   null (an empty cell) in the others; a field no table has is all `(none)`.
 * - metric: `count` (entries; field `count`) or `distinct` (distinct values of metricField among the
 *   group's entries, entries without it not counted; field `distinct <metricField>`).
 * - Order: count descending, ties by the group values ascending (compareGroupValues: numbers by value,
 *   text by code unit, empty cells last).
 * - limit: default 10 rows (the "top N" a bar gauge shows); when groups are left out, an info notice
 *   says how many. No selection or no rows: the frame with its fields and no rows.
 */
import type { DataFrame, DataFrameType, Field, FieldConfig, FieldType } from '@grafana/data';

import type { ValueKind } from '../parsing/schema/types';
import { columnOf } from '../parsing/table';
import { codeField, compareGroupValues, countPerGroup, distinctPerGroup, groupRows } from './groups';
import type { OutputOptions, OutputRange, Selection } from './types';
import {
  addNotice,
  fieldTypeOf,
  groupByOf,
  limitOf,
  metricOf,
  type MetricSpec,
  nonEmpty,
  plural,
  TABLE_FIELD_DESCRIPTIONS,
} from './values';

/** The groupBy of counts when the query has none. */
export const DEFAULT_COUNTS_GROUP_BY: readonly string[] = ['eventType'];

export function countsOutput(
  selections: readonly Selection[],
  options: OutputOptions,
  _range: OutputRange
): DataFrame[] {
  const metric = metricOf(options);
  const groupBy = groupByOf(options.groupBy);
  const names = groupBy.length > 0 ? groupBy : [...DEFAULT_COUNTS_GROUP_BY];
  const limit = limitOf(options.limit);
  const kept = nonEmpty(selections);

  const grouping = groupRows(kept, names);
  const groups = grouping.groups.length;
  const counts =
    metric.field === undefined
      ? countPerGroup(grouping.codes, groups)
      : distinctPerGroup(grouping.codes, groups, codeField(kept, metric.field, 'skip'));

  const fields = grouping.fields.map((f) => ({ name: f.name, kind: f.kind, config: groupFieldConfig(kept, f.name) }));
  return [countsFrame(fields, grouping.groups, counts, metric, limit, options.refId)];
}

/** A group-by field of the counts frame: its name, kind and config (description, unit). */
export interface CountsField {
  name: string;
  kind: ValueKind;
  config: FieldConfig;
}

/**
 * The counts frame of groups (one value per field each) and their counts: ordered, cut at `limit` with
 * its notice. The one place the output's frame is shaped, shared with the CloudWatch stats shaping.
 */
export function countsFrame(
  groupFields: readonly CountsField[],
  groups: ReadonlyArray<readonly unknown[]>,
  counts: ArrayLike<number>,
  metric: MetricSpec,
  limit: number,
  refId: string
): DataFrame {
  const order = Array.from({ length: groups.length }, (_, g) => g);
  order.sort((a, b) => counts[b] - counts[a] || compareGroupValues(groups[a], groups[b]));
  const rows = order.slice(0, limit);

  const fields: Field[] = groupFields.map((f, fi) => ({
    name: f.name,
    type: fieldTypeOf(f.kind),
    config: f.config,
    values: rows.map((g) => groups[g][fi]),
  }));
  fields.push({
    name: metric.name,
    type: 'number' as FieldType,
    config: {
      description:
        metric.field === undefined
          ? 'Entries in the group.'
          : `Distinct values of ${metric.field} among the group's entries (entries without it are not counted).`,
    },
    values: rows.map((g) => counts[g]),
  });
  const frame: DataFrame = {
    name: 'counts',
    refId,
    fields,
    length: rows.length,
    meta: { type: 'numeric-long' as DataFrameType, typeVersion: [0, 1], preferredVisualisationType: 'table' },
  };
  if (groups.length > rows.length) {
    const left = groups.length - rows.length;
    addNotice(
      frame,
      `Showing the ${plural(rows.length, 'largest group', 'largest groups')} of ${groups.length.toLocaleString('en-US')}: ` +
        `${plural(left, 'group')} left out (raise the limit to see more).`
    );
  }
  return frame;
}

/** A group field's description and unit: its column's in the first table that has it, or the table field's. */
export function groupFieldConfig(selections: readonly Selection[], name: string): FieldConfig {
  for (const s of selections) {
    const column = columnOf(s.table, name);
    if (column) {
      return { description: column.description, ...(column.unit ? { unit: column.unit } : {}) };
    }
  }
  const description = TABLE_FIELD_DESCRIPTIONS[name];
  return description ? { description } : {};
}
