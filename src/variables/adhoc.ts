/**
 * Ad hoc filters: the keys (fields) and values Grafana's ad hoc filter variable offers for this data
 * source. Pure functions of parsed tables (tagKeys, tagValues), and the small class the data source
 * delegates getTagKeys / getTagValues to, which picks the data to read. No React, no Grafana UI.
 *
 * Which data: the sources of the queries Grafana passes (`options.queries`: the dashboard's queries of
 * this data source), each migrated and parsed with the data source's cached parse, so a dashboard's own
 * data is read once for its panels and its filters. Without queries (or none with input) there is no
 * data to read: keys are then the documented fields of every component, and there are no values. The
 * bundled sample is not read in their place: its devices and topics are not the dashboard's.
 */
import type {
  AdHocVariableFilter,
  DataSourceGetTagKeysOptions,
  DataSourceGetTagValuesOptions,
  GetTagResponse,
  MetricFindValue,
} from '@grafana/data';

import { migrateQuery } from '../migrations/migrateQuery';
import { COMPONENTS, eventTypesOfComponents, getEventTypeSchema, type ComponentId, type TableResult } from '../parsing';
import { fieldOfKey, usableAdhocFilters } from '../query/adhocFilters';
import { FilterError, NO_FILTER, selectRows, type RowFilter } from '../query/filter';
import { interpolateList } from '../query/interpolate';
import { sourceKind } from '../sources';
import type { IotLogsQuery } from '../types';
import type { DataReader } from './types';
import { countValues, MAX_VALUES, topValues, type ValueCount } from './values';

/** A parse to read, and the time range its queries keep (none: every entry). */
export type TagSource = TableResult | { result: TableResult; timeRange?: { from: number; to: number } };

const COMPONENT_IDS = new Set<string>(COMPONENTS.map((c) => c.id));

const collator = new Intl.Collator('en', { numeric: true });

/** Fields a filter can name besides columns that are worth offering (`timestamp` is a documented field). */
const TABLE_KEYS = ['component', 'eventType'];

/**
 * The fields to filter by: the documented fields of the components' event types (all components when
 * none is given; names that are not component ids are ignored) and `component`, plus every field the data
 * has in those components' tables. Sorted by name, each once.
 */
export function tagKeys(results: readonly TagSource[], components: readonly string[]): MetricFindValue[] {
  const chosen = components.filter((c) => COMPONENT_IDS.has(c)) as ComponentId[];
  const keys = new Set<string>(TABLE_KEYS);
  for (const eventType of eventTypesOfComponents(chosen)) {
    for (const field of getEventTypeSchema(eventType)?.fields ?? []) {
      // An object (resources) is no field of its own: its keys are (resources.RepublishTopic).
      if (field.kind !== 'object') {
        keys.add(field.name);
      }
    }
  }
  const wanted = new Set<string>(chosen);
  for (const { result } of sourcesOf(results)) {
    for (const table of result.tables) {
      if (wanted.size === 0 || wanted.has(table.component)) {
        for (const column of table.columns) {
          keys.add(column.name);
        }
      }
    }
  }
  return [...keys].sort(collator.compare).map((key) => ({ text: key, value: key }));
}

/**
 * The distinct values of a field in the data, most frequent first (ties by name), text = value, at most
 * MAX_VALUES (topValues). The other ad hoc filters (`filters`, those on other keys) narrow the rows read, as queries
 * apply them (src/query/adhocFilters.ts); one with an operator this data source does not know is left
 * out, and when they cannot run (an invalid regular expression being typed) every row is read.
 */
export function tagValues(
  results: readonly TagSource[],
  key: string,
  filters: readonly AdHocVariableFilter[] = []
): MetricFindValue[] {
  const fieldFilters = usableAdhocFilters(filters.filter((f) => f.key !== key));
  const counts = new Map<string, ValueCount>();
  for (const { result, timeRange } of sourcesOf(results)) {
    const filter: RowFilter = { ...NO_FILTER, fieldFilters, ...(timeRange ? { timeRange } : {}) };
    let selections;
    try {
      selections = selectRows(result.tables, filter).selections;
    } catch (e) {
      if (!(e instanceof FilterError)) {
        throw e;
      }
      selections = selectRows(result.tables, { ...filter, fieldFilters: [] }).selections;
    }
    // `severity` (the logs frame's level, offered by log details) is the logLevel field, as filters read it.
    countValues(selections, { values: 'field', field: fieldOfKey(key) }, counts);
  }
  return topValues(counts.values(), MAX_VALUES, 'count').map((v) => ({
    text: v.value,
    value: v.value,
  }));
}

/** Each parse once; a parse read without a time range by one query is read whole. */
function sourcesOf(
  results: readonly TagSource[]
): Array<{ result: TableResult; timeRange?: { from: number; to: number } }> {
  const byResult = new Map<TableResult, { from: number; to: number } | undefined>();
  for (const source of results) {
    const { result, timeRange } = 'tables' in source ? { result: source, timeRange: undefined } : source;
    if (!byResult.has(result)) {
      byResult.set(result, timeRange);
    } else if (timeRange === undefined) {
      byResult.set(result, undefined);
    }
  }
  return [...byResult].map(([result, timeRange]) => (timeRange ? { result, timeRange } : { result }));
}

/**
 * What the data source's getTagKeys / getTagValues delegate to: reads the sources of the queries Grafana
 * passes (see the top of this file), then tagKeys / tagValues. A source that cannot be read is left out
 * and named in the response's error; the others still give keys and values.
 */
export class IotLogsAdHocSupport {
  constructor(private readonly ds: DataReader) {}

  async getTagKeys(options?: DataSourceGetTagKeysOptions<IotLogsQuery>): Promise<GetTagResponse> {
    const { sources, components, errors } = await this.read(options);
    return withErrors(tagKeys(sources, components), errors);
  }

  async getTagValues(options: DataSourceGetTagValuesOptions<IotLogsQuery>): Promise<GetTagResponse> {
    const { sources, errors } = await this.read(options);
    return withErrors(tagValues(sources, options.key, options.filters ?? []), errors);
  }

  private async read(options?: DataSourceGetTagKeysOptions<IotLogsQuery>) {
    const queries = (options?.queries ?? [])
      .map((q) => migrateQuery(q))
      .filter((q) => !q.hide && sourceKind(q.source.type).hasInput(q.source));
    const range = options?.timeRange;
    const from = range?.from.valueOf();
    const to = range?.to.valueOf();
    const sources: TagSource[] = [];
    const errors: string[] = [];
    await Promise.all(
      queries.map(async (q) => {
        try {
          const result = await this.ds.parse(q, { rangeTo: to });
          const timeRange = !q.ignoreTimeRange && from !== undefined && to !== undefined ? { from, to } : undefined;
          sources.push(timeRange ? { result, timeRange } : result);
        } catch (e) {
          errors.push(`query ${q.refId}: ${e instanceof Error ? e.message : String(e)}`);
        }
      })
    );
    // Any query without a component filter reads every component.
    const components = queries.some((q) => q.components.length === 0)
      ? []
      : [...new Set(queries.flatMap((q) => interpolateList(q.components, this.ds.replace)))];
    return { sources, components, errors };
  }
}

function withErrors(data: MetricFindValue[], errors: string[]): GetTagResponse {
  return errors.length === 0
    ? { data }
    : { data, error: { message: `Some entries could not be read (${errors.sort().join('; ')}).` } };
}
