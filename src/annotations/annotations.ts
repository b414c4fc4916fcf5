/**
 * Annotations from AWS IoT log entries, pure: the annotation query model and its migration, the query an
 * annotation runs, and the mapping of the frames that query returns to Grafana annotation events, with
 * time, title, text and tags chosen for the entries so that users map no fields.
 *
 * How Grafana runs a data source's annotations (AnnotationSupport, @grafana/data): it calls
 * `prepareAnnotation` with the stored JSON (also in the editor, where a result that is not the very object
 * it was given is saved and checked again: a current annotation must come back as it is), `prepareQuery`
 * for the query to run, runs that query through the data source's `query()` (refId `Anno`), then
 * `processEvents` with the frames. Its standard processing (used without `processEvents`) merges the
 * frames into one and reads fields named time, timeEnd, title, text, tags and id, else the first time and
 * string fields: with the logs output's frames that gives the raw entry as text, no title and no tags,
 * hence the mapping here. The field mappings a user sets below the editor (`annotation.mappings`, also
 * in annotations made with the regular editor before this one) replace a default where they give a value.
 * Events get no `id`: Grafana keeps one event per id.
 */
import {
  AnnotationEventFieldSource,
  type AnnotationEvent,
  type AnnotationEventFieldMapping,
  type AnnotationEventMappings,
  type AnnotationQuery,
  type DataFrame,
  type Field,
} from '@grafana/data';

import { sameValue } from '../components/lastRun';
import { migrateQuery } from '../migrations/migrateQuery';
import { toText, toTime } from '../parsing/columns';
import { sourceKind } from '../sources';
import type { IotLogsQuery, OutputMode } from '../types';

/** What one annotation marks: a log entry (at its time) or an MQTT session (a region from Connect to Disconnect). */
export const ANNOTATE_MODES = ['entries', 'sessions', 'findings'] as const;
export type AnnotateMode = (typeof ANNOTATE_MODES)[number];

/** An annotation's query: the filters of a panel query, and what each annotation marks. */
export type IotLogsAnnotationQuery = IotLogsQuery & { annotate: AnnotateMode };

/** The output each mode runs. */
const OUTPUT_OF: Readonly<Record<AnnotateMode, OutputMode>> = {
  entries: 'logs',
  sessions: 'sessions',
  findings: 'findings',
};

/** Most annotations one annotation query returns: the newest ones. */
export const ANNOTATION_LIMIT = 1_000;

/** Grafana runs annotation queries with this refId. */
export const ANNOTATION_REF_ID = 'Anno';

/** Ids of an entry that become `name:value` tags, where the entry has them. */
export const TAG_FIELDS = ['clientId', 'thingName', 'ruleName', 'jobId'] as const;

/**
 * The attributes that say why an entry happened or what went wrong, in the order the text shows them.
 * `reason` and `disconnectReason` spell DUPLICATE_CLIENT_ID differently: one of them is shown.
 */
export const EXPLANATION_FIELDS = [
  'reason',
  'disconnectReason',
  'details',
  'errorCode',
  'errorMessage',
  'failedCustomFields',
] as const;

/** Values that are no id ("N/A" is FunctionExecution's documented clientId). */
const NOT_AN_ID = new Set(['', 'N/A']);

/** Between the parts of a text. */
const SEPARATOR = ' · ';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isAnnotateMode(v: unknown): v is AnnotateMode {
  return typeof v === 'string' && (ANNOTATE_MODES as readonly string[]).includes(v);
}

// ---------------------------------------------------------------------------------------------
// The query model.

/** A new annotation's query: every entry of pasted text, each marked (Grafana sets the refId). */
export function getDefaultAnnotationQuery(): Omit<IotLogsAnnotationQuery, 'refId'> {
  const { refId: _refId, ...query } = migrateAnnotationQuery({});
  return query;
}

/**
 * Any stored annotation target (this editor's, a panel query saved by the regular editor of any schema
 * version, a hand-written one, nothing) as a complete annotation query: migrated by migrateQuery, so its
 * filters are kept; `annotate` as stored, else `sessions` for a query of the sessions output and
 * `entries` for any other; the output set to the one `annotate` runs. Pure and idempotent.
 */
export function migrateAnnotationQuery(stored: unknown): IotLogsAnnotationQuery {
  const raw = isRecord(stored) ? stored : {};
  const refId = typeof raw.refId === 'string' && raw.refId !== '' ? raw.refId : ANNOTATION_REF_ID;
  const query = migrateQuery({ ...raw, refId });
  const annotate = isAnnotateMode(raw.annotate)
    ? raw.annotate
    : query.output === 'sessions' || query.output === 'findings'
      ? query.output
      : 'entries';
  return { ...query, annotate, output: OUTPUT_OF[annotate] };
}

/** The annotation query of an annotation's target, without migrating what is current already. */
function targetOf(anno: Pick<AnnotationQuery<IotLogsQuery>, 'target'>): IotLogsAnnotationQuery {
  const target: unknown = anno.target;
  return isCurrent(target) ? target : migrateAnnotationQuery(target);
}

function isCurrent(target: unknown): target is IotLogsAnnotationQuery {
  return isRecord(target) && isAnnotateMode(target.annotate) && sameValue(migrateAnnotationQuery(target), target);
}

/**
 * AnnotationSupport.prepareAnnotation: the stored annotation with its target migrated. An annotation that
 * needs nothing is returned as it is (the same object), so that Grafana's editor, which saves and checks
 * again whatever comes back changed, settles after one step. `mappings` and every other key are kept.
 */
export function prepareAnnotation(json: unknown): AnnotationQuery<IotLogsQuery> {
  const anno = (isRecord(json) ? json : {}) as AnnotationQuery<IotLogsQuery>;
  if (isCurrent(anno.target)) {
    return anno;
  }
  return { ...anno, target: migrateAnnotationQuery(anno.target) };
}

/**
 * AnnotationSupport.prepareQuery: the query Grafana runs through the data source. Entries: the logs
 * output, the newest ANNOTATION_LIMIT + 1 of them (one more than is marked, to know whether any were
 * left out); sessions: the sessions output. Never hidden. Nothing runs (undefined) while the source has
 * no input.
 */
export function annotationRunQuery(anno: Pick<AnnotationQuery<IotLogsQuery>, 'target'>): IotLogsQuery | undefined {
  const { annotate, ...query } = targetOf(anno);
  if (!sourceKind(query.source.type).hasInput(query.source)) {
    return undefined;
  }
  // `hide` would keep the query from running (a panel query's eye icon; an annotation has its own toggle).
  const { limit: _limit, hide: _hide, ...rest } = query;
  if (annotate === 'sessions' || annotate === 'findings') {
    return { ...rest, output: annotate };
  }
  return { ...rest, output: 'logs', limit: ANNOTATION_LIMIT + 1 };
}

// ---------------------------------------------------------------------------------------------
// Frames → events.

/** The annotations of a run. */
export interface AnnotationResult {
  /** In time order; when some were left out, a marker saying so comes first (`limitMarker`). */
  events: AnnotationEvent[];
  /** Annotations the frames gave, before the limit (for entries at most ANNOTATION_LIMIT + 1: the query asks no more). */
  found: number;
  /** True when the newest `limit` were kept and older ones left out. */
  cut: boolean;
}

/** Tags of the marker an annotation query adds when it leaves annotations out. */
export const LIMIT_TAG = 'limit';

/** A frame's fields by name (as written, and lower case for mappings). */
class Row {
  private readonly byName = new Map<string, Field>();
  private readonly byLowerName = new Map<string, Field>();

  constructor(readonly frame: DataFrame) {
    for (const field of frame.fields) {
      this.byName.set(field.name, field);
      for (const name of [field.name, field.config?.displayName, field.config?.displayNameFromDS]) {
        if (name) {
          this.byLowerName.set(name.toLowerCase(), field);
        }
      }
    }
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  value(name: string, row: number): unknown {
    return this.byName.get(name)?.values[row];
  }

  text(name: string, row: number): string | null {
    const text = toText(this.value(name, row));
    return text === null || text === '' ? null : text;
  }

  /** The value of the field a mapping names (by name or display name, in any case). */
  mapped(name: string, row: number): unknown {
    return this.byLowerName.get(name.toLowerCase())?.values[row];
  }
}

/** DUPLICATE_CLIENTID and DUPLICATE_CLIENT_ID are one reason. */
const sameReason = (a: string, b: string) => a.replace(/_/g, '').toLowerCase() === b.replace(/_/g, '').toLowerCase();

/** The explanation attributes of an entry that say something new, in EXPLANATION_FIELDS order. */
function explanation(fields: Row, row: number): string[] {
  const parts: string[] = [];
  for (const name of EXPLANATION_FIELDS) {
    const text = fields.text(name, row);
    if (text !== null && !parts.some((p) => sameReason(p, text))) {
      parts.push(text);
    }
  }
  return parts;
}

/** `name:value` tags of the entry's ids. */
function idTags(fields: Row, row: number): string[] {
  const tags: string[] = [];
  for (const name of TAG_FIELDS) {
    const text = fields.text(name, row);
    if (text !== null && !NOT_AN_ID.has(text)) {
      tags.push(`${name}:${text}`);
    }
  }
  return tags;
}

/** The eventType and component of a logs frame (its meta, else its labels, else its name). */
function frameKind(fields: Row): { eventType: string; component?: string } {
  const custom = fields.frame.meta?.custom;
  const labels = fields.value('labels', 0);
  const fromLabels = (key: string) => (isRecord(labels) && typeof labels[key] === 'string' ? labels[key] : undefined);
  const eventType =
    (typeof custom?.eventType === 'string' ? custom.eventType : undefined) ??
    fromLabels('eventType') ??
    fields.frame.name ??
    '';
  const component = (typeof custom?.component === 'string' ? custom.component : undefined) ?? fromLabels('component');
  return { eventType, component };
}

/** One annotation per row of a logs frame (see the README's table). */
function entryEvents(fields: Row, out: Array<{ event: AnnotationEvent; fields: Row; row: number }>): void {
  const { eventType, component } = frameKind(fields);
  for (let row = 0; row < fields.frame.length; row++) {
    const time = fields.value('timestamp', row);
    if (typeof time !== 'number' || !Number.isFinite(time)) {
      continue;
    }
    const status = fields.text('status', row);
    const explained = explanation(fields, row);
    const tags = [component, eventType, status].filter((t): t is string => typeof t === 'string' && t !== '');
    out.push({
      event: {
        time,
        title: status ? `${eventType} ${status}` : eventType,
        text: explained.length > 0 ? explained.join(SEPARATOR) : (fields.text('body', row) ?? eventType),
        tags: [...tags, ...idTags(fields, row)],
      },
      fields,
      row,
    });
  }
}

/** One annotation per session: a region from its start to its end (see the README's table). */
/**
 * One annotation per finding (the findings output's rows): from its first to its last time (a region when
 * they differ), titled by kind and subject, its sentence as text, tagged with severity, kind and subject.
 */
function findingEvents(fields: Row, out: Array<{ event: AnnotationEvent; fields: Row; row: number }>): void {
  for (let row = 0; row < fields.frame.length; row++) {
    const first = fields.value('first', row);
    if (typeof first !== 'number' || !Number.isFinite(first)) {
      continue;
    }
    const last = fields.value('last', row);
    const kind = fields.text('kind', row) ?? 'finding';
    const subject = fields.text('subject', row) ?? '';
    const subjectType = fields.text('subjectType', row);
    const severity = fields.text('severity', row);
    const event: AnnotationEvent = {
      time: first,
      ...(typeof last === 'number' && Number.isFinite(last) && last > first ? { timeEnd: last } : {}),
      title: subject ? `${kind}: ${subject}` : kind,
      text: fields.text('finding', row) ?? '',
      tags: [
        'finding',
        ...(severity ? [severity] : []),
        kind,
        ...(subject ? [subjectType ? `${subjectType}:${subject}` : subject] : []),
      ],
    };
    out.push({ event, fields, row });
  }
}

function sessionEvents(fields: Row, out: Array<{ event: AnnotationEvent; fields: Row; row: number }>): void {
  for (let row = 0; row < fields.frame.length; row++) {
    const start = fields.value('start', row);
    const end = fields.value('end', row);
    const duration = fields.value('duration', row);
    const clientId = fields.text('clientId', row) ?? '';
    const hasStart = typeof start === 'number' && Number.isFinite(start);
    const until =
      typeof end === 'number' && Number.isFinite(end)
        ? end
        : hasStart && typeof duration === 'number' && Number.isFinite(duration)
          ? start + duration
          : undefined;
    // A session that began before the data is marked where it ended.
    const time = hasStart ? start : until;
    if (time === undefined) {
      continue;
    }
    const flag = (name: string) => fields.value(name, row) === true;
    const disconnectReason = fields.text('disconnectReason', row);
    const protocol = fields.text('protocol', row);
    const sourceIp = fields.text('sourceIp', row);
    const text = [
      disconnectReason,
      flag('open') ? 'still connected at the end of the data' : disconnectReason ? null : 'no disconnect reason logged',
      flag('takenOver') ? 'ended by a newer connection with the same client ID' : null,
      flag('takeover') ? 'took over a connection with the same client ID' : null,
      flag('startedBeforeData') ? 'began before the data (marked where it ended)' : null,
      protocol || sourceIp ? [protocol, sourceIp && `from ${sourceIp}`].filter(Boolean).join(' ') : null,
    ].filter((part): part is string => typeof part === 'string' && part !== '');
    const event: AnnotationEvent = {
      time,
      title: `Session of ${clientId}`,
      text: text.join(SEPARATOR),
      tags: [
        'message-broker',
        'session',
        ...(clientId ? [`clientId:${clientId}`] : []),
        ...(disconnectReason ? [disconnectReason] : []),
        ...['takeover', 'takenOver', 'open', 'startedBeforeData'].filter(flag),
      ],
    };
    if (hasStart && until !== undefined && until > start) {
      event.timeEnd = until;
      event.isRegion = true;
    }
    out.push({ event, fields, row });
  }
}

const MAPPED_KEYS = ['time', 'timeEnd', 'title', 'text', 'tags', 'id'] as const;
type MappedKey = (typeof MAPPED_KEYS)[number];

/** A mapped value as the key wants it, or undefined when it gives none. */
function convert(key: MappedKey, value: unknown): AnnotationEvent[MappedKey] | undefined {
  if (value === null || value === undefined || value === '') {
    return undefined;
  }
  switch (key) {
    case 'time':
    case 'timeEnd':
      return toTime(value) ?? undefined;
    case 'tags': {
      const list = Array.isArray(value)
        ? value.map(toText)
        : isRecord(value)
          ? Object.entries(value).map(([k, v]) => `${k}:${toText(v)}`)
          : (toText(value) ?? '').split(',');
      const tags = list.map((t) => (t ?? '').trim()).filter((t) => t !== '');
      return tags.length > 0 ? tags : undefined;
    }
    default:
      return toText(value) ?? undefined;
  }
}

/**
 * The user's field mappings over the defaults: a field (by name) or a text replaces a default where it
 * gives a value, "skip" leaves the key out. A mapped field a frame lacks leaves the default.
 */
function applyMappings(event: AnnotationEvent, fields: Row, row: number, mappings: AnnotationEventMappings): void {
  for (const key of MAPPED_KEYS) {
    const mapping: AnnotationEventFieldMapping | undefined = mappings[key];
    if (!mapping) {
      continue;
    }
    if (mapping.source === AnnotationEventFieldSource.Skip) {
      if (key !== 'time') {
        delete event[key];
      }
      continue;
    }
    if (!mapping.value) {
      continue;
    }
    const raw = mapping.source === AnnotationEventFieldSource.Text ? mapping.value : fields.mapped(mapping.value, row);
    const value = convert(key, raw);
    if (value !== undefined) {
      Object.assign(event, { [key]: value });
    }
  }
  const isRegion = typeof event.timeEnd === 'number' && event.timeEnd !== event.time;
  if (isRegion) {
    event.isRegion = true;
  } else {
    delete event.timeEnd;
    delete event.isRegion;
  }
}

/** The marker at the oldest annotation kept, saying that older ones are not shown. */
export function limitMarker(time: number, limit: number, annotate: AnnotateMode, found?: number): AnnotationEvent {
  const what = annotate === 'entries' ? 'entries' : annotate;
  const of = found !== undefined && annotate === 'sessions' ? ` of ${found.toLocaleString('en-US')}` : '';
  return {
    time,
    title: 'Older annotations not shown',
    text:
      `This annotation query marks the newest ${limit.toLocaleString('en-US')}${of} matching ${what}; ` +
      'older ones are not shown. Narrow its filters or the time range to see them.',
    tags: [LIMIT_TAG],
  };
}

/**
 * The annotations of the frames a run of `anno` returned: one per entry (logs frames) or per session
 * (the sessions frame), the user's mappings applied, the newest `limit` kept with a marker when some are
 * left out, in time order. Frames without rows (the "No entries" frame) give none.
 */
export function annotationsFromFrames(
  anno: Pick<AnnotationQuery<IotLogsQuery>, 'target' | 'mappings'>,
  frames: readonly DataFrame[],
  limit = ANNOTATION_LIMIT
): AnnotationResult {
  const { annotate } = targetOf(anno);
  const found: Array<{ event: AnnotationEvent; fields: Row; row: number }> = [];
  for (const frame of frames) {
    const fields = new Row(frame);
    if (annotate === 'findings') {
      if (fields.has('kind') && fields.has('first')) {
        findingEvents(fields, found);
      }
    } else if (annotate === 'sessions' ? fields.has('start') && fields.has('clientId') : fields.has('timestamp')) {
      (annotate === 'sessions' ? sessionEvents : entryEvents)(fields, found);
    }
  }
  const mappings = isRecord(anno.mappings) ? anno.mappings : undefined;
  if (mappings && Object.keys(mappings).length > 0) {
    for (const { event, fields, row } of found) {
      applyMappings(event, fields, row, mappings);
    }
  }
  const events = found.map(({ event }) => event);
  // Newest first to cut, ties in the order found; then back to time order.
  const order = events.map((e, i) => ({ e, i })).sort((a, b) => b.e.time! - a.e.time! || a.i - b.i);
  const cut = order.length > limit;
  const kept = order
    .slice(0, limit)
    .sort((a, b) => a.e.time! - b.e.time! || a.i - b.i)
    .map(({ e }) => e);
  if (cut && kept.length > 0) {
    kept.unshift(limitMarker(kept[0].time!, limit, annotate, found.length));
  }
  return { events: kept, found: found.length, cut };
}

// ---------------------------------------------------------------------------------------------
// What the editor says about the mapping.

/** The default mapping in words, per mode (the editor shows it; the README's table says the same). */
export const MAPPING_DESCRIPTIONS: Readonly<Record<AnnotateMode, { title: string; text: string; tags: string }>> = {
  entries: {
    title: 'event type and status, e.g. "Disconnect Failure"',
    text: 'reason, disconnect reason and details (the entry as written when it has none)',
    tags: `component, event type, status, and ${TAG_FIELDS.map((f) => `${f}:…`).join(', ')} where present`,
  },
  findings: {
    title: 'kind and subject, e.g. "storm: sensor-004", a region from its first to its last entry',
    text: 'the finding in a sentence, with the threshold it crossed',
    tags: 'finding, severity, kind, subject type:subject',
  },
  sessions: {
    title: '"Session of ‹clientId›", a region from Connect to Disconnect',
    text: 'disconnect reason, takeover, still open or begun before the data, protocol and source IP',
    tags: 'message-broker, session, clientId:…, the disconnect reason, takeover, takenOver, open, startedBeforeData',
  },
};

/** The keys whose default the annotation's field mappings replace (or skip). */
export function mappedKeys(mappings: AnnotationEventMappings | undefined): MappedKey[] {
  if (!isRecord(mappings)) {
    return [];
  }
  return MAPPED_KEYS.filter((key) => {
    const m = mappings[key];
    return m !== undefined && (m.source === AnnotationEventFieldSource.Skip || Boolean(m.value));
  });
}
