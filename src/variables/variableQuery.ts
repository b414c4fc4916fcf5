/**
 * The query of a dashboard variable (Grafana's "Query" variable type with this data source): where the
 * entries come from (any source the query editor offers), which entries to read (the query's filters,
 * which may hold other variables: that is what chains variables), and what to list.
 *
 * Stored variable queries of any shape go through migrateVariableQuery(): a plain string from an old or
 * hand-written dashboard, an object without a schemaVersion, one of an earlier version. Pure: no React,
 * no Grafana UI, no Grafana runtime.
 *
 * Versions:
 * - 0 (no schemaVersion): a string (what to list, or a field name), or an object written by hand.
 * - 1: this shape. Its source and filters are those of IotLogsQuery version 3 (LOGS_VERSION_OF_VARIABLE),
 *   and migrate with src/migrations/migrateQuery.ts.
 */
import type { DataQuery } from '@grafana/schema';

import { migrateQuery } from '../migrations/migrateQuery';
import { getDefaultQuery, type IotLogsQuery } from '../types';

/** Bump with a new step in migrateVariableQuery. */
export const VARIABLE_SCHEMA_VERSION = 1;

/**
 * The IotLogsQuery schemaVersion whose source and filters each variable query version holds. A new
 * IotLogsQuery version needs a new variable version here (a test checks that the current ones match).
 */
export const LOGS_VERSION_OF_VARIABLE: Record<number, number> = { 1: 3 };

/** What a variable lists. `field`: the distinct values of the query's `field`. Dashboards rely on these names. */
export const VARIABLE_VALUES = [
  'eventType',
  'component',
  'status',
  'clientId',
  'thingName',
  'topic',
  'ruleName',
  'jobId',
  'field',
] as const;
export type VariableValues = (typeof VARIABLE_VALUES)[number];

/** `count`: most frequent first (ties by name); `name`: by name, numbers in them read as numbers. */
export const VARIABLE_SORTS = ['count', 'name'] as const;
export type VariableSort = (typeof VARIABLE_SORTS)[number];

/** The query's source and filters, as IotLogsQuery has them (the same meaning, the same interpolation). */
export type VariableFilters = Pick<
  IotLogsQuery,
  | 'source'
  | 'format'
  | 'ignoreTimeRange'
  | 'components'
  | 'eventTypes'
  | 'statuses'
  | 'logLevels'
  | 'fieldFilters'
  | 'topicFilters'
  | 'search'
  | 'keptSources'
>;

export interface IotLogsVariableQuery extends DataQuery, VariableFilters {
  schemaVersion: typeof VARIABLE_SCHEMA_VERSION;
  /** What to list. */
  values: VariableValues;
  /** The field whose distinct values to list, for `values: 'field'`; template variables are interpolated. */
  field?: string;
  sort: VariableSort;
  /** Show each value's number of entries in its text (`sensor-1 (42)`); the value stays `sensor-1`. */
  showCounts: boolean;
}

/** What each `values` lists, for the editor's select and the README. */
export const VARIABLE_VALUES_LABELS: Readonly<Record<VariableValues, { label: string; description: string }>> = {
  eventType: { label: 'Event types', description: 'The eventTypes of the entries' },
  component: { label: 'Components', description: 'AWS IoT components (value: id, text: name)' },
  status: { label: 'Statuses', description: 'Values of status (Success, Failure…)' },
  clientId: { label: 'Client ids', description: 'Values of clientId (MQTT clients)' },
  thingName: { label: 'Thing names', description: 'Values of thingName (shadow, jobs and fleet indexing entries)' },
  topic: { label: 'Topics', description: 'MQTT topics: topicName and every …Topic field (resources.RepublishTopic)' },
  ruleName: { label: 'Rule names', description: 'Values of ruleName (rules engine)' },
  jobId: { label: 'Job ids', description: 'Values of jobId (jobs)' },
  field: { label: 'Values of a field', description: 'The distinct values of any field' },
};

export function getDefaultVariableQuery(): Omit<IotLogsVariableQuery, 'refId'> {
  const { keptSources: _none, ...filters } = filtersOf(getDefaultQuery());
  return {
    schemaVersion: VARIABLE_SCHEMA_VERSION,
    ...filters,
    values: 'eventType',
    sort: 'count',
    showCounts: false,
  };
}

/** The query listing other values; the field is kept only for `values: 'field'`. */
export function withValues(query: IotLogsVariableQuery, values: VariableValues): IotLogsVariableQuery {
  const { field, ...rest } = query;
  return values === 'field' ? { ...rest, values, field: field ?? '' } : { ...rest, values };
}

/** The refId of a variable query that has none (Grafana gives a string query none). */
export const VARIABLE_REF_ID = 'variable';

/** The query's source and filters as an IotLogsQuery (for rowFilterOf, migrateQuery and the filter editors). */
export function asLogsQuery(query: IotLogsVariableQuery): IotLogsQuery {
  const { keptSources, ...filters } = filtersOf(query);
  return {
    ...getDefaultQuery(),
    ...filters,
    ...(keptSources ? { keptSources } : {}),
    refId: query.refId,
  };
}

/** The variable query with the source and filters of a (changed) IotLogsQuery. */
export function withLogsQuery(query: IotLogsVariableQuery, logs: IotLogsQuery): IotLogsVariableQuery {
  const { keptSources: _old, ...rest } = query;
  const { keptSources, ...filters } = filtersOf(logs);
  return { ...rest, ...filters, ...(keptSources ? { keptSources } : {}) };
}

function filtersOf(q: VariableFilters): VariableFilters {
  return {
    source: q.source,
    format: q.format,
    ignoreTimeRange: q.ignoreTimeRange,
    components: q.components,
    eventTypes: q.eventTypes,
    statuses: q.statuses,
    logLevels: q.logLevels,
    fieldFilters: q.fieldFilters,
    topicFilters: q.topicFilters,
    search: q.search,
    keptSources: q.keptSources,
  };
}

// ---------------------------------------------------------------------------------------------------
// Migration

/** A name as typed, for matching: lower case, without spaces, `_` and `-` (`Event types` → `eventtypes`). */
const squash = (text: string) => text.toLowerCase().replace(/[\s_-]+/g, '');

/** `values` by the names a person may write: the name, in any case, singular or plural. */
const VALUES_BY_NAME: ReadonlyMap<string, VariableValues> = new Map(
  VARIABLE_VALUES.flatMap((v) => {
    const name = squash(v);
    return [name, `${name}s`, `${name}es`].map((alias) => [alias, v] as const);
  })
);

/** A known name of `values`, or undefined. */
export function valuesOfName(text: string): VariableValues | undefined {
  return VALUES_BY_NAME.get(squash(text.trim()));
}

/** `values` and `field` from a text: a known name lists that; anything else is a field whose values to list. */
function fromText(text: string): Pick<IotLogsVariableQuery, 'values' | 'field'> | undefined {
  const trimmed = text.trim();
  if (trimmed === '') {
    return undefined;
  }
  const known = valuesOfName(trimmed);
  if (known === 'field') {
    return { values: 'field', field: '' };
  }
  return known ? { values: known } : { values: 'field', field: trimmed };
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return typeof value === 'string'
    ? allowed.find((name) => name.toLowerCase() === value.trim().toLowerCase())
    : undefined;
}

function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') {
    return value;
  }
  return value === 'true' ? true : value === 'false' ? false : undefined;
}

/** The version a stored variable query was written in: its schemaVersion (number or text), else 0. */
function versionOf(q: Record<string, unknown>): number {
  const v = typeof q.schemaVersion === 'string' ? Number(q.schemaVersion) : q.schemaVersion;
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/**
 * A stored variable query of any shape, complete and of the current schemaVersion. Pure: never mutates
 * its input.
 * - A string (old and hand-written dashboards; Grafana hands it over as it is): a known name (`clientId`,
 *   `eventTypes`, `Thing names`, in any case) lists that, anything else is a field name (`resources.RepublishTopic`,
 *   `$field`); an empty string gives the defaults.
 * - An object: `values` read the same way when it is not one of VARIABLE_VALUES exactly (an unknown
 *   name is a field); a `query` string (Grafana's `{ query, refId }` shape) when it has no `values`;
 *   `sort` and `showCounts` as written or by default; the source and filters as migrateQuery reads a
 *   query's (a `source` object, or version 0's top-level `content`, single `component`/`eventType`/`status`).
 * - Anything else (null, a number): the defaults.
 */
export function migrateVariableQuery(stored: unknown): IotLogsVariableQuery {
  const defaults = getDefaultVariableQuery();
  if (typeof stored === 'string') {
    return { ...defaults, ...fromText(stored), refId: VARIABLE_REF_ID };
  }
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) {
    return { ...defaults, refId: VARIABLE_REF_ID };
  }
  const q = stored as Record<string, unknown>;
  const refId = typeof q.refId === 'string' && q.refId !== '' ? q.refId : VARIABLE_REF_ID;

  const {
    schemaVersion: _v,
    values: _values,
    field: _field,
    sort: _sort,
    showCounts: _showCounts,
    query: _query,
    ...rest
  } = q;
  const version = versionOf(q);
  const logsVersion = LOGS_VERSION_OF_VARIABLE[version];
  const logs = migrateQuery({
    ...rest,
    refId,
    ...(logsVersion !== undefined ? { schemaVersion: logsVersion } : {}),
  });

  let what: Pick<IotLogsVariableQuery, 'values' | 'field'> | undefined;
  if (typeof q.values === 'string') {
    const exact = VARIABLE_VALUES.find((v) => v === q.values);
    what = exact ? { values: exact } : fromText(q.values);
  } else if (typeof q.query === 'string') {
    what = fromText(q.query);
  }
  what ??= { values: defaults.values };
  const field = typeof q.field === 'string' ? q.field.trim() : undefined;
  if (what.values === 'field') {
    what = { values: 'field', field: field || what.field || '' };
  }

  const out: IotLogsVariableQuery = {
    refId,
    schemaVersion: VARIABLE_SCHEMA_VERSION,
    ...pickDataQuery(q),
    ...filtersOf(logs),
    ...what,
    sort: oneOf(q.sort, VARIABLE_SORTS) ?? defaults.sort,
    showCounts: bool(q.showCounts) ?? defaults.showCounts,
  };
  if (out.keptSources === undefined) {
    delete out.keptSources;
  }
  return out;
}

/** What Grafana keeps on every query (hide, key, queryType, datasource), when present. */
function pickDataQuery(q: Record<string, unknown>): Partial<DataQuery> {
  const out: Partial<DataQuery> = {};
  if (typeof q.hide === 'boolean') {
    out.hide = q.hide;
  }
  if (typeof q.key === 'string') {
    out.key = q.key;
  }
  if (typeof q.queryType === 'string') {
    out.queryType = q.queryType;
  }
  if (q.datasource !== null && typeof q.datasource === 'object') {
    out.datasource = q.datasource as DataQuery['datasource'];
  }
  return out;
}
