/**
 * A Grafana request → one response: each query migrated once and run on its own (whatever goes wrong
 * in one is reported on it alone, as an error with its refId), progress and results reported to the
 * editor through RunReports, and a cancel (unsubscribing) stopping the parse.
 */
import { LoadingState, type DataQueryError, type DataQueryRequest, type DataQueryResponse } from '@grafana/data';
import { Observable } from 'rxjs';

import { migrateQuery } from '../migrations/migrateQuery';
import { OutputError } from '../output';
import { SourceError } from '../sources';
import type { IotLogsQuery } from '../types';
import { adhocFieldFilters } from './adhocFilters';
import { FilterError, type ResolvedFieldFilter } from './filter';
import { CancelledError } from './parseRunner';
import type { RunReports } from './runReport';
import { runQuery, type RunContext } from './runQuery';

export interface RequestContext extends Omit<RunContext, 'range' | 'scopedVars' | 'onProgress' | 'signal' | 'adhoc'> {
  reports: RunReports;
}

/** Errors whose message is meant for the user as it is. */
function isUserError(e: unknown): e is Error {
  return (
    e instanceof SourceError || e instanceof CancelledError || e instanceof FilterError || e instanceof OutputError
  );
}

export function errorMessage(e: unknown): string {
  return isUserError(e)
    ? e.message
    : `AWS IoT Logs could not run this query: ${e instanceof Error ? e.message : String(e)}`;
}

/** Reports of a query's progress at most this often. */
const PROGRESS_EVERY_MS = 100;

export function runRequest(
  request: DataQueryRequest<IotLogsQuery>,
  ctx: RequestContext
): Observable<DataQueryResponse> {
  return new Observable<DataQueryResponse>((subscriber) => {
    const controller = new AbortController();
    const requestId = request.requestId;
    const queries = request.targets.map((target) => migrateQuery(target)).filter((query) => !query.hide);
    const range = {
      from: request.range.from.valueOf(),
      to: request.range.to.valueOf(),
      intervalMs: request.intervalMs,
      maxDataPoints: request.maxDataPoints,
    };
    let adhoc: ResolvedFieldFilter[];
    try {
      adhoc = adhocFieldFilters(request.filters);
    } catch (e) {
      // Every query of the request would fail the same way.
      const message = errorMessage(e);
      for (const query of queries) {
        ctx.reports.set(requestId, { refId: query.refId, query, state: 'error', error: message });
      }
      subscriber.next({
        key: requestId,
        data: [],
        errors: queries.map((query) => ({ refId: query.refId, message })),
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- Explore's log volume reads this one
        error: { refId: queries[0]?.refId, message },
        state: LoadingState.Error,
      });
      subscriber.complete();
      return;
    }
    const lastProgress = new Map<string, number>();
    for (const query of queries) {
      ctx.reports.set(requestId, { refId: query.refId, query, state: 'running' });
    }
    const onProgress = (query: IotLogsQuery) => (fraction: number) => {
      const now = Date.now();
      if (controller.signal.aborted || now - (lastProgress.get(query.refId) ?? 0) < PROGRESS_EVERY_MS) {
        return;
      }
      lastProgress.set(query.refId, now);
      ctx.reports.set(requestId, { refId: query.refId, query, state: 'running', progress: fraction });
    };

    Promise.allSettled(
      queries.map((query) =>
        runQuery(query, {
          ...ctx,
          range,
          scopedVars: request.scopedVars,
          adhoc,
          onProgress: onProgress(query),
          signal: controller.signal,
        })
      )
    ).then((results) => {
      if (controller.signal.aborted) {
        // Cancelled or superseded (Explore reuses one request id per pane): its report would overwrite
        // the next run's.
        return;
      }
      const data: DataQueryResponse['data'] = [];
      const errors: DataQueryError[] = [];
      results.forEach((result, i) => {
        const query = queries[i];
        if (result.status === 'fulfilled') {
          data.push(...result.value.frames);
          ctx.reports.set(requestId, { refId: query.refId, query, state: 'done', ...result.value.report });
          return;
        }
        const message = errorMessage(result.reason);
        errors.push({ refId: query.refId, message });
        ctx.reports.set(requestId, { refId: query.refId, query, state: 'error', error: message });
      });
      if (subscriber.closed) {
        return;
      }
      subscriber.next({
        key: requestId,
        data,
        // `error` too: Explore's log volume reads only the first error, by that (older) name.
        // eslint-disable-next-line @typescript-eslint/no-deprecated
        ...(errors.length > 0 ? { errors, error: errors[0] } : {}),
        state: errors.length > 0 ? LoadingState.Error : LoadingState.Done,
      });
      subscriber.complete();
    });
    return () => controller.abort();
  });
}
