/**
 * The row filter engine: which rows of the parsed event tables a query keeps. The output modes receive
 * its result as `Selection`s (src/output/types.ts). It never throws for bad data; a filter that cannot
 * run (an invalid regular expression, a `>` value that is neither a number nor a time, an invalid MQTT
 * topic filter) throws a FilterError whose message names the field and the value.
 *
 * SEMANTICS (the README's "Filters" section is this list):
 * - Every part of a filter must hold (AND). Each list of values means "any of"; an empty list keeps all.
 * - `components` and `eventTypes` select whole tables (no row scan). Tables left with no rows are dropped;
 *   the selections keep the input tables' order.
 * - `statuses` / `logLevels`: the row's `status` / `logLevel` is one of the values, compared without
 *   regard to case (AWS writes `Success`, `ERROR`). A table without the column has no row that matches.
 * - Field filters name any column (`clientId`, `resources.RepublishTopic`) or one of the fields every table
 *   has: `eventType`, `component` (its id, `message-broker`), `timestamp` (the row's time), `body` (the
 *   entry as written). A field a table does not have is lacking in each of its rows.
 *   - `=`: equal to any of the values. Number columns compare numbers when the value reads as a number
 *     (`latency = 5.0` matches 5); boolean columns read `true`/`false` in any case; time columns and
 *     `timestamp` compare times when the value reads as a time (see below). Otherwise, and always for
 *     string columns, the row's text must equal the value exactly (`jobId = 2` does not match "002").
 *     Composite values (arrays, objects) compare as their JSON text. A row lacking the field fails.
 *   - `!=`: equal to none of the values; a row lacking the field passes (as in Loki and Prometheus).
 *   - `=~` / `!~`: a JavaScript regular expression matched anywhere in the value's text (anchor it with
 *     `^…$` for a whole match); a leading `(?i)` makes it case-insensitive (as Loki and Prometheus
 *     write it). Time values read as `YYYY-MM-DD HH:mm:ss.SSS` (UTC) here. `=~` fails rows lacking the
 *     field, `!~` passes them.
 *   - `>`, `<`, `>=`, `<=`: time columns and `timestamp` compare times; other columns compare numbers
 *     (numeric strings such as `"42"` count) when the value is a number, and times (a string column of
 *     dates, a number column of epoch ms) when the value is a time but not a number. A time value is
 *     epoch milliseconds, ISO 8601 (`2024-05-01T10:00:00Z`, `2024-05-01`; no zone = UTC) or AWS's
 *     `YYYY-MM-DD HH:mm:ss.SSS` (UTC). Rows lacking the field, or whose value is not a number (a time),
 *     fail. With several values, any of them may hold.
 *   - `exists`: the row has a value that is not null and not the empty string; `missing`: the opposite.
 *     Both ignore the values.
 *   - A filter whose operator needs a value and that has none (an editor row still being filled in) is
 *     ignored; so are blank values of `>`, `<`, `>=`, `<=`.
 * - `topicFilters`: MQTT topic filters (`+` one level, `#` the rest, per MQTT 3.1.1/5; see mqttTopic.ts)
 *   matched against each topic field of the row: `topicName` and every column whose last dotted segment
 *   ends in `topic` or `Topic` (`resources.RepublishTopic`). A row is kept when any of its topic fields
 *   matches any filter; a table with no topic field has no row that matches. Empty filters are ignored.
 * - `search`: the entry as written (`body`) contains the text (any of the texts, when a multi-value
 *   variable gives several), without regard to case (JavaScript's
 *   case-insensitive regular expression matching).
 * - `timeRange`: the row's time is within [from, to], both inclusive (epoch ms). `outsideTimeRange`
 *   counts the rows of the selected tables that pass every other filter but fall outside the range:
 *   what the user would see in addition by turning the time range off.
 * - Result rows are ascending; `rows` is undefined when every row of a table is kept.
 *
 * SPEED: this runs on every re-run of a dashboard on up to a million rows.
 * - A filter is compiled once per run into one test per field filter; per table, each test is bound to
 *   the column's array (no per-row lookups or closures), and tests run cheapest first, each scanning only
 *   the rows the previous ones kept.
 * - Low-cardinality columns (status, logLevel, clientId, topics…) get a dictionary, built once per column
 *   array and remembered: the test runs once per distinct value, then the scan reads a code per row.
 * - The rows a filter keeps (without its time range) are remembered per table and filter (16 filters
 *   per table); the time range is then a binary search on those rows (rows are in time order), and the
 *   result a view of them.
 */
import type { Selection } from '../output/types';
import { toBoolean, toNumber, toText } from '../parsing/columns';
import { type EventTable, fieldKind, fieldValues, type TableColumn } from '../parsing/table';
import { parseIotTimestamp } from '../parsing/timestamp';
import { FILTER_OPERATORS, type FilterOperator } from '../types';
import { isTopicField, matchesTopic, parseTopicFilter, type TopicFilter } from './mqttTopic';

/** A query's filters with template variables already interpolated: each value list means "any of". */
export interface RowFilter {
  /** Components (ids) to keep; empty keeps all. */
  components: readonly string[];
  /** eventTypes to keep; empty keeps all. */
  eventTypes: readonly string[];
  /** Values of the `status` column to keep; empty keeps all. */
  statuses: readonly string[];
  /** Values of the `logLevel` column to keep; empty keeps all. */
  logLevels: readonly string[];
  /** Every one must hold (AND). */
  fieldFilters: readonly ResolvedFieldFilter[];
  /** MQTT topic filters; any of them; empty = no topic filter. */
  topicFilters: readonly string[];
  /** Free text, '' = none. */
  search: string | readonly string[];
  /** Inclusive, epoch ms; absent = no time filter. */
  timeRange?: { from: number; to: number };
}

/** The filter that keeps every row. */
export const NO_FILTER: RowFilter = Object.freeze({
  components: [],
  eventTypes: [],
  statuses: [],
  logLevels: [],
  fieldFilters: [],
  topicFilters: [],
  search: '',
});

/** A field filter whose value is interpolated: a multi-value variable gives several values. */
export interface ResolvedFieldFilter {
  field: string;
  op: FilterOperator;
  values: readonly string[];
}

/** A filter that cannot run; the message says which field and value, and why. */
export class FilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterError';
  }
}

type Kind = TableColumn['kind'];
type Test = (value: unknown) => boolean;

/** What a filter does on one table: keep every row (true), none (false), or test rows. */
type Resolved = boolean | Step;

/** A row passes a step when any of its parts passes (one part, except for topic filters). */
interface Step {
  /** Lower runs first. */
  cost: number;
  parts: Part[];
}

interface Part {
  values: readonly unknown[];
  test: Test;
  /** The values may be dictionary-encoded (not for the time and body arrays, unique per row). */
  dictionary: boolean;
}

/** A part of a filter, compiled once per run and bound to each table's columns. */
interface Check {
  cost: number;
  resolve(table: EventTable): Resolved;
}

const COST_INDEXED = 0;
const COST_VALUE = 1;
const COST_TEXT = 2;
const COST_TOPIC = 3;
const COST_SEARCH = 4;

const MEMO_PER_TABLE = 16;
const EMPTY = new Int32Array(0);

/**
 * Rows of each table the filter keeps, in the tables' order; tables with no rows kept are left out.
 * Throws FilterError when the filter cannot run (whatever the tables).
 */
export function selectRows(
  tables: readonly EventTable[],
  filter: RowFilter
): { selections: Selection[]; outsideTimeRange: number } {
  const compiled = compile(filter);
  const selections: Selection[] = [];
  let outsideTimeRange = 0;
  for (const table of tables) {
    if (table.length === 0 || !compiled.keepsTable(table)) {
      continue;
    }
    const memo = memoFor(table, compiled.rowsKey);
    if (memo.rows === undefined) {
      memo.rows = rowsOf(table, compiled.checks);
    }
    const rows = memo.rows;
    if (rows === EMPTY) {
      continue;
    }
    const range = filter.timeRange;
    if (range === undefined) {
      selections.push(rows === null ? { table } : { table, rows });
      continue;
    }
    let view = memo.view;
    if (view === undefined || !(view.from === range.from) || !(view.to === range.to)) {
      view = { from: range.from, to: range.to, ...inTimeRange(table, rows, range.from, range.to) };
      memo.view = view;
    }
    outsideTimeRange += view.outside;
    if (view.rows !== EMPTY) {
      selections.push(view.rows === null ? { table } : { table, rows: view.rows });
    }
  }
  return { selections, outsideTimeRange };
}

/** A stable string identifying the filter (its meaning, not its spelling), for memoising. */
export function filterKey(filter: RowFilter): string {
  return JSON.stringify([
    sortedUnique(filter.components),
    sortedUnique(filter.eventTypes),
    rowsKeyOf(filter),
    filter.timeRange ? [filter.timeRange.from, filter.timeRange.to] : null,
  ]);
}

// ---------------------------------------------------------------------------------------------------
// Keys

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/** What decides a table's rows before the time range (the memo key; tables are chosen separately). */
function rowsKeyOf(filter: RowFilter): string {
  const fieldFilters = filter.fieldFilters.map((f) => JSON.stringify([f.field, f.op, usedValues(f)]));
  return JSON.stringify([
    sortedUnique(filter.statuses.map((s) => s.toLowerCase())),
    sortedUnique(filter.logLevels.map((s) => s.toLowerCase())),
    sortedUnique(fieldFilters),
    sortedUnique(filter.topicFilters.filter((t) => t !== '')),
    searchTerms(filter),
  ]);
}

/** The free-text terms of a filter (several: any of them, as a multi-value variable gives), blanks dropped. */
function searchTerms(filter: RowFilter): string[] {
  const terms = typeof filter.search === 'string' ? [filter.search] : filter.search;
  return sortedUnique(terms.filter((t) => t !== ''));
}

function isComparison(op: FilterOperator): boolean {
  return op === '>' || op === '<' || op === '>=' || op === '<=';
}

/**
 * The values a field filter uses: exists/missing use none; the others skip empty values (an editor row
 * still being filled in), comparisons also blank ones. A filter left with no value is ignored.
 */
function usedValues(f: ResolvedFieldFilter): string[] {
  if (f.op === 'exists' || f.op === 'missing') {
    return [];
  }
  return sortedUnique(f.values.filter((v) => (isComparison(f.op) ? v.trim() !== '' : v !== '')));
}

// ---------------------------------------------------------------------------------------------------
// Compiling a filter

interface Compiled {
  keepsTable(table: EventTable): boolean;
  rowsKey: string;
  checks: Check[];
}

function compile(filter: RowFilter): Compiled {
  const components = filter.components.length > 0 ? new Set(filter.components) : undefined;
  const eventTypes = filter.eventTypes.length > 0 ? new Set(filter.eventTypes) : undefined;
  const checks: Check[] = [];
  if (filter.statuses.length > 0) {
    checks.push(oneOfCheck('status', filter.statuses));
  }
  if (filter.logLevels.length > 0) {
    checks.push(oneOfCheck('logLevel', filter.logLevels));
  }
  for (const f of filter.fieldFilters) {
    const check = fieldCheck(f);
    if (check) {
      checks.push(check);
    }
  }
  const topics = topicCheck(filter.topicFilters);
  if (topics) {
    checks.push(topics);
  }
  const terms = searchTerms(filter);
  if (terms.length > 0) {
    checks.push(searchCheck(terms));
  }
  return {
    keepsTable: (table) =>
      (components === undefined || components.has(table.component)) &&
      (eventTypes === undefined || eventTypes.has(table.eventType)),
    rowsKey: rowsKeyOf(filter),
    checks,
  };
}

/** A check of one field: the test is made per table from the field's kind there. */
function checkOf(field: string, cost: number, testFor: (kind: Kind) => Test): Check {
  return {
    cost,
    resolve(table) {
      const source = fieldValues(table, field);
      const test = testFor(fieldKind(table, field) ?? 'string');
      if (source === undefined) {
        return test(null);
      }
      if ('constant' in source) {
        return test(source.constant);
      }
      const values = source.values;
      return { cost, parts: [{ values, test, dictionary: values !== table.time && values !== table.body }] };
    },
  };
}

function isPresent(v: unknown): boolean {
  return v !== null && v !== undefined;
}

/** statuses / logLevels: the value is one of the list, without regard to case. */
function oneOfCheck(field: string, list: readonly string[]): Check {
  const wanted = new Set(list.map((s) => s.toLowerCase()));
  return checkOf(field, COST_INDEXED, () => (v) => isPresent(v) && wanted.has(textOf(v, 'string').toLowerCase()));
}

function fieldCheck(f: ResolvedFieldFilter): Check | undefined {
  const { field, op } = f;
  const label = `Field filter on ${field || '(no field)'}`;
  if (!(FILTER_OPERATORS as readonly string[]).includes(op)) {
    throw new FilterError(`${label}: "${op}" is not a filter operator (${FILTER_OPERATORS.join(' ')})`);
  }
  if (op === 'exists' || op === 'missing') {
    const exists: Test = (v) => isPresent(v) && v !== '';
    return checkOf(field, COST_VALUE, () => (op === 'exists' ? exists : (v) => !exists(v)));
  }
  const values = usedValues(f);
  if (values.length === 0) {
    return undefined;
  }
  switch (op) {
    case '=':
    case '!=': {
      const cost = field === 'timestamp' || field === 'body' ? COST_TEXT : COST_VALUE;
      return checkOf(field, cost, (kind) => {
        const equal = equalityTest(kind, values);
        return op === '=' ? equal : (v) => !equal(v);
      });
    }
    case '=~':
    case '!~': {
      const regexes = values.map((v) => regexOf(label, v));
      return checkOf(field, COST_TEXT, (kind) => {
        const match: Test = (v) => {
          if (!isPresent(v)) {
            return false;
          }
          const text = textOf(v, kind);
          for (const re of regexes) {
            if (re.test(text)) {
              return true;
            }
          }
          return false;
        };
        return op === '=~' ? match : (v) => !match(v);
      });
    }
    default:
      return comparisonCheck(label, field, op, values);
  }
}

/** A value's text: strings as written, other scalars as JSON, composites as JSON, times as AWS writes them. */
function textOf(v: unknown, kind: Kind): string {
  if (kind === 'time' && typeof v === 'number') {
    return timeText(v);
  }
  return toText(v) ?? '';
}

/** `YYYY-MM-DD HH:mm:ss.SSS` in UTC; the number itself when it is no date. */
export function timeText(ms: number): string {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) {
    return String(ms);
  }
  return date.toISOString().replace('T', ' ').replace(/Z$/, '');
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Epoch ms of a time written as epoch ms, ISO 8601 or AWS's UTC format, or undefined. */
export function parseTimeValue(text: string): number | undefined {
  const t = text.trim();
  const n = toNumber(t);
  if (n !== null) {
    return n;
  }
  if (DATE_ONLY.test(t)) {
    return parseIotTimestamp(`${t} 00:00:00.000`);
  }
  return parseIotTimestamp(t);
}

/** A row value as a time (epoch ms numbers, or strings that read as times). */
function timeOf(v: unknown): number | undefined {
  if (typeof v === 'number') {
    return Number.isFinite(v) ? v : undefined;
  }
  return typeof v === 'string' ? parseTimeValue(v) : undefined;
}

function equalityTest(kind: Kind, values: readonly string[]): Test {
  const texts = new Set(values);
  switch (kind) {
    case 'number': {
      const numbers = new Set(values.map(toNumber).filter((n): n is number => n !== null));
      return (v) => {
        if (!isPresent(v)) {
          return false;
        }
        const n = toNumber(v);
        return (n !== null && numbers.has(n)) || texts.has(textOf(v, kind));
      };
    }
    case 'boolean': {
      const booleans = new Set(values.map(toBoolean).filter((b): b is boolean => b !== null));
      return (v) => {
        if (!isPresent(v)) {
          return false;
        }
        const b = toBoolean(v);
        return (b !== null && booleans.has(b)) || texts.has(textOf(v, kind));
      };
    }
    case 'time': {
      const times = new Set(values.map(parseTimeValue).filter((t): t is number => t !== undefined));
      return (v) => {
        if (!isPresent(v)) {
          return false;
        }
        const t = timeOf(v);
        return (t !== undefined && times.has(t)) || texts.has(textOf(v, kind));
      };
    }
    default:
      return (v) => isPresent(v) && texts.has(textOf(v, kind));
  }
}

function regexOf(label: string, value: string): RegExp {
  const insensitive = value.startsWith('(?i)');
  try {
    return new RegExp(insensitive ? value.slice(4) : value, insensitive ? 'i' : '');
  } catch (e) {
    const reason = e instanceof Error ? e.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '') : '';
    throw new FilterError(`${label}: "${value}" is not a valid regular expression: ${reason}`);
  }
}

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
};

function comparisonCheck(label: string, field: string, op: FilterOperator, values: readonly string[]): Check {
  const parsed = values.map((value) => {
    const number = toNumber(value);
    const time = parseTimeValue(value);
    if (number === null && time === undefined) {
      throw new FilterError(
        `${label}: "${op}" needs a number or a time (epoch ms, ISO 8601 or YYYY-MM-DD HH:mm:ss.SSS UTC), not "${value}"`
      );
    }
    return { number, time };
  });
  // With several values any may hold: the loosest bound decides.
  const after = op === '>' || op === '>=';
  const cmp = COMPARE[op];
  const loosest = (list: number[]): number | undefined =>
    list.length === 0 ? undefined : after ? Math.min(...list) : Math.max(...list);
  const times = loosest(parsed.flatMap((p) => (p.time === undefined ? [] : [p.time])));
  const numbers = loosest(parsed.flatMap((p) => (p.number === null ? [] : [p.number])));
  const timesOnly = loosest(parsed.flatMap((p) => (p.number === null && p.time !== undefined ? [p.time] : [])));
  return checkOf(field, COST_VALUE, (kind) => {
    if (kind === 'time') {
      const bound = times as number;
      return (v) => {
        const t = timeOf(v);
        return t !== undefined && cmp(t, bound);
      };
    }
    return (v) => {
      if (numbers !== undefined) {
        const n = toNumber(v);
        if (n !== null && cmp(n, numbers)) {
          return true;
        }
      }
      if (timesOnly !== undefined) {
        const t = timeOf(v);
        return t !== undefined && cmp(t, timesOnly);
      }
      return false;
    };
  });
}

function topicCheck(list: readonly string[]): Check | undefined {
  const filters: TopicFilter[] = [];
  for (const text of new Set(list)) {
    if (text === '') {
      continue;
    }
    const parsed = parseTopicFilter(text);
    if (parsed instanceof Error) {
      throw new FilterError(`Topic filter "${text}" is not a valid MQTT topic filter: ${parsed.message}`);
    }
    filters.push(parsed);
  }
  if (filters.length === 0) {
    return undefined;
  }
  const test: Test = (v) => {
    if (!isPresent(v)) {
      return false;
    }
    const topic = typeof v === 'string' ? v : textOf(v, 'string');
    for (const f of filters) {
      if (matchesTopic(f, topic)) {
        return true;
      }
    }
    return false;
  };
  return {
    cost: COST_TOPIC,
    resolve(table) {
      const parts: Part[] = table.columns
        .filter((c) => isTopicField(c.name))
        .map((c) => ({ values: c.values, test, dictionary: true }));
      return parts.length === 0 ? false : { cost: COST_TOPIC, parts };
    },
  };
}

const SPECIAL = /[.*+?^${}()|[\]\\]/g;

function searchCheck(terms: readonly string[]): Check {
  // One case-insensitive regular expression of the escaped terms: V8 scans for a literal with it faster
  // than with indexOf (even for a term without letters) and far faster than lower-casing each body
  // (1M bodies of 400 characters: about 70 ms against 100 ms for indexOf and 350 ms for toLowerCase).
  const re = new RegExp(terms.map((term) => term.replace(SPECIAL, '\\$&')).join('|'), 'i');
  const test: Test = (v) => typeof v === 'string' && re.test(v);
  return {
    cost: COST_SEARCH,
    resolve: (table) => ({ cost: COST_SEARCH, parts: [{ values: table.body, test, dictionary: false }] }),
  };
}

// ---------------------------------------------------------------------------------------------------
// Running a filter on a table

/**
 * Where the steps of a run write the rows they keep. Each step reads the rows the previous one kept and
 * writes the ones it keeps in place (a row is never written ahead of where it is read), so a run of
 * any number of steps allocates one exact-size result, not a table-size array per step: fresh memory
 * (page faults) costs more than the scan itself on a million rows. Grown to the largest table seen.
 */
let scratch = new Int32Array(0);

/** The rows of a table that pass every check: null for all of them, EMPTY for none. */
function rowsOf(table: EventTable, checks: readonly Check[]): Int32Array | null {
  const steps: Step[] = [];
  for (const check of checks) {
    const resolved = check.resolve(table);
    if (resolved === false) {
      return EMPTY;
    }
    if (resolved !== true) {
      steps.push(resolved);
    }
  }
  steps.sort((a, b) => a.cost - b.cost);
  const n = table.length;
  if (steps.length > 0 && scratch.length < n) {
    scratch = new Int32Array(n);
  }
  // The rows kept so far are scratch[0, count), or all n rows while `all`.
  let all = true;
  let count = n;
  for (const step of steps) {
    const kept = scan(all ? null : scratch, count, n, step, scratch);
    if (kept === 0) {
      return EMPTY;
    }
    if (!(all && kept === n)) {
      all = false;
      count = kept;
    }
  }
  return all ? null : scratch.slice(0, count);
}

/** A part ready to scan: a code per row and the codes that pass, or the test of each value. */
interface Prepared {
  values: readonly unknown[];
  test: Test;
  codes?: Uint16Array;
  accept?: Uint8Array;
}

/**
 * Writes to `out` the rows of `rows[0, count)` (null: all n rows) that pass the step and returns how
 * many; `out` may be `rows` itself. When every row passes, nothing is written (rows stay as they are).
 */
function scan(rows: Int32Array | null, count: number, n: number, step: Step, out: Int32Array): number {
  const parts: Prepared[] = [];
  for (const part of step.parts) {
    const prepared = prepare(part, count, n);
    if (prepared === true) {
      return count;
    }
    if (prepared !== false) {
      parts.push(prepared);
    }
  }
  if (parts.length === 0) {
    return 0;
  }
  return parts.length === 1 ? scanOne(rows, count, parts[0], out) : scanAny(rows, count, parts, out);
}

function scanOne(rows: Int32Array | null, count: number, part: Prepared, out: Int32Array): number {
  let k = 0;
  const { codes, accept } = part;
  if (codes !== undefined && accept !== undefined) {
    if (rows === null) {
      for (let i = 0; i < count; i++) {
        if (accept[codes[i]] === 1) {
          out[k++] = i;
        }
      }
    } else {
      for (let j = 0; j < count; j++) {
        const i = rows[j];
        if (accept[codes[i]] === 1) {
          out[k++] = i;
        }
      }
    }
    return k;
  }
  const { values, test } = part;
  if (rows === null) {
    for (let i = 0; i < count; i++) {
      if (test(values[i])) {
        out[k++] = i;
      }
    }
  } else {
    for (let j = 0; j < count; j++) {
      const i = rows[j];
      if (test(values[i])) {
        out[k++] = i;
      }
    }
  }
  return k;
}

function passes(part: Prepared, i: number): boolean {
  return part.codes !== undefined && part.accept !== undefined
    ? part.accept[part.codes[i]] === 1
    : part.test(part.values[i]);
}

function scanAny(rows: Int32Array | null, count: number, parts: Prepared[], out: Int32Array): number {
  let k = 0;
  for (let j = 0; j < count; j++) {
    const i = rows === null ? j : rows[j];
    for (const part of parts) {
      if (passes(part, i)) {
        out[k++] = i;
        break;
      }
    }
  }
  return k;
}

/**
 * A part ready to scan `count` of the table's n rows: true when every row passes, false when none does.
 * A column's dictionary is built when over an eighth of its rows are to be scanned (building costs a
 * pass over the column), and used when it has fewer distinct values than there are rows to scan.
 */
function prepare(part: Part, count: number, n: number): Prepared | boolean {
  let dictionary: Dictionary | null | undefined;
  if (part.dictionary) {
    dictionary = dictionaries.get(part.values);
    if (dictionary === undefined && count > n >>> 3) {
      dictionary = buildDictionary(part.values);
      dictionaries.set(part.values, dictionary);
    }
  }
  if (!dictionary || dictionary.values.length > count) {
    return part; // (testing each distinct value would cost more than testing the rows)
  }
  const accept = new Uint8Array(dictionary.values.length);
  let passing = 0;
  for (let c = 0; c < accept.length; c++) {
    if (part.test(dictionary.values[c])) {
      accept[c] = 1;
      passing++;
    }
  }
  if (passing === accept.length || passing === 0) {
    return passing !== 0;
  }
  return { ...part, codes: dictionary.codes, accept };
}

/** A column's distinct values and each row's index among them. */
interface Dictionary {
  values: unknown[];
  codes: Uint16Array;
}

/** Per column array (shared, never written: table.ts's sharing rule), its dictionary or null if too varied. */
const dictionaries = new WeakMap<readonly unknown[], Dictionary | null>();

function buildDictionary(values: readonly unknown[]): Dictionary | null {
  const n = values.length;
  const limit = Math.min(65535, (n >>> 2) + 64);
  const index = new Map<unknown, number>();
  const distinct: unknown[] = [];
  const codes = new Uint16Array(n);
  let last: unknown = index; // no value is the map itself
  let lastCode = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === last) {
      codes[i] = lastCode;
      continue;
    }
    if (typeof v === 'object' && v !== null) {
      return null; // composites are distinct objects
    }
    let code = index.get(v);
    if (code === undefined) {
      if (distinct.length >= limit) {
        return null;
      }
      code = distinct.length;
      distinct.push(v);
      index.set(v, code);
    }
    codes[i] = code;
    last = v;
    lastCode = code;
  }
  return { values: distinct, codes };
}

// ---------------------------------------------------------------------------------------------------
// Time range

/** Whether a table's times are ascending, as table.ts promises (checked once: never trust data blindly). */
const sortedTimes = new WeakMap<readonly number[], boolean>();

function isSorted(time: readonly number[]): boolean {
  let sorted = sortedTimes.get(time);
  if (sorted === undefined) {
    sorted = true;
    for (let i = 1; i < time.length && sorted; i++) {
      sorted = time[i - 1] <= time[i];
    }
    sortedTimes.set(time, sorted);
  }
  return sorted;
}

/** First index in [lo, hi) whose time (through `rows` when given) is not before `t` (or after, when `after`). */
function bound(time: readonly number[], rows: Int32Array | null, lo: number, hi: number, t: number, after: boolean) {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = time[rows === null ? mid : rows[mid]];
    if (after ? v <= t : v < t) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/** The rows (null: all) within [from, to]: null or `rows` itself when all are, EMPTY when none is. */
function inTimeRange(
  table: EventTable,
  rows: Int32Array | null,
  from: number,
  to: number
): { rows: Int32Array | null; outside: number } {
  const time = table.time;
  const count = rows === null ? table.length : rows.length;
  let kept: Int32Array | null;
  if (isSorted(time)) {
    const lo = bound(time, rows, 0, count, from, false);
    const hi = Math.max(lo, bound(time, rows, lo, count, to, true));
    if (hi - lo === count) {
      kept = rows;
    } else if (rows !== null) {
      kept = rows.subarray(lo, hi);
    } else {
      kept = new Int32Array(hi - lo);
      for (let i = lo; i < hi; i++) {
        kept[i - lo] = i;
      }
    }
  } else {
    const out = new Int32Array(count);
    let k = 0;
    for (let j = 0; j < count; j++) {
      const i = rows === null ? j : rows[j];
      if (time[i] >= from && time[i] <= to) {
        out[k++] = i;
      }
    }
    kept = k === count ? rows : out.slice(0, k);
  }
  const length = kept === null ? table.length : kept.length;
  return { rows: length === 0 ? EMPTY : kept, outside: count - length };
}

// ---------------------------------------------------------------------------------------------------
// Memo

interface Memo {
  /** The rows the filter keeps before its time range (null: all, EMPTY: none); undefined until computed. */
  rows?: Int32Array | null;
  /** The last time range applied to them, so that the same filter returns the same arrays. */
  view?: { from: number; to: number; rows: Int32Array | null; outside: number };
}

const memos = new WeakMap<EventTable, Map<string, Memo>>();

/** The memo of a table and filter; the least recently used of a table's 16 is dropped for a new one. */
function memoFor(table: EventTable, key: string): Memo {
  let byKey = memos.get(table);
  if (byKey === undefined) {
    byKey = new Map();
    memos.set(table, byKey);
  }
  let memo = byKey.get(key);
  if (memo !== undefined) {
    byKey.delete(key);
  } else {
    memo = {};
    if (byKey.size >= MEMO_PER_TABLE) {
      byKey.delete(byKey.keys().next().value as string);
    }
  }
  byKey.set(key, memo);
  return memo;
}
