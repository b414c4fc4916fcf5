/**
 * The dashboard's ad hoc filters (Grafana passes them with every request as `request.filters`) as
 * field filters: they apply in every query of this data source, after the query's own filters (AND).
 * Keys are field names (getTagKeys offers them); `severity`, the logs frame's name for the level, means
 * logLevel. Operators: `=`, `!=`, `=~`, `!~`, `<`, `>`, `<=`, `>=`, and the multi-value `=|` (any of)
 * and `!=|` (none of).
 */
import type { AdHocVariableFilter } from '@grafana/data';

import { FILTER_OPERATORS, type FieldFilter, type FilterOperator } from '../types';
import { FilterError, type ResolvedFieldFilter } from './filter';
import { oneFieldFilter } from './interpolate';

const MULTI: Readonly<Record<string, FilterOperator>> = { '=|': '=', '!=|': '!=' };
const NO_VALUE = new Set<string>(['exists', 'missing']);

function isOperator(op: string): op is FilterOperator {
  return (FILTER_OPERATORS as readonly string[]).includes(op) && !NO_VALUE.has(op);
}

/** The field a key of log details or an ad hoc filter names: `severity` (the logs frame's level) is logLevel. */
export function fieldOfKey(key: string): string {
  return key === 'severity' ? 'logLevel' : key;
}

/** Field filters of the request's ad hoc filters; an operator this data source cannot apply is a FilterError. */
export function adhocFieldFilters(filters: readonly AdHocVariableFilter[] | undefined): ResolvedFieldFilter[] {
  if (!filters) {
    return [];
  }
  const out: ResolvedFieldFilter[] = [];
  for (const filter of filters) {
    if (!filter.key) {
      continue;
    }
    const field = fieldOfKey(filter.key);
    const multi = Object.hasOwn(MULTI, filter.operator) ? MULTI[filter.operator] : undefined;
    if (multi) {
      out.push({ field, op: multi, values: filter.values ?? [filter.value] });
    } else if (isOperator(filter.operator)) {
      out.push({ field, op: filter.operator, values: [filter.value] });
    } else {
      throw new FilterError(
        `The ad hoc filter "${filter.key} ${filter.operator} ${filter.value}" uses an operator AWS IoT Logs does not support: use =, !=, =~, !~, <, >, <= or >=.`
      );
    }
  }
  return out;
}

/**
 * The ad hoc filters as the query's field filters (one each; several values of `=|`/`!=|` as an anchored
 * alternation), for a query that carries them itself ("Explore" from a dashboard panel).
 */
export function adhocAsQueryFilters(filters: readonly AdHocVariableFilter[] | undefined): FieldFilter[] {
  return usableAdhocFilters(filters ?? []).map(({ field, op, values }) => oneFieldFilter(field, op, values));
}

/** The ad hoc filters as field filters, one that cannot apply left out (running a query reports it). */
export function usableAdhocFilters(filters: readonly AdHocVariableFilter[]): ResolvedFieldFilter[] {
  return filters.flatMap((f) => {
    try {
      return adhocFieldFilters([f]);
    } catch (e) {
      if (e instanceof FilterError) {
        return [];
      }
      throw e;
    }
  });
}
