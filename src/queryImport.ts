/**
 * Query import and export (Grafana's abstract, label-based queries): a query switched in Explore from
 * Loki, Prometheus or another data source that exports label matchers keeps its matchers as this
 * plugin's filters, and a query of this plugin switched to such a data source keeps what matchers can
 * say. What matchers cannot say (the source, the output, topic filters, free text, numeric comparisons)
 * stays behind: an imported query reads the default source until the user picks one.
 *
 * Names: `eventType`, `component` and `status` are the query's lists, `logLevel` is exported as
 * `level` (the label other log data sources use) and `level`, `detected_level`, `severity` and
 * `logLevel` are imported as it. Regular expressions: matchers' are anchored (Prometheus, Loki), this
 * plugin's `=~` matches anywhere, so each side's pattern is anchored or opened up to mean the same.
 */
import { AbstractLabelOperator, type AbstractLabelMatcher, type AbstractQuery } from '@grafana/data';

import { migrateQuery } from './migrations/migrateQuery';
import { COMPONENTS } from './parsing/schema/registry';
import { escapeRegex } from './query/interpolate';
import { getDefaultQuery, type FieldFilter, type IotLogsQuery } from './types';

const COMPONENT_IDS = new Set<string>(COMPONENTS.map((c) => c.id));
const LEVEL_NAMES = new Set(['level', 'detected_level', 'severity', 'loglevel']);

/** A list of the query (values any of) as one matcher: Equal for one value, an alternation for more. */
function listMatcher(name: string, values: readonly string[]): AbstractLabelMatcher[] {
  if (values.length === 0) {
    return [];
  }
  if (values.length === 1) {
    return [{ name, operator: AbstractLabelOperator.Equal, value: values[0] }];
  }
  return [{ name, operator: AbstractLabelOperator.EqualRegEx, value: values.map(escapeRegex).join('|') }];
}

const EXPORTED_OPS: Partial<Record<FieldFilter['op'], AbstractLabelOperator>> = {
  '=': AbstractLabelOperator.Equal,
  '!=': AbstractLabelOperator.NotEqual,
  '=~': AbstractLabelOperator.EqualRegEx,
  '!~': AbstractLabelOperator.NotEqualRegEx,
};

export function exportToAbstractQuery(stored: IotLogsQuery): AbstractQuery {
  const query = migrateQuery(stored);
  const labelMatchers: AbstractLabelMatcher[] = [
    ...listMatcher('component', query.components),
    ...listMatcher('eventType', query.eventTypes),
    ...listMatcher('status', query.statuses),
    ...listMatcher('level', query.logLevels),
  ];
  for (const filter of query.fieldFilters) {
    const operator = EXPORTED_OPS[filter.op];
    if (operator === undefined || filter.value === undefined) {
      continue;
    }
    const regex = filter.op === '=~' || filter.op === '!~';
    labelMatchers.push({
      name: filter.field === 'logLevel' ? 'level' : filter.field,
      operator,
      // Ours match anywhere; a matcher's pattern must match the whole value.
      value: regex ? `.*(?:${filter.value}).*` : filter.value,
    });
  }
  return { refId: query.refId, labelMatchers };
}

export function importFromAbstractQuery(abstract: AbstractQuery): IotLogsQuery {
  const query: IotLogsQuery = { ...getDefaultQuery(), refId: abstract.refId };
  const lists: Record<string, string[]> = {
    component: query.components as string[],
    eventType: query.eventTypes,
    status: query.statuses,
    logLevel: query.logLevels,
  };
  for (const matcher of abstract.labelMatchers ?? []) {
    if (!matcher.name) {
      continue;
    }
    const field = LEVEL_NAMES.has(matcher.name.toLowerCase()) ? 'logLevel' : matcher.name;
    switch (matcher.operator) {
      case AbstractLabelOperator.Equal:
        if (Object.hasOwn(lists, field) && (field !== 'component' || COMPONENT_IDS.has(matcher.value))) {
          lists[field].push(field === 'logLevel' ? matcher.value.toUpperCase() : matcher.value);
        } else {
          query.fieldFilters.push({ field, op: '=', value: matcher.value });
        }
        break;
      case AbstractLabelOperator.NotEqual:
        query.fieldFilters.push({ field, op: '!=', value: matcher.value });
        break;
      case AbstractLabelOperator.EqualRegEx:
      case AbstractLabelOperator.NotEqualRegEx: {
        const op = matcher.operator === AbstractLabelOperator.EqualRegEx ? '=~' : '!~';
        // Matchers' patterns match whole values; ours anywhere. Levels are upper case here (error|warn).
        const pattern =
          field === 'logLevel' && /^[A-Za-z|]+$/.test(matcher.value) ? matcher.value.toUpperCase() : matcher.value;
        // A leading (?i) (case-insensitive, Prometheus and Loki syntax) stays in front, where ours reads it.
        const insensitive = pattern.startsWith('(?i)');
        const body = insensitive ? pattern.slice(4) : pattern;
        query.fieldFilters.push({ field, op, value: `${insensitive ? '(?i)' : ''}^(?:${body})$` });
        break;
      }
    }
  }
  return migrateQuery({ ...query, components: lists.component as IotLogsQuery['components'] });
}
