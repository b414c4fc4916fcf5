/**
 * A Grafana request → one response: each query migrated once and run on its own (whatever goes wrong
 * in one is reported on it alone, as an error with its refId), progress and results reported to the
 * editor through RunReports, and a cancel (unsubscribing) stopping the parse.
 */
import { LoadingState, type DataQueryError, type DataQueryRequest, type DataQueryResponse } from '@grafana/data';
import { Observable, of } from 'rxjs';

import { runCloudWatch, type CloudWatchQueryState, type CloudWatchRunContext } from '../cloudwatch/run';

import { migrateQuery } from '../migrations/migrateQuery';
import { OutputError } from '../output';
import { SourceError } from '../sources';
import type { IotLogsQuery } from '../types';
import { adhocFieldFilters } from './adhocFilters';
import { FilterError, type ResolvedFieldFilter } from './filter';
import { CancelledError } from './parseRunner';
import type { RunReport, RunReports } from './runReport';
import { runQuery, type RunContext } from './runQuery';

export interface RequestContext extends Omit<RunContext, 'range' | 'scopedVars' | 'onProgress' | 'signal' | 'adhoc'> {
  reports: RunReports;
  /** The CloudWatch source's context for a request; absent when the data source has none. */
  cloudWatch?: (request: Pick<CloudWatchRunContext, 'range' | 'scopedVars' | 'adhoc'>) => CloudWatchRunContext;
}

/** One query's state in a response. */
interface QueryState {
  refId: string;
  state: LoadingState;
  frames: DataQueryResponse['data'];
  error?: string;
  report?: Omit<RunReport, 'refId' | 'query' | 'state'>;
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

    const fileQueries = queries.filter((query) => query.source.type !== 'cloudwatch');
    const cloudWatchQueries = queries.filter((query) => query.source.type === 'cloudwatch');
    const runContext = (query: IotLogsQuery): RunContext => ({
      ...ctx,
      range,
      scopedVars: request.scopedVars,
      adhoc,
      onProgress: onProgress(query),
      signal: controller.signal,
    });

    const files: Promise<QueryState[]> = Promise.allSettled(
      fileQueries.map((query) => runQuery(query, runContext(query)))
    ).then((results) =>
      results.map((result, i): QueryState => {
        const query = fileQueries[i];
        return result.status === 'fulfilled'
          ? { refId: query.refId, state: LoadingState.Done, frames: result.value.frames, report: result.value.report }
          : { refId: query.refId, state: LoadingState.Error, frames: [], error: errorMessage(result.reason) };
      })
    );

    /** The response of the states so far: Loading while any query runs, with the frames that arrived. */
    const respond = (states: ReadonlyArray<QueryState | undefined>, last: boolean) => {
      const data: DataQueryResponse['data'] = [];
      const errors: DataQueryError[] = [];
      let loading = !last;
      queries.forEach((query, i) => {
        const state = states[i];
        if (!state) {
          loading = true;
          return;
        }
        data.push(...state.frames);
        if (state.error !== undefined && state.state === LoadingState.Error) {
          errors.push({ refId: query.refId, message: state.error });
          ctx.reports.set(requestId, { refId: query.refId, query, state: 'error', error: state.error });
        } else if (state.state === LoadingState.Loading) {
          loading = true;
          ctx.reports.set(requestId, { refId: query.refId, query, state: 'running', ...state.report });
        } else {
          ctx.reports.set(requestId, { refId: query.refId, query, state: 'done', ...state.report });
        }
      });
      subscriber.next({
        key: requestId,
        data,
        // `error` too: Explore's log volume reads only the first error, by that (older) name.
        // eslint-disable-next-line @typescript-eslint/no-deprecated
        ...(errors.length > 0 ? { errors, error: errors[0] } : {}),
        state: loading ? LoadingState.Loading : errors.length > 0 ? LoadingState.Error : LoadingState.Done,
      });
    };
    const ordered = (fileStates: QueryState[] | undefined, cloudStates: CloudWatchQueryState[] | undefined) =>
      queries.map((query) =>
        query.source.type === 'cloudwatch'
          ? cloudStates?.find((s) => s.refId === query.refId)
          : fileStates?.find((s) => s.refId === query.refId)
      );

    if (cloudWatchQueries.length === 0) {
      void files.then((states) => {
        if (controller.signal.aborted || subscriber.closed) {
          // Cancelled or superseded (Explore reuses one request id per pane): its report would overwrite
          // the next run's.
          return;
        }
        respond(ordered(states, undefined), true);
        subscriber.complete();
      });
      return () => controller.abort();
    }

    // CloudWatch queries report as their answers arrive; file queries once parsed.
    let fileStates: QueryState[] | undefined;
    let cloudStates: CloudWatchQueryState[] | undefined;
    let cloudDone = false;
    const emit = () => {
      if (controller.signal.aborted || subscriber.closed) {
        return;
      }
      const last = fileStates !== undefined && cloudDone;
      respond(ordered(fileStates, cloudStates), last);
      if (last) {
        subscriber.complete();
      }
    };
    void files.then((states) => {
      fileStates = states;
      if (fileQueries.length > 0 || cloudDone) {
        emit();
      }
    });
    const cloud = ctx.cloudWatch
      ? runCloudWatch(cloudWatchQueries, request, ctx.cloudWatch({ range, scopedVars: request.scopedVars, adhoc }))
      : of(
          cloudWatchQueries.map((query): CloudWatchQueryState => ({
            refId: query.refId,
            state: LoadingState.Error,
            frames: [],
            error: "The CloudWatch source needs a CloudWatch data source: choose one in this data source's settings.",
          }))
        );
    const subscription = cloud.subscribe({
      next: (states) => {
        cloudStates = states;
        // The final states are sent once, as Done, when the CloudWatch queries complete.
        if (states.some((state) => state.state === LoadingState.Loading)) {
          emit();
        }
      },
      complete: () => {
        cloudDone = true;
        if (fileStates !== undefined) {
          emit();
        }
      },
    });
    return () => {
      controller.abort();
      subscription.unsubscribe();
    };
  });
}
