/**
 * What the query editor offers, derived from the query and the last run: no state of its own.
 */
import type { ComboboxOption } from '@grafana/ui';

import {
  COMPONENTS,
  FORMAT_LABELS,
  componentOfEventType,
  eventTypesOfComponents,
  getEventTypeSchema,
  type ComponentId,
  type ParseStats,
} from '../parsing';
import { STATUSES, type IotLogsQuery } from '../types';

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
