/**
 * Step 5: entries → one DataFrame per eventType, shaped for both Grafana's logs view
 * (dataplane logs contract: timestamp, body, severity, id, labels) and tables (typed columns).
 */
import type { DataFrame, Field, FieldType } from '@grafana/data';

import type { Entry } from './classify';
import { converterFor, inferKind, seenBit } from './columns';
import { addDerivedFields } from './derive';
import { flattenEntry } from './flatten';
import { componentOfEventType, getComponent, getEventTypeSchema } from './schema/registry';
import type { ComponentId, EventTypeSchema, ValueKind } from './schema/types';

/** Names of the logs-contract fields; AWS attributes with these names would clash with them. */
export const LOG_FIELDS = {
  time: 'timestamp',
  body: 'body',
  severity: 'severity',
  id: 'id',
  labels: 'labels',
} as const;

/** What `meta.custom` of every frame holds. */
export interface IotFrameMeta {
  eventType: string;
  component: ComponentId;
  componentLabel: string;
  /** False for event types not in the registry (kept with inferred types). */
  documented: boolean;
}

export type LogLabels = Readonly<Record<string, string>>;

interface Group {
  eventType: string;
  schema: EventTypeSchema | undefined;
  component: ComponentId;
  times: number[];
  bodies: string[];
  ids: string[];
  rows: Entry[];
  /** Every key seen (insertion order = first seen) → the union of value kinds. */
  seen: Map<string, number>;
  /** Label objects shared between rows with the same label values. */
  labels: Map<string, LogLabels>;
}

function asFieldType(kind: ValueKind): FieldType {
  return kind as FieldType;
}

export class FrameBuilder {
  private groups = new Map<string, Group>();

  get size(): number {
    return this.groups.size;
  }

  /** Adds an entry; `body` is the entry as text for the logs view. */
  add(entry: Entry, eventType: string, time: number, body: string, recordIndex: number): void {
    let group = this.groups.get(eventType);
    if (!group) {
      const schema = getEventTypeSchema(eventType);
      group = {
        eventType,
        schema,
        component: componentOfEventType(eventType),
        times: [],
        bodies: [],
        ids: [],
        rows: [],
        seen: new Map(),
        labels: new Map(),
      };
      this.groups.set(eventType, group);
    }
    const row = flattenEntry(entry);
    addDerivedFields(row, eventType);
    for (const key in row) {
      group.seen.set(key, (group.seen.get(key) ?? 0) | seenBit(row[key]));
    }
    group.times.push(time);
    group.bodies.push(body);
    group.ids.push(String(recordIndex));
    group.rows.push(row);
  }

  build(): DataFrame[] {
    const frames: DataFrame[] = [];
    for (const group of this.groups.values()) {
      frames.push(buildFrame(group));
    }
    frames.sort((a, b) => (a.name! < b.name! ? -1 : a.name! > b.name! ? 1 : 0));
    return frames;
  }
}

/** Row order by time; ties keep input order. */
function timeOrder(times: number[]): number[] {
  const order = times.map((_, i) => i);
  let sorted = true;
  for (let i = 1; i < times.length && sorted; i++) {
    sorted = times[i - 1] <= times[i];
  }
  if (!sorted) {
    order.sort((a, b) => times[a] - times[b] || a - b);
  }
  return order;
}

interface Column {
  name: string;
  kind: ValueKind;
  description: string;
}

/** Documented fields in documented order (always present), then the others in first-seen order. */
function columnsOf(group: Group): Column[] {
  const columns: Column[] = [];
  const placed = new Set<string>([LOG_FIELDS.time]);
  const undocumented = `Not documented by AWS for ${group.eventType}: kept as found, type inferred from all values.`;
  for (const field of group.schema?.fields ?? []) {
    if (placed.has(field.name)) {
      continue;
    }
    if (field.kind === 'object') {
      // Nested maps (resources) are flattened: their dotted keys stand where the map is documented.
      const prefix = `${field.name}.`;
      for (const [key, seen] of group.seen) {
        if ((key === field.name || key.startsWith(prefix)) && !placed.has(key)) {
          placed.add(key);
          columns.push({ name: key, kind: inferKind(seen), description: `${field.description} (${key})` });
        }
      }
      continue;
    }
    placed.add(field.name);
    columns.push({ name: field.name, kind: field.kind, description: field.description });
  }
  for (const [key, seen] of group.seen) {
    if (!placed.has(key)) {
      placed.add(key);
      columns.push({ name: key, kind: inferKind(seen), description: undocumented });
    }
  }
  return columns;
}

/**
 * Attributes copied into `labels`: in Grafana's dataplane logs contract only labels (not the other
 * fields) are shown in log details and offered as filters, so the dimensions users filter on go here.
 */
export const LABEL_KEYS = [
  'status',
  'clientId',
  'thingName',
  'topicName',
  'ruleName',
  'jobId',
  'reason',
  'disconnectReason',
] as const;

/** Label objects are shared between rows with the same values (fleets repeat clients and topics). */
function labelsFor(group: Group, row: Entry): LogLabels {
  let key = '';
  for (const name of LABEL_KEYS) {
    const v = row[name];
    key += typeof v === 'string' ? `${v}\u0000` : '\u0001';
  }
  let labels = group.labels.get(key);
  if (!labels) {
    const fresh: Record<string, string> = { component: group.component, eventType: group.eventType };
    for (const name of LABEL_KEYS) {
      const v = row[name];
      if (typeof v === 'string' && v !== '') {
        fresh[name] = v;
      }
    }
    labels = Object.freeze(fresh);
    group.labels.set(key, labels);
  }
  return labels;
}

function field(name: string, kind: ValueKind, values: unknown[], description?: string): Field {
  return { name, type: asFieldType(kind), config: description ? { description } : {}, values };
}

function buildFrame(group: Group): DataFrame {
  const order = timeOrder(group.times);
  const { rows } = group;
  const pick = <T>(source: T[]): T[] => order.map((i) => source[i]);
  const schemaTime = group.schema?.fields.find((f) => f.name === LOG_FIELDS.time);

  const fields: Field[] = [
    field(LOG_FIELDS.time, 'time', pick(group.times), schemaTime?.description ?? 'Time of the entry (UTC).'),
    field(LOG_FIELDS.body, 'string', pick(group.bodies), 'The log entry as written by AWS IoT.'),
    field(
      LOG_FIELDS.severity,
      'string',
      order.map((i) => toSeverity(rows[i].logLevel)),
      'Log level of the entry (logLevel).'
    ),
    field(LOG_FIELDS.id, 'string', pick(group.ids), 'Index of the record in the input.'),
    field(
      LOG_FIELDS.labels,
      'other',
      order.map((i) => labelsFor(group, rows[i])),
      `Component, eventType and the entry's ${LABEL_KEYS.join(', ')} where present.`
    ),
  ];
  for (const column of columnsOf(group)) {
    const convert = converterFor(column.kind);
    const name = column.name;
    fields.push(
      field(
        name,
        column.kind,
        order.map((i) => convert(rows[i][name])),
        column.description
      )
    );
  }

  const component = getComponent(group.component);
  const custom: IotFrameMeta = {
    eventType: group.eventType,
    component: group.component,
    componentLabel: component.label,
    documented: group.schema !== undefined,
  };
  return {
    name: group.eventType,
    fields,
    length: order.length,
    meta: {
      type: 'log-lines' as NonNullable<DataFrame['meta']>['type'],
      typeVersion: [0, 0],
      preferredVisualisationType: 'logs',
      custom,
    },
  };
}

function toSeverity(level: unknown): string | null {
  return typeof level === 'string' ? level : null;
}
