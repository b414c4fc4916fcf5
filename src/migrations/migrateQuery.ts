/**
 * The one migration path for stored queries: whatever a dashboard holds (a query saved by an older
 * version, one created by hand or by provisioning, a fresh `{refId}` from Grafana) becomes a
 * complete IotLogsQuery of the current schemaVersion. Pure: never mutates its input.
 *
 * Versions:
 * - 0 (no schemaVersion): `content` at the top level, `component`/`eventType`/`status` single strings.
 * - 1: `source: { type: 'inline', content }` and list filters.
 * - 2: more sources (upload, url, sample), `format` and `ignoreTimeRange`. Version 1 queries read
 *   every entry whatever the time range, so they migrate with `ignoreTimeRange: true`.
 */
import { COMPONENTS, FORMAT_LABELS, type ComponentId } from '../parsing';

/** Formats a parse reports that are not a way to read an input (the editor does not offer them). */
const NOT_OVERRIDES: ReadonlySet<string> = new Set(['empty', 'text', 'mixed']);
import {
  getDefaultQuery,
  ignoresTimeRangeByDefault,
  SCHEMA_VERSION,
  type IotLogsQuery,
  type QuerySource,
} from '../types';

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

const str = (v: unknown, fallback = '') => (typeof v === 'string' ? v : fallback);

function toSource(value: unknown): QuerySource {
  const s = (value ?? {}) as Record<string, unknown>;
  switch (s.type) {
    case 'upload':
      return {
        type: 'upload',
        fileName: str(s.fileName, 'upload'),
        size: typeof s.size === 'number' && s.size >= 0 ? s.size : 0,
        ...(typeof s.data === 'string' ? { data: s.data } : {}),
        ...(typeof s.sessionKey === 'string' ? { sessionKey: s.sessionKey } : {}),
      };
    case 'url':
      return { type: 'url', path: str(s.path) };
    case 'sample':
      return { type: 'sample' };
    default:
      return { type: 'inline', content: str(s.content) };
  }
}

function fromV0(q: Stored): Stored {
  const { content, component, eventType, status, ...rest } = q;
  return {
    ...rest,
    schemaVersion: 1,
    source: { type: 'inline', content: str(content) },
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
  const source = toSource(q.source);
  const format =
    typeof q.format === 'string' &&
    (q.format === 'auto' ||
      (Object.prototype.hasOwnProperty.call(FORMAT_LABELS, q.format) && !NOT_OVERRIDES.has(q.format)))
      ? q.format
      : getDefaultQuery().format;
  const ignoreTimeRange =
    typeof q.ignoreTimeRange === 'boolean'
      ? q.ignoreTimeRange
      : version < 2
        ? true
        : ignoresTimeRangeByDefault(source.type);
  return {
    ...q,
    refId: q.refId,
    schemaVersion: SCHEMA_VERSION,
    source,
    format: format as IotLogsQuery['format'],
    ignoreTimeRange,
    components: componentList(q.components),
    eventTypes: stringList(q.eventTypes),
    statuses: stringList(q.statuses),
  };
}
