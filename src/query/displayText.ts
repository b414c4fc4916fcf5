/**
 * A query in one readable line, for Explore's query history and wherever Grafana shows a query as text
 * (DataSourceApi.getQueryDisplayText): source, filters, output. Big pasted content is described by its
 * size, never shown.
 */
import { migrateQuery } from '../migrations/migrateQuery';
import { sourceKind } from '../sources';
import type { IotLogsQuery, QuerySource } from '../types';

function size(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(0)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function describeSource(source: QuerySource): string {
  switch (source.type) {
    case 'inline':
      return source.sessionKey !== undefined
        ? `Pasted ${size(source.size ?? 0)} (this session)`
        : `Pasted ${size(source.content.length)}`;
    case 'upload':
      return source.fileName ? `Upload ${source.fileName}` : 'Upload (no file)';
    case 'url':
      return `URL ${source.path || '(no path)'}`;
    case 'cloudwatch':
      return source.expression !== undefined ? 'CloudWatch (edited Logs Insights query)' : 'CloudWatch';
    default:
      return sourceKind(source.type).label;
  }
}

const list = (name: string, values: readonly string[]) => (values.length > 0 ? `${name} ${values.join('|')}` : '');

export function queryDisplayText(stored: IotLogsQuery): string {
  const q = migrateQuery(stored);
  const parts = [
    describeSource(q.source),
    list('component', q.components),
    list('eventType', q.eventTypes),
    list('status', q.statuses),
    list('level', q.logLevels),
    ...q.fieldFilters.map((f) => `${f.field} ${f.op}${f.value === undefined ? '' : ` ${f.value}`}`),
    list('topic', q.topicFilters),
    q.search ? `"${q.search}"` : '',
  ].filter((p) => p !== '');
  let output: string = q.output;
  if ((q.output === 'timeseries' || q.output === 'counts') && q.groupBy.length > 0) {
    output += ` by ${q.groupBy.join(', ')}`;
  }
  if (q.metric === 'distinct' && q.metricField && (q.output === 'timeseries' || q.output === 'counts')) {
    output += ` (distinct ${q.metricField})`;
  }
  return `${parts.join(' · ')} → ${output}`;
}
