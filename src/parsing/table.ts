/**
 * The parser's product: one immutable, typed table per eventType. Everything after the parse (filters,
 * the output modes, the worker hand-off, the run summary) reads these tables; Grafana frames are shaped
 * from them per query by src/output.
 *
 * THE SHARING RULE (the one place it is written; `table.test.ts` checks it):
 * 1. A table and every array it holds are never written after `TableBuilder.build()` returns them. Code
 *    that needs other values (a filtered, reordered or converted column) makes a new array.
 * 2. Because of (1), anything may hold a table's arrays by reference: an output may use a column's array
 *    as a frame field's values as it is (no copy), two fields may share one array (the logs output's
 *    `severity` is the `logLevel` column's array), and caches may key on arrays or tables by identity.
 * 3. Nothing else is shared: frames given to Grafana are new objects; Grafana may not write into their
 *    arrays either, but a frame's arrays are never read back by this plugin.
 * Tables are frozen objects (`Object.freeze` on the table, its column list and each column); the value
 * arrays are not frozen (freezing millions of elements costs time), the types mark them readonly.
 */
import type { ComponentId, ValueKind } from './schema/types';

export interface TableColumn {
  /** The attribute's name; nested attributes are dotted (`resources.RepublishTopic`). */
  readonly name: string;
  /** Kind of every value (null where an entry lacks the attribute). */
  readonly kind: ValueKind;
  /** AWS's description of the attribute, or what the parser knows of an undocumented one. */
  readonly description: string;
  /** Grafana unit id where AWS documents one (`ms` for Ping's latency). */
  readonly unit?: string;
  /** True when AWS documents the attribute for this eventType (or the parser derives it). */
  readonly documented: boolean;
  /** Set (true) when every value is null: a documented attribute no entry of the table has. */
  readonly empty?: true;
  /** One value per row, converted to `kind`; `table.length` of them. Read-only (see the sharing rule). */
  readonly values: readonly unknown[];
}

export interface EventTable {
  readonly eventType: string;
  readonly component: ComponentId;
  readonly componentLabel: string;
  /** False for event types not in the registry (kept with inferred kinds). */
  readonly documented: boolean;
  /** Rows. */
  readonly length: number;
  /** Time of each row (epoch ms, UTC), ascending: rows are in time order (ties keep input order). */
  readonly time: readonly number[];
  /** Each entry as written by AWS IoT (its JSON text). */
  readonly body: readonly string[];
  /** 0-based index of each row's record in the input. */
  readonly record: readonly number[];
  /** Documented attributes in AWS's order (always present), then the others in first-seen order. */
  readonly columns: readonly TableColumn[];
}

/** A column of a table by name. */
export function columnOf(table: EventTable, name: string): TableColumn | undefined {
  return table.columns.find((c) => c.name === name);
}

/**
 * Fields every table has besides its columns: filters, group-bys and outputs name them like columns.
 * `timestamp` is the row's time, `body` the entry's text.
 */
export const TABLE_FIELDS = ['eventType', 'component', 'timestamp', 'body'] as const;

/** The kind of a field of a table (a column or one of TABLE_FIELDS), or undefined when it has none. */
export function fieldKind(table: EventTable, name: string): TableColumn['kind'] | undefined {
  switch (name) {
    case 'eventType':
    case 'component':
    case 'body':
      return 'string';
    case 'timestamp':
      return 'time';
    default:
      return columnOf(table, name)?.kind;
  }
}

/**
 * The values of a field of a table by row (a column's array, or the time/body arrays), or a constant
 * for `eventType`/`component`, or undefined when the table has no such field (every row lacks it).
 */
export function fieldValues(
  table: EventTable,
  name: string
): { values: readonly unknown[] } | { constant: string } | undefined {
  switch (name) {
    case 'eventType':
      return { constant: table.eventType };
    case 'component':
      return { constant: table.component };
    case 'timestamp':
      return { values: table.time };
    case 'body':
      return { values: table.body };
    default: {
      const column = columnOf(table, name);
      return column ? { values: column.values } : undefined;
    }
  }
}
