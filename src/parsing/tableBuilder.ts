/**
 * Step 5: entries → one immutable typed table per eventType (table.ts). Grafana frames are shaped from
 * the tables by src/output (the logs frames of parseLogs by src/output/logs.ts).
 */
import type { Entry } from './classify';
import { converterFor, inferKind, SEEN_BOOLEAN, SEEN_COMPOSITE, SEEN_NUMBER, SEEN_STRING } from './columns';
import { deriveFields } from './derive';
import { nestedDeeperThan, stringifyDeep } from './deep';
import { componentOfEventType, getComponent, getEventTypeSchema } from './schema/registry';
import type { ComponentId, EventTypeSchema, ValueKind } from './schema/types';
import type { EventTable, TableColumn } from './table';

/**
 * The SEEN_* bits as module constants: put() runs for every value, and an imported binding can cost a
 * getter call per use where modules are compiled to CommonJS (the bench, the tests).
 */
const STRING_BIT = SEEN_STRING;
const NUMBER_BIT = SEEN_NUMBER;
const BOOLEAN_BIT = SEEN_BOOLEAN;
const COMPOSITE_BIT = SEEN_COMPOSITE;

/** Most distinct attributes (columns) one eventType's frame gets; further ones stay in the body only. */
export const MAX_COLUMNS = 500;

/** Nested objects are flattened into dotted columns down to this depth. */
export const MAX_FLATTEN_DEPTH = 8;

/**
 * Values nested deeper than this are kept as their JSON text: JSON.stringify, structuredClone (the
 * worker's postMessage) and Grafana's own code recurse, and a Web Worker's stack is small.
 */
export const MAX_VALUE_DEPTH = 64;

/**
 * How attributes are named when they would clash (no value is dropped or hidden):
 * - an entry's own `body`, `severity`, `id` or `labels` (the logs contract's fields) becomes
 *   `<name>_extracted`, as Grafana's Loki names a parsed label that clashes with a stream label;
 * - when two values of one entry would get the same column (a key `"a.b"` and a nested `{"a":{"b":…}}`,
 *   or an entry's `body_extracted` beside its `body`), the one met later in the entry gets `<name>_2`
 *   (then `_3`, …).
 */
export const RENAMED_SUFFIX = '_extracted';

/** Names of the logs-contract fields; AWS attributes with these names would clash with them. */
export const LOG_FIELDS = {
  time: 'timestamp',
  body: 'body',
  severity: 'severity',
  id: 'id',
  labels: 'labels',
} as const;

/** Attribute names taken by the logs contract (`timestamp` is the entry's own time: it is the time field). */
const RESERVED: ReadonlySet<string> = new Set([LOG_FIELDS.body, LOG_FIELDS.severity, LOG_FIELDS.id, LOG_FIELDS.labels]);

/** The column of a top-level attribute of an entry (see RENAMED_SUFFIX). */
function attributeName(key: string): string {
  return RESERVED.has(key) ? `${key}${RENAMED_SUFFIX}` : key;
}

/** One attribute's values in input order, padded with nulls where an entry lacks it. */
interface Column {
  /** The column's name (the key it is found under in its group). */
  name: string;
  /**
   * The values by row, null where an entry lacks the attribute. Once the group is presized (see
   * TableBuilder.presize) the array is longer than the rows so far and filled with null.
   */
  values: unknown[];
  /** The first row that may still be written (rows are written once each, in order). */
  next: number;
  /** The union of the kinds of its values (SEEN_* bits). */
  seen: number;
  /**
   * Canonical copies of the column's strings while they repeat (status, accountId, clientId, topics):
   * the parser's fresh copies then die young instead of being kept, which saves memory and garbage
   * collection. Dropped (null) for columns whose values rarely repeat (traceId).
   */
  intern: Map<string, string> | null;
  /** The last string interned. */
  last: string;
  /** Strings looked up in `intern`, and how many were found. */
  lookups: number;
  hits: number;
}

/** Strings of a column are interned while at least this share of lookups finds one (checked every 1024). */
const INTERN_MIN_HIT_RATE = 0.5;
const INTERN_MAX_LENGTH = 256;
/**
 * V8's JSON.parse keeps one copy of each string value of at most 10 characters (it internalizes them):
 * interning those again only costs a Map lookup.
 */
const SHARED_MAX_LENGTH = 10;

interface Group {
  eventType: string;
  schema: EventTypeSchema | undefined;
  component: ComponentId;
  /** Rows so far. */
  length: number;
  /** Rows the arrays are sized for (0 while they grow as rows arrive). */
  capacity: number;
  /** Attributes not given a column because the frame reached MAX_COLUMNS. */
  droppedKeys: Set<string>;
  /** Columns named `_2`, `_3`… because another value of the same entry had the name. */
  renamed: Set<string>;
  times: number[];
  bodies: string[];
  ids: number[];
  /** Where each body is in the input's text (-1 where it is not a slice of it); kept when asked for. */
  bodyStarts: number[];
  /** Every key seen (insertion order = first seen) and its column. */
  columns: Map<string, Column>;
  /**
   * The columns of the top-level keys of the last entry, by position: entries of one eventType mostly
   * have the same keys in the same order, so the column is usually found without a Map lookup.
   */
  shapeKeys: string[];
  shapeColumns: Column[];
}

/**
 * Builds the tables column by column as entries arrive: no per-row objects are kept, and values of the
 * parsed JSON are moved straight into their column.
 */
export class TableBuilder {
  private groups = new Map<string, Group>();
  /** Entries added. */
  private added = 0;

  /** Where each table's bodies are in the input's text, by row (when `keepBodyStarts`). */
  readonly bodyStarts = new Map<EventTable, readonly number[]>();

  /**
   * `expectedEntries`: asked once, after the first PRESIZE_AFTER entries, how many entries the input is
   * expected to hold in all (undefined when it cannot tell: the arrays then grow as rows arrive).
   * `keepBodyStarts`: keep where each body is in the input's text (see bodyStarts).
   */
  constructor(
    private readonly expectedEntries?: () => number | undefined,
    private readonly keepBodyStarts = false
  ) {}
  /** Values kept as JSON text because they were nested too deep. */
  private deepValues = 0;
  /** Columns with whole numbers beyond 2^53 (written as JSON numbers, so their last digits may be wrong). */
  private unsafeIntegers = new Set<string>();

  get size(): number {
    return this.groups.size;
  }

  /** Adds an entry; `body` is the entry as text for the logs view. */
  add(entry: Entry, eventType: string, time: number, body: string, recordIndex: number, bodyStart = -1): void {
    let group = this.groups.get(eventType);
    if (!group) {
      group = {
        eventType,
        schema: getEventTypeSchema(eventType),
        component: componentOfEventType(eventType),
        length: 0,
        capacity: 0,
        droppedKeys: new Set(),
        renamed: new Set(),
        times: [],
        bodies: [],
        ids: [],
        bodyStarts: [],
        columns: new Map(),
        shapeKeys: [],
        shapeColumns: [],
      };
      this.groups.set(eventType, group);
    }
    const row = group.length;
    const { shapeKeys, shapeColumns } = group;
    let i = 0;
    for (const key in entry) {
      const value = entry[key];
      if (key === LOG_FIELDS.time) {
        // The entry's timestamp is the frame's time field (parsed already): its text is not kept.
        i++;
        continue;
      }
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        this.addObject(group, row, value as Record<string, unknown>, `${attributeName(key)}.`, 1);
      } else {
        let column = shapeKeys[i] === key ? shapeColumns[i] : undefined;
        if (column === undefined) {
          column = this.column(group, attributeName(key));
          if (column) {
            shapeKeys[i] = key;
            shapeColumns[i] = column;
          }
        }
        if (column && !this.put(column, row, value)) {
          this.setAgain(group, row, column.name, value);
        }
      }
      i++;
    }
    const topic = entry.topicName;
    if (
      (typeof topic === 'string' && topic.startsWith('$aws/things/')) ||
      eventType === 'ReportFinalJobExecutionCount'
    ) {
      deriveFields(entry, eventType, (key, value) => this.set(group!, row, key, value, true));
    }
    if (row < group.capacity) {
      group.times[row] = time;
      group.bodies[row] = body;
      group.ids[row] = recordIndex;
      if (this.keepBodyStarts) {
        group.bodyStarts[row] = bodyStart;
      }
    } else {
      group.times.push(time);
      group.bodies.push(body);
      group.ids.push(recordIndex);
      if (this.keepBodyStarts) {
        group.bodyStarts.push(bodyStart);
      }
    }
    group.length++;
    if (++this.added === PRESIZE_AFTER && this.expectedEntries) {
      const expected = this.expectedEntries();
      if (expected !== undefined) {
        this.presize(expected);
      }
    }
  }

  /**
   * Sizes each group's arrays for the rows it is expected to get, from its share of the entries so far
   * and the entries expected in all: rows are then written by index, and the arrays are not copied
   * again and again as they grow (the largest cost of building columns, and of memory). An estimate
   * that is too low only means growing from there; the arrays are cut to the rows at the end.
   */
  private presize(expected: number): void {
    for (const group of this.groups.values()) {
      const capacity = Math.ceil((group.length / this.added) * expected * PRESIZE_MARGIN);
      if (capacity < group.length * PRESIZE_MIN_GROWTH || capacity < PRESIZE_MIN_ROWS) {
        continue;
      }
      group.capacity = capacity;
      group.times = sized(group.times, capacity, 0.5);
      group.bodies = sized(group.bodies, capacity, '');
      group.ids = sized(group.ids, capacity, 0);
      if (this.keepBodyStarts) {
        group.bodyStarts = sized(group.bodyStarts, capacity, -1);
      }
      for (const column of group.columns.values()) {
        column.values = sized(column.values, capacity, null);
      }
    }
  }

  /** Every leaf of `source` into its column, nested objects as dotted keys (`resources.RepublishTopic`). */
  private addObject(group: Group, row: number, source: Record<string, unknown>, prefix: string, depth = 0): void {
    for (const key in source) {
      const value = source[key];
      // Objects nested deeper than the limit stay whole (a field of type other) instead of more columns.
      if (value !== null && typeof value === 'object' && !Array.isArray(value) && depth < MAX_FLATTEN_DEPTH) {
        this.addObject(group, row, value as Record<string, unknown>, `${prefix}${key}.`, depth + 1);
      } else {
        this.set(group, row, prefix === '' ? key : `${prefix}${key}`, value, false);
      }
    }
  }

  private column(group: Group, key: string): Column | undefined {
    let column = group.columns.get(key);
    if (!column) {
      if (group.columns.size >= MAX_COLUMNS) {
        group.droppedKeys.add(key);
        return undefined;
      }
      column = {
        name: key,
        values: group.capacity > 0 ? new Array(group.capacity).fill(null) : [],
        next: 0,
        last: '',
        seen: 0,
        intern: new Map(),
        lookups: 0,
        hits: 0,
      };
      group.columns.set(key, column);
    }
    return column;
  }

  /** What the frames could not hold as it was: columns over MAX_COLUMNS, renamed clashes, deep values, big ids. */
  notes(): string[] {
    const notes = [...this.groups.values()]
      .filter((g) => g.droppedKeys.size > 0)
      .map(
        (g) =>
          `${g.eventType} entries have more than ${MAX_COLUMNS} distinct attributes: ${g.droppedKeys.size} more (such as "${[...g.droppedKeys][0]}") have no column and stay in the body only.`
      );
    for (const g of this.groups.values()) {
      if (g.renamed.size > 0) {
        notes.push(
          `Some ${g.eventType} entries hold two values under one name (a dotted key and a nested object, say): the later one is in ${[...g.renamed].map((n) => `"${n}"`).join(', ')}.`
        );
      }
    }
    if (this.deepValues > 0) {
      notes.push(
        `${this.deepValues} value${this.deepValues === 1 ? ' is' : 's are'} nested more than ${MAX_VALUE_DEPTH} levels deep: kept as JSON text.`
      );
    }
    if (this.unsafeIntegers.size > 0) {
      notes.push(
        `Whole numbers beyond 2^53 written as JSON numbers (in ${[...this.unsafeIntegers].map((n) => `"${n}"`).join(', ')}) cannot be held exactly: their last digits may differ from the input. AWS writes ids as strings.`
      );
    }
    return notes;
  }

  /** Sets a value of the row; a derived value (`keepExisting`) never replaces the entry's own. */
  private set(group: Group, row: number, key: string, value: unknown, keepExisting: boolean): void {
    const column = this.column(group, key);
    // A derived value that meets the entry's own is dropped: the entry's value stands.
    if (column && !this.put(column, row, value) && !keepExisting) {
      this.setAgain(group, row, key, value);
    }
  }

  /** A second value of the row for the column `name`: into `name_2`, `name_3`… (see RENAMED_SUFFIX). */
  private setAgain(group: Group, row: number, name: string, value: unknown): void {
    for (let n = 2; ; n++) {
      const column = this.column(group, `${name}_${n}`);
      if (!column) {
        return;
      }
      if (this.put(column, row, value)) {
        group.renamed.add(column.name);
        return;
      }
    }
  }

  /** Puts the row's value into the column; false (and nothing changed) when the row has a value there already. */
  private put(column: Column, row: number, value: unknown): boolean {
    if (row < column.next) {
      return false;
    }
    column.next = row + 1;
    switch (typeof value) {
      case 'string':
        column.seen |= STRING_BIT;
        if (value.length > SHARED_MAX_LENGTH && value.length <= INTERN_MAX_LENGTH && column.intern !== null) {
          value = this.intern(column, column.intern, value);
        }
        break;
      case 'number':
        column.seen |= NUMBER_BIT;
        if ((value > Number.MAX_SAFE_INTEGER || value < -Number.MAX_SAFE_INTEGER) && Number.isInteger(value)) {
          this.unsafeIntegers.add(column.name);
        }
        break;
      case 'boolean':
        column.seen |= BOOLEAN_BIT;
        break;
      case 'object':
        if (value !== null) {
          value = this.bounded(value);
          // Too deep, it is kept as its JSON text.
          column.seen |= typeof value === 'string' ? STRING_BIT : COMPOSITE_BIT;
        }
        break;
    }
    const values = column.values;
    if (row < values.length) {
      values[row] = value;
    } else {
      while (values.length < row) {
        values.push(null);
      }
      values.push(value);
    }
    return true;
  }

  /** The column's canonical copy of a string (see Column.intern). */
  private intern(column: Column, intern: Map<string, string>, value: string): string {
    if (value === column.last) {
      // Runs of one value (an account id) need no lookup.
      return column.last;
    }
    const known = intern.get(value);
    if (known === undefined) {
      intern.set(value, value);
    } else {
      value = known;
      column.hits++;
    }
    if ((++column.lookups & 1023) === 0 && column.hits < column.lookups * INTERN_MIN_HIT_RATE) {
      column.intern = null;
    }
    column.last = value;
    return value;
  }

  /** A composite value as it is, or as its JSON text when nested deeper than MAX_VALUE_DEPTH. */
  private bounded(value: object): unknown {
    if (!nestedDeeperThan(value, MAX_VALUE_DEPTH)) {
      return value;
    }
    this.deepValues++;
    return stringifyDeep(value);
  }

  /** The tables, sorted by eventType. The builder must not be used afterwards (the tables own its arrays). */
  build(): EventTable[] {
    const tables: EventTable[] = [];
    for (const group of this.groups.values()) {
      const { table, bodyStarts } = buildTable(group);
      tables.push(table);
      if (this.keepBodyStarts) {
        this.bodyStarts.set(table, bodyStarts);
      }
    }
    tables.sort((a, b) => (a.eventType < b.eventType ? -1 : a.eventType > b.eventType ? 1 : 0));
    return tables;
  }
}

/** Presizing happens once, after this many entries (their mix of eventTypes and lengths is the estimate). */
const PRESIZE_AFTER = 4096;
/** Arrays are sized this much above the estimate (a little too long costs less than growing once more). */
const PRESIZE_MARGIN = 1.05;
/** Groups expected to stay smaller than this, or to grow by less than this share, grow as rows arrive. */
const PRESIZE_MIN_ROWS = 1024;
const PRESIZE_MIN_GROWTH = 1.25;

/** A copy of `values` `capacity` long, the rows after the first `values.length` set to `fill`. */
function sized<T>(values: T[], capacity: number, fill: T): T[] {
  const out = new Array<T>(capacity).fill(fill);
  for (let i = 0; i < values.length; i++) {
    out[i] = values[i];
  }
  return out;
}

/** The first `length` values of an array sized ahead (the array itself, cut). */
function cut<T>(values: T[], length: number): T[] {
  if (values.length > length) {
    values.length = length;
  }
  return values;
}

/** Row order by time (ties keep input order), or undefined when the rows are in order already. */
function timeOrder(times: number[]): number[] | undefined {
  let sorted = true;
  for (let i = 1; i < times.length && sorted; i++) {
    sorted = times[i - 1] <= times[i];
  }
  if (sorted) {
    return undefined;
  }
  const order = times.map((_, i) => i);
  order.sort((a, b) => times[a] - times[b] || a - b);
  return order;
}

interface OutputColumn {
  name: string;
  kind: ValueKind;
  description: string;
  documented: boolean;
  unit?: string;
  column: Column | undefined;
}

/** Documented fields in documented order (always present), then the others in first-seen order. */
function columnsOf(group: Group): OutputColumn[] {
  const out: OutputColumn[] = [];
  const placed = new Set<string>([LOG_FIELDS.time]);
  const undocumented = `Not documented by AWS for ${group.eventType}: kept as found, type inferred from all values.`;
  for (const field of group.schema?.fields ?? []) {
    if (placed.has(field.name)) {
      continue;
    }
    if (field.kind === 'object') {
      // Nested maps (resources) are flattened: their dotted keys stand where the map is documented.
      const prefix = `${field.name}.`;
      for (const [key, column] of group.columns) {
        if ((key === field.name || key.startsWith(prefix)) && !placed.has(key)) {
          placed.add(key);
          out.push({
            name: key,
            kind: inferKind(column.seen),
            description: `${field.description} (${key})`,
            documented: true,
            column,
          });
        }
      }
      continue;
    }
    placed.add(field.name);
    out.push({
      name: field.name,
      kind: field.kind,
      description: field.description,
      documented: true,
      ...(field.unit ? { unit: field.unit } : {}),
      column: group.columns.get(field.name),
    });
  }
  for (const [key, column] of group.columns) {
    if (!placed.has(key)) {
      placed.add(key);
      out.push({
        name: key,
        kind: inferKind(column.seen),
        description: describeRenamed(key) ?? undocumented,
        documented: false,
        column,
      });
    }
  }
  return out;
}

function describeRenamed(name: string): string | undefined {
  const base = name.endsWith(RENAMED_SUFFIX) ? name.slice(0, -RENAMED_SUFFIX.length) : undefined;
  if (base !== undefined && RESERVED.has(base)) {
    return `The entry's own "${base}" attribute, renamed: "${base}" is a field of Grafana's logs view.`;
  }
  return undefined;
}

/** A column's values, all `length` of them, converted to its kind; the array itself when nothing changes. */
function valuesOf(column: Column | undefined, kind: ValueKind, length: number): unknown[] {
  if (!column) {
    return new Array(length).fill(null);
  }
  const { values, seen } = column;
  while (values.length < length) {
    values.push(null);
  }
  const same =
    kind === 'other' ||
    (kind === 'string' && (seen & ~SEEN_STRING) === 0) ||
    (kind === 'number' && (seen & ~SEEN_NUMBER) === 0) ||
    (kind === 'boolean' && (seen & ~SEEN_BOOLEAN) === 0);
  // JSON numbers are finite, so a column of numbers (and nulls) is its own number column.
  if (same) {
    return values;
  }
  const convert = converterFor(kind);
  return values.map(convert);
}

/** A frozen table of the group: rows in time order, documented columns first. */
function buildTable(group: Group): { table: EventTable; bodyStarts: number[] } {
  const length = group.length;
  group.times = cut(group.times, length);
  group.bodies = cut(group.bodies, length);
  group.ids = cut(group.ids, length);
  group.bodyStarts = cut(group.bodyStarts, length);
  for (const column of group.columns.values()) {
    column.values = cut(column.values, length);
  }
  const order = timeOrder(group.times);
  // Columns whose values are one array (see the sharing rule in table.ts) stay one array when reordered.
  const reordered = new Map<unknown[], unknown[]>();
  const reorder = <T>(source: T[]): T[] => {
    if (!order) {
      return source;
    }
    let out = reordered.get(source);
    if (out === undefined) {
      out = order.map((i) => source[i]);
      reordered.set(source, out);
    }
    return out as T[];
  };
  const columns: TableColumn[] = columnsOf(group).map((out) =>
    Object.freeze({
      name: out.name,
      kind: out.kind,
      description: out.description,
      documented: out.documented,
      ...(out.unit ? { unit: out.unit } : {}),
      ...(out.column === undefined || out.column.seen === 0 ? { empty: true as const } : {}),
      values: reorder(valuesOf(out.column, out.kind, length)),
    })
  );
  const table: EventTable = Object.freeze({
    eventType: group.eventType,
    component: group.component,
    componentLabel: getComponent(group.component).label,
    documented: group.schema !== undefined,
    length,
    time: reorder(group.times),
    body: reorder(group.bodies),
    record: reorder(group.ids),
    columns: Object.freeze(columns),
  });
  return { table, bodyStarts: group.bodyStarts.length === length ? reorder(group.bodyStarts) : [] };
}
