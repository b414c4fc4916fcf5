/**
 * The `table` output: the selected entries as typed tables, for Grafana's table panel and for
 * transformations. Only typed columns: no body, labels or id (the logs output has those).
 *
 * - One frame per eventType (named after it): `timestamp` (time) first, then the table's columns in
 *   the table's order (documented ones in AWS's order, then the others as first seen). A column's kind
 *   is its field type, its description `config.description`, its unit `config.unit`.
 * - `combineTables`: one frame, `entries`, across the selected tables, rows merged in time order (ties
 *   in input order): `timestamp`, `eventType`, then the columns every selected table has (in the first
 *   table's order), then the others (table by table, in each table's order); a table without a column
 *   has empty cells. A column whose kind differs between tables becomes text (composites as JSON);
 *   description and unit are the first table's (the unit only when no table gives another).
 * - Documented columns are kept even when all their selected values are empty (the documented shape);
 *   undocumented ones with no value in the selected rows are left out.
 * - Tables with no selected row are left out; with none left the result is one empty `entries` frame
 *   (`timestamp`, `eventType`, no rows).
 * - Values: a column's own array when every row is selected (see the sharing rule in
 *   parsing/table.ts: no copy), else a new array of the selected rows' values.
 */
import type { DataFrame, Field, FieldConfig, FieldType } from '@grafana/data';

import { toText } from '../parsing/columns';
import type { ValueKind } from '../parsing/schema/types';
import type { TableColumn } from '../parsing/table';
import { mergeByTime } from './merge';
import type { OutputOptions, OutputRange, Selection } from './types';
import { columnField, fieldTypeOf, nonEmpty, TABLE_FIELD_DESCRIPTIONS } from './values';

/** Name of the combined (and of the empty) frame. */
export const COMBINED_FRAME_NAME = 'entries';

/** Fields the output makes itself; a column of the same name (the documented `eventType`) is not repeated. */
const OWN_FIELDS = ['timestamp', 'eventType'];

export function tableOutput(
  selections: readonly Selection[],
  options: OutputOptions,
  _range: OutputRange
): DataFrame[] {
  const kept = nonEmpty(selections);
  if (kept.length === 0) {
    return [frameOf(options.refId, COMBINED_FRAME_NAME, [timestampField([]), eventTypeField([])], 0)];
  }
  if (options.combineTables) {
    return [combined(kept, options.refId)];
  }
  return kept.map((s) => {
    const fields: Field[] = [timestampField(pick(s, s.table.time))];
    for (const column of shownColumns(s)) {
      if (column.name !== 'timestamp') {
        fields.push(columnField(column, pick(s, column.values)));
      }
    }
    return frameOf(options.refId, s.table.eventType, fields, s.rows ? s.rows.length : s.table.length);
  });
}

function frameOf(refId: string, name: string, fields: Field[], length: number): DataFrame {
  return { name, refId, fields, length, meta: { preferredVisualisationType: 'table' } };
}

function timestampField(values: readonly number[]): Field {
  return {
    name: 'timestamp',
    type: 'time' as FieldType,
    config: { description: TABLE_FIELD_DESCRIPTIONS.timestamp },
    values: values as number[],
  };
}

function eventTypeField(values: string[]): Field {
  return {
    name: 'eventType',
    type: 'string' as FieldType,
    config: { description: TABLE_FIELD_DESCRIPTIONS.eventType },
    values,
  };
}

function configOf(description: string, unit: string | undefined): FieldConfig {
  return unit ? { description, unit } : { description };
}

/** The selected rows' values: the array itself when every row is selected (never written: sharing rule). */
function pick<T>(s: Selection, values: readonly T[]): T[] {
  const rows = s.rows;
  if (!rows) {
    return values as T[];
  }
  const out = new Array<T>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    out[i] = values[rows[i]];
  }
  return out;
}

/** The columns of a selection the output shows: documented ones, and the others with a selected value. */
function shownColumns(s: Selection): TableColumn[] {
  return s.table.columns.filter((column) => column.documented || hasValue(s, column.values));
}

function hasValue(s: Selection, values: readonly unknown[]): boolean {
  const rows = s.rows;
  const n = rows ? rows.length : values.length;
  for (let i = 0; i < n; i++) {
    const v = values[rows ? rows[i] : i];
    if (v !== null && v !== undefined) {
      return true;
    }
  }
  return false;
}

interface CombinedColumn {
  name: string;
  kind: ValueKind;
  /** Converts values to text when tables disagree on the kind. */
  asText: boolean;
  description: string;
  unit?: string;
  /** The column's values in each selection's table, or undefined where the table has no such column. */
  sources: Array<readonly unknown[] | undefined>;
}

function combined(selections: readonly Selection[], refId: string): DataFrame {
  const perTable = selections.map((s) => shownColumns(s).filter((c) => !OWN_FIELDS.includes(c.name)));
  const byName = new Map<string, CombinedColumn>();
  const order: string[] = [];
  perTable.forEach((columns, k) => {
    for (const column of columns) {
      let c = byName.get(column.name);
      if (!c) {
        c = {
          name: column.name,
          kind: column.kind,
          asText: false,
          description: column.description,
          unit: column.unit,
          sources: new Array(selections.length).fill(undefined),
        };
        byName.set(column.name, c);
        order.push(column.name);
      } else {
        if (c.kind !== column.kind) {
          c.asText = true;
        }
        if (column.unit && c.unit === undefined) {
          c.unit = column.unit;
        } else if (column.unit && column.unit !== c.unit) {
          c.unit = '';
        }
      }
      c.sources[k] = column.values;
    }
  });
  const everywhere = (name: string) => byName.get(name)!.sources.every((v) => v !== undefined);
  const names = [...order.filter(everywhere), ...order.filter((name) => !everywhere(name))];

  const merged = mergeByTime(selections);
  const { length, selection, row } = merged;
  const time = new Array<number>(length);
  const eventTypes = new Array<string>(length);
  for (let i = 0; i < length; i++) {
    const table = selections[selection[i]].table;
    time[i] = table.time[row[i]];
    eventTypes[i] = table.eventType;
  }
  const fields: Field[] = [timestampField(time), eventTypeField(eventTypes)];
  for (const name of names) {
    const c = byName.get(name)!;
    const values = new Array<unknown>(length);
    for (let i = 0; i < length; i++) {
      const source = c.sources[selection[i]];
      const v = source === undefined ? null : source[row[i]];
      values[i] = v === undefined ? null : c.asText && typeof v !== 'string' ? toText(v) : v;
    }
    fields.push({
      name,
      type: fieldTypeOf(c.asText ? 'string' : c.kind),
      config: configOf(c.description, c.unit || undefined),
      values,
    });
  }
  return frameOf(refId, COMBINED_FRAME_NAME, fields, length);
}
