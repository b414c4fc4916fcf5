/**
 * Event tables built by hand for tests of filters and outputs (only tests import this file): rows as
 * plain objects, kinds inferred as the parser does, rows put in time order, tables frozen as the parser
 * freezes them and their arrays frozen too, so that a test fails if code under test writes into them
 * (the sharing rule of table.ts).
 */
import { inferKind, seenBit } from './columns';
import { componentOfEventType, getComponent, getEventTypeSchema } from './schema/registry';
import type { EventTable, TableColumn } from './table';

export interface TestRow {
  /** Epoch ms, or AWS's `YYYY-MM-DD HH:mm:ss.SSS` (UTC). */
  timestamp: number | string;
  [attribute: string]: unknown;
}

function toTime(t: number | string): number {
  return typeof t === 'number' ? t : Date.parse(`${t.replace(' ', 'T')}Z`);
}

/** A table of `eventType` with the given rows; columns in first-seen order, kinds as given or inferred. */
export function tableOf(
  eventType: string,
  rows: TestRow[],
  kinds: Record<string, TableColumn['kind']> = {}
): EventTable {
  const order = rows.map((row, i) => ({ row, i, time: toTime(row.timestamp) }));
  order.sort((a, b) => a.time - b.time || a.i - b.i);
  const names: string[] = [];
  for (const { row } of order) {
    for (const key of Object.keys(row)) {
      if (key !== 'timestamp' && !names.includes(key)) {
        names.push(key);
      }
    }
  }
  const schema = getEventTypeSchema(eventType);
  const columns: TableColumn[] = names.map((name) => {
    const values = order.map(({ row }) => (row[name] === undefined ? null : row[name]));
    const seen = values.reduce<number>((bits, v) => bits | seenBit(v), 0);
    const documented = schema?.fields.find((f) => f.name === name);
    return Object.freeze({
      name,
      kind: kinds[name] ?? (documented && documented.kind !== 'object' ? documented.kind : inferKind(seen)),
      description: documented?.description ?? `${name} (test)`,
      documented: documented !== undefined,
      values: Object.freeze(values),
    });
  });
  const component = componentOfEventType(eventType);
  return Object.freeze({
    eventType,
    component,
    componentLabel: getComponent(component).label,
    documented: schema !== undefined,
    length: rows.length,
    time: Object.freeze(order.map((o) => o.time)),
    body: Object.freeze(order.map(({ row }) => JSON.stringify({ ...row, eventType }))),
    record: Object.freeze(order.map((o) => o.i)),
    columns: Object.freeze(columns),
  });
}
