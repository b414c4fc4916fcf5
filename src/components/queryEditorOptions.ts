/**
 * What the query editor offers, derived from the query and the last run: no state of its own.
 */
import type { ComboboxOption } from '@grafana/ui';

import {
  COMPONENTS,
  EVENT_TYPES,
  FORMAT_LABELS,
  componentOfEventType,
  eventTypesOfComponents,
  getEventTypeSchema,
  type ComponentId,
  type ParseStats,
} from '../parsing';
import {
  FILTER_OPERATORS,
  LOG_LEVELS,
  STATUSES,
  type FieldFilter,
  type FilterOperator,
  type IotLogsQuery,
  type Metric,
  type OutputMode,
} from '../types';

export const componentOptions: Array<ComboboxOption<string>> = COMPONENTS.map((c) => ({
  value: c.id,
  label: c.label,
  description: c.description,
}));

export const formatOptions: Array<ComboboxOption<string>> = [
  {
    value: 'auto',
    label: 'Auto-detect',
    description: 'Raw entries or any CloudWatch export, detected from the content',
  },
  ...(Object.keys(FORMAT_LABELS) as Array<keyof typeof FORMAT_LABELS>)
    .filter((format) => format !== 'empty' && format !== 'text' && format !== 'mixed')
    .map((format) => ({ value: format, label: FORMAT_LABELS[format] })),
];

export const statusOptions: Array<ComboboxOption<string>> = STATUSES.map((s) => ({ value: s, label: s }));

export const logLevelOptions: Array<ComboboxOption<string>> = LOG_LEVELS.map((l) => ({ value: l, label: l }));

export const OUTPUT_MODE_OPTIONS: ReadonlyArray<{ value: OutputMode; label: string; description: string }> = [
  { value: 'logs', label: 'Logs', description: 'Log lines, one frame per eventType, for the logs panel and Explore' },
  { value: 'table', label: 'Table', description: 'Typed columns, one table per eventType or one combined table' },
  { value: 'timeseries', label: 'Time series', description: 'Entries (or distinct values) per interval' },
  { value: 'counts', label: 'Counts', description: 'Entries per group, for tables, bar charts and bar gauges' },
  { value: 'sessions', label: 'Sessions', description: 'MQTT connections rebuilt from Connect and Disconnect' },
  {
    value: 'behaviour',
    label: 'Behaviour',
    description: 'Per device: connects, disconnects, failures, messages… with the fleet median and p90',
  },
  {
    value: 'findings',
    label: 'Findings',
    description: 'Ranked fleet-health findings: storms, takeovers, brute force, throttling, failing rules and jobs…',
  },
];

const OPERATOR_DESCRIPTIONS: Record<FilterOperator, string> = {
  '=': 'equals',
  '!=': 'does not equal',
  '=~': 'matches a regular expression',
  '!~': 'does not match a regular expression',
  '>': 'greater than (number or time)',
  '<': 'less than (number or time)',
  '>=': 'at least (number or time)',
  '<=': 'at most (number or time)',
  exists: 'has a value',
  missing: 'has no value',
};

export const operatorOptions: Array<ComboboxOption<string>> = FILTER_OPERATORS.map((op) => ({
  value: op,
  label: op,
  description: OPERATOR_DESCRIPTIONS[op],
}));

export const metricOptions: Array<ComboboxOption<string>> = [
  { value: 'count' satisfies Metric, label: 'Count', description: 'Number of entries' },
  { value: 'distinct' satisfies Metric, label: 'Distinct', description: 'Number of distinct values of a field' },
];

/** Whether a field filter's operator compares with a value (exists and missing do not). */
export function operatorTakesValue(op: FilterOperator): boolean {
  return op !== 'exists' && op !== 'missing';
}

/** A filter with another operator: the value goes with operators that take none, and comes back empty. */
export function withOperator(filter: FieldFilter, op: FilterOperator): FieldFilter {
  return operatorTakesValue(op) ? { field: filter.field, op, value: filter.value ?? '' } : { field: filter.field, op };
}

/** What the value input asks for, per operator. */
export function valuePlaceholder(op: FilterOperator): string {
  switch (op) {
    case '=~':
    case '!~':
      return 'regular expression, e.g. ^sensor-';
    case '>':
    case '<':
    case '>=':
    case '<=':
      return 'number or time';
    default:
      return 'value or $variable';
  }
}

const isVariable = (v: string) => v.startsWith('$');

/**
 * eventType options: the documented types of the chosen components (all components when none is
 * chosen), plus types seen in the last run that belong to them (undocumented ones count as
 * 'unknown'), plus whatever is selected already.
 */
export function eventTypeOptions(
  components: readonly ComponentId[],
  seen: readonly string[],
  selected: readonly string[]
): Array<ComboboxOption<string>> {
  const chosen = new Set<string>(components.filter((c) => !isVariable(c)));
  const documented = eventTypesOfComponents(components.filter((c) => !isVariable(c)));
  const values = new Set<string>(documented);
  for (const eventType of seen) {
    if (chosen.size === 0 || chosen.has(componentOfEventType(eventType))) {
      values.add(eventType);
    }
  }
  selected.forEach((v) => values.add(v));
  return [...values].map((value) => {
    const schema = getEventTypeSchema(value);
    return {
      value,
      label: value,
      description: schema?.description ?? (isVariable(value) ? 'Template variable' : 'Not documented by AWS'),
    };
  });
}

/** When components change, selected eventTypes of other components would filter out everything: drop them. */
export function withComponents(query: IotLogsQuery, components: ComponentId[]): IotLogsQuery {
  const chosen = new Set<string>(components);
  const keep = (eventType: string) =>
    chosen.size === 0 ||
    isVariable(eventType) ||
    [...chosen].some(isVariable) ||
    chosen.has(componentOfEventType(eventType));
  return { ...query, components, eventTypes: query.eventTypes.filter(keep) };
}

/** Fields every table has, whatever its eventType (see src/query/filter.ts). */
const TABLE_FIELDS: Array<ComboboxOption<string>> = [
  { value: 'eventType', label: 'eventType', description: 'The event type for which the log was generated.' },
  { value: 'component', label: 'component', description: 'The AWS IoT component (its id, e.g. message-broker).' },
  { value: 'timestamp', label: 'timestamp', description: "The entry's time." },
  { value: 'body', label: 'body', description: 'The entry as written.' },
];

/** The fields that group entries well, offered first by group by. */
const GROUPING_FIELDS = ['eventType', 'status', 'component', 'logLevel'];

/**
 * Field suggestions for field filters, group by and distinct: the fields every table has, the
 * documented fields of the chosen eventTypes (of the chosen components' eventTypes when no eventType
 * is chosen, of every eventType when neither is), then the fields the last run found, then whatever is
 * already in use (so that a chosen field always shows). Each field once, documented description first.
 */
export function fieldOptions(
  query: Pick<IotLogsQuery, 'components' | 'eventTypes'>,
  seen: readonly string[] = [],
  inUse: readonly string[] = []
): Array<ComboboxOption<string>> {
  const eventTypes = query.eventTypes.filter((e) => !isVariable(e));
  const components = query.components.filter((c) => !isVariable(c));
  const schemas =
    eventTypes.length > 0
      ? eventTypes.map(getEventTypeSchema).filter((s) => s !== undefined)
      : components.length > 0
        ? eventTypesOfComponents(components).map((e) => getEventTypeSchema(e)!)
        : EVENT_TYPES;
  const options = new Map<string, ComboboxOption<string>>(TABLE_FIELDS.map((o) => [o.value, o]));
  for (const schema of schemas) {
    for (const field of schema.fields) {
      // An object (resources) is not a field of its own: its keys are (resources.RepublishTopic).
      if (field.kind !== 'object' && !options.has(field.name)) {
        options.set(field.name, { value: field.name, label: field.name, description: field.description });
      }
    }
  }
  for (const name of seen) {
    if (!options.has(name)) {
      options.set(name, { value: name, label: name, description: 'Found in the last run' });
    }
  }
  for (const name of inUse) {
    if (name !== '' && !options.has(name)) {
      options.set(name, { value: name, label: name, description: isVariable(name) ? 'Template variable' : undefined });
    }
  }
  return [...options.values()];
}

/** Group by suggestions: eventType, status, component and logLevel first, then every other field. */
export function groupByOptions(
  query: Pick<IotLogsQuery, 'components' | 'eventTypes' | 'groupBy'>,
  seen: readonly string[] = []
): Array<ComboboxOption<string>> {
  const fields = fieldOptions(query, seen, query.groupBy).filter((o) => o.value !== 'body' && o.value !== 'timestamp');
  const first = GROUPING_FIELDS.map(
    (name) => fields.find((o) => o.value === name) ?? { value: name, label: name, description: undefined }
  );
  return [...first, ...fields.filter((o) => !GROUPING_FIELDS.includes(o.value))];
}

/** "22 entries · 0 rejected · JSON array · 22 event types" */
export function summarize(stats: ParseStats): string {
  const n = (v: number) => v.toLocaleString('en-US');
  return [
    `${n(stats.entries)} ${stats.entries === 1 ? 'entry' : 'entries'}`,
    `${n(stats.rejected)} rejected`,
    `format: ${
      stats.format === 'mixed' && stats.parts.length > 1
        ? stats.parts.map((part) => FORMAT_LABELS[part.format] ?? part.format).join(' + ')
        : (FORMAT_LABELS[stats.format] ?? stats.format)
    }${stats.compression ? ` (${stats.compression})` : ''}`,
    `${n(stats.eventTypes)} event ${stats.eventTypes === 1 ? 'type' : 'types'}`,
  ].join(' · ');
}

type OptionalKey = 'metricField' | 'interval' | 'limit' | 'combineTables' | 'behaviourView' | 'thresholds';

/** The query with an optional output option set, or left out when unset (as migrateQuery stores it). */
export function withOption<K extends OptionalKey>(query: IotLogsQuery, key: K, value: IotLogsQuery[K]): IotLogsQuery {
  const next = { ...query };
  if (value === undefined || value === '') {
    delete next[key];
  } else {
    next[key] = value;
  }
  return next;
}

/** A limit as typed: a whole number of at least 1, or unset (the output's default). */
export function limitFromText(text: string): number | undefined {
  const value = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(value) && value >= 1 ? value : undefined;
}

/** Whether a field filter changes what the query keeps: it names a field and has a value if it takes one. */
export function isEffective(filter: FieldFilter): boolean {
  return filter.field !== '' && (!operatorTakesValue(filter.op) || (filter.value ?? '') !== '');
}

/**
 * Whether a change of one field filter (added: no `before`; removed: no `after`) runs the query at once.
 * Typing a value does not (the query runs when the input loses focus, on Shift+Enter or Run); choosing a
 * field or an operator, adding and removing do, when a filter that counts is involved.
 */
export function fieldFilterChangeRuns(before: FieldFilter | undefined, after: FieldFilter | undefined): boolean {
  if (before && after && before.field === after.field && before.op === after.op) {
    return false;
  }
  return (before !== undefined && isEffective(before)) || (after !== undefined && isEffective(after));
}

/**
 * The query with another output mode. The limit means something else in each mode (log lines, series,
 * rows), so it does not carry over; the other options do (group by serves time series and counts alike).
 */
export function withOutput(query: IotLogsQuery, output: OutputMode): IotLogsQuery {
  if (output === query.output) {
    return query;
  }
  // The limit means other things per output; the metric field too between behaviour (a metric) and the
  // others (a field to count distinct values of).
  const { limit: _limit, behaviourView: _view, ...rest } = query;
  if (output === 'behaviour' || query.output === 'behaviour') {
    delete rest.metricField;
  }
  return { ...rest, output };
}
