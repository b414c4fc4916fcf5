/**
 * Re-running a query on entries already parsed (the parse is cached): each filter and output is run
 * for the first time (nothing of it memoised), the way a user changing a filter or the output mode in
 * the editor re-runs it; then once more, as a dashboard refresh that changed nothing does.
 */
import './dom';
import type { TableResult } from '../src/parsing';
import { ParseCache } from '../src/query/parseCache';
import { runQuery } from '../src/query/runQuery';
import { SessionStore } from '../src/sources/sessionStore';
import { getDefaultQuery, type IotLogsQuery } from '../src/types';

export interface RerunRow {
  label: string;
  kind: 'filter' | 'output' | 'fleet';
  /** First run of this filter and output on the parsed entries. */
  firstMs: number;
  /** The same query again (memoised). */
  againMs: number;
  rows: number;
}

/** ms: filters and outputs as set for re-runs; fleet health (behaviour, findings) under 1 s on 1M entries. */
export const RERUN_TARGETS = { filter: 100, output: 300, fleet: 1000 };

const CASES: Array<{ label: string; kind: RerunRow['kind']; query: Partial<IotLogsQuery> }> = [
  { label: 'logs, component = jobs', kind: 'filter', query: { components: ['jobs'] } },
  { label: 'logs, eventType = Connect', kind: 'filter', query: { eventTypes: ['Connect'] } },
  { label: 'logs, status = Failure', kind: 'filter', query: { statuses: ['Failure'] } },
  { label: 'logs, status = Success', kind: 'filter', query: { statuses: ['Success'] } },
  {
    label: 'logs, component = message broker, status = Failure',
    kind: 'filter',
    query: { components: ['message-broker'], statuses: ['Failure'] },
  },
  { label: 'timeseries, total count', kind: 'output', query: { output: 'timeseries' } },
  { label: 'timeseries by status', kind: 'output', query: { output: 'timeseries', groupBy: ['status'] } },
  { label: 'timeseries by eventType', kind: 'output', query: { output: 'timeseries', groupBy: ['eventType'] } },
  {
    label: 'timeseries, distinct clientId by eventType',
    kind: 'output',
    query: { output: 'timeseries', groupBy: ['eventType'], metric: 'distinct', metricField: 'clientId' },
  },
  { label: 'counts by eventType', kind: 'output', query: { output: 'counts' } },
  {
    label: 'counts by clientId, top 10',
    kind: 'output',
    query: { output: 'counts', groupBy: ['clientId'], limit: 10 },
  },
  {
    label: 'counts by status and eventType',
    kind: 'output',
    query: { output: 'counts', groupBy: ['status', 'eventType'] },
  },
  { label: 'sessions', kind: 'output', query: { output: 'sessions' } },
  { label: 'behaviour, device table', kind: 'fleet', query: { output: 'behaviour' } },
  {
    label: 'behaviour, disconnects of the top devices over time',
    kind: 'fleet',
    query: { output: 'behaviour', behaviourView: 'series', metricField: 'disconnects' },
  },
  { label: 'findings', kind: 'fleet', query: { output: 'findings' } },
];

export async function measureReruns(parsed: TableResult): Promise<RerunRow[]> {
  const cache = new ParseCache(8, async () => parsed);
  let from = Infinity;
  let to = -Infinity;
  for (const table of parsed.tables) {
    from = Math.min(from, table.time[0]);
    to = Math.max(to, table.time[table.length - 1]);
  }
  const ctx = {
    cache,
    range: { from, to, intervalMs: 60_000, maxDataPoints: 1_000 },
    replace: (text: string) => text,
    hasBaseUrl: false,
    fetchUrl: () => Promise.reject(new Error('none')),
    loadSample: () => Promise.reject(new Error('none')),
    sessions: new SessionStore(),
  };
  const base: IotLogsQuery = { refId: 'A', ...getDefaultQuery(), source: { type: 'inline', content: 'cached' } };
  await runQuery(base, ctx);
  const rows: RerunRow[] = [];
  for (const c of CASES) {
    const query = { ...base, ...c.query };
    global.gc?.();
    let t = performance.now();
    const { frames } = await runQuery(query, ctx);
    const firstMs = performance.now() - t;
    t = performance.now();
    await runQuery(query, ctx);
    const againMs = performance.now() - t;
    rows.push({ label: c.label, kind: c.kind, firstMs, againMs, rows: frames.reduce((n, f) => n + f.length, 0) });
  }
  return rows;
}
