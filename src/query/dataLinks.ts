/**
 * Data links: a traceId opens every entry of that trace in Explore, a clientId that device's entries,
 * and jobId, ruleName and thingName likewise. Each is an internal link to this data source whose query
 * reads the same source and keeps the entries whose field equals the clicked value (Grafana fills
 * `${__value.raw}` and encodes the query into the Explore URL).
 *
 * A link's query travels in a URL, so a source holding its content (pasted text, an upload stored in
 * the dashboard) is replaced in it by a reference to this browser session's copy when it is larger
 * than LINK_SOURCE_MAX_CHARS, or when pasted text holds `$` (Grafana would read `$aws/…` as a variable
 * and drop the link): the link then works in this tab (where it is clicked), not when the URL is
 * shared, and Explore says so. A URL path is carried with its variables replaced.
 */
import type { DataFrame, DataLink, Field } from '@grafana/data';

import { EVIDENCE_FILTER_FIELD } from '../output/findings';
import type { SessionStore } from '../sources/sessionStore';
import { getDefaultQuery, type IotLogsQuery, type QuerySource } from '../types';
import { uploadBytes } from './uploads';

/** The fields that link to their entries, and the link's title. */
export const LINK_FIELDS: Readonly<Record<string, string>> = {
  traceId: 'Entries of this trace',
  clientId: "This device's entries",
  thingName: "This thing's entries",
  jobId: "This job's entries",
  ruleName: "This rule's entries",
};

/** The field of a findings frame that opens each finding's evidence, and the link's title. */
export const EVIDENCE_LINK: Readonly<{ field: string; title: string }> = {
  field: 'evidence',
  title: "This finding's entries",
};

/** Largest source (as JSON) carried in a link's query as it is. */
export const LINK_SOURCE_MAX_CHARS = 4096;

/** Where the links lead: this data source. */
export interface LinkTarget {
  uid: string;
  name: string;
  /** The plugin id (the query names its data source, so Grafana does not write it into a shared query). */
  type: string;
  sessions: SessionStore;
}

/** Session keys of contents already kept for links, so that re-runs do not keep them again. */
const keptForLinks = new WeakMap<SessionStore, Map<string, string>>();

function keep(
  sessions: SessionStore,
  content: string,
  make: () => Uint8Array | string | undefined
): string | undefined {
  let kept = keptForLinks.get(sessions);
  if (!kept) {
    kept = new Map();
    keptForLinks.set(sessions, kept);
  }
  const known = kept.get(content);
  if (known !== undefined && sessions.get(known) !== undefined) {
    return known;
  }
  const value = make();
  if (value === undefined) {
    return undefined;
  }
  const key = sessions.put(value);
  kept.set(content, key);
  return key;
}

/**
 * Text Grafana would read as template variables: Explore drops a data link whose query mentions a
 * variable it does not know (`$aws/things/…` in an entry's topic is one).
 */
const VARIABLE_LIKE = /\$|\[\[/;

/**
 * The source as a link (or a query opened in Explore) may carry it: as it is when small and free of
 * `$`, otherwise a reference to this session's copy.
 */
export function linkSource(source: QuerySource, sessions: SessionStore): QuerySource {
  const inlineText = source.type === 'inline' ? source.content : '';
  if (JSON.stringify(source).length <= LINK_SOURCE_MAX_CHARS && !VARIABLE_LIKE.test(inlineText)) {
    return source;
  }
  if (source.type === 'inline' && source.content !== '') {
    const key = keep(sessions, source.content, () => source.content);
    return { type: 'inline', content: '', sessionKey: key!, size: source.content.length };
  }
  if (source.type === 'upload' && source.data !== undefined) {
    const data = source.data;
    const key = keep(sessions, data, () => uploadBytes(source, sessions).bytes);
    if (key !== undefined) {
      return { type: 'upload', fileName: source.fileName, size: source.size, sessionKey: key };
    }
  }
  return source;
}

/**
 * A query a link opens: the same source, format and time range choice, as logs, keeping the entries
 * `filters` select.
 */
function openedQuery(
  query: IotLogsQuery,
  source: QuerySource,
  datasource: { uid: string; type: string },
  filters: Pick<IotLogsQuery, 'fieldFilters'> | Pick<IotLogsQuery, 'linkFilters'>
): IotLogsQuery {
  return {
    ...getDefaultQuery(),
    refId: 'A',
    datasource,
    source,
    format: query.format,
    ignoreTimeRange: query.ignoreTimeRange,
    ...filters,
  };
}

/** The query a link opens: only the entries whose `field` equals the clicked value. */
export function linkQuery(
  query: IotLogsQuery,
  field: string,
  source: QuerySource,
  datasource: { uid: string; type: string }
): IotLogsQuery {
  return openedQuery(query, source, datasource, { fieldFilters: [{ field, op: '=', value: '${__value.raw}' }] });
}

/**
 * The query a finding's evidence link opens: the finding's filters (its row's EVIDENCE_FILTER_FIELD,
 * which Grafana fills in as text: `linkFilters`, read by migrateQuery).
 */
export function evidenceQuery(
  query: IotLogsQuery,
  source: QuerySource,
  datasource: { uid: string; type: string }
): IotLogsQuery {
  return openedQuery(query, source, datasource, { linkFilters: `\${__data.fields.${EVIDENCE_FILTER_FIELD}}` });
}

/**
 * The frames with a link on every field named in LINK_FIELDS, and on a findings frame's evidence.
 * Fields are copied, not changed: frames may be shared between runs.
 */
export function withDataLinks(frames: DataFrame[], query: IotLogsQuery, target: LinkTarget): DataFrame[] {
  let source: QuerySource | undefined;
  const datasource = { uid: target.uid, type: target.type };
  const internal = (title: string, linked: IotLogsQuery): DataLink<IotLogsQuery> => ({
    title,
    url: '',
    internal: { datasourceUid: target.uid, datasourceName: target.name, query: linked },
  });
  return frames.map((frame) => {
    const evidence = frame.fields.some((f) => f.name === EVIDENCE_FILTER_FIELD);
    const linked = (f: Field) => Object.hasOwn(LINK_FIELDS, f.name) || (evidence && f.name === EVIDENCE_LINK.field);
    if (!frame.fields.some(linked)) {
      return frame;
    }
    source ??= linkSource(query.source, target.sessions);
    const fields = frame.fields.map((f): Field => {
      if (!linked(f)) {
        return f;
      }
      const link =
        f.name === EVIDENCE_LINK.field
          ? internal(EVIDENCE_LINK.title, evidenceQuery(query, source!, datasource))
          : internal(LINK_FIELDS[f.name], linkQuery(query, f.name, source!, datasource));
      return { ...f, config: { ...f.config, links: [...(f.config.links ?? []), link] } };
    });
    return { ...frame, fields };
  });
}
