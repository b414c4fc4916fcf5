/**
 * Filter for / filter out from Explore's log details (Grafana's toggleable query filters): a label or
 * field of a log line becomes a field filter of the query (`=` to filter for, `!=` to filter out);
 * clicking again removes it, and the opposite filter is replaced. Pure functions on the query model.
 */
import type { QueryFilterOptions, ToggleFilterAction } from '@grafana/data';

import { migrateQuery } from './migrations/migrateQuery';
import { fieldOfKey } from './query/adhocFilters';
import type { FieldFilter, IotLogsQuery } from './types';

function isFilter(f: FieldFilter, field: string, op: FieldFilter['op'], value: string): boolean {
  return f.field === field && f.op === op && f.value === value;
}

export function queryHasFilter(stored: IotLogsQuery, filter: QueryFilterOptions): boolean {
  const query = migrateQuery(stored);
  return query.fieldFilters.some((f) => isFilter(f, fieldOfKey(filter.key), '=', filter.value));
}

export function toggleQueryFilter(stored: IotLogsQuery, action: ToggleFilterAction): IotLogsQuery {
  const query = migrateQuery(stored);
  const field = fieldOfKey(action.options.key);
  const { value } = action.options;
  const op: FieldFilter['op'] = action.type === 'FILTER_FOR' ? '=' : '!=';
  const opposite: FieldFilter['op'] = op === '=' ? '!=' : '=';
  const present = query.fieldFilters.some((f) => isFilter(f, field, op, value));
  const others = query.fieldFilters.filter(
    (f) => !isFilter(f, field, op, value) && !isFilter(f, field, opposite, value)
  );
  return { ...query, fieldFilters: present ? others : [...others, { field, op, value }] };
}
