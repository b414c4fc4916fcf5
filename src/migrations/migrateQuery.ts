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
 * - 3: output modes (`output`, default `logs`: what version 2 returned) with their options, log level,
 *   field, topic and free-text filters. Version 2 queries keep their filters and get empty new ones.
 */
import { COMPONENTS, FORMAT_LABELS, type ComponentId } from '../parsing';

/** Formats a parse reports that are not a way to read an input (the editor does not offer them). */
const NOT_OVERRIDES: ReadonlySet<string> = new Set(['empty', 'text', 'mixed']);
import {
  BEHAVIOUR_VIEWS,
  getDefaultQuery,
  ignoresTimeRangeByDefault,
  METRICS,
  OUTPUT_MODES,
  SCHEMA_VERSION,
  type FieldFilter,
  type IotLogsQuery,
  type KeptSources,
} from '../types';
import { migrateSource, sourceKind, SOURCES } from '../sources';

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

/** One of the allowed names, read without regard to case (`Timeseries` in a hand-written file). */
function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  if (typeof value !== 'string') {
    return fallback;
  }
  return allowed.find((name) => name.toLowerCase() === value.trim().toLowerCase()) ?? fallback;
}

/**
 * The version a stored query was written in: its `schemaVersion` (a number, or a number written as
 * text); without one, a query with a `source` object was written for version 2 or later by hand or by
 * provisioning (sources came in version 1, non-inline ones in version 2), so it gets version 2's
 * defaults; anything else is version 0.
 */
function versionOf(q: Stored): number {
  const v = typeof q.schemaVersion === 'string' ? Number(q.schemaVersion) : q.schemaVersion;
  if (typeof v === 'number' && Number.isFinite(v)) {
    return v;
  }
  return q.source !== null && typeof q.source === 'object' ? 2 : 0;
}

/** Field filters that name a field and a known operator; values kept as strings. */
function fieldFilters(value: unknown): FieldFilter[] {
  if (!Array.isArray(value)) {
    return [];
  }
  const out: FieldFilter[] = [];
  for (const item of value) {
    const f = (item ?? {}) as Record<string, unknown>;
    if (typeof f.field !== 'string' || f.field === '' || typeof f.op !== 'string' || f.op === '') {
      continue;
    }
    // An operator this version does not know is kept: running the query then says what is wrong with it
    // instead of the filter silently disappearing.
    const op = f.op as FieldFilter['op'];
    const filter: FieldFilter = { field: f.field, op };
    if (op !== 'exists' && op !== 'missing') {
      filter.value = typeof f.value === 'string' ? f.value : typeof f.value === 'number' ? String(f.value) : '';
    }
    out.push(filter);
  }
  return out;
}

/** Options of the output modes, each kept only when it is of the right type. */
type OutputOptionFields = 'metricField' | 'interval' | 'limit' | 'combineTables' | 'behaviourView' | 'thresholds';

function outputOptions(q: Stored): Pick<IotLogsQuery, OutputOptionFields> {
  const out: Pick<IotLogsQuery, OutputOptionFields> = {};
  if (typeof q.metricField === 'string' && q.metricField !== '') {
    out.metricField = q.metricField;
  }
  if (typeof q.interval === 'string' && q.interval.trim() !== '') {
    out.interval = q.interval.trim();
  } else if (typeof q.interval === 'number' && q.interval > 0) {
    // A bare number in a hand-written file: seconds, as Grafana's min interval reads it.
    out.interval = `${q.interval}s`;
  }
  const limit = typeof q.limit === 'string' ? Number(q.limit) : q.limit;
  if (typeof limit === 'number' && Number.isInteger(limit) && limit > 0) {
    out.limit = limit;
  }
  if (typeof q.behaviourView === 'string') {
    const view = BEHAVIOUR_VIEWS.find((v) => v === String(q.behaviourView).trim().toLowerCase());
    if (view) {
      out.behaviourView = view;
    }
  }
  if (q.thresholds !== null && typeof q.thresholds === 'object' && !Array.isArray(q.thresholds)) {
    // Numbers (or numbers written as text in a hand-written file) of at least 0, by name.
    const thresholds: Record<string, number> = {};
    for (const [name, value] of Object.entries(q.thresholds as Record<string, unknown>)) {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n === 'number' && Number.isFinite(n) && n >= 0) {
        thresholds[name] = n;
      }
    }
    if (Object.keys(thresholds).length > 0) {
      out.thresholds = thresholds;
    }
  }
  if (typeof q.combineTables === 'boolean') {
    out.combineTables = q.combineTables;
  } else if (q.combineTables === 'true' || q.combineTables === 'false') {
    out.combineTables = q.combineTables === 'true';
  }
  return out;
}

/** Kept sources of known types that hold input, each migrated as a source. */
function keptSources(value: unknown): KeptSources | undefined {
  if (value === null || typeof value !== 'object') {
    return undefined;
  }
  const out: KeptSources = {};
  for (const [type, kept] of Object.entries(value as Record<string, unknown>)) {
    const k = (kept ?? {}) as Record<string, unknown>;
    if (!Object.prototype.hasOwnProperty.call(SOURCES, type) || k.source === null || typeof k.source !== 'object') {
      continue;
    }
    const source = migrateSource({ ...(k.source as object), type });
    if (sourceKind(source.type).hasInput(source)) {
      out[source.type] = {
        source,
        ignoreTimeRange:
          typeof k.ignoreTimeRange === 'boolean' ? k.ignoreTimeRange : ignoresTimeRangeByDefault(source.type),
      };
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * A data link's `linkFilters` (JSON text, see IotLogsQuery.linkFilters) moved into the query's lists;
 * undefined when there is none or it is not such JSON (it is then kept for the run to report).
 */
function withLinkFilters(q: Stored, sourceType: string): Stored | undefined {
  if (q.linkFilters === undefined) {
    return undefined;
  }
  if (q.linkFilters === null) {
    const { linkFilters: _none, ...rest } = q;
    return rest as Stored;
  }
  // JSON text from a link; an object when written by hand in a provisioning file
  let parsed: unknown = q.linkFilters;
  if (typeof parsed === 'string') {
    try {
      parsed = JSON.parse(parsed);
    } catch {
      return undefined;
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return undefined;
  }
  const link = parsed as Record<string, unknown>;
  const added = fieldFilters(link.fieldFilters);
  const time = (key: 'from' | 'to', op: '>=' | '<=') => {
    const v = link[key];
    if (sourceType !== 'sample' && typeof v === 'string' && v !== '') {
      added.push({ field: 'timestamp', op, value: v });
    }
  };
  time('from', '>=');
  time('to', '<=');
  const { linkFilters: _l, ...rest } = q;
  return {
    ...rest,
    eventTypes: [...stringList(q.eventTypes), ...stringList(link.eventTypes)],
    fieldFilters: [...fieldFilters(q.fieldFilters), ...added],
  };
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
  const version = versionOf(q);
  if (version < 1 && q.source === undefined) {
    q = fromV0(q);
  }
  const source = migrateSource(q.source);
  q = withLinkFilters(q, source.type) ?? q;
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
  const defaults = getDefaultQuery();
  // Unset options are left out rather than stored as undefined.
  const {
    metricField: _m,
    interval: _i,
    limit: _l,
    combineTables: _c,
    behaviourView: _b,
    thresholds: _t,
    keptSources: _k,
    ...kept
  } = q;
  const stillKept = keptSources(q.keptSources);
  return {
    ...kept,
    ...outputOptions(q),
    ...(stillKept ? { keptSources: stillKept } : {}),
    refId: q.refId,
    schemaVersion: SCHEMA_VERSION,
    source,
    format: format as IotLogsQuery['format'],
    ignoreTimeRange,
    components: componentList(q.components),
    eventTypes: stringList(q.eventTypes),
    statuses: stringList(q.statuses),
    logLevels: stringList(q.logLevels),
    fieldFilters: fieldFilters(q.fieldFilters),
    topicFilters: stringList(q.topicFilters),
    search: str(q.search),
    output: oneOf(q.output, OUTPUT_MODES, defaults.output),
    groupBy: stringList(q.groupBy),
    metric: oneOf(q.metric, METRICS, defaults.metric),
  };
}
