/**
 * Output `logs`: one frame per eventType in Grafana's dataplane logs contract (timestamp, body,
 * severity, id, labels), followed by the table's typed columns so that a table panel shows them too.
 * parseLogs returns these frames for whole tables.
 */
import type { DataFrame, Field } from '@grafana/data';

import { toText } from '../parsing/columns';
import { getEventTypeSchema } from '../parsing/schema/registry';
import { LOG_FIELDS } from '../parsing/tableBuilder';
import type { EventTable } from '../parsing/table';
import type { ComponentId, ValueKind } from '../parsing/schema/types';
import { rowAt, selectionLength, type OutputFn, type Selection } from './types';
import { columnField, fieldTypeOf } from './values';

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

/**
 * The labels of every row of a table, made once per table (tables never change) and picked for filtered
 * runs: label objects are shared between rows with the same label values, found by walking a tree keyed
 * by each value.
 */
const labelsByTable = new WeakMap<EventTable, readonly LogLabels[]>();

function labelsOf(table: EventTable): readonly LogLabels[] {
  const known = labelsByTable.get(table);
  if (known) {
    return known;
  }
  const sources: Array<{ name: string; values: readonly unknown[] }> = [];
  for (const name of LABEL_KEYS) {
    const column = table.columns.find((c) => c.name === name);
    if (column && !column.empty) {
      sources.push({ name, values: column.values });
    }
  }
  const root: LabelTree = { next: new Map() };
  const out = new Array<LogLabels>(table.length);
  for (let row = 0; row < table.length; row++) {
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
    out[row] = node.labels;
  }
  labelsByTable.set(table, out);
  return out;
}

/** The `id` of every row (its record's index as text), once per table. */
const idsByTable = new WeakMap<EventTable, readonly string[]>();

function idsOf(table: EventTable): readonly string[] {
  let ids = idsByTable.get(table);
  if (!ids) {
    ids = table.record.map(String);
    idsByTable.set(table, ids);
  }
  return ids;
}

/**
 * Picks rows of a table's arrays for one frame (tight loops: this runs on every re-run of a filtered
 * query). Arrays shared by several fields (severity and logLevel) are copied once, and the columns with
 * no value (documented attributes an event type never has, `empty`) share one array of nulls.
 */
export class RowPicker {
  private readonly copies = new Map<readonly unknown[], unknown[]>();
  private nulls?: unknown[];

  constructor(private readonly rows: Int32Array | undefined) {}

  /**
   * The values of `source` at the picked rows; `source` itself (as the sharing rule allows) when every
   * row is kept. `empty`: every value of `source` is null.
   */
  pick(source: readonly unknown[], empty = false): unknown[] {
    const rows = this.rows;
    if (!rows) {
      return source as unknown[];
    }
    if (empty) {
      this.nulls ??= new Array(rows.length).fill(null);
      return this.nulls;
    }
    let values = this.copies.get(source);
    if (values === undefined) {
      const n = rows.length;
      values = new Array(n);
      for (let j = 0; j < n; j++) {
        values[j] = source[rows[j]];
      }
      this.copies.set(source, values);
    }
    return values;
  }
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
  return { name, type: fieldTypeOf(kind), config: { description }, values };
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
  const logLevel = table.columns.find((c) => c.name === 'logLevel');
  const levelsEmpty = logLevel === undefined || logLevel.empty === true;
  const fields: Field[] = [
    field(LOG_FIELDS.time, 'time', picker.pick(table.time), schemaTime),
    field(LOG_FIELDS.body, 'string', picker.pick(table.body), 'The log entry as written by AWS IoT.'),
    field(LOG_FIELDS.severity, 'string', picker.pick(levels, levelsEmpty), 'Log level of the entry (logLevel).'),
    field(LOG_FIELDS.id, 'string', picker.pick(idsOf(table)), 'Index of the record in the input.'),
    field(
      LOG_FIELDS.labels,
      'other',
      picker.pick(labelsOf(table)),
      `Component, eventType and the entry's ${LABEL_KEYS.join(', ')} where present.`
    ),
  ];
  for (const column of table.columns) {
    fields.push(columnField(column, picker.pick(column.values, column.empty)));
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

/**
 * Most log lines the `logs` output returns by default: the newest ones, as Grafana's Loki (its line
 * limit) and CloudWatch (Logs Insights' 10,000 rows) do. A logs view is read, not scanned: the other
 * outputs count every entry. The query's `limit` sets another number.
 */
export const DEFAULT_LOG_LINES = 10_000;

/** First index i of the selection whose time is >= t (rows are in time order). */
function firstAtOrAfter(s: Selection, t: number, strictly: boolean): number {
  let lo = 0;
  let hi = selectionLength(s);
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const time = s.table.time[rowAt(s, mid)];
    if (strictly ? time <= t : time < t) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/** The newest `limit` rows across the selections; of rows at the cut's time, the later ones of each table. */
export function newestRows(selections: readonly Selection[], limit: number): Selection[] {
  const total = selections.reduce((n, s) => n + selectionLength(s), 0);
  if (total <= limit) {
    return [...selections];
  }
  // The cut: the latest time with at least `limit` rows at or after it, found by bisecting the times
  // (rows are in time order, so counting rows at or after a time is a binary search per selection).
  const atOrAfter = (t: number) => {
    let n = 0;
    for (const s of selections) {
      n += selectionLength(s) - firstAtOrAfter(s, t, false);
    }
    return n;
  };
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of selections) {
    const n = selectionLength(s);
    if (n > 0) {
      lo = Math.min(lo, s.table.time[rowAt(s, 0)]);
      hi = Math.max(hi, s.table.time[rowAt(s, n - 1)]);
    }
  }
  // atOrAfter(lo) >= limit; find the largest time t with atOrAfter(t) >= limit.
  for (let i = 0; i < 200 && lo < hi; i++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) {
      break;
    }
    if (atOrAfter(mid) >= limit) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  if (atOrAfter(hi) >= limit) {
    lo = hi;
  }
  // The cut is the first time of a row at or after `lo`.
  let cut = Infinity;
  for (const s of selections) {
    const i = firstAtOrAfter(s, lo, false);
    if (i < selectionLength(s)) {
      cut = Math.min(cut, s.table.time[rowAt(s, i)]);
    }
  }
  // Rows after the cut's time are kept; rows at it fill what is left of the limit.
  let ties = limit;
  const after = selections.map((s) => {
    const from = firstAtOrAfter(s, cut, true);
    ties -= selectionLength(s) - from;
    return from;
  });
  const out: Selection[] = [];
  selections.forEach((s, k) => {
    let from = after[k];
    const atCut = from - firstAtOrAfter(s, cut, false);
    const take = Math.min(atCut, ties);
    ties -= take;
    from -= take;
    const n = selectionLength(s);
    if (from >= n) {
      return;
    }
    const rows = new Int32Array(n - from);
    for (let i = from; i < n; i++) {
      rows[i - from] = rowAt(s, i);
    }
    out.push({ table: s.table, rows });
  });
  return out;
}

/** Output `logs`: one logs frame per table with rows, the newest `limit` lines (DEFAULT_LOG_LINES). */
export const logsOutput: OutputFn = (selections, options) => {
  const limit = options.limit !== undefined && options.limit > 0 ? Math.floor(options.limit) : DEFAULT_LOG_LINES;
  const total = selections.reduce((n, s) => n + selectionLength(s), 0);
  const kept = newestRows(selections, limit);
  const frames = kept
    .filter((s) => selectionLength(s) > 0)
    .map((s): DataFrame => ({ ...logsFrame(s), refId: options.refId }));
  if (total > limit && frames.length > 0) {
    const meta = (frames[0].meta ??= {});
    meta.notices = [
      ...(meta.notices ?? []),
      {
        severity: 'info',
        text: `Showing the newest ${limit.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} entries: set the query's line limit to see more, or use the table, time series or counts output for all of them.`,
      },
    ];
  }
  return frames;
};

/** The logs frames of whole tables (parseLogs' frames). */
export function logsFramesOf(tables: readonly EventTable[]): DataFrame[] {
  return tables.map((table) => logsFrame({ table }));
}
