/**
 * Output `logs`: one frame per eventType in Grafana's dataplane logs contract (timestamp, body,
 * severity, id, labels), followed by the table's typed columns so that a table panel shows them too.
 * parseLogs returns these frames for whole tables.
 */
import type { DataFrame, Field, FieldType } from '@grafana/data';

import { toText } from '../parsing/columns';
import { getEventTypeSchema } from '../parsing/schema/registry';
import { LOG_FIELDS } from '../parsing/tableBuilder';
import type { EventTable, TableColumn } from '../parsing/table';
import type { ComponentId, ValueKind } from '../parsing/schema/types';
import { selectionLength, type OutputFn, type Selection } from './types';

/** What `meta.custom` of every logs frame holds. */
export interface IotFrameMeta {
  eventType: string;
  component: ComponentId;
  componentLabel: string;
  /** False for event types not in the registry (kept with inferred types). */
  documented: boolean;
}

export type LogLabels = Readonly<Record<string, string>>;

/**
 * Attributes copied into `labels`: in Grafana's dataplane logs contract only labels (not the other
 * fields) are shown in log details and offered as filters, so the dimensions users filter on go here.
 */
export const LABEL_KEYS = [
  'status',
  'clientId',
  'thingName',
  'topicName',
  'ruleName',
  'jobId',
  'reason',
  'disconnectReason',
] as const;

interface LabelTree {
  next: Map<unknown, LabelTree>;
  labels?: LogLabels;
}

/** Per table (tables never change): the label sources and the tree of label objects made so far. */
interface TableLabels {
  sources: Array<{ name: string; values: readonly unknown[] }>;
  root: LabelTree;
  /** Every row's labels, once every row has been asked for at once. */
  all?: readonly LogLabels[];
}

const labelsByTable = new WeakMap<EventTable, TableLabels>();

/**
 * The labels of the given rows of a table (all rows when `rows` is undefined). Label objects are shared
 * between rows with the same label values, found by walking a tree keyed by each value; the tree is kept
 * per table, so a filtered re-run pays only for the rows it returns.
 */
function labelsOf(table: EventTable, rows: Int32Array | undefined): readonly LogLabels[] {
  let known = labelsByTable.get(table);
  if (!known) {
    const sources: TableLabels['sources'] = [];
    for (const name of LABEL_KEYS) {
      const column = table.columns.find((c) => c.name === name);
      if (column) {
        sources.push({ name, values: column.values });
      }
    }
    known = { sources, root: { next: new Map() } };
    labelsByTable.set(table, known);
  }
  if (!rows && known.all) {
    return known.all;
  }
  const { sources, root } = known;
  const n = rows ? rows.length : table.length;
  const out = new Array<LogLabels>(n);
  for (let i = 0; i < n; i++) {
    const row = rows ? rows[i] : i;
    let node = root;
    for (const { values } of sources) {
      const v = values[row];
      const key = typeof v === 'string' && v !== '' ? v : null;
      let next = node.next.get(key);
      if (!next) {
        next = { next: new Map() };
        node.next.set(key, next);
      }
      node = next;
    }
    if (!node.labels) {
      const fresh: Record<string, string> = { component: table.component, eventType: table.eventType };
      for (const { name, values } of sources) {
        const v = values[row];
        if (typeof v === 'string' && v !== '') {
          fresh[name] = v;
        }
      }
      node.labels = Object.freeze(fresh);
    }
    out[i] = node.labels;
  }
  if (!rows) {
    known.all = out;
  }
  return out;
}

/** The `id` of the given rows (their record's index as text); all rows' ids are kept per table. */
const idsByTable = new WeakMap<EventTable, readonly string[]>();

function idsOf(table: EventTable, rows: Int32Array | undefined): readonly string[] {
  if (rows) {
    const out = new Array<string>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      out[i] = String(table.record[rows[i]]);
    }
    return out;
  }
  let ids = idsByTable.get(table);
  if (!ids) {
    ids = table.record.map(String);
    idsByTable.set(table, ids);
  }
  return ids;
}

/** Whether every value of an array is the same (all null, say): remembered per array, as tables never change. */
const constants = new WeakMap<readonly unknown[], { value: unknown } | null>();

function constantOf(values: readonly unknown[]): { value: unknown } | null {
  let known = constants.get(values);
  if (known === undefined) {
    const first = values[0];
    let same = true;
    for (let i = 1; i < values.length && same; i++) {
      same = values[i] === first;
    }
    known = same ? { value: first } : null;
    constants.set(values, known);
  }
  return known;
}

/**
 * Picks rows of a table's arrays for one frame (tight loops: this runs on every re-run of a filtered
 * query). Arrays shared by several fields (severity and logLevel) are copied once, and arrays of one
 * constant (documented attributes an event type never has) become one shared filled array.
 */
export class RowPicker {
  private readonly copies = new Map<readonly unknown[], unknown[]>();
  private readonly fills = new Map<unknown, unknown[]>();

  constructor(private readonly rows: Int32Array | undefined) {}

  /** The values of `source` at the picked rows; `source` itself (as the sharing rule allows) when every row is kept. */
  pick(source: readonly unknown[]): unknown[] {
    const rows = this.rows;
    if (!rows) {
      return source as unknown[];
    }
    let values = this.copies.get(source);
    if (values === undefined) {
      const n = rows.length;
      const constant = constantOf(source);
      if (constant) {
        values = this.fills.get(constant.value);
        if (values === undefined) {
          values = new Array(n).fill(constant.value);
          this.fills.set(constant.value, values);
        }
      } else {
        values = new Array(n);
        for (let j = 0; j < n; j++) {
          values[j] = source[rows[j]];
        }
      }
      this.copies.set(source, values);
    }
    return values;
  }
}

export function asFieldType(kind: ValueKind): FieldType {
  return kind as FieldType;
}

/** A Grafana field of a table column: its kind, description and unit carried over. */
export function columnField(column: TableColumn, values: unknown[]): Field {
  return {
    name: column.name,
    type: asFieldType(column.kind),
    config: { description: column.description, ...(column.unit ? { unit: column.unit } : {}) },
    values,
  };
}

/**
 * The severity of every row: the logLevel column's array as it is when it holds strings (the sharing
 * rule lets two fields share it), its values as text otherwise, nulls without one.
 */
function severitiesOf(table: EventTable): readonly unknown[] {
  const logLevel = table.columns.find((c) => c.name === 'logLevel');
  if (logLevel?.kind === 'string') {
    return logLevel.values;
  }
  return logLevel ? logLevel.values.map(toText) : new Array(table.length).fill(null);
}

function field(name: string, kind: ValueKind, values: unknown[], description: string): Field {
  return { name, type: asFieldType(kind), config: { description }, values };
}

export function frameMeta(table: EventTable): IotFrameMeta {
  return {
    eventType: table.eventType,
    component: table.component,
    componentLabel: table.componentLabel,
    documented: table.documented,
  };
}

/** The logs frame of the selected rows of one table. */
export function logsFrame(selection: Selection): DataFrame {
  const { table } = selection;
  const picker = new RowPicker(selection.rows);
  const schemaTime =
    getEventTypeSchema(table.eventType)?.fields.find((f) => f.name === LOG_FIELDS.time)?.description ??
    'Time of the entry (UTC).';
  const levels = severitiesOf(table);
  const fields: Field[] = [
    field(LOG_FIELDS.time, 'time', picker.pick(table.time), schemaTime),
    field(LOG_FIELDS.body, 'string', picker.pick(table.body), 'The log entry as written by AWS IoT.'),
    field(LOG_FIELDS.severity, 'string', picker.pick(levels), 'Log level of the entry (logLevel).'),
    field(LOG_FIELDS.id, 'string', idsOf(table, selection.rows) as string[], 'Index of the record in the input.'),
    field(
      LOG_FIELDS.labels,
      'other',
      labelsOf(table, selection.rows) as LogLabels[],
      `Component, eventType and the entry's ${LABEL_KEYS.join(', ')} where present.`
    ),
  ];
  for (const column of table.columns) {
    fields.push(columnField(column, picker.pick(column.values)));
  }
  return {
    name: table.eventType,
    fields,
    length: selectionLength(selection),
    meta: {
      type: 'log-lines' as NonNullable<DataFrame['meta']>['type'],
      typeVersion: [0, 0],
      preferredVisualisationType: 'logs',
      custom: frameMeta(table),
    },
  };
}

/** Output `logs`: one logs frame per table with rows. */
export const logsOutput: OutputFn = (selections, options) =>
  selections.filter((s) => selectionLength(s) > 0).map((s) => ({ ...logsFrame(s), refId: options.refId }));

/** The logs frames of whole tables (parseLogs' frames). */
export function logsFramesOf(tables: readonly EventTable[]): DataFrame[] {
  return tables.map((table) => logsFrame({ table }));
}
