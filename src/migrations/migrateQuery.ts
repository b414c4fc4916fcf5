/**
 * The one migration path for stored queries: whatever a dashboard holds (a query saved by an older
 * version, one created by hand or by provisioning, a fresh `{refId}` from Grafana) becomes a
 * complete IotLogsQuery of the current schemaVersion. Pure: never mutates its input.
 *
 * Versions:
 * - 0 (no schemaVersion): the shape before versioning — `content` at the top level, and
 *   `component`/`eventType`/`status` as single strings.
 * - 1: `source: { type: 'inline', content }` and list filters.
 */
import { COMPONENTS, type ComponentId } from '../parsing';
import { getDefaultQuery, SCHEMA_VERSION, type IotLogsQuery } from '../types';

type Stored = Partial<Record<string, unknown>> & { refId: string };

const COMPONENT_IDS = new Set<string>(COMPONENTS.map((c) => c.id));

function stringList(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' && value !== '' ? [value] : [];
  return list.filter((v): v is string => typeof v === 'string' && v !== '');
}

/** Component ids, keeping template variables (`$component`) for interpolation at query time. */
function componentList(value: unknown): ComponentId[] {
  return stringList(value).filter((v) => COMPONENT_IDS.has(v) || v.startsWith('$')) as ComponentId[];
}

function fromV0(q: Stored): Stored {
  const { content, component, eventType, status, ...rest } = q;
  return {
    ...rest,
    schemaVersion: 1,
    source: { type: 'inline', content: typeof content === 'string' ? content : '' },
    components: rest.components ?? component,
    eventTypes: rest.eventTypes ?? eventType,
    statuses: rest.statuses ?? status,
  };
}

export function migrateQuery(stored: Stored | IotLogsQuery): IotLogsQuery {
  let q: Stored = { ...stored };
  const version = typeof q.schemaVersion === 'number' ? q.schemaVersion : 0;
  if (version < 1 && q.source === undefined) {
    q = fromV0(q);
  }
  const defaults = getDefaultQuery();
  const source = q.source as Partial<IotLogsQuery['source']> | undefined;
  return {
    ...q,
    refId: q.refId,
    schemaVersion: SCHEMA_VERSION,
    source: {
      type: 'inline',
      content: typeof source?.content === 'string' ? source.content : defaults.source.content,
    },
    components: componentList(q.components),
    eventTypes: stringList(q.eventTypes),
    statuses: stringList(q.statuses),
  };
}
